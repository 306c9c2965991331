//! The JS values of a socket's state as socket.io-client shows them: the packets of `sendBuffer`, the
//! arguments of `receiveBuffer`, an acknowledgement callback's arguments, and the CONNECT payload with the
//! recovery fields merged in.

use crate::prelude::*;

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use super::errors::ack_error;
use super::host::BrowserHost;
use crate::socketio::acks::AckOutcome;
use crate::socketio::namespace::{Namespace, Received};

/// socket.io-parser's `PacketType.EVENT`, the type of every packet in `sendBuffer`.
const EVENT_TYPE: u32 = 2;

fn set(target: &JsValue, key: &str, value: &JsValue) {
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}

/// `socket.sendBuffer`: one `{ type, data, options: { compress }, id? }` per buffered packet, in order.
pub fn send_buffer(namespace: &Namespace<BrowserHost>) -> Array {
    let packets = namespace.send_buffer.iter().map(|packet| {
        let object: JsValue = Object::new().into();
        let options: JsValue = Object::new().into();
        set(&options, "compress", &packet.compress.into());
        set(&object, "type", &EVENT_TYPE.into());
        set(&object, "data", &packet.message.args);
        set(&object, "options", &options);
        if let Some(id) = packet.id {
            set(&object, "id", &(id as f64).into());
        }
        object
    });
    packets.collect()
}

/// The `data` of each packet in `packets` (as [`send_buffer`] made them, or whatever the page assigned):
/// the page's values, read before the shell takes its state (a getter may call back in).
pub fn packet_data(packets: &JsValue) -> Vec<JsValue> {
    let packets = if Array::is_array(packets) { Array::from(packets) } else { Array::new() };
    packets.iter().filter_map(|packet| Reflect::get(&packet, &JsValue::from_str("data")).ok()).collect()
}

/// Where the packets whose `data` is in `kept` (from [`packet_data`]) are in the send buffer, matched by
/// identity; anything else is left out.
pub fn send_buffer_positions(namespace: &Namespace<BrowserHost>, kept: &[JsValue]) -> Vec<usize> {
    let position = |data: &JsValue| namespace.send_buffer.iter().position(|buffered| buffered.message.args == *data);
    kept.iter().filter_map(position).collect()
}

/// `socket.receiveBuffer`: one frozen `[name, ...args, ack?]` per buffered event, in order; `ack` makes the
/// function a listener gets for the server's ack id.
pub fn receive_buffer(namespace: &Namespace<BrowserHost>, ack: impl Fn(u64) -> JsValue) -> Array {
    let events = namespace.receive_buffer.iter().map(|Received { args, ack_id, .. }| {
        let array = Array::from(args);
        if let Some(id) = ack_id {
            array.push(&ack(*id));
        }
        JsValue::from(Object::freeze(&array))
    });
    events.collect::<Array>()
}

/// The arguments an acknowledgement callback is called with.
pub fn ack_arguments(outcome: AckOutcome<BrowserHost>) -> Array {
    match outcome {
        AckOutcome::Reply(args) => args.unchecked_into(),
        AckOutcome::ErrorFirstReply(args) => {
            // The reply's argument array was parsed for this ack alone: prefix the null error in place.
            let args: Array = args.unchecked_into();
            args.unshift(&JsValue::NULL);
            args
        }
        AckOutcome::Failed(error) => Array::of1(&ack_error(error)),
        AckOutcome::Rejected(value) => Array::of1(&value.unwrap_or(JsValue::UNDEFINED)),
    }
}

/// The data of the namespace's CONNECT: `auth` as resolved, or `{ pid, offset, ...auth }` once the server
/// gave a pid (socket.io-client's `Object.assign`, which runs `auth`'s getters: the caller holds no borrow).
pub fn connect_payload(pid: Option<&str>, offset: Option<&JsValue>, auth: JsValue) -> JsValue {
    let Some(pid) = pid else { return auth };
    let payload = Object::new();
    set(&payload, "pid", &JsValue::from_str(pid));
    set(&payload, "offset", offset.unwrap_or(&JsValue::UNDEFINED));
    Object::assign(&payload, auth.unchecked_ref()).into()
}
