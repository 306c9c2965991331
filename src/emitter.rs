//! The listener registry behind `on`/`once`/`off`/`onAny`, with socket.io-client's rules: listeners run
//! over a snapshot taken when the event fires, `off(event, fn)` removes the first match (a `once` listener
//! too), and catch-all listeners run before the named ones. [`CatchAll`] is also the list behind
//! `onAnyOutgoing`.

use crate::prelude::*;

use crate::fifo::release_if_empty;

/// One registered listener.
struct Entry<L> {
    event: String,
    callback: L,
    once: bool,
}

/// Listeners by event name, plus catch-all listeners. `L` is the callback handle (a JS function).
pub struct Emitter<L> {
    entries: Vec<Entry<L>>,
    /// The catch-all listeners (`onAny`).
    pub any: CatchAll<L>,
}

impl<L> Default for Emitter<L> {
    fn default() -> Self {
        Self { entries: Vec::new(), any: CatchAll::default() }
    }
}

/// Catch-all listeners, called with the event name first (`onAny`, `onAnyOutgoing`).
pub struct CatchAll<L> {
    listeners: Vec<L>,
}

impl<L> Default for CatchAll<L> {
    fn default() -> Self {
        Self { listeners: Vec::new() }
    }
}

impl<L> CatchAll<L> {
    /// Every listener, in order, for exchanging the handles themselves (see [`Emitter::callbacks_mut`]).
    pub fn callbacks_mut(&mut self) -> impl Iterator<Item = &mut L> {
        self.listeners.iter_mut()
    }

    /// Gives back the list's memory if it is empty.
    pub fn release_empty(&mut self) {
        release_if_empty(&mut self.listeners);
    }
}

impl<L> Emitter<L> {
    /// Every callback (catch-all ones first), always in the same order while the registry is unchanged:
    /// lets the shell move the handles out and put them back.
    pub fn callbacks_mut(&mut self) -> impl Iterator<Item = &mut L> {
        self.any.callbacks_mut().chain(self.entries.iter_mut().map(|entry| &mut entry.callback))
    }

    /// Gives back the memory of the lists that are empty (an idle Manager's sockets unsubscribed).
    pub fn release_empty(&mut self) {
        release_if_empty(&mut self.entries);
        self.any.release_empty();
    }
}

impl<L: Clone + PartialEq> CatchAll<L> {
    /// Adds `callback`, last (`onAny`) or first (`prependAny`).
    pub fn add(&mut self, callback: L, prepend: bool) {
        if prepend {
            self.listeners.insert(0, callback);
        } else {
            self.listeners.push(callback);
        }
    }

    /// Removes the first listener that is `callback`, or all of them when `None`.
    pub fn remove(&mut self, callback: Option<&L>) {
        match callback {
            Some(callback) => {
                if let Some(index) = self.listeners.iter().position(|c| c == callback) {
                    self.listeners.remove(index);
                }
            }
            None => self.listeners.clear(),
        }
    }

    /// The listeners, in order (also the snapshot to call them from).
    pub fn listeners(&self) -> Vec<L> {
        self.listeners.clone()
    }

    /// Whether there are none (the common case, checked before taking a snapshot).
    pub fn is_empty(&self) -> bool {
        self.listeners.is_empty()
    }
}

impl<L: Clone + PartialEq> Emitter<L> {
    /// Adds `callback` for `event`; `once` listeners are removed when they fire.
    pub fn on(&mut self, event: &str, callback: L, once: bool) {
        self.entries.push(Entry { event: event.to_string(), callback, once });
    }

    /// Removes the first listener of `event` that is `callback`.
    pub fn off(&mut self, event: &str, callback: &L) {
        if let Some(index) = self.entries.iter().position(|e| e.event == event && e.callback == *callback) {
            self.entries.remove(index);
        }
    }

    /// Removes every listener of `event`, or of all events when `None` (catch-all ones stay).
    pub fn off_all(&mut self, event: Option<&str>) {
        match event {
            Some(event) => self.remove(event, false),
            None => self.entries.clear(),
        }
    }

    /// The listeners of `event`, in order.
    pub fn listeners(&self, event: &str) -> Vec<L> {
        self.entries.iter().filter(|e| e.event == event).map(|e| e.callback.clone()).collect()
    }

    /// Whether `event` has a listener.
    pub fn has_listeners(&self, event: &str) -> bool {
        self.entries.iter().any(|e| e.event == event)
    }

    /// The listeners to call for `event` now (a snapshot); `once` listeners among them are removed.
    pub fn fire(&mut self, event: &str) -> Vec<L> {
        let snapshot = self.listeners(event);
        self.remove(event, true);
        snapshot
    }

    /// Removes the listeners of `event`: all of them, or only the `once` ones. (One `retain` for both
    /// callers: each closure would be a copy of it in the wasm.)
    fn remove(&mut self, event: &str, only_once: bool) {
        self.entries.retain(|e| e.event != event || (only_once && !e.once));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn callbacks_mut_reaches_every_callback_once() {
        let mut emitter = Emitter::default();
        emitter.on("a", 1, false);
        emitter.any.add(2, false);
        emitter.on("b", 3, true);
        for callback in emitter.callbacks_mut() {
            *callback *= 10;
        }
        assert_eq!(emitter.any.listeners(), vec![20]);
        assert_eq!((emitter.listeners("a"), emitter.listeners("b")), (vec![10], vec![30]));
    }

    #[test]
    fn once_fires_once_and_snapshot_is_stable() {
        let mut emitter = Emitter::default();
        emitter.on("a", 1, false);
        emitter.on("a", 2, true);
        emitter.on("b", 3, false);
        assert_eq!(emitter.fire("a"), vec![1, 2]);
        assert_eq!(emitter.fire("a"), vec![1]);
        assert_eq!(emitter.fire("b"), vec![3]);
        assert_eq!(emitter.fire("c"), Vec::<i32>::new());
    }

    #[test]
    fn off_removes_the_first_match_only() {
        let mut emitter = Emitter::default();
        emitter.on("a", 1, false);
        emitter.on("a", 1, true);
        emitter.on("a", 2, false);
        emitter.off("a", &1);
        assert_eq!(emitter.listeners("a"), vec![1, 2]);
        emitter.off("a", &1);
        assert_eq!(emitter.listeners("a"), vec![2]);
        emitter.off("a", &7);
        assert!(emitter.has_listeners("a"));
        emitter.off_all(Some("a"));
        assert!(!emitter.has_listeners("a"));
    }

    #[test]
    fn off_all_keeps_catch_all_listeners() {
        let mut emitter = Emitter::default();
        emitter.on("a", 1, false);
        emitter.any.add(5, false);
        emitter.any.add(4, true);
        emitter.any.add(6, false);
        emitter.off_all(None);
        assert!(!emitter.has_listeners("a"));
        assert_eq!(emitter.any.listeners(), vec![4, 5, 6]);
        emitter.any.remove(Some(&4));
        emitter.any.remove(Some(&7));
        assert_eq!(emitter.any.listeners(), vec![5, 6]);
        emitter.any.remove(None);
        assert!(emitter.any.listeners().is_empty());
    }
}
