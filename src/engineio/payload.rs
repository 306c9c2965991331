//! Long-polling payloads: several Engine.IO packets in one HTTP body, separated by the record
//! separator `\x1e`; binary messages travel as `b` + base64.

use super::packet::{decode_text, Frame, Packet, ParserError};
use crate::base64;
use crate::host::{Host, Text};

/// The record separator between packets of one payload.
pub const SEPARATOR: u16 = 0x1e;

/// Splits a polling body into its packets. Any undecodable packet fails the whole payload.
pub fn decode_payload<H: Host>(body: &H::Text) -> Result<Vec<Packet<H>>, ParserError> {
    let mut packets = Vec::new();
    let mut start = 0;
    loop {
        let end = body.find(SEPARATOR, start).unwrap_or(body.len());
        packets.push(decode_text::<H>(&body.slice(start, end), true)?);
        if end >= body.len() {
            return Ok(packets);
        }
        start = end + 1;
    }
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

/// Joins encoded packets into bodies of at most `max_payload` code units each (a lone packet larger than
/// that is sent on its own), in order.
pub fn batch_payloads<T: Text>(packets: Vec<T>, max_payload: usize) -> Vec<T> {
    let separator = T::from_rust_str("\u{1e}");
    let mut bodies: Vec<T> = Vec::new();
    let mut current: Option<T> = None;
    for packet in packets {
        current = Some(match current.take() {
            Some(body) if body.len() + 1 + packet.len() <= max_payload => body.concat(&separator).concat(&packet),
            Some(body) => {
                bodies.push(body);
                packet
            }
            None => packet,
        });
    }
    bodies.extend(current);
    bodies
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
        let packets = decode_payload::<TestHost>(&body).unwrap();
        assert_eq!(packets.len(), 3);
        assert!(matches!(&packets[0], Packet::Message(m) if m == "2[\"b\",\"x\"]"));
        assert!(matches!(&packets[1], Packet::Message(m) if m.starts_with("51-[")));
        assert!(matches!(&packets[2], Packet::Binary(b) if *b == vec![0xff, 0, 7]));
    }

    #[test]
    fn bad_packet_fails_payload() {
        assert!(decode_payload::<TestHost>(&"2\u{1e}9".to_string()).is_err());
        assert!(decode_payload::<TestHost>(&"\u{1e}".to_string()).is_err());
    }

    #[test]
    fn encodes_binary_as_base64() {
        let frame = Frame::<String, Vec<u8>>::Binary(vec![0xff, 0, 7]);
        assert_eq!(encode_for_payload::<TestHost>(&frame).unwrap(), "b/wAH");
        let text = Frame::Text(TextFrame { head: "42".to_string(), body: Some("[1]".to_string()) });
        assert_eq!(encode_for_payload::<TestHost>(&text).unwrap(), "42[1]");
    }

    #[test]
    fn batches_under_max_payload() {
        let packets: Vec<String> = ["4aaaa", "4bbbb", "4cccc"].iter().map(|s| s.to_string()).collect();
        assert_eq!(batch_payloads(packets.clone(), 100), vec!["4aaaa\u{1e}4bbbb\u{1e}4cccc".to_string()]);
        assert_eq!(batch_payloads(packets.clone(), 11), vec!["4aaaa\u{1e}4bbbb".to_string(), "4cccc".to_string()]);
        assert_eq!(batch_payloads(packets, 3).len(), 3);
    }

    proptest! {
        #[test]
        fn round_trip(messages in proptest::collection::vec("[a-z0-9\\[\\]\"]{0,20}", 1..8), max in 1usize..80) {
            let encoded: Vec<String> = messages.iter().map(|m| format!("4{m}")).collect();
            let mut decoded = Vec::new();
            for body in batch_payloads(encoded, max) {
                for packet in decode_payload::<TestHost>(&body).unwrap() {
                    match packet { Packet::Message(m) => decoded.push(m), _ => prop_assert!(false) }
                }
            }
            prop_assert_eq!(decoded, messages);
        }

        #[test]
        fn never_panics(body in "\\PC*") {
            let _ = decode_payload::<TestHost>(&body);
        }
    }
}
