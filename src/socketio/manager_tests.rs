//! Native scenario tests for the Manager state machine, driven by a manual clock.
//!
//! A [`Driver`] owns a Manager over [`TestHost`], plays the server (feeding text and binary frames) and the
//! shell (firing the timer at [`Manager::poll_timeout`]), and renders what comes out as short strings:
//! transport actions as `OPEN <url>`, the joined text of a frame, `BIN [bytes]` and `CLOSE`; events as
//! `connect(0)`, `disconnect(0, transport close)`, `message(0, ["a",1], ack=Some(3))` and so on.

use proptest::prelude::*;

use super::acks::AckOutcome;
use super::emit::{Callback, Json, Message};
use super::manager::{ConnectFailure, Event, Manager, ManagerOptions, NsId};
use super::outbox::Chunk;
use crate::engineio::connection::{Input, Io, TransportId};
use crate::engineio::packet::Frame;
use crate::engineio::url::TransportKind;
use crate::testhost::{test_config, TestHost};
use crate::uri::Query;
use crate::Millis;

const URL: &str = "ws://x/socket.io/?EIO=4&transport=websocket";
const PING_INTERVAL: Millis = 25_000;
const PING_TIMEOUT: Millis = 20_000;
/// The Engine.IO handshake every scenario's server sends.
const HANDSHAKE: &str = r#"0{"sid":"e1","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}"#;
/// Where the shell's timers start.
const T0: Millis = 1_000_000;

// ----- rendering -----

fn failure(failure: &ConnectFailure<TestHost>) -> String {
    match failure {
        ConnectFailure::Transport(_) => "transport".to_string(),
        ConnectFailure::Timeout => "timeout".to_string(),
        ConnectFailure::Refused(value) => format!("refused {value}"),
        ConnectFailure::IncompatibleServer => "incompatible server".to_string(),
    }
}

fn render_event(event: &Event<TestHost>) -> String {
    match event {
        Event::SessionStarted => "session_started".to_string(),
        Event::Open => "open".to_string(),
        Event::Close(reason, _) => format!("close({})", reason.as_str()),
        Event::Ping => "ping".to_string(),
        Event::Packet { kind, nsp, data, id } => format!("packet({kind}, {nsp}, {data:?}, {id:?})"),
        Event::EnginePacket { created, kind, .. } => format!("engine_packet({created}, {kind})"),
        Event::Upgrading => "upgrading".to_string(),
        Event::Upgrade => "upgrade".to_string(),
        Event::UpgradeError => "upgrade_error".to_string(),
        Event::Error(f) => format!("error({})", failure(f)),
        Event::ReconnectAttempt(n) => format!("reconnect_attempt({n})"),
        Event::Reconnect(n) => format!("reconnect({n})"),
        Event::ReconnectError(f) => format!("reconnect_error({})", failure(f)),
        Event::ReconnectFailed => "reconnect_failed".to_string(),
        Event::OpenCallback(None) => "open_callback(ok)".to_string(),
        Event::OpenCallback(Some(f)) => format!("open_callback({})", failure(f)),
        Event::NeedsConnect(ns) => format!("needs_connect({ns})"),
        Event::Connect(ns) => format!("connect({ns})"),
        Event::ConnectError(ns, f) => format!("connect_error({ns}, {})", failure(f)),
        Event::Disconnect(ns, reason, _) => format!("disconnect({ns}, {})", reason.as_str()),
        Event::Message { ns, args, ack_id, .. } => format!("message({ns}, {args}, ack={ack_id:?})"),
        Event::Ack { ns, ack, outcome } => match outcome {
            AckOutcome::Reply(args) => format!("ack_reply({ns}, #{ack}, {args})"),
            AckOutcome::ErrorFirstReply(args) => format!("ack_error_first({ns}, #{ack}, {args})"),
            AckOutcome::Failed(error) => format!("ack_failed({ns}, #{ack}, {})", error.as_str()),
            AckOutcome::Rejected(Some(value)) => format!("ack_rejected({ns}, #{ack}, {value})"),
            AckOutcome::Rejected(None) => format!("ack_rejected({ns}, #{ack}, undefined)"),
        },
        Event::Sent { ns, args } => format!("sent({ns}, {args})"),
        Event::Decode(Chunk::Text(text)) => format!("decode({text})"),
        Event::Decode(Chunk::Binary(bytes)) => format!("decode(BIN {bytes:?})"),
    }
}

fn render_frame(frame: &Frame<String, Vec<u8>>) -> String {
    match frame {
        Frame::Text(frame) => frame.join(),
        Frame::Binary(bytes) => format!("BIN {bytes:?}"),
    }
}

/// Renders a transport action as lines: `OPEN <url>`, one line per frame sent, `CLOSE`.
fn render_io(io: &Io<String, Vec<u8>>) -> Vec<String> {
    match io {
        Io::OpenWebSocket { url, .. } => vec![format!("OPEN {url}")],
        Io::Send { frames, .. } => frames.iter().map(render_frame).collect(),
        Io::Poll { url, .. } => vec![format!("GET {url}")],
        Io::Post { frames, .. } => vec![format!("POST {}", frames.iter().map(render_frame).collect::<Vec<_>>().join("|"))],
        Io::Close { .. } => vec!["CLOSE".to_string()],
    }
}

/// The socket.io-client defaults.
fn options() -> ManagerOptions {
    ManagerOptions::default()
}

/// A Manager connecting over WebSocket only (the transport these scenarios exercise).
fn manager(options: ManagerOptions, seed: u64) -> Manager<TestHost> {
    Manager::new(test_config(&[TransportKind::WebSocket]), options, seed)
}

/// Drains `m`'s transport actions as the shell would: the WebSocket `ws` is the last one opened, and every
/// send is reported drained at once (the shell's microtask).
fn drain_io(m: &mut Manager<TestHost>, now: Millis, ws: &mut TransportId) -> Vec<Io<String, Vec<u8>>> {
    let mut drained = Vec::new();
    while let Some(io) = m.poll_io() {
        match &io {
            Io::OpenWebSocket { id, .. } => *ws = *id,
            Io::Send { id, .. } => {
                let id = *id;
                drained.push(io);
                m.handle_input(now, id, Input::WsDrain);
                continue;
            }
            _ => {}
        }
        drained.push(io);
    }
    drained
}

/// `&["a", "b"]` as owned strings, for comparing with the drained lists.
pub(super) fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

// ----- the driver -----

/// A Manager, a manual clock, and the server's and shell's side of the conversation.
pub(super) struct Driver {
    pub(super) m: Manager<TestHost>,
    pub(super) now: Millis,
    /// The current WebSocket.
    ws: TransportId,
    /// Transport actions drained (to learn the WebSocket id) but not yet looked at.
    pending: Vec<String>,
}

/// The event `body` (JSON of `[name, ...args]`, placeholders included) with its attachments, as the shell
/// encodes an emit (`args` is the parsed body).
pub(super) fn message(body: &str, attachments: Vec<Vec<u8>>) -> Message<TestHost> {
    let args = serde_json::from_str(body).expect("test bodies are JSON");
    Message { args, json: Some(Json { text: body.to_string(), attachments }) }
}

impl Driver {
    /// Default options except `randomization_factor: 0` (deterministic delays), tweaked by `tweak`.
    pub(super) fn with(tweak: impl FnOnce(&mut ManagerOptions)) -> Self {
        let mut options = options();
        options.randomization_factor = 0.0;
        tweak(&mut options);
        Self { m: manager(options, 7), now: T0, ws: 0, pending: Vec::new() }
    }

    pub(super) fn new() -> Self {
        Self::with(|_| {})
    }

    /// A Manager with namespace `/` (id 0) connected with sid `abc`; io and events drained.
    pub(super) fn connected() -> Self {
        let mut d = Self::new();
        let ns = d.m.add_namespace("/");
        d.connect_ns(ns, "abc");
        d
    }

    /// A Manager with namespace `name` added and `connect()`ed: the transport is being opened.
    fn connecting(name: &str) -> (Self, NsId) {
        let mut d = Self::new();
        let ns = d.m.add_namespace(name);
        d.m.connect(d.now, ns);
        (d, ns)
    }

    /// A Manager whose namespace `name` sent its CONNECT and awaits the reply; io and events drained.
    fn awaiting_connect_reply(name: &str) -> (Self, NsId) {
        let (mut d, ns) = Self::connecting(name);
        d.handshake();
        d.events();
        d.m.send_connect(ns, None);
        d.io();
        (d, ns)
    }

    /// Namespace `ns` from scratch to connected: `connect()`, handshake if needed, CONNECT and its reply.
    pub(super) fn connect_ns(&mut self, ns: NsId, sid: &str) {
        self.m.connect(self.now, ns);
        if !self.m.is_open() {
            self.handshake();
        }
        let needs = format!("needs_connect({ns})");
        assert!(self.events().contains(&needs), "expected {needs}");
        self.m.send_connect(ns, None);
        let name = self.m.namespace(ns).unwrap().name.clone();
        let nsp = if name == "/" { String::new() } else { format!("{name},") };
        assert_eq!(self.io(), strings(&[&format!("40{nsp}")]));
        self.text(&format!("40{nsp}{{\"sid\":\"{sid}\"}}"));
        assert_eq!(self.events().last().map(String::as_str), Some(format!("connect({ns})").as_str()));
        assert!(self.io().is_empty());
    }

    /// The server's Engine.IO handshake (the transport must have been opened); drains the `OPEN`.
    pub(super) fn handshake(&mut self) {
        assert_eq!(self.io(), strings(&[&format!("OPEN {URL}")]));
        self.text(HANDSHAKE);
    }

    /// Feeds `input` about the current WebSocket now.
    fn input(&mut self, input: Input<String, Vec<u8>>) {
        let drained = drain_io(&mut self.m, self.now, &mut self.ws);
        self.pending.extend(drained.iter().flat_map(render_io));
        self.m.handle_input(self.now, self.ws, input);
    }

    /// The server sends a text frame now.
    pub(super) fn text(&mut self, frame: &str) {
        self.input(Input::WsText(frame.to_string()));
    }

    /// The server sends a binary frame now.
    pub(super) fn binary(&mut self, bytes: &[u8]) {
        self.input(Input::WsBinary(bytes.to_vec()));
    }

    /// The transport closes on its own now.
    pub(super) fn transport_close(&mut self) {
        self.input(Input::WsClose);
    }

    /// The transport fails now.
    pub(super) fn transport_error(&mut self) {
        self.input(Input::WsError);
    }

    /// Emits `body` on namespace `ns` now, with a plain callback `ack`.
    pub(super) fn emit(&mut self, ns: NsId, body: &str, attachments: Vec<Vec<u8>>, ack: Option<u32>) {
        let callback = ack.map(|function| Callback { function, error_first: false });
        self.m.emit(self.now, ns, message(body, attachments), callback);
    }

    /// Moves the clock to `target`, firing the timer (as a shell would) every time it is due on the way.
    pub(super) fn advance_to(&mut self, target: Millis) {
        for _ in 0..1000 {
            match self.m.poll_timeout() {
                Some(at) if at <= target => {
                    self.now = self.now.max(at);
                    self.m.handle_timeout(self.now);
                    self.m.reopen(self.now);
                }
                _ => {
                    self.now = self.now.max(target);
                    return;
                }
            }
        }
        panic!("the timer makes no progress at {}", self.now);
    }

    pub(super) fn advance(&mut self, ms: Millis) {
        self.advance_to(self.now + ms);
    }

    /// Moves the clock without firing any timer (a throttled background tab).
    pub(super) fn sleep(&mut self, ms: Millis) {
        self.now += ms;
    }

    /// Drains the transport actions.
    pub(super) fn io(&mut self) -> Vec<String> {
        let drained = drain_io(&mut self.m, self.now, &mut self.ws);
        let mut lines = core::mem::take(&mut self.pending);
        lines.extend(drained.iter().flat_map(render_io));
        lines
    }

    /// Drains the events.
    /// Drains the events (but `session_started`, which only the shell's engine objects care about; see
    /// `every_open_starts_a_session`).
    pub(super) fn events(&mut self) -> Vec<String> {
        core::iter::from_fn(|| self.m.poll_event())
            .filter(|event| !matches!(event, Event::SessionStarted))
            .map(|event| render_event(&event))
            .collect()
    }

    /// After a lost connection, the first reconnection delay is the base one again (the backoff was reset).
    fn assert_backoff_reset(&mut self) {
        self.transport_close();
        self.events();
        assert_eq!(self.timer_in(), Some(1000), "the backoff starts over");
    }

    /// The next timer, relative to now.
    pub(super) fn timer_in(&self) -> Option<Millis> {
        self.m.poll_timeout().map(|at| at.saturating_sub(self.now))
    }
}

// ----- connecting -----

#[test]
fn handshake_then_connect_for_the_main_namespace() {
    let mut d = Driver::new();
    let ns = d.m.add_namespace("/");
    assert_eq!(ns, 0);
    assert!(d.io().is_empty() && d.m.poll_timeout().is_none(), "adding a namespace does nothing");
    d.m.connect(d.now, ns);
    assert_eq!(d.io(), strings(&[&format!("OPEN {URL}")]));
    assert!(d.events().is_empty(), "no CONNECT before the handshake");
    assert_eq!(d.timer_in(), Some(20_000), "the connect timeout");
    d.text(HANDSHAKE);
    assert!(d.m.is_open());
    assert_eq!(d.m.engine_sid(), Some("e1"));
    assert_eq!(d.events(), strings(&["open", "needs_connect(0)"]));
    assert_eq!(d.timer_in(), Some(PING_INTERVAL + PING_TIMEOUT), "the connect timeout is replaced by the ping deadline");
    d.m.send_connect(ns, None);
    assert_eq!(d.io(), strings(&["40"]));
    d.text(r#"40{"sid":"abc"}"#);
    assert_eq!(d.events(), strings(&["connect(0)"]));
    let namespace = d.m.namespace(ns).unwrap();
    assert!(namespace.connected && namespace.active);
    assert_eq!(namespace.sid.as_deref(), Some("abc"));
}

#[test]
fn connect_to_a_custom_namespace_with_auth() {
    let mut d = Driver::new();
    let admin = d.m.add_namespace("/admin");
    assert_eq!(d.m.add_namespace("/admin"), admin, "a namespace is added once");
    d.m.connect(d.now, admin);
    d.handshake();
    assert_eq!(d.events(), strings(&["open", "needs_connect(0)"]));
    d.m.send_connect(admin, Some(message(r#"{"token":"abc"}"#, vec![])));
    assert_eq!(d.io(), strings(&[r#"40/admin,{"token":"abc"}"#]));
    d.text(r#"40/admin,{"sid":"xyz","pid":"p1"}"#);
    assert_eq!(d.events(), strings(&["connect(0)"]));
    assert_eq!(d.m.namespace(admin).unwrap().sid.as_deref(), Some("xyz"));
}

#[test]
fn connect_on_an_open_manager_asks_for_connect_at_once() {
    let mut d = Driver::connected();
    let chat = d.m.add_namespace("/chat");
    d.m.connect(d.now, chat);
    assert_eq!(d.events(), strings(&["needs_connect(1)"]));
    assert!(d.io().is_empty(), "no second transport");
    d.m.connect(d.now, 0);
    assert!(d.events().is_empty(), "connect() on a connected namespace does nothing");
}

#[test]
fn send_connect_is_ignored_when_it_cannot_be_sent() {
    let mut d = Driver::new();
    let ns = d.m.add_namespace("/");
    d.m.send_connect(ns, None);
    d.m.send_connect(99, None);
    assert!(d.io().is_empty(), "inactive namespace, unknown namespace");
    d.m.connect(d.now, ns);
    d.m.send_connect(ns, None);
    assert_eq!(d.io(), strings(&[&format!("OPEN {URL}")]), "no CONNECT before the handshake");
}

#[test]
fn connect_error_is_refused_with_the_server_payload() {
    let (mut d, ns) = Driver::awaiting_connect_reply("/");
    d.text(r#"44{"message":"not authorized","data":{"code":42}}"#);
    assert_eq!(
        d.events(),
        strings(&["close(forced close)", r#"connect_error(0, refused {"data":{"code":42},"message":"not authorized"})"#])
    );
    assert_eq!(d.io(), strings(&["CLOSE"]), "the last active namespace was refused: the connection closes");
    assert!(!d.m.namespace(ns).unwrap().active);
    d.advance(60_000);
    assert!(d.events().is_empty() && d.io().is_empty(), "a refusal is not retried");
    assert_eq!(d.m.poll_timeout(), None);
}

#[test]
fn connect_error_with_a_string_payload() {
    let (mut d, ns) = Driver::connecting("/");
    d.handshake();
    d.m.send_connect(ns, None);
    d.events();
    d.text(r#"44"Invalid namespace""#);
    assert_eq!(d.events(), strings(&["close(forced close)", r#"connect_error(0, refused "Invalid namespace")"#]));
}

#[test]
fn connect_reply_without_sid_is_an_incompatible_server() {
    for reply in ["40", "40{}", r#"40{"sid":1}"#] {
        let mut d = Driver::new();
        let ns = d.m.add_namespace("/");
        d.m.connect(d.now, ns);
        d.handshake();
        d.m.send_connect(ns, None);
        d.events();
        d.text(reply);
        assert_eq!(d.events(), strings(&["connect_error(0, incompatible server)"]), "{reply}");
        assert!(!d.m.namespace(ns).unwrap().connected);
    }
}

#[test]
fn a_refusal_after_connecting_leaves_the_namespace_disconnected() {
    let mut d = Driver::connected();
    d.text(r#"44{"message":"late refusal"}"#);
    assert_eq!(d.events(), strings(&["close(forced close)", r#"connect_error(0, refused {"message":"late refusal"})"#]));
    assert_eq!(d.io(), strings(&["CLOSE"]));
    let namespace = d.m.namespace(0).unwrap();
    assert!(!namespace.connected && !namespace.active && namespace.sid.is_none());
    d.emit(0, r#"["x"]"#, vec![], None);
    d.m.disconnect(d.now, 0);
    assert!(d.io().is_empty(), "nothing is written to the closed transport");
    d.m.connect(d.now, 0);
    d.handshake();
    d.m.send_connect(0, None);
    d.text(r#"40{"sid":"again"}"#);
    assert_eq!(d.io(), strings(&["40", r#"42["x"]"#]), "the socket can connect again");
}

// ----- buffering before CONNECT -----

#[test]
fn events_before_connect_are_replayed_before_connect() {
    let (mut d, ns) = Driver::awaiting_connect_reply("/");
    // Connection state recovery: missed events come before the CONNECT reply.
    d.text(r#"42["missed",1,"offset-1"]"#);
    d.text(r#"425["needs answer"]"#);
    assert!(d.events().is_empty(), "buffered until the namespace connects");
    d.text(r#"40{"sid":"abc","pid":"p"}"#);
    assert_eq!(
        d.events(),
        strings(&[r#"message(0, ["missed",1,"offset-1"], ack=None)"#, r#"message(0, ["needs answer"], ack=Some(5))"#, "connect(0)"])
    );
    d.m.ack(d.now, ns, 5, message("[]", vec![]));
    assert_eq!(d.io(), strings(&["435[]"]), "a replayed event can still be answered");
}

#[test]
fn emits_before_connect_are_flushed_in_order_after_the_connect_packet() {
    let mut d = Driver::new();
    let ns = d.m.add_namespace("/");
    d.emit(ns, r#"["first"]"#, vec![], None);
    d.m.connect(d.now, ns);
    d.emit(ns, r#"["second"]"#, vec![], Some(70));
    d.emit(ns, r#"["third",{"_placeholder":true,"num":0}]"#, vec![vec![9]], None);
    assert_eq!(d.io(), strings(&[&format!("OPEN {URL}")]), "nothing sent before the connection is up");
    d.text(HANDSHAKE);
    d.m.send_connect(ns, None);
    assert_eq!(d.io(), strings(&["40"]), "only the CONNECT before the reply");
    d.events();
    d.text(r#"40{"sid":"abc"}"#);
    assert_eq!(d.io(), strings(&[r#"42["first"]"#, r#"420["second"]"#, r#"451-["third",{"_placeholder":true,"num":0}]"#, "BIN [9]"]));
    let sent = [r#"sent(0, ["first"])"#, r#"sent(0, ["second"])"#, r#"sent(0, ["third",{"_placeholder":true,"num":0}])"#];
    assert_eq!(d.events(), strings(&[&sent[..], &["connect(0)"]].concat()), "outgoing listeners hear of them as they go");
    d.text(r#"430["ok"]"#);
    assert_eq!(d.events(), strings(&[r#"ack_reply(0, #70, ["ok"])"#]), "the ack of a buffered emit survives");
}

#[test]
fn emit_when_connected_is_sent_at_once() {
    let mut d = Driver::connected();
    d.emit(0, r#"["hello",42]"#, vec![], None);
    assert_eq!(d.io(), strings(&[r#"42["hello",42]"#]));
}

#[test]
fn emit_on_an_unknown_namespace_is_ignored() {
    let mut d = Driver::connected();
    d.emit(9, r#"["x"]"#, vec![], Some(1));
    assert!(d.io().is_empty() && d.events().is_empty());
}

// ----- acknowledgements -----

#[test]
fn ack_ids_count_from_zero_and_each_reply_is_delivered_once() {
    let mut d = Driver::connected();
    d.emit(0, r#"["a"]"#, vec![], Some(100));
    d.emit(0, r#"["b"]"#, vec![], None);
    d.emit(0, r#"["c"]"#, vec![], Some(101));
    assert_eq!(d.io(), strings(&[r#"420["a"]"#, r#"42["b"]"#, r#"421["c"]"#]));
    assert_eq!(d.events(), strings(&[r#"sent(0, ["a"])"#, r#"sent(0, ["b"])"#, r#"sent(0, ["c"])"#]));
    d.text(r#"431[{"ok":42}]"#);
    d.text(r#"431["again"]"#);
    d.text(r#"437["unknown"]"#);
    d.text(r#"43["no id"]"#);
    d.text(r#"430[]"#);
    assert_eq!(d.events(), strings(&[r#"ack_reply(0, #101, [{"ok":42}])"#, "ack_reply(0, #100, [])"]));
    assert!(d.io().is_empty());
    assert!(d.m.is_open(), "unknown ack ids are ignored, not errors");
    assert_eq!(d.m.namespace(0).unwrap().pending_acks(), 0);
}

#[test]
fn server_ack_request_is_answered_once() {
    let mut d = Driver::connected();
    d.text(r#"4212["question",1]"#);
    assert_eq!(d.events(), strings(&[r#"message(0, ["question",1], ack=Some(12))"#]));
    d.m.ack(d.now, 0, 12, message(r#"["answer"]"#, vec![]));
    d.m.ack(d.now, 0, 12, message(r#"["twice"]"#, vec![]));
    d.m.ack(d.now, 0, 13, message(r#"["never asked"]"#, vec![]));
    assert_eq!(d.io(), strings(&[r#"4312["answer"]"#]));
}

#[test]
fn server_ack_requests_out_of_order_or_repeated_are_each_answered_once() {
    let mut d = Driver::connected();
    for text in [r#"429["a"]"#, r#"423["b"]"#, r#"429["c"]"#, r#"425["d"]"#] {
        d.text(text);
    }
    d.events();
    for (id, answer) in [(5, "d"), (9, "a"), (3, "b"), (9, "c"), (9, "none left"), (3, "none left")] {
        d.m.ack(d.now, 0, id, message(&format!(r#"["{answer}"]"#), vec![]));
    }
    assert_eq!(d.io(), strings(&[r#"435["d"]"#, r#"439["a"]"#, r#"433["b"]"#, r#"439["c"]"#]));
}

#[test]
fn thousands_of_owed_acks_answered_in_any_order() {
    let mut d = Driver::connected();
    for id in 0..20_000 {
        d.text(&format!(r#"42{id}["q"]"#));
    }
    d.events();
    // Evens in order, then odds from the last: each is found by search, none twice.
    let order: Vec<u64> = (0..20_000).step_by(2).chain((1..20_000u32).step_by(2).rev().map(u64::from)).collect();
    for &id in &order {
        d.m.ack(d.now, 0, id, message("[]", vec![]));
    }
    let expected: Vec<String> = order.iter().map(|id| format!("43{id}[]")).collect();
    assert_eq!(d.io(), expected);
    d.m.ack(d.now, 0, 7, message("[]", vec![]));
    assert!(d.io().is_empty(), "all answered");
}

#[test]
fn server_ack_request_with_binary_answer() {
    let mut d = Driver::connected();
    d.text(r#"423["q"]"#);
    d.events();
    d.m.ack(d.now, 0, 3, message(r#"[{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]"#, vec![vec![1, 2], vec![3]]));
    assert_eq!(d.io(), strings(&[r#"462-3[{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]"#, "BIN [1, 2]", "BIN [3]"]));
}

#[test]
fn binary_ack_reply_from_the_server() {
    let mut d = Driver::connected();
    d.emit(0, r#"["get"]"#, vec![], Some(5));
    d.io();
    d.events();
    d.text(r#"461-0["file",{"_placeholder":true,"num":0}]"#);
    assert!(d.events().is_empty(), "waits for the attachment");
    d.binary(&[0xca, 0xfe]);
    assert_eq!(d.events(), strings(&[r#"ack_reply(0, #5, ["file",{"$binary":[202,254]}])"#]));
}

#[test]
fn acks_owed_before_a_disconnect_cannot_be_sent_afterwards() {
    let mut d = Driver::connected();
    d.text(r#"421["q"]"#);
    d.events();
    d.transport_close();
    d.m.ack(d.now, 0, 1, message("[]", vec![]));
    assert_eq!(d.io(), strings(&["CLOSE"]), "the answer is dropped, not queued on a closed transport");
}

#[test]
fn callbacks_of_sent_packets_are_dropped_on_disconnect_and_buffered_ones_kept() {
    let mut d = Driver::connected();
    d.emit(0, r#"["sent"]"#, vec![], Some(1));
    d.transport_close();
    assert_eq!(d.io(), strings(&[r#"420["sent"]"#, "CLOSE"]));
    d.emit(0, r#"["buffered"]"#, vec![], Some(2));
    assert_eq!(d.m.namespace(0).unwrap().pending_acks(), 1);
    d.advance(1000);
    d.handshake();
    d.m.send_connect(0, None);
    d.text(r#"40{"sid":"abc2"}"#);
    assert_eq!(d.io(), strings(&["40", r#"421["buffered"]"#]), "ids keep counting across connections");
    d.events();
    d.text(r#"430["late"]"#);
    d.text(r#"431["ok"]"#);
    assert_eq!(d.events(), strings(&[r#"ack_reply(0, #2, ["ok"])"#]));
}

// ----- binary packets -----

#[test]
fn binary_event_is_reassembled() {
    let mut d = Driver::connected();
    d.text(r#"452-["bin",{"_placeholder":true,"num":1},{"n":{"_placeholder":true,"num":0}}]"#);
    d.binary(&[1]);
    assert!(d.events().is_empty(), "one of two attachments");
    d.binary(&[2, 3]);
    assert_eq!(d.events(), strings(&[r#"message(0, ["bin",{"$binary":[2,3]},{"n":{"$binary":[1]}}], ack=None)"#]));
    d.text(r#"451-/admin,7["x",{"_placeholder":true,"num":0}]"#);
    d.binary(&[4]);
    assert!(d.events().is_empty(), "an unknown namespace's binary packet is consumed and ignored");
    d.text(r#"451-9["bin",{"_placeholder":true,"num":0}]"#);
    d.binary(&[5]);
    assert_eq!(d.events(), strings(&[r#"message(0, ["bin",{"$binary":[5]}], ack=Some(9))"#]));
    assert!(d.m.is_open());
}

#[test]
fn emit_with_attachments_writes_the_header_then_the_frames() {
    let mut d = Driver::connected();
    d.emit(0, r#"["up",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]"#, vec![vec![1, 2], vec![]], Some(0));
    assert_eq!(d.io(), strings(&[r#"452-0["up",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]"#, "BIN [1, 2]", "BIN []"]));
}

#[test]
fn binary_packets_on_a_custom_namespace() {
    let mut d = Driver::new();
    let admin = d.m.add_namespace("/admin");
    d.connect_ns(admin, "a1");
    d.emit(admin, r#"["up",{"_placeholder":true,"num":0}]"#, vec![vec![8]], Some(7));
    assert_eq!(d.io(), strings(&[r#"451-/admin,0["up",{"_placeholder":true,"num":0}]"#, "BIN [8]"]));
    assert_eq!(d.events(), strings(&[r#"sent(0, ["up",{"_placeholder":true,"num":0}])"#]));
    d.text(r#"461-/admin,0[{"_placeholder":true,"num":0}]"#);
    d.binary(&[6]);
    assert_eq!(d.events(), strings(&[r#"ack_reply(0, #7, [{"$binary":[6]}])"#]));
}

// ----- parse errors -----

/// A frame from the server.
#[derive(Debug, Clone, Copy)]
enum In<'a> {
    Text(&'a str),
    Bin(&'a [u8]),
}

/// A connected Manager with `/` and `/admin` (both connected) receives `frames`: it must close with
/// "parse error", disconnect both namespaces, and reconnect.
fn assert_parse_error(frames: &[In]) {
    assert_parse_error_after(frames, &[]);
}

/// [`assert_parse_error`], when the frames first produce the events `before`.
fn assert_parse_error_after(frames: &[In], before: &[&str]) {
    let mut d = Driver::connected();
    let admin = d.m.add_namespace("/admin");
    d.connect_ns(admin, "a1");
    for frame in frames {
        match frame {
            In::Text(text) => d.text(text),
            In::Bin(bytes) => d.binary(bytes),
        }
    }
    let expected = [before, &["close(parse error)", "disconnect(0, parse error)", "disconnect(1, parse error)"]].concat();
    assert_eq!(d.events(), strings(&expected), "{frames:?}");
    assert_eq!(d.io(), strings(&["CLOSE"]), "{frames:?}");
    assert!(!d.m.is_open() && d.m.is_reconnecting());
    assert_eq!(d.timer_in(), Some(1000), "a parse error reconnects like a transport close");
    d.advance(1000);
    assert_eq!(d.events(), strings(&["reconnect_attempt(1)"]));
    assert_eq!(d.io(), strings(&[&format!("OPEN {URL}")]));
}

#[test]
fn every_malformed_socketio_packet_is_a_parse_error() {
    let bad: &[&str] = &[
        "4",                                           // empty Socket.IO packet
        "47",                                          // unknown type
        "4x",                                          // not a digit
        r#"45["a"]"#,                                  // binary without attachment count
        r#"45-["a"]"#,                                 // empty count
        r#"450-["a"]"#,                                // zero attachments
        r#"45a-["a"]"#,                                // non-digit count
        r#"4511-["a",{"_placeholder":true,"num":0}]"#, // more than 10 attachments
        r#"4299999999999999999999["a"]"#,              // ack id overflow
        r#"42["unterminated"#,                         // invalid JSON
        r#"42{"not":"an array"}"#,                     // EVENT not an array
        "42[]",                                        // EVENT without a name
        "42[null]",                                    // EVENT with a null name
        "42[{}]",                                      // EVENT with an object name
        "42",                                          // EVENT without payload
        "43",                                          // ACK without payload
        "43{}",                                        // ACK not an array
        "40[]",                                        // CONNECT not an object
        r#"40"sid""#,                                  // CONNECT a string
        "41{}",                                        // DISCONNECT with payload
        "44",                                          // CONNECT_ERROR without payload
        "44[1]",                                       // CONNECT_ERROR an array
        r#"42/admin,["connect"]"#,                     // reserved name on another namespace
    ];
    for frame in bad {
        assert_parse_error(&[In::Text(frame)]);
    }
}

#[test]
fn reserved_event_names_from_the_server_are_parse_errors() {
    for name in ["connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"] {
        assert_parse_error(&[In::Text(&format!(r#"42["{name}",1]"#))]);
        assert_parse_error(&[In::Text(&format!(r#"451-["{name}",{{"_placeholder":true,"num":0}}]"#)), In::Bin(&[0])]);
    }
}

#[test]
fn binary_framing_errors_are_parse_errors() {
    let header = In::Text(r#"451-["bin",{"_placeholder":true,"num":0}]"#);
    let attachment = In::Bin(&[1]);
    // A text packet while an attachment is awaited.
    assert_parse_error(&[header, In::Text(r#"42["a"]"#)]);
    assert_parse_error(&[header, In::Text(r#"451-["bin",{"_placeholder":true,"num":0}]"#)]);
    // A binary frame when none is expected, also right after a complete binary packet.
    assert_parse_error(&[attachment]);
    assert_parse_error_after(&[header, attachment, attachment], &[r#"message(0, ["bin",{"$binary":[1]}], ack=None)"#]);
    // A bad placeholder index.
    for body in
        [r#"["bin",{"_placeholder":true,"num":1}]"#, r#"["bin",{"_placeholder":true,"num":-1}]"#, r#"["bin",{"_placeholder":true}]"#]
    {
        assert_parse_error(&[In::Text(&format!("451-{body}")), attachment]);
    }
    // Invalid JSON or shape in a binary packet (found once the attachments are in).
    for text in [r#"451-["bin""#, r#"451-{"a":1}"#, "451-", r#"461-0{"a":1}"#] {
        assert_parse_error(&[In::Text(text), attachment]);
    }
}

#[test]
fn a_parse_error_on_a_namespace_being_connected_disconnects_it_too() {
    let (mut d, ns) = Driver::connecting("/");
    d.handshake();
    d.m.send_connect(ns, None);
    d.events();
    d.io();
    d.text("42[]");
    assert_eq!(d.events(), strings(&["close(parse error)", "disconnect(0, parse error)"]));
    assert_eq!(d.io(), strings(&["CLOSE"]));
}

#[test]
fn engineio_garbage_is_a_transport_error() {
    let mut d = Driver::connected();
    d.text("9xyz");
    assert_eq!(d.events(), strings(&["close(transport error)", "disconnect(0, transport error)"]));
    assert_eq!(d.io(), strings(&["CLOSE"]));
    assert_eq!(d.timer_in(), Some(1000));
    d.text("");
    d.text(r#"42["after close"]"#);
    d.binary(&[1]);
    assert!(d.events().is_empty() && d.io().is_empty(), "nothing is read from a closed transport");
}

#[test]
fn engineio_close_packet_is_a_transport_close() {
    let mut d = Driver::connected();
    d.text("1");
    assert_eq!(d.events(), strings(&["close(transport close)", "disconnect(0, transport close)"]));
    assert_eq!(d.timer_in(), Some(1000));
}

#[test]
fn engineio_noise_is_ignored() {
    let mut d = Driver::connected();
    for frame in ["6", "5", "3", "3probe", HANDSHAKE] {
        d.text(frame);
    }
    assert!(d.events().is_empty() && d.io().is_empty());
    assert!(d.m.is_open());
}

// ----- heartbeat -----

#[test]
fn ping_is_answered_with_pong() {
    let mut d = Driver::connected();
    d.text("2");
    assert_eq!(d.io(), strings(&["3"]));
    assert_eq!(d.events(), strings(&["ping"]));
    d.text("2data");
    assert_eq!(d.io(), strings(&["3"]), "a bare pong, whatever the ping carried (as engine.io-client)");
}

#[test]
fn huge_ping_settings_from_the_server_do_not_overflow() {
    let (mut d, _) = Driver::connecting("/");
    d.io();
    d.text(r#"0{"sid":"e1","upgrades":[],"pingInterval":1e300,"pingTimeout":1e300}"#);
    assert_eq!(d.events(), strings(&["open", "needs_connect(0)"]));
    assert_eq!(d.m.poll_timeout(), Some(Millis::MAX), "the deadline saturates");
    d.text("2");
    assert_eq!(d.m.poll_timeout(), Some(Millis::MAX));
    d.sleep(1_000_000_000);
    d.m.handle_timeout(d.now);
    assert!(d.m.is_open());
}

#[test]
fn ping_silence_times_out_exactly_at_the_deadline() {
    let mut d = Driver::connected();
    let deadline = d.now + PING_INTERVAL + PING_TIMEOUT;
    assert_eq!(d.m.poll_timeout(), Some(deadline));
    d.m.handle_timeout(deadline - 1);
    assert!(d.m.is_open() && d.events().is_empty(), "not 1 ms early");
    d.advance_to(deadline - 1);
    assert!(d.m.is_open() && d.events().is_empty());
    d.advance_to(deadline);
    assert_eq!(d.events(), strings(&["close(ping timeout)", "disconnect(0, ping timeout)"]));
    assert_eq!(d.io(), strings(&["CLOSE"]));
    assert_eq!(d.timer_in(), Some(1000));
}

#[test]
fn each_ping_moves_the_deadline() {
    let mut d = Driver::connected();
    d.advance(PING_INTERVAL);
    d.text("2");
    d.advance(PING_INTERVAL + PING_TIMEOUT - 1);
    assert!(d.m.is_open(), "the ping at 25 s moved the deadline");
    d.text(r#"42["traffic"]"#);
    d.advance(1);
    assert!(!d.m.is_open(), "only pings move the deadline");
    assert_eq!(
        d.events(),
        strings(&["ping", r#"message(0, ["traffic"], ack=None)"#, "close(ping timeout)", "disconnect(0, ping timeout)"])
    );
}

#[test]
fn emit_after_a_missed_deadline_is_buffered_and_sent_once_after_reconnecting() {
    let mut d = Driver::connected();
    let deadline = d.now + PING_INTERVAL + PING_TIMEOUT;
    d.sleep(PING_INTERVAL + PING_TIMEOUT);
    d.emit(0, r#"["at the deadline"]"#, vec![], None);
    assert_eq!(d.io(), strings(&[r#"42["at the deadline"]"#]), "the deadline itself is still in time");
    assert_eq!(d.events(), strings(&[r#"sent(0, ["at the deadline"])"#]));
    d.sleep(1);
    assert_eq!(d.now, deadline + 1);
    d.emit(0, r#"["late"]"#, vec![], Some(44));
    assert!(d.io().is_empty(), "buffered, not sent on the dead connection");
    assert!(d.m.namespace(0).unwrap().connected, "still connected until the next wake-up, as socket.io-client");
    assert_eq!(d.timer_in(), Some(0), "the expired deadline wants a wake-up now");
    d.m.handle_timeout(d.now);
    assert_eq!(d.io(), strings(&["CLOSE"]), "the dead connection is closed");
    assert_eq!(d.events(), strings(&["close(ping timeout)", "disconnect(0, ping timeout)"]));
    d.advance(1000);
    d.handshake();
    assert_eq!(d.events(), strings(&["reconnect_attempt(1)", "open", "needs_connect(0)", "reconnect(1)"]));
    d.m.send_connect(0, None);
    d.text(r#"40{"sid":"abc2"}"#);
    assert_eq!(d.io(), strings(&["40", r#"420["late"]"#]));
    assert_eq!(d.events(), strings(&[r#"sent(0, ["late"])"#, "connect(0)"]));
    d.text("2");
    d.text(r#"40{"sid":"abc2"}"#);
    assert_eq!(d.io(), strings(&["3"]), "sent exactly once");
    d.events();
    d.text(r#"430["ok"]"#);
    assert_eq!(d.events(), strings(&[r#"ack_reply(0, #44, ["ok"])"#]));
}

// ----- disconnections -----

#[test]
fn server_disconnect_does_not_reconnect() {
    let mut d = Driver::connected();
    d.text("41");
    assert_eq!(d.events(), strings(&["close(forced close)", "disconnect(0, io server disconnect)"]));
    assert_eq!(d.io(), strings(&["CLOSE"]), "the last active namespace left: the connection closes");
    assert!(!d.m.is_open() && !d.m.is_reconnecting());
    assert_eq!(d.m.poll_timeout(), None);
    d.advance(60_000);
    assert!(d.events().is_empty() && d.io().is_empty());
    let namespace = d.m.namespace(0).unwrap();
    assert!(!namespace.active && !namespace.connected && namespace.sid.is_none());
}

#[test]
fn server_disconnect_of_one_namespace_keeps_the_others() {
    let mut d = Driver::connected();
    let admin = d.m.add_namespace("/admin");
    d.connect_ns(admin, "a1");
    d.text("41/admin,");
    assert_eq!(d.events(), strings(&["disconnect(1, io server disconnect)"]));
    assert!(d.io().is_empty());
    assert!(d.m.is_open());
    d.text(r#"42["still here"]"#);
    assert_eq!(d.events(), strings(&[r#"message(0, ["still here"], ack=None)"#]));
}

#[test]
fn client_disconnect_sends_disconnect_before_closing() {
    let mut d = Driver::connected();
    d.m.disconnect(d.now, 0);
    assert_eq!(d.io(), strings(&["41", "CLOSE"]));
    assert_eq!(d.events(), strings(&["close(forced close)", "disconnect(0, io client disconnect)"]));
    assert!(!d.m.is_reconnecting());
    assert_eq!(d.m.poll_timeout(), None);
    d.advance(60_000);
    assert!(d.events().is_empty() && d.io().is_empty(), "no reconnection");
    d.m.disconnect(d.now, 0);
    assert!(d.events().is_empty() && d.io().is_empty(), "a second disconnect does nothing");
    // connect() opens again.
    d.m.connect(d.now, 0);
    d.handshake();
    assert_eq!(d.events(), strings(&["open", "needs_connect(0)"]), "a fresh open, not a reconnection");
    d.m.send_connect(0, None);
    d.text(r#"40{"sid":"again"}"#);
    assert_eq!(d.io(), strings(&["40"]));
    assert_eq!(d.events(), strings(&["connect(0)"]));
}

#[test]
fn events_set_aside_let_a_disconnect_from_a_listener_come_first() {
    // Two events received in one go; the listener of the first disconnects: its events come before the
    // second event, as socket.io-client fires them inside disconnect().
    let mut d = Driver::connected();
    d.text(r#"42["a"]"#);
    d.text(r#"42["b"]"#);
    let first = d.m.poll_event().map(|event| render_event(&event));
    assert_eq!(first.as_deref(), Some(r#"message(0, ["a"], ack=None)"#));
    let aside = d.m.set_events_aside();
    d.m.disconnect(d.now, 0);
    assert_eq!(d.events(), strings(&["close(forced close)", "disconnect(0, io client disconnect)"]));
    d.m.restore_events(aside);
    assert_eq!(d.events(), strings(&[r#"message(0, ["b"], ack=None)"#]));
    assert_eq!(d.io(), strings(&["41", "CLOSE"]));
    // Events queued while the others were aside and not polled yet stay behind them.
    d.connect_ns(0, "again");
    d.text(r#"42["c"]"#);
    let aside = d.m.set_events_aside();
    d.text(r#"42["d"]"#);
    d.m.restore_events(aside);
    assert_eq!(d.events(), strings(&[r#"message(0, ["c"], ack=None)"#, r#"message(0, ["d"], ack=None)"#]));
}

#[test]
fn client_disconnect_of_one_namespace_keeps_the_connection() {
    let mut d = Driver::connected();
    let admin = d.m.add_namespace("/admin");
    d.connect_ns(admin, "a1");
    d.m.disconnect(d.now, admin);
    assert_eq!(d.io(), strings(&["41/admin,"]));
    assert_eq!(d.events(), strings(&["disconnect(1, io client disconnect)"]));
    assert!(d.m.is_open());
    d.text(r#"42/admin,["ignored"]"#);
    assert!(d.events().is_empty(), "an inactive namespace receives nothing");
}

#[test]
fn client_disconnect_while_opening_cancels_the_connection() {
    let (mut d, ns) = Driver::connecting("/");
    d.m.disconnect(d.now, ns);
    assert_eq!(d.io(), strings(&[&format!("OPEN {URL}"), "CLOSE"]));
    assert!(d.events().is_empty(), "it was never connected");
    assert_eq!(d.m.poll_timeout(), None, "no connect timeout left");
    d.text(HANDSHAKE);
    assert!(d.events().is_empty() && !d.m.is_open());
}

#[test]
fn client_disconnect_cancels_a_scheduled_reconnection() {
    let mut d = Driver::connected();
    d.transport_close();
    d.events();
    d.io();
    assert!(d.m.is_reconnecting());
    d.m.disconnect(d.now, 0);
    assert!(!d.m.is_reconnecting());
    assert_eq!(d.m.poll_timeout(), None);
    d.advance(60_000);
    assert!(d.events().is_empty() && d.io().is_empty());
}

// ----- reconnection -----

#[test]
fn reconnection_after_a_transport_close() {
    let mut d = Driver::connected();
    d.transport_close();
    assert_eq!(d.events(), strings(&["close(transport close)", "disconnect(0, transport close)"]));
    assert_eq!(d.io(), strings(&["CLOSE"]));
    assert!(d.m.namespace(0).unwrap().sid.is_none());
    assert_eq!(d.timer_in(), Some(1000));
    d.advance(999);
    assert!(d.events().is_empty() && d.io().is_empty());
    d.advance(1);
    assert_eq!(d.events(), strings(&["reconnect_attempt(1)"]));
    d.handshake();
    assert_eq!(d.events(), strings(&["open", "needs_connect(0)", "reconnect(1)"]));
    d.m.send_connect(0, None);
    assert_eq!(d.io(), strings(&["40"]));
    d.text(r#"40{"sid":"abc2"}"#);
    assert_eq!(d.events(), strings(&["connect(0)"]));
    assert_eq!(d.m.namespace(0).unwrap().sid.as_deref(), Some("abc2"));
    // The backoff was reset by the success.
    d.assert_backoff_reset();
}

/// A connected driver whose transport closed and whose first reconnection attempt is due and announced
/// (its `reconnect_attempt` event still queued), before the shell calls `reopen`.
fn at_first_reconnect_attempt() -> Driver {
    let mut d = Driver::connected();
    d.transport_close();
    d.events();
    d.io();
    d.now += 1000;
    d.m.handle_timeout(d.now);
    d
}

#[test]
fn a_reconnection_attempt_opens_once_its_listeners_ran_with_the_query_they_left() {
    let mut d = at_first_reconnect_attempt();
    assert_eq!(d.events(), strings(&["reconnect_attempt(1)"]));
    assert!(d.io().is_empty(), "nothing opens before the shell calls reopen");
    d.m.set_query(Query::parse("v=2").unwrap(), Query::parse("v=2").unwrap());
    d.m.reopen(d.now);
    assert_eq!(d.io(), strings(&["OPEN ws://x/socket.io/?v=2&EIO=4&transport=websocket"]));
    d.m.reopen(d.now);
    assert!(d.io().is_empty(), "one session per attempt");
}

#[test]
fn a_reconnect_attempt_listener_that_disconnects_stops_the_attempt() {
    let mut d = at_first_reconnect_attempt();
    d.m.disconnect(d.now, 0);
    d.m.reopen(d.now);
    assert!(d.io().is_empty());
    assert_eq!(d.m.poll_timeout(), None);
}

#[test]
fn close_is_a_forced_close_without_reconnection() {
    let mut d = Driver::connected();
    d.m.close(d.now);
    assert_eq!(d.events(), strings(&["close(forced close)", "disconnect(0, forced close)"]));
    assert_eq!(d.io(), strings(&["CLOSE"]));
    assert!(!d.m.is_reconnecting());
    assert_eq!(d.m.poll_timeout(), None);
    assert!(d.m.namespace(0).unwrap().active, "the socket stays active, as socket.io-client's");
    d.advance(60_000);
    assert!(d.events().is_empty() && d.io().is_empty());
}

#[test]
fn every_open_starts_a_session() {
    let mut d = Driver::connected();
    d.transport_close();
    let sessions = |d: &mut Driver| core::iter::from_fn(|| d.m.poll_event()).filter(|e| matches!(e, Event::SessionStarted)).count();
    assert_eq!(sessions(&mut d), 0, "a close starts nothing");
    d.advance(1000);
    assert_eq!(sessions(&mut d), 1, "the reconnection attempt opens a new session");
    d.m.open(d.now);
    assert_eq!(sessions(&mut d), 0, "open() while opening starts nothing");
}

#[test]
fn transport_error_after_open_reconnects() {
    let mut d = Driver::connected();
    d.transport_error();
    assert_eq!(
        d.events(),
        strings(&["error(transport)", "close(transport error)", "disconnect(0, transport error)"]),
        "the engine's error reaches the Manager before the close (no connect_error: the socket was connected)"
    );
    assert!(d.m.is_reconnecting());
    d.transport_error();
    assert!(d.events().is_empty(), "a second report of the same close is ignored");
    assert_eq!(d.timer_in(), Some(1000));
}

#[test]
fn reconnection_event_order() {
    let mut d = Driver::connected();
    d.transport_close();
    d.io();
    d.advance(1000);
    d.handshake();
    d.m.send_connect(0, None);
    d.text(r#"40{"sid":"abc2"}"#);
    let order: Vec<String> =
        d.events().into_iter().filter(|e| e.starts_with("disconnect") || e.starts_with("reconnect") || e.starts_with("connect")).collect();
    assert_eq!(order, strings(&["disconnect(0, transport close)", "reconnect_attempt(1)", "reconnect(1)", "connect(0)"]));
}

#[test]
fn failed_attempts_back_off_up_to_the_max() {
    let (mut d, _) = Driver::connecting("/");
    assert_eq!(d.io(), strings(&[&format!("OPEN {URL}")]));
    d.transport_close();
    assert_eq!(d.events(), strings(&["error(transport)", "connect_error(0, transport)"]), "the first open failed: no reconnect_error");
    let mut delays = Vec::new();
    assert_eq!(d.io(), strings(&["CLOSE"]));
    for attempt in 1..=5 {
        delays.push(d.timer_in().unwrap());
        d.advance(delays[delays.len() - 1]);
        assert_eq!(d.io(), strings(&[&format!("OPEN {URL}")]));
        d.transport_close();
        assert_eq!(
            d.events(),
            strings(&[
                &format!("reconnect_attempt({attempt})"),
                "error(transport)",
                "connect_error(0, transport)",
                "reconnect_error(transport)"
            ])
        );
        assert_eq!(d.io(), strings(&["CLOSE"]));
    }
    assert_eq!(delays, vec![1000, 2000, 4000, 5000, 5000]);
    // Success resets the attempts.
    d.advance(d.timer_in().unwrap());
    d.handshake();
    assert_eq!(d.events(), strings(&["reconnect_attempt(6)", "open", "needs_connect(0)", "reconnect(6)"]));
    d.assert_backoff_reset();
}

#[test]
fn a_bad_handshake_is_a_failed_attempt() {
    let (mut d, _) = Driver::connecting("/");
    d.io();
    d.text("0{}");
    assert_eq!(d.events(), strings(&["error(transport)", "connect_error(0, transport)"]));
    assert_eq!(d.io(), strings(&["CLOSE"]));
    assert_eq!(d.timer_in(), Some(1000));
}

#[test]
fn reconnection_attempts_are_limited() {
    let mut d = Driver::with(|o| o.reconnection_attempts = 2.0);
    let ns = d.m.add_namespace("/");
    d.connect_ns(ns, "abc");
    d.transport_close();
    d.events();
    d.advance(1000);
    d.io();
    d.transport_close();
    assert_eq!(
        d.events(),
        strings(&["reconnect_attempt(1)", "error(transport)", "connect_error(0, transport)", "reconnect_error(transport)"])
    );
    d.advance(2000);
    d.io();
    d.transport_close();
    d.io();
    // As socket.io-client: `reconnect()` (which gives up) runs before `reconnect_error` is emitted.
    assert_eq!(
        d.events(),
        strings(&[
            "reconnect_attempt(2)",
            "error(transport)",
            "connect_error(0, transport)",
            "reconnect_failed",
            "reconnect_error(transport)"
        ])
    );
    assert!(!d.m.is_reconnecting());
    assert_eq!(d.m.poll_timeout(), None);
    d.advance(60_000);
    assert!(d.events().is_empty() && d.io().is_empty(), "nothing more is scheduled");
    assert!(d.m.namespace(ns).unwrap().active, "the socket stays active after reconnect_failed");
    // A manual connect() starts over.
    d.m.connect(d.now, ns);
    assert_eq!(d.io(), strings(&[&format!("OPEN {URL}")]));
}

#[test]
fn no_reconnection_when_disabled() {
    let mut d = Driver::with(|o| o.reconnection = false);
    let ns = d.m.add_namespace("/");
    d.connect_ns(ns, "abc");
    d.transport_close();
    assert_eq!(d.events(), strings(&["close(transport close)", "disconnect(0, transport close)"]));
    assert_eq!(d.m.poll_timeout(), None);
    assert!(!d.m.is_reconnecting());
    // Nor after a failed first open.
    let mut d = Driver::with(|o| o.reconnection = false);
    let ns = d.m.add_namespace("/");
    d.m.connect(d.now, ns);
    d.transport_close();
    assert_eq!(d.events(), strings(&["error(transport)", "connect_error(0, transport)"]));
    assert_eq!(d.m.poll_timeout(), None);
    d.advance(60_000);
    assert!(d.events().is_empty());
}

#[test]
fn jittered_delays_are_reproducible_and_within_the_factor() {
    let delays = |seed| {
        let mut m = manager(options(), seed);
        let ns = m.add_namespace("/");
        let mut now = T0;
        m.connect(now, ns);
        let mut delays = Vec::new();
        let mut ws = 0;
        for _ in 0..4 {
            drain_io(&mut m, now, &mut ws);
            m.handle_input(now, ws, Input::WsError);
            let at = m.poll_timeout().unwrap();
            delays.push(at - now);
            now = at;
            m.handle_timeout(now);
            m.reopen(now);
        }
        delays
    };
    assert_eq!(delays(3), delays(3));
    for (n, delay) in delays(3).into_iter().enumerate() {
        let nominal = (1000.0 * 2f64.powi(n as i32)).min(5000.0);
        assert!((delay as f64) >= nominal * 0.5 && (delay as f64) <= 5000.0, "{n}: {delay}");
    }
}

#[test]
fn disconnect_then_connect_during_a_reconnection_starts_over() {
    let (mut d, ns) = Driver::connecting("/");
    d.assert_backoff_reset();
    d.m.disconnect(d.now, ns);
    assert_eq!(d.m.poll_timeout(), None);
    d.io();
    // The server is still unreachable: the new first attempt must schedule reconnections again.
    d.m.connect(d.now, ns);
    assert_eq!(d.io(), strings(&[&format!("OPEN {URL}")]));
    d.transport_close();
    assert_eq!(d.events(), strings(&["error(transport)", "connect_error(0, transport)"]));
    assert_eq!(d.timer_in(), Some(1000), "the backoff starts over");
    d.advance(1000);
    assert_eq!(d.events(), strings(&["reconnect_attempt(1)"]));
}

#[test]
fn connect_on_another_namespace_during_a_reconnection_waits_for_it() {
    let mut d = Driver::connected();
    d.transport_close();
    d.events();
    d.io();
    let admin = d.m.add_namespace("/admin");
    d.m.connect(d.now, admin);
    assert!(d.io().is_empty() && d.events().is_empty(), "no extra open while a reconnection is scheduled");
    d.advance(1000);
    d.handshake();
    assert_eq!(d.events(), strings(&["reconnect_attempt(1)", "open", "needs_connect(0)", "needs_connect(1)", "reconnect(1)"]));
}

// ----- connect timeout -----

#[test]
fn connect_timeout_at_exactly_the_deadline() {
    let mut d = Driver::with(|o| o.timeout = Some(5000));
    let ns = d.m.add_namespace("/");
    d.m.connect(d.now, ns);
    d.io();
    d.advance(4999);
    assert!(d.events().is_empty() && d.io().is_empty());
    d.advance(1);
    assert_eq!(d.events(), strings(&["error(timeout)", "connect_error(0, timeout)"]));
    assert_eq!(d.io(), strings(&["CLOSE"]));
    assert_eq!(d.timer_in(), Some(1000), "then reconnects");
    d.text(HANDSHAKE);
    assert!(!d.m.is_open(), "a late handshake on the abandoned transport is ignored");
    // A timed-out reconnection attempt is a reconnect_error.
    d.advance(1000);
    assert_eq!(d.io(), strings(&[&format!("OPEN {URL}")]));
    d.advance(5000);
    assert_eq!(d.events(), strings(&["reconnect_attempt(1)", "error(timeout)", "connect_error(0, timeout)", "reconnect_error(timeout)"]));
    assert_eq!(d.timer_in(), Some(2000));
}

#[test]
fn no_connect_timeout_when_disabled() {
    let mut d = Driver::with(|o| o.timeout = None);
    let ns = d.m.add_namespace("/");
    d.m.connect(d.now, ns);
    assert_eq!(d.m.poll_timeout(), None);
    d.sleep(1_000_000);
    d.handshake();
    assert_eq!(d.events(), strings(&["open", "needs_connect(0)"]));
}

#[test]
fn the_connect_timeout_does_not_fire_once_open() {
    let mut d = Driver::with(|o| o.timeout = Some(5000));
    let ns = d.m.add_namespace("/");
    d.connect_ns(ns, "abc");
    d.advance(6000);
    assert!(d.m.is_open() && d.events().is_empty());
}

// ----- several namespaces -----

#[test]
fn two_namespaces_share_one_connection() {
    let mut d = Driver::new();
    let main = d.m.add_namespace("/");
    let admin = d.m.add_namespace("/admin");
    d.m.connect(d.now, main);
    d.m.connect(d.now, admin);
    d.handshake();
    assert_eq!(d.events(), strings(&["open", "needs_connect(0)", "needs_connect(1)"]));
    d.m.send_connect(main, None);
    d.m.send_connect(admin, Some(message(r#"{"role":"admin"}"#, vec![])));
    assert_eq!(d.io(), strings(&["40", r#"40/admin,{"role":"admin"}"#]), "one transport, two CONNECTs");
    d.text(r#"40/admin,{"sid":"a1"}"#);
    d.text(r#"42["early for main"]"#);
    d.text(r#"40{"sid":"m1"}"#);
    assert_eq!(d.events(), strings(&["connect(1)", r#"message(0, ["early for main"], ack=None)"#, "connect(0)"]));
    d.text(r#"42["to main"]"#);
    d.text(r#"42/admin,3["to admin"]"#);
    d.text(r#"42/other,["nobody"]"#);
    d.text(r#"40/other,{"sid":"o"}"#);
    d.text("41/other,");
    d.text(r#"43/other,0["x"]"#);
    assert_eq!(d.events(), strings(&[r#"message(0, ["to main"], ack=None)"#, r#"message(1, ["to admin"], ack=Some(3))"#]));
    assert!(d.m.is_open(), "packets for unknown namespaces are ignored");
    d.emit(main, r#"["m"]"#, vec![], Some(1));
    d.emit(admin, r#"["a"]"#, vec![], Some(2));
    assert_eq!(d.io(), strings(&[r#"420["m"]"#, r#"42/admin,0["a"]"#]), "ack ids count per namespace");
    assert_eq!(d.events(), strings(&[r#"sent(0, ["m"])"#, r#"sent(1, ["a"])"#]));
    d.text(r#"43/admin,0["for admin"]"#);
    d.text(r#"430["for main"]"#);
    assert_eq!(d.events(), strings(&[r#"ack_reply(1, #2, ["for admin"])"#, r#"ack_reply(0, #1, ["for main"])"#]));
    d.transport_close();
    assert_eq!(d.events(), strings(&["close(transport close)", "disconnect(0, transport close)", "disconnect(1, transport close)"]));
}

#[test]
fn refusal_of_one_namespace_keeps_the_other() {
    let mut d = Driver::connected();
    let admin = d.m.add_namespace("/admin");
    d.m.connect(d.now, admin);
    d.m.send_connect(admin, None);
    d.events();
    d.io();
    d.text(r#"44/admin,{"message":"nope"}"#);
    assert_eq!(d.events(), strings(&[r#"connect_error(1, refused {"message":"nope"})"#]));
    assert!(d.io().is_empty() && d.m.is_open());
}

// ----- robustness -----

/// One input to a Manager in the property test.
#[derive(Debug, Clone)]
enum Step {
    Text(String),
    Binary(Vec<u8>),
    Advance(Millis),
    Sleep(Millis),
    TransportClose(bool),
    Connect(NsId),
    SendConnect(NsId),
    Disconnect(NsId),
    Emit(NsId, usize, bool),
    Ack(NsId, u64, usize),
}

/// Frames that look like protocol traffic, mixed with arbitrary text.
fn frame() -> impl Strategy<Value = String> {
    let nsp = prop_oneof![Just(String::new()), Just("/admin,".to_string()), Just("/x,".to_string()), "/[a-z,]{0,3}"];
    let json = prop_oneof![
        Just(r#"{"sid":"s"}"#.to_string()),
        Just(r#"["e",1]"#.to_string()),
        Just(r#"["e",{"_placeholder":true,"num":0}]"#.to_string()),
        Just(r#"[{"_placeholder":true,"num":1}]"#.to_string()),
        Just(r#"["connect"]"#.to_string()),
        Just(r#"{"message":"m"}"#.to_string()),
        Just(String::new()),
        "[\\[\\]{}\":,a-z0-9_]{0,12}",
    ];
    let socketio = ("[0-7]", "([0-9]{1,2}-)?", nsp, "[0-9]{0,3}", json).prop_map(|(t, a, n, id, j)| format!("4{t}{a}{n}{id}{j}"));
    let canned = proptest::sample::select(vec![
        HANDSHAKE,
        r#"0{"sid":"z","pingInterval":0,"pingTimeout":0}"#,
        r#"0{"sid":"z","pingInterval":1e300,"pingTimeout":1e300}"#,
        "2",
        "1",
        r#"40{"sid":"s"}"#,
        r#"40/admin,{"sid":"a"}"#,
        "40",
        "41",
        "41/admin,",
        r#"44{"message":"m"}"#,
        r#"44/admin,{"message":"m"}"#,
        r#"421["e"]"#,
        r#"430[]"#,
        r#"451-["e",{"_placeholder":true,"num":0}]"#,
        r#"461-/admin,0[{"_placeholder":true,"num":0}]"#,
    ])
    .prop_map(str::to_string);
    prop_oneof![
        4 => socketio,
        4 => canned,
        1 => "[0-9b][a-z0-9]{0,3}",
        1 => "\\PC{0,12}",
    ]
}

fn step() -> impl Strategy<Value = Step> {
    let ns = 0usize..3;
    prop_oneof![
        6 => frame().prop_map(Step::Text),
        2 => proptest::collection::vec(any::<u8>(), 0..4).prop_map(Step::Binary),
        2 => prop_oneof![Just(1u64), Just(1000), Just(5000), Just(45_000), 0u64..100_000].prop_map(Step::Advance),
        1 => (0u64..100_000).prop_map(Step::Sleep),
        1 => any::<bool>().prop_map(Step::TransportClose),
        2 => ns.clone().prop_map(Step::Connect),
        2 => ns.clone().prop_map(Step::SendConnect),
        1 => ns.clone().prop_map(Step::Disconnect),
        2 => (ns.clone(), 0usize..3, any::<bool>()).prop_map(|(ns, n, ack)| Step::Emit(ns, n, ack)),
        1 => (ns, 0u64..4, 0usize..2).prop_map(|(ns, id, n)| Step::Ack(ns, id, n)),
    ]
}

/// Checks the transport actions drained after a step: nothing is sent outside an open transport, every
/// `Close` follows an `Open`.
struct Wire {
    open: bool,
    ws: TransportId,
}

impl Wire {
    fn check(&mut self, io: Io<String, Vec<u8>>) -> Result<(), TestCaseError> {
        match io {
            Io::OpenWebSocket { id, .. } => {
                prop_assert!(!self.open, "a second transport opened without closing the first");
                self.open = true;
                self.ws = id;
            }
            Io::Send { id, frames } => prop_assert!(self.open && id == self.ws, "{frames:?} sent with no transport open"),
            Io::Close { id } => {
                prop_assert!(self.open && id == self.ws, "a close with no transport open");
                self.open = false;
            }
            other => prop_assert!(false, "unexpected {other:?} on a WebSocket-only connection"),
        }
        Ok(())
    }
}

fn run(steps: Vec<Step>, options: ManagerOptions) -> Result<(), TestCaseError> {
    let has_timeout = options.timeout.is_some();
    let never_gives_up = options.reconnection && options.reconnection_attempts.is_infinite();
    let mut m = manager(options, 11);
    for name in ["/", "/admin", "/x"] {
        m.add_namespace(name);
    }
    let mut now = T0;
    let mut wire = Wire { open: false, ws: 0 };
    let mut ack = 0u32;
    for step in steps {
        match step {
            Step::Text(text) => m.handle_input(now, wire.ws, Input::WsText(text)),
            Step::Binary(bytes) => m.handle_input(now, wire.ws, Input::WsBinary(bytes)),
            Step::Advance(ms) => {
                let target = now + ms;
                let mut fired = 0;
                while let Some(at) = m.poll_timeout().filter(|at| *at <= target) {
                    now = now.max(at);
                    m.handle_timeout(now);
                    m.reopen(now);
                    let next = m.poll_timeout();
                    prop_assert!(next.is_none_or(|next| next > now), "the timer stays due at {now}: {next:?}");
                    fired += 1;
                    prop_assert!(fired < 100);
                }
                now = target;
            }
            Step::Sleep(ms) => now += ms,
            Step::TransportClose(error) => m.handle_input(now, wire.ws, if error { Input::WsError } else { Input::WsClose }),
            Step::Connect(ns) => m.connect(now, ns),
            Step::SendConnect(ns) => m.send_connect(ns, None),
            Step::Disconnect(ns) => m.disconnect(now, ns),
            Step::Emit(ns, n, with_ack) => {
                ack += 1;
                let body = format!("[\"e\"{}]", r#",{"_placeholder":true,"num":0}"#.repeat(n));
                let callback = with_ack.then_some(Callback { function: ack, error_first: false });
                m.emit(now, ns, message(&body, vec![vec![1]; n]), callback);
            }
            Step::Ack(ns, id, n) => {
                let body = format!("[{}]", r#"{"_placeholder":true,"num":0},"#.repeat(n).trim_end_matches(','));
                m.ack(now, ns, id, message(&body, vec![vec![2]; n]));
            }
        }
        let mut ws = wire.ws;
        for io in drain_io(&mut m, now, &mut ws) {
            wire.check(io)?;
        }
        while let Some(event) = m.poll_event() {
            let _ = render_event(&event);
        }
        // A sane timer: a connection being opened or open always has a deadline, and so has a scheduled
        // reconnection; and nothing is due in the past except what the late shell has not fired yet.
        prop_assert_eq!(m.is_open(), m.engine_sid().is_some());
        prop_assert!(wire.open || !m.is_open(), "open without a transport");
        let active = (0..3).any(|ns| m.namespace(ns).unwrap().active);
        if never_gives_up && active {
            prop_assert!(wire.open || m.is_reconnecting(), "an active socket is neither connecting nor reconnecting");
        }
        let opening = wire.open && !m.is_open();
        if m.is_open() || (opening && has_timeout) || (m.is_reconnecting() && !wire.open) {
            prop_assert!(m.poll_timeout().is_some(), "an open or opening connection or a scheduled reconnection without a timer");
        }
        for ns in 0..3 {
            let namespace = m.namespace(ns).unwrap();
            prop_assert!(!namespace.connected || m.is_open(), "namespace {ns} connected without a connection");
            prop_assert_eq!(namespace.connected, namespace.sid.is_some());
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_traffic_never_breaks_the_manager(steps in proptest::collection::vec(step(), 0..60)) {
        run(steps, options())?;
    }

    #[test]
    fn arbitrary_traffic_with_limited_or_no_reconnection(
        steps in proptest::collection::vec(step(), 0..60),
        reconnection in any::<bool>(),
        attempts in 0u32..3,
        timeout in proptest::option::of(1u64..30_000),
    ) {
        let mut options = options();
        options.reconnection = reconnection;
        options.reconnection_attempts = f64::from(attempts);
        options.timeout = timeout;
        run(steps, options)?;
    }
}

/// Steps that connect `/` and `/admin`, so that the deeper states are reached more often.
fn warm_up() -> Vec<Step> {
    vec![
        Step::Connect(0),
        Step::Connect(1),
        Step::Text(HANDSHAKE.to_string()),
        Step::SendConnect(0),
        Step::SendConnect(1),
        Step::Text(r#"40{"sid":"s"}"#.to_string()),
        Step::Text(r#"40/admin,{"sid":"a"}"#.to_string()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn connected_manager_survives_arbitrary_traffic(steps in proptest::collection::vec(step(), 0..40)) {
        run([warm_up(), steps].concat(), options())?;
    }
}
