//! The built-in msgpack parser's codec in the browser: JS values read and made for [`crate::msgpack`].
//! `js/index.js` wraps the two exports as socket.io-parser's `Encoder` and `Decoder` (`msgpackParser`),
//! which plug into the custom parser seam like socket.io-msgpack-parser.
//!
//! A value is walked from Rust, one call into JS per value (what it is, plus its keys for an object) and
//! one per member read; strings and bytes are copied through wasm memory.

use crate::prelude::*;

use js_sys::{Array, ArrayBuffer, Date, Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::host::BrowserHost;
use crate::host::Host;
use crate::msgpack::{decode, encode, Builder, Item, Reader};

#[wasm_bindgen(module = "/js/bridge.js")]
extern "C" {
    /// What a value is for notepack.io, numbered as `MSGPACK_*` below.
    #[wasm_bindgen(js_name = msgpackKind)]
    fn msgpack_kind(value: &JsValue) -> u32;
    /// The keys notepack.io writes of an object: its own enumerable ones not holding a function.
    #[wasm_bindgen(js_name = msgpackKeys)]
    fn msgpack_keys(value: &JsValue) -> Array;
}

// The kinds of `msgpackKind`, numbered as in js/bridge.js.
const MSGPACK_NULL: u32 = 0;
const MSGPACK_UNDEFINED: u32 = 1;
const MSGPACK_BOOLEAN: u32 = 2;
const MSGPACK_NUMBER: u32 = 3;
const MSGPACK_STRING: u32 = 4;
const MSGPACK_ARRAY: u32 = 5;
const MSGPACK_BINARY: u32 = 6;
const MSGPACK_DATE: u32 = 7;
const MSGPACK_JSON: u32 = 8;
const MSGPACK_OBJECT: u32 = 9;

/// Reads and makes JS values.
struct JsValues;

impl Reader for JsValues {
    type Value = JsValue;
    fn read(&mut self, value: &JsValue) -> Item<JsValue> {
        match msgpack_kind(value) {
            MSGPACK_NULL => Item::Nil,
            MSGPACK_UNDEFINED => Item::Undefined,
            MSGPACK_BOOLEAN => Item::Bool(value.is_truthy()),
            MSGPACK_NUMBER => Item::Number(value.as_f64().unwrap_or(f64::NAN)),
            MSGPACK_STRING => Item::Str(value.as_string().unwrap_or_default()),
            MSGPACK_ARRAY => Item::Array(value.unchecked_ref::<Array>().iter().collect()),
            MSGPACK_BINARY => Item::Bin(BrowserHost::binary_to_bytes(value).unwrap_or_default()),
            MSGPACK_DATE => Item::Date(value.unchecked_ref::<Date>().get_time()),
            // `toJSON()` stands for the object, as notepack.io writes it.
            MSGPACK_JSON => {
                let to_json = Reflect::get(value, &"toJSON".into()).ok().and_then(|f| f.dyn_into::<js_sys::Function>().ok());
                match to_json.and_then(|f| f.call0(value).ok()) {
                    Some(json) => self.read(&json),
                    None => Item::Unsupported,
                }
            }
            MSGPACK_OBJECT => {
                let entry = |key: JsValue| (key.as_string().unwrap_or_default(), Reflect::get(value, &key).unwrap_or_default());
                Item::Map(msgpack_keys(value).iter().map(entry).collect())
            }
            _ => Item::Unsupported,
        }
    }
}

impl Builder for JsValues {
    type Value = JsValue;
    fn nil(&mut self) -> JsValue {
        JsValue::NULL
    }
    fn undefined(&mut self) -> JsValue {
        JsValue::UNDEFINED
    }
    fn bool(&mut self, value: bool) -> JsValue {
        value.into()
    }
    fn number(&mut self, value: f64) -> JsValue {
        value.into()
    }
    fn str(&mut self, value: &str) -> JsValue {
        value.into()
    }
    fn bin(&mut self, bytes: &[u8]) -> JsValue {
        Uint8Array::from(bytes).buffer().into()
    }
    fn date(&mut self, millis: f64) -> JsValue {
        Date::new(&millis.into()).into()
    }
    fn array(&mut self, items: Vec<JsValue>) -> JsValue {
        items.into_iter().collect::<Array>().into()
    }
    fn map(&mut self, entries: Vec<(JsValue, JsValue)>) -> JsValue {
        let object = Object::new();
        for (key, value) in entries {
            let _ = Reflect::set(&object, &key, &value);
        }
        object.into()
    }
}

/// `value` as msgpack (an `ArrayBuffer`), as notepack.io writes it; throws "Could not encode" for a
/// function, symbol or bigint anywhere in it.
#[wasm_bindgen(js_name = msgpackEncode)]
pub fn msgpack_encode(value: JsValue) -> Result<ArrayBuffer, JsValue> {
    let bytes = encode(&mut JsValues, &value).map_err(|_| js_sys::Error::new("Could not encode"))?;
    Ok(Uint8Array::from(bytes.as_slice()).buffer())
}

/// The value msgpack `bytes` (an `ArrayBuffer` or a view) hold; throws as notepack.io does when they hold
/// no value, more than one, or something else than bytes ("Invalid argument").
#[wasm_bindgen(js_name = msgpackDecode)]
pub fn msgpack_decode(bytes: JsValue) -> Result<JsValue, JsValue> {
    let bytes = BrowserHost::binary_to_bytes(&bytes).ok_or_else(|| js_sys::Error::new("Invalid argument"))?;
    decode(&mut JsValues, &bytes).map_err(|error| js_sys::Error::new(error.as_str()).into())
}
