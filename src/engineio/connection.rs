//! The Engine.IO connection state machine: handshake, heartbeat deadline and close, with no I/O.
//!
//! The shell opens the transport it is told to, feeds received frames in, sends what the machine queues
//! and wakes it at [`Engine::poll_timeout`]. Time is always passed in.

use std::collections::VecDeque;

use super::handshake::{parse_handshake, Handshake};
use super::packet::{decode_text, digit, Frame, Packet, TextFrame};
use crate::host::{Host, Text};
use crate::reason::{Cause, DisconnectReason};
use crate::Millis;

/// What the shell must do with the transport.
#[derive(Debug, Clone, PartialEq)]
pub enum Io<T, B> {
    /// Open a WebSocket to this URL.
    Open(String),
    /// Send this frame.
    Send(Frame<T, B>),
    /// Close the transport (and ignore anything it still reports).
    Close,
}

/// What the connection reports to the layer above.
pub enum EngineEvent<H: Host> {
    /// The handshake completed.
    Open(Handshake),
    /// A text message (a Socket.IO packet).
    Message(H::Text),
    /// A binary message (a Socket.IO attachment).
    Binary(H::Binary),
    /// The server pinged (and was answered).
    Ping,
    /// The connection closed, for this reason and cause.
    Close(DisconnectReason, Cause),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Closed,
    Opening,
    Open,
}

/// One Engine.IO session over one transport.
pub struct Engine<H: Host> {
    state: State,
    handshake: Option<Handshake>,
    ping_deadline: Option<Millis>,
    io: VecDeque<Io<H::Text, H::Binary>>,
}

impl<H: Host> Default for Engine<H> {
    fn default() -> Self {
        Self { state: State::Closed, handshake: None, ping_deadline: None, io: VecDeque::new() }
    }
}

impl<H: Host> Engine<H> {
    /// Starts a session over a WebSocket at `url` (whose query already carries `EIO=4&transport=websocket`).
    pub fn open(&mut self, url: String) {
        self.reset();
        self.state = State::Opening;
        self.io.push_back(Io::Open(url));
    }

    /// Whether the handshake has completed and the session is not closed.
    pub fn is_open(&self) -> bool {
        self.state == State::Open
    }

    /// Whether a session is being opened or is open.
    pub fn is_active(&self) -> bool {
        self.state != State::Closed
    }

    /// The session id, once the handshake has completed.
    pub fn sid(&self) -> Option<&str> {
        self.handshake.as_ref().map(|h| h.sid.as_str())
    }

    /// Feeds a text frame. Returns what it means for the layer above.
    pub fn handle_text(&mut self, now: Millis, text: &H::Text) -> Option<EngineEvent<H>> {
        if self.state == State::Closed {
            return None;
        }
        let Ok(packet) = decode_text::<H>(text, false) else {
            return Some(self.close_with(DisconnectReason::TransportError, Cause::EngineParserError));
        };
        match packet {
            Packet::Open(data) if self.state == State::Opening => match parse_handshake::<H>(&data) {
                Some(handshake) => {
                    self.state = State::Open;
                    self.ping_deadline = Some(ping_deadline(now, &handshake));
                    self.handshake = Some(handshake.clone());
                    Some(EngineEvent::Open(handshake))
                }
                None => Some(self.close_with(DisconnectReason::TransportError, Cause::EngineParserError)),
            },
            _ if self.state != State::Open => Some(self.close_with(DisconnectReason::TransportError, Cause::EngineParserError)),
            Packet::Ping(data) => {
                self.reset_ping_deadline(now);
                let body = (!data.is_empty()).then_some(data);
                self.io.push_back(Io::Send(Frame::Text(TextFrame { head: digit::PONG.to_string(), body })));
                Some(EngineEvent::Ping)
            }
            Packet::Message(data) => Some(EngineEvent::Message(data)),
            Packet::Binary(data) => Some(EngineEvent::Binary(data)),
            Packet::Close => Some(self.close_with(DisconnectReason::TransportClose, Cause::TransportClosed)),
            Packet::Open(_) | Packet::Pong(_) | Packet::Upgrade | Packet::Noop => None,
        }
    }

    /// Feeds a binary frame (a binary message).
    pub fn handle_binary(&mut self, binary: H::Binary) -> Option<EngineEvent<H>> {
        match self.state {
            State::Open => Some(EngineEvent::Binary(binary)),
            State::Opening => Some(self.close_with(DisconnectReason::TransportError, Cause::EngineParserError)),
            State::Closed => None,
        }
    }

    /// The transport closed (or failed) on its own.
    pub fn handle_transport_close(&mut self, reason: DisconnectReason, cause: Cause) -> Option<EngineEvent<H>> {
        (self.state != State::Closed).then(|| self.close_with(reason, cause))
    }

    /// Checks the ping deadline; closes with "ping timeout" once it has passed.
    pub fn handle_timeout(&mut self, now: Millis) -> Option<EngineEvent<H>> {
        let expired = self.state == State::Open && self.ping_deadline.is_some_and(|deadline| now >= deadline);
        expired.then(|| self.close_with(DisconnectReason::PingTimeout, Cause::None))
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

    /// Queues a Socket.IO packet as an Engine.IO message: `head` is written after the `4`.
    pub fn send_message(&mut self, head: &str, body: Option<H::Text>) {
        let mut full = String::with_capacity(1 + head.len());
        full.push_str(digit::MESSAGE);
        full.push_str(head);
        self.io.push_back(Io::Send(Frame::Text(TextFrame { head: full, body })));
    }

    /// Queues a binary message.
    pub fn send_binary(&mut self, binary: H::Binary) {
        self.io.push_back(Io::Send(Frame::Binary(binary)));
    }

    /// Closes the session from this side.
    pub fn close(&mut self) -> Option<EngineEvent<H>> {
        (self.state != State::Closed).then(|| self.close_with(DisconnectReason::ForcedClose, Cause::None))
    }

    /// The next thing the shell must do with the transport.
    pub fn poll_io(&mut self) -> Option<Io<H::Text, H::Binary>> {
        self.io.pop_front()
    }

    fn reset_ping_deadline(&mut self, now: Millis) {
        if let Some(handshake) = &self.handshake {
            self.ping_deadline = Some(ping_deadline(now, handshake));
        }
    }

    fn reset(&mut self) {
        self.handshake = None;
        self.ping_deadline = None;
    }

    fn close_with(&mut self, reason: DisconnectReason, cause: Cause) -> EngineEvent<H> {
        self.state = State::Closed;
        self.reset();
        // Frames queued before the close are still handed over first (a DISCONNECT before a client close).
        self.io.push_back(Io::Close);
        EngineEvent::Close(reason, cause)
    }
}

/// `now + pingInterval + pingTimeout`, saturating: both come from the server and may be huge.
fn ping_deadline(now: Millis, handshake: &Handshake) -> Millis {
    now.saturating_add(handshake.ping_interval).saturating_add(handshake.ping_timeout)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testhost::TestHost;

    const OPEN: &str = r#"0{"sid":"s1","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}"#;

    fn opened(now: Millis) -> Engine<TestHost> {
        let mut engine = Engine::<TestHost>::default();
        engine.open("ws://x/socket.io/?EIO=4&transport=websocket".to_string());
        assert!(matches!(engine.poll_io(), Some(Io::Open(_))));
        assert!(matches!(engine.handle_text(now, &OPEN.to_string()), Some(EngineEvent::Open(_))));
        engine
    }

    fn text(s: &str) -> String {
        s.to_string()
    }

    #[test]
    fn handshake_opens_and_arms_ping_deadline() {
        let engine = opened(1000);
        assert!(engine.is_open());
        assert_eq!(engine.sid(), Some("s1"));
        assert_eq!(engine.poll_timeout(), Some(1000 + 45000));
    }

    #[test]
    fn ping_is_answered_and_moves_the_deadline() {
        let mut engine = opened(0);
        assert!(matches!(engine.handle_text(10_000, &text("2")), Some(EngineEvent::Ping)));
        match engine.poll_io() {
            Some(Io::Send(Frame::Text(frame))) => assert_eq!(frame.join(), "3"),
            _ => panic!("expected a pong"),
        }
        assert_eq!(engine.poll_timeout(), Some(55_000));
    }

    #[test]
    fn ping_silence_times_out_exactly_at_the_deadline() {
        let mut engine = opened(0);
        assert!(engine.handle_timeout(44_999).is_none());
        assert!(!engine.ping_expired(45_000));
        assert!(engine.ping_expired(45_001));
        assert!(matches!(engine.handle_timeout(45_000), Some(EngineEvent::Close(DisconnectReason::PingTimeout, _))));
        assert!(matches!(engine.poll_io(), Some(Io::Close)));
        assert!(!engine.is_active());
        assert_eq!(engine.poll_timeout(), None);
    }

    #[test]
    fn messages_are_passed_up() {
        let mut engine = opened(0);
        assert!(matches!(engine.handle_text(1, &text("42[\"a\"]")), Some(EngineEvent::Message(m)) if m == "2[\"a\"]"));
        assert!(matches!(engine.handle_binary(vec![1, 2]), Some(EngineEvent::Binary(b)) if b == vec![1, 2]));
    }

    #[test]
    fn garbage_is_a_transport_error() {
        let mut engine = opened(0);
        assert!(matches!(engine.handle_text(1, &text("9xyz")), Some(EngineEvent::Close(DisconnectReason::TransportError, _))));
        assert!(engine.handle_text(2, &text("2")).is_none(), "nothing after close");
    }

    #[test]
    fn bad_handshake_is_a_transport_error() {
        let mut engine = Engine::<TestHost>::default();
        engine.open("ws://x".to_string());
        assert!(matches!(engine.handle_text(0, &text("0{}")), Some(EngineEvent::Close(DisconnectReason::TransportError, _))));
        let mut engine = Engine::<TestHost>::default();
        engine.open("ws://x".to_string());
        assert!(matches!(engine.handle_text(0, &text("40")), Some(EngineEvent::Close(DisconnectReason::TransportError, _))));
    }

    #[test]
    fn server_close_packet_is_transport_close() {
        let mut engine = opened(0);
        assert!(matches!(engine.handle_text(1, &text("1")), Some(EngineEvent::Close(DisconnectReason::TransportClose, _))));
    }

    #[test]
    fn outgoing_messages_get_the_message_digit() {
        let mut engine = opened(0);
        engine.send_message("2", Some(text("[\"a\"]")));
        match engine.poll_io() {
            Some(Io::Send(Frame::Text(frame))) => assert_eq!(frame.join(), "42[\"a\"]"),
            _ => panic!("expected a message"),
        }
    }
}
