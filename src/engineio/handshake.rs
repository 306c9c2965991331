//! The Engine.IO open packet: `0{"sid":…,"upgrades":[…],"pingInterval":…,"pingTimeout":…,"maxPayload":…}`.

use crate::prelude::*;

use crate::host::{Host, JsonKind};

/// Session parameters the server sends in its open packet.
#[derive(Debug, Clone, PartialEq)]
pub struct Handshake {
    /// The Engine.IO session id.
    pub sid: String,
    /// Transports the session may upgrade to.
    pub upgrades: Vec<String>,
    /// Milliseconds between the server's pings.
    pub ping_interval: u64,
    /// Milliseconds the server waits for a pong (the client adds it to its ping deadline).
    pub ping_timeout: u64,
    /// Largest HTTP body the server accepts, in bytes (0 when the server gives none).
    pub max_payload: u64,
}

fn millis<H: Host>(object: &H::Value, key: &str) -> Option<u64> {
    let value = H::number(&H::member(object, key)?)?;
    (value.is_finite() && value >= 0.0).then_some(value as u64)
}

/// Reads a handshake from the open packet's data; `None` when it is not one.
pub fn parse_handshake<H: Host>(data: &H::Text) -> Option<Handshake> {
    let object = H::parse_json(data, &[])?;
    if H::kind(&object) != JsonKind::Object {
        return None;
    }
    let sid = H::string(&H::member(&object, "sid")?)?;
    let upgrades = match H::member(&object, "upgrades") {
        Some(list) => (0..).map_while(|i| H::element(&list, i)).filter_map(|v| H::string(&v)).collect(),
        None => Vec::new(),
    };
    Some(Handshake {
        sid,
        upgrades,
        ping_interval: millis::<H>(&object, "pingInterval")?,
        ping_timeout: millis::<H>(&object, "pingTimeout")?,
        max_payload: millis::<H>(&object, "maxPayload").unwrap_or(0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testhost::TestHost;

    #[test]
    fn protocol_example() {
        let data =
            r#"{"sid":"lv_VI97HAXpY6yYWAAAC","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}"#;
        let handshake = parse_handshake::<TestHost>(&data.to_string()).unwrap();
        assert_eq!(handshake.sid, "lv_VI97HAXpY6yYWAAAC");
        assert_eq!(handshake.upgrades, vec!["websocket"]);
        assert_eq!((handshake.ping_interval, handshake.ping_timeout, handshake.max_payload), (25000, 20000, 1_000_000));
    }

    #[test]
    fn rejects_incomplete_handshakes() {
        for bad in [
            "",
            "[]",
            "{}",
            r#"{"sid":1,"pingInterval":1,"pingTimeout":1}"#,
            r#"{"sid":"a","pingInterval":-1,"pingTimeout":1}"#,
            r#"{"sid":"a"}"#,
        ] {
            assert!(parse_handshake::<TestHost>(&bad.to_string()).is_none(), "{bad}");
        }
    }
}
