//! Why a connection or a namespace closed, with socket.io-client's exact reason strings.

use crate::socketio::packet::DecodeError;

/// The reason given to `disconnect` listeners (and to the Manager's `close`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DisconnectReason {
    /// The server disconnected the socket (`socket.disconnect()` on the server).
    IoServerDisconnect,
    /// The client called `socket.disconnect()`.
    IoClientDisconnect,
    /// No ping from the server within `pingInterval + pingTimeout`.
    PingTimeout,
    /// The transport was closed (by the server or the network).
    TransportClose,
    /// The transport failed (including an undecodable Engine.IO packet).
    TransportError,
    /// The server sent a packet the Socket.IO decoder rejects.
    ParseError,
    /// The client closed the whole connection (Manager level).
    ForcedClose,
}

/// What socket.io-client passes with a close reason as `description` (the second `disconnect` argument).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cause {
    /// Nothing (`undefined`).
    None,
    /// The WebSocket closed: `{ description: "websocket connection closed", context }`.
    TransportClosed,
    /// The browser went offline: `{ description: "network connection lost" }`.
    NetworkLost,
    /// The transport failed: a `TransportError` ("websocket error", "xhr poll error", …).
    TransportFailed(TransportFailure),
    /// The server sent an undecodable Engine.IO packet: `Error("server error")` with code "parser error".
    EngineParserError,
    /// The Socket.IO decoder rejected a packet: an `Error` with the decoder's message.
    Decode(DecodeError),
}

/// How a transport failed, as engine.io-client's `TransportError` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransportFailure {
    /// The WebSocket reported an error (or could not be created).
    WebSocket,
    /// A long-polling GET failed; the HTTP status (0 for a network error).
    Poll(u16),
    /// A long-polling POST failed; the HTTP status (0 for a network error).
    Post(u16),
    /// A transport this client does not implement (WebTransport) was to be opened.
    Unsupported,
}

impl TransportFailure {
    /// The error message socket.io-client uses.
    pub fn message(self) -> &'static str {
        match self {
            Self::WebSocket => "websocket error",
            Self::Poll(_) => "xhr poll error",
            Self::Post(_) => "xhr post error",
            Self::Unsupported => "webtransport error",
        }
    }

    /// The HTTP status, the error's `description` for polling failures.
    pub fn status(self) -> Option<u16> {
        match self {
            Self::WebSocket | Self::Unsupported => None,
            Self::Poll(status) | Self::Post(status) => Some(status),
        }
    }
}

impl DisconnectReason {
    /// The string socket.io-client uses.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::IoServerDisconnect => "io server disconnect",
            Self::IoClientDisconnect => "io client disconnect",
            Self::PingTimeout => "ping timeout",
            Self::TransportClose => "transport close",
            Self::TransportError => "transport error",
            Self::ParseError => "parse error",
            Self::ForcedClose => "forced close",
        }
    }
}
