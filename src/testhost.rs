//! A native host for tests: `String` text (bytes as code units, enough for the ASCII headers the core
//! reads), `Vec<u8>` binaries, `serde_json` values, and numbered acknowledgement callbacks.

use crate::engineio::connection::EngineConfig;
use crate::engineio::url::{TransportKind, TransportUrl};
use crate::host::{Host, JsonKind, Text};
use crate::uri::Query;
use serde_json::Value;

impl Text for String {
    fn len(&self) -> usize {
        str::len(self)
    }
    fn unit(&self, index: usize) -> Option<u16> {
        self.as_bytes().get(index).map(|b| u16::from(*b))
    }
    fn slice(&self, start: usize, end: usize) -> Self {
        let end = end.min(str::len(self));
        self.get(start.min(end)..end).unwrap_or("").to_string()
    }
    fn find(&self, unit: u16, from: usize) -> Option<usize> {
        let byte = u8::try_from(unit).ok()?;
        self.as_bytes().get(from..)?.iter().position(|b| *b == byte).map(|i| i + from)
    }
    fn concat(&self, other: &Self) -> Self {
        format!("{self}{other}")
    }
    fn concat2(&self, first: &Self, second: &Self) -> Self {
        format!("{self}{first}{second}")
    }
    fn to_rust_string(&self) -> String {
        self.clone()
    }
    fn from_rust_str(text: &str) -> Self {
        text.to_string()
    }
}

/// The test environment. A binary attachment put back into a value becomes `{"$binary": [bytes…]}`.
pub struct TestHost;

fn revive(value: Value, attachments: &[Vec<u8>]) -> Option<Value> {
    Some(match value {
        Value::Object(map) if map.get("_placeholder") == Some(&Value::Bool(true)) => {
            let num = map.get("num").and_then(Value::as_u64)?;
            let bytes = attachments.get(usize::try_from(num).ok()?)?;
            serde_json::json!({ "$binary": bytes })
        }
        Value::Object(map) => Value::Object(map.into_iter().map(|(k, v)| revive(v, attachments).map(|v| (k, v))).collect::<Option<_>>()?),
        Value::Array(items) => Value::Array(items.into_iter().map(|v| revive(v, attachments)).collect::<Option<_>>()?),
        other => other,
    })
}

impl Host for TestHost {
    type Text = String;
    type Binary = Vec<u8>;
    type Value = Value;
    type Ack = u32;

    fn parse_json(text: &String, attachments: &[Vec<u8>]) -> Option<Value> {
        let value: Value = serde_json::from_str(text).ok()?;
        if attachments.is_empty() {
            Some(value)
        } else {
            revive(value, attachments)
        }
    }
    fn kind(value: &Value) -> JsonKind {
        match value {
            Value::Null => JsonKind::Null,
            Value::Bool(_) => JsonKind::Bool,
            Value::Number(_) => JsonKind::Number,
            Value::String(_) => JsonKind::String,
            Value::Array(_) => JsonKind::Array,
            Value::Object(_) => JsonKind::Object,
        }
    }
    fn element(value: &Value, index: usize) -> Option<Value> {
        value.as_array()?.get(index).cloned()
    }
    fn length(value: &Value) -> Option<usize> {
        value.as_array().map(Vec::len)
    }
    fn member(value: &Value, key: &str) -> Option<Value> {
        value.as_object()?.get(key).cloned()
    }
    fn string(value: &Value) -> Option<String> {
        value.as_str().map(str::to_string)
    }
    fn number(value: &Value) -> Option<f64> {
        value.as_f64()
    }
    fn binary_from_bytes(bytes: Vec<u8>) -> Vec<u8> {
        bytes
    }
    fn binary_len(binary: &Vec<u8>) -> usize {
        binary.len()
    }
    fn binary_to_bytes(binary: &Vec<u8>) -> Option<Vec<u8>> {
        Some(binary.clone())
    }
}

/// An engine configuration for `ws://x/socket.io/` / `http://x/socket.io/` with these transports and
/// socket.io-client's other defaults.
pub fn test_config(transports: &[TransportKind]) -> EngineConfig {
    let url = TransportUrl {
        secure: false,
        hostname: "x".to_string(),
        port: "80".to_string(),
        path: "/socket.io".to_string(),
        add_trailing_slash: true,
        query: Query::default(),
        timestamp_requests: None,
        timestamp_param: "t".to_string(),
        force_base64: false,
    };
    EngineConfig {
        transports: transports.to_vec(),
        upgrade: true,
        remember_upgrade: false,
        try_all_transports: false,
        polling: url.clone(),
        websocket: url,
    }
}
