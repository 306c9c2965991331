//! MessagePack as notepack.io writes and reads it (the codec of socket.io-msgpack-parser, so of a server
//! started with `parser: require("socket.io-msgpack-parser")`): integers in their smallest form, other
//! numbers as float 64, strings as UTF-8, `ArrayBuffer`s as bin, `undefined` as fixext 1 of type 0, a
//! `Date` as fixext 8 of type 0 (milliseconds as a signed 32-bit high and unsigned low word), any other
//! extension read as `[type, bytes]`.
//!
//! The codec walks values through [`Reader`] and builds them through [`Builder`], so the same code reads
//! a JS value in the browser and a test value natively. Decoding never panics and never trusts a length:
//! what the input claims is checked against what it holds, and nesting is bounded by [`MAX_DEPTH`].

use crate::prelude::*;

/// How deeply arrays and maps may nest in a decoded value (notepack.io recurses until the JS stack runs
/// out; a bound keeps the wasm stack safe).
pub const MAX_DEPTH: usize = 256;

/// One level of a value, as the encoder reads it.
pub enum Item<V> {
    /// `null`.
    Nil,
    /// `undefined`.
    Undefined,
    /// A boolean.
    Bool(bool),
    /// A number.
    Number(f64),
    /// A string.
    Str(String),
    /// Binary data (an `ArrayBuffer`).
    Bin(Vec<u8>),
    /// A date, in milliseconds since the epoch.
    Date(f64),
    /// An array's elements.
    Array(Vec<V>),
    /// An object's entries (notepack.io leaves out those holding functions).
    Map(Vec<(String, V)>),
    /// Something msgpack cannot hold (a function, a symbol, a bigint): notepack.io throws.
    Unsupported,
}

/// A value held something msgpack cannot hold (notepack.io's "Could not encode").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EncodeError;

/// Reads values for the encoder.
pub trait Reader {
    /// A value.
    type Value;
    /// What `value` is, one level deep.
    fn read(&mut self, value: &Self::Value) -> Item<Self::Value>;
}

/// Makes values for the decoder.
pub trait Builder {
    /// A value.
    type Value;
    /// `null`.
    fn nil(&mut self) -> Self::Value;
    /// `undefined`.
    fn undefined(&mut self) -> Self::Value;
    /// A boolean.
    fn bool(&mut self, value: bool) -> Self::Value;
    /// A number.
    fn number(&mut self, value: f64) -> Self::Value;
    /// A string.
    fn str(&mut self, value: &str) -> Self::Value;
    /// Binary data.
    fn bin(&mut self, bytes: &[u8]) -> Self::Value;
    /// A date, in milliseconds since the epoch.
    fn date(&mut self, millis: f64) -> Self::Value;
    /// An array.
    fn array(&mut self, items: Vec<Self::Value>) -> Self::Value;
    /// An object; each key is a decoded value (notepack.io makes it a property name).
    fn map(&mut self, entries: Vec<(Self::Value, Self::Value)>) -> Self::Value;
}

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

/// `value` as msgpack.
pub fn encode<R: Reader>(reader: &mut R, value: &R::Value) -> Result<Vec<u8>, EncodeError> {
    let mut out = Vec::new();
    write_value(reader, value, &mut out)?;
    Ok(out)
}

fn write_value<R: Reader>(reader: &mut R, value: &R::Value, out: &mut Vec<u8>) -> Result<(), EncodeError> {
    match reader.read(value) {
        Item::Unsupported => return Err(EncodeError),
        Item::Nil => out.push(0xc0),
        Item::Undefined => out.extend_from_slice(&[0xd4, 0, 0]),
        Item::Bool(value) => out.push(if value { 0xc3 } else { 0xc2 }),
        Item::Number(value) => write_number(value, out),
        Item::Str(text) => {
            write_length(text.len(), [0xa0, 0xd9, 0xda, 0xdb], 0x20, true, out);
            out.extend_from_slice(text.as_bytes());
        }
        Item::Bin(bytes) => {
            write_length(bytes.len(), [0, 0xc4, 0xc5, 0xc6], 0, true, out);
            out.extend_from_slice(&bytes);
        }
        Item::Date(millis) => {
            out.extend_from_slice(&[0xd7, 0]);
            write_split(millis, out);
        }
        Item::Array(items) => {
            write_length(items.len(), [0x90, 0, 0xdc, 0xdd], 0x10, false, out);
            for item in &items {
                write_value(reader, item, out)?;
            }
        }
        Item::Map(entries) => {
            write_length(entries.len(), [0x80, 0, 0xde, 0xdf], 0x10, false, out);
            for (key, item) in &entries {
                write_length(key.len(), [0xa0, 0xd9, 0xda, 0xdb], 0x20, true, out);
                out.extend_from_slice(key.as_bytes());
                write_value(reader, item, out)?;
            }
        }
    }
    Ok(())
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

/// The value `bytes` hold, which must be exactly one.
pub fn decode<B: Builder>(builder: &mut B, bytes: &[u8]) -> Result<B::Value, DecodeError> {
    let mut input = Input { bytes, at: 0 };
    let value = input.value(builder, 0)?;
    if input.at != bytes.len() {
        return Err(DecodeError::TrailingBytes);
    }
    Ok(value)
}

struct Input<'a> {
    bytes: &'a [u8],
    at: usize,
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

    fn value<B: Builder>(&mut self, builder: &mut B, depth: usize) -> Result<B::Value, DecodeError> {
        let prefix = self.byte()?;
        Ok(match prefix {
            0x00..=0x7f => builder.number(f64::from(prefix)),
            0x80..=0x8f => return self.map(builder, usize::from(prefix & 0x0f), depth),
            0x90..=0x9f => return self.items(builder, usize::from(prefix & 0x0f), depth),
            0xa0..=0xbf => return self.str(builder, usize::from(prefix & 0x1f)),
            0xe0..=0xff => builder.number(f64::from(prefix as i8)),
            0xc0 => builder.nil(),
            0xc2 => builder.bool(false),
            0xc3 => builder.bool(true),
            0xc4..=0xc6 => {
                let length = self.length(1 << (prefix - 0xc4))?;
                builder.bin(self.take(length)?)
            }
            0xc7..=0xc9 => {
                let length = self.length(1 << (prefix - 0xc7))?;
                return self.ext(builder, length);
            }
            0xca => builder.number(f64::from(f32::from_be_bytes(self.array::<4>()?))),
            0xcb => builder.number(f64::from_be_bytes(self.array::<8>()?)),
            0xcc => builder.number(f64::from(self.byte()?)),
            0xcd => builder.number(f64::from(u16::from_be_bytes(self.array::<2>()?))),
            0xce => builder.number(f64::from(u32::from_be_bytes(self.array::<4>()?))),
            0xcf => builder.number(self.split(false)?),
            0xd0 => builder.number(f64::from(self.byte()? as i8)),
            0xd1 => builder.number(f64::from(i16::from_be_bytes(self.array::<2>()?))),
            0xd2 => builder.number(f64::from(i32::from_be_bytes(self.array::<4>()?))),
            0xd3 => builder.number(self.split(true)?),
            0xd4..=0xd8 => return self.ext(builder, 1 << (prefix - 0xd4)),
            0xd9..=0xdb => {
                let length = self.length(1 << (prefix - 0xd9))?;
                return self.str(builder, length);
            }
            0xdc | 0xdd => {
                let length = self.length(2 << (prefix - 0xdc))?;
                return self.items(builder, length, depth);
            }
            0xde | 0xdf => {
                let length = self.length(2 << (prefix - 0xde))?;
                return self.map(builder, length, depth);
            }
            _ => return Err(DecodeError::UnknownType),
        })
    }

    fn str<B: Builder>(&mut self, builder: &mut B, length: usize) -> Result<B::Value, DecodeError> {
        let text = core::str::from_utf8(self.take(length)?).map_err(|_| DecodeError::InvalidUtf8)?;
        Ok(builder.str(text))
    }

    /// An extension of `length` data bytes: `undefined` and dates as notepack.io reads them, any other as
    /// `[type, bytes]`.
    fn ext<B: Builder>(&mut self, builder: &mut B, length: usize) -> Result<B::Value, DecodeError> {
        let kind = self.byte()? as i8;
        match (kind, length) {
            (0, 1) => {
                self.take(1)?;
                Ok(builder.undefined())
            }
            (0, 8) => {
                let millis = self.split(true)?;
                Ok(builder.date(millis))
            }
            _ => {
                let kind = builder.number(f64::from(kind));
                let data = builder.bin(self.take(length)?);
                Ok(builder.array(vec![kind, data]))
            }
        }
    }

    /// Room for `count` decoded items, never more than the input can still hold (each takes a byte).
    fn capacity(&self, count: usize) -> usize {
        count.min(self.bytes.len() - self.at)
    }

    fn items<B: Builder>(&mut self, builder: &mut B, count: usize, depth: usize) -> Result<B::Value, DecodeError> {
        if depth >= MAX_DEPTH {
            return Err(DecodeError::TooDeep);
        }
        let mut items = Vec::with_capacity(self.capacity(count));
        for _ in 0..count {
            items.push(self.value(builder, depth + 1)?);
        }
        Ok(builder.array(items))
    }

    fn map<B: Builder>(&mut self, builder: &mut B, count: usize, depth: usize) -> Result<B::Value, DecodeError> {
        if depth >= MAX_DEPTH {
            return Err(DecodeError::TooDeep);
        }
        let mut entries = Vec::with_capacity(self.capacity(count) / 2);
        for _ in 0..count {
            let key = self.value(builder, depth + 1)?;
            entries.push((key, self.value(builder, depth + 1)?));
        }
        Ok(builder.map(entries))
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

    struct Model;

    impl Reader for Model {
        type Value = V;
        fn read(&mut self, value: &V) -> Item<V> {
            match value.clone() {
                V::Nil => Item::Nil,
                V::Undefined => Item::Undefined,
                V::Bool(b) => Item::Bool(b),
                V::Num(n) => Item::Number(n),
                V::Str(s) => Item::Str(s),
                V::Bin(b) => Item::Bin(b),
                V::Date(d) => Item::Date(d),
                V::Array(items) => Item::Array(items),
                V::Map(entries) => Item::Map(entries),
            }
        }
    }

    impl Builder for Model {
        type Value = V;
        fn nil(&mut self) -> V {
            V::Nil
        }
        fn undefined(&mut self) -> V {
            V::Undefined
        }
        fn bool(&mut self, value: bool) -> V {
            V::Bool(value)
        }
        fn number(&mut self, value: f64) -> V {
            V::Num(value)
        }
        fn str(&mut self, value: &str) -> V {
            V::Str(value.to_string())
        }
        fn bin(&mut self, bytes: &[u8]) -> V {
            V::Bin(bytes.to_vec())
        }
        fn date(&mut self, millis: f64) -> V {
            V::Date(millis)
        }
        fn array(&mut self, items: Vec<V>) -> V {
            V::Array(items)
        }
        fn map(&mut self, entries: Vec<(V, V)>) -> V {
            // As a JS property name (the tests only use string keys).
            V::Map(entries.into_iter().map(|(key, value)| (format!("{key:?}"), value)).collect())
        }
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
            hex(&encode(&mut Model, &packet).unwrap()),
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
            hex(&encode(&mut Model, &value).unwrap()),
            format!("9cc0c3c2d40000d7000000018bcfe5687bc4020102d928{}ffd0dfccffce0001000081a161d40000", "78".repeat(40))
        );
    }

    #[test]
    fn decodes_what_notepack_decodes() {
        let decoded = |bytes: &[u8]| decode(&mut Model, bytes);
        assert_eq!(decoded(&[0xca, 0x3f, 0xc0, 0, 0]), Ok(V::Num(1.5)), "float 32");
        assert_eq!(decoded(&[0xd7, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), Ok(V::Date(-1.0)));
        assert_eq!(decoded(&[0xd5, 5, 1, 2]), Ok(V::Array(vec![V::Num(5.0), V::Bin(vec![1, 2])])), "another extension");
        assert_eq!(decoded(&[0xc7, 1, 0xfe, 9]), Ok(V::Array(vec![V::Num(-2.0), V::Bin(vec![9])])));
        assert_eq!(decoded(&[0xcf, 0, 0, 0, 1, 0, 0, 0, 2]), Ok(V::Num(4_294_967_298.0)));
        assert_eq!(decoded(&[0x81, 0x01, 0xc0]), Ok(V::Map(vec![("Num(1.0)".to_string(), V::Nil)])), "keys of any type");
    }

    #[test]
    fn rejects_what_it_cannot_read() {
        let decoded = |bytes: &[u8]| decode(&mut Model, bytes).err();
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
            let bytes = encode(&mut Model, &value).unwrap();
            prop_assert_eq!(decode(&mut Model, &bytes), Ok(as_decoded(value)));
        }

        #[test]
        fn decoder_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = decode(&mut Model, &bytes);
        }

        #[test]
        fn decoder_never_panics_on_damaged_values(value in value(), cut in any::<prop::sample::Index>(), flip in any::<u8>()) {
            let mut bytes = encode(&mut Model, &value).unwrap();
            if !bytes.is_empty() {
                let at = cut.index(bytes.len());
                bytes[at] ^= flip;
                let _ = decode(&mut Model, &bytes);
                bytes.truncate(at);
                let _ = decode(&mut Model, &bytes);
            }
        }
    }
}
