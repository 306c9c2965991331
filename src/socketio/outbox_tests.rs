//! Native scenarios of the custom parser seam: the core sends structured packets for the shell's
//! `Encoder` and writes back what it made of them, in order (a close waits for them), and routes the
//! packets the shell's `Decoder` gives, holding the connection's later input meanwhile.

use serde_json::{json, Value};

use super::emit::{Callback, Message};
use super::manager_tests::{strings, Driver};
use super::outbox::{Chunk, Structured};
use super::packet::PacketKind;
use crate::testhost::TestHost;

/// A stand-in `Encoder`: one text message `type|nsp|id|data|compress` per packet.
fn encode(packet: &Structured<TestHost>) -> String {
    let id = packet.id.map_or("-".to_string(), |id| id.to_string());
    let data = packet.data.as_ref().map_or("-".to_string(), Value::to_string);
    let compress = packet.compress.map_or("-".to_string(), |c| c.to_string());
    format!("{}|{}|{id}|{data}|{compress}", packet.kind.decoded_digit(), packet.nsp)
}

impl Driver {
    /// A Manager with a custom parser, namespace `/` (id 0) `connect()`ed and the handshake done.
    fn custom() -> Self {
        let mut d = Driver::with(|options| options.custom_parser = true);
        let ns = d.m.add_namespace("/");
        d.m.connect(d.now, ns);
        d.handshake();
        assert_eq!(d.events(), strings(&["open", "needs_connect(0)"]));
        d
    }

    /// Encodes what waits for the `Encoder`, as the shell does; returns the packets it saw.
    fn encode_all(&mut self) -> Vec<String> {
        let mut seen = Vec::new();
        while let Some(packet) = self.m.next_to_encode() {
            let text = encode(&packet);
            self.m.write_encoded([Chunk::Text(text.clone())]);
            seen.push(text);
        }
        seen
    }

    /// The `Decoder` gives a packet.
    fn decoded(&mut self, kind: u16, nsp: &str, id: Option<u64>, data: Option<Value>) {
        let kind = PacketKind::from_number(kind).expect("a packet type");
        self.m.handle_decoded(self.now, Structured { kind, nsp: nsp.to_string(), id, data, compress: None });
    }

    /// From [`Driver::custom`] to connected with sid `abc`.
    fn custom_connected() -> Self {
        let mut d = Self::custom();
        d.m.send_connect(0, None);
        assert_eq!(d.encode_all(), strings(&["0|/|-|-|-"]));
        assert_eq!(d.io(), strings(&["40|/|-|-|-"]), "the Encoder's text, as one Engine.IO message");
        d.decoded(0, "/", None, Some(json!({"sid": "abc"})));
        assert_eq!(d.events(), strings(&["connect(0)"]));
        d
    }
}

fn value_message(args: Value) -> Message<TestHost> {
    Message { args, json: None }
}

#[test]
fn packets_go_out_through_the_encoder_with_their_data_and_flags() {
    let mut d = Driver::custom_connected();
    let callback = Callback { function: 1, error_first: false };
    d.m.emit(d.now, 0, value_message(json!(["hello", 1])), Some(callback));
    assert!(d.io().is_empty(), "nothing is written before the Encoder ran");
    assert_eq!(d.events(), strings(&[r#"sent(0, ["hello",1])"#]));
    assert_eq!(d.encode_all(), strings(&[r#"2|/|0|["hello",1]|true"#]));
    d.m.write_encoded([Chunk::Binary(vec![1, 2])]);
    assert_eq!(d.io(), strings(&[r#"42|/|0|["hello",1]|true"#, "BIN [1, 2]"]));
}

#[test]
fn an_auth_payload_and_an_ack_answer_are_the_packets_data() {
    let mut d = Driver::custom();
    d.m.send_connect(0, Some(value_message(json!({"token": "t"}))));
    assert_eq!(d.encode_all(), strings(&[r#"0|/|-|{"token":"t"}|-"#]));
    d.decoded(0, "/", None, Some(json!({"sid": "abc"})));
    d.decoded(2, "/", Some(7), Some(json!(["ask"])));
    assert_eq!(d.events(), strings(&["connect(0)", r#"message(0, ["ask"], ack=Some(7))"#]));
    d.m.ack(d.now, 0, 7, value_message(json!(["answer"])));
    assert_eq!(d.encode_all(), strings(&[r#"3|/|7|["answer"]|-"#]));
}

#[test]
fn a_disconnect_is_encoded_before_the_transport_closes() {
    let mut d = Driver::custom_connected();
    d.io();
    d.m.disconnect(d.now, 0);
    assert_eq!(d.events(), strings(&["close(forced close)", "disconnect(0, io client disconnect)"]), "decided at once");
    assert!(d.io().is_empty(), "the close waits for the DISCONNECT");
    assert_eq!(d.encode_all(), strings(&["1|/|-|-|-"]));
    assert_eq!(d.io(), strings(&["41|/|-|-|-", "CLOSE"]));
}

#[test]
fn each_message_waits_for_the_decoder_before_the_next_input() {
    let mut d = Driver::custom_connected();
    d.text("4first");
    d.text("4second");
    assert_eq!(d.events(), strings(&["decode(first)"]), "the second message waits");
    d.decoded(2, "/", None, Some(json!(["a"])));
    d.m.resume_decoding(d.now);
    assert_eq!(d.events(), strings(&[r#"message(0, ["a"], ack=None)"#, "decode(second)"]));
    d.m.resume_decoding(d.now);
    d.binary(&[9]);
    assert_eq!(d.events(), strings(&["decode(BIN [9])"]));
}

#[test]
fn what_the_decoder_rejects_or_breaks_the_rules_is_a_parse_error() {
    for bad in [None, Some((2, json!({"not": "an array"}))), Some((2, json!(["connect"]))), Some((1, json!(["data"])))] {
        let mut d = Driver::custom_connected();
        d.text("4x");
        d.events();
        match bad.clone() {
            None => d.m.decode_failed(d.now),
            Some((kind, data)) => d.decoded(kind, "/", None, Some(data)),
        }
        d.m.resume_decoding(d.now);
        assert_eq!(d.events(), strings(&["close(parse error)", "disconnect(0, parse error)"]), "{bad:?}");
    }
}

#[test]
fn the_built_in_parser_leaves_nothing_to_encode() {
    let mut d = Driver::connected();
    d.emit(0, r#"["x"]"#, vec![], None);
    assert!(d.m.next_to_encode().is_none());
    assert_eq!(d.io(), strings(&[r#"42["x"]"#]));
}
