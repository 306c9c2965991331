//! The browser shell: moves bytes between a WebSocket and the core, keeps one timer armed to the core's
//! next deadline, and dispatches the core's events to JS listeners. Exported to `js/index.js`.

mod errors;
mod host;
mod manager;
mod msgpack;
mod options;
mod parser;
mod runtime;
mod socket;
mod transport;
