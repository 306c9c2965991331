//! The built-in msgpack parser's codec in the browser: one call each way. js/msgpack.js walks a JS value
//! into a flat record ([`crate::msgpack::kind`]) and rebuilds one from the record the decoder writes;
//! js/index.js wraps the two as socket.io-parser's `Encoder` and `Decoder` (`msgpackParser`).

use crate::prelude::*;

use wasm_bindgen::prelude::*;

use crate::msgpack::{decode, encode, Record};

/// The msgpack bytes of the value a record lists (`entries`, the text of its strings, the bytes of its
/// binaries); throws "Could not encode" when it holds a function, symbol or bigint (as notepack.io).
#[wasm_bindgen(js_name = msgpackEncode)]
pub fn msgpack_encode(entries: &[f64], text: &str, binaries: &[u8]) -> Result<Vec<u8>, JsValue> {
    encode(&Record { entries, text, binaries }).map_err(|_| js_sys::Error::new("Could not encode").into())
}

/// The record of the value msgpack `bytes` hold; throws as notepack.io does when they hold no value or
/// more than one.
#[wasm_bindgen(js_name = msgpackDecode)]
pub fn msgpack_decode(bytes: &[u8]) -> Result<Vec<f64>, JsValue> {
    decode(bytes).map_err(|error| js_sys::Error::new(error.as_str()).into())
}
