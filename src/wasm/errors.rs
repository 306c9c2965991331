//! Core failures as the JS `Error` objects socket.io-client hands to listeners.

use js_sys::{Error, Reflect};
use wasm_bindgen::JsValue;

use super::host::BrowserHost;
use crate::host::{Host, JsonKind};
use crate::reason::{Cause, TransportFailure};
use crate::socketio::acks::AckError;
use crate::socketio::manager::ConnectFailure;
use crate::socketio::packet::DecodeError;

const V2_SERVER: &str = "It seems you are trying to reach a Socket.IO server in v2.x with a v3.x client, but they are not compatible (more information here: https://socket.io/docs/v3/migrating-from-2-x-to-3-0/)";

fn set(target: &JsValue, key: &str, value: &JsValue) {
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}

/// The `Error` for a failed connection attempt; `event` is the WebSocket's DOM error event, if any.
pub fn connect_error(failure: &ConnectFailure<BrowserHost>, event: &JsValue) -> JsValue {
    match failure {
        ConnectFailure::Transport(failure) => transport_error(*failure, event),
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

/// engine.io-client's `TransportError`: "websocket error" with the DOM `event` as `description`, "xhr poll
/// error" / "xhr post error" with the HTTP status.
fn transport_error(failure: TransportFailure, event: &JsValue) -> JsValue {
    let error: JsValue = Error::new(failure.message()).into();
    set(&error, "type", &JsValue::from_str("TransportError"));
    let description = match failure {
        TransportFailure::Unsupported => JsValue::from_str("socketio-wasm has no WebTransport"),
        _ => failure.status().map_or_else(|| event.clone(), JsValue::from),
    };
    set(&error, "description", &description);
    set(&error, "context", &JsValue::UNDEFINED);
    error
}

/// `{ description, context }`, engine.io-client's description of a closed transport.
fn description_object(text: &str, context: &JsValue) -> JsValue {
    let description: JsValue = js_sys::Object::new().into();
    set(&description, "description", &JsValue::from_str(text));
    set(&description, "context", context);
    description
}

/// The `description` socket.io-client passes with a close reason; `event` is the WebSocket's DOM close or
/// error event, if any, or what a custom parser's Decoder threw.
pub fn close_description(cause: Cause, event: &JsValue) -> JsValue {
    match cause {
        Cause::None => JsValue::UNDEFINED,
        Cause::TransportClosed => description_object("websocket connection closed", event),
        Cause::NetworkLost => description_object("network connection lost", &JsValue::UNDEFINED),
        Cause::TransportFailed(failure) => transport_error(failure, event),
        Cause::EngineParserError => {
            let error: JsValue = Error::new("server error").into();
            set(&error, "code", &JsValue::from_str("parser error"));
            error
        }
        // What the custom parser's Decoder threw (or the shell's own Error when it gave no packet).
        Cause::Decode(DecodeError::Rejected) => event.clone(),
        Cause::Decode(error) => Error::new(error.as_str()).into(),
    }
}

/// The `Error` an error-first acknowledgement callback gets when no answer will come.
pub fn ack_error(error: AckError) -> JsValue {
    Error::new(error.as_str()).into()
}
