//! The browser host: JS string handles as text, `ArrayBuffer`s (or views, Blobs) as binaries, values from
//! the browser's native `JSON.parse`, JS functions as ack callbacks.

use crate::prelude::*;

use js_sys::{Array, Function, JsString, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::host::{Host, JsonKind, Text};

#[wasm_bindgen(module = "/js/bridge.js")]
extern "C" {
    #[wasm_bindgen(js_name = parseArgs, catch)]
    fn parse_args(text: &JsString, attachments: &Array) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = stringifyArgs, catch)]
    fn stringify_args(value: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = jsonKind)]
    fn json_kind(value: &JsValue) -> u32;
    #[wasm_bindgen(js_name = findUnit)]
    fn find_unit(text: &JsString, unit: u16, from: usize) -> i32;
    #[wasm_bindgen(js_name = utf8Length)]
    fn utf8_length(text: &JsString) -> u32;
    /// The bytes of an ArrayBuffer or a view, read without running the page's code (see js/bridge.js).
    #[wasm_bindgen(js_name = binaryView)]
    fn binary_view(binary: &JsValue) -> Option<Uint8Array>;
    /// The size in bytes of binary data, read without running the page's code.
    #[wasm_bindgen(js_name = binaryLength)]
    fn binary_length(binary: &JsValue) -> f64;
}

#[wasm_bindgen]
extern "C" {
    /// JavaScript's `String(value)`.
    #[wasm_bindgen(js_name = String)]
    pub fn js_string(value: &JsValue) -> JsString;
    /// A JS string seen through a `concat` of two strings.
    #[wasm_bindgen(js_name = String)]
    type JoinableString;
    #[wasm_bindgen(method, js_name = concat)]
    fn concat_two(this: &JoinableString, first: &JsString, second: &JsString) -> JsString;
}

#[wasm_bindgen]
extern "C" {
    /// The browser's native `JSON.parse`.
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    fn json_parse(text: &JsString) -> Result<JsValue, JsValue>;
}

/// The browser environment of the core.
pub struct BrowserHost;

impl Text for JsString {
    fn len(&self) -> usize {
        self.length() as usize
    }
    fn utf8_len(&self) -> usize {
        utf8_length(self) as usize
    }
    fn unit(&self, index: usize) -> Option<u16> {
        // One call across the boundary: `charCodeAt` is NaN past the end.
        let unit = self.char_code_at(index as u32);
        (!unit.is_nan()).then_some(unit as u16)
    }
    fn slice(&self, start: usize, end: usize) -> Self {
        JsString::slice(self, start as u32, end as u32)
    }
    fn find(&self, unit: u16, from: usize) -> Option<usize> {
        usize::try_from(find_unit(self, unit, from)).ok()
    }
    fn concat(&self, other: &Self) -> Self {
        JsString::concat(self, other)
    }
    fn concat2(&self, first: &Self, second: &Self) -> Self {
        self.unchecked_ref::<JoinableString>().concat_two(first, second)
    }
    fn to_rust_string(&self) -> String {
        String::from(self)
    }
    fn from_rust_str(text: &str) -> Self {
        // Headers are a few ASCII characters (`42`, `421`, `42/admin,`, the `\x1e` separator): passed as
        // char codes, which costs far less than decoding UTF-8 out of wasm memory.
        // Up to five go as arguments (no array view at all), the others as one spread array.
        const SHORT: usize = 16;
        if text.len() > SHORT || !text.is_ascii() {
            return JsString::from(text);
        }
        let mut units = [0u16; SHORT];
        for (unit, byte) in units.iter_mut().zip(text.bytes()) {
            *unit = u16::from(byte);
        }
        let code = |unit: u16| u32::from(unit);
        match units[..text.len()] {
            [a] => JsString::from_char_code1(code(a)),
            [a, b] => JsString::from_char_code2(code(a), code(b)),
            [a, b, c] => JsString::from_char_code3(code(a), code(b), code(c)),
            [a, b, c, d] => JsString::from_char_code4(code(a), code(b), code(c), code(d)),
            [a, b, c, d, e] => JsString::from_char_code5(code(a), code(b), code(c), code(d), code(e)),
            ref other => JsString::from_char_code(other),
        }
    }
}

impl Host for BrowserHost {
    type Text = JsString;
    type Binary = JsValue;
    type Value = JsValue;
    type Ack = Function;

    fn parse_json(text: &JsString, attachments: &[JsValue]) -> Option<JsValue> {
        if attachments.is_empty() {
            // The common case, on the hot path: no attachment list to build, no reviver.
            return json_parse(text).ok();
        }
        let list: Array = attachments.iter().collect();
        parse_args(text, &list).ok()
    }
    fn kind(value: &JsValue) -> JsonKind {
        match json_kind(value) {
            0 => JsonKind::Null,
            1 => JsonKind::Bool,
            2 => JsonKind::Number,
            3 => JsonKind::String,
            4 => JsonKind::Array,
            _ => JsonKind::Object,
        }
    }
    fn element(value: &JsValue, index: usize) -> Option<JsValue> {
        let array = value.dyn_ref::<Array>()?;
        (index < array.length() as usize).then(|| array.get(index as u32))
    }
    fn length(value: &JsValue) -> Option<usize> {
        value.dyn_ref::<Array>().map(|array| array.length() as usize)
    }
    fn member(value: &JsValue, key: &str) -> Option<JsValue> {
        if !value.is_object() {
            return None;
        }
        js_sys::Reflect::get(value, &JsValue::from_str(key)).ok().filter(|member| !member.is_undefined())
    }
    fn string(value: &JsValue) -> Option<String> {
        value.as_string()
    }
    fn number(value: &JsValue) -> Option<f64> {
        value.as_f64()
    }
    fn binary_from_bytes(bytes: Vec<u8>) -> JsValue {
        Uint8Array::from(bytes.as_slice()).buffer().into()
    }
    fn binary_len(binary: &JsValue) -> usize {
        // Read while the state is borrowed (counting a POST's size): no page getter may run.
        binary_length(binary) as usize
    }
    fn binary_to_bytes(binary: &JsValue) -> Option<Vec<u8>> {
        binary_view(binary).map(|view| view.to_vec())
    }
}

/// Encodes `[name, ...args]`: the JSON text with binary values replaced by placeholders, and the binaries.
pub fn encode_args(args: &JsValue) -> Result<(JsString, Vec<JsValue>), JsValue> {
    let encoded = stringify_args(args)?;
    let encoded = match encoded.dyn_into::<JsString>() {
        Ok(text) => return Ok((text, Vec::new())),
        Err(encoded) => encoded,
    };
    let parts = Array::from(&encoded);
    let mut parts = parts.iter();
    match parts.next().map(JsCast::dyn_into::<JsString>) {
        Some(Ok(text)) => Ok((text, parts.collect())),
        _ => Err(js_sys::Error::new("arguments are not serializable").into()),
    }
}
