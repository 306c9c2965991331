//! The shell's side of the custom parser seam (the `parser` option): the Manager facade's `encoder` and
//! `decoder` (socket.io-parser's interface) get and give packets as `{type, nsp, id, data}` objects; the
//! core decides what is sent and when, and checks and routes what comes in (see `socketio::outbox`).

use js_sys::{Array, JsString, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::host::{encode_args, BrowserHost};
use crate::host::Host;
use crate::socketio::emit::{Json, Message};
use crate::socketio::outbox::{Chunk, Structured};
use crate::socketio::packet::PacketKind;

#[wasm_bindgen(module = "/js/bridge.js")]
extern "C" {
    /// The Manager facade's `encoder.encode(packet)`, `packet` built as socket.io-client builds it.
    #[wasm_bindgen(js_name = encodeWith, catch)]
    fn encode_with(manager: &JsValue, kind: u8, nsp: &str, id: JsValue, data: JsValue, compress: JsValue) -> Result<Array, JsValue>;
    /// The Manager facade's `decoder.add(chunk)`; its packets come back through `WasmManager::decoded`.
    #[wasm_bindgen(js_name = decodeWith, catch)]
    pub fn decode_with(manager: &JsValue, chunk: &JsValue) -> Result<(), JsValue>;
}

/// The data of an outgoing packet: encoded here (JSON and attachments) for the built-in parser, left as it
/// is for a custom one. Arguments JSON cannot encode throw.
pub fn message(args: JsValue, custom_parser: bool) -> Result<Message<BrowserHost>, JsValue> {
    if custom_parser {
        return Ok(Message { args, json: None });
    }
    let (text, attachments) = encode_args(&args)?;
    Ok(Message { args, json: Some(Json { text, attachments }) })
}

/// What the Manager facade's `encoder` makes of `packet`: an array of messages (see [`chunk`]).
pub fn encode(manager: &JsValue, packet: Structured<BrowserHost>) -> Result<Array, JsValue> {
    let id = packet.id.map_or(JsValue::UNDEFINED, |id| (id as f64).into());
    let compress = packet.compress.map_or(JsValue::UNDEFINED, JsValue::from);
    let data = packet.data.unwrap_or(JsValue::UNDEFINED);
    encode_with(manager, packet.kind.decoded_digit(), &packet.nsp, id, data, compress)
}

/// One message of an encoder's output: a string is a text message, anything else a binary one.
pub fn chunk(value: JsValue) -> Chunk<BrowserHost> {
    match value.dyn_into::<JsString>() {
        Ok(text) => Chunk::Text(text),
        Err(binary) => Chunk::Binary(binary),
    }
}

/// A packet the `decoder` gave, if it is one: a `type` from 0 to 6, a string `nsp`, an `id` that is absent
/// or a whole number, any `data`.
pub fn decoded_packet(packet: &JsValue) -> Option<Structured<BrowserHost>> {
    let member = |key: &str| Reflect::get(packet, &JsValue::from_str(key)).ok().filter(|value| !value.is_undefined());
    let whole = |value: f64| ((0.0..=9_007_199_254_740_991.0).contains(&value) && value == (value as u64) as f64).then_some(value as u64);
    let kind = member("type")?.as_f64().and_then(whole).and_then(|n| u16::try_from(n).ok()).and_then(PacketKind::from_number)?;
    let nsp = member("nsp")?.as_string()?;
    let id = match member("id") {
        Some(id) => Some(id.as_f64().and_then(whole)?),
        None => None,
    };
    let data = BrowserHost::member(packet, "data");
    Some(Structured { kind, nsp, id, data, compress: None })
}
