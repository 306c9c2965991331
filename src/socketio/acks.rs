//! The acknowledgements a socket waits for: their ids (counted from 0 per socket), who waits for each, its
//! deadline, and whether its callback takes an error first; plus how a callback is finally called.

use crate::prelude::*;

use crate::host::Host;
use crate::slots::Slots;
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
    pending: Slots<PendingAck<A>>,
    /// How many of them have a deadline.
    with_deadline: usize,
    /// Whether the deadlines were registered in non-decreasing order (one timeout for all, the usual
    /// case), so that the first pending one with a deadline has the earliest.
    deadlines_in_order: bool,
    /// The deadline registered last.
    last_deadline: Millis,
}

impl<A> Default for AckTable<A> {
    fn default() -> Self {
        Self { next_id: 0, pending: Slots::default(), with_deadline: 0, deadlines_in_order: true, last_deadline: 0 }
    }
}

impl<A> AckTable<A> {
    /// Waits for an answer under a fresh id, which it returns.
    pub fn register(&mut self, waiter: Waiter<A>, error_first: bool, deadline: Option<Millis>) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        if let Some(deadline) = deadline {
            self.deadlines_in_order &= deadline >= self.last_deadline;
            self.last_deadline = deadline;
            self.with_deadline += 1;
        }
        self.pending.push(id, PendingAck { id, waiter, error_first, deadline });
        id
    }

    /// Gives back the table's memory if nothing is pending.
    pub fn release_if_empty(&mut self) {
        self.pending.release_if_empty();
    }

    /// Stops waiting for `id`; `None` for an id not waited for (unknown or already settled).
    pub fn take(&mut self, id: u64) -> Option<PendingAck<A>> {
        let ack = self.pending.take(id)?;
        self.taken(&ack);
        Some(ack)
    }

    /// The earliest deadline. (Called after every step of the Manager: in the usual cases it looks at one
    /// acknowledgement, not all of them.)
    pub fn next_deadline(&self) -> Option<Millis> {
        if self.with_deadline == 0 {
            return None;
        }
        let mut earliest: Option<Millis> = None;
        for deadline in self.pending.values().filter_map(|ack| ack.deadline) {
            if self.deadlines_in_order {
                return Some(deadline);
            }
            earliest = Some(earliest.map_or(deadline, |earliest| earliest.min(deadline)));
        }
        earliest
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
        let taken = self.pending.take_where(matches);
        taken.iter().for_each(|ack| self.taken(ack));
        taken
    }

    /// Keeps the deadline bookkeeping up to date after `ack` left the table.
    fn taken(&mut self, ack: &PendingAck<A>) {
        if ack.deadline.is_some() {
            self.with_deadline -= 1;
        }
        if self.with_deadline == 0 {
            self.deadlines_in_order = true;
            self.last_deadline = 0;
        }
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
    fn the_earliest_deadline_holds_in_any_registration_order() {
        let mut table = AckTable::<u32>::default();
        for (n, deadline) in [Some(500), None, Some(200), Some(900)].into_iter().enumerate() {
            table.register(Waiter::Callback(n as u32), true, deadline);
        }
        assert_eq!(table.next_deadline(), Some(200));
        assert!(table.take(2).is_some());
        assert_eq!(table.next_deadline(), Some(500));
        assert!(table.take(0).is_some() && table.take(3).is_some());
        assert_eq!(table.next_deadline(), None, "the one left has no deadline");
        table.register(Waiter::Callback(9), true, Some(10));
        assert_eq!(table.next_deadline(), Some(10), "in order again once no deadline is pending");
    }

    #[test]
    fn many_pending_acks_answered_in_order() {
        let mut table = AckTable::<u32>::default();
        for n in 0..20_000 {
            table.register(Waiter::Callback(n), false, Some(1_000 + u64::from(n)));
        }
        for id in 0..20_000 {
            assert_eq!(table.next_deadline(), Some(1_000 + id));
            assert!(table.take(id).is_some());
        }
        assert!(table.is_empty());
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
