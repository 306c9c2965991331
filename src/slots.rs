//! Entries under acknowledgement ids, kept in id order and taken out in any order.
//!
//! A taken entry leaves a hole, dropped once the holes reach the front or outnumber the entries, so taking
//! entries in the order they came is O(1) amortized and any other order a binary search. (A `Vec` searched
//! and shifted on every take makes thousands of concurrent acknowledgements quadratic.) Ids normally come
//! in increasing order (ours always do, and socket.io's server numbers a socket's requests in order); one
//! that does not is inserted at its place, and an id may repeat (each entry is taken once).

use crate::prelude::*;

/// The entries, in id order.
pub struct Slots<T> {
    /// Ids with their entries; `None` where one was taken. Ids increase along the vector.
    slots: Vec<(u64, Option<T>)>,
    /// Slots before this index are holes.
    front: usize,
    /// How many entries there are.
    live: usize,
}

impl<T> Default for Slots<T> {
    fn default() -> Self {
        Self { slots: Vec::new(), front: 0, live: 0 }
    }
}

impl<T> Slots<T> {
    /// Adds `value` under `id`: at the end when `id` is the greatest so far, else after the ids up to it.
    pub fn push(&mut self, id: u64, value: T) {
        let at = self.position(id, true);
        self.slots.insert(at, (id, Some(value)));
        self.live += 1;
    }

    /// Takes the first entry under `id`, if there is one.
    pub fn take(&mut self, id: u64) -> Option<T> {
        let at = self.position(id, false);
        let value = self.slots[at..].iter_mut().take_while(|(slot, _)| *slot == id).find_map(|(_, slot)| slot.take())?;
        self.live -= 1;
        self.tidy();
        Some(value)
    }

    /// Takes every entry `matches` accepts, in id order.
    pub fn take_where(&mut self, mut matches: impl FnMut(&T) -> bool) -> Vec<T> {
        let mut taken = Vec::new();
        for (_, slot) in &mut self.slots[self.front..] {
            if let Some(value) = slot.take_if(|value| matches(value)) {
                taken.push(value);
            }
        }
        self.live -= taken.len();
        self.tidy();
        taken
    }

    /// The entries, in id order.
    pub fn values(&self) -> impl Iterator<Item = &T> {
        self.slots[self.front..].iter().filter_map(|(_, slot)| slot.as_ref())
    }

    /// How many entries there are.
    pub fn len(&self) -> usize {
        self.live
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    /// Gives back the memory if there is no entry.
    pub fn release_if_empty(&mut self) {
        if self.live == 0 {
            *self = Self::default();
        }
    }

    /// Where the slots under `id` start (`past` false) or end (`past` true), searching from `front`: never
    /// among the holes before it, since every slot from there on has a greater id.
    fn position(&self, id: u64, past: bool) -> usize {
        self.front + self.slots[self.front..].partition_point(|(slot, _)| *slot < id || (past && *slot == id))
    }

    /// Drops the holes at the front, and all of them once they outnumber the entries: each slot is passed or
    /// moved a bounded number of times over its life.
    fn tidy(&mut self) {
        while self.slots.get(self.front).is_some_and(|(_, slot)| slot.is_none()) {
            self.front += 1;
        }
        if self.front > self.live || self.slots.len() - self.front > 2 * self.live {
            self.slots.retain(|(_, slot)| slot.is_some());
            self.front = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids<T>(slots: &Slots<T>) -> Vec<u64> {
        slots.slots[slots.front..].iter().filter(|(_, slot)| slot.is_some()).map(|(id, _)| *id).collect()
    }

    #[test]
    fn takes_in_any_order_each_entry_once() {
        let mut slots = Slots::default();
        for id in 0..10 {
            slots.push(id, id * 10);
        }
        assert_eq!(slots.take(3), Some(30));
        assert_eq!(slots.take(3), None, "taken once");
        assert_eq!(slots.take(0), Some(0));
        assert_eq!(slots.take(42), None);
        assert_eq!(ids(&slots), vec![1, 2, 4, 5, 6, 7, 8, 9]);
        assert_eq!(slots.len(), 8);
        assert_eq!(slots.take_where(|value| value % 20 == 0), vec![20, 40, 60, 80]);
        assert_eq!(slots.values().copied().collect::<Vec<_>>(), vec![10, 50, 70, 90]);
        assert_eq!(slots.take_where(|_| true).len(), 4);
        assert!(slots.is_empty() && slots.slots.is_empty(), "no entry: no slot left either");
    }

    #[test]
    fn ids_out_of_order_or_repeated_are_each_taken_once() {
        let mut slots = Slots::default();
        for (id, value) in [(5, 'a'), (9, 'b'), (2, 'c'), (9, 'd'), (7, 'e'), (2, 'f')] {
            slots.push(id, value);
        }
        assert_eq!(ids(&slots), vec![2, 2, 5, 7, 9, 9]);
        assert_eq!(slots.take(9), Some('b'), "the first pushed of a repeated id first");
        assert_eq!(slots.take(2), Some('c'));
        assert_eq!(slots.take(2), Some('f'));
        assert_eq!(slots.take(2), None);
        // Holes are at the front now: an id below them goes after them, still in order.
        slots.push(1, 'g');
        assert_eq!(ids(&slots), vec![1, 5, 7, 9]);
        assert_eq!(slots.take(9), Some('d'));
        assert_eq!(slots.take(1), Some('g'));
        assert_eq!(slots.values().copied().collect::<Vec<_>>(), vec!['a', 'e']);
    }

    proptest::proptest! {
        /// Any sequence of pushes and takes gives what a plain list (first match taken) gives.
        #[test]
        fn agrees_with_a_list(steps in proptest::collection::vec((proptest::bool::ANY, 0u64..8), 0..60)) {
            let mut slots = Slots::default();
            let mut list: Vec<(u64, usize)> = Vec::new();
            for (n, (push, id)) in steps.into_iter().enumerate() {
                if push {
                    slots.push(id, n);
                    list.push((id, n));
                } else {
                    // The list's oldest entry under `id` is the slots' first under it.
                    let expected = list.iter().position(|(listed, _)| *listed == id).map(|i| list.remove(i).1);
                    proptest::prop_assert_eq!(slots.take(id), expected);
                }
                proptest::prop_assert_eq!(slots.len(), list.len());
            }
        }
    }

    #[test]
    fn holes_never_outnumber_the_entries() {
        let mut slots = Slots::default();
        // One entry that is never taken, then many taken in order and out of order.
        slots.push(0, ());
        for id in 1..1000 {
            slots.push(id, ());
            if id % 3 == 0 {
                assert!(slots.take(id - 1).is_some());
                assert!(slots.take(id).is_some());
            }
        }
        assert!(slots.slots.len() - slots.front <= 2 * slots.len() + 1, "{} slots for {} entries", slots.slots.len(), slots.len());
        assert!(slots.take(0).is_some(), "the oldest entry is still found");
    }
}
