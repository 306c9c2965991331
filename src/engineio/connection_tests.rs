//! Native scenario tests for the Engine.IO connection state machine over [`TestHost`], driven by a manual
//! clock.
//!
//! A [`Driver`] owns an [`Engine`] and plays both the server and the shell: it drains [`Engine::poll_io`]
//! into readable lines (`GET#1 <url>`, `POST#1 42["a"]|b/wAH`, `WS#2 OPEN <url>`, `WS#2 SEND 2probe`,
//! `CLOSE#1`; the random `t=` token is rendered `t=T`), answers the requests in flight with [`Input`]s
//! tagged with the right transport id, and renders events as `open(e1)`, `message(2["a"])`,
//! `close(transport error, TransportFailed(Poll(500)))` and so on. Every action drained goes through a
//! [`Wire`] that checks the shell-level invariants (one GET and one POST in flight per polling transport,
//! nothing sent on a closed transport but its last `1`, ids never reused), in the scenarios as in the
//! property test at the end.

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;

use super::connection::{Engine, EngineConfig, EngineEvent, Input, Io, TransportId};
use super::packet::Frame;
use super::payload::encode_payload;
use super::url::TransportKind;
use crate::testhost::{test_config, TestHost};
use crate::Millis;

use TransportKind::{Polling, WebSocket};

const PING_INTERVAL: Millis = 25_000;
const PING_TIMEOUT: Millis = 20_000;
/// Where the clock starts.
const T0: Millis = 1_000_000;
/// The handshake of a server that offers the upgrade.
const HANDSHAKE: &str = r#"0{"sid":"e1","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}"#;
/// The first GET of a session.
const FIRST_GET_URL: &str = "http://x/socket.io/?EIO=4&transport=polling&t=T";
/// Every later polling request of session `e1`.
const POLL_URL: &str = "http://x/socket.io/?EIO=4&transport=polling&sid=e1&t=T";
/// A WebSocket opened without a session (`transports: ["websocket"]`, `rememberUpgrade`).
const WS_URL: &str = "ws://x/socket.io/?EIO=4&transport=websocket";
/// The upgrade probe of session `e1`.
const PROBE_URL: &str = "ws://x/socket.io/?EIO=4&transport=websocket&sid=e1";

/// A handshake for session `e1` with these upgrades and this `maxPayload`.
fn handshake(upgrades: &[&str], max_payload: u64) -> String {
    let upgrades: Vec<String> = upgrades.iter().map(|u| format!("\"{u}\"")).collect();
    format!(
        r#"0{{"sid":"e1","upgrades":[{}],"pingInterval":{PING_INTERVAL},"pingTimeout":{PING_TIMEOUT},"maxPayload":{max_payload}}}"#,
        upgrades.join(",")
    )
}

/// A handshake that offers no upgrade.
fn no_upgrade() -> String {
    handshake(&[], 1_000_000)
}

/// Polling body made of these packets.
fn body(packets: &[&str]) -> String {
    packets.join("\u{1e}")
}

fn get(id: TransportId) -> String {
    format!("GET#{id} {POLL_URL}")
}

fn post(id: TransportId, payload: &str) -> String {
    format!("POST#{id} {payload}")
}

fn send(id: TransportId, frames: &str) -> String {
    format!("WS#{id} SEND {frames}")
}

fn close(id: TransportId) -> String {
    format!("CLOSE#{id}")
}

// ----- rendering -----

/// The URL with its `t=` token (eight base-36 characters) replaced by `T`.
fn normalise(url: &str) -> String {
    let (base, query) = url.split_once('?').expect("a query");
    let params: Vec<String> = query
        .split('&')
        .map(|param| match param.strip_prefix("t=") {
            Some(token) => {
                assert!(token.len() == 8 && token.bytes().all(|b| b.is_ascii_digit() || b.is_ascii_lowercase()), "{url}");
                "t=T".to_string()
            }
            None => param.to_string(),
        })
        .collect();
    format!("{base}?{}", params.join("&"))
}

/// A frame as it travels in a polling payload (binary as `b` + base64).
fn payload_frame(frame: &Frame<String, Vec<u8>>) -> String {
    encode_payload::<TestHost>(core::slice::from_ref(frame)).expect("test binaries are readable")
}

/// A frame as one WebSocket message.
fn ws_frame(frame: &Frame<String, Vec<u8>>) -> String {
    match frame {
        Frame::Text(text) => text.join(),
        Frame::Binary(bytes) => format!("BIN{bytes:?}"),
    }
}

fn join(frames: &[Frame<String, Vec<u8>>], render: fn(&Frame<String, Vec<u8>>) -> String) -> String {
    frames.iter().map(render).collect::<Vec<_>>().join("|")
}

fn render_io(io: &Io<String, Vec<u8>>) -> String {
    match io {
        Io::OpenWebSocket { id, url } => format!("WS#{id} OPEN {}", normalise(url)),
        Io::Send { id, frames } => send(*id, &join(frames, ws_frame)),
        Io::Poll { id, url } => format!("GET#{id} {}", normalise(url)),
        Io::Post { id, frames, .. } => post(*id, &join(frames, payload_frame)),
        Io::Close { id } => close(*id),
    }
}

fn render_event(event: &EngineEvent<TestHost>) -> String {
    match event {
        EngineEvent::Open(handshake) => format!("open({})", handshake.sid),
        EngineEvent::Message(text) => format!("message({})", &text[1..]),
        EngineEvent::Binary(bytes) => format!("binary({bytes:?})"),
        EngineEvent::Ping => "ping".to_string(),
        EngineEvent::Upgrading => "upgrading".to_string(),
        EngineEvent::Upgrade => "upgrade".to_string(),
        EngineEvent::UpgradeError => "upgrade_error".to_string(),
        EngineEvent::OpenFailed(failure) => format!("open_failed({failure:?})"),
        EngineEvent::Close(reason, cause) => format!("close({}, {cause:?})", reason.as_str()),
        EngineEvent::Packet { created, kind, data } => {
            let data = match data {
                Some(Frame::Text(text)) => text.join(),
                Some(Frame::Binary(bytes)) => format!("{bytes:?}"),
                None => String::new(),
            };
            format!("{}({kind} {data})", if *created { "packet_create" } else { "packet" })
        }
    }
}

// ----- the shell's view of the transports -----

/// What the shell knows of every transport, learnt from the actions drained, and the invariants those
/// actions must keep.
#[derive(Default)]
struct Wire {
    kinds: BTreeMap<TransportId, TransportKind>,
    closed: BTreeSet<TransportId>,
    /// Polling transports with a GET in flight.
    gets: BTreeSet<TransportId>,
    /// Polling transports with a POST in flight.
    posts: BTreeSet<TransportId>,
    /// Closed polling transports that have POSTed their last packets (ending with `1`).
    farewells: BTreeSet<TransportId>,
    /// The last WebSocket opened.
    last_ws: Option<TransportId>,
    /// The URL of the last POST (normalised).
    last_post_url: Option<String>,
    /// The session's `maxPayload` (0: unknown), which no POST of several packets may exceed.
    max_payload: u64,
}

/// Whether `frame` is the client's close packet, which only a closing polling transport sends.
fn is_close(frame: &Frame<String, Vec<u8>>) -> bool {
    matches!(frame, Frame::Text(text) if text.join() == "1")
}

fn ensure(condition: bool, message: impl FnOnce() -> String) -> Result<(), String> {
    if condition {
        Ok(())
    } else {
        Err(message())
    }
}

impl Wire {
    fn live(&self) -> impl Iterator<Item = TransportId> + '_ {
        self.kinds.keys().copied().filter(|id| !self.closed.contains(id))
    }

    fn record(&mut self, io: &Io<String, Vec<u8>>) -> Result<(), String> {
        let what = || render_io(io);
        match io {
            Io::OpenWebSocket { id, .. } => {
                ensure(!self.kinds.contains_key(id), || format!("{}: transport id reused", what()))?;
                self.kinds.insert(*id, WebSocket);
                self.last_ws = Some(*id);
            }
            Io::Poll { id, .. } => {
                let kind = *self.kinds.entry(*id).or_insert(Polling);
                ensure(kind == Polling, || format!("{}: a GET on a WebSocket", what()))?;
                ensure(!self.closed.contains(id), || format!("{}: a GET on a closed transport", what()))?;
                ensure(self.gets.insert(*id), || format!("{}: a second GET in flight", what()))?;
            }
            Io::Post { id, url, frames } => {
                ensure(self.kinds.get(id) == Some(&Polling), || format!("{}: a POST on no polling transport", what()))?;
                ensure(!frames.is_empty(), || format!("{}: an empty POST", what()))?;
                ensure(self.posts.insert(*id), || format!("{}: a second POST in flight", what()))?;
                self.last_post_url = Some(normalise(url));
                let closes = frames.iter().filter(|f| is_close(f)).count();
                if self.closed.contains(id) {
                    let last_is_close = frames.last().is_some_and(is_close);
                    ensure(last_is_close && closes == 1, || format!("{}: a POST on a closed transport", what()))?;
                    ensure(self.farewells.insert(*id), || format!("{}: a second POST after closing", what()))?;
                } else {
                    ensure(closes == 0, || format!("{}: a close packet on a live transport", what()))?;
                }
                if frames.len() > 1 && self.max_payload > 0 && !self.closed.contains(id) {
                    let size = frames.iter().map(|f| payload_frame(f).len() as u64 + 1).sum::<u64>() - 1;
                    ensure(size <= self.max_payload, || format!("{}: {size} bytes > maxPayload", what()))?;
                }
            }
            Io::Send { id, frames } => {
                ensure(self.kinds.get(id) == Some(&WebSocket), || format!("{}: a send on no WebSocket", what()))?;
                ensure(!self.closed.contains(id), || format!("{}: a send on a closed WebSocket", what()))?;
                ensure(!frames.is_empty() && !frames.iter().any(is_close), || format!("{}: a bad send", what()))?;
            }
            Io::Close { id } => {
                ensure(self.kinds.contains_key(id), || format!("{}: an unknown transport", what()))?;
                ensure(self.closed.insert(*id), || format!("{}: closed twice", what()))?;
                self.gets.remove(id);
            }
        }
        Ok(())
    }
}

// ----- the driver -----

/// An engine, a manual clock, and the server's and shell's side of the conversation.
struct Driver {
    e: Engine<TestHost>,
    now: Millis,
    wire: Wire,
    /// Actions drained (to learn transport ids) but not yet looked at.
    lines: Vec<String>,
}

impl Driver {
    fn from_config(config: EngineConfig) -> Self {
        Self { e: Engine::new(config, 5), now: T0, wire: Wire::default(), lines: Vec::new() }
    }

    /// socket.io-client's defaults (`["polling", "websocket"]`, upgrade) tweaked by `tweak`; not opened.
    fn with(tweak: impl FnOnce(&mut EngineConfig)) -> Self {
        let mut config = test_config(&[Polling, WebSocket]);
        tweak(&mut config);
        Self::from_config(config)
    }

    fn new() -> Self {
        Self::with(|_| {})
    }

    /// This engine opened over polling (transport 1) with `handshake`; io and events drained.
    fn opened(mut self, handshake: &str) -> Self {
        self.e.open();
        assert_eq!(self.io(), [format!("GET#1 {FIRST_GET_URL}")]);
        self.respond_get(handshake);
        assert_eq!(self.events(), ["open(e1)"]);
        self.io();
        self
    }

    /// A session open over polling with no upgrade offered; a GET in flight.
    fn polling() -> Self {
        Self::new().opened(&no_upgrade())
    }

    /// This polling session's probe (transport 2) opened and its `2probe` drained.
    fn probed(mut self) -> Self {
        self.ws_open();
        assert_eq!(self.io(), [send(2, "2probe")]);
        self.ws_drain();
        self
    }

    /// This polling session's probe answered `3probe`; the GET still in flight.
    fn upgrading(self) -> Self {
        let mut d = self.probed();
        d.ws_text("3probe");
        assert_eq!(d.events(), ["upgrading"]);
        assert!(d.io().is_empty(), "no new GET while pausing");
        d
    }

    /// This polling session upgraded to WebSocket (transport 2), the `5` drained.
    fn upgraded(self) -> Self {
        let mut d = self.upgrading();
        d.respond_get("6");
        assert_eq!(d.io(), [close(1), send(2, "5")]);
        assert_eq!(d.events(), ["upgrade"]);
        d.ws_drain();
        assert!(d.io().is_empty());
        d
    }

    /// A session open over WebSocket only (transport 1).
    fn websocket() -> Self {
        let mut d = Self::from_config(test_config(&[WebSocket]));
        d.e.open();
        assert_eq!(d.io(), [format!("WS#1 OPEN {WS_URL}")]);
        d.ws_open();
        d.ws_text(&no_upgrade());
        assert_eq!(d.events(), ["open(e1)"]);
        assert!(d.io().is_empty());
        d
    }

    fn try_pump(&mut self) -> Result<(), String> {
        while let Some(io) = self.e.poll_io() {
            self.wire.record(&io)?;
            self.lines.push(render_io(&io));
        }
        Ok(())
    }

    fn pump(&mut self) {
        if let Err(error) = self.try_pump() {
            panic!("{error}\nafter {:#?}", self.lines);
        }
    }

    /// Drains the transport actions.
    fn io(&mut self) -> Vec<String> {
        self.pump();
        core::mem::take(&mut self.lines)
    }

    /// Drains the events.
    fn events(&mut self) -> Vec<String> {
        core::iter::from_fn(|| self.e.poll_event()).map(|event| render_event(&event)).collect()
    }

    /// Reports `input` about transport `id` now.
    fn input(&mut self, id: TransportId, input: Input<String, Vec<u8>>) {
        self.pump();
        self.e.handle_input(self.now, id, input);
        self.pump();
    }

    /// The only request of this kind in flight, now answered.
    fn take(&mut self, requests: fn(&mut Wire) -> &mut BTreeSet<TransportId>, what: &str) -> TransportId {
        self.pump();
        let set = requests(&mut self.wire);
        assert_eq!(set.len(), 1, "expected one {what} in flight, got {set:?}");
        set.pop_first().unwrap()
    }

    /// The server answers the GET in flight with `body`.
    fn respond_get(&mut self, body: &str) {
        let id = self.take(|w| &mut w.gets, "GET");
        self.input(id, Input::Poll(Ok(body.to_string())));
    }

    /// The GET in flight fails with `status`.
    fn fail_get(&mut self, status: u16) {
        let id = self.take(|w| &mut w.gets, "GET");
        self.input(id, Input::Poll(Err(status)));
    }

    /// The server answers the POST in flight on transport `id` (`ok`, or a failure status).
    fn answer_post_on(&mut self, id: TransportId, result: Result<(), u16>) {
        self.pump();
        assert!(self.wire.posts.remove(&id), "no POST in flight on #{id}");
        self.input(id, Input::Post(result));
    }

    /// The server answers the POST in flight with `ok`.
    fn respond_post(&mut self) {
        let id = self.take(|w| &mut w.posts, "POST");
        self.input(id, Input::Post(Ok(())));
    }

    /// The POST in flight fails with `status`.
    fn fail_post(&mut self, status: u16) {
        let id = self.take(|w| &mut w.posts, "POST");
        self.input(id, Input::Post(Err(status)));
    }

    /// Reports `input` about the last WebSocket opened.
    fn ws_input(&mut self, input: Input<String, Vec<u8>>) {
        self.pump();
        let id = self.wire.last_ws.expect("no WebSocket opened");
        self.input(id, input);
    }

    fn ws_open(&mut self) {
        self.ws_input(Input::WsOpen);
    }

    fn ws_text(&mut self, text: &str) {
        self.ws_input(Input::WsText(text.to_string()));
    }

    fn ws_drain(&mut self) {
        self.ws_input(Input::WsDrain);
    }

    /// Queues the Socket.IO packet `packet` (sent as `4` + `packet`).
    fn send(&mut self, packet: &str) {
        self.e.send_message(packet, None);
    }

    /// Queues a message whose text is a payload handle (as an emit's JSON is), sent as `4` + `text`.
    fn send_text(&mut self, text: &str) {
        self.e.send_message("", Some(text.to_string()));
    }

    /// Moves the clock to `target`, firing the timer every time it is due on the way.
    fn advance_to(&mut self, target: Millis) {
        while let Some(at) = self.e.poll_timeout().filter(|at| *at <= target) {
            self.now = self.now.max(at);
            self.e.handle_timeout(self.now);
            assert!(self.e.poll_timeout().is_none_or(|next| next > self.now), "the timer stays due");
        }
        self.now = self.now.max(target);
    }

    fn advance(&mut self, ms: Millis) {
        self.advance_to(self.now + ms);
    }

    /// Moves the clock without firing the timer (a throttled background tab).
    fn sleep(&mut self, ms: Millis) {
        self.now += ms;
    }

    /// Reports `input` about transport `id` and checks that nothing at all comes of it.
    fn assert_ignored(&mut self, id: TransportId, input: Input<String, Vec<u8>>) {
        let shown = format!("{input:?} on #{id}");
        let undrained = (self.io(), self.events());
        assert!(undrained.0.is_empty() && undrained.1.is_empty(), "undrained before {shown}: {undrained:?}");
        self.input(id, input);
        assert!(self.io().is_empty() && self.events().is_empty(), "{shown} was not ignored");
    }
}

// ----- polling: handshake and the GET loop -----

#[test]
fn polling_handshake_then_the_get_loop() {
    let mut d = Driver::new();
    assert_eq!((d.e.ready_state(), d.e.is_active(), d.e.transport_kind()), ("closed", false, None));
    d.e.open();
    assert_eq!(d.io(), [format!("GET#1 {FIRST_GET_URL}")], "no sid before the handshake, a t= token");
    assert_eq!((d.e.ready_state(), d.e.sid(), d.e.poll_timeout()), ("opening", None, None));
    d.e.open();
    assert!(d.io().is_empty(), "open() while opening does nothing");
    d.respond_get(&no_upgrade());
    assert_eq!(d.events(), ["open(e1)"]);
    assert_eq!(d.io(), [get(1)], "the next GET carries the sid");
    assert_eq!((d.e.ready_state(), d.e.sid(), d.e.transport_kind()), ("open", Some("e1"), Some(Polling)));
    d.respond_get("6");
    assert!(d.events().is_empty());
    assert_eq!(d.io(), [get(1)], "a noop releases the GET; the loop goes on");
    d.respond_get(r#"42["a"]"#);
    assert_eq!(d.events(), [r#"message(2["a"])"#]);
    assert_eq!(d.io(), [get(1)]);
}

#[test]
fn a_payload_of_several_packets_is_delivered_in_order() {
    let mut d = Driver::polling();
    d.respond_get(&body(&["2", "4a", "b/wAH", r#"42["x"]"#, "3", "5", "6"]));
    assert_eq!(d.events(), ["ping", "message(a)", "binary([255, 0, 7])", r#"message(2["x"])"#]);
    assert_eq!(d.io(), [post(1, "3"), get(1)], "the ping is answered by a POSTed pong");
    assert_eq!(d.wire.last_post_url.as_deref(), Some(POLL_URL), "POSTs carry the sid and a t= token");
}

#[test]
fn the_handshake_may_share_a_body_with_the_first_packets() {
    let mut d = Driver::new();
    d.e.open();
    d.io();
    d.respond_get(&body(&[&no_upgrade(), "4hi", "2"]));
    assert_eq!(d.events(), ["open(e1)", "message(hi)", "ping"]);
    assert_eq!(d.io(), [post(1, "3"), get(1)]);
}

#[test]
fn writes_before_the_handshake_go_out_with_it() {
    let mut d = Driver::new();
    d.e.open();
    assert!(!d.e.is_writable());
    d.send(r#"0{"token":1}"#);
    assert_eq!(d.io(), [format!("GET#1 {FIRST_GET_URL}")], "buffered while opening");
    d.respond_get(&no_upgrade());
    assert_eq!(d.io(), [post(1, r#"40{"token":1}"#), get(1)]);
}

// ----- polling: POST batching -----

#[test]
fn writes_wait_for_the_post_in_flight_and_go_out_together() {
    let mut d = Driver::polling();
    assert!(d.e.is_writable());
    d.send(r#"2["a"]"#);
    assert_eq!(d.io(), [post(1, r#"42["a"]"#)]);
    assert!(!d.e.is_writable(), "a POST is in flight");
    d.e.send_message("2", Some(r#"["b"]"#.to_string()));
    d.e.send_binary(vec![1, 2, 3]);
    d.send(r#"2["c"]"#);
    assert!(d.io().is_empty(), "one POST at a time");
    d.respond_post();
    assert_eq!(d.io(), [post(1, r#"42["b"]|bAQID|42["c"]"#)]);
    d.respond_post();
    assert!(d.io().is_empty() && d.e.is_writable());
}

/// A session with `maxPayload` = `max` and a first POST (`4x`) in flight, so that what is written next is
/// batched.
fn batching(max: u64) -> Driver {
    let mut d = Driver::new().opened(&handshake(&[], max));
    d.wire.max_payload = max;
    d.send("x");
    assert_eq!(d.io(), [post(1, "4x")]);
    d
}

#[test]
fn posts_are_split_under_max_payload() {
    let mut d = batching(20);
    d.send("aaaaaaaa"); // 9 bytes
    d.send("bbbbbbbbb"); // 10 bytes: with the separator, exactly 20
    d.send("c");
    d.send("d");
    d.respond_post();
    assert_eq!(d.io(), [post(1, "4aaaaaaaa|4bbbbbbbbb")], "a body of exactly maxPayload bytes is allowed");
    d.respond_post();
    assert_eq!(d.io(), [post(1, "4c|4d")]);
}

#[test]
fn text_counts_as_its_utf8_size() {
    // Three CJK characters: 3 code units in a JS string, 9 bytes on the wire.
    let mut d = batching(20);
    d.send_text("\u{4e2d}\u{6587}\u{5b57}"); // 1 + 9 = 10 bytes
    d.send_text("\u{e9}\u{e9}\u{e9}\u{e9}"); // 1 + 8 = 9 bytes: with the separator, exactly 20
    d.send_text("\u{1f600}"); // one surrogate pair: 1 + 4 bytes
    d.respond_post();
    assert_eq!(d.io(), [post(1, "4\u{4e2d}\u{6587}\u{5b57}|4\u{e9}\u{e9}\u{e9}\u{e9}")]);
    d.respond_post();
    assert_eq!(d.io(), [post(1, "4\u{1f600}")]);
}

#[test]
fn large_cjk_emits_are_split_by_their_byte_size() {
    // issue 13, item 8: three emits of 200,000 CJK characters (600,000 bytes each on the wire) in one tick
    // went out as one 1.8 MB POST, counted as 600,000 code units; the server answers 413.
    let mut d = batching(1_000_000);
    let big = "\u{4e2d}".repeat(200_000);
    for _ in 0..3 {
        d.send_text(&big);
    }
    for _ in 0..3 {
        d.respond_post();
        assert_eq!(d.io().len(), 1, "one POST per large emit");
    }
    d.respond_post();
    assert!(d.io().is_empty() && d.e.is_writable());
}

#[test]
fn binary_counts_as_its_base64_size() {
    let mut d = batching(20);
    d.e.send_binary(vec![7; 9]); // b + 12 characters
    d.send("aaaaa"); // 6 bytes: 13 + 1 + 6 = 20
    d.send("z");
    d.respond_post();
    assert_eq!(d.io(), [post(1, "bBwcHBwcHBwcH|4aaaaa")]);
    d.respond_post();
    assert_eq!(d.io(), [post(1, "4z")]);
}

#[test]
fn a_packet_larger_than_max_payload_goes_alone() {
    let big = "y".repeat(30);
    let mut d = batching(20);
    d.send("a");
    d.send(&big);
    d.send("b");
    d.respond_post();
    assert_eq!(d.io(), [post(1, "4a")]);
    d.respond_post();
    assert_eq!(d.io(), [post(1, &format!("4{big}"))], "too big, but sent anyway, on its own");
    d.respond_post();
    assert_eq!(d.io(), [post(1, "4b")]);
}

#[test]
fn no_limit_when_the_server_gives_none() {
    let mut d = Driver::new().opened(r#"0{"sid":"e1","upgrades":[],"pingInterval":25000,"pingTimeout":20000}"#);
    d.send("x");
    d.io();
    for _ in 0..50 {
        d.send(&"z".repeat(100_000));
    }
    d.respond_post();
    assert_eq!(d.io().len(), 1, "one POST");
}

// ----- heartbeat -----

#[test]
fn the_ping_deadline_follows_the_handshake_and_each_ping() {
    let mut d = Driver::polling();
    assert_eq!(d.e.poll_timeout(), Some(T0 + PING_INTERVAL + PING_TIMEOUT));
    d.sleep(10_000);
    d.respond_get("2");
    assert_eq!(d.events(), ["ping"]);
    assert_eq!(d.e.poll_timeout(), Some(T0 + 10_000 + PING_INTERVAL + PING_TIMEOUT));
    d.sleep(5_000);
    d.respond_get(&body(&["4a", "3", "6"]));
    d.respond_post();
    d.send("out");
    assert_eq!(
        d.e.poll_timeout(),
        Some(T0 + 10_000 + PING_INTERVAL + PING_TIMEOUT),
        "only pings move the deadline, not messages nor writes"
    );
}

#[test]
fn the_ping_deadline_is_exclusive_for_ping_expired_and_inclusive_for_the_timer() {
    let mut d = Driver::polling();
    let deadline = T0 + PING_INTERVAL + PING_TIMEOUT;
    assert!(!d.e.ping_expired(deadline) && d.e.ping_expired(deadline + 1));
    d.e.handle_timeout(deadline - 1);
    assert!(d.io().is_empty() && d.events().is_empty() && d.e.is_open(), "an early wake-up does nothing");
    d.advance_to(deadline);
    assert_eq!(d.events(), ["close(ping timeout, None)"]);
    assert_eq!(d.io(), [close(1), post(1, "1")], "the GET is aborted and the server told with a POSTed 1");
    assert_eq!((d.e.is_active(), d.e.poll_timeout(), d.e.sid()), (false, None, None));
    assert!(!d.e.ping_expired(deadline + 1), "no deadline once closed");
    d.respond_post();
    assert!(d.io().is_empty());
}

#[test]
fn ping_timeout_waits_for_the_post_in_flight() {
    let mut d = Driver::polling();
    d.send("a");
    d.send("b");
    assert_eq!(d.io(), [post(1, "4a")]);
    d.advance(PING_INTERVAL + PING_TIMEOUT);
    assert_eq!(d.events(), ["close(ping timeout, None)"]);
    assert_eq!(d.io(), [close(1)]);
    d.send("after");
    d.respond_post();
    assert_eq!(d.io(), [post(1, "4b|1")], "what was buffered, then 1; nothing written after the close");
}

#[test]
fn a_throttled_timer_is_caught_by_ping_expired() {
    let mut d = Driver::polling();
    d.sleep(PING_INTERVAL + PING_TIMEOUT + 1);
    assert!(d.e.ping_expired(d.now) && d.e.is_open(), "the caller closes on its next emit");
    d.respond_get("2");
    assert!(!d.e.ping_expired(d.now), "a late ping still resets the deadline");
}

#[test]
fn heartbeat_over_websocket() {
    let mut d = Driver::websocket();
    assert_eq!(d.e.poll_timeout(), Some(T0 + PING_INTERVAL + PING_TIMEOUT));
    d.sleep(1000);
    d.ws_text("2");
    assert_eq!(d.events(), ["ping"]);
    assert_eq!(d.io(), [send(1, "3")]);
    assert_eq!(d.e.poll_timeout(), Some(T0 + 1000 + PING_INTERVAL + PING_TIMEOUT));
    d.ws_drain();
    d.advance(PING_INTERVAL + PING_TIMEOUT);
    assert_eq!(d.events(), ["close(ping timeout, None)"]);
    assert_eq!(d.io(), [close(1)]);
}

// ----- errors -----

#[test]
fn a_failed_get_while_open_is_a_transport_error() {
    for status in [500, 0] {
        let mut d = Driver::polling();
        d.fail_get(status);
        assert_eq!(d.events(), [format!("close(transport error, TransportFailed(Poll({status})))")]);
        assert_eq!(d.io(), [close(1)], "no 1 POSTed after an error");
        assert!(!d.e.is_active() && d.e.poll_timeout().is_none());
    }
}

#[test]
fn a_failed_post_is_a_transport_error() {
    let mut d = Driver::polling();
    d.send("a");
    d.io();
    d.fail_post(413);
    assert_eq!(d.events(), ["close(transport error, TransportFailed(Post(413)))"]);
    assert_eq!(d.io(), [close(1)]);
}

#[test]
fn a_failed_get_while_opening_fails_the_open() {
    let mut d = Driver::new();
    d.e.open();
    d.send("lost");
    d.io();
    d.fail_get(503);
    assert_eq!(d.events(), ["open_failed(Poll(503))"]);
    assert_eq!(d.io(), [close(1)]);
    assert_eq!(d.e.ready_state(), "closed");
    d.e.open();
    d.respond_get(&no_upgrade());
    assert_eq!(d.io(), [format!("GET#2 {FIRST_GET_URL}"), get(2)], "what was written for the failed attempt is dropped");
}

#[test]
fn an_undecodable_payload_is_a_transport_error() {
    for junk in ["x".to_string(), String::new(), "b!!".to_string()] {
        let mut d = Driver::polling();
        d.respond_get(&junk);
        assert_eq!(d.events(), ["close(transport error, EngineParserError)"], "{junk:?}");
        assert_eq!(d.io(), [close(1)]);
    }
}

#[test]
fn packets_before_an_undecodable_one_are_delivered() {
    for junk in [body(&["4a", "9"]), body(&["4a", ""])] {
        let mut d = Driver::polling();
        d.respond_get(&junk);
        assert_eq!(d.events(), ["message(a)", "close(transport error, EngineParserError)"], "{junk:?}");
        assert_eq!(d.io(), [close(1)]);
    }
}

#[test]
fn a_bad_handshake_fails_the_open() {
    for bad in ["0{}", "0not json", "4hello", "2"] {
        let mut d = Driver::new();
        d.e.open();
        d.io();
        d.respond_get(bad);
        assert_eq!(d.events(), ["open_failed(Poll(200))"], "{bad}");
        assert_eq!(d.io(), [close(1)]);
    }
}

#[test]
fn a_close_packet_from_the_server_is_a_transport_close() {
    let mut d = Driver::polling();
    d.respond_get(&body(&["4a", "1", "4b"]));
    assert_eq!(d.events(), ["message(a)", "close(transport close, TransportClosed)"], "nothing after the 1");
    assert_eq!(d.io(), [close(1)]);
}

#[test]
fn a_close_packet_while_opening_fails_the_open_as_polling() {
    let mut d = Driver::new();
    d.e.open();
    d.io();
    d.respond_get("1");
    assert_eq!(d.events(), ["open_failed(Poll(200))"]);
    assert_eq!(d.io(), [close(1)]);
}

#[test]
fn websocket_errors_and_closes() {
    let mut d = Driver::websocket();
    d.ws_input(Input::WsError);
    assert_eq!(d.events(), ["close(transport error, TransportFailed(WebSocket))"]);
    assert_eq!(d.io(), [close(1)]);
    let mut d = Driver::websocket();
    d.ws_input(Input::WsClose);
    assert_eq!(d.events(), ["close(transport close, TransportClosed)"]);
    let mut d = Driver::websocket();
    d.ws_text("b/wAH");
    assert_eq!(d.events(), ["close(transport error, EngineParserError)"], "no base64 over WebSocket");
}

// ----- upgrade -----

#[test]
fn upgrade_to_websocket() {
    let mut d = Driver::new();
    d.e.open();
    d.io();
    d.respond_get(HANDSHAKE);
    assert_eq!(d.events(), ["open(e1)"]);
    assert_eq!(d.io(), [format!("WS#2 OPEN {PROBE_URL}"), get(1)], "the probe has the sid and no t=");
    d.ws_open();
    assert_eq!(d.io(), [send(2, "2probe")]);
    d.ws_drain();
    d.send("before");
    assert_eq!(d.io(), [post(1, "4before")], "polling works while probing");
    d.respond_post();
    d.ws_text("3probe");
    assert_eq!(d.events(), ["upgrading"]);
    assert!(d.io().is_empty(), "the GET is in flight; no new one");
    d.send(r#"2["a"]"#);
    d.e.send_binary(vec![1]);
    assert!(d.io().is_empty(), "nothing flushed while upgrading");
    assert_eq!(d.e.transport_kind(), Some(Polling));
    d.respond_get(&body(&["4late", "6"]));
    assert_eq!(d.events(), ["message(late)", "upgrade"]);
    assert_eq!(d.io(), [close(1), send(2, "5")], "polling closed, 5 on the WebSocket, no new GET");
    assert_eq!(d.e.transport_kind(), Some(WebSocket));
    assert!(!d.e.is_writable(), "until the 5 drains");
    d.ws_drain();
    assert_eq!(d.io(), [send(2, r#"42["a"]|BIN[1]"#)], "what waited goes out on the WebSocket");
    d.send("b");
    d.send("c");
    assert!(d.io().is_empty());
    d.ws_drain();
    assert_eq!(d.io(), [send(2, "4b|4c")], "one send per drain cycle");
    d.ws_drain();
    assert!(d.e.is_writable());
    d.send("d");
    assert_eq!(d.io(), [send(2, "4d")]);
    d.ws_text("4hi");
    d.input(2, Input::WsBinary(vec![9]));
    assert_eq!(d.events(), ["message(hi)", "binary([9])"]);
    for stale in [Input::Poll(Ok("4x".to_string())), Input::Poll(Err(500)), Input::Post(Ok(()))] {
        d.assert_ignored(1, stale);
    }
    assert!(d.e.is_open());
}

#[test]
fn upgrade_waits_for_the_post_in_flight() {
    let mut d = Driver::new().opened(HANDSHAKE).probed();
    d.send("x");
    assert_eq!(d.io(), [post(1, "4x")]);
    d.ws_text("3probe");
    d.send("y");
    d.respond_get("6");
    assert_eq!(d.events(), ["upgrading"]);
    assert!(d.io().is_empty(), "paused GET, but the POST is in flight");
    d.respond_post();
    assert_eq!(d.io(), [close(1), send(2, "5")]);
    assert_eq!(d.events(), ["upgrade"]);
    d.ws_drain();
    assert_eq!(d.io(), [send(2, "4y")]);
}

#[test]
fn upgrade_waits_for_the_get_when_the_post_returns_first() {
    let mut d = Driver::new().opened(HANDSHAKE);
    d.ws_open();
    d.send("x");
    d.ws_text("3probe");
    d.io();
    d.respond_post();
    assert!(d.io().is_empty(), "the GET is still in flight");
    d.respond_get("6");
    assert_eq!(d.io(), [close(1), send(2, "5")]);
}

#[test]
fn a_ping_while_pausing_is_answered_after_the_upgrade() {
    let mut d = Driver::new().opened(HANDSHAKE).upgrading();
    d.sleep(1000);
    d.respond_get(&body(&["2", "6"]));
    assert_eq!(d.events(), ["ping", "upgrade"]);
    assert_eq!(d.io(), [close(1), send(2, "5")]);
    d.ws_drain();
    assert_eq!(d.io(), [send(2, "3")]);
    assert_eq!(d.e.poll_timeout(), Some(T0 + 1000 + PING_INTERVAL + PING_TIMEOUT));
}

/// After a failed probe: the session is still on polling, and its GET loop works.
fn assert_still_polling(d: &mut Driver) {
    assert!(d.e.is_open());
    assert_eq!(d.e.transport_kind(), Some(Polling));
    d.respond_get("4still");
    assert_eq!(d.events(), ["message(still)"]);
    assert_eq!(d.io(), [get(1)]);
    d.send("w");
    assert_eq!(d.io(), [post(1, "4w")]);
    d.respond_post();
}

#[test]
fn a_probe_that_fails_to_open_leaves_polling_alone() {
    for failure in [Input::WsError, Input::WsClose] {
        let mut d = Driver::new().opened(HANDSHAKE);
        d.ws_input(failure);
        assert_eq!(d.events(), ["upgrade_error"]);
        assert_eq!(d.io(), [close(2)]);
        assert_still_polling(&mut d);
    }
}

#[test]
fn a_probe_that_fails_after_its_ping() {
    let failures = [
        Input::WsError,
        Input::WsClose,
        Input::WsText("3nope".to_string()),
        Input::WsText("2probe".to_string()),
        Input::WsText("40".to_string()),
        Input::WsBinary(vec![1]),
    ];
    for failure in failures {
        let mut d = Driver::new().opened(HANDSHAKE).probed();
        d.ws_input(failure);
        assert_eq!(d.events(), ["upgrade_error"]);
        assert_eq!(d.io(), [close(2)]);
        assert_still_polling(&mut d);
        d.assert_ignored(2, Input::WsText("3probe".to_string()));
    }
}

#[test]
fn a_probe_failing_while_pausing_resumes_polling() {
    // The GET still in flight: it carries on, and the writes held back go out.
    let mut d = Driver::new().opened(HANDSHAKE).upgrading();
    d.send("held");
    d.ws_input(Input::WsError);
    assert_eq!(d.events(), ["upgrade_error"]);
    assert_eq!(d.io(), [close(2), post(1, "4held")]);
    d.respond_post();
    assert_still_polling(&mut d);

    // The GET already back (paused, waiting for a POST): polling resumes with a new GET.
    let mut d = Driver::new().opened(HANDSHAKE);
    d.ws_open();
    d.send("x");
    d.ws_text("3probe");
    d.respond_get("6");
    d.io();
    d.events();
    d.ws_input(Input::WsClose);
    assert_eq!(d.events(), ["upgrade_error"]);
    assert_eq!(d.io(), [close(2), get(1)]);
    d.respond_post();
    assert_still_polling(&mut d);
}

#[test]
fn no_probe_without_upgrade_or_websocket() {
    let tweaks: [fn(&mut EngineConfig); 2] = [|c| c.upgrade = false, |c| c.transports = vec![Polling]];
    for tweak in tweaks {
        let mut d = Driver::with(tweak);
        d.e.open();
        d.io();
        d.respond_get(HANDSHAKE);
        assert_eq!(d.io(), [get(1)], "no probe");
    }
    let mut d = Driver::polling();
    assert!(d.wire.last_ws.is_none(), "no probe when the server offers no upgrade");
    d.respond_get("6");
    assert_eq!(d.io(), [get(1)]);
}

// ----- transport choice -----

#[test]
fn websocket_only_handshakes_directly() {
    let mut d = Driver::from_config(test_config(&[WebSocket]));
    d.e.open();
    assert_eq!(d.io(), [format!("WS#1 OPEN {WS_URL}")], "no sid, no t=");
    d.send("early");
    d.ws_open();
    assert!(d.io().is_empty() && !d.e.is_writable(), "writes wait for the handshake");
    d.ws_text(HANDSHAKE);
    assert_eq!(d.events(), ["open(e1)"]);
    assert_eq!(d.io(), [send(1, "4early")], "no probe from a WebSocket");
    assert_eq!(d.e.transport_kind(), Some(WebSocket));
    d.ws_drain();
    d.input(1, Input::WsBinary(vec![1, 2]));
    assert_eq!(d.events(), ["binary([1, 2])"]);
    d.ws_text("1");
    assert_eq!(d.events(), ["close(transport close, TransportClosed)"]);
    assert_eq!(d.io(), [close(1)]);
}

#[test]
fn transports_are_tried_in_the_order_given() {
    let mut d = Driver::from_config(test_config(&[WebSocket, Polling]));
    d.e.open();
    assert_eq!(d.io(), [format!("WS#1 OPEN {WS_URL}")]);
    d.ws_open();
    d.ws_text(HANDSHAKE);
    assert_eq!(d.events(), ["open(e1)"]);
    assert!(d.io().is_empty());
}

#[test]
fn remember_upgrade_starts_with_websocket_next_time() {
    let mut d = Driver::with(|c| c.remember_upgrade = true).opened(HANDSHAKE).upgraded();
    assert!(d.e.close());
    assert_eq!(d.io(), [close(2)]);
    d.e.open();
    assert_eq!(d.io(), [format!("WS#3 OPEN {WS_URL}")], "no sid: a new session, handshaken over WebSocket");
    d.ws_open();
    d.ws_text(HANDSHAKE);
    assert_eq!(d.events(), ["open(e1)"]);
    assert!(d.io().is_empty(), "no probe from a WebSocket session");
}

#[test]
fn remember_upgrade_needs_a_successful_upgrade() {
    // Without it, the next session starts with polling again.
    let mut d = Driver::new().opened(HANDSHAKE).upgraded();
    d.e.close();
    d.io();
    d.e.open();
    assert_eq!(d.io(), [format!("GET#3 {FIRST_GET_URL}")]);
    // A failed probe is not remembered.
    let mut d = Driver::with(|c| c.remember_upgrade = true).opened(HANDSHAKE).probed();
    d.ws_input(Input::WsError);
    d.e.close();
    d.io();
    d.e.open();
    assert_eq!(d.io(), [format!("GET#3 {FIRST_GET_URL}")]);
    // Nor is an upgraded session that then failed.
    let mut d = Driver::with(|c| c.remember_upgrade = true).opened(HANDSHAKE).upgraded();
    d.ws_input(Input::WsError);
    d.io();
    d.e.open();
    assert_eq!(d.io(), [format!("GET#3 {FIRST_GET_URL}")]);
}

#[test]
fn try_all_transports_falls_back_when_websocket_fails_while_opening() {
    for failure in [Input::WsError, Input::WsClose] {
        let mut d = Driver::with(|c| {
            c.transports = vec![WebSocket, Polling];
            c.try_all_transports = true;
        });
        d.e.open();
        d.io();
        d.ws_input(failure);
        assert!(d.events().is_empty(), "no failure reported while a transport is left");
        assert_eq!(d.io(), [close(1), format!("GET#2 {FIRST_GET_URL}")]);
        d.respond_get(HANDSHAKE);
        assert_eq!(d.events(), ["open(e1)"]);
        assert_eq!(d.io(), [get(2)], "websocket was given up for this connection: no probe");
    }
}

#[test]
fn without_try_all_transports_a_failed_websocket_fails_the_open() {
    let mut d = Driver::with(|c| c.transports = vec![WebSocket, Polling]);
    d.e.open();
    d.io();
    d.ws_input(Input::WsError);
    assert_eq!(d.events(), ["open_failed(WebSocket)"]);
    assert_eq!(d.io(), [close(1)]);
    assert!(!d.e.is_active());
}

#[test]
fn try_all_transports_gives_up_after_the_last_one() {
    let mut d = Driver::with(|c| c.try_all_transports = true);
    d.e.open();
    d.fail_get(0);
    assert!(d.events().is_empty());
    assert_eq!(d.io(), [format!("GET#1 {FIRST_GET_URL}"), close(1), format!("WS#2 OPEN {WS_URL}")]);
    d.ws_input(Input::WsError);
    assert_eq!(d.events(), ["open_failed(WebSocket)"]);
    assert_eq!(d.io(), [close(2)]);
}

#[test]
fn a_fallback_does_not_read_the_rest_of_the_failed_body() {
    // The first transport fails on a packet in the middle of a body: the rest of that body belongs to the
    // abandoned transport, not to the WebSocket now being opened.
    let mut d = Driver::with(|c| c.try_all_transports = true);
    d.e.open();
    d.io();
    d.respond_get(&body(&["6", HANDSHAKE, "4a"]));
    assert!(d.events().is_empty());
    assert_eq!(d.io(), [close(1), format!("WS#2 OPEN {WS_URL}")]);
    assert_eq!(d.e.ready_state(), "opening");
    d.ws_open();
    d.ws_text(&no_upgrade());
    assert_eq!(d.events(), ["open(e1)"]);
}

// ----- writability -----

#[test]
fn is_writable_follows_the_transport() {
    let mut d = Driver::new();
    assert!(!d.e.is_writable(), "closed");
    d.e.open();
    assert!(!d.e.is_writable(), "opening");
    d.respond_get(&no_upgrade());
    assert!(d.e.is_writable(), "idle");
    d.send("a");
    assert!(!d.e.is_writable(), "a POST in flight");
    d.respond_post();
    assert!(d.e.is_writable());
    d.fail_get(0);
    assert!(!d.e.is_writable(), "closed again");

    let mut d = Driver::websocket();
    assert!(d.e.is_writable());
    d.send("a");
    assert!(!d.e.is_writable(), "until the send drains");
    d.ws_drain();
    assert!(d.e.is_writable());
}

// ----- close -----

#[test]
fn close_over_websocket_sends_what_is_buffered_then_closes() {
    let mut d = Driver::websocket();
    d.send("a");
    d.send("b");
    d.send("c");
    assert_eq!(d.io(), [send(1, "4a")]);
    assert!(d.e.close(), "it was open");
    assert_eq!(d.io(), [send(1, "4b|4c")]);
    assert!(d.events().is_empty(), "a close asked for is not reported");
    assert_eq!((d.e.ready_state(), d.e.poll_timeout()), ("closing", None), "until what was written drains");
    d.ws_drain();
    assert_eq!(d.io(), [close(1)]);
    assert_eq!(d.e.ready_state(), "closed");
    d.send("after");
    for stale in [Input::WsDrain, Input::WsText("4x".to_string()), Input::WsClose, Input::WsError] {
        d.assert_ignored(1, stale);
    }
    assert!(!d.e.close(), "already closed");
    assert!(d.io().is_empty());
}

#[test]
fn close_over_idle_polling_posts_a_close_packet_and_aborts_the_get() {
    let mut d = Driver::polling();
    assert!(d.e.close());
    assert_eq!(d.io(), [close(1), post(1, "1")]);
    assert!(d.events().is_empty());
    d.respond_post();
    for stale in [Input::Poll(Ok("4x".to_string())), Input::Poll(Err(0)), Input::Post(Ok(()))] {
        d.assert_ignored(1, stale);
    }
}

#[test]
fn abandoning_polling_posts_only_a_close_packet_and_reports_nothing() {
    let mut d = Driver::polling();
    d.send("a");
    d.send("b");
    d.e.abandon();
    assert_eq!(d.io(), [post(1, "4a"), close(1)]);
    d.respond_post();
    assert_eq!(d.io(), [post(1, "1")], "what was waiting is dropped; the close packet goes once writable");
    assert!(d.events().is_empty());
    assert!(!d.e.is_open());
}

#[test]
fn abandoning_a_websocket_closes_it_at_once_and_reports_nothing() {
    let mut d = Driver::websocket();
    d.send("a");
    d.send("b");
    d.e.abandon();
    assert_eq!(d.io(), [send(1, "4a"), close(1)], "no waiting for the send in flight to drain");
    assert!(d.events().is_empty());
    d.assert_ignored(1, Input::WsDrain);
}

#[test]
fn close_over_polling_waits_for_the_post_in_flight() {
    let mut d = Driver::polling();
    d.send("a");
    d.send("b");
    d.e.close();
    assert_eq!(d.io(), [post(1, "4a"), close(1)]);
    d.fail_post(500);
    assert_eq!(d.io(), [post(1, "4b|1")], "even when the last POST failed");
    assert!(d.events().is_empty());
    d.respond_post();
    assert!(d.io().is_empty());
}

#[test]
fn close_while_upgrading_closes_both_transports() {
    let mut d = Driver::new().opened(HANDSHAKE).upgrading();
    d.send("held");
    d.e.close();
    assert_eq!(d.io(), [close(2), close(1), post(1, "4held|1")]);
    d.assert_ignored(2, Input::WsDrain);
    d.assert_ignored(1, Input::Poll(Ok("6".to_string())));
}

#[test]
fn close_while_opening_reports_nothing() {
    for transports in [vec![Polling, WebSocket], vec![WebSocket]] {
        let mut d = Driver::with(|c| c.transports = transports);
        d.e.open();
        d.send("lost");
        d.io();
        assert!(!d.e.close(), "it was not open");
        assert_eq!(d.io(), [close(1)], "no 1 for a session that never opened");
        assert!(d.events().is_empty());
        d.assert_ignored(1, Input::Poll(Ok(HANDSHAKE.to_string())));
        d.assert_ignored(1, Input::WsText(HANDSHAKE.to_string()));
    }
}

#[test]
fn a_new_session_does_not_inherit_the_last_post_of_the_old_one() {
    let mut d = Driver::polling();
    d.send("a");
    d.send("b");
    d.e.close();
    assert_eq!(d.io(), [post(1, "4a"), close(1)]);
    d.e.open();
    d.send("new");
    d.respond_get(&no_upgrade());
    assert_eq!(d.io(), [format!("GET#2 {FIRST_GET_URL}"), post(2, "4new"), get(2)], "not the old 4b, nor its 1");
    d.answer_post_on(1, Ok(()));
    assert_eq!(d.io(), [post(1, "4b|1")], "the old session's last packets on its own transport");
    d.answer_post_on(2, Ok(()));
    assert!(d.e.is_writable());
}

#[test]
fn a_second_close_does_not_lose_the_first_farewell() {
    let mut d = Driver::polling();
    d.send("a");
    d.send("b");
    d.e.close();
    d.io();
    d.e.open();
    d.respond_get(&no_upgrade());
    d.send("c");
    d.send("d");
    d.e.close();
    assert_eq!(d.io(), [format!("GET#2 {FIRST_GET_URL}"), get(2), post(2, "4c"), close(2)]);
    d.answer_post_on(1, Ok(()));
    assert_eq!(d.io(), [post(1, "4b|1")], "each closing transport says goodbye");
    d.answer_post_on(2, Ok(()));
    assert_eq!(d.io(), [post(2, "4d|1")]);
}

#[test]
fn inputs_about_unknown_transports_are_ignored() {
    let mut d = Driver::polling();
    for id in [0, 7, u32::MAX] {
        d.assert_ignored(id, Input::Poll(Ok("1".to_string())));
        d.assert_ignored(id, Input::WsError);
    }
}

// ----- robustness -----

/// One thing that may happen to an engine in the property test.
#[derive(Debug, Clone)]
enum Step {
    Open,
    Close,
    Send(String),
    SendBinary(Vec<u8>),
    /// The server answers the n-th GET in flight (modulo their number).
    Get(usize, Result<String, u16>),
    /// The server answers the n-th POST in flight.
    Post(usize, Result<(), u16>),
    /// Something happens to the n-th open WebSocket.
    Ws(usize, Input<String, Vec<u8>>),
    /// A late report about the n-th closed transport (with no POST in flight).
    Stale(usize, Input<String, Vec<u8>>),
    Advance(Millis),
    Sleep(Millis),
}

/// Packets a server might send, valid or not.
fn packet() -> impl Strategy<Value = String> {
    let canned = proptest::sample::select(vec![
        HANDSHAKE.to_string(),
        no_upgrade(),
        handshake(&["websocket"], 12),
        r#"0{"sid":"z","upgrades":["websocket"],"pingInterval":100,"pingTimeout":50,"maxPayload":5}"#.to_string(),
        r#"0{"sid":"z","pingInterval":1e300,"pingTimeout":1e300}"#.to_string(),
        "0{}".to_string(),
        "1".to_string(),
        "2".to_string(),
        "2probe".to_string(),
        "3".to_string(),
        "3probe".to_string(),
        "4hello".to_string(),
        r#"42["a"]"#.to_string(),
        "5".to_string(),
        "6".to_string(),
        "b/wAH".to_string(),
        "b!!".to_string(),
        String::new(),
        "9".to_string(),
    ]);
    let movers = proptest::sample::select(vec!["6".to_string(), "3probe".to_string(), "2".to_string(), "4m".to_string()]);
    prop_oneof![4 => canned, 2 => movers, 1 => "[0-6b][a-z0-9/+=]{0,4}", 1 => "\\PC{0,6}"]
}

/// A polling body: packets joined by the record separator.
fn poll_body() -> impl Strategy<Value = String> {
    proptest::collection::vec(packet(), 1..4).prop_map(|packets| packets.join("\u{1e}"))
}

fn status() -> impl Strategy<Value = u16> {
    prop_oneof![Just(0u16), Just(400), Just(500), Just(200)]
}

fn input() -> impl Strategy<Value = Input<String, Vec<u8>>> {
    prop_oneof![
        2 => Just(Input::WsOpen),
        4 => packet().prop_map(Input::WsText),
        1 => proptest::collection::vec(any::<u8>(), 0..4).prop_map(Input::WsBinary),
        1 => Just(Input::WsClose),
        1 => Just(Input::WsError),
        3 => Just(Input::WsDrain),
        1 => poll_body().prop_map(|b| Input::Poll(Ok(b))),
        1 => status().prop_map(|s| Input::Poll(Err(s))),
        1 => Just(Input::Post(Ok(()))),
    ]
}

fn step() -> impl Strategy<Value = Step> {
    let n = 0usize..4;
    prop_oneof![
        1 => Just(Step::Open),
        1 => Just(Step::Close),
        3 => "[0-9a-z\\[\\]\"]{0,8}".prop_map(Step::Send),
        1 => proptest::collection::vec(any::<u8>(), 0..6).prop_map(Step::SendBinary),
        6 => (n.clone(), prop_oneof![5 => poll_body().prop_map(Ok), 1 => status().prop_map(Err)]).prop_map(|(n, r)| Step::Get(n, r)),
        3 => (n.clone(), prop_oneof![4 => Just(Ok(())), 1 => status().prop_map(Err)]).prop_map(|(n, r)| Step::Post(n, r)),
        6 => (n.clone(), input()).prop_map(|(n, i)| Step::Ws(n, i)),
        1 => (n, input()).prop_map(|(n, i)| Step::Stale(n, i)),
        2 => prop_oneof![Just(1u64), Just(100), Just(45_000), 0u64..100_000].prop_map(Step::Advance),
        1 => (0u64..100_000).prop_map(Step::Sleep),
    ]
}

fn engine_config() -> impl Strategy<Value = EngineConfig> {
    // Mostly the defaults (polling then upgrade), where most of the machinery is.
    let transports = proptest::sample::select(vec![
        vec![Polling, WebSocket],
        vec![Polling, WebSocket],
        vec![Polling, WebSocket],
        vec![WebSocket, Polling],
        vec![Polling],
        vec![WebSocket],
    ]);
    let upgrade = proptest::bool::weighted(0.8);
    (transports, upgrade, any::<bool>(), any::<bool>(), proptest::option::of(any::<bool>())).prop_map(
        |(transports, upgrade, remember_upgrade, try_all_transports, timestamps)| {
            let mut c = test_config(&transports);
            c.upgrade = upgrade;
            c.remember_upgrade = remember_upgrade;
            c.try_all_transports = try_all_transports;
            c.polling.timestamp_requests = timestamps;
            c
        },
    )
}

/// The `n`-th element of `ids` (modulo their number), if any.
fn pick(ids: impl IntoIterator<Item = TransportId>, n: usize) -> Option<TransportId> {
    let ids: Vec<_> = ids.into_iter().collect();
    (!ids.is_empty()).then(|| ids[n % ids.len()])
}

/// Performs one step as the shell and the server would.
fn apply(d: &mut Driver, step: Step) -> Result<(), TestCaseError> {
    let now = d.now;
    match step {
        Step::Open => d.e.open(),
        Step::Close => {
            d.e.close();
        }
        Step::Send(text) => d.send(&text),
        Step::SendBinary(bytes) => d.e.send_binary(bytes),
        Step::Get(n, result) => {
            if let Some(id) = pick(d.wire.gets.iter().copied(), n) {
                d.wire.gets.remove(&id);
                d.e.handle_input(now, id, Input::Poll(result));
            }
        }
        Step::Post(n, result) => {
            if let Some(id) = pick(d.wire.posts.iter().copied(), n) {
                d.wire.posts.remove(&id);
                d.e.handle_input(now, id, Input::Post(result));
            }
        }
        Step::Ws(n, input) => {
            let open = d.wire.live().filter(|id| d.wire.kinds[id] == WebSocket);
            if let Some(id) = pick(open.collect::<Vec<_>>(), n) {
                if matches!(input, Input::Poll(_) | Input::Post(_)) {
                    return Ok(());
                }
                d.e.handle_input(now, id, input);
            }
        }
        Step::Stale(n, input) => {
            let stale = d.wire.closed.iter().copied().filter(|id| !d.wire.posts.contains(id));
            if let Some(id) = pick(stale.collect::<Vec<_>>(), n) {
                d.e.handle_input(now, id, input);
                prop_assert!(d.e.poll_io().is_none(), "an input about closed transport {id} did something");
                prop_assert!(d.e.poll_event().is_none(), "an input about closed transport {id} reported something");
            }
        }
        Step::Advance(ms) => {
            let target = now + ms;
            while let Some(at) = d.e.poll_timeout().filter(|at| *at <= target) {
                d.now = d.now.max(at);
                d.e.handle_timeout(d.now);
                prop_assert!(d.e.poll_timeout().is_none_or(|next| next > d.now), "the timer stays due");
            }
            d.now = target;
        }
        Step::Sleep(ms) => d.now += ms,
    }
    Ok(())
}

/// The first `depth` steps of a well-behaved start, so that the deeper states are reached more often: the
/// server's handshake (`handshake`), then the probe opens, drains its `2probe` and gets `3probe`.
fn warm_up(first: TransportKind, handshake: &str, depth: usize) -> Vec<Step> {
    let handshake = handshake.to_string();
    let steps = match first {
        Polling => vec![
            Step::Get(0, Ok(handshake)),
            Step::Ws(0, Input::WsOpen),
            Step::Ws(0, Input::WsDrain),
            Step::Ws(0, Input::WsText("3probe".to_string())),
        ],
        WebSocket => vec![Step::Ws(0, Input::WsOpen), Step::Ws(0, Input::WsText(handshake))],
    };
    steps.into_iter().take(depth).collect()
}

fn run(config: EngineConfig, warm_up: Vec<Step>, steps: Vec<Step>) -> Result<(), TestCaseError> {
    let mut d = Driver::from_config(config);
    d.e.open();
    d.try_pump().map_err(TestCaseError::fail)?;
    for step in warm_up.into_iter().chain(steps) {
        apply(&mut d, step)?;
        // Events first, so that the Wire knows the maxPayload of a session opened by this step.
        let mut closed = false;
        while let Some(event) = d.e.poll_event() {
            match &event {
                EngineEvent::Open(handshake) => d.wire.max_payload = handshake.max_payload,
                EngineEvent::OpenFailed(_) | EngineEvent::Close(..) => closed = true,
                EngineEvent::Upgrade => prop_assert_eq!(d.e.transport_kind(), Some(WebSocket)),
                _ => {}
            }
        }
        d.try_pump().map_err(TestCaseError::fail)?;
        d.lines.clear();
        prop_assert!(!closed || !d.e.is_active(), "a close or failure reported, but still {}", d.e.ready_state());
        prop_assert_eq!(d.e.is_open(), d.e.poll_timeout().is_some(), "a timer exactly while open");
        prop_assert!(!d.e.is_writable() || d.e.is_open());
        prop_assert_eq!(d.e.is_open(), d.e.sid().is_some());
        // Earlier sessions' WebSockets may still be draining (drains are inputs here too): any number of
        // sessions can be closed before they do.
        let draining = d.e.draining_websockets();
        let live = d.wire.live().count();
        prop_assert!(live >= draining, "{live} transports open, {draining} of them draining");
        let current = live - draining;
        if d.e.is_active() {
            prop_assert!((1..=2).contains(&current), "{current} transports of the session open");
        } else {
            prop_assert_eq!(current, 0, "transports left open by a closed engine");
        }
        prop_assert!(draining == 0 || d.e.ready_state() != "closed", "draining, but readyState closed");
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_traffic_never_breaks_the_engine(
        config in engine_config(),
        handshake in proptest::sample::select(vec![HANDSHAKE.to_string(), handshake(&["websocket"], 12), no_upgrade()]),
        depth in 0usize..5,
        steps in proptest::collection::vec(step(), 0..60),
    ) {
        let warm_up = warm_up(config.transports[0], &handshake, depth);
        run(config, warm_up, steps)?;
    }
}

// ----- observed packets -----

#[test]
fn packets_are_reported_only_when_observed() {
    let opening = || {
        let mut d = Driver::from_config(test_config(&[WebSocket]));
        d.e.open();
        d.ws_open();
        d
    };
    let mut d = opening();
    d.e.observe_packets();
    d.ws_text(HANDSHAKE);
    d.ws_text("2");
    d.ws_text("4hello");
    d.e.send_message("2[\"a\"]", None);
    assert_eq!(
        d.events(),
        [
            format!("packet(open {})", &HANDSHAKE[1..]),
            "open(e1)".to_string(),
            "packet(ping )".to_string(),
            "packet_create(pong )".to_string(),
            "ping".to_string(),
            "packet(message hello)".to_string(),
            "message(hello)".to_string(),
            "packet_create(message 2[\"a\"])".to_string(),
        ]
    );
    let mut quiet = opening();
    quiet.ws_text(HANDSHAKE);
    quiet.ws_text("4hello");
    assert_eq!(quiet.events(), ["open(e1)", "message(hello)"]);
}
