//! The Manager core: one Engine.IO connection, the namespaces multiplexed over it, packet routing,
//! binary reassembly and reconnection with backoff. No I/O: the shell feeds inputs and drains outputs.

use crate::prelude::*;

use crate::fifo::Fifo;

use super::acks::AckOutcome;
use super::backoff::Backoff;
use super::emit::{Callback, Flag, Message, SocketOptions};
use super::link::Link;
use super::namespace::{Namespace, Received};
use super::outbox::{Chunk, Outbox, Structured};
use super::packet::{check_payload, decode_header, DecodeError, Header, PacketKind};
use crate::engineio::connection::{Engine, EngineConfig, EngineEvent, Input, Io, TransportId};
use crate::engineio::handshake::Handshake;
use crate::engineio::packet::Frame;
use crate::engineio::url::TransportKind;
use crate::host::{Host, JsonKind, Text};
use crate::reason::{Cause, DisconnectReason, TransportFailure};
use crate::rng::Rng;
use crate::uri::Query;
use crate::Millis;

/// Index of a namespace within its Manager.
pub type NsId = usize;

/// Manager options (socket.io-client's names and defaults); how the Engine.IO session connects is the
/// Manager's [`EngineConfig`], which its Engine keeps.
#[derive(Debug, Clone)]
pub struct ManagerOptions {
    /// `reconnection` (true).
    pub reconnection: bool,
    /// `reconnectionAttempts` (Infinity).
    pub reconnection_attempts: f64,
    /// `reconnectionDelay` (1000 ms).
    pub reconnection_delay: f64,
    /// `reconnectionDelayMax` (5000 ms).
    pub reconnection_delay_max: f64,
    /// `randomizationFactor` (0.5).
    pub randomization_factor: f64,
    /// `timeout`: connect timeout in ms (20000), `None` for `false`.
    pub timeout: Option<u64>,
    /// `parser` given: a custom parser in the shell encodes and decodes packets (see [`Outbox`]).
    pub custom_parser: bool,
}

impl Default for ManagerOptions {
    /// socket.io-client's defaults.
    fn default() -> Self {
        Self {
            reconnection: true,
            reconnection_attempts: f64::INFINITY,
            reconnection_delay: 1000.0,
            reconnection_delay_max: 5000.0,
            randomization_factor: 0.5,
            timeout: Some(20_000),
            custom_parser: false,
        }
    }
}

/// Why a connection attempt failed.
pub enum ConnectFailure<H: Host> {
    /// The transport failed or closed before the handshake ("websocket error", "xhr poll error", …).
    Transport(TransportFailure),
    /// No handshake within `timeout` ("timeout").
    Timeout,
    /// The namespace refused: the CONNECT_ERROR payload (`{message, data}` or a string).
    Refused(H::Value),
    /// The CONNECT reply had no sid: a Socket.IO v2 server.
    IncompatibleServer,
}

impl<H: Host> Clone for ConnectFailure<H> {
    fn clone(&self) -> Self {
        match self {
            Self::Transport(failure) => Self::Transport(*failure),
            Self::Timeout => Self::Timeout,
            Self::Refused(value) => Self::Refused(value.clone()),
            Self::IncompatibleServer => Self::IncompatibleServer,
        }
    }
}

/// What the Manager reports, in order, for the API layer to dispatch.
pub enum Event<H: Host> {
    /// A new Engine.IO session is being opened (socket.io-client makes a new `manager.engine` for each).
    SessionStarted,
    /// Manager `open`: the Engine.IO handshake completed.
    Open,
    /// Manager `close(reason, description)`.
    Close(DisconnectReason, Cause),
    /// Manager `ping`.
    Ping,
    /// Manager `packet`: a decoded Socket.IO packet (binary ones as EVENT/ACK), once observed.
    Packet {
        /// The type digit (0-4).
        kind: u8,
        /// The namespace.
        nsp: String,
        /// The payload (attachments in place).
        data: Option<H::Value>,
        /// The ack id.
        id: Option<u64>,
    },
    /// Engine `packet` (received) or `packetCreate` (written), once observed.
    EnginePacket {
        /// Written rather than received.
        created: bool,
        /// The packet type's name.
        kind: &'static str,
        /// Its data, if any.
        data: Option<Frame<H::Text, H::Binary>>,
    },
    /// Engine `upgrading`: the WebSocket probe answered.
    Upgrading,
    /// Engine `upgrade`: the session moved to WebSocket.
    Upgrade,
    /// Engine `upgradeError`: the probe failed, the session stays on polling.
    UpgradeError,
    /// Manager `error`: a connection attempt failed.
    Error(ConnectFailure<H>),
    /// Manager `reconnect_attempt(n)`. Its listeners may change the query or stop reconnecting: once they
    /// have run, the shell calls [`Manager::reopen`], which opens the attempt's session.
    ReconnectAttempt(u32),
    /// Manager `reconnect(n)`.
    Reconnect(u32),
    /// Manager `reconnect_error(err)`.
    ReconnectError(ConnectFailure<H>),
    /// Manager `reconnect_failed`.
    ReconnectFailed,
    /// The outcome of `manager.open(callback)`: call it with nothing (opened) or the error.
    OpenCallback(Option<ConnectFailure<H>>),
    /// The namespace must send its CONNECT: the shell resolves `auth` and calls [`Manager::send_connect`].
    NeedsConnect(NsId),
    /// Socket `connect`.
    Connect(NsId),
    /// Socket `connect_error(err)`.
    ConnectError(NsId, ConnectFailure<H>),
    /// Socket `disconnect(reason, description)`.
    Disconnect(NsId, DisconnectReason, Cause),
    /// A server event `[name, ...args]`; `ack_id` when the server wants an answer.
    Message {
        /// The namespace.
        ns: NsId,
        /// `[name, ...args]`.
        args: H::Value,
        /// The name, when it is a string (a numeric name is only in `args`).
        name: Option<String>,
        /// The id to answer with [`Manager::ack`].
        ack_id: Option<u64>,
    },
    /// An acknowledgement callback is due: call `ack` as `outcome` says.
    Ack {
        /// The namespace.
        ns: NsId,
        /// The user's callback.
        ack: H::Ack,
        /// Its arguments.
        outcome: AckOutcome<H>,
    },
    /// A message for the custom parser's `Decoder`: the shell hands it over, gives what it decodes to
    /// [`Manager::handle_decoded`] (or [`Manager::decode_failed`] when it throws), then calls
    /// [`Manager::resume_decoding`]. The connection's later input waits until then.
    Decode(Chunk<H>),
    /// An event packet was just sent: call the outgoing catch-all listeners with `args`.
    Sent {
        /// The namespace.
        ns: NsId,
        /// `[name, ...args]` as emitted.
        args: H::Value,
    },
}

/// A binary packet whose attachments are still arriving.
struct Reassembly<H: Host> {
    header: Header,
    payload: Option<H::Text>,
    attachments: Vec<H::Binary>,
}

/// The Manager state machine.
pub struct Manager<H: Host> {
    options: ManagerOptions,
    engine: Engine<H>,
    outbox: Outbox<H>,
    namespaces: Vec<Namespace<H>>,
    reassembly: Option<Reassembly<H>>,
    /// A message is with the custom parser's `Decoder` ([`Event::Decode`]).
    decoding: bool,
    events: Fifo<Event<H>>,
    backoff: Backoff,
    rng: Rng,
    reconnecting: bool,
    skip_reconnect: bool,
    /// The current attempt was started by `manager.open(callback)`.
    open_callback: bool,
    /// Whether decoded packets are reported as [`Event::Packet`].
    observe_packets: bool,
    reconnect_at: Option<Millis>,
    /// A reconnection attempt was announced ([`Event::ReconnectAttempt`]) and waits for [`Manager::reopen`].
    reopen_pending: bool,
    connect_deadline: Option<Millis>,
}

impl<H: Host> Manager<H> {
    /// A closed Manager whose sessions connect as `engine` says; `seed` drives the backoff jitter.
    pub fn new(engine: EngineConfig, options: ManagerOptions, seed: u64) -> Self {
        let backoff = Backoff {
            base: options.reconnection_delay,
            max: options.reconnection_delay_max,
            jitter: options.randomization_factor,
            attempts: 0,
        };
        Self {
            engine: Engine::new(engine, seed.rotate_left(32)),
            outbox: Outbox::new(options.custom_parser),
            options,
            namespaces: Vec::new(),
            reassembly: None,
            decoding: false,
            events: Fifo::default(),
            backoff,
            rng: Rng::new(seed),
            reconnecting: false,
            skip_reconnect: false,
            open_callback: false,
            observe_packets: false,
            reconnect_at: None,
            reopen_pending: false,
            connect_deadline: None,
        }
    }

    // ----- getters -----

    /// The namespace `ns`.
    pub fn namespace(&self, ns: NsId) -> Option<&Namespace<H>> {
        self.namespaces.get(ns)
    }

    /// The namespace called `name`, if this Manager has one.
    pub fn find_namespace(&self, name: &str) -> Option<NsId> {
        self.namespaces.iter().position(|ns| ns.name == name)
    }

    /// The Engine.IO session id, while open.
    pub fn engine_sid(&self) -> Option<&str> {
        self.engine.sid()
    }

    /// Whether the Engine.IO connection is open.
    pub fn is_open(&self) -> bool {
        self.engine.is_open()
    }

    /// The server's Engine.IO handshake, while the connection is open.
    pub fn handshake(&self) -> Option<&Handshake> {
        self.engine.handshake()
    }

    /// Whether the last upgrade succeeded (`rememberUpgrade` then starts on WebSocket).
    pub fn prior_websocket_success(&self) -> bool {
        self.engine.prior_websocket_success()
    }

    /// Gives back the memory of its empty queues, tables and buffers: an idle Manager keeps only what it
    /// holds (the shell calls this when it parks one).
    pub fn release_empty(&mut self) {
        self.engine.release_empty();
        self.outbox.release_if_empty();
        self.events.release_if_empty();
        self.namespaces.shrink_to_fit();
        self.namespaces.iter_mut().for_each(Namespace::release_empty);
    }

    /// Sets the page-wide memory of a successful upgrade for this Manager's next session.
    pub fn set_prior_websocket_success(&mut self, success: bool) {
        self.engine.set_prior_websocket_success(success);
    }

    /// `engine.readyState`.
    pub fn engine_ready_state(&self) -> &'static str {
        self.engine.ready_state()
    }

    /// The name of the transport in use (`engine.transport.name`).
    pub fn transport_name(&self) -> Option<&'static str> {
        self.engine.transport_kind().map(TransportKind::name)
    }

    /// Whether a packet written now goes out at once (what `volatile` emits require).
    pub fn transport_writable(&self) -> bool {
        self.engine.is_writable()
    }

    /// The options in force.
    pub fn options(&self) -> &ManagerOptions {
        &self.options
    }

    /// From now on, reports decoded Socket.IO packets as [`Event::Packet`] (someone listens to them).
    pub fn observe_packets(&mut self) {
        self.observe_packets = true;
    }

    /// From now on, reports the engine's packets as [`Event::EnginePacket`] (someone listens to them).
    pub fn observe_engine_packets(&mut self) {
        self.engine.observe_packets();
    }

    /// Changes options (the Manager's setter methods): later delays, attempts and timeouts follow them;
    /// turning `reconnection` off also cancels a reconnection not yet started.
    pub fn update_options(&mut self, change: impl FnOnce(&mut ManagerOptions)) {
        change(&mut self.options);
        self.backoff.base = self.options.reconnection_delay;
        self.backoff.max = self.options.reconnection_delay_max;
        self.backoff.jitter = self.options.randomization_factor;
        if !self.options.reconnection {
            self.skip_reconnect = true;
        }
    }

    /// Whether a reconnection is scheduled or in progress.
    pub fn is_reconnecting(&self) -> bool {
        self.reconnecting
    }

    // ----- commands -----

    /// Adds namespace `name` (or finds it) without connecting it.
    pub fn add_namespace(&mut self, name: &str) -> NsId {
        match self.find_namespace(name) {
            Some(ns) => ns,
            None => {
                self.namespaces.push(Namespace::new(name.to_string()));
                self.namespaces.len() - 1
            }
        }
    }

    /// Opens the Engine.IO connection if it is not opening or open (`manager.open()`); returns whether it
    /// started an attempt. The outcome of an attempt started by `manager.open(callback)` is reported as
    /// [`Event::OpenCallback`], and a failure then schedules no reconnection (the callback decides).
    pub fn open_with_callback(&mut self, now: Millis) -> bool {
        let started = !self.engine.is_active();
        self.open(now);
        self.open_callback |= started;
        started
    }

    /// Opens the Engine.IO connection if it is not opening or open (`manager.open()`).
    pub fn open(&mut self, now: Millis) {
        if self.engine.is_active() {
            return;
        }
        self.skip_reconnect = false;
        self.reassembly = None;
        self.engine.open();
        self.events.push_back(Event::SessionStarted);
        self.connect_deadline = self.options.timeout.map(|timeout| now.saturating_add(timeout));
    }

    /// Opens the session of the reconnection attempt announced by [`Event::ReconnectAttempt`], after its
    /// listeners ran, unless one of them stopped reconnecting (socket.io-client checks again there).
    pub fn reopen(&mut self, now: Millis) {
        if core::mem::take(&mut self.reopen_pending) && !self.skip_reconnect {
            self.open(now);
        }
    }

    /// Sets the user's query of the polling and WebSocket requests of the sessions opened from now on.
    pub fn set_query(&mut self, polling: Query, websocket: Query) {
        self.engine.set_query(polling, websocket);
    }

    /// Sets namespace `ns`'s socket options (`ackTimeout`, `retries`).
    pub fn set_socket_options(&mut self, ns: NsId, options: SocketOptions) {
        if let Some(namespace) = self.namespaces.get_mut(ns) {
            namespace.options = options;
        }
    }

    /// Sets a flag for namespace `ns`'s next emit (`timeout()`, `volatile`, `compress()`).
    pub fn set_flag(&mut self, ns: NsId, flag: Flag) {
        if let Some(namespace) = self.namespaces.get_mut(ns) {
            namespace.set_flag(flag);
        }
    }

    /// Keeps only namespace `ns`'s buffered packets at the positions in `keep` (`socket.sendBuffer = [...]`).
    pub fn retain_send_buffer(&mut self, ns: NsId, keep: &[usize]) {
        if let Some(namespace) = self.namespaces.get_mut(ns) {
            namespace.retain_send_buffer(keep);
        }
    }

    /// Drops the events namespace `ns` received before connecting (`socket.receiveBuffer = []`).
    pub fn clear_receive_buffer(&mut self, ns: NsId) {
        if let Some(namespace) = self.namespaces.get_mut(ns) {
            namespace.receive_buffer.clear();
        }
    }

    /// Connects namespace `ns` (`socket.connect()`): opens the Manager if needed, and asks for the
    /// namespace's CONNECT at once when the connection is already open.
    pub fn connect(&mut self, now: Millis, ns: NsId) {
        let Some(namespace) = self.namespaces.get_mut(ns) else {
            return;
        };
        if namespace.connected {
            return;
        }
        namespace.active = true;
        if !self.reconnecting {
            self.open(now);
        }
        if self.engine.is_open() {
            self.events.push_back(Event::NeedsConnect(ns));
        }
    }

    /// Sends namespace `ns`'s CONNECT with its `auth` payload (an object), after [`Event::NeedsConnect`].
    pub fn send_connect(&mut self, ns: NsId, auth: Option<Message<H>>) {
        let Some(namespace) = self.namespaces.get(ns) else {
            return;
        };
        if !namespace.active || namespace.connected || !self.engine.is_open() {
            return;
        }
        let (data, json) = auth.map_or((None, None), |auth| (Some(auth.args), auth.json));
        let packet = Structured { kind: PacketKind::Connect, nsp: namespace.name.clone(), id: None, data, compress: None };
        self.outbox.write(&mut self.engine, packet, json);
    }

    /// Emits an event on namespace `ns` (see [`Namespace::emit`]): sent now when connected, buffered until
    /// the namespace connects, queued with `retries`, dropped when volatile and the transport is not writable.
    /// An emit after the ping deadline (timers may have been throttled) is buffered and closes the connection
    /// with "ping timeout".
    pub fn emit(&mut self, now: Millis, ns: NsId, message: Message<H>, callback: Option<Callback<H::Ack>>) {
        self.with_namespace(now, ns, |namespace, link| namespace.emit(link, message, callback));
    }

    /// Answers the server's ack request `id` (at most once per id; later calls are ignored).
    pub fn ack(&mut self, now: Millis, ns: NsId, id: u64, message: Message<H>) {
        self.with_namespace(now, ns, |namespace, link| namespace.answer(link, id, message));
    }

    /// Disconnects namespace `ns` (`socket.disconnect()`): sends DISCONNECT when connected, fires
    /// `disconnect("io client disconnect")`, and closes the connection when no namespace is left active.
    pub fn disconnect(&mut self, now: Millis, ns: NsId) {
        let Some(namespace) = self.namespaces.get_mut(ns) else {
            return;
        };
        let was_connected = namespace.connected;
        namespace.active = false;
        if was_connected {
            let packet = Structured { kind: PacketKind::Disconnect, nsp: namespace.name.clone(), id: None, data: None, compress: None };
            self.outbox.write(&mut self.engine, packet, None);
        }
        self.close_if_idle(now);
        if was_connected {
            self.namespace_closed(now, ns, DisconnectReason::IoClientDisconnect, Cause::None);
        }
    }

    // ----- inputs -----

    /// Closes the session from the page (`socket.io.engine.close()`): "forced close" for the Manager and
    /// its sockets, followed by the usual reconnection.
    pub fn close_session(&mut self, now: Millis) {
        self.close_engine(now, DisconnectReason::ForcedClose, Cause::None);
    }

    /// The browser went offline: the connection closes with "transport close" (and reconnects).
    pub fn handle_offline(&mut self, now: Millis) {
        self.engine.handle_network_lost();
        self.pump(now);
    }

    /// The page is unloading (`closeOnBeforeunload`): the transports close silently, nothing follows.
    pub fn abandon(&mut self) {
        self.skip_reconnect = true;
        self.reconnect_at = None;
        self.connect_deadline = None;
        self.outbox.clear();
        self.engine.abandon();
    }

    /// Something happened to transport `id` (a frame, a response, a close).
    pub fn handle_input(&mut self, now: Millis, id: TransportId, input: Input<H::Text, H::Binary>) {
        self.engine.handle_input(now, id, input);
        self.pump(now);
    }

    /// The timer armed to [`Manager::poll_timeout`] fired (late firings are fine: deadlines are absolute).
    pub fn handle_timeout(&mut self, now: Millis) {
        // A late timer finds several deadlines due: acknowledgement deadlines that fell before the
        // connection's own fire first, as separate browser timers would have.
        if let Some(first) = self.connection_timeout().filter(|at| *at <= now) {
            self.fire_ack_deadlines(now, first.saturating_sub(1));
        }
        self.engine.handle_timeout(now);
        self.pump(now);
        if self.connect_deadline.is_some_and(|deadline| now >= deadline) {
            self.connect_deadline = None;
            if self.engine.is_active() && !self.engine.is_open() {
                self.outbox.close(&mut self.engine);
                self.open_failed(now, ConnectFailure::Timeout);
            }
        }
        if self.reconnect_at.is_some_and(|at| now >= at) {
            self.reconnect_at = None;
            if !self.skip_reconnect {
                self.events.push_back(Event::ReconnectAttempt(self.backoff.attempts));
                self.reopen_pending = true;
            }
        }
        self.fire_ack_deadlines(now, now);
    }

    // ----- outputs -----

    /// The next event for the API layer.
    pub fn poll_event(&mut self) -> Option<Event<H>> {
        self.events.pop_front()
    }

    /// The next event, left in the queue.
    pub fn peek_event(&self) -> Option<&Event<H>> {
        self.events.front()
    }

    /// The next packet for the custom parser's `Encoder`; what it makes of it goes to
    /// [`Manager::write_encoded`] before the next call.
    pub fn next_to_encode(&mut self) -> Option<Structured<H>> {
        self.outbox.next_to_encode(&mut self.engine)
    }

    /// Writes the Engine.IO messages the custom parser's `Encoder` made of the last packet.
    pub fn write_encoded(&mut self, chunks: impl IntoIterator<Item = Chunk<H>>) {
        Outbox::write_encoded(&mut self.engine, chunks);
    }

    /// A packet the custom parser's `Decoder` gave (see [`Event::Decode`]): checked and routed as the
    /// built-in decoder's are; one that breaks the protocol's rules closes with "parse error".
    pub fn handle_decoded(&mut self, now: Millis, packet: Structured<H>) {
        let Structured { kind, nsp, id, data, .. } = packet;
        if let Err(error) = self.on_decoded(now, Header { kind, attachments: 0, nsp, id }, data) {
            self.close_engine(now, DisconnectReason::ParseError, Cause::Decode(error));
        }
    }

    /// The custom parser's `Decoder` threw, or gave something that is not a packet: "parse error".
    pub fn decode_failed(&mut self, now: Millis) {
        self.close_engine(now, DisconnectReason::ParseError, Cause::Decode(DecodeError::Rejected));
    }

    /// The custom parser is done with the message of [`Event::Decode`]: the connection's input goes on.
    pub fn resume_decoding(&mut self, now: Millis) {
        self.decoding = false;
        self.pump(now);
    }

    /// Takes the events not yet polled out of the queue, so that those of a command given now (a
    /// `disconnect()` called by a listener) can be polled first: socket.io-client fires them before the
    /// call returns. [`Manager::restore_events`] puts them back.
    pub fn set_events_aside(&mut self) -> Fifo<Event<H>> {
        core::mem::take(&mut self.events)
    }

    /// Puts the events [`Manager::set_events_aside`] took back at the front of the queue, ahead of any
    /// queued since.
    pub fn restore_events(&mut self, aside: Fifo<Event<H>>) {
        let mut newer = core::mem::replace(&mut self.events, aside);
        self.events.extend(core::iter::from_fn(|| newer.pop_front()));
    }

    /// The next transport action.
    pub fn poll_io(&mut self) -> Option<Io<H::Text, H::Binary>> {
        self.engine.poll_io()
    }

    /// When the shell must call [`Manager::handle_timeout`] next.
    pub fn poll_timeout(&self) -> Option<Millis> {
        let acks = self.namespaces.iter().filter_map(Namespace::next_deadline).min();
        [self.connection_timeout(), acks].into_iter().flatten().min()
    }

    // ----- internals -----

    /// The next deadline of the connection itself (heartbeat, connect timeout, reconnection).
    fn connection_timeout(&self) -> Option<Millis> {
        [self.engine.poll_timeout(), self.connect_deadline, self.reconnect_at].into_iter().flatten().min()
    }

    /// Runs `f` on namespace `ns` (if it exists) with its [`Link`] to this Manager.
    fn with_namespace(&mut self, now: Millis, ns: NsId, f: impl FnOnce(&mut Namespace<H>, &mut Link<H>)) {
        let writable = self.transport_writable();
        let Some(namespace) = self.namespaces.get_mut(ns) else {
            return;
        };
        let mut link = Link::new(ns, now, writable, &mut self.engine, &mut self.outbox, &mut self.events);
        f(namespace, &mut link);
    }

    fn fire_ack_deadlines(&mut self, now: Millis, until: Millis) {
        for ns in 0..self.namespaces.len() {
            self.with_namespace(now, ns, |namespace, link| namespace.fire_deadlines(link, until));
        }
    }

    /// Handles what the engine reported.
    fn pump(&mut self, now: Millis) {
        while !self.decoding {
            let Some(event) = self.engine.poll_event() else {
                return;
            };
            self.on_engine_event(now, event);
        }
    }

    fn on_engine_event(&mut self, now: Millis, event: EngineEvent<H>) {
        match event {
            EngineEvent::Open(_) => self.on_open(),
            // The Socket.IO packet starts after the Engine.IO message's `4`.
            EngineEvent::Message(text) if self.outbox.is_custom() => self.decode(Chunk::Text(text.slice(1, usize::MAX))),
            EngineEvent::Binary(binary) if self.outbox.is_custom() => self.decode(Chunk::Binary(binary)),
            EngineEvent::Message(text) => {
                if let Err(error) = self.on_text_packet(now, &text) {
                    self.close_engine(now, DisconnectReason::ParseError, Cause::Decode(error));
                }
            }
            EngineEvent::Binary(binary) => {
                if let Err(error) = self.on_binary_attachment(now, binary) {
                    self.close_engine(now, DisconnectReason::ParseError, Cause::Decode(error));
                }
            }
            EngineEvent::Ping => self.events.push_back(Event::Ping),
            EngineEvent::Packet { created, kind, data } => self.events.push_back(Event::EnginePacket { created, kind, data }),
            EngineEvent::Upgrading => self.events.push_back(Event::Upgrading),
            EngineEvent::Upgrade => self.events.push_back(Event::Upgrade),
            EngineEvent::UpgradeError => self.events.push_back(Event::UpgradeError),
            EngineEvent::Close(reason, cause) => self.on_close(now, reason, cause),
            EngineEvent::OpenFailed(failure) => self.open_failed(now, ConnectFailure::Transport(failure)),
        }
    }

    /// Hands a message to the custom parser's `Decoder`, holding back the connection's later input.
    fn decode(&mut self, chunk: Chunk<H>) {
        self.decoding = true;
        self.events.push_back(Event::Decode(chunk));
    }

    fn on_open(&mut self) {
        self.connect_deadline = None;
        self.events.push_back(Event::Open);
        for (ns, namespace) in self.namespaces.iter().enumerate() {
            if namespace.active && !namespace.connected {
                self.events.push_back(Event::NeedsConnect(ns));
            }
        }
        if core::mem::take(&mut self.open_callback) {
            self.events.push_back(Event::OpenCallback(None));
        }
        if self.reconnecting {
            let attempts = self.backoff.attempts;
            self.reconnecting = false;
            self.backoff.reset();
            self.events.push_back(Event::Reconnect(attempts));
        }
    }

    /// Manager `error`, then `connect_error` for every socket that wants to connect and is not connected.
    fn report_error(&mut self, failure: &ConnectFailure<H>) {
        self.events.push_back(Event::Error(failure.clone()));
        for (ns, namespace) in self.namespaces.iter().enumerate() {
            if namespace.active && !namespace.connected {
                self.events.push_back(Event::ConnectError(ns, failure.clone()));
            }
        }
    }

    fn open_failed(&mut self, now: Millis, failure: ConnectFailure<H>) {
        self.connect_deadline = None;
        self.report_error(&failure);
        if core::mem::take(&mut self.open_callback) {
            self.events.push_back(Event::OpenCallback(Some(failure)));
        } else if self.reconnecting {
            self.reconnecting = false;
            self.reconnect(now);
            self.events.push_back(Event::ReconnectError(failure));
        } else if self.options.reconnection && self.backoff.attempts == 0 {
            self.reconnect(now);
        }
    }

    fn on_close(&mut self, now: Millis, reason: DisconnectReason, cause: Cause) {
        self.reassembly = None;
        self.backoff.reset();
        if let Cause::TransportFailed(failure) = cause {
            // The engine's `error` reaches the Manager (and the sockets not connected) before its `close`.
            self.report_error(&ConnectFailure::Transport(failure));
        }
        self.events.push_back(Event::Close(reason, cause));
        for ns in 0..self.namespaces.len() {
            if self.namespaces[ns].active {
                self.namespace_closed(now, ns, reason, cause);
            }
        }
        if self.options.reconnection && !self.skip_reconnect {
            self.reconnect(now);
        }
    }

    fn reconnect(&mut self, now: Millis) {
        if self.reconnecting || self.skip_reconnect {
            return;
        }
        if f64::from(self.backoff.attempts) >= self.options.reconnection_attempts {
            self.backoff.reset();
            self.events.push_back(Event::ReconnectFailed);
            return;
        }
        let delay = self.backoff.duration(&mut self.rng);
        self.reconnecting = true;
        self.reconnect_at = Some(now + delay);
    }

    fn close_engine(&mut self, now: Millis, reason: DisconnectReason, cause: Cause) {
        if self.outbox.close(&mut self.engine) {
            self.on_close(now, reason, cause);
        }
    }

    /// Closes the whole connection when no namespace is active any more (socket.io-client's `_destroy`).
    fn close_if_idle(&mut self, now: Millis) {
        if !self.namespaces.iter().any(|ns| ns.active) {
            self.close(now);
        }
    }

    /// Closes the connection for good (`manager._close()`): "forced close" for the Manager and its
    /// connected sockets, and no reconnection until the page opens it again.
    pub fn close(&mut self, now: Millis) {
        self.skip_reconnect = true;
        self.reopen_pending = false;
        self.reconnecting = false;
        self.open_callback = false;
        self.reconnect_at = None;
        self.connect_deadline = None;
        // Also when the connection was not open (socket.io-client's `onclose` always resets it): otherwise
        // the next first attempt, seeing attempts > 0, would never schedule a reconnection.
        self.backoff.reset();
        if self.outbox.close(&mut self.engine) {
            self.on_close(now, DisconnectReason::ForcedClose, Cause::None);
        }
    }

    fn namespace_closed(&mut self, now: Millis, ns: NsId, reason: DisconnectReason, cause: Cause) {
        self.with_namespace(now, ns, |namespace, link| namespace.on_close(link, reason, cause));
    }

    fn on_text_packet(&mut self, now: Millis, text: &H::Text) -> Result<(), DecodeError> {
        if self.reassembly.is_some() {
            return Err(DecodeError::UnexpectedText);
        }
        // The Engine.IO packet's text: the Socket.IO packet starts after its `4`.
        let (header, payload) = decode_header(text, 1)?;
        if header.kind.is_binary() {
            self.reassembly = Some(Reassembly { header, payload, attachments: Vec::new() });
            return Ok(());
        }
        self.on_packet(now, header, payload, &[])
    }

    fn on_binary_attachment(&mut self, now: Millis, binary: H::Binary) -> Result<(), DecodeError> {
        let reassembly = self.reassembly.as_mut().ok_or(DecodeError::UnexpectedBinary)?;
        reassembly.attachments.push(binary);
        if reassembly.attachments.len() < reassembly.header.attachments {
            return Ok(());
        }
        let Some(Reassembly { header, payload, attachments }) = self.reassembly.take() else {
            return Err(DecodeError::UnexpectedBinary);
        };
        self.on_packet(now, header, payload, &attachments)
    }

    fn on_packet(&mut self, now: Millis, header: Header, payload: Option<H::Text>, attachments: &[H::Binary]) -> Result<(), DecodeError> {
        let value = match &payload {
            Some(text) => Some(H::parse_json(text, attachments).ok_or(DecodeError::InvalidPayload)?),
            None => None,
        };
        self.on_decoded(now, header, value)
    }

    /// Checks a decoded packet against the protocol's rules, routes it, and reports it to `packet` listeners.
    fn on_decoded(&mut self, now: Millis, header: Header, value: Option<H::Value>) -> Result<(), DecodeError> {
        let name = check_payload::<H>(header.kind, value.as_ref())?;
        let observed = self.observe_packets.then(|| Event::Packet {
            kind: header.kind.decoded_digit(),
            nsp: header.nsp.clone(),
            data: value.clone(),
            id: header.id,
        });
        self.route_packet(now, header, value, name);
        // After the sockets' own handling, as the Manager's `packet` listeners added after its sockets run.
        self.events.extend(observed);
        Ok(())
    }

    /// Hands a decoded packet to its namespace (packets for namespaces not in use are dropped); `name` is an
    /// event's name when it is a string.
    fn route_packet(&mut self, now: Millis, header: Header, value: Option<H::Value>, name: Option<String>) {
        let Some(ns) = self.namespaces.iter().position(|ns| ns.active && ns.name == header.nsp) else {
            return;
        };
        match (header.kind, value) {
            (PacketKind::Connect, value) => self.on_connect(now, ns, value),
            (PacketKind::ConnectError, Some(value)) => {
                let namespace = &mut self.namespaces[ns];
                namespace.active = false;
                // A refusal of an already connected namespace (untrusted input) must not leave it `connected`
                // over a connection about to close: its emits would be written to no transport.
                if namespace.connected {
                    namespace.mark_disconnected();
                }
                self.close_if_idle(now);
                self.events.push_back(Event::ConnectError(ns, ConnectFailure::Refused(value)));
            }
            (PacketKind::Disconnect, _) => {
                self.namespaces[ns].active = false;
                self.close_if_idle(now);
                self.namespace_closed(now, ns, DisconnectReason::IoServerDisconnect, Cause::None);
            }
            (PacketKind::Event | PacketKind::BinaryEvent, Some(args)) => {
                self.with_namespace(now, ns, |namespace, link| namespace.on_event(link, Received { args, name, ack_id: header.id }));
            }
            (PacketKind::Ack | PacketKind::BinaryAck, Some(args)) => {
                if let Some(id) = header.id {
                    self.with_namespace(now, ns, |namespace, link| namespace.on_ack(link, id, args));
                }
            }
            _ => {}
        }
    }

    fn on_connect(&mut self, now: Millis, ns: NsId, reply: Option<H::Value>) {
        let member = |key: &str| {
            let value = reply.as_ref().and_then(|reply| H::member(reply, key)).filter(|value| H::kind(value) == JsonKind::String);
            value.and_then(|value| H::string(&value)).filter(|value| !value.is_empty())
        };
        let Some(sid) = member("sid") else {
            self.events.push_back(Event::ConnectError(ns, ConnectFailure::IncompatibleServer));
            return;
        };
        let pid = member("pid");
        self.with_namespace(now, ns, |namespace, link| namespace.on_connect(link, sid, pid));
    }
}
