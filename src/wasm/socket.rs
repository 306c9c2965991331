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

/// Where the packets of `packets` (as [`send_buffer`] made them) are in the send buffer, matched by their
/// `data` array; anything else is left out.
pub fn send_buffer_positions(namespace: &Namespace<BrowserHost>, packets: &JsValue) -> Vec<usize> {
    let packets = if Array::is_array(packets) { Array::from(packets) } else { Array::new() };
    let position = |packet: JsValue| {
        let data = Reflect::get(&packet, &JsValue::from_str("data")).ok()?;
        namespace.send_buffer.iter().position(|buffered| buffered.message.args == data)
    };
    packets.iter().filter_map(position).collect()
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
/// gave a pid (socket.io-client's `Object.assign`).
pub fn connect_payload(namespace: &Namespace<BrowserHost>, auth: JsValue) -> JsValue {
    let recovery = namespace.recovery();
    let Some(pid) = recovery.pid() else {
        return auth;
    };
    let payload = Object::new();
    set(&payload, "pid", &JsValue::from_str(pid));
    set(&payload, "offset", recovery.offset().unwrap_or(&JsValue::UNDEFINED));
    Object::assign(&payload, auth.unchecked_ref()).into()
}
