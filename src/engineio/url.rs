//! Transport URLs: `http(s)://host[:port]{path}?{query}&EIO=4&transport=…[&sid=…][&t=…]` (ws(s) for
//! WebSocket), with the user's query first as engine.io-client orders it.

use crate::prelude::*;

use crate::rng::Rng;
use crate::uri::Query;

/// The two transports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransportKind {
    /// HTTP long-polling.
    Polling,
    /// WebSocket.
    WebSocket,
    /// WebTransport: named in `transports` but not implemented by this client, so opening it fails at once
    /// (a `connect_error`, then the next transport with `tryAllTransports`), never a silent hang.
    WebTransport,
}

impl TransportKind {
    /// The name used in URLs and in `engine.transport.name`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Polling => "polling",
            Self::WebSocket => "websocket",
            Self::WebTransport => "webtransport",
        }
    }

    /// The transport called `name`.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "polling" => Some(Self::Polling),
            "websocket" => Some(Self::WebSocket),
            "webtransport" => Some(Self::WebTransport),
            _ => None,
        }
    }
}

/// Where one transport connects (what `transportOptions[name]` may override).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransportUrl {
    /// TLS (`https`/`wss`).
    pub secure: bool,
    /// Host name (IPv6 without brackets).
    pub hostname: String,
    /// Port.
    pub port: String,
    /// The Engine.IO path (`/socket.io`).
    pub path: String,
    /// `addTrailingSlash` (true).
    pub add_trailing_slash: bool,
    /// The user's query.
    pub query: Query,
    /// `timestampRequests`: `None` = default (polling yes, WebSocket no).
    pub timestamp_requests: Option<bool>,
    /// `timestampParam` (`t`).
    pub timestamp_param: String,
    /// `forceBase64`: binary travels as base64 text, announced by `b64=1` (polling: on the handshake
    /// request only; WebSocket: always, as engine.io-client).
    pub force_base64: bool,
}

impl TransportUrl {
    /// The URL of a `kind` request for session `sid` (none before the handshake).
    pub fn url(&self, kind: TransportKind, sid: Option<&str>, rng: &mut Rng) -> String {
        let mut query = self.query.clone();
        query.set("EIO", "4");
        query.set("transport", kind.name());
        if let Some(sid) = sid {
            query.set("sid", sid);
        }
        let timestamp = match kind {
            TransportKind::Polling => self.timestamp_requests != Some(false),
            TransportKind::WebSocket | TransportKind::WebTransport => self.timestamp_requests == Some(true),
        };
        if timestamp {
            query.set(&self.timestamp_param, &rng.token());
        }
        if self.force_base64 && (kind != TransportKind::Polling || sid.is_none()) {
            query.set("b64", "1");
        }
        let scheme = match (kind, self.secure) {
            (TransportKind::Polling, false) => "http",
            (TransportKind::Polling | TransportKind::WebTransport, true) => "https",
            (TransportKind::WebTransport, false) => "https",
            (TransportKind::WebSocket, false) => "ws",
            (TransportKind::WebSocket, true) => "wss",
        };
        let default_port = if self.secure { "443" } else { "80" };
        let mut url = String::with_capacity(64);
        url.push_str(scheme);
        url.push_str("://");
        if self.hostname.bytes().any(|b| b == b':') {
            url.push('[');
            url.push_str(&self.hostname);
            url.push(']');
        } else {
            url.push_str(&self.hostname);
        }
        if self.port != default_port {
            url.push(':');
            url.push_str(&self.port);
        }
        url.push_str(self.path.trim_end_matches('/'));
        if self.add_trailing_slash {
            url.push('/');
        }
        url.push('?');
        url.push_str(&query.encode());
        url
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> TransportUrl {
        TransportUrl {
            secure: false,
            hostname: "localhost".to_string(),
            port: "3000".to_string(),
            path: "/socket.io".to_string(),
            add_trailing_slash: true,
            query: Query::parse("x=1&name=a%20b").unwrap(),
            timestamp_requests: None,
            timestamp_param: "t".to_string(),
            force_base64: false,
        }
    }

    #[test]
    fn websocket_url_orders_the_query_and_adds_the_slash() {
        let url = base().url(TransportKind::WebSocket, None, &mut Rng::new(1));
        assert_eq!(url, "ws://localhost:3000/socket.io/?x=1&name=a%20b&EIO=4&transport=websocket");
        let url = base().url(TransportKind::WebSocket, Some("s1"), &mut Rng::new(1));
        assert!(url.ends_with("&transport=websocket&sid=s1"), "{url}");
    }

    #[test]
    fn polling_url_has_a_timestamp_unless_disabled() {
        let url = base().url(TransportKind::Polling, Some("s1"), &mut Rng::new(1));
        let (start, token) = url.split_once("&t=").unwrap();
        assert_eq!(start, "http://localhost:3000/socket.io/?x=1&name=a%20b&EIO=4&transport=polling&sid=s1");
        assert_eq!(token.len(), 8);
        let mut no_timestamp = base();
        no_timestamp.timestamp_requests = Some(false);
        assert!(!no_timestamp.url(TransportKind::Polling, None, &mut Rng::new(1)).contains("&t="));
        let mut ws_timestamp = base();
        ws_timestamp.timestamp_requests = Some(true);
        ws_timestamp.timestamp_param = "ts".to_string();
        assert!(ws_timestamp.url(TransportKind::WebSocket, None, &mut Rng::new(1)).contains("&ts="));
    }

    #[test]
    fn secure_default_ports_ipv6_and_no_trailing_slash() {
        let mut url = base();
        url.secure = true;
        url.port = "443".to_string();
        url.hostname = "::1".to_string();
        url.add_trailing_slash = false;
        url.path = "/custom/".to_string();
        url.query = Query::default();
        assert_eq!(url.url(TransportKind::WebSocket, None, &mut Rng::new(1)), "wss://[::1]/custom?EIO=4&transport=websocket");
        assert!(url.url(TransportKind::Polling, None, &mut Rng::new(1)).starts_with("https://[::1]/custom?EIO=4&transport=polling&t="));
    }

    #[test]
    fn force_base64_announces_b64_on_the_polling_handshake_and_every_websocket() {
        let mut url = base();
        url.force_base64 = true;
        url.timestamp_requests = Some(false);
        url.query = Query::default();
        let at = |kind, sid| url.url(kind, sid, &mut Rng::new(1)).split_once('?').unwrap().1.to_string();
        assert_eq!(at(TransportKind::Polling, None), "EIO=4&transport=polling&b64=1");
        assert_eq!(at(TransportKind::Polling, Some("s1")), "EIO=4&transport=polling&sid=s1");
        assert_eq!(at(TransportKind::WebSocket, Some("s1")), "EIO=4&transport=websocket&sid=s1&b64=1");
    }

    #[test]
    fn names_round_trip() {
        for kind in [TransportKind::Polling, TransportKind::WebSocket, TransportKind::WebTransport] {
            assert_eq!(TransportKind::from_name(kind.name()), Some(kind));
        }
        assert_eq!(TransportKind::from_name("flash"), None);
    }
}
