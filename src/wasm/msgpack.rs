//! The built-in msgpack parser's codec in the browser: one call each way. js/msgpack.js walks a JS value
//! into a flat record ([`crate::msgpack::kind`]) and rebuilds one from the record the decoder writes;
//! js/index.js wraps the two as socket.io-parser's `Encoder` and `Decoder` (`msgpackParser`). The
//! results stay in the codec's buffers, which JS reads in wasm memory: one copy out for the bytes, none
//! for the record.

use crate::prelude::*;

use wasm_bindgen::prelude::*;

use crate::msgpack::{decode, encode, Record};

/// The codec and its last results.
#[wasm_bindgen]
pub struct MsgpackCodec {
    bytes: Vec<u8>,
    record: Vec<f64>,
}

#[wasm_bindgen]
impl MsgpackCodec {
    /// A codec with no results yet.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Self {
        Self { bytes: Vec::new(), record: Vec::new() }
    }

    /// The wasm memory, where the results are.
    pub fn memory() -> JsValue {
        wasm_bindgen::memory()
    }

    /// Writes the msgpack bytes of the value a record lists (`entries`, the text of its strings, the
    /// bytes of its binaries) and returns their length (they start at `bytesAt`); throws "Could not
    /// encode" when it holds a function, symbol or bigint (as notepack.io).
    pub fn encode(&mut self, entries: &[f64], text: &str, binaries: &[u8]) -> Result<usize, JsValue> {
        self.bytes = encode(&Record { entries, text, binaries }).map_err(|_| js_sys::Error::new("Could not encode"))?;
        Ok(self.bytes.len())
    }

    /// Where the bytes of the last `encode` start in wasm memory.
    #[wasm_bindgen(js_name = bytesAt)]
    pub fn bytes_at(&self) -> usize {
        self.bytes.as_ptr() as usize
    }

    /// Writes the record of the value msgpack `bytes` hold and returns its number of entries (they start
    /// at `recordAt`); throws as notepack.io does when they hold no value or more than one.
    pub fn decode(&mut self, bytes: &[u8]) -> Result<usize, JsValue> {
        self.record = decode(bytes).map_err(|error| js_sys::Error::new(error.as_str()))?;
        Ok(self.record.len())
    }

    /// Where the record of the last `decode` starts in wasm memory.
    #[wasm_bindgen(js_name = recordAt)]
    pub fn record_at(&self) -> usize {
        self.record.as_ptr() as usize
    }
}
