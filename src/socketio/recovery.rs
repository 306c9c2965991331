//! Connection state recovery: the private session id (`pid`) the server gives in its CONNECT reply when it
//! has recovery on, the offset of the last event received, and whether the last connect recovered a session.

use crate::prelude::*;

use crate::host::{Host, JsonKind};

/// A socket's recovery state (socket.io-client's `_pid`, `_lastOffset` and `recovered`).
pub struct Recovery<H: Host> {
    pid: Option<String>,
    offset: Option<H::Value>,
    recovered: Option<bool>,
}

impl<H: Host> Default for Recovery<H> {
    fn default() -> Self {
        Self { pid: None, offset: None, recovered: Some(false) }
    }
}

impl<H: Host> Recovery<H> {
    /// The server accepted a CONNECT, with a `pid` when it has recovery on: the session was recovered when the
    /// pid is the one already known. Without a pid, `recovered` becomes `undefined`, as in socket.io-client.
    pub fn on_connect(&mut self, pid: Option<String>) {
        self.recovered = pid.as_ref().map(|pid| self.pid.as_ref() == Some(pid));
        self.pid = pid;
    }

    /// An event `[name, ...args]` is delivered to the listeners. Once a pid is known, the last argument of an
    /// event that asks for no ack becomes the offset when it is a string (the server appends one to each).
    pub fn on_event(&mut self, args: &H::Value, ack_id: Option<u64>) {
        if self.pid.is_none() || ack_id.is_some() {
            return;
        }
        let last = H::length(args).and_then(|length| length.checked_sub(1)).and_then(|index| H::element(args, index));
        if let Some(last) = last.filter(|last| H::kind(last) == JsonKind::String) {
            self.offset = Some(last);
        }
    }

    /// The pid to send back in the next CONNECT, if the server gave one.
    pub fn pid(&self) -> Option<&str> {
        self.pid.as_deref()
    }

    /// The offset to send with the pid (it is never reset, as in socket.io-client).
    pub fn offset(&self) -> Option<&H::Value> {
        self.offset.as_ref()
    }

    /// `socket.recovered`: `Some(false)` before the first connect, then whether the last connect recovered the
    /// session, or `None` (`undefined`) when the server gave no pid.
    pub fn recovered(&self) -> Option<bool> {
        self.recovered
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testhost::TestHost;
    use serde_json::json;

    #[test]
    fn recovered_is_false_then_undefined_without_a_pid() {
        let mut recovery = Recovery::<TestHost>::default();
        assert_eq!(recovery.recovered(), Some(false));
        recovery.on_connect(None);
        assert_eq!(recovery.recovered(), None);
        assert_eq!(recovery.pid(), None);
    }

    #[test]
    fn recovered_only_when_the_same_pid_comes_back() {
        let mut recovery = Recovery::<TestHost>::default();
        recovery.on_connect(Some("p1".to_string()));
        assert_eq!(recovery.recovered(), Some(false), "a first pid recovers nothing");
        recovery.on_connect(Some("p1".to_string()));
        assert_eq!(recovery.recovered(), Some(true));
        recovery.on_connect(Some("p2".to_string()));
        assert_eq!((recovery.recovered(), recovery.pid()), (Some(false), Some("p2")));
        recovery.on_connect(None);
        assert_eq!((recovery.recovered(), recovery.pid()), (None, None));
    }

    #[test]
    fn the_offset_is_the_last_string_argument_of_events_without_ack() {
        let mut recovery = Recovery::<TestHost>::default();
        recovery.on_event(&json!(["e", "before any pid"]), None);
        assert_eq!(recovery.offset(), None);
        recovery.on_connect(Some("p".to_string()));
        recovery.on_event(&json!(["e", 1, "o1"]), None);
        assert_eq!(recovery.offset(), Some(&json!("o1")));
        recovery.on_event(&json!(["e", "o2"]), Some(4));
        recovery.on_event(&json!(["e", 5]), None);
        recovery.on_event(&json!(["e", {"o": "3"}]), None);
        assert_eq!(recovery.offset(), Some(&json!("o1")), "acked and non-string last arguments are no offsets");
        recovery.on_event(&json!(["name only"]), None);
        assert_eq!(recovery.offset(), Some(&json!("name only")), "the event name itself counts, as in socket.io-client");
        recovery.on_connect(None);
        assert_eq!(recovery.offset(), Some(&json!("name only")), "kept across connections");
    }
}
