//! MessagePack as notepack.io writes and reads it (the codec of socket.io-msgpack-parser, so of a server
//! started with `parser: require("socket.io-msgpack-parser")`): integers in their smallest form, other
//! numbers as float 64, strings as UTF-8, `ArrayBuffer`s as bin, `undefined` as fixext 1 of type 0, a
//! `Date` as fixext 8 of type 0 (milliseconds as a signed 32-bit high and unsigned low word), any other
//! extension read as `[type, bytes]`.
//!
//! The codec turns a value's flat record (see [`kind`]) into bytes and bytes into a record, so that the
//! browser hands a value over in one call each way (js/msgpack.js walks and rebuilds the JS value). Decoding never panics and never trusts a length:
//! what the input claims is checked against what it holds, and nesting is bounded by [`MAX_DEPTH`].

use crate::prelude::*;

/// How deeply arrays and maps may nest in a decoded value (notepack.io recurses until the JS stack runs
/// out; a bound keeps the wasm stack safe).
pub const MAX_DEPTH: usize = 256;

/// What an entry of a flat record is. A record lists a value's parts in the order msgpack writes them:
/// an array's or map's entry precedes its members (a map's as key, value, key, value, ...), so one pass
/// over a record writes the bytes and one pass over bytes writes the record. Some kinds carry numbers,
/// which follow them in the record: see each.
pub mod kind {
    /// `null`.
    pub const NIL: u8 = 0;
    /// `undefined`.
    pub const UNDEFINED: u8 = 1;
    /// `false`.
    pub const FALSE: u8 = 2;
    /// `true`.
    pub const TRUE: u8 = 3;
    /// A number; then its value.
    pub const NUMBER: u8 = 4;
    /// A string; then, to encode, its length in UTF-16 units (its text is next in the record's text);
    /// decoded, the start and end of its UTF-8 bytes in the input.
    pub const STRING: u8 = 5;
    /// Binary data; then, to encode, its length (its bytes are next in the record's binaries); decoded,
    /// the start and end of its bytes in the input.
    pub const BINARY: u8 = 6;
    /// A date; then its milliseconds since the epoch.
    pub const DATE: u8 = 7;
    /// An array; then its length.
    pub const ARRAY: u8 = 8;
    /// A map; then its number of entries (keys are the encoder's strings, the decoder's any value).
    pub const MAP: u8 = 9;
    /// To encode, something msgpack cannot hold (a function, a symbol, a bigint): notepack.io throws.
    pub const UNSUPPORTED: u8 = 10;
}

/// A value as a flat record, to encode: its entries and their numbers, the text of its strings one after
/// the other, and the bytes of its binaries one after the other.
pub struct Record<'a> {
    /// Kinds (see [`kind`]) and the numbers they carry.
    pub entries: &'a [f64],
    /// The strings, in the order of their entries.
    pub text: &'a str,
    /// The binaries, in the order of their entries.
    pub binaries: &'a [u8],
}

/// A value held something msgpack cannot hold (notepack.io's "Could not encode"), or the record was
/// not one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EncodeError;

/// Why bytes could not be decoded (notepack.io's message where it has one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecodeError {
    /// The input ends inside a value.
    Truncated,
    /// A type byte msgpack does not define (`0xc1`).
    UnknownType,
    /// A string is not UTF-8.
    InvalidUtf8,
    /// Bytes are left after the value.
    TrailingBytes,
    /// Arrays and maps nest deeper than [`MAX_DEPTH`].
    TooDeep,
}

impl DecodeError {
    /// The message of the `Error` the decoder throws.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Truncated => "Offset is outside the bounds of the DataView",
            Self::UnknownType => "Could not parse",
            Self::InvalidUtf8 => "Invalid string",
            Self::TrailingBytes => "trailing bytes",
            Self::TooDeep => "Maximum nesting depth exceeded",
        }
    }
}

// ----- encoding -----

/// The value `record` lists, as msgpack.
pub fn encode(record: &Record) -> Result<Vec<u8>, EncodeError> {
    let mut out = Vec::with_capacity(record.entries.len() * 2 + record.text.len() + record.binaries.len());
    let mut entries = record.entries.iter().copied();
    let mut text = record.text;
    let mut binaries = record.binaries;
    let mut next = || entries.next().ok_or(EncodeError);
    // One value, plus the members its arrays and maps still owe.
    let mut owed: usize = 1;
    while owed > 0 {
        owed -= 1;
        let entry = next()?;
        match entry as u8 {
            _ if entry != f64::from(entry as u8) => return Err(EncodeError),
            kind::NIL => out.push(0xc0),
            kind::UNDEFINED => out.extend_from_slice(&[0xd4, 0, 0]),
            kind::FALSE => out.push(0xc2),
            kind::TRUE => out.push(0xc3),
            kind::NUMBER => write_number(next()?, &mut out),
            kind::STRING => {
                let (string, rest) = split_utf16(text, next()?).ok_or(EncodeError)?;
                text = rest;
                write_str(string, &mut out);
            }
            kind::BINARY => {
                let length = to_length(next()?).filter(|length| *length <= binaries.len()).ok_or(EncodeError)?;
                let (bytes, rest) = binaries.split_at(length);
                binaries = rest;
                write_length(length, [0, 0xc4, 0xc5, 0xc6], 0, true, &mut out);
                out.extend_from_slice(bytes);
            }
            kind::DATE => {
                out.extend_from_slice(&[0xd7, 0]);
                write_split(next()?, &mut out);
            }
            kind::ARRAY => {
                let length = to_length(next()?).ok_or(EncodeError)?;
                write_length(length, [0x90, 0, 0xdc, 0xdd], 0x10, false, &mut out);
                owed = owed.checked_add(length).ok_or(EncodeError)?;
            }
            kind::MAP => {
                let length = to_length(next()?).ok_or(EncodeError)?;
                write_length(length, [0x80, 0, 0xde, 0xdf], 0x10, false, &mut out);
                owed = length.checked_mul(2).and_then(|members| owed.checked_add(members)).ok_or(EncodeError)?;
            }
            _ => return Err(EncodeError),
        }
    }
    Ok(out)
}

/// A length a record gives: a whole number that fits in 32 bits (msgpack's limit).
fn to_length(value: f64) -> Option<usize> {
    (value >= 0.0 && value <= f64::from(u32::MAX) && value == crate::float::floor(value)).then_some(value as usize)
}

/// The first `units` UTF-16 units of `text` (a count from JS), and the rest; `None` when `text` is shorter
/// or the count ends inside a character.
fn split_utf16(text: &str, units: f64) -> Option<(&str, &str)> {
    let mut owed = to_length(units)?;
    let mut end = 0;
    for character in text.chars() {
        if owed == 0 {
            break;
        }
        owed = owed.checked_sub(character.len_utf16())?;
        end += character.len_utf8();
    }
    (owed == 0).then(|| text.split_at(end))
}

fn write_str(text: &str, out: &mut Vec<u8>) {
    write_length(text.len(), [0xa0, 0xd9, 0xda, 0xdb], 0x20, true, out);
    out.extend_from_slice(text.as_bytes());
}

/// A length header: the fix form (`prefixes[0] | length`) below `fix_limit`, else the 8-bit form (when
/// `has_8`), 16-bit or 32-bit one.
fn write_length(length: usize, prefixes: [u8; 4], fix_limit: usize, has_8: bool, out: &mut Vec<u8>) {
    if length < fix_limit {
        out.push(prefixes[0] | length as u8);
    } else if has_8 && length < 0x100 {
        out.extend_from_slice(&[prefixes[1], length as u8]);
    } else if length < 0x10000 {
        out.push(prefixes[2]);
        out.extend_from_slice(&(length as u16).to_be_bytes());
    } else {
        out.push(prefixes[3]);
        out.extend_from_slice(&(length as u32).to_be_bytes());
    }
}

/// A whole number as notepack.io writes it: its smallest integer form; anything else as float 64.
fn write_number(value: f64, out: &mut Vec<u8>) {
    if !value.is_finite() || crate::float::floor(value) != value {
        out.push(0xcb);
        out.extend_from_slice(&value.to_be_bytes());
        return;
    }
    if value >= 0.0 {
        match value {
            v if v < 128.0 => out.push(v as u8),
            v if v < 256.0 => out.extend_from_slice(&[0xcc, v as u8]),
            v if v < 65_536.0 => {
                out.push(0xcd);
                out.extend_from_slice(&(v as u16).to_be_bytes());
            }
            v if v < 4_294_967_296.0 => {
                out.push(0xce);
                out.extend_from_slice(&(v as u32).to_be_bytes());
            }
            v => {
                out.push(0xcf);
                write_split(v, out);
            }
        }
        return;
    }
    match value {
        v if v >= -32.0 => out.push(v as i8 as u8),
        v if v >= -128.0 => out.extend_from_slice(&[0xd0, v as i8 as u8]),
        v if v >= -32_768.0 => {
            out.push(0xd1);
            out.extend_from_slice(&(v as i16).to_be_bytes());
        }
        v if v >= -2_147_483_648.0 => {
            out.push(0xd2);
            out.extend_from_slice(&(v as i32).to_be_bytes());
        }
        v => {
            out.push(0xd3);
            write_split(v, out);
        }
    }
}

/// A whole number as notepack.io splits it: `floor(value / 2^32)` and `value >>> 0`, 32 bits each.
fn write_split(value: f64, out: &mut Vec<u8>) {
    const TWO_32: f64 = 4_294_967_296.0;
    let high = to_uint32(crate::float::floor(value / TWO_32));
    let low = to_uint32(value);
    out.extend_from_slice(&high.to_be_bytes());
    out.extend_from_slice(&low.to_be_bytes());
}

/// JavaScript's `ToUint32` (`value >>> 0`): the whole part modulo 2^32; NaN and infinities are 0.
fn to_uint32(value: f64) -> u32 {
    if !value.is_finite() {
        return 0;
    }
    const TWO_32: f64 = 4_294_967_296.0;
    let whole = crate::float::trunc(value);
    (whole - TWO_32 * crate::float::floor(whole / TWO_32)) as u32
}

// ----- decoding -----

/// The value `bytes` hold, which must be exactly one, as a flat record: kinds (see [`kind`]) and their
/// numbers, strings and binaries as ranges of `bytes` (strings checked to be UTF-8).
pub fn decode(bytes: &[u8]) -> Result<Vec<f64>, DecodeError> {
    let mut input = Input { bytes, at: 0, record: Vec::new() };
    input.value(0)?;
    if input.at != bytes.len() {
        return Err(DecodeError::TrailingBytes);
    }
    Ok(input.record)
}

struct Input<'a> {
    bytes: &'a [u8],
    at: usize,
    record: Vec<f64>,
}

impl<'a> Input<'a> {
    fn take(&mut self, count: usize) -> Result<&'a [u8], DecodeError> {
        let end = self.at.checked_add(count).ok_or(DecodeError::Truncated)?;
        let taken = self.bytes.get(self.at..end).ok_or(DecodeError::Truncated)?;
        self.at = end;
        Ok(taken)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], DecodeError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    fn byte(&mut self) -> Result<u8, DecodeError> {
        Ok(self.array::<1>()?[0])
    }

    /// A big-endian length of `size` bytes (1, 2 or 4).
    fn length(&mut self, size: usize) -> Result<usize, DecodeError> {
        Ok(self.take(size)?.iter().fold(0usize, |length, byte| (length << 8) | usize::from(*byte)))
    }

    /// notepack.io's 64-bit integers: `high * 2^32 + low`, `high` signed or not.
    fn split(&mut self, signed: bool) -> Result<f64, DecodeError> {
        let high = self.array::<4>()?;
        let low = f64::from(u32::from_be_bytes(self.array::<4>()?));
        let high = if signed { f64::from(i32::from_be_bytes(high)) } else { f64::from(u32::from_be_bytes(high)) };
        Ok(high * 4_294_967_296.0 + low)
    }

    /// Records an entry of `kind` carrying `numbers`.
    fn push(&mut self, kind: u8, numbers: &[f64]) {
        self.record.push(f64::from(kind));
        self.record.extend_from_slice(numbers);
    }

    fn number(&mut self, value: f64) {
        self.push(kind::NUMBER, &[value]);
    }

    /// Records the next `length` bytes as an entry of `kind` (a string or binary).
    fn range(&mut self, kind: u8, length: usize) -> Result<&'a [u8], DecodeError> {
        let start = self.at;
        let taken = self.take(length)?;
        self.push(kind, &[start as f64, self.at as f64]);
        Ok(taken)
    }

    fn value(&mut self, depth: usize) -> Result<(), DecodeError> {
        let prefix = self.byte()?;
        match prefix {
            0x00..=0x7f => self.number(f64::from(prefix)),
            0x80..=0x8f => return self.map(usize::from(prefix & 0x0f), depth),
            0x90..=0x9f => return self.items(usize::from(prefix & 0x0f), depth),
            0xa0..=0xbf => return self.str(usize::from(prefix & 0x1f)),
            0xe0..=0xff => self.number(f64::from(prefix as i8)),
            0xc0 => self.push(kind::NIL, &[]),
            0xc2 => self.push(kind::FALSE, &[]),
            0xc3 => self.push(kind::TRUE, &[]),
            0xc4..=0xc6 => {
                let length = self.length(1 << (prefix - 0xc4))?;
                self.range(kind::BINARY, length)?;
            }
            0xc7..=0xc9 => {
                let length = self.length(1 << (prefix - 0xc7))?;
                return self.ext(length);
            }
            0xca => {
                let value = f64::from(f32::from_be_bytes(self.array::<4>()?));
                self.number(value);
            }
            0xcb => {
                let value = f64::from_be_bytes(self.array::<8>()?);
                self.number(value);
            }
            0xcc => {
                let value = f64::from(self.byte()?);
                self.number(value);
            }
            0xcd => {
                let value = f64::from(u16::from_be_bytes(self.array::<2>()?));
                self.number(value);
            }
            0xce => {
                let value = f64::from(u32::from_be_bytes(self.array::<4>()?));
                self.number(value);
            }
            0xcf => {
                let value = self.split(false)?;
                self.number(value);
            }
            0xd0 => {
                let value = f64::from(self.byte()? as i8);
                self.number(value);
            }
            0xd1 => {
                let value = f64::from(i16::from_be_bytes(self.array::<2>()?));
                self.number(value);
            }
            0xd2 => {
                let value = f64::from(i32::from_be_bytes(self.array::<4>()?));
                self.number(value);
            }
            0xd3 => {
                let value = self.split(true)?;
                self.number(value);
            }
            0xd4..=0xd8 => return self.ext(1 << (prefix - 0xd4)),
            0xd9..=0xdb => {
                let length = self.length(1 << (prefix - 0xd9))?;
                return self.str(length);
            }
            0xdc | 0xdd => {
                let length = self.length(2 << (prefix - 0xdc))?;
                return self.items(length, depth);
            }
            0xde | 0xdf => {
                let length = self.length(2 << (prefix - 0xde))?;
                return self.map(length, depth);
            }
            _ => return Err(DecodeError::UnknownType),
        }
        Ok(())
    }

    fn str(&mut self, length: usize) -> Result<(), DecodeError> {
        let bytes = self.range(kind::STRING, length)?;
        core::str::from_utf8(bytes).map_err(|_| DecodeError::InvalidUtf8)?;
        Ok(())
    }

    /// An extension of `length` data bytes: `undefined` and dates as notepack.io reads them, any other as
    /// `[type, bytes]`.
    fn ext(&mut self, length: usize) -> Result<(), DecodeError> {
        let ext_type = self.byte()? as i8;
        match (ext_type, length) {
            (0, 1) => {
                self.take(1)?;
                self.push(kind::UNDEFINED, &[]);
            }
            (0, 8) => {
                let millis = self.split(true)?;
                self.push(kind::DATE, &[millis]);
            }
            _ => {
                self.push(kind::ARRAY, &[2.0]);
                self.number(f64::from(ext_type));
                self.range(kind::BINARY, length)?;
            }
        }
        Ok(())
    }

    fn items(&mut self, count: usize, depth: usize) -> Result<(), DecodeError> {
        if depth >= MAX_DEPTH {
            return Err(DecodeError::TooDeep);
        }
        self.push(kind::ARRAY, &[count as f64]);
        for _ in 0..count {
            self.value(depth + 1)?;
        }
        Ok(())
    }

    fn map(&mut self, count: usize, depth: usize) -> Result<(), DecodeError> {
        if depth >= MAX_DEPTH {
            return Err(DecodeError::TooDeep);
        }
        self.push(kind::MAP, &[count as f64]);
        for _ in 0..count {
            self.value(depth + 1)?;
            self.value(depth + 1)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A test value with everything notepack.io distinguishes.
    #[derive(Debug, Clone, PartialEq)]
    enum V {
        Nil,
        Undefined,
        Bool(bool),
        Num(f64),
        Str(String),
        Bin(Vec<u8>),
        Date(f64),
        Array(Vec<V>),
        Map(Vec<(String, V)>),
    }

    /// `value` as msgpack, through its record as js/msgpack.js writes it.
    fn encoded(value: &V) -> Result<Vec<u8>, EncodeError> {
        fn flatten(value: &V, entries: &mut Vec<f64>, text: &mut String, binaries: &mut Vec<u8>) {
            let mut push = |kind: u8, numbers: &[f64]| {
                entries.push(f64::from(kind));
                entries.extend_from_slice(numbers);
            };
            match value {
                V::Nil => push(kind::NIL, &[]),
                V::Undefined => push(kind::UNDEFINED, &[]),
                V::Bool(b) => push(if *b { kind::TRUE } else { kind::FALSE }, &[]),
                V::Num(n) => push(kind::NUMBER, &[*n]),
                V::Str(s) => {
                    push(kind::STRING, &[s.encode_utf16().count() as f64]);
                    text.push_str(s);
                }
                V::Bin(b) => {
                    push(kind::BINARY, &[b.len() as f64]);
                    binaries.extend_from_slice(b);
                }
                V::Date(d) => push(kind::DATE, &[*d]),
                V::Array(items) => {
                    push(kind::ARRAY, &[items.len() as f64]);
                    for item in items {
                        flatten(item, entries, text, binaries);
                    }
                }
                V::Map(map) => {
                    push(kind::MAP, &[map.len() as f64]);
                    for (key, item) in map {
                        flatten(&V::Str(key.clone()), entries, text, binaries);
                        flatten(item, entries, text, binaries);
                    }
                }
            }
        }
        let (mut entries, mut text, mut binaries) = (Vec::new(), String::new(), Vec::new());
        flatten(value, &mut entries, &mut text, &mut binaries);
        encode(&Record { entries: &entries, text: &text, binaries: &binaries })
    }

    /// The value `bytes` hold, rebuilt from its record as js/msgpack.js rebuilds it (a map's keys as
    /// their `Debug` text: the tests only use string keys).
    fn decoded(bytes: &[u8]) -> Result<V, DecodeError> {
        fn build(record: &mut impl Iterator<Item = f64>, bytes: &[u8]) -> V {
            let mut next = || record.next().unwrap();
            match next() as u8 {
                kind::NIL => V::Nil,
                kind::UNDEFINED => V::Undefined,
                kind::FALSE => V::Bool(false),
                kind::TRUE => V::Bool(true),
                kind::NUMBER => V::Num(next()),
                kind::STRING => {
                    let (start, end) = (next() as usize, next() as usize);
                    V::Str(core::str::from_utf8(&bytes[start..end]).unwrap().to_string())
                }
                kind::BINARY => {
                    let (start, end) = (next() as usize, next() as usize);
                    V::Bin(bytes[start..end].to_vec())
                }
                kind::DATE => V::Date(next()),
                kind::ARRAY => {
                    let length = next() as usize;
                    V::Array((0..length).map(|_| build(record, bytes)).collect())
                }
                kind::MAP => {
                    let length = next() as usize;
                    V::Map((0..length).map(|_| (format!("{:?}", build(record, bytes)), build(record, bytes))).collect())
                }
                other => panic!("kind {other} in a decoded record"),
            }
        }
        let record = decode(bytes)?;
        let mut entries = record.iter().copied();
        let value = build(&mut entries, bytes);
        assert_eq!(entries.next(), None, "the record holds one value");
        Ok(value)
    }

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    fn s(text: &str) -> V {
        V::Str(text.to_string())
    }

    fn map(entries: &[(&str, V)]) -> V {
        V::Map(entries.iter().map(|(k, v)| (k.to_string(), v.clone())).collect())
    }

    #[test]
    fn encodes_a_packet_byte_for_byte_as_notepack() {
        // notepack.io 2.2's encode of
        // {type:2,data:["chat",{user:"ö",n:-300,f:1.5,big:2**40,neg:-(2**40)}],options:{compress:true},id:7,nsp:"/"}
        let data = map(&[
            ("user", s("ö")),
            ("n", V::Num(-300.0)),
            ("f", V::Num(1.5)),
            ("big", V::Num(1_099_511_627_776.0)),
            ("neg", V::Num(-1_099_511_627_776.0)),
        ]);
        let packet = map(&[
            ("type", V::Num(2.0)),
            ("data", V::Array(vec![s("chat"), data])),
            ("options", map(&[("compress", V::Bool(true))])),
            ("id", V::Num(7.0)),
            ("nsp", s("/")),
        ]);
        assert_eq!(
            hex(&encoded(&packet).unwrap()),
            "85a47479706502a46461746192a46368617485a475736572a2c3b6a16ed1fed4a166cb3ff8000000000000a3626967cf0000010000000000a36e6567d3ffffff0000000000a76f7074696f6e7381a8636f6d7072657373c3a2696407a36e7370a12f"
        );
    }

    #[test]
    fn encodes_every_kind_byte_for_byte_as_notepack() {
        // [null,true,false,undefined,new Date(1700000000123),ArrayBuffer[1,2],"x"*40,-1,-33,255,65536,{a:undefined}]
        let value = V::Array(vec![
            V::Nil,
            V::Bool(true),
            V::Bool(false),
            V::Undefined,
            V::Date(1_700_000_000_123.0),
            V::Bin(vec![1, 2]),
            s(&"x".repeat(40)),
            V::Num(-1.0),
            V::Num(-33.0),
            V::Num(255.0),
            V::Num(65_536.0),
            map(&[("a", V::Undefined)]),
        ]);
        assert_eq!(
            hex(&encoded(&value).unwrap()),
            format!("9cc0c3c2d40000d7000000018bcfe5687bc4020102d928{}ffd0dfccffce0001000081a161d40000", "78".repeat(40))
        );
    }

    #[test]
    fn decodes_what_notepack_decodes() {
        assert_eq!(decoded(&[0xca, 0x3f, 0xc0, 0, 0]), Ok(V::Num(1.5)), "float 32");
        assert_eq!(decoded(&[0xd7, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), Ok(V::Date(-1.0)));
        assert_eq!(decoded(&[0xd5, 5, 1, 2]), Ok(V::Array(vec![V::Num(5.0), V::Bin(vec![1, 2])])), "another extension");
        assert_eq!(decoded(&[0xc7, 1, 0xfe, 9]), Ok(V::Array(vec![V::Num(-2.0), V::Bin(vec![9])])));
        assert_eq!(decoded(&[0xcf, 0, 0, 0, 1, 0, 0, 0, 2]), Ok(V::Num(4_294_967_298.0)));
        assert_eq!(decoded(&[0x81, 0x01, 0xc0]), Ok(V::Map(vec![("Num(1.0)".to_string(), V::Nil)])), "keys of any type");
    }

    #[test]
    fn rejects_what_it_cannot_read() {
        let decoded = |bytes: &[u8]| decode(bytes).err();
        assert_eq!(decoded(&[]), Some(DecodeError::Truncated));
        assert_eq!(decoded(&[0xc1]), Some(DecodeError::UnknownType));
        assert_eq!(decoded(&[0xa2, 0xff, 0xfe]), Some(DecodeError::InvalidUtf8));
        assert_eq!(decoded(&[0xc0, 0xc0]), Some(DecodeError::TrailingBytes));
        assert_eq!(decoded(&[0xdd, 0xff, 0xff, 0xff, 0xff]), Some(DecodeError::Truncated), "a length the input cannot hold");
        assert_eq!(decoded(&[0xdf, 0xff, 0xff, 0xff, 0xff, 0xc0]), Some(DecodeError::Truncated));
        assert_eq!(decoded(&[0xc6, 0xff, 0xff, 0xff, 0xff]), Some(DecodeError::Truncated));
        assert_eq!(decoded(&[0x91; 100_000]), Some(DecodeError::TooDeep));
        assert_eq!(decoded(&[0x81; 100_000]), Some(DecodeError::TooDeep));
    }

    #[test]
    fn refuses_what_msgpack_cannot_hold_and_broken_records() {
        let encoded = |entries: &[f64], text: &str, binaries: &[u8]| encode(&Record { entries, text, binaries });
        assert_eq!(encoded(&[8.0, 2.0, 4.0, 1.0, 10.0], "", &[]), Err(EncodeError), "a function in an array");
        assert_eq!(encoded(&[], "", &[]), Err(EncodeError), "no value");
        assert_eq!(encoded(&[8.0, 1.0], "", &[]), Err(EncodeError), "a member missing");
        assert_eq!(encoded(&[5.0, 2.0], "a", &[]), Err(EncodeError), "text missing");
        assert_eq!(encoded(&[5.0, 1.0], "\u{1F600}", &[]), Err(EncodeError), "half a surrogate pair");
        assert_eq!(encoded(&[5.0, 2.0], "\u{1F600}", &[]).map(|b| hex(&b)), Ok("a4f09f9880".to_string()));
        assert_eq!(encoded(&[6.0, 3.0], "", &[1, 2]), Err(EncodeError), "bytes missing");
        assert_eq!(encoded(&[8.0, 1.5], "", &[]), Err(EncodeError), "a fractional length");
        assert_eq!(encoded(&[4.5], "", &[]), Err(EncodeError), "a fractional kind");
    }

    fn value() -> impl Strategy<Value = V> {
        let number = prop_oneof![
            any::<i32>().prop_map(|n| V::Num(f64::from(n))),
            (-(1i64 << 53)..(1i64 << 53)).prop_map(|n| V::Num(n as f64)),
            // Whole numbers of 2^63 and more wrap in 64 bits, as with notepack.io; NaN differs from itself.
            any::<f64>().prop_filter("round-trippable", |n| !n.is_nan() && (n.fract() != 0.0 || n.abs() < 9.2e18)).prop_map(V::Num),
        ];
        let leaf = prop_oneof![
            Just(V::Nil),
            Just(V::Undefined),
            any::<bool>().prop_map(V::Bool),
            number,
            ".{0,40}".prop_map(V::Str),
            proptest::collection::vec(any::<u8>(), 0..300).prop_map(V::Bin),
            (-(1i64 << 52)..(1i64 << 52)).prop_map(|n| V::Date(n as f64)),
        ];
        leaf.prop_recursive(4, 64, 20, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..20).prop_map(V::Array),
                proptest::collection::vec(("[a-z]{0,3}", inner), 0..20).prop_map(V::Map),
            ]
        })
    }

    /// `V::Map` keys as the decoder's test builder spells them.
    fn as_decoded(value: V) -> V {
        match value {
            V::Array(items) => V::Array(items.into_iter().map(as_decoded).collect()),
            V::Map(entries) => V::Map(entries.into_iter().map(|(k, v)| (format!("{:?}", V::Str(k)), as_decoded(v))).collect()),
            other => other,
        }
    }

    proptest! {
        #[test]
        fn round_trip(value in value()) {
            let bytes = encoded(&value).unwrap();
            prop_assert_eq!(decoded(&bytes), Ok(as_decoded(value)));
        }

        #[test]
        fn encoder_never_panics(entries in proptest::collection::vec(prop_oneof![0u8..12, any::<u8>()].prop_map(f64::from), 0..50), text in ".{0,20}", binaries in proptest::collection::vec(any::<u8>(), 0..20)) {
            let _ = encode(&Record { entries: &entries, text: &text, binaries: &binaries });
        }

        #[test]
        fn decoder_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = decode(&bytes);
        }

        #[test]
        fn decoder_never_panics_on_damaged_values(value in value(), cut in any::<prop::sample::Index>(), flip in any::<u8>()) {
            let mut bytes = encoded(&value).unwrap();
            if !bytes.is_empty() {
                let at = cut.index(bytes.len());
                bytes[at] ^= flip;
                let _ = decode(&bytes);
                bytes.truncate(at);
                let _ = decode(&bytes);
            }
        }
    }
}
