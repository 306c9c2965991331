//! The retry queue of a socket with the `retries` option (socket.io-client's `_queue`): emits are sent one
//! at a time, in order, each sent again after a failed attempt until it is acknowledged or has been tried
//! `1 + retries` times. An entry is `pending` while an attempt is in flight; `try_count` counts attempts.

use super::emit::{Flags, Message};
use crate::fifo::Fifo;
use crate::host::Host;

/// An emit waiting in the queue.
struct Entry<H: Host> {
    seq: u64,
    try_count: u32,
    pending: bool,
    message: Message<H>,
    flags: Flags,
    callback: Option<H::Ack>,
}

/// The next attempt to send.
pub struct Attempt<H: Host> {
    /// The entry's sequence number (its attempts' acknowledgements point back to it).
    pub seq: u64,
    /// The event to send.
    pub message: Message<H>,
    /// The flags the emit had when it was queued.
    pub flags: Flags,
}

/// What became of an entry after one of its attempts was settled.
pub enum Verdict<A> {
    /// It stays at the head, to be tried again.
    Retry,
    /// It left the queue; its callback, if any, is called with the outcome.
    Done(Option<A>),
}

/// The queue. Only its head is ever in flight, so it is taken from the front only.
pub struct RetryQueue<H: Host> {
    next_seq: u64,
    entries: Fifo<Entry<H>>,
}

impl<H: Host> Default for RetryQueue<H> {
    fn default() -> Self {
        Self { next_seq: 0, entries: Fifo::default() }
    }
}

impl<H: Host> RetryQueue<H> {
    /// Gives back the queue's memory if it is empty.
    pub fn release_if_empty(&mut self) {
        self.entries.release_if_empty();
    }

    /// Queues an emit with the flags it was made with.
    pub fn push(&mut self, message: Message<H>, flags: Flags, callback: Option<H::Ack>) {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.entries.push_back(Entry { seq, try_count: 0, pending: false, message, flags, callback });
    }

    /// The head's next attempt, counted and marked in flight; `None` when the queue is empty or the head is
    /// already in flight (unless `force`: on connect, an attempt lost with the connection is sent again).
    pub fn next_attempt(&mut self, force: bool) -> Option<Attempt<H>> {
        let head = self.entries.front_mut()?;
        if head.pending && !force {
            return None;
        }
        head.pending = true;
        head.try_count = head.try_count.saturating_add(1);
        Some(Attempt { seq: head.seq, message: head.message.clone(), flags: head.flags.clone() })
    }

    /// Settles an attempt of entry `seq`: on success, or on failure after more than `retries` attempts, the
    /// entry leaves the queue; otherwise it waits for its next attempt. `None` when `seq` is no longer queued
    /// (a late answer to an attempt of an entry already done).
    pub fn settle(&mut self, seq: u64, success: bool, retries: f64) -> Option<Verdict<H::Ack>> {
        // Attempts are only ever made of the head: an answer for any other entry is a late one.
        let entry = self.entries.front_mut().filter(|entry| entry.seq == seq)?;
        if success || f64::from(entry.try_count) > retries {
            return Some(Verdict::Done(self.entries.pop_front()?.callback));
        }
        entry.pending = false;
        Some(Verdict::Retry)
    }

    /// How many emits are queued.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the queue is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::socketio::emit::Json;
    use crate::testhost::TestHost;

    fn message(name: &str) -> Message<TestHost> {
        Message { args: serde_json::json!([name]), json: Some(Json { text: format!("[\"{name}\"]"), attachments: vec![] }) }
    }

    fn attempt(queue: &mut RetryQueue<TestHost>, force: bool) -> Option<(u64, String)> {
        queue.next_attempt(force).map(|attempt| (attempt.seq, attempt.message.json.map(|json| json.text).unwrap_or_default()))
    }

    #[test]
    fn one_in_flight_in_order() {
        let mut queue = RetryQueue::<TestHost>::default();
        assert!(attempt(&mut queue, false).is_none());
        queue.push(message("a"), Flags::default(), Some(1));
        queue.push(message("b"), Flags::default(), None);
        assert_eq!(attempt(&mut queue, false), Some((0, "[\"a\"]".to_string())));
        assert!(attempt(&mut queue, false).is_none(), "the head is in flight");
        assert!(matches!(queue.settle(0, true, 2.0), Some(Verdict::Done(Some(1)))));
        assert_eq!(attempt(&mut queue, false), Some((1, "[\"b\"]".to_string())));
        assert!(matches!(queue.settle(1, true, 2.0), Some(Verdict::Done(None))));
        assert!(queue.is_empty());
    }

    #[test]
    fn one_plus_retries_attempts() {
        let mut queue = RetryQueue::<TestHost>::default();
        queue.push(message("a"), Flags::default(), Some(9));
        for try_count in 1..=3 {
            assert_eq!(attempt(&mut queue, false).map(|(seq, _)| seq), Some(0), "attempt {try_count}");
            match queue.settle(0, false, 2.0) {
                Some(Verdict::Retry) => assert!(try_count < 3),
                Some(Verdict::Done(callback)) => assert_eq!((try_count, callback), (3, Some(9))),
                None => panic!("the entry vanished"),
            }
        }
        assert!(queue.is_empty());
    }

    #[test]
    fn fractional_and_infinite_retries_compare_as_numbers() {
        let mut queue = RetryQueue::<TestHost>::default();
        queue.push(message("a"), Flags::default(), None);
        attempt(&mut queue, false);
        assert!(matches!(queue.settle(0, false, 1.5), Some(Verdict::Retry)));
        attempt(&mut queue, false);
        assert!(matches!(queue.settle(0, false, 1.5), Some(Verdict::Done(None))), "2 > 1.5");
        queue.push(message("b"), Flags::default(), None);
        for _ in 0..100 {
            attempt(&mut queue, false);
            assert!(matches!(queue.settle(1, false, f64::INFINITY), Some(Verdict::Retry)));
        }
    }

    #[test]
    fn force_resends_the_head_in_flight_and_late_answers_are_ignored() {
        let mut queue = RetryQueue::<TestHost>::default();
        queue.push(message("a"), Flags { timeout: Some(5), ..Flags::default() }, None);
        attempt(&mut queue, false);
        let again = queue.next_attempt(true).expect("forced");
        assert_eq!((again.seq, again.flags.timeout), (0, Some(5)));
        assert!(matches!(queue.settle(0, true, 0.0), Some(Verdict::Done(None))));
        assert!(queue.settle(0, true, 0.0).is_none(), "the entry is gone");
    }
}
