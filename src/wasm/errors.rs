//! Core failures as the JS `Error` objects socket.io-client hands to listeners.

use js_sys::{Error, Reflect};
use wasm_bindgen::JsValue;

use super::host::BrowserHost;
use crate::host::{Host, JsonKind};
use crate::reason::Cause;
use crate::socketio::acks::AckError;
use crate::socketio::manager::ConnectFailure;

const V2_SERVER: &str = "It seems you are trying to reach a Socket.IO server in v2.x with a v3.x client, but they are not compatible (more information here: https://socket.io/docs/v3/migrating-from-2-x-to-3-0/)";

fn set(target: &JsValue, key: &str, value: &JsValue) {
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}

/// The `Error` for a failed connection attempt.
pub fn connect_error(failure: &ConnectFailure<BrowserHost>) -> JsValue {
    match failure {
        ConnectFailure::Transport => transport_error(),
        ConnectFailure::Timeout => Error::new("timeout").into(),
        ConnectFailure::Refused(payload) => {
            let message = match BrowserHost::kind(payload) {
                JsonKind::Object => BrowserHost::member(payload, "message").and_then(|m| m.as_string()),
                _ => None,
            };
            let error: JsValue = Error::new(message.as_deref().unwrap_or("")).into();
            if let Some(data) = BrowserHost::member(payload, "data") {
                set(&error, "data", &data);
            }
            error
        }
        ConnectFailure::IncompatibleServer => Error::new(V2_SERVER).into(),
    }
}

/// engine.io-client's `TransportError("websocket error")`.
fn transport_error() -> JsValue {
    let error: JsValue = Error::new("websocket error").into();
    set(&error, "type", &JsValue::from_str("TransportError"));
    set(&error, "description", &JsValue::UNDEFINED);
    set(&error, "context", &JsValue::UNDEFINED);
    error
}

/// The `description` socket.io-client passes with a close reason.
pub fn close_description(cause: Cause) -> JsValue {
    match cause {
        Cause::None => JsValue::UNDEFINED,
        Cause::TransportClosed => {
            let description: JsValue = js_sys::Object::new().into();
            set(&description, "description", &JsValue::from_str("websocket connection closed"));
            set(&description, "context", &JsValue::UNDEFINED);
            description
        }
        Cause::TransportFailed => transport_error(),
        Cause::EngineParserError => {
            let error: JsValue = Error::new("server error").into();
            set(&error, "code", &JsValue::from_str("parser error"));
            error
        }
        Cause::Decode(error) => Error::new(error.as_str()).into(),
    }
}

/// The `Error` thrown by `emit` for a reserved event name.
pub fn reserved_name(name: &str) -> JsValue {
    Error::new(&["\"", name, "\" is a reserved event name"].concat()).into()
}

/// The `Error` an error-first acknowledgement callback gets when no answer will come.
pub fn ack_error(error: AckError) -> JsValue {
    Error::new(error.as_str()).into()
}
