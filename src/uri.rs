//! The `io(uri)` argument: which server, which namespace, which query; query strings both ways.

use crate::prelude::*;

/// A parsed `io()` URI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IoUri {
    /// Whether the connection uses TLS (`https`/`wss`).
    pub secure: bool,
    /// Host name (IPv6 without brackets).
    pub hostname: String,
    /// Port, defaulted from the scheme.
    pub port: String,
    /// The raw query string (without `?`), empty when none.
    pub query: String,
}

/// Why a URI or query string was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UriError {
    /// No host could be found.
    MissingHost,
    /// The port is not a number.
    InvalidPort,
    /// A `%` escape is malformed.
    MalformedEscape,
}

impl UriError {
    /// A message for the `Error` thrown by `io()`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::MissingHost => "invalid URI: no host",
            Self::InvalidPort => "invalid URI: bad port",
            Self::MalformedEscape => "URI malformed",
        }
    }
}

/// Splits an absolute `io()` URI (the JS layer has already resolved relative forms against the page's
/// location, as socket.io-client does, since `io()` must answer before the wasm module is ready).
pub fn parse_io_uri(uri: &str) -> Result<IoUri, UriError> {
    let lower = uri.to_ascii_lowercase();
    // No scheme: secure, as socket.io-client assumes. (`get`: the prefix is ASCII, so its end is a char
    // boundary of `uri` too; `&uri[..]` would bring core's panic formatting into the wasm, about 3 KB gzip.)
    const SCHEMES: [(&str, bool); 4] = [("https://", true), ("wss://", true), ("http://", false), ("ws://", false)];
    let (secure, rest) = match SCHEMES.iter().find(|(prefix, _)| lower.starts_with(prefix)) {
        Some((prefix, secure)) => (*secure, uri.get(prefix.len()..).unwrap_or("")),
        None => (true, uri),
    };
    let rest = split_first(rest, b'#').0;
    let (before_query, query) = split_first(rest, b'?');
    // The path (the namespace) is the JS layer's: io() must answer it before the wasm is ready.
    let authority = split_first(before_query, b'/').0;
    let authority = split_last(authority, b'@').1;
    let (hostname, port) = split_host_port(authority)?;
    if hostname.is_empty() {
        return Err(UriError::MissingHost);
    }
    let port = port.unwrap_or(if secure { "443" } else { "80" }).to_string();
    Ok(IoUri { secure, hostname: hostname.to_string(), port, query: query.unwrap_or("").to_string() })
}

// Splitting at ASCII delimiters by byte: an ASCII byte is always a char boundary, and core's char
// searchers (with their slicing panics) stay out of the wasm.

/// `text` before the first `delimiter`, and after it if there is one.
fn split_first(text: &str, delimiter: u8) -> (&str, Option<&str>) {
    match text.bytes().position(|b| b == delimiter) {
        Some(at) => (text.get(..at).unwrap_or(""), text.get(at + 1..)),
        None => (text, None),
    }
}

/// `text` before the last `delimiter` if there is one, and after it.
fn split_last(text: &str, delimiter: u8) -> (Option<&str>, &str) {
    match text.bytes().rposition(|b| b == delimiter) {
        Some(at) => (text.get(..at), text.get(at + 1..).unwrap_or("")),
        None => (None, text),
    }
}

fn split_host_port(authority: &str) -> Result<(&str, Option<&str>), UriError> {
    let (host, port) = if let Some(rest) = authority.strip_prefix("[") {
        let (host, after) = split_first(rest, b']');
        (host, after.ok_or(UriError::MissingHost)?.strip_prefix(":"))
    } else {
        match split_last(authority, b':') {
            (Some(host), port) => (host, Some(port)),
            (None, _) => (authority, None),
        }
    };
    match port {
        Some("") => Ok((host, None)),
        Some(port) if !port.bytes().all(|b| b.is_ascii_digit()) => Err(UriError::InvalidPort),
        port => Ok((host, port)),
    }
}

/// Query parameters in order; setting an existing key replaces its value in place (as `Object.assign`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query(pub Vec<(String, String)>);

impl Query {
    /// Parses `a=1&b=2` (percent-decoded).
    pub fn parse(query: &str) -> Result<Self, UriError> {
        let mut parsed = Query::default();
        let mut rest = Some(query);
        while let Some(text) = rest {
            let (pair, after) = split_first(text, b'&');
            rest = after;
            if !pair.is_empty() {
                let (key, value) = split_first(pair, b'=');
                parsed.set(&percent_decode(key)?, &percent_decode(value.unwrap_or(""))?);
            }
        }
        Ok(parsed)
    }

    /// Sets `key` to `value`.
    pub fn set(&mut self, key: &str, value: &str) {
        match self.0.iter_mut().find(|(k, _)| k == key) {
            Some(pair) => pair.1 = value.to_string(),
            None => self.0.push((key.to_string(), value.to_string())),
        }
    }

    /// `k=v&…`, percent-encoded as `encodeURIComponent` does.
    pub fn encode(&self) -> String {
        let mut out = String::new();
        for (key, value) in &self.0 {
            if !out.is_empty() {
                out.push('&');
            }
            percent_encode(key, &mut out);
            out.push('=');
            percent_encode(value, &mut out);
        }
        out
    }
}

fn percent_encode(text: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 15)]));
        }
    }
}

fn percent_decode(text: &str) -> Result<String, UriError> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        if byte == b'%' {
            let digit = |at: usize| bytes.get(at).and_then(|&b| char::from(b).to_digit(16));
            let (Some(high), Some(low)) = (digit(i + 1), digit(i + 2)) else { return Err(UriError::MalformedEscape) };
            out.push((high * 16 + low) as u8);
            i += 3;
        } else {
            out.push(byte);
            i += 1;
        }
    }
    if !is_utf8(&out) {
        return Err(UriError::MalformedEscape);
    }
    // SAFETY: just checked.
    Ok(unsafe { String::from_utf8_unchecked(out) })
}

/// Whether `bytes` are well-formed UTF-8, as `decodeURIComponent` requires: no overlong form, no surrogate,
/// nothing above U+10FFFF. (core's `from_utf8` is built for speed: 0.6 KB of wasm for one cold call.)
fn is_utf8(bytes: &[u8]) -> bool {
    let mut rest = bytes;
    while let Some((&lead, tail)) = rest.split_first() {
        let (continuations, min) = match lead {
            0..=0x7f => (0, 0),
            0xc0..=0xdf => (1, 0x80),
            0xe0..=0xef => (2, 0x800),
            0xf0..=0xf7 => (3, 0x1_0000),
            _ => return false,
        };
        let Some((continuation, after)) = tail.split_at_checked(continuations) else { return false };
        // The lead's payload bits: 7, 5, 4 or 3 (the bit below the length marker is 0 in each range).
        let mut code = u32::from(lead) & (0x7f >> continuations);
        for &byte in continuation {
            if byte & 0xc0 != 0x80 {
                return false;
            }
            code = code << 6 | u32::from(byte & 0x3f);
        }
        if code < min || code > 0x10_ffff || (0xd800..0xe000).contains(&code) {
            return false;
        }
        rest = after;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Any bytes: almost always invalid somewhere.
        #[test]
        fn is_utf8_agrees_with_core(bytes in proptest::collection::vec(any::<u8>(), 0..12)) {
            prop_assert_eq!(is_utf8(&bytes), core::str::from_utf8(&bytes).is_ok());
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4096))]

        /// Valid text with one byte replaced or inserted: near misses inside otherwise valid UTF-8. The
        /// characters sit at the edges of each length (U+007F, U+0080, U+07FF, U+0800, U+D7FF, U+E000,
        /// U+FFFF, U+10000, U+10FFFF), where one changed byte makes an overlong form, a surrogate, a code
        /// point above U+10FFFF, or a stray or missing continuation byte.
        #[test]
        fn is_utf8_agrees_with_core_on_near_misses(text in "[a\\x7f\\u{80}\\u{7ff}\\u{800}\\u{d7ff}\\u{e000}\\u{ffff}\\u{10000}\\u{10ffff}]{1,4}", at in any::<proptest::sample::Index>(), byte in any::<u8>(), replace in any::<bool>()) {
            let mut bytes = text.into_bytes();
            if replace {
                let at = at.index(bytes.len());
                bytes[at] = byte;
            } else {
                bytes.insert(at.index(bytes.len() + 1), byte);
            }
            prop_assert_eq!(is_utf8(&bytes), core::str::from_utf8(&bytes).is_ok());
        }

        #[test]
        fn is_utf8_accepts_any_text(text in any::<String>()) {
            prop_assert!(is_utf8(text.as_bytes()));
        }
    }

    #[test]
    fn is_utf8_edges() {
        for (bytes, valid) in [
            (&b"\xc0\x80"[..], false),    // overlong NUL
            (b"\xe0\x9f\xbf", false),     // overlong U+07FF
            (b"\xed\xa0\x80", false),     // surrogate U+D800
            (b"\xed\x9f\xbf", true),      // U+D7FF
            (b"\xf4\x90\x80\x80", false), // above U+10FFFF
            (b"\xf4\x8f\xbf\xbf", true),  // U+10FFFF
            (b"\xe2\x82", false),         // truncated
            (b"\x80", false),             // lone continuation
        ] {
            assert_eq!(is_utf8(bytes), valid, "{bytes:x?}");
        }
    }

    fn parse(uri: &str) -> IoUri {
        parse_io_uri(uri).unwrap()
    }

    #[test]
    fn absolute_uris() {
        let plain = parse("http://example.com:3000");
        assert_eq!((plain.hostname.as_str(), plain.port.as_str()), ("example.com", "3000"));
        let with_path = parse("http://example.com:81/admin?x=1");
        assert_eq!((with_path.hostname.as_str(), with_path.port.as_str(), with_path.query.as_str()), ("example.com", "81", "x=1"));
        let secure = parse("https://Api.example.com/x?token=1#frag");
        assert_eq!((secure.secure, secure.port.as_str(), secure.query.as_str()), (true, "443", "token=1"));
        assert!(parse("wss://h").secure);
        assert!(!parse("ws://h:81").secure);
        assert!(parse("h:81").secure, "no scheme: https, as socket.io-client without a location");
        let ipv6 = parse("http://[::1]:8080/");
        assert_eq!((ipv6.hostname.as_str(), ipv6.port.as_str()), ("::1", "8080"));
        assert_eq!(parse("http://user:pw@host:1/").hostname, "host");
    }

    #[test]
    fn bad_uris_are_errors() {
        assert_eq!(parse_io_uri("http://:80"), Err(UriError::MissingHost));
        assert_eq!(parse_io_uri("http://h:8x0"), Err(UriError::InvalidPort));
        assert_eq!(parse_io_uri("http://[::1"), Err(UriError::MissingHost));
        assert_eq!(Query::parse("a=%zz"), Err(UriError::MalformedEscape));
        assert_eq!(Query::parse("a=%"), Err(UriError::MalformedEscape));
        assert_eq!(Query::parse("a=%ff"), Err(UriError::MalformedEscape));
        assert_eq!(Query::parse("a=%ed%a0%80"), Err(UriError::MalformedEscape));
        assert_eq!(Query::parse("a=%e2%82%ac").map(|q| q.encode()), Ok("a=%E2%82%AC".to_string()));
    }

    #[test]
    fn query_round_trip() {
        let query = Query::parse("a=1&b=x%20y&a=2&flag").unwrap();
        assert_eq!(query.0, vec![("a".into(), "2".into()), ("b".into(), "x y".into()), ("flag".into(), "".into())]);
        assert_eq!(query.encode(), "a=2&b=x%20y&flag=");
    }
}
