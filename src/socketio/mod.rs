//! Socket.IO v5: the packet header codec, namespaces, reconnection backoff and the Manager state machine;
//! each namespace's socket with its acknowledgements, retry queue and connection state recovery.

pub mod acks;
pub mod backoff;
pub mod emit;
pub mod link;
pub mod manager;
pub mod namespace;
pub mod outbox;
pub mod packet;
pub mod recovery;
pub mod retry;

#[cfg(test)]
mod manager_tests;
#[cfg(test)]
mod outbox_tests;
#[cfg(test)]
mod socket_tests;
