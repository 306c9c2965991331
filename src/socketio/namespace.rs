//! One namespace's socket state: connection status, acknowledgement bookkeeping and the buffers that
//! hold traffic while it is not connected.

use std::collections::VecDeque;

use crate::host::Host;

/// An encoded packet waiting to be sent: header, JSON payload and binary attachments.
pub struct Outgoing<H: Host> {
    /// The Socket.IO header (type, attachments, namespace, ack id).
    pub head: String,
    /// The JSON payload.
    pub body: Option<H::Text>,
    /// Binary frames that follow the header packet.
    pub attachments: Vec<H::Binary>,
    /// The ack id, when an ack callback waits for it.
    pub id: Option<u64>,
}

/// An event received before the namespace was connected, replayed on connect.
pub struct Received<H: Host> {
    /// `[name, ...args]`.
    pub args: H::Value,
    /// The ack id the server asked for.
    pub ack_id: Option<u64>,
}

/// The state of one namespace of a Manager.
pub struct Namespace<H: Host> {
    /// The namespace name, e.g. `/` or `/admin`.
    pub name: String,
    /// Whether the user wants it connected (socket.io-client's `active`).
    pub active: bool,
    /// Whether the server accepted the CONNECT.
    pub connected: bool,
    /// The socket id the server gave.
    pub sid: Option<String>,
    next_ack_id: u64,
    acks: Vec<(u64, H::Ack)>,
    owed_acks: Vec<u64>,
    /// Events received while not connected.
    pub receive_buffer: VecDeque<Received<H>>,
    /// Packets emitted while not connected.
    pub send_buffer: VecDeque<Outgoing<H>>,
}

impl<H: Host> Namespace<H> {
    /// A namespace that is neither active nor connected.
    pub fn new(name: String) -> Self {
        Self {
            name,
            active: false,
            connected: false,
            sid: None,
            next_ack_id: 0,
            acks: Vec::new(),
            owed_acks: Vec::new(),
            receive_buffer: VecDeque::new(),
            send_buffer: VecDeque::new(),
        }
    }

    /// Registers `ack` under a fresh id (ids count from 0 per socket).
    pub fn register_ack(&mut self, ack: H::Ack) -> u64 {
        let id = self.next_ack_id;
        self.next_ack_id += 1;
        self.acks.push((id, ack));
        id
    }

    /// Takes the callback waiting for ack `id`; `None` for unknown ids (they are ignored).
    pub fn take_ack(&mut self, id: u64) -> Option<H::Ack> {
        let index = self.acks.iter().position(|(pending, _)| *pending == id)?;
        Some(self.acks.remove(index).1)
    }

    /// Notes that the server asked for an ack with `id`.
    pub fn owe_ack(&mut self, id: u64) {
        self.owed_acks.push(id);
    }

    /// Whether an ack `id` is still owed; it is owed no more afterwards (an ack is sent at most once).
    pub fn settle_ack(&mut self, id: u64) -> bool {
        match self.owed_acks.iter().position(|owed| *owed == id) {
            Some(index) => {
                self.owed_acks.swap_remove(index);
                true
            }
            None => false,
        }
    }

    /// Marks the namespace disconnected; callbacks of packets already sent will never be answered and are
    /// dropped (those of still-buffered packets stay, as their packets are sent on reconnect).
    pub fn mark_disconnected(&mut self) {
        self.connected = false;
        self.sid = None;
        self.owed_acks.clear();
        let buffered: Vec<u64> = self.send_buffer.iter().filter_map(|packet| packet.id).collect();
        self.acks.retain(|(id, _)| buffered.contains(id));
    }

    /// How many ack callbacks are waiting.
    pub fn pending_acks(&self) -> usize {
        self.acks.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testhost::TestHost;

    #[test]
    fn ack_ids_count_from_zero_and_unknown_ids_are_ignored() {
        let mut ns = Namespace::<TestHost>::new("/".to_string());
        assert_eq!(ns.register_ack(10), 0);
        assert_eq!(ns.register_ack(11), 1);
        assert_eq!(ns.take_ack(5), None);
        assert_eq!(ns.take_ack(1), Some(11));
        assert_eq!(ns.take_ack(1), None, "an ack is delivered once");
        assert_eq!(ns.take_ack(0), Some(10));
    }

    #[test]
    fn owed_acks_are_settled_once() {
        let mut ns = Namespace::<TestHost>::new("/".to_string());
        ns.owe_ack(3);
        assert!(ns.settle_ack(3));
        assert!(!ns.settle_ack(3));
        assert!(!ns.settle_ack(4));
    }

    #[test]
    fn disconnect_keeps_only_acks_of_buffered_packets() {
        let mut ns = Namespace::<TestHost>::new("/".to_string());
        let sent = ns.register_ack(1);
        let buffered = ns.register_ack(2);
        ns.send_buffer.push_back(Outgoing { head: "2".to_string(), body: None, attachments: vec![], id: Some(buffered) });
        ns.connected = true;
        ns.mark_disconnected();
        assert!(!ns.connected);
        assert_eq!(ns.take_ack(sent), None);
        assert_eq!(ns.take_ack(buffered), Some(2));
    }
}
