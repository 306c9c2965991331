//! Reading the `io()` options object (a cold path: plain property reads, no serde).

use crate::prelude::*;

use js_sys::{Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use super::host::js_string;
use crate::engineio::connection::EngineConfig;
use crate::engineio::url::{TransportKind, TransportUrl};
use crate::socketio::emit::{timer_delay, SocketOptions};
use crate::socketio::manager::ManagerOptions;
use crate::uri::{parse_io_uri, IoUri, Query, UriError};

fn get(options: &JsValue, key: &str) -> Option<JsValue> {
    if !options.is_object() {
        return None;
    }
    Reflect::get(options, &JsValue::from_str(key)).ok().filter(|v| !v.is_null_or_undefined())
}

fn number(options: &JsValue, key: &str) -> Option<f64> {
    get(options, key).and_then(|v| v.as_f64())
}

fn boolean(options: &JsValue, key: &str) -> Option<bool> {
    get(options, key).and_then(|v| v.as_bool())
}

fn uri_error(error: UriError) -> JsValue {
    js_sys::Error::new(error.as_str()).into()
}

/// The user's `query` option: an object (values stringified as JS does) or a query string.
fn query_option(value: Option<JsValue>, uri_query: &str) -> Result<Query, JsValue> {
    match value {
        Some(text) if text.is_string() => Query::parse(&js_string(&text).as_string().unwrap_or_default()).map_err(uri_error),
        Some(object) => {
            let mut query = Query::default();
            for entry in Object::entries(object.unchecked_ref::<Object>()).iter() {
                let pair: js_sys::Array = entry.unchecked_into();
                query.set(&String::from(js_string(&pair.get(0))), &String::from(js_string(&pair.get(1))));
            }
            Ok(query)
        }
        None => Query::parse(uri_query).map_err(uri_error),
    }
}

/// One transport's URL settings: the shared options, overridden by `transportOptions[name]`.
fn transport_url(uri: &IoUri, options: &JsValue, kind: TransportKind) -> Result<TransportUrl, JsValue> {
    let overrides = transport_overrides(options, kind);
    let pick = |key: &str| get(&overrides, key).or_else(|| get(options, key));
    Ok(TransportUrl {
        secure: uri.secure,
        hostname: uri.hostname.clone(),
        port: uri.port.clone(),
        path: pick("path").map(|p| js_string(&p).into()).unwrap_or_else(|| "/socket.io".to_string()),
        add_trailing_slash: pick("addTrailingSlash").and_then(|v| v.as_bool()).unwrap_or(true),
        query: query_option(pick("query"), &uri.query)?,
        timestamp_requests: pick("timestampRequests").and_then(|v| v.as_bool()),
        timestamp_param: pick("timestampParam").map(|p| js_string(&p).into()).unwrap_or_else(|| "t".to_string()),
        force_base64: pick("forceBase64").is_some_and(|v| v.is_truthy()),
    })
}

/// The overrides of `transportOptions[name]` (undefined when there are none).
fn transport_overrides(options: &JsValue, kind: TransportKind) -> JsValue {
    get(options, "transportOptions").and_then(|t| get(&t, kind.name())).unwrap_or(JsValue::UNDEFINED)
}

/// The user's query of each transport (polling, WebSocket) as the options object holds it now, the query
/// string of the URI when it has none: read again before each session (the page may change `opts.query`,
/// e.g. in a `reconnect_attempt` listener). `None` when it cannot be read.
pub fn session_queries(uri_query: &str, options: &JsValue) -> Option<(Query, Query)> {
    let query = |kind| {
        let value = get(&transport_overrides(options, kind), "query").or_else(|| get(options, "query"));
        query_option(value, uri_query).ok()
    };
    Some((query(TransportKind::Polling)?, query(TransportKind::WebSocket)?))
}

/// The name of an entry of `transports`: a name, or a transport class (socket.io-client's `WebSocket`,
/// `Fetch`, …, whose prototype's `name` is the transport's).
fn transport_name(entry: &JsValue) -> String {
    let prototype = entry.is_function().then(|| Reflect::get(entry, &"prototype".into()).ok()).flatten();
    match prototype.and_then(|prototype| get(&prototype, "name")) {
        Some(name) => js_string(&name).into(),
        None => js_string(entry).into(),
    }
}

/// What the shell needs beyond the core's options.
pub struct ShellOptions {
    /// `withCredentials`: polling requests send cookies cross-origin.
    pub with_credentials: bool,
    /// `extraHeaders` of polling requests (`transportOptions.polling.extraHeaders` wins).
    pub extra_headers: JsValue,
    /// `closeOnBeforeunload`: close the transports silently when the page unloads.
    pub close_on_beforeunload: bool,
    /// Whether the browser's `offline` event closes the connection (not for `localhost`, as
    /// engine.io-client).
    pub close_when_offline: bool,
    /// `useNativeTimers`: the timer uses the `setTimeout`/`clearTimeout` of the time the module loaded
    /// (fake timers installed later do not hold the connection back), else the page's at each call.
    pub native_timers: bool,
    /// `protocols` of the WebSocket (`transportOptions.websocket.protocols` wins): its subprotocols.
    pub protocols: JsValue,
    /// `requestTimeout` of polling requests, in ms: a request that has not answered by then fails.
    pub request_timeout: Option<f64>,
    /// The query string of the URI, the query when the options have none.
    pub uri_query: String,
}

/// Builds the Manager's Engine.IO configuration and options from an absolute `uri` and the options object;
/// bad input is a JS `Error`.
pub fn manager_options(uri: &str, options: &JsValue) -> Result<(EngineConfig, ManagerOptions, ShellOptions), JsValue> {
    let parsed = parse_io_uri(uri).map_err(uri_error)?;
    let transports = match get(options, "transportImplementations").or_else(|| get(options, "transports")) {
        Some(list) => js_sys::Array::from(&list).iter().filter_map(|t| TransportKind::from_name(&transport_name(&t))).collect(),
        None => vec![TransportKind::Polling, TransportKind::WebSocket],
    };
    let engine = EngineConfig {
        transports,
        upgrade: boolean(options, "upgrade").unwrap_or(true),
        remember_upgrade: boolean(options, "rememberUpgrade").unwrap_or(false),
        try_all_transports: boolean(options, "tryAllTransports").unwrap_or(false),
        polling: transport_url(&parsed, options, TransportKind::Polling)?,
        websocket: transport_url(&parsed, options, TransportKind::WebSocket)?,
    };
    let mut manager = ManagerOptions::default();
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
    manager.custom_parser = get(options, "parser").is_some();
    let polling_overrides = transport_overrides(options, TransportKind::Polling);
    let websocket_overrides = transport_overrides(options, TransportKind::WebSocket);
    let shell = ShellOptions {
        with_credentials: boolean(&polling_overrides, "withCredentials").or_else(|| boolean(options, "withCredentials")).unwrap_or(false),
        extra_headers: get(&polling_overrides, "extraHeaders").or_else(|| get(options, "extraHeaders")).unwrap_or(JsValue::UNDEFINED),
        close_on_beforeunload: boolean(options, "closeOnBeforeunload").unwrap_or(false),
        close_when_offline: parsed.hostname != "localhost",
        native_timers: get(options, "useNativeTimers").is_some_and(|v| v.is_truthy()),
        protocols: get(&websocket_overrides, "protocols").or_else(|| get(options, "protocols")).unwrap_or(JsValue::UNDEFINED),
        request_timeout: number(&polling_overrides, "requestTimeout").or_else(|| number(options, "requestTimeout")).filter(|ms| *ms > 0.0),
        uri_query: parsed.query.clone(),
    };
    Ok((engine, manager, shell))
}

/// Reads the socket options of `io()` / `manager.socket()`: `ackTimeout` and `retries`.
pub fn socket_options(options: &JsValue) -> SocketOptions {
    SocketOptions { ack_timeout: number(options, "ackTimeout").map(timer_delay), retries: number(options, "retries").unwrap_or(0.0) }
}
