//! A native host for tests: `String` text seen as the browser sees a JS string (lengths and positions in
//! UTF-16 code units, sizes on the wire in UTF-8 bytes), `Vec<u8>` binaries, `serde_json` values, and
//! numbered acknowledgement callbacks.

use crate::engineio::connection::EngineConfig;
use crate::engineio::url::{TransportKind, TransportUrl};
use crate::host::{Host, JsonKind, Text};
use crate::uri::Query;
use serde_json::Value;

/// A Rust string cannot hold a lone surrogate, so a slice that would split a surrogate pair (the core
/// slices only at ASCII delimiters) shows up as U+FFFD in the tests' output.
impl Text for String {
    fn len(&self) -> usize {
        if self.is_ascii() {
            str::len(self)
        } else {
            self.encode_utf16().count()
        }
    }
    fn utf8_len(&self) -> usize {
        str::len(self)
    }
    fn unit(&self, index: usize) -> Option<u16> {
        self.encode_utf16().nth(index)
    }
    fn slice(&self, start: usize, end: usize) -> Self {
        if self.is_ascii() {
            let end = end.min(str::len(self));
            return self[start.min(end)..end].to_string();
        }
        let units: Vec<u16> = self.encode_utf16().collect();
        let end = end.min(units.len());
        String::from_utf16_lossy(&units[start.min(end)..end])
    }
    fn find(&self, unit: u16, from: usize) -> Option<usize> {
        self.encode_utf16().enumerate().skip(from).find(|(_, u)| *u == unit).map(|(index, _)| index)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_measured_as_a_js_string_and_sized_as_utf8() {
        let text = "a\u{e9}\u{4e2d}\u{1f600},".to_string();
        assert_eq!(Text::len(&text), 6, "code units: a, \u{e9}, \u{4e2d}, a surrogate pair, the comma");
        assert_eq!(text.utf8_len(), 1 + 2 + 3 + 4 + 1);
        assert_eq!(text.unit(3), Some(0xd83d));
        assert_eq!(text.unit(4), Some(0xde00));
        assert_eq!(text.unit(6), None);
        assert_eq!(text.find(u16::from(b','), 0), Some(5));
        assert_eq!(text.find(0x4e2d, 3), None);
        assert_eq!(text.slice(1, 5), "\u{e9}\u{4e2d}\u{1f600}");
        assert_eq!(text.slice(5, usize::MAX), ",");
    }
}
