//! Standard base64 (RFC 4648, with padding), for binary packets inside long-polling payloads.

use crate::prelude::*;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Encodes `bytes` as padded base64.
pub fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let byte = |i: usize| chunk.get(i).copied().unwrap_or(0);
        let b = [byte(0), byte(1), byte(2)];
        let group = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((group >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn sextet(c: u16) -> Option<u32> {
    let c = u8::try_from(c).ok()?;
    let value = match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => return None,
    };
    Some(u32::from(value))
}

/// Decodes base64 given as UTF-16 code units; padding is optional. `None` on any invalid character.
pub fn decode(units: impl Iterator<Item = u16>) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut group = 0u32;
    let mut count = 0;
    let mut padding = 0;
    for c in units {
        if c == u16::from(b'=') {
            padding += 1;
            continue;
        }
        if padding > 0 {
            return None;
        }
        group = (group << 6) | sextet(c)?;
        count += 1;
        if count == 4 {
            out.extend_from_slice(&[(group >> 16) as u8, (group >> 8) as u8, group as u8]);
            group = 0;
            count = 0;
        }
    }
    match count {
        0 => {}
        2 => out.push((group >> 4) as u8),
        3 => out.extend_from_slice(&[(group >> 10) as u8, (group >> 2) as u8]),
        _ => return None,
    }
    if padding > 2 {
        return None;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn dec(s: &str) -> Option<Vec<u8>> {
        decode(s.encode_utf16())
    }

    #[test]
    fn rfc4648_vectors() {
        let cases =
            [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy")];
        for (plain, coded) in cases {
            assert_eq!(encode(plain.as_bytes()), coded);
            assert_eq!(dec(coded).unwrap(), plain.as_bytes());
        }
    }

    #[test]
    fn protocol_example() {
        assert_eq!(dec("/wAH").unwrap(), vec![0xff, 0x00, 0x07]);
    }

    #[test]
    fn rejects_invalid() {
        assert_eq!(dec("Zm9v!"), None);
        assert_eq!(dec("Z"), None);
        assert_eq!(dec("Zg==Zg=="), None);
        assert_eq!(dec("Zg==="), None);
        assert_eq!(dec("é"), None);
    }

    proptest! {
        #[test]
        fn round_trip(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            prop_assert_eq!(dec(&encode(&bytes)).unwrap(), bytes);
        }

        #[test]
        fn never_panics(text in "\\PC*") {
            let _ = dec(&text);
        }
    }
}
