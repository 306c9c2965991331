//! The acknowledgements a socket waits for: their ids (counted from 0 per socket), who waits for each, its
//! deadline, and whether its callback takes an error first; plus how a callback is finally called.

use crate::prelude::*;

use crate::host::Host;
use crate::Millis;

/// Why an error-first callback gets an `Error`, with socket.io-client's messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AckError {
    /// The deadline passed without an answer.
    Timeout,
    /// The socket disconnected with the packet already sent (no answer can come).
    Disconnected,
}

impl AckError {
    /// The `Error` message socket.io-client uses.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Timeout => "operation has timed out",
            Self::Disconnected => "socket has been disconnected",
        }
    }
}

/// How a user callback is called.
pub enum AckOutcome<H: Host> {
    /// `ack(...args)`: the server's answer to a plain callback.
    Reply(H::Value),
    /// `ack(null, ...args)`: the server's answer to an error-first callback.
    ErrorFirstReply(H::Value),
    /// `ack(new Error(message))`.
    Failed(AckError),
    /// `ack(value)`: the retry queue gave up after the server answered with a first argument that is not
    /// `null` (`undefined` when the answer was empty).
    Rejected(Option<H::Value>),
}

impl<H: Host> AckOutcome<H> {
    /// Whether the callback learns of a success.
    pub fn is_success(&self) -> bool {
        matches!(self, Self::Reply(_) | Self::ErrorFirstReply(_))
    }
}

/// Who waits for an acknowledgement.
#[derive(Debug, PartialEq, Eq)]
pub enum Waiter<A> {
    /// The user's callback.
    Callback(A),
    /// One attempt of the retry-queue entry with this sequence number.
    Retry(u64),
}

/// One acknowledgement being waited for.
#[derive(Debug, PartialEq, Eq)]
pub struct PendingAck<A> {
    /// The ack id sent with the packet.
    pub id: u64,
    /// Who is told of the answer.
    pub waiter: Waiter<A>,
    /// Whether the waiter takes an error first and is told of timeouts and disconnections (socket.io-client's
    /// `withError`); a plain callback is dropped silently when no answer can come any more.
    pub error_first: bool,
    /// When the wait ends with [`AckError::Timeout`].
    pub deadline: Option<Millis>,
}

/// The acknowledgements a socket waits for, in id order.
pub struct AckTable<A> {
    next_id: u64,
    pending: Vec<PendingAck<A>>,
}

impl<A> Default for AckTable<A> {
    fn default() -> Self {
        Self { next_id: 0, pending: Vec::new() }
    }
}

impl<A> AckTable<A> {
    /// Waits for an answer under a fresh id, which it returns.
    pub fn register(&mut self, waiter: Waiter<A>, error_first: bool, deadline: Option<Millis>) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        self.pending.push(PendingAck { id, waiter, error_first, deadline });
        id
    }

    /// Gives back the table's memory if nothing is pending.
    pub fn release_if_empty(&mut self) {
        crate::fifo::release_if_empty(&mut self.pending);
    }

    /// Stops waiting for `id`; `None` for an id not waited for (unknown or already settled).
    pub fn take(&mut self, id: u64) -> Option<PendingAck<A>> {
        let index = self.pending.iter().position(|ack| ack.id == id)?;
        Some(self.pending.remove(index))
    }

    /// The earliest deadline.
    pub fn next_deadline(&self) -> Option<Millis> {
        self.pending.iter().filter_map(|ack| ack.deadline).min()
    }

    /// Stops waiting for every acknowledgement whose deadline is at or before `until`, and returns them in the
    /// order their timers would fire: by deadline, then by id.
    pub fn take_expired(&mut self, until: Millis) -> Vec<PendingAck<A>> {
        let mut expired: Vec<PendingAck<A>> = Vec::new();
        for ack in self.take_where(|ack| ack.deadline.is_some_and(|deadline| deadline <= until)) {
            // Taken in id order, so inserting after the equal deadlines keeps ids in order (no sort code in wasm).
            let at = expired.partition_point(|earlier| earlier.deadline <= ack.deadline);
            expired.insert(at, ack);
        }
        expired
    }

    /// Stops waiting for every acknowledgement whose id `keep` rejects, and returns them in id order.
    pub fn take_unless(&mut self, keep: impl Fn(u64) -> bool) -> Vec<PendingAck<A>> {
        self.take_where(|ack| !keep(ack.id))
    }

    /// How many acknowledgements are waited for.
    pub fn len(&self) -> usize {
        self.pending.len()
    }

    /// Whether none is waited for.
    pub fn is_empty(&self) -> bool {
        self.pending.is_empty()
    }

    fn take_where(&mut self, matches: impl Fn(&PendingAck<A>) -> bool) -> Vec<PendingAck<A>> {
        let (taken, kept) = core::mem::take(&mut self.pending).into_iter().partition(|ack| matches(ack));
        self.pending = kept;
        taken
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(acks: &[PendingAck<u32>]) -> Vec<u64> {
        acks.iter().map(|ack| ack.id).collect()
    }

    #[test]
    fn ids_count_from_zero_and_each_is_taken_once() {
        let mut table = AckTable::<u32>::default();
        assert_eq!(table.register(Waiter::Callback(10), false, None), 0);
        assert_eq!(table.register(Waiter::Retry(3), true, Some(50)), 1);
        assert!(table.take(7).is_none());
        assert_eq!(table.take(1), Some(PendingAck { id: 1, waiter: Waiter::Retry(3), error_first: true, deadline: Some(50) }));
        assert!(table.take(1).is_none(), "an answer is delivered once");
        assert_eq!(table.len(), 1);
        assert_eq!(table.register(Waiter::Callback(11), false, None), 2, "ids are never reused");
    }

    #[test]
    fn expired_acks_come_out_in_timer_order() {
        let mut table = AckTable::<u32>::default();
        table.register(Waiter::Callback(0), true, Some(300));
        table.register(Waiter::Callback(1), true, Some(100));
        table.register(Waiter::Callback(2), false, None);
        table.register(Waiter::Callback(3), true, Some(100));
        table.register(Waiter::Callback(4), true, Some(301));
        assert_eq!(table.next_deadline(), Some(100));
        assert!(table.take_expired(99).is_empty());
        assert_eq!(ids(&table.take_expired(300)), vec![1, 3, 0]);
        assert_eq!(table.next_deadline(), Some(301));
        assert_eq!(table.len(), 2);
    }

    #[test]
    fn take_unless_keeps_what_it_is_told_to() {
        let mut table = AckTable::<u32>::default();
        for n in 0..4 {
            table.register(Waiter::Callback(n), n % 2 == 0, None);
        }
        assert_eq!(ids(&table.take_unless(|id| id == 2)), vec![0, 1, 3]);
        assert_eq!(table.len(), 1);
        assert!(table.take(2).is_some());
        assert!(table.is_empty());
    }
}
