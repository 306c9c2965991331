//! A first-in, first-out queue on two `Vec`s. It does what the core's event and I/O queues need from
//! `VecDeque` (push at the back, take from the front) with amortized O(1) steps, in much less wasm: each
//! element type instantiates only `Vec`'s push, pop and reverse, where `VecDeque` brings its ring-buffer
//! growth and copies. Also: giving back the memory of empty containers, for Managers going idle.

use crate::prelude::*;

/// The queue: `back` takes new items in order; `front` holds the oldest ones, reversed, so that taking
/// the oldest is a `pop`. When `front` runs out, `back` becomes the new `front`.
pub struct Fifo<T> {
    back: Vec<T>,
    front: Vec<T>,
}

impl<T> Default for Fifo<T> {
    fn default() -> Self {
        Self { back: Vec::new(), front: Vec::new() }
    }
}

impl<T> Fifo<T> {
    /// Appends `item`.
    pub fn push_back(&mut self, item: T) {
        self.back.push(item);
    }

    /// Takes the oldest item.
    pub fn pop_front(&mut self) -> Option<T> {
        if self.front.is_empty() {
            core::mem::swap(&mut self.front, &mut self.back);
            self.front.reverse();
        }
        self.front.pop()
    }

    /// The oldest item.
    pub fn front(&self) -> Option<&T> {
        self.front.last().or_else(|| self.back.first())
    }

    /// The oldest item, to change.
    pub fn front_mut(&mut self) -> Option<&mut T> {
        if self.front.is_empty() {
            core::mem::swap(&mut self.front, &mut self.back);
            self.front.reverse();
        }
        self.front.last_mut()
    }

    /// How many items there are.
    pub fn len(&self) -> usize {
        self.front.len() + self.back.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.front.is_empty() && self.back.is_empty()
    }

    /// Gives back the queue's memory if it is empty.
    pub fn release_if_empty(&mut self) {
        release_if_empty(&mut self.front);
        release_if_empty(&mut self.back);
    }
}

/// Gives back the memory of `vec` if it is empty. (Only then: a buffer still filling keeps its amortized
/// growth, where shrinking it to its length after each push would copy it every time.)
pub fn release_if_empty<T>(vec: &mut Vec<T>) {
    if vec.is_empty() {
        *vec = Vec::new();
    }
}

impl<T> Extend<T> for Fifo<T> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, items: I) {
        self.back.extend(items);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_leave_in_the_order_they_came_even_when_pushes_and_pops_interleave() {
        let mut fifo = Fifo::default();
        fifo.push_back(1);
        fifo.push_back(2);
        assert_eq!(fifo.front(), Some(&1));
        assert_eq!(fifo.pop_front(), Some(1));
        fifo.push_back(3);
        fifo.extend([4, 5]);
        assert_eq!(fifo.front(), Some(&2));
        let mut out = vec![];
        while let Some(item) = fifo.pop_front() {
            out.push(item);
            if item == 3 {
                fifo.push_back(6);
            }
        }
        assert_eq!(out, [2, 3, 4, 5, 6]);
        assert_eq!(fifo.front(), None);
        assert_eq!(fifo.pop_front(), None);
    }

    #[test]
    fn the_oldest_item_can_be_changed_in_place() {
        let mut fifo = Fifo::default();
        assert_eq!(fifo.front_mut(), None);
        fifo.extend([1, 2]);
        *fifo.front_mut().unwrap() += 10;
        fifo.push_back(3);
        assert_eq!((fifo.len(), fifo.pop_front(), fifo.front()), (3, Some(11), Some(&2)));
        assert!(!fifo.is_empty());
    }

    #[test]
    fn only_empty_containers_give_back_their_memory() {
        let mut filling = Vec::with_capacity(8);
        filling.push(1);
        release_if_empty(&mut filling);
        assert_eq!(filling.capacity(), 8, "a buffer still filling keeps its growth");
        filling.clear();
        release_if_empty(&mut filling);
        assert_eq!(filling.capacity(), 0);
        let mut fifo = Fifo::default();
        fifo.push_back(1);
        fifo.pop_front();
        fifo.push_back(2);
        fifo.release_if_empty();
        assert_eq!(fifo.pop_front(), Some(2), "a queue with items keeps them");
        fifo.release_if_empty();
        assert_eq!((fifo.front.capacity(), fifo.back.capacity()), (0, 0));
    }
}
