//! socketio-wasm: a Socket.IO v5 / Engine.IO v4 client for the browser, a drop-in for socket.io-client.
//!
//! The protocol is a pure state machine ([`engineio`], [`socketio`]) with no I/O, no clock and no
//! randomness of its own, generic over a [`host::Host`] that supplies text, binary and JSON handles.
//! The `wasm` module (only on wasm32) is the browser shell: WebSocket, timer, JSON bridge and the
//! exports the JS API (`js/index.js`) wraps.

#![cfg_attr(target_arch = "wasm32", no_std)]

extern crate alloc;

mod prelude;

pub mod base64;
pub mod emitter;
pub mod engineio;
pub mod fifo;
pub mod float;
pub mod heap;
pub mod host;
pub mod msgpack;
pub mod reason;
pub mod rng;
pub mod slots;
pub mod socketio;
pub mod uri;

#[cfg(test)]
mod testhost;

#[cfg(target_arch = "wasm32")]
mod wasm;

/// Milliseconds on the shell's clock (monotonic: `performance.now()` in the browser, a manual clock in
/// tests).
pub type Millis = u64;
