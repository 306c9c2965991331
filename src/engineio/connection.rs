//! The Engine.IO connection state machine: transport selection, handshake, heartbeat, write batching,
//! the polling -> WebSocket upgrade and close, with no I/O.
//!
//! The shell performs the [`Io`] actions it is handed (open a WebSocket, send frames, issue a long-polling
//! GET or POST, close a transport), reports what happens to them as [`Input`]s tagged with the transport
//! id, and wakes the machine at [`Engine::poll_timeout`]. Time is always passed in.

use crate::prelude::*;

use crate::fifo::{release_if_empty, Fifo};

use super::handshake::{parse_handshake, Handshake};
use super::packet::{decode_text, digit, type_name_of_head, Frame, Packet, TextFrame};
use super::payload::decode_payload;
use super::url::{TransportKind, TransportUrl};
use crate::host::{Host, Text};
use crate::reason::{Cause, DisconnectReason, TransportFailure};
use crate::rng::Rng;
use crate::Millis;

/// Identifies one transport instance, so reports about a replaced transport are ignored.
pub type TransportId = u32;

/// How the session may connect (socket.io-client's transport options).
#[derive(Debug, Clone)]
pub struct EngineConfig {
    /// `transports`, in order of preference.
    pub transports: Vec<TransportKind>,
    /// `upgrade`: probe WebSocket after a polling handshake.
    pub upgrade: bool,
    /// `rememberUpgrade`: start with WebSocket when the last upgrade succeeded.
    pub remember_upgrade: bool,
    /// `tryAllTransports`: on a failed first connection, try the next transport.
    pub try_all_transports: bool,
    /// Where polling requests go.
    pub polling: TransportUrl,
    /// Where WebSockets connect.
    pub websocket: TransportUrl,
}

/// What the shell must do.
#[derive(Debug, Clone, PartialEq)]
pub enum Io<T, B> {
    /// Open a WebSocket (`binaryType = "arraybuffer"`).
    OpenWebSocket {
        /// The new transport.
        id: TransportId,
        /// Its URL.
        url: String,
    },
    /// Send these frames on WebSocket `id`, then report [`Input::WsDrain`] on the next microtask.
    Send {
        /// The WebSocket.
        id: TransportId,
        /// One WebSocket message each.
        frames: Vec<Frame<T, B>>,
    },
    /// Issue a long-polling GET; report [`Input::Poll`].
    Poll {
        /// The polling transport.
        id: TransportId,
        /// The request URL.
        url: String,
    },
    /// POST these frames as one payload; report [`Input::Post`].
    Post {
        /// The polling transport.
        id: TransportId,
        /// The request URL.
        url: String,
        /// The packets, joined with `\x1e` by the payload encoder.
        frames: Vec<Frame<T, B>>,
    },
    /// Close transport `id`: close the WebSocket, or abort its pending GET (POSTs already sent complete on
    /// their own); report nothing more about it.
    Close {
        /// The transport.
        id: TransportId,
    },
}

/// What happened to a transport.
#[derive(Debug, Clone, PartialEq)]
pub enum Input<T, B> {
    /// The WebSocket opened.
    WsOpen,
    /// A WebSocket text frame.
    WsText(T),
    /// A WebSocket binary frame.
    WsBinary(B),
    /// The WebSocket closed.
    WsClose,
    /// The WebSocket failed.
    WsError,
    /// The frames of the last [`Io::Send`] were handed to the WebSocket.
    WsDrain,
    /// A GET answered with this body, or failed with this HTTP status (0: network error).
    Poll(Result<T, u16>),
    /// A POST answered, or failed with this HTTP status (0: network error).
    Post(Result<(), u16>),
}

/// What the connection reports to the layer above.
pub enum EngineEvent<H: Host> {
    /// The handshake completed.
    Open(Handshake),
    /// A text message (a Socket.IO packet): the Engine.IO packet's text, its `4` included (see
    /// [`Packet::Message`]).
    Message(H::Text),
    /// A binary message (a Socket.IO attachment).
    Binary(H::Binary),
    /// The server pinged (and was answered).
    Ping,
    /// The WebSocket probe answered; polling is being paused.
    Upgrading,
    /// The session moved to WebSocket.
    Upgrade,
    /// The WebSocket probe failed; the session stays on polling.
    UpgradeError,
    /// The connection could not be opened.
    OpenFailed(TransportFailure),
    /// The connection closed, for this reason and cause.
    Close(DisconnectReason, Cause),
    /// A packet was received (`created: false`, the engine's `packet` event) or written (`created: true`,
    /// `packetCreate`); reported only once [`Engine::observe_packets`] was called.
    Packet {
        /// Written rather than received.
        created: bool,
        /// The packet type's name ("message", "ping", …).
        kind: &'static str,
        /// Its data (a text frame with an empty head, or a binary), if any.
        data: Option<Frame<H::Text, H::Binary>>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Closed,
    Opening,
    Open,
}

/// The transport carrying the session.
#[derive(Debug, Clone, Copy)]
struct Active {
    id: TransportId,
    kind: TransportKind,
    /// Nothing is being written (no POST in flight, no WebSocket send awaiting its drain).
    writable: bool,
    /// A GET is in flight.
    polling: bool,
    /// Polling is being paused for an upgrade: no new GET.
    pausing: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ProbeStage {
    /// Waiting for the WebSocket to open.
    Connecting,
    /// `2probe` sent, waiting for `3probe`.
    AwaitingPong,
    /// `3probe` received, waiting for polling to pause.
    Pausing,
}

#[derive(Debug, Clone, Copy)]
struct Probe {
    id: TransportId,
    stage: ProbeStage,
}

/// A closed session's polling transport still writing its last packets (then `1`).
#[derive(Debug, Clone)]
struct Closing<T, B> {
    id: TransportId,
    url: String,
    writable: bool,
    /// What it still has to POST, ending with `1` (kept apart: a new session may start meanwhile).
    frames: Vec<Frame<T, B>>,
}

/// One Engine.IO session.
pub struct Engine<H: Host> {
    config: EngineConfig,
    state: State,
    transport: Option<Active>,
    probe: Option<Probe>,
    /// Closed sessions' polling transports still to POST their last packets (a new session may have been
    /// opened and closed meanwhile).
    closing: Vec<Closing<H::Text, H::Binary>>,
    /// Transports still to try for this connection (`tryAllTransports`).
    candidates: Vec<TransportKind>,
    prior_websocket_success: bool,
    /// Closed sessions' WebSockets waiting for their last frames to drain before they close.
    closing_websockets: Vec<TransportId>,
    /// The last transport used, still named after it failed (`engine.transport.name`).
    last_kind: Option<TransportKind>,
    handshake: Option<Handshake>,
    ping_deadline: Option<Millis>,
    write_buffer: Vec<Frame<H::Text, H::Binary>>,
    next_id: TransportId,
    rng: Rng,
    io: Fifo<Io<H::Text, H::Binary>>,
    events: Fifo<EngineEvent<H>>,
    /// Whether packets are reported as [`EngineEvent::Packet`] (someone listens to them).
    observe_packets: bool,
}

impl<H: Host> Engine<H> {
    /// A closed engine; `seed` drives the `t=` cache-busting tokens.
    pub fn new(config: EngineConfig, seed: u64) -> Self {
        Self {
            config,
            state: State::Closed,
            transport: None,
            probe: None,
            closing: Vec::new(),
            candidates: Vec::new(),
            prior_websocket_success: false,
            closing_websockets: Vec::new(),
            last_kind: None,
            handshake: None,
            ping_deadline: None,
            write_buffer: Vec::new(),
            next_id: 0,
            rng: Rng::new(seed),
            io: Fifo::default(),
            events: Fifo::default(),
            observe_packets: false,
        }
    }

    /// Gives back the memory of its empty queues and buffers (for a Manager going idle).
    pub fn release_empty(&mut self) {
        release_if_empty(&mut self.closing);
        release_if_empty(&mut self.candidates);
        release_if_empty(&mut self.closing_websockets);
        release_if_empty(&mut self.write_buffer);
        self.io.release_if_empty();
        self.events.release_if_empty();
    }

    /// From now on, reports every packet received or written as [`EngineEvent::Packet`].
    pub fn observe_packets(&mut self) {
        self.observe_packets = true;
    }

    // ----- getters -----

    /// Whether the handshake has completed and the session is not closed.
    pub fn is_open(&self) -> bool {
        self.state == State::Open
    }

    /// Whether a session is being opened or is open.
    pub fn is_active(&self) -> bool {
        self.state != State::Closed
    }

    /// `engine.readyState`: "opening", "open" or "closed".
    pub fn ready_state(&self) -> &'static str {
        match self.state {
            State::Closed if !self.closing_websockets.is_empty() || !self.closing.is_empty() => "closing",
            State::Closed => "closed",
            State::Opening => "opening",
            State::Open => "open",
        }
    }

    /// The server's handshake, while the session is open.
    pub fn handshake(&self) -> Option<&Handshake> {
        self.handshake.as_ref()
    }

    /// The session id, once the handshake has completed.
    pub fn sid(&self) -> Option<&str> {
        self.handshake.as_ref().map(|h| h.sid.as_str())
    }

    /// The transport in use (or being opened).
    pub fn transport_kind(&self) -> Option<TransportKind> {
        self.transport.map(|t| t.kind).or(self.last_kind)
    }

    /// Whether the last upgrade (or WebSocket session) succeeded: with `rememberUpgrade`, the next session
    /// starts on WebSocket. engine.io-client keeps this page-wide; the shell carries it across Managers.
    pub fn prior_websocket_success(&self) -> bool {
        self.prior_websocket_success
    }

    /// Sets what [`Engine::prior_websocket_success`] reports (from the page-wide value).
    pub fn set_prior_websocket_success(&mut self, success: bool) {
        self.prior_websocket_success = success;
    }

    /// Whether a packet written now would be sent at once (socket.io-client's `transport.writable`).
    pub fn is_writable(&self) -> bool {
        self.state == State::Open && self.transport.is_some_and(|t| t.writable)
    }

    /// Whether the ping deadline has passed (checked on every emit, since timers may have been throttled).
    pub fn ping_expired(&self, now: Millis) -> bool {
        self.ping_deadline.is_some_and(|deadline| now > deadline)
    }

    /// The next instant at which [`Engine::handle_timeout`] has work to do.
    pub fn poll_timeout(&self) -> Option<Millis> {
        if self.state == State::Open {
            self.ping_deadline
        } else {
            None
        }
    }

    // ----- commands -----

    /// Starts a session with the first configured transport (WebSocket first when `rememberUpgrade` and the
    /// last upgrade succeeded).
    pub fn open(&mut self) {
        if self.state != State::Closed {
            return;
        }
        self.candidates = self.config.transports.clone();
        self.state = State::Opening;
        self.open_first_candidate();
    }

    /// Queues a Socket.IO packet as an Engine.IO message (`4` + `head` + `body`).
    pub fn send_message(&mut self, head: &str, body: Option<H::Text>) {
        let mut full = String::with_capacity(1 + head.len());
        full.push_str(digit::MESSAGE);
        full.push_str(head);
        self.write(Frame::Text(TextFrame { head: full, body }));
    }

    /// Queues a binary message.
    pub fn send_binary(&mut self, binary: H::Binary) {
        self.write(Frame::Binary(binary));
    }

    /// Closes the session from this side: what is queued is still written, and a polling session tells the
    /// server with a `1` packet. Returns whether the session was open (nothing is reported).
    pub fn close(&mut self) -> bool {
        let was_open = self.is_open();
        if self.state != State::Closed {
            self.close_with(DisconnectReason::ForcedClose, Cause::None, true);
        }
        was_open
    }

    /// Drops the session without a word (the page is unloading), as engine.io-client closes its transport
    /// silently: what waits to be written is dropped, a WebSocket closes at once, an open polling transport
    /// still POSTs its close packet (so the server sees "transport close"); nothing is reported.
    pub fn abandon(&mut self) {
        self.write_buffer.clear();
        // Forced close: the reason that reports no event. Graceful only for polling (its close packet).
        let graceful = self.transport.is_some_and(|t| t.kind == TransportKind::Polling);
        self.close_with(DisconnectReason::ForcedClose, Cause::None, graceful);
    }

    // ----- inputs -----

    /// The network is gone (the browser's `offline` event): "transport close", as engine.io-client does.
    pub fn handle_network_lost(&mut self) {
        match self.state {
            State::Open => self.close_with(DisconnectReason::TransportClose, Cause::NetworkLost, false),
            State::Opening => self.fail_open(TransportFailure::WebSocket),
            State::Closed => {}
        }
    }

    /// Earlier sessions' WebSockets still draining their last frames before they close.
    #[cfg(test)]
    pub fn draining_websockets(&self) -> usize {
        self.closing_websockets.len()
    }

    /// Something happened to transport `id`.
    pub fn handle_input(&mut self, now: Millis, id: TransportId, input: Input<H::Text, H::Binary>) {
        if self.probe.is_some_and(|p| p.id == id) {
            self.handle_probe_input(id, input);
        } else if self.transport.is_some_and(|t| t.id == id) {
            self.handle_transport_input(now, input);
        } else if self.closing_websockets.contains(&id) {
            // Once its last frames were handed over (or it is gone), it closes; anything else is ignored.
            if matches!(input, Input::WsDrain | Input::WsClose | Input::WsError) {
                self.closing_websockets.retain(|closing| *closing != id);
                self.io.push_back(Io::Close { id });
            }
        } else if let Some(closing) = self.closing.iter_mut().find(|c| c.id == id) {
            if let Input::Post(_) = input {
                closing.writable = true;
                self.finish_closing();
            }
        }
    }

    /// Checks the ping deadline; closes with "ping timeout" once it has passed.
    pub fn handle_timeout(&mut self, now: Millis) {
        let expired = self.state == State::Open && self.ping_deadline.is_some_and(|deadline| now >= deadline);
        if expired {
            self.close_with(DisconnectReason::PingTimeout, Cause::None, true);
        }
    }

    // ----- outputs -----

    /// The next thing the shell must do.
    pub fn poll_io(&mut self) -> Option<Io<H::Text, H::Binary>> {
        self.io.pop_front()
    }

    /// The next event for the layer above.
    pub fn poll_event(&mut self) -> Option<EngineEvent<H>> {
        self.events.pop_front()
    }

    // ----- internals -----

    fn new_id(&mut self) -> TransportId {
        self.next_id = self.next_id.wrapping_add(1);
        self.next_id
    }

    fn open_first_candidate(&mut self) {
        let remember = self.config.remember_upgrade && self.prior_websocket_success;
        let kind = if remember && self.candidates.contains(&TransportKind::WebSocket) {
            TransportKind::WebSocket
        } else {
            match self.candidates.first() {
                Some(kind) => *kind,
                None => return self.fail_open(TransportFailure::WebSocket),
            }
        };
        let id = self.new_id();
        self.last_kind = Some(kind);
        self.transport = Some(Active { id, kind, writable: false, polling: false, pausing: false });
        match kind {
            TransportKind::WebSocket => {
                let url = self.config.websocket.url(kind, None, &mut self.rng);
                self.io.push_back(Io::OpenWebSocket { id, url });
            }
            TransportKind::Polling => self.poll(),
        }
    }

    fn url(&mut self, kind: TransportKind) -> String {
        let sid = self.handshake.as_ref().map(|h| h.sid.clone());
        let config = match kind {
            TransportKind::Polling => &self.config.polling,
            TransportKind::WebSocket => &self.config.websocket,
        };
        config.url(kind, sid.as_deref(), &mut self.rng)
    }

    fn poll(&mut self) {
        let url = self.url(TransportKind::Polling);
        if let Some(transport) = &mut self.transport {
            transport.polling = true;
            self.io.push_back(Io::Poll { id: transport.id, url });
        }
    }

    fn write(&mut self, frame: Frame<H::Text, H::Binary>) {
        if self.state == State::Closed {
            return;
        }
        if self.observe_packets {
            let (kind, data) = match &frame {
                Frame::Text(text) => {
                    let data = TextFrame { head: text.head.get(1..).unwrap_or("").to_string(), body: text.body.clone() };
                    let empty = data.head.is_empty() && data.body.is_none();
                    (type_name_of_head(&text.head), (!empty).then_some(Frame::Text(data)))
                }
                Frame::Binary(binary) => ("message", Some(Frame::Binary(binary.clone()))),
            };
            self.events.push_back(EngineEvent::Packet { created: true, kind, data });
        }
        self.write_buffer.push(frame);
        self.flush();
    }

    /// Hands buffered frames to the transport when it can take them (never while upgrading).
    fn flush(&mut self) {
        let upgrading = self.probe.is_some_and(|p| p.stage == ProbeStage::Pausing);
        let Some(transport) = self.transport.as_mut() else { return };
        if self.state != State::Open || !transport.writable || upgrading || self.write_buffer.is_empty() {
            return;
        }
        transport.writable = false;
        let (id, kind) = (transport.id, transport.kind);
        match kind {
            TransportKind::WebSocket => {
                let frames = core::mem::take(&mut self.write_buffer);
                self.io.push_back(Io::Send { id, frames });
            }
            TransportKind::Polling => {
                let max_payload = self.handshake.as_ref().map_or(0, |h| h.max_payload);
                let count = writable_count::<H>(&self.write_buffer, max_payload);
                let rest = self.write_buffer.split_off(count);
                let frames = core::mem::replace(&mut self.write_buffer, rest);
                let url = self.url(TransportKind::Polling);
                self.io.push_back(Io::Post { id, url, frames });
            }
        }
    }

    fn handle_transport_input(&mut self, now: Millis, input: Input<H::Text, H::Binary>) {
        match input {
            Input::WsOpen => {
                // The handshake comes as the first message; writes wait for it.
                if let Some(transport) = &mut self.transport {
                    transport.writable = true;
                }
            }
            Input::WsText(text) => match decode_text::<H>(text, 0, usize::MAX, false) {
                Ok(packet) => self.on_packet(now, packet),
                Err(_) => self.engine_parser_error(),
            },
            Input::WsBinary(binary) => self.on_packet(now, Packet::Binary(binary)),
            Input::WsClose => self.transport_closed(DisconnectReason::TransportClose, Cause::TransportClosed),
            Input::WsError => self.transport_failed(TransportFailure::WebSocket),
            Input::WsDrain => self.drained(),
            Input::Poll(Ok(body)) => self.on_poll_body(now, &body),
            Input::Poll(Err(status)) => self.transport_failed(TransportFailure::Poll(status)),
            Input::Post(Ok(())) => self.drained(),
            Input::Post(Err(status)) => self.transport_failed(TransportFailure::Post(status)),
        }
    }

    fn drained(&mut self) {
        if let Some(transport) = &mut self.transport {
            transport.writable = true;
        }
        self.flush();
        self.maybe_paused();
    }

    fn on_poll_body(&mut self, now: Millis, body: &H::Text) {
        let id = self.transport.map(|t| t.id);
        for packet in decode_payload::<H>(body) {
            // Closed, or failed while opening and replaced by the next transport (`tryAllTransports`):
            // the rest of the body belongs to the abandoned transport.
            if self.state == State::Closed || self.transport.map(|t| t.id) != id {
                return;
            }
            match packet {
                Ok(Packet::Close) => return self.transport_closed(DisconnectReason::TransportClose, Cause::TransportClosed),
                Ok(packet) => self.on_packet(now, packet),
                Err(_) => return self.engine_parser_error(),
            }
        }
        if let Some(transport) = &mut self.transport {
            transport.polling = false;
            if self.state == State::Open && !transport.pausing {
                self.poll();
            }
        }
        self.maybe_paused();
    }

    fn on_packet(&mut self, now: Millis, packet: Packet<H>) {
        if self.observe_packets && self.state != State::Closed {
            self.events.push_back(EngineEvent::Packet { created: false, kind: packet.type_name(), data: packet.data() });
        }
        match (self.state, packet) {
            (State::Opening, Packet::Open(data)) => match parse_handshake::<H>(&data) {
                Some(handshake) => self.on_open(now, handshake),
                None => self.engine_parser_error(),
            },
            (State::Open, Packet::Ping(_)) => {
                // engine.io-client answers a bare `3`, whatever data the ping carried.
                self.reset_ping_deadline(now);
                self.write(Frame::Text(TextFrame { head: digit::PONG.to_string(), body: None }));
                self.events.push_back(EngineEvent::Ping);
            }
            (State::Open, Packet::Message(data)) => self.events.push_back(EngineEvent::Message(data)),
            (State::Open, Packet::Binary(data)) => self.events.push_back(EngineEvent::Binary(data)),
            (State::Open, Packet::Close) => self.transport_closed(DisconnectReason::TransportClose, Cause::TransportClosed),
            (State::Open, Packet::Open(_) | Packet::Pong(_) | Packet::Upgrade | Packet::Noop) => {}
            (State::Opening, _) => self.engine_parser_error(),
            (State::Closed, _) => {}
        }
    }

    fn on_open(&mut self, now: Millis, handshake: Handshake) {
        self.state = State::Open;
        let kind = self.transport.map(|t| t.kind);
        self.prior_websocket_success = kind == Some(TransportKind::WebSocket);
        self.handshake = Some(handshake.clone());
        self.reset_ping_deadline(now);
        let probe = kind == Some(TransportKind::Polling)
            && self.config.upgrade
            && self.candidates.contains(&TransportKind::WebSocket)
            && handshake.upgrades.iter().any(|u| u == TransportKind::WebSocket.name());
        if let Some(transport) = &mut self.transport {
            transport.writable = true;
        }
        self.events.push_back(EngineEvent::Open(handshake));
        self.flush();
        if probe {
            self.start_probe();
        }
    }

    fn start_probe(&mut self) {
        let id = self.new_id();
        self.prior_websocket_success = false;
        let url = self.url(TransportKind::WebSocket);
        self.probe = Some(Probe { id, stage: ProbeStage::Connecting });
        self.io.push_back(Io::OpenWebSocket { id, url });
    }

    fn handle_probe_input(&mut self, id: TransportId, input: Input<H::Text, H::Binary>) {
        let Some(probe) = self.probe else { return };
        match (probe.stage, input) {
            (ProbeStage::Connecting, Input::WsOpen) => {
                self.probe = Some(Probe { id, stage: ProbeStage::AwaitingPong });
                let ping = Frame::Text(TextFrame { head: digit::PING.to_string(), body: Some(H::Text::from_rust_str("probe")) });
                self.io.push_back(Io::Send { id, frames: vec![ping] });
            }
            (ProbeStage::AwaitingPong, Input::WsText(text)) if text.to_rust_string() == "3probe" => {
                self.probe = Some(Probe { id, stage: ProbeStage::Pausing });
                self.prior_websocket_success = true;
                self.events.push_back(EngineEvent::Upgrading);
                if let Some(transport) = &mut self.transport {
                    transport.pausing = true;
                }
                self.maybe_paused();
            }
            (_, Input::WsDrain) => {}
            _ => self.probe_failed(),
        }
    }

    /// Completes the upgrade once polling is paused: no GET and no POST in flight.
    fn maybe_paused(&mut self) {
        let Some(probe) = self.probe.filter(|p| p.stage == ProbeStage::Pausing) else { return };
        let Some(old) = self.transport.filter(|t| t.pausing && !t.polling && t.writable) else { return };
        self.probe = None;
        self.io.push_back(Io::Close { id: old.id });
        self.transport = Some(Active { id: probe.id, kind: TransportKind::WebSocket, writable: false, polling: false, pausing: false });
        self.last_kind = Some(TransportKind::WebSocket);
        let upgrade = Frame::Text(TextFrame { head: digit::UPGRADE.to_string(), body: None });
        self.io.push_back(Io::Send { id: probe.id, frames: vec![upgrade] });
        self.events.push_back(EngineEvent::Upgrade);
    }

    /// The probe failed: the session stays on polling (resumed if it was being paused).
    fn probe_failed(&mut self) {
        let Some(probe) = self.probe.take() else { return };
        self.prior_websocket_success = false;
        self.io.push_back(Io::Close { id: probe.id });
        self.events.push_back(EngineEvent::UpgradeError);
        if let Some(transport) = &mut self.transport {
            if transport.pausing {
                transport.pausing = false;
                if !transport.polling && self.state == State::Open {
                    self.poll();
                }
            }
        }
        self.flush();
    }

    /// The server sent something that is not Engine.IO: "transport error" (a failed attempt while opening).
    fn engine_parser_error(&mut self) {
        if self.state == State::Opening {
            return self.fail_open(self.answered_failure());
        }
        self.close_with(DisconnectReason::TransportError, Cause::EngineParserError, false);
    }

    fn transport_failed(&mut self, failure: TransportFailure) {
        self.prior_websocket_success = false;
        if self.state == State::Opening {
            return self.fail_open(failure);
        }
        self.close_with(DisconnectReason::TransportError, Cause::TransportFailed(failure), false);
    }

    fn transport_closed(&mut self, reason: DisconnectReason, cause: Cause) {
        if self.state == State::Opening {
            return self.fail_open(self.answered_failure());
        }
        self.close_with(reason, cause, false);
    }

    /// How the transport being opened failed when the server answered with something other than a
    /// handshake: polling got a 200 it could not use.
    fn answered_failure(&self) -> TransportFailure {
        match self.transport.map(|t| t.kind) {
            Some(TransportKind::Polling) => TransportFailure::Poll(200),
            _ => TransportFailure::WebSocket,
        }
    }

    /// The transport being opened failed: try the next one (`tryAllTransports`) or give up.
    fn fail_open(&mut self, failure: TransportFailure) {
        if let Some(transport) = self.transport.take() {
            self.io.push_back(Io::Close { id: transport.id });
        }
        if self.config.try_all_transports && self.candidates.len() > 1 {
            self.candidates.remove(0);
            return self.open_first_candidate();
        }
        self.state = State::Closed;
        self.write_buffer.clear();
        self.events.push_back(EngineEvent::OpenFailed(failure));
    }

    fn reset_ping_deadline(&mut self, now: Millis) {
        if let Some(handshake) = &self.handshake {
            self.ping_deadline = Some(now.saturating_add(handshake.ping_interval).saturating_add(handshake.ping_timeout));
        }
    }

    /// Ends the session. `graceful`: what is buffered is still written, and polling says `1` to the server.
    /// Not reported: a close while opening (the layer above closed it, or reports its own failure) and a
    /// forced close (the layer above asked for it).
    fn close_with(&mut self, reason: DisconnectReason, cause: Cause, graceful: bool) {
        let was_open = self.state == State::Open;
        let close_url = self.url(TransportKind::Polling);
        self.state = State::Closed;
        self.handshake = None;
        self.ping_deadline = None;
        if let Some(probe) = self.probe.take() {
            self.io.push_back(Io::Close { id: probe.id });
        }
        if let Some(transport) = self.transport.take() {
            match (graceful && was_open, transport.kind) {
                (true, TransportKind::WebSocket) => {
                    let frames = core::mem::take(&mut self.write_buffer);
                    let draining = !transport.writable || !frames.is_empty();
                    if !frames.is_empty() {
                        self.io.push_back(Io::Send { id: transport.id, frames });
                    }
                    // As engine.io-client, the WebSocket closes once what was written has drained.
                    if draining {
                        self.closing_websockets.push(transport.id);
                    } else {
                        self.io.push_back(Io::Close { id: transport.id });
                    }
                }
                (true, TransportKind::Polling) => {
                    let mut frames = core::mem::take(&mut self.write_buffer);
                    frames.push(Frame::Text(TextFrame { head: digit::CLOSE.to_string(), body: None }));
                    self.io.push_back(Io::Close { id: transport.id });
                    self.closing.push(Closing { id: transport.id, url: close_url, writable: transport.writable, frames });
                    self.finish_closing();
                }
                (false, _) => self.io.push_back(Io::Close { id: transport.id }),
            }
        }
        self.write_buffer.clear();
        if was_open && reason != DisconnectReason::ForcedClose {
            self.events.push_back(EngineEvent::Close(reason, cause));
        }
    }

    /// Posts each closing polling transport's remaining packets (ending with `1`) once it is writable.
    fn finish_closing(&mut self) {
        let (ready, waiting): (Vec<_>, Vec<_>) = core::mem::take(&mut self.closing).into_iter().partition(|c| c.writable);
        self.closing = waiting;
        for closing in ready {
            self.io.push_back(Io::Post { id: closing.id, url: closing.url, frames: closing.frames });
        }
    }
}

/// How many buffered frames fit in one POST of at most `max_payload` bytes (at least one; all when the
/// server gave no limit). Text is counted in UTF-8 bytes, as it goes on the wire (engine.io-client's
/// `byteLength`), binary as its base64 size; a lone frame is not measured at all.
fn writable_count<H: Host>(frames: &[Frame<H::Text, H::Binary>], max_payload: u64) -> usize {
    if max_payload == 0 || frames.len() < 2 {
        return frames.len();
    }
    let mut size = 0u64;
    for (index, frame) in frames.iter().enumerate() {
        // A separator before every packet but the first.
        size += u64::from(index > 0)
            + match frame {
                Frame::Text(text) => (text.head.len() + text.body.as_ref().map_or(0, Text::utf8_len)) as u64,
                Frame::Binary(binary) => 1 + H::binary_len(binary).div_ceil(3) as u64 * 4,
            };
        if index > 0 && size > max_payload {
            return index;
        }
    }
    frames.len()
}
