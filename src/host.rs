//! What the protocol core needs from its environment, kept abstract so the same core runs in the browser
//! (JS string handles, `ArrayBuffer`s, native `JSON.parse`) and natively under `cargo test`.

use crate::prelude::*;

/// A text handle measured in UTF-16 code units, as JavaScript strings are.
///
/// The core only reads headers through it (a few code units) and slices off payloads without copying
/// them; the browser implements it on `JsString`, tests on `String`.
pub trait Text: Clone {
    /// Length in code units.
    fn len(&self) -> usize;
    /// Size in bytes of its UTF-8 encoding, as it goes on the wire (a lone surrogate becomes U+FFFD, 3
    /// bytes): what `maxPayload` limits.
    fn utf8_len(&self) -> usize;
    /// Whether the text is empty.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The code unit at `index`, or `None` past the end.
    fn unit(&self, index: usize) -> Option<u16>;
    /// The code units `start..end` (clamped to the text: `usize::MAX` reads to the end).
    fn slice(&self, start: usize, end: usize) -> Self;
    /// Position of the first `unit` at or after `from`.
    fn find(&self, unit: u16, from: usize) -> Option<usize>;
    /// This text followed by `other`.
    fn concat(&self, other: &Self) -> Self;
    /// This text followed by `first` and `second` (one call in the browser).
    fn concat2(&self, first: &Self, second: &Self) -> Self;
    /// A copy as a Rust string (for short, cold-path texts such as namespaces and handshakes).
    fn to_rust_string(&self) -> String;
    /// A text from a Rust string.
    fn from_rust_str(text: &str) -> Self;
}

/// The kind of a decoded JSON value, enough to check the shape rules of the protocol (js/bridge.js's
/// `jsonKind` numbers them in this order).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonKind {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool,
    /// Any number.
    Number,
    /// A string.
    String,
    /// An array.
    Array,
    /// An object (including binary attachments put back in place of placeholders).
    Object,
}

/// The environment of the core: its text, binary and decoded-JSON handles and how to make them.
pub trait Host {
    /// Text frames and payloads.
    type Text: Text;
    /// Binary attachments (an `ArrayBuffer` or view in the browser).
    type Binary: Clone;
    /// A decoded JSON value.
    type Value: Clone;
    /// A user callback waiting for an acknowledgement.
    type Ack;

    /// Parses `text` as JSON; when `attachments` is not empty, every `{"_placeholder":true,"num":n}`
    /// object is replaced by `attachments[n]`. `None` for invalid JSON or a bad placeholder index.
    fn parse_json(text: &Self::Text, attachments: &[Self::Binary]) -> Option<Self::Value>;
    /// The kind of `value`.
    fn kind(value: &Self::Value) -> JsonKind;
    /// Element `index` of an array value.
    fn element(value: &Self::Value, index: usize) -> Option<Self::Value>;
    /// The length of an array value.
    fn length(value: &Self::Value) -> Option<usize>;
    /// Member `key` of an object value.
    fn member(value: &Self::Value, key: &str) -> Option<Self::Value>;
    /// A string value as a Rust string.
    fn string(value: &Self::Value) -> Option<String>;
    /// A number value.
    fn number(value: &Self::Value) -> Option<f64>;
    /// A binary handle holding `bytes` (polling's base64 path).
    fn binary_from_bytes(bytes: Vec<u8>) -> Self::Binary;
    /// The size in bytes of a binary handle.
    fn binary_len(binary: &Self::Binary) -> usize;
    /// The bytes of a binary handle, when they can be read synchronously (polling's base64 path).
    fn binary_to_bytes(binary: &Self::Binary) -> Option<Vec<u8>>;
}
