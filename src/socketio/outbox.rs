//! Where a Socket.IO packet goes once the core has decided to send it: encoded by the built-in parser
//! straight into the Engine.IO connection, or, with a custom parser (the `parser` option), queued as a
//! structured packet (socket.io-parser's `{type, nsp, id, data}`) for the shell to hand to the parser's
//! `Encoder` and write back, in order, with [`Outbox::write_encoded`]. A close decided after such packets
//! waits for them, so that, say, a DISCONNECT still goes out before the transport closes.
//!
//! The incoming side of the seam is [`Structured`] too: a custom parser's `Decoder` gives the shell
//! packets, which the core checks and routes as it does its own decoder's.

use crate::prelude::*;

use super::emit::Json;
use super::packet::{encode_header, PacketKind};
use crate::engineio::connection::Engine;
use crate::fifo::Fifo;
use crate::host::Host;

/// A Socket.IO packet as socket.io-parser's `Encoder` takes it and its `Decoder` gives it.
pub struct Structured<H: Host> {
    /// The packet type.
    pub kind: PacketKind,
    /// The namespace.
    pub nsp: String,
    /// The ack id, if any.
    pub id: Option<u64>,
    /// The data, if any.
    pub data: Option<H::Value>,
    /// An event's `compress` flag (socket.io-client's `packet.options.compress`); `None` for other packets.
    pub compress: Option<bool>,
}

/// One Engine.IO message of a custom parser: text or binary.
pub enum Chunk<H: Host> {
    /// A text message (without its Engine.IO type digit).
    Text(H::Text),
    /// A binary message.
    Binary(H::Binary),
}

/// What waits in the outbox, in order.
enum Pending<H: Host> {
    /// A packet for the custom parser's `Encoder`.
    Packet(Structured<H>),
    /// Closing the Engine.IO session, after the packets before it.
    Close,
}

/// The packets on their way out of the core.
pub struct Outbox<H: Host> {
    custom: bool,
    pending: Fifo<Pending<H>>,
}

impl<H: Host> Outbox<H> {
    /// An empty outbox; `custom`: packets are encoded by a custom parser in the shell.
    pub fn new(custom: bool) -> Self {
        Self { custom, pending: Fifo::default() }
    }

    /// Whether a custom parser encodes and decodes packets.
    pub fn is_custom(&self) -> bool {
        self.custom
    }

    /// Gives back the memory of an empty queue.
    pub fn release_if_empty(&mut self) {
        self.pending.release_if_empty();
    }

    /// Sends `packet`: encoded here from `json`, the built-in parser's encoding of its data (a binary type
    /// is chosen when it carries attachments), or queued for the custom parser with its `data` (each is
    /// only read in its mode).
    pub fn write(&mut self, engine: &mut Engine<H>, packet: Structured<H>, json: Option<Json<H>>) {
        if self.custom {
            self.pending.push_back(Pending::Packet(packet));
            return;
        }
        let Structured { kind, nsp, id, .. } = packet;
        let Some(Json { text, attachments }) = json else {
            engine.send_message(&encode_header(kind, 0, &nsp, id), None);
            return;
        };
        let kind = match kind {
            PacketKind::Event if !attachments.is_empty() => PacketKind::BinaryEvent,
            PacketKind::Ack if !attachments.is_empty() => PacketKind::BinaryAck,
            kind => kind,
        };
        engine.send_message(&encode_header(kind, attachments.len(), &nsp, id), Some(text));
        for attachment in attachments {
            engine.send_binary(attachment);
        }
    }

    /// Closes the Engine.IO session once the packets waiting for the custom parser are written; returns
    /// whether it was open (as [`Engine::close`]).
    pub fn close(&mut self, engine: &mut Engine<H>) -> bool {
        if self.pending.is_empty() {
            return engine.close();
        }
        self.pending.push_back(Pending::Close);
        engine.is_open()
    }

    /// The next packet for the custom parser's `Encoder` (a close that was waiting for the packets before
    /// it happens on the way). Its messages go back through [`Outbox::write_encoded`] before the next call.
    pub fn next_to_encode(&mut self, engine: &mut Engine<H>) -> Option<Structured<H>> {
        loop {
            match self.pending.pop_front()? {
                Pending::Packet(packet) => return Some(packet),
                Pending::Close => {
                    engine.close();
                }
            }
        }
    }

    /// Writes what the custom parser's `Encoder` made of a packet: each chunk is one Engine.IO message.
    pub fn write_encoded(engine: &mut Engine<H>, chunks: impl IntoIterator<Item = Chunk<H>>) {
        for chunk in chunks {
            match chunk {
                Chunk::Text(text) => engine.send_message("", Some(text)),
                Chunk::Binary(binary) => engine.send_binary(binary),
            }
        }
    }

    /// Forgets what waits (the page unloads: nothing more is written).
    pub fn clear(&mut self) {
        self.pending = Fifo::default();
    }
}
