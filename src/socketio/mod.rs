//! Socket.IO v5: the packet header codec, namespaces, reconnection backoff and the Manager state machine.

pub mod backoff;
pub mod manager;
pub mod namespace;
pub mod packet;

#[cfg(test)]
mod manager_tests;
