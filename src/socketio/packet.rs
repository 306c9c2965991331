//! Socket.IO v5 packet headers: `<type>[<attachments>-][<nsp>,][<ack id>][<json>]`.
//!
//! The core reads and writes only the header; the JSON payload stays a host handle, parsed by the host's
//! JSON (the browser's native one) and then checked against the shape rules here.

use crate::prelude::*;

use crate::host::{Host, JsonKind, Text};

/// The seven Socket.IO packet types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PacketKind {
    /// `0`: connect to a namespace (client) / accepted (server).
    Connect,
    /// `1`: leave a namespace.
    Disconnect,
    /// `2`: an event.
    Event,
    /// `3`: an acknowledgement.
    Ack,
    /// `4`: the namespace refused the connection.
    ConnectError,
    /// `5`: an event with binary attachments.
    BinaryEvent,
    /// `6`: an acknowledgement with binary attachments.
    BinaryAck,
}

impl PacketKind {
    fn from_digit(unit: u16) -> Option<Self> {
        Self::from_number(unit.checked_sub(u16::from(b'0'))?)
    }

    /// The packet type numbered `number` (socket.io-parser's `PacketType`).
    pub fn from_number(number: u16) -> Option<Self> {
        Some(match number {
            0 => Self::Connect,
            1 => Self::Disconnect,
            2 => Self::Event,
            3 => Self::Ack,
            4 => Self::ConnectError,
            5 => Self::BinaryEvent,
            6 => Self::BinaryAck,
            _ => return None,
        })
    }

    fn digit(self) -> char {
        match self {
            Self::Connect => '0',
            Self::Disconnect => '1',
            Self::Event => '2',
            Self::Ack => '3',
            Self::ConnectError => '4',
            Self::BinaryEvent => '5',
            Self::BinaryAck => '6',
        }
    }

    /// The type digit a decoded packet reports: binary packets, once reassembled, as EVENT and ACK.
    pub fn decoded_digit(self) -> u8 {
        match self {
            Self::BinaryEvent => 2,
            Self::BinaryAck => 3,
            kind => kind.digit() as u8 - b'0',
        }
    }

    /// Whether attachments follow this packet.
    pub fn is_binary(self) -> bool {
        matches!(self, Self::BinaryEvent | Self::BinaryAck)
    }
}

/// The largest number of binary attachments accepted in one packet, in either direction.
pub const MAX_ATTACHMENTS: usize = 10;

/// Event names a user may not emit and a server may not send.
pub const RESERVED_EVENTS: [&str; 6] = ["connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"];

/// Whether `name` is a reserved event name.
pub fn is_reserved(name: &str) -> bool {
    RESERVED_EVENTS.contains(&name)
}

/// Why a Socket.IO packet was rejected (the Manager then closes with "parse error").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecodeError {
    /// The type digit is not 0-6.
    UnknownType,
    /// The attachment count is missing, malformed, zero or not followed by `-`.
    IllegalAttachments,
    /// More than [`MAX_ATTACHMENTS`] attachments.
    TooManyAttachments,
    /// The ack id does not fit.
    IllegalId,
    /// The payload is not JSON, or not of the shape the packet type requires.
    InvalidPayload,
    /// A binary frame arrived when no attachment was awaited.
    UnexpectedBinary,
    /// A text frame arrived while attachments were awaited.
    UnexpectedText,
    /// A custom parser's `Decoder` threw, or gave something that is not a packet (the shell keeps what it
    /// threw as the close description).
    Rejected,
}

impl DecodeError {
    /// socket.io-parser's message for this error.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::UnknownType => "unknown packet type",
            Self::IllegalAttachments => "Illegal attachments",
            Self::TooManyAttachments => "too many attachments",
            Self::IllegalId | Self::InvalidPayload => "invalid payload",
            Self::UnexpectedBinary => "got binary data when not reconstructing a packet",
            Self::UnexpectedText => "got plaintext data when reconstructing a packet",
            Self::Rejected => "invalid packet",
        }
    }
}

/// A decoded header; the payload is returned beside it, unparsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// The packet type.
    pub kind: PacketKind,
    /// How many binary frames follow (binary types only).
    pub attachments: usize,
    /// The namespace, `/` when omitted.
    pub nsp: String,
    /// The ack id, if any.
    pub id: Option<u64>,
}

/// The value of a decimal digit.
fn digit(unit: Option<u16>) -> Option<u8> {
    unit.and_then(|u| u8::try_from(u).ok()).filter(u8::is_ascii_digit).map(|b| b - b'0')
}

/// Reads the header of the text packet that starts at code unit `start` of `text` (read in place: a
/// received message keeps its Engine.IO digit before it); returns it with the payload text (`None` when
/// there is none). Each code unit is read once (in the browser, each read is a call into JS).
pub fn decode_header<T: Text>(text: &T, start: usize) -> Result<(Header, Option<T>), DecodeError> {
    let kind = text.unit(start).and_then(PacketKind::from_digit).ok_or(DecodeError::UnknownType)?;
    let mut i = start + 1;
    let mut attachments = 0;
    if kind.is_binary() {
        let dash = text.find(u16::from(b'-'), i).ok_or(DecodeError::IllegalAttachments)?;
        let mut count = 0usize;
        for j in i..dash {
            let digit = digit(text.unit(j)).ok_or(DecodeError::IllegalAttachments)?;
            count = count.saturating_mul(10).saturating_add(usize::from(digit));
        }
        if count == 0 {
            return Err(DecodeError::IllegalAttachments);
        }
        if count > MAX_ATTACHMENTS {
            return Err(DecodeError::TooManyAttachments);
        }
        attachments = count;
        i = dash + 1;
    }
    let mut next = text.unit(i);
    let nsp = if next == Some(u16::from(b'/')) {
        let end = text.find(u16::from(b','), i).unwrap_or(text.len());
        let nsp = text.slice(i, end).to_rust_string();
        i = end + 1;
        next = text.unit(i);
        nsp
    } else {
        "/".to_string()
    };
    let mut id = None;
    while let Some(digit) = digit(next) {
        let value = id.unwrap_or(0u64).checked_mul(10).and_then(|v| v.checked_add(u64::from(digit))).ok_or(DecodeError::IllegalId)?;
        id = Some(value);
        i += 1;
        next = text.unit(i);
    }
    let payload = next.map(|_| text.slice(i, usize::MAX));
    Ok((Header { kind, attachments, nsp, id }, payload))
}

/// Checks a parsed payload against the shape its packet type requires; returns the name of an event when
/// it is a string (read here once; a numeric name stays in the payload).
pub fn check_payload<H: Host>(kind: PacketKind, payload: Option<&H::Value>) -> Result<Option<String>, DecodeError> {
    let kind_of = |value: &H::Value| H::kind(value);
    let mut name = None;
    let valid = match (kind, payload) {
        (PacketKind::Disconnect, payload) => payload.is_none(),
        (_, None) => kind == PacketKind::Connect,
        (PacketKind::Connect, Some(value)) => kind_of(value) == JsonKind::Object,
        (PacketKind::ConnectError, Some(value)) => {
            matches!(kind_of(value), JsonKind::String | JsonKind::Object)
        }
        (PacketKind::Ack | PacketKind::BinaryAck, Some(value)) => kind_of(value) == JsonKind::Array,
        (PacketKind::Event | PacketKind::BinaryEvent, Some(value)) => {
            kind_of(value) == JsonKind::Array
                && H::element(value, 0).is_some_and(|first| match kind_of(&first) {
                    JsonKind::Number => true,
                    JsonKind::String => {
                        name = H::string(&first).filter(|name| !is_reserved(name));
                        name.is_some()
                    }
                    _ => false,
                })
        }
    };
    if valid {
        Ok(name)
    } else {
        Err(DecodeError::InvalidPayload)
    }
}

/// Writes a header; the caller appends the JSON payload.
pub fn encode_header(kind: PacketKind, attachments: usize, nsp: &str, id: Option<u64>) -> String {
    let mut head = String::with_capacity(8 + nsp.len());
    head.push(kind.digit());
    if kind.is_binary() {
        push_decimal(&mut head, attachments as u64);
        head.push('-');
    }
    if nsp != "/" {
        head.push_str(nsp);
        head.push(',');
    }
    if let Some(id) = id {
        push_decimal(&mut head, id);
    }
    head
}

/// Appends `value` in decimal without the formatting machinery (it costs kilobytes in wasm).
pub fn push_decimal(out: &mut String, mut value: u64) {
    let mut digits = [0u8; 20];
    let mut n = 0;
    loop {
        digits[n % 20] = b'0' + (value % 10) as u8;
        n += 1;
        value /= 10;
        if value == 0 {
            break;
        }
    }
    for d in digits.iter().take(n).rev() {
        out.push(char::from(*d));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testhost::TestHost;
    use proptest::prelude::*;

    fn header(s: &str) -> Result<(Header, Option<String>), DecodeError> {
        decode_header(&s.to_string(), 0)
    }

    fn full(s: &str) -> Result<Header, DecodeError> {
        let (header, payload) = header(s)?;
        let value = match &payload {
            Some(text) => Some(TestHost::parse_json(text, &[]).ok_or(DecodeError::InvalidPayload)?),
            None => None,
        };
        check_payload::<TestHost>(header.kind, value.as_ref())?;
        Ok(header)
    }

    #[test]
    fn check_payload_hands_back_a_string_event_name() {
        let name = |text: &str| {
            let (header, payload) = header(text).unwrap();
            let value = payload.map(|text| TestHost::parse_json(&text, &[]).unwrap());
            check_payload::<TestHost>(header.kind, value.as_ref())
        };
        assert_eq!(name(r#"2["tick",{"i":1}]"#), Ok(Some("tick".to_string())));
        assert_eq!(name(r#"2/admin,7["a"]"#), Ok(Some("a".to_string())));
        assert_eq!(name(r#"2[42,"x"]"#), Ok(None), "a numeric name stays in the payload");
        assert_eq!(name(r#"3[1]"#), Ok(None));
        assert_eq!(name(r#"2["connect"]"#), Err(DecodeError::InvalidPayload));
    }

    fn h(kind: PacketKind, attachments: usize, nsp: &str, id: Option<u64>) -> Header {
        Header { kind, attachments, nsp: nsp.to_string(), id }
    }

    #[test]
    fn protocol_examples_decode() {
        use PacketKind::*;
        assert_eq!(full("0").unwrap(), h(Connect, 0, "/", None));
        assert_eq!(full("0{\"token\":\"abc\"}").unwrap(), h(Connect, 0, "/", None));
        assert_eq!(full("0/admin,").unwrap(), h(Connect, 0, "/admin", None));
        assert_eq!(full("1").unwrap(), h(Disconnect, 0, "/", None));
        assert_eq!(full("2[\"hello\",42]").unwrap(), h(Event, 0, "/", None));
        assert_eq!(full("21[\"hello\",42]").unwrap(), h(Event, 0, "/", Some(1)));
        assert_eq!(full("31[{\"ok\":42}]").unwrap(), h(Ack, 0, "/", Some(1)));
        assert_eq!(full("4{\"message\":\"not authorized\",\"data\":{\"a\":1}}").unwrap(), h(ConnectError, 0, "/", None));
        assert_eq!(full("51-[\"bin\",{\"_placeholder\":true,\"num\":0}]").unwrap(), h(BinaryEvent, 1, "/", None));
        assert_eq!(
            full("62-/admin,7[{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]").unwrap(),
            h(BinaryAck, 2, "/admin", Some(7))
        );
        assert_eq!(full("2/chat,12[\"m\"]").unwrap(), h(Event, 0, "/chat", Some(12)));
        assert_eq!(full("2[7]").unwrap(), h(Event, 0, "/", None));
    }

    #[test]
    fn protocol_examples_encode() {
        use PacketKind::*;
        assert_eq!(encode_header(Connect, 0, "/", None), "0");
        assert_eq!(encode_header(Connect, 0, "/admin", None), "0/admin,");
        assert_eq!(encode_header(Disconnect, 0, "/", None), "1");
        assert_eq!(encode_header(Event, 0, "/", Some(1)), "21");
        assert_eq!(encode_header(Ack, 0, "/", Some(1)), "31");
        assert_eq!(encode_header(BinaryEvent, 1, "/", None), "51-");
        assert_eq!(encode_header(BinaryAck, 10, "/admin", Some(123)), "610-/admin,123");
    }

    #[test]
    fn every_validity_rule() {
        let bad = [
            ("", DecodeError::UnknownType),
            ("7", DecodeError::UnknownType),
            ("x", DecodeError::UnknownType),
            ("5[\"a\"]", DecodeError::IllegalAttachments),
            ("5-[\"a\"]", DecodeError::IllegalAttachments),
            ("50-[\"a\"]", DecodeError::IllegalAttachments),
            ("5a-[\"a\"]", DecodeError::IllegalAttachments),
            ("511-[\"a\"]", DecodeError::TooManyAttachments),
            ("299999999999999999999[\"a\"]", DecodeError::IllegalId),
            ("2[\"unterminated", DecodeError::InvalidPayload),
            ("2{\"not\":\"array\"}", DecodeError::InvalidPayload),
            ("2[]", DecodeError::InvalidPayload),
            ("2[null]", DecodeError::InvalidPayload),
            ("2[{}]", DecodeError::InvalidPayload),
            ("2", DecodeError::InvalidPayload),
            ("3", DecodeError::InvalidPayload),
            ("3{}", DecodeError::InvalidPayload),
            ("0[]", DecodeError::InvalidPayload),
            ("0\"sid\"", DecodeError::InvalidPayload),
            ("1{}", DecodeError::InvalidPayload),
            ("4", DecodeError::InvalidPayload),
            ("4[1]", DecodeError::InvalidPayload),
        ];
        for (text, error) in bad {
            assert_eq!(full(text), Err(error), "{text:?}");
        }
        for name in RESERVED_EVENTS {
            assert_eq!(full(&format!("2[\"{name}\"]")), Err(DecodeError::InvalidPayload), "{name}");
        }
        assert!(full("4\"just a string\"").is_ok());
        assert!(full("510-[\"a\"]").is_ok());
    }

    #[test]
    fn namespace_is_read_only_after_a_slash() {
        let (header, payload) = header("2[\"/a,b\"]").unwrap();
        assert_eq!(header.nsp, "/");
        assert_eq!(payload.as_deref(), Some("[\"/a,b\"]"));
        let (header, payload) = header_only("0/admin");
        assert_eq!((header.nsp.as_str(), payload), ("/admin", None));
    }

    #[test]
    fn reads_a_packet_from_its_start_in_a_longer_text() {
        // As the engine hands a message over: after its `4`.
        let (header, payload) = decode_header(&"42/admin,7[\"a\"]".to_string(), 1).unwrap();
        assert_eq!((header.kind, header.nsp.as_str(), header.id), (PacketKind::Event, "/admin", Some(7)));
        assert_eq!(payload.as_deref(), Some("[\"a\"]"));
        assert_eq!(decode_header(&"4".to_string(), 1).err(), Some(DecodeError::UnknownType));
    }

    fn header_only(s: &str) -> (Header, Option<String>) {
        header(s).unwrap()
    }

    #[test]
    fn decimal_writer() {
        for value in [0u64, 7, 10, 99, 12345, u64::MAX] {
            let mut out = String::new();
            push_decimal(&mut out, value);
            assert_eq!(out, value.to_string());
        }
    }

    proptest! {
        #[test]
        fn header_round_trip(kind in 0u8..7, attachments in 1usize..=10, nsp in "(/[a-z]{1,8})?", id in proptest::option::of(0u64..1_000_000)) {
            let kind = PacketKind::from_digit(u16::from(b'0' + kind)).unwrap();
            let nsp = if nsp.is_empty() { "/".to_string() } else { nsp };
            let attachments = if kind.is_binary() { attachments } else { 0 };
            let text = format!("{}[1]", encode_header(kind, attachments, &nsp, id));
            let (decoded, payload) = header(&text).unwrap();
            prop_assert_eq!(decoded, Header { kind, attachments, nsp, id });
            prop_assert_eq!(payload.as_deref(), Some("[1]"));
        }

        #[test]
        fn decoder_never_panics(text in "\\PC*") {
            let _ = full(&text);
        }

        #[test]
        fn decoder_never_panics_on_packet_like_input(text in "[0-9]{0,3}-?(/[a-z,]{0,4})?[0-9]{0,25}[\\[\\]{}\"a-z0-9,:]{0,12}") {
            let _ = full(&text);
        }
    }
}
