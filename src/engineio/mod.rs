//! Engine.IO v4: the packet codec, long-polling payloads, the handshake and the connection state machine.

pub mod connection;
pub mod handshake;
pub mod packet;
pub mod payload;
pub mod url;

#[cfg(test)]
mod connection_tests;
