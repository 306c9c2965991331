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
    // Each packet is read where it stands in the body: one search for its end, no slice but its data's,
    // and no length asked (in the browser, each is a call into JS).
    let mut start = Some(0);
    core::iter::from_fn(move || {
        let from = start?;
        let separator = body.find(SEPARATOR, from);
        let packet = decode_text::<H>(body.clone(), from, separator.unwrap_or(usize::MAX), true);
        start = separator.filter(|_| packet.is_ok()).map(|end| end + 1);
        Some(packet)
    })
}

/// A frame as a polling payload writes it: `prefix` and the frame's head (or `b` + the base64 of a binary
/// frame) as one short text, then the frame's body, if any. `None` when a binary handle's bytes cannot be
/// read synchronously.
fn split_for_payload<'a, H: Host>(frame: &'a Frame<H::Text, H::Binary>, prefix: &str) -> Option<(String, Option<&'a H::Text>)> {
    let mut head = String::from(prefix);
    match frame {
        Frame::Text(text) => {
            head.push_str(&text.head);
            Some((head, text.body.as_ref()))
        }
        Frame::Binary(binary) => {
            let bytes = H::binary_to_bytes(binary)?;
            head.push('b');
            head.push_str(&base64::encode(&bytes));
            Some((head, None))
        }
    }
}

/// Encodes frames as one polling body, joined with the record separator. `None` when a binary handle's
/// bytes cannot be read synchronously (a Blob: the shell reads it first). Each packet costs two calls into
/// JS in the browser: its head with the separator before it, and one concatenation of head and body.
pub fn encode_payload<H: Host>(frames: &[Frame<H::Text, H::Binary>]) -> Option<H::Text> {
    let mut payload: Option<H::Text> = None;
    for frame in frames {
        let separator = if payload.is_some() { "\u{1e}" } else { "" };
        let (head, body) = split_for_payload::<H>(frame, separator)?;
        let head = H::Text::from_rust_str(&head);
        payload = Some(match (payload, body) {
            (Some(payload), Some(body)) => payload.concat2(&head, body),
            (Some(payload), None) => payload.concat(&head),
            (None, Some(body)) => head.concat(body),
            (None, None) => head,
        });
    }
    Some(payload.unwrap_or_else(|| H::Text::from_rust_str("")))
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
        assert!(matches!(&packets[0], Packet::Message(m) if m == "42[\"b\",\"x\"]"));
        assert!(matches!(&packets[1], Packet::Message(m) if m.starts_with("451-[")));
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
        assert_eq!(encode_payload::<TestHost>(&[frame]).unwrap(), "b/wAH");
        let text = Frame::Text(TextFrame { head: "42".to_string(), body: Some("[1]".to_string()) });
        assert_eq!(encode_payload::<TestHost>(&[text]).unwrap(), "42[1]");
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
                prop_assert!(matches!(decoded.next(), Some(Packet::Message(m)) if m[1..] == *message));
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
