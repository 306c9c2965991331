//! Engine.IO v4 packets: one type digit followed by data, or a binary frame (a binary message).

use crate::prelude::*;

use crate::base64;
use crate::host::{Host, Text};

/// An Engine.IO packet. Text data stays a handle of the host's text type.
pub enum Packet<H: Host> {
    /// `0` + the handshake JSON.
    Open(H::Text),
    /// `1`: the server closes the session.
    Close,
    /// `2` with optional data (`probe` during an upgrade).
    Ping(H::Text),
    /// `3` with optional data.
    Pong(H::Text),
    /// `4` + a text message (a Socket.IO packet): the packet's text with its `4`, so that the message's own
    /// header is read in place from code unit 1 on (over WebSocket, the received frame itself).
    Message(H::Text),
    /// A binary message: a binary frame, or `b` + base64 in a polling payload.
    Binary(H::Binary),
    /// `5`: the transport upgrade is done.
    Upgrade,
    /// `6`: no operation (releases a pending poll).
    Noop,
}

impl<H: Host> Packet<H> {
    /// The packet type's name, as engine.io-client's packet objects give it.
    pub fn type_name(&self) -> &'static str {
        match self {
            Self::Open(_) => "open",
            Self::Close => "close",
            Self::Ping(_) => "ping",
            Self::Pong(_) => "pong",
            Self::Message(_) | Self::Binary(_) => "message",
            Self::Upgrade => "upgrade",
            Self::Noop => "noop",
        }
    }

    /// The packet's data, as engine.io-client's packet objects give it (`None`: no data).
    pub fn data(&self) -> Option<Frame<H::Text, H::Binary>> {
        let data = match self {
            Self::Open(data) | Self::Ping(data) | Self::Pong(data) => data.clone(),
            Self::Message(packet) => packet.slice(1, usize::MAX),
            Self::Binary(data) => return Some(Frame::Binary(data.clone())),
            Self::Close | Self::Upgrade | Self::Noop => return None,
        };
        (!data.is_empty()).then(|| Frame::Text(TextFrame { head: String::new(), body: Some(data) }))
    }
}

/// The name of the packet type whose digit starts `head` (an outgoing text frame's header).
pub fn type_name_of_head(head: &str) -> &'static str {
    match head.as_bytes().first() {
        Some(b'0') => "open",
        Some(b'1') => "close",
        Some(b'2') => "ping",
        Some(b'3') => "pong",
        Some(b'5') => "upgrade",
        Some(b'6') => "noop",
        _ => "message",
    }
}

/// An Engine.IO packet that could not be decoded (engine.io-client calls it a "parser error").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParserError;

const BASE64_MARK: u16 = b'b' as u16;

/// Decodes the text packet standing at code units `start..end` of `text` (`end`: `usize::MAX` for the
/// rest of it), so that a polling payload's packets need no slice of their own before their data. `b` +
/// base64 (a binary message) is accepted only when `allow_base64` (long-polling payloads); over WebSocket
/// binary messages come as binary frames.
pub fn decode_text<H: Host>(text: H::Text, start: usize, end: usize, allow_base64: bool) -> Result<Packet<H>, ParserError> {
    // (An empty packet of a payload starts at its separator, or past the end: not a type either way.)
    let Some(first) = text.unit(start) else { return Err(ParserError) };
    if first == BASE64_MARK && allow_base64 {
        let units = (start + 1..end).map_while(|i| text.unit(i));
        return base64::decode(units).map(|bytes| Packet::Binary(H::binary_from_bytes(bytes))).ok_or(ParserError);
    }
    let data = || text.slice(start + 1, end);
    Ok(match first.wrapping_sub(u16::from(b'0')) {
        0 => Packet::Open(data()),
        1 => Packet::Close,
        2 => Packet::Ping(data()),
        3 => Packet::Pong(data()),
        4 if start == 0 && end == usize::MAX => Packet::Message(text),
        4 => Packet::Message(text.slice(start, end)),
        5 => Packet::Upgrade,
        6 => Packet::Noop,
        _ => return Err(ParserError),
    })
}

/// An outgoing text frame: a short header written by the core, followed by an optional payload handle
/// that is never copied into the core (the shell joins the two).
#[derive(Debug, Clone, PartialEq)]
pub struct TextFrame<T> {
    /// The header: Engine.IO type digit, then for messages the Socket.IO header.
    pub head: String,
    /// The payload (JSON, ping data), if any.
    pub body: Option<T>,
}

impl<T: Text> TextFrame<T> {
    /// Head and body as one text.
    pub fn join(&self) -> T {
        let head = T::from_rust_str(&self.head);
        match &self.body {
            Some(body) => head.concat(body),
            None => head,
        }
    }
}

/// An outgoing frame: text, or one binary attachment.
#[derive(Debug, Clone, PartialEq)]
pub enum Frame<T, B> {
    /// A text packet.
    Text(TextFrame<T>),
    /// A binary message (sent as a binary frame, or `b` + base64 when polling).
    Binary(B),
}

/// Type digits of the packets a client sends.
pub mod digit {
    /// `1` close.
    pub const CLOSE: &str = "1";
    /// `2` ping (only the `2probe` of an upgrade).
    pub const PING: &str = "2";
    /// `3` pong.
    pub const PONG: &str = "3";
    /// `4` message.
    pub const MESSAGE: &str = "4";
    /// `5` upgrade.
    pub const UPGRADE: &str = "5";
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testhost::TestHost;

    fn decode(s: &str) -> Result<Packet<TestHost>, ParserError> {
        decode_text::<TestHost>(s.to_string(), 0, usize::MAX, true)
    }

    #[test]
    fn decodes_every_type() {
        assert!(matches!(decode("0{\"sid\":\"a\"}"), Ok(Packet::Open(d)) if d == "{\"sid\":\"a\"}"));
        assert!(matches!(decode("1"), Ok(Packet::Close)));
        assert!(matches!(decode("2"), Ok(Packet::Ping(d)) if d.is_empty()));
        assert!(matches!(decode("2probe"), Ok(Packet::Ping(d)) if d == "probe"));
        assert!(matches!(decode("3probe"), Ok(Packet::Pong(d)) if d == "probe"));
        assert!(matches!(decode("4hello"), Ok(Packet::Message(d)) if d == "4hello"));
        assert!(matches!(decode("5"), Ok(Packet::Upgrade)));
        assert!(matches!(decode("6"), Ok(Packet::Noop)));
        assert!(matches!(decode("b/wAH"), Ok(Packet::Binary(b)) if b == vec![0xff, 0, 7]));
    }

    #[test]
    fn rejects_unknown_types() {
        for bad in ["", "7", "9xyz", "x", "/", "b!!"] {
            assert!(decode(bad).is_err(), "{bad}");
        }
        assert!(decode_text::<TestHost>("b/wAH".to_string(), 0, usize::MAX, false).is_err());
    }

    #[test]
    fn decodes_a_range_of_a_longer_text() {
        let text = "x4hello\u{1e}2probe".to_string();
        assert!(matches!(decode_text::<TestHost>(text.clone(), 1, 7, false), Ok(Packet::Message(d)) if d == "4hello"));
        assert!(matches!(decode_text::<TestHost>(text.clone(), 8, usize::MAX, false), Ok(Packet::Ping(d)) if d == "probe"));
        assert!(matches!(decode_text::<TestHost>("xb/wAHx".to_string(), 1, 6, true), Ok(Packet::Binary(b)) if b == vec![0xff, 0, 7]));
        assert!(decode_text::<TestHost>(text, 7, 7, false).is_err(), "an empty packet before a separator");
    }

    #[test]
    fn frames_join_head_and_body() {
        let frame = TextFrame { head: "42".to_string(), body: Some("[\"a\"]".to_string()) };
        assert_eq!(frame.join(), "42[\"a\"]");
        assert_eq!(TextFrame::<String> { head: "3".to_string(), body: None }.join(), "3");
    }
}
