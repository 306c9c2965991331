//! Long-polling payloads: several Engine.IO packets in one HTTP body, separated by the record
//! separator `\x1e`; binary messages travel as `b` + base64.

use crate::prelude::*;

use super::packet::{decode_text, Frame, Packet, ParserError};
use crate::base64;
use crate::host::{Host, Text};

/// The record separator between packets of one payload.
pub const SEPARATOR: u16 = 0x1e;

/// Splits a polling body into its packets, in order; an undecodable packet ends the sequence with an
/// error (the packets before it stand, as engine.io-parser delivers them).
pub fn decode_payload<H: Host>(body: &H::Text) -> impl Iterator<Item = Result<Packet<H>, ParserError>> + '_ {
    let mut start = Some(0);
    core::iter::from_fn(move || {
        let from = start?;
        let end = body.find(SEPARATOR, from).unwrap_or(body.len());
        let packet = decode_text::<H>(&body.slice(from, end), true);
        start = (packet.is_ok() && end < body.len()).then_some(end + 1);
        Some(packet)
    })
}

/// Encodes one frame as it appears inside a polling payload. `None` when a binary handle's bytes cannot
/// be read synchronously.
pub fn encode_for_payload<H: Host>(frame: &Frame<H::Text, H::Binary>) -> Option<H::Text> {
    match frame {
        Frame::Text(text) => Some(text.join()),
        Frame::Binary(binary) => {
            let bytes = H::binary_to_bytes(binary)?;
            let mut text = String::from("b");
            text.push_str(&base64::encode(&bytes));
            Some(H::Text::from_rust_str(&text))
        }
    }
}

/// Encodes frames as one polling body, joined with the record separator. `None` when a binary handle's
/// bytes cannot be read synchronously (a Blob: the shell reads it first).
pub fn encode_payload<H: Host>(frames: &[Frame<H::Text, H::Binary>]) -> Option<H::Text> {
    let separator = H::Text::from_rust_str("\u{1e}");
    let mut body: Option<H::Text> = None;
    for frame in frames {
        let packet = encode_for_payload::<H>(frame)?;
        body = Some(match body {
            Some(body) => body.concat(&separator).concat(&packet),
            None => packet,
        });
    }
    Some(body.unwrap_or_else(|| H::Text::from_rust_str("")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engineio::packet::TextFrame;
    use crate::testhost::TestHost;
    use proptest::prelude::*;

    #[test]
    fn protocol_example_payload() {
        let body = "42[\"b\",\"x\"]\u{1e}451-[\"bin\",{\"_placeholder\":true,\"num\":0}]\u{1e}b/wAH".to_string();
        let packets = decode_payload::<TestHost>(&body).collect::<Result<Vec<_>, _>>().unwrap();
        assert_eq!(packets.len(), 3);
        assert!(matches!(&packets[0], Packet::Message(m) if m == "2[\"b\",\"x\"]"));
        assert!(matches!(&packets[1], Packet::Message(m) if m.starts_with("51-[")));
        assert!(matches!(&packets[2], Packet::Binary(b) if *b == vec![0xff, 0, 7]));
    }

    #[test]
    fn bad_packet_fails_payload() {
        assert!(decode_payload::<TestHost>(&"2\u{1e}9".to_string()).collect::<Result<Vec<_>, _>>().is_err());
        assert!(decode_payload::<TestHost>(&"\u{1e}".to_string()).collect::<Result<Vec<_>, _>>().is_err());
    }

    #[test]
    fn encodes_binary_as_base64() {
        let frame = Frame::<String, Vec<u8>>::Binary(vec![0xff, 0, 7]);
        assert_eq!(encode_for_payload::<TestHost>(&frame).unwrap(), "b/wAH");
        let text = Frame::Text(TextFrame { head: "42".to_string(), body: Some("[1]".to_string()) });
        assert_eq!(encode_for_payload::<TestHost>(&text).unwrap(), "42[1]");
    }

    #[test]
    fn joins_frames_with_the_separator() {
        let frames = vec![
            Frame::Text(TextFrame { head: "42".to_string(), body: Some("[\"b\",\"x\"]".to_string()) }),
            Frame::Binary(vec![0xff, 0, 7]),
            Frame::Text(TextFrame { head: "3".to_string(), body: None }),
        ];
        assert_eq!(encode_payload::<TestHost>(&frames).unwrap(), "42[\"b\",\"x\"]\u{1e}b/wAH\u{1e}3");
        assert_eq!(encode_payload::<TestHost>(&[]).unwrap(), "");
    }

    proptest! {
        #[test]
        fn round_trip(messages in proptest::collection::vec("[a-z0-9\\[\\]\"]{0,20}", 1..8), binary in proptest::collection::vec(any::<u8>(), 0..20)) {
            let mut frames: Vec<Frame<String, Vec<u8>>> =
                messages.iter().map(|m| Frame::Text(TextFrame { head: "4".to_string(), body: Some(m.clone()) })).collect();
            frames.push(Frame::Binary(binary.clone()));
            let body = encode_payload::<TestHost>(&frames).unwrap();
            let mut decoded = decode_payload::<TestHost>(&body).collect::<Result<Vec<_>, _>>().unwrap().into_iter();
            for message in &messages {
                prop_assert!(matches!(decoded.next(), Some(Packet::Message(m)) if m == *message));
            }
            prop_assert!(matches!(decoded.next(), Some(Packet::Binary(b)) if b == binary));
            prop_assert!(decoded.next().is_none());
        }

        #[test]
        fn never_panics(body in "\\PC*") {
            let _ = decode_payload::<TestHost>(&body).count();
        }
    }
}
