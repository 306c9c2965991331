//! One namespace's socket: its connection status, the emit path (flags, acknowledgements and their
//! deadlines, the retry queue, volatile drops), the buffers that hold traffic while it is not connected, and
//! connection state recovery. It acts on its Manager through a [`Link`].

use crate::prelude::*;

use super::acks::{AckError, AckOutcome, AckTable, PendingAck, Waiter};
use super::emit::{Callback, Flag, Flags, Message, SocketOptions};
use super::link::{Link, Outgoing};
use super::manager::Event;
use super::recovery::Recovery;
use super::retry::{RetryQueue, Verdict};
use crate::fifo::release_if_empty;
use crate::host::{Host, JsonKind};
use crate::reason::{Cause, DisconnectReason};
use crate::slots::Slots;
use crate::Millis;

/// An event received before the namespace was connected, replayed on connect.
pub struct Received<H: Host> {
    /// `[name, ...args]`.
    pub args: H::Value,
    /// The name, when it is a string (a numeric name is only in `args`).
    pub name: Option<String>,
    /// The ack id the server asked for.
    pub ack_id: Option<u64>,
}

/// How an acknowledgement wait ended.
enum Settlement<H: Host> {
    /// The server answered with these arguments (an array).
    Reply(H::Value),
    /// No answer will come.
    Failed(AckError),
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
    /// The socket options (`ackTimeout`, `retries`).
    pub options: SocketOptions,
    flags: Flags,
    acks: AckTable<H::Ack>,
    owed_acks: Slots<()>,
    queue: RetryQueue<H>,
    recovery: Recovery<H>,
    /// Events received while not connected.
    pub receive_buffer: Vec<Received<H>>,
    /// Packets emitted while not connected.
    pub send_buffer: Vec<Outgoing<H>>,
}

impl<H: Host> Namespace<H> {
    /// A namespace that is neither active nor connected.
    pub fn new(name: String) -> Self {
        Self {
            name,
            active: false,
            connected: false,
            sid: None,
            options: SocketOptions::default(),
            flags: Flags::default(),
            acks: AckTable::default(),
            owed_acks: Slots::default(),
            queue: RetryQueue::default(),
            recovery: Recovery::default(),
            receive_buffer: Vec::new(),
            send_buffer: Vec::new(),
        }
    }

    /// Gives back the memory of its empty tables and buffers.
    pub fn release_empty(&mut self) {
        self.acks.release_if_empty();
        self.owed_acks.release_if_empty();
        self.queue.release_if_empty();
        release_if_empty(&mut self.receive_buffer);
        release_if_empty(&mut self.send_buffer);
    }

    // ----- getters -----

    /// The recovery state (pid and offset for the next CONNECT, `recovered`).
    pub fn recovery(&self) -> &Recovery<H> {
        &self.recovery
    }

    /// How many acknowledgements are waited for.
    pub fn pending_acks(&self) -> usize {
        self.acks.len()
    }

    /// How many emits wait in the retry queue.
    pub fn queued(&self) -> usize {
        self.queue.len()
    }

    /// The flags the next emit will use.
    pub fn flags(&self) -> &Flags {
        &self.flags
    }

    /// The earliest acknowledgement deadline.
    pub fn next_deadline(&self) -> Option<Millis> {
        self.acks.next_deadline()
    }

    // ----- commands -----

    /// Sets a flag for the next emit.
    pub fn set_flag(&mut self, flag: Flag) {
        self.flags.set(flag);
    }

    /// Emits an event (`socket.emit`). With `retries`, a non-volatile emit goes to the retry queue (taking a
    /// copy of the flags, which stay set unless the queue sends something at once, as in socket.io-client);
    /// otherwise it is sent now when connected, buffered until the namespace connects, or dropped when
    /// volatile and the transport is not writable.
    pub fn emit(&mut self, link: &mut Link<H>, message: Message<H>, callback: Option<Callback<H::Ack>>) {
        if self.options.uses_queue() && !self.flags.volatile {
            self.queue.push(message, self.flags.clone(), callback.map(|callback| callback.function));
            self.drain(link, false);
        } else {
            let waiter = callback.map(|callback| (Waiter::Callback(callback.function), callback.error_first));
            self.emit_packet(link, message, waiter);
        }
    }

    /// Keeps only the buffered packets at the positions in `keep` (`socket.sendBuffer = [...]`: `[]` drops
    /// them all, a filtered copy some). The callbacks of dropped packets keep waiting, as in socket.io-client.
    pub fn retain_send_buffer(&mut self, keep: &[usize]) {
        let mut position = 0;
        self.send_buffer.retain(|_| {
            position += 1;
            keep.contains(&(position - 1))
        });
    }

    /// Answers the server's ack request `id` (at most once per id; later calls are ignored).
    pub fn answer(&mut self, link: &mut Link<H>, id: u64, message: Message<H>) {
        if self.owed_acks.take(id).is_none() {
            return;
        }
        link.send(&self.name, Outgoing::ack(id, message));
    }

    // ----- inputs -----

    /// The server accepted the CONNECT with socket id `sid` (and `pid` when it has recovery on): events
    /// received meanwhile are delivered, buffered packets sent, the retry queue drained, then `connect` fires.
    pub fn on_connect(&mut self, link: &mut Link<H>, sid: String, pid: Option<String>) {
        self.connected = true;
        self.sid = Some(sid);
        self.recovery.on_connect(pid);
        for received in core::mem::take(&mut self.receive_buffer) {
            self.deliver(link, received);
        }
        for packet in core::mem::take(&mut self.send_buffer) {
            link.send(&self.name, packet);
        }
        self.drain(link, true);
        link.event(Event::Connect(link.ns()));
    }

    /// A server event `[name, ...args]`, delivered now when connected, else buffered until connected.
    pub fn on_event(&mut self, link: &mut Link<H>, received: Received<H>) {
        if let Some(id) = received.ack_id {
            self.owed_acks.push(id, ());
        }
        if self.connected {
            self.deliver(link, received);
        } else {
            self.receive_buffer.push(received);
        }
    }

    /// The server answered ack `id` with `args` (an array); unknown ids are ignored.
    pub fn on_ack(&mut self, link: &mut Link<H>, id: u64, args: H::Value) {
        if let Some(ack) = self.acks.take(id) {
            self.settle(link, ack, Settlement::Reply(args));
        }
    }

    /// The namespace lost its connection: `disconnect(reason, cause)` fires, then every error-first callback
    /// whose packet was sent (so cannot be answered any more) gets "socket has been disconnected"; plain ones
    /// are dropped. Callbacks of still-buffered packets keep waiting: their packets go out on reconnect.
    pub fn on_close(&mut self, link: &mut Link<H>, reason: DisconnectReason, cause: Cause) {
        self.mark_disconnected();
        link.event(Event::Disconnect(link.ns(), reason, cause));
        let buffered: Vec<u64> = self.send_buffer.iter().filter_map(|packet| packet.id).collect();
        for ack in self.acks.take_unless(|id| buffered.contains(&id)) {
            if ack.error_first {
                self.settle(link, ack, Settlement::Failed(AckError::Disconnected));
            }
        }
    }

    /// Marks the namespace disconnected without telling anyone (acks owed to the server cannot be sent any
    /// more).
    pub fn mark_disconnected(&mut self) {
        self.connected = false;
        self.sid = None;
        self.owed_acks = Slots::default();
    }

    /// Fires the acknowledgement deadlines at or before `until`, in timer order: the callback gets "operation
    /// has timed out", and a packet still buffered is removed (it is never sent).
    pub fn fire_deadlines(&mut self, link: &mut Link<H>, until: Millis) {
        for ack in self.acks.take_expired(until) {
            self.send_buffer.retain(|packet| packet.id != Some(ack.id));
            self.settle(link, ack, Settlement::Failed(AckError::Timeout));
        }
    }

    // ----- internals -----

    /// socket.io-client's emit path proper: registers the acknowledgement of `waiter` (given with whether it
    /// is error-first even without a timeout), with its deadline from `timeout()` or `ackTimeout`, then drops,
    /// sends or buffers the packet. Consumes the flags.
    fn emit_packet(&mut self, link: &mut Link<H>, message: Message<H>, waiter: Option<(Waiter<H::Ack>, bool)>) {
        let flags = core::mem::take(&mut self.flags);
        let id = waiter.map(|(waiter, error_first)| {
            let timeout = flags.timeout.or(self.options.ack_timeout);
            // A 0 ms timeout fires on the next wake-up, not within this one: time always moves forward
            // between attempts (a `retries` queue with `ackTimeout: 0` cannot spin).
            let deadline = timeout.map(|timeout| link.now().saturating_add(timeout.max(1)));
            self.acks.register(waiter, error_first || timeout.is_some(), deadline)
        });
        let packet = Outgoing::event(message, id, flags.compress);
        // Evaluated first, as socket.io-client does: an expired ping deadline closes even for a dropped packet.
        let connected = self.connected && !link.ping_expired();
        if flags.volatile && !link.writable() {
            return;
        }
        if connected {
            link.send(&self.name, packet);
        } else {
            self.send_buffer.push(packet);
        }
    }

    /// Sends the retry queue's next attempt when connected (`force`: even if one is in flight).
    fn drain(&mut self, link: &mut Link<H>, force: bool) {
        if !self.connected {
            return;
        }
        if let Some(attempt) = self.queue.next_attempt(force) {
            self.flags = attempt.flags;
            self.emit_packet(link, attempt.message, Some((Waiter::Retry(attempt.seq), false)));
        }
    }

    fn deliver(&mut self, link: &mut Link<H>, received: Received<H>) {
        self.recovery.on_event(&received.args, received.ack_id);
        link.event(Event::Message { ns: link.ns(), args: received.args, name: received.name, ack_id: received.ack_id });
    }

    /// Tells the waiter of `ack` how the wait ended. An attempt of the retry queue decides whether its entry
    /// is done (its callback is then called) or tried again, and the queue moves on.
    fn settle(&mut self, link: &mut Link<H>, ack: PendingAck<H::Ack>, settlement: Settlement<H>) {
        let outcome = match settlement {
            Settlement::Reply(args) if ack.error_first => AckOutcome::ErrorFirstReply(args),
            Settlement::Reply(args) => match ack.waiter {
                // socket.io-client's queue callback is `(err, ...args)`: registered without a timeout, it takes
                // the server's first argument as the error, so only a `null` one is a success.
                Waiter::Retry(_) => match H::element(&args, 0) {
                    Some(first) if H::kind(&first) == JsonKind::Null => AckOutcome::Reply(args),
                    first => AckOutcome::Rejected(first),
                },
                Waiter::Callback(_) => AckOutcome::Reply(args),
            },
            Settlement::Failed(error) => AckOutcome::Failed(error),
        };
        match ack.waiter {
            Waiter::Callback(function) => link.event(Event::Ack { ns: link.ns(), ack: function, outcome }),
            Waiter::Retry(seq) => {
                let verdict = self.queue.settle(seq, outcome.is_success(), self.options.retries);
                if let Some(Verdict::Done(Some(function))) = verdict {
                    link.event(Event::Ack { ns: link.ns(), ack: function, outcome });
                }
                self.drain(link, false);
            }
        }
    }
}
