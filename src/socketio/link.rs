//! What a namespace may do to its Manager while it handles an input: write packets to the Engine.IO
//! connection and queue events for the API layer, knowing the facts of the moment its decisions depend on.

use crate::prelude::*;

use crate::fifo::Fifo;

use super::emit::Message;
use super::manager::{Event, NsId};
use super::outbox::{Outbox, Structured};
use super::packet::PacketKind;
use crate::engineio::connection::Engine;
use crate::host::Host;
use crate::Millis;

/// An EVENT or ACK packet to send, or an event waiting in `sendBuffer` to be sent.
pub struct Outgoing<H: Host> {
    /// [`PacketKind::Event`] or [`PacketKind::Ack`] (the binary types are chosen as it is written).
    pub kind: PacketKind,
    /// The ack id: awaited for an event, answered for an ack.
    pub id: Option<u64>,
    /// The data: an event's `[name, ...args]`, an ack's arguments.
    pub message: Message<H>,
    /// The `compress` flag of the emit.
    pub compress: bool,
}

impl<H: Host> Outgoing<H> {
    /// An EVENT packet.
    pub fn event(message: Message<H>, id: Option<u64>, compress: bool) -> Self {
        Self { kind: PacketKind::Event, id, message, compress }
    }

    /// An ACK answering the server's request `id`.
    pub fn ack(id: u64, message: Message<H>) -> Self {
        Self { kind: PacketKind::Ack, id: Some(id), message, compress: true }
    }
}

/// A namespace's access to its Manager for the duration of one input.
pub struct Link<'a, H: Host> {
    ns: NsId,
    now: Millis,
    writable: bool,
    ping_expired: bool,
    engine: &'a mut Engine<H>,
    outbox: &'a mut Outbox<H>,
    events: &'a mut Fifo<Event<H>>,
}

impl<'a, H: Host> Link<'a, H> {
    /// The link of namespace `ns` at `now`; `writable` says whether the transport takes a packet right now.
    pub fn new(
        ns: NsId,
        now: Millis,
        writable: bool,
        engine: &'a mut Engine<H>,
        outbox: &'a mut Outbox<H>,
        events: &'a mut Fifo<Event<H>>,
    ) -> Self {
        let ping_expired = engine.ping_expired(now);
        Self { ns, now, writable, ping_expired, engine, outbox, events }
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

    /// Writes `packet` on namespace `nsp` (see [`Outbox::write`]); an event also notifies the outgoing
    /// catch-all listeners.
    pub fn send(&mut self, nsp: &str, packet: Outgoing<H>) {
        let Outgoing { kind, id, message: Message { args, json }, compress } = packet;
        let nsp = nsp.to_string();
        if kind != PacketKind::Event {
            let packet = Structured { kind, nsp, id, data: Some(args), compress: None };
            self.outbox.write(self.engine, packet, json);
            return;
        }
        // The built-in parser has its JSON: the arguments themselves only go to the listeners.
        let data = self.outbox.is_custom().then(|| args.clone());
        self.events.push_back(Event::Sent { ns: self.ns, args });
        self.outbox.write(self.engine, Structured { kind, nsp, id, data, compress: Some(compress) }, json);
    }

    /// Queues an event for the API layer.
    pub fn event(&mut self, event: Event<H>) {
        self.events.push_back(event);
    }
}
