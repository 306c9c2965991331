//! What a namespace may do to its Manager while it handles an input: write packets to the Engine.IO
//! connection and queue events for the API layer, knowing the facts of the moment its decisions depend on.

use crate::prelude::*;

use crate::fifo::Fifo;

use super::emit::Message;
use super::manager::{Event, NsId};
use super::packet::{encode_header, PacketKind};
use crate::engineio::connection::Engine;
use crate::host::Host;
use crate::Millis;

/// An encoded packet to send, or waiting in `sendBuffer` to be sent.
pub struct Outgoing<H: Host> {
    /// The Socket.IO header (type, attachments, namespace, ack id).
    pub head: String,
    /// The JSON payload.
    pub body: Option<H::Text>,
    /// Binary frames that follow the header packet.
    pub attachments: Vec<H::Binary>,
    /// The ack id, when an acknowledgement is waited for.
    pub id: Option<u64>,
    /// An event's `[name, ...args]`, for the outgoing catch-all listeners (`None` for an ack).
    pub args: Option<H::Value>,
    /// The `compress` flag of the emit.
    pub compress: bool,
}

impl<H: Host> Outgoing<H> {
    /// An EVENT (or BINARY_EVENT) packet of namespace `nsp`.
    pub fn event(nsp: &str, message: Message<H>, id: Option<u64>, compress: bool) -> Self {
        let Message { args, body, attachments } = message;
        let kind = if attachments.is_empty() { PacketKind::Event } else { PacketKind::BinaryEvent };
        let head = encode_header(kind, attachments.len(), nsp, id);
        Self { head, body: Some(body), attachments, id, args: Some(args), compress }
    }

    /// An ACK (or BINARY_ACK) answering the server's request `id`.
    pub fn ack(nsp: &str, id: u64, body: H::Text, attachments: Vec<H::Binary>) -> Self {
        let kind = if attachments.is_empty() { PacketKind::Ack } else { PacketKind::BinaryAck };
        let head = encode_header(kind, attachments.len(), nsp, Some(id));
        Self { head, body: Some(body), attachments, id: None, args: None, compress: true }
    }
}

/// A namespace's access to its Manager for the duration of one input.
pub struct Link<'a, H: Host> {
    ns: NsId,
    now: Millis,
    writable: bool,
    ping_expired: bool,
    engine: &'a mut Engine<H>,
    events: &'a mut Fifo<Event<H>>,
}

impl<'a, H: Host> Link<'a, H> {
    /// The link of namespace `ns` at `now`; `writable` says whether the transport takes a packet right now.
    pub fn new(ns: NsId, now: Millis, writable: bool, engine: &'a mut Engine<H>, events: &'a mut Fifo<Event<H>>) -> Self {
        let ping_expired = engine.ping_expired(now);
        Self { ns, now, writable, ping_expired, engine, events }
    }

    /// The namespace.
    pub fn ns(&self) -> NsId {
        self.ns
    }

    /// Now.
    pub fn now(&self) -> Millis {
        self.now
    }

    /// Whether the transport takes a packet right now (a volatile emit is dropped otherwise).
    pub fn writable(&self) -> bool {
        self.writable
    }

    /// Whether the ping deadline has passed (timers may have been throttled). The connection is then dead:
    /// its deadline, already due, closes it with "ping timeout" at the next wake-up (the shell wakes at once,
    /// on a microtask, as socket.io-client closes on its next tick).
    pub fn ping_expired(&self) -> bool {
        self.ping_expired
    }

    /// Writes `packet` (its header message, then its binary frames); an event also notifies the outgoing
    /// catch-all listeners.
    pub fn send(&mut self, packet: Outgoing<H>) {
        let Outgoing { head, body, attachments, args, .. } = packet;
        if let Some(args) = args {
            self.events.push_back(Event::Sent { ns: self.ns, args });
        }
        self.engine.send_message(&head, body);
        for attachment in attachments {
            self.engine.send_binary(attachment);
        }
    }

    /// Queues an event for the API layer.
    pub fn event(&mut self, event: Event<H>) {
        self.events.push_back(event);
    }
}
