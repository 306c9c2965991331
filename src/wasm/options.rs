//! Reading the `io()` options object (a cold path: plain property reads, no serde).

use js_sys::{Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use super::host::js_string;
use crate::socketio::emit::{timer_delay, SocketOptions};
use crate::socketio::manager::ManagerOptions;
use crate::uri::{parse_io_uri, EngineUrl, Query};

fn get(options: &JsValue, key: &str) -> Option<JsValue> {
    if !options.is_object() {
        return None;
    }
    Reflect::get(options, &JsValue::from_str(key)).ok().filter(|v| !v.is_undefined() && !v.is_null())
}

fn number(options: &JsValue, key: &str) -> Option<f64> {
    get(options, key).and_then(|v| v.as_f64())
}

fn boolean(options: &JsValue, key: &str) -> Option<bool> {
    get(options, key).and_then(|v| v.as_bool())
}

fn to_js_string(value: &JsValue) -> String {
    js_string(value).into()
}

/// The user's `query` option: an object (values stringified as JS does) or a query string.
fn query_option(options: &JsValue, uri_query: &str) -> Result<Query, JsValue> {
    let error = |e: crate::uri::UriError| JsValue::from(js_sys::Error::new(e.as_str()));
    match get(options, "query") {
        Some(text) if text.is_string() => Query::parse(&to_js_string(&text)).map_err(error),
        Some(object) => {
            let mut query = Query::default();
            for entry in Object::entries(object.unchecked_ref::<Object>()).iter() {
                let pair: js_sys::Array = entry.unchecked_into();
                query.set(&to_js_string(&pair.get(0)), &to_js_string(&pair.get(1)));
            }
            Ok(query)
        }
        None => Query::parse(uri_query).map_err(error),
    }
}

/// Builds the Manager options from an absolute `uri` and the options object; bad input is a JS `Error`.
pub fn manager_options(uri: &str, options: &JsValue) -> Result<ManagerOptions, JsValue> {
    let path = get(options, "path").map(|p| to_js_string(&p)).unwrap_or_else(|| "/socket.io".to_string());
    let parsed = parse_io_uri(uri).map_err(|e| JsValue::from(js_sys::Error::new(e.as_str())))?;
    let query = query_option(options, &parsed.query)?;
    let add_trailing_slash = boolean(options, "addTrailingSlash").unwrap_or(true);
    let engine_url = EngineUrl { uri: &parsed, path: &path, add_trailing_slash, query: &query }.websocket();
    let mut manager = ManagerOptions::new(engine_url);
    if let Some(value) = boolean(options, "reconnection") {
        manager.reconnection = value;
    }
    if let Some(value) = number(options, "reconnectionAttempts") {
        manager.reconnection_attempts = value;
    }
    if let Some(value) = number(options, "reconnectionDelay") {
        manager.reconnection_delay = value;
    }
    if let Some(value) = number(options, "reconnectionDelayMax") {
        manager.reconnection_delay_max = value;
    }
    if let Some(value) = number(options, "randomizationFactor") {
        manager.randomization_factor = value;
    }
    match get(options, "timeout") {
        Some(value) if value.as_bool() == Some(false) => manager.timeout = None,
        Some(value) => manager.timeout = value.as_f64().filter(|t| *t >= 0.0).map(|t| t as u64).or(manager.timeout),
        None => {}
    }
    Ok(manager)
}

/// Reads the socket options of `io()` / `manager.socket()`: `ackTimeout` and `retries`.
pub fn socket_options(options: &JsValue) -> SocketOptions {
    SocketOptions {
        ack_timeout: number(options, "ackTimeout").map(timer_delay),
        retries: number(options, "retries").unwrap_or(0.0),
    }
}
