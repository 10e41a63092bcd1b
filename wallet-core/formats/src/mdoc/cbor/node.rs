//! A borrowed CBOR tree that remembers the exact bytes of every data item.
//!
//! mdoc signs and hashes *encoded* structures (tag-24 embedded items, the MSO, protected
//! headers), so a verifier must work on the bytes it received, never on a re-encoding.
//! `ciborium::Value` forgets where an item came from; this tree keeps, for each item, the
//! slice of the input that encoded it (`raw`). Headers are read by `ciborium-ll`; this
//! module only walks the structure and enforces the size limits.
//!
//! Decoding is lenient about encodings (non-preferred lengths, indefinite-length items),
//! strict about structure (truncation, stray breaks, invalid UTF-8, trailing bytes). The
//! encodings accepted in signed and hashed structures are checked separately, on their
//! bytes ([`super::preferred`]).

use std::borrow::Cow;

use ciborium::Value;
use ciborium_ll::{Decoder, Header};

use crate::mdoc::error::{Limit, MdocError, MdocResult};
use crate::mdoc::limits::{MAX_DATA_ITEMS, MAX_INPUT_BYTES, MAX_NESTING_DEPTH};

/// CBOR simple values for false, true, null and undefined (RFC 8949 §3.3).
const SIMPLE_FALSE: u8 = 20;
const SIMPLE_TRUE: u8 = 21;
const SIMPLE_NULL: u8 = 22;
const SIMPLE_UNDEFINED: u8 = 23;

/// The tag of embedded CBOR (`#6.24(bstr .cbor T)`).
pub(crate) const TAG_ENCODED_CBOR: u64 = 24;

/// One decoded data item and the exact bytes that encoded it.
#[derive(Debug, Clone)]
pub(crate) struct Node<'a> {
    /// The whole encoded item (header, content, and for tags the tagged item), as received.
    pub(crate) raw: &'a [u8],
    /// What the item is.
    pub(crate) kind: Kind<'a>,
}

/// The kind and content of a [`Node`]: the full CBOR data model, though mdoc structures
/// read only some of the payloads (values are otherwise read through [`Node::to_value`]).
#[derive(Debug, Clone)]
#[allow(dead_code)]
pub(crate) enum Kind<'a> {
    Unsigned(u64),
    /// The CBOR negative integer `-1 - n`.
    Negative(u64),
    Bytes(Cow<'a, [u8]>),
    Text(Cow<'a, str>),
    Array(Vec<Node<'a>>),
    Map(Vec<(Node<'a>, Node<'a>)>),
    Tag(u64, Box<Node<'a>>),
    Bool(bool),
    Null,
    Undefined,
    Float(f64),
    Simple(u8),
}

/// Decodes exactly one data item from `input` (no trailing bytes), within the limits.
pub(crate) fn decode(input: &[u8]) -> MdocResult<Node<'_>> {
    if input.len() > MAX_INPUT_BYTES {
        return Err(MdocError::TooLarge(Limit::Bytes));
    }
    let mut parser = Parser {
        input,
        pos: 0,
        items: 0,
    };
    let node = parser.item(0)?;
    if parser.pos != input.len() {
        return Err(MdocError::Malformed("trailing bytes after the CBOR item"));
    }
    Ok(node)
}

struct Parser<'a> {
    input: &'a [u8],
    pos: usize,
    items: usize,
}

impl<'a> Parser<'a> {
    /// Reads one header at the current position (ciborium-ll does the bit work).
    fn header(&mut self) -> MdocResult<Header> {
        let rest = self.input.get(self.pos..).unwrap_or_default();
        let mut decoder = Decoder::from(rest);
        let header = decoder
            .pull()
            .map_err(|_| MdocError::Malformed("invalid or truncated CBOR"))?;
        self.pos += decoder.offset();
        Ok(header)
    }

    /// Consumes a break if one is next; otherwise leaves the position unchanged.
    fn take_break(&mut self) -> MdocResult<bool> {
        let start = self.pos;
        if matches!(self.header()?, Header::Break) {
            Ok(true)
        } else {
            self.pos = start;
            Ok(false)
        }
    }

    fn take(&mut self, len: usize) -> MdocResult<&'a [u8]> {
        let end = self
            .pos
            .checked_add(len)
            .filter(|end| *end <= self.input.len())
            .ok_or(MdocError::Malformed("truncated CBOR"))?;
        let bytes = &self.input[self.pos..end];
        self.pos = end;
        Ok(bytes)
    }

    fn item(&mut self, depth: usize) -> MdocResult<Node<'a>> {
        let start = self.pos;
        self.items += 1;
        if self.items > MAX_DATA_ITEMS {
            return Err(MdocError::TooLarge(Limit::DataItems));
        }
        let header = self.header()?;
        let kind = self.body(header, depth)?;
        Ok(Node {
            raw: &self.input[start..self.pos],
            kind,
        })
    }

    fn nested(&self, depth: usize) -> MdocResult<usize> {
        if depth + 1 > MAX_NESTING_DEPTH {
            Err(MdocError::TooLarge(Limit::NestingDepth))
        } else {
            Ok(depth + 1)
        }
    }

    fn body(&mut self, header: Header, depth: usize) -> MdocResult<Kind<'a>> {
        Ok(match header {
            Header::Positive(n) => Kind::Unsigned(n),
            Header::Negative(n) => Kind::Negative(n),
            Header::Float(f) => Kind::Float(f),
            Header::Simple(SIMPLE_FALSE) => Kind::Bool(false),
            Header::Simple(SIMPLE_TRUE) => Kind::Bool(true),
            Header::Simple(SIMPLE_NULL) => Kind::Null,
            Header::Simple(SIMPLE_UNDEFINED) => Kind::Undefined,
            Header::Simple(other) => Kind::Simple(other),
            Header::Break => return Err(MdocError::Malformed("unexpected CBOR break")),
            Header::Bytes(Some(len)) => Kind::Bytes(Cow::Borrowed(self.take(len)?)),
            Header::Bytes(None) => Kind::Bytes(Cow::Owned(self.chunks(false)?)),
            Header::Text(Some(len)) => Kind::Text(Cow::Borrowed(
                std::str::from_utf8(self.take(len)?)
                    .map_err(|_| MdocError::Malformed("text is not UTF-8"))?,
            )),
            Header::Text(None) => Kind::Text(Cow::Owned(
                String::from_utf8(self.chunks(true)?)
                    .map_err(|_| MdocError::Malformed("text is not UTF-8"))?,
            )),
            Header::Array(len) => {
                let depth = self.nested(depth)?;
                let mut items = Vec::new();
                match len {
                    Some(n) => {
                        for _ in 0..n {
                            items.push(self.item(depth)?);
                        }
                    }
                    None => {
                        while !self.take_break()? {
                            items.push(self.item(depth)?);
                        }
                    }
                }
                Kind::Array(items)
            }
            Header::Map(len) => {
                let depth = self.nested(depth)?;
                let mut entries = Vec::new();
                match len {
                    Some(n) => {
                        for _ in 0..n {
                            entries.push((self.item(depth)?, self.item(depth)?));
                        }
                    }
                    None => {
                        while !self.take_break()? {
                            entries.push((self.item(depth)?, self.item(depth)?));
                        }
                    }
                }
                Kind::Map(entries)
            }
            Header::Tag(tag) => {
                let depth = self.nested(depth)?;
                Kind::Tag(tag, Box::new(self.item(depth)?))
            }
        })
    }

    /// The chunks of an indefinite-length byte or text string, concatenated. Each chunk
    /// must be a definite string of the same major type; text chunks must each be UTF-8.
    fn chunks(&mut self, text: bool) -> MdocResult<Vec<u8>> {
        let mut out = Vec::new();
        loop {
            let chunk = match (self.header()?, text) {
                (Header::Break, _) => return Ok(out),
                (Header::Bytes(Some(len)), false) | (Header::Text(Some(len)), true) => {
                    self.take(len)?
                }
                _ => return Err(MdocError::Malformed("invalid indefinite-length string")),
            };
            if text && std::str::from_utf8(chunk).is_err() {
                return Err(MdocError::Malformed("text is not UTF-8"));
            }
            out.extend_from_slice(chunk);
        }
    }
}

impl<'a> Node<'a> {
    /// The text, if this is a text string.
    pub(crate) fn as_text(&self) -> Option<&str> {
        match &self.kind {
            Kind::Text(t) => Some(t),
            _ => None,
        }
    }

    /// The bytes, if this is a byte string.
    pub(crate) fn as_bytes(&self) -> Option<&[u8]> {
        match &self.kind {
            Kind::Bytes(b) => Some(b),
            _ => None,
        }
    }

    /// The value, if this is an unsigned integer.
    pub(crate) fn as_u64(&self) -> Option<u64> {
        match self.kind {
            Kind::Unsigned(n) => Some(n),
            _ => None,
        }
    }

    /// The value, if this is an integer that fits an `i64`.
    pub(crate) fn as_i64(&self) -> Option<i64> {
        match self.kind {
            Kind::Unsigned(n) => i64::try_from(n).ok(),
            Kind::Negative(n) => i64::try_from(n).ok().map(|n| -1 - n),
            _ => None,
        }
    }

    /// The items, if this is an array.
    pub(crate) fn as_array(&self) -> Option<&[Node<'a>]> {
        match &self.kind {
            Kind::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The entries, if this is a map.
    pub(crate) fn as_map(&self) -> Option<&[(Node<'a>, Node<'a>)]> {
        match &self.kind {
            Kind::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// The tagged item, if this is tag `tag`.
    pub(crate) fn untag(&self, tag: u64) -> Option<&Node<'a>> {
        match &self.kind {
            Kind::Tag(t, inner) if *t == tag => Some(inner),
            _ => None,
        }
    }

    /// The embedded bytes of `#6.24(bstr)`, if this is one.
    pub(crate) fn embedded_cbor(&self) -> Option<&[u8]> {
        self.untag(TAG_ENCODED_CBOR).and_then(Node::as_bytes)
    }

    /// Looks up a text key in a map. `Ok(None)` when absent; an error when this is not a
    /// map or the key occurs more than once.
    pub(crate) fn get(&self, key: &str) -> MdocResult<Option<&Node<'a>>> {
        self.lookup(|k| k.as_text() == Some(key))
    }

    fn lookup(&self, is_key: impl Fn(&Node<'a>) -> bool) -> MdocResult<Option<&Node<'a>>> {
        let entries = self
            .as_map()
            .ok_or(MdocError::Malformed("expected a CBOR map"))?;
        let mut found = None;
        for (k, v) in entries {
            if is_key(k) {
                if found.is_some() {
                    return Err(MdocError::Malformed("duplicate map key"));
                }
                found = Some(v);
            }
        }
        Ok(found)
    }

    /// Like [`Node::get`] but the key must be present.
    pub(crate) fn require(&self, key: &str, what: &'static str) -> MdocResult<&Node<'a>> {
        self.get(key)?.ok_or(MdocError::Malformed(what))
    }

    /// This item as a `ciborium::Value`, decoded from its exact bytes.
    pub(crate) fn to_value(&self) -> MdocResult<Value> {
        ciborium::from_reader(self.raw)
            .map_err(|_| MdocError::Malformed("CBOR value not representable"))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        hex::decode(s).unwrap()
    }

    #[test]
    fn keeps_exact_bytes_of_non_preferred_encodings() {
        // {"a": h'01'} with a 2-byte map length and a 1-byte bstr length.
        let bytes = hex("b900016161580101");
        let node = decode(&bytes).unwrap();
        assert_eq!(node.raw, &bytes[..]);
        let value = node.get("a").unwrap().unwrap();
        assert_eq!(value.raw, &hex("580101")[..]);
        assert_eq!(value.as_bytes(), Some(&[1u8][..]));
        assert!(node.get("b").unwrap().is_none());
    }

    #[test]
    fn embedded_cbor_and_tags() {
        // 24(h'a0')
        let bytes = hex("d81841a0");
        let node = decode(&bytes).unwrap();
        assert_eq!(node.embedded_cbor(), Some(&[0xa0u8][..]));
        assert!(node.untag(1004).is_none());
    }

    #[test]
    fn indefinite_lengths() {
        // [_ 1, (_ h'01', h'02'), (_ "a", "b")] and {_ "k": null}
        let bytes = hex("9f015f41014102ff7f61616162ffff");
        let node = decode(&bytes).unwrap();
        let items = node.as_array().unwrap();
        assert_eq!(items[0].as_u64(), Some(1));
        assert_eq!(items[1].as_bytes(), Some(&[1u8, 2][..]));
        assert_eq!(items[2].as_text(), Some("ab"));
        let bytes = hex("bf616bf6ff");
        let map = decode(&bytes).unwrap();
        assert!(matches!(map.get("k").unwrap().unwrap().kind, Kind::Null));
    }

    #[test]
    fn integers() {
        assert_eq!(decode(&hex("20")).unwrap().as_i64(), Some(-1));
        assert_eq!(decode(&hex("3863")).unwrap().as_i64(), Some(-100));
        assert_eq!(decode(&hex("1bffffffffffffffff")).unwrap().as_i64(), None);
        assert_eq!(
            decode(&hex("1bffffffffffffffff")).unwrap().as_u64(),
            Some(u64::MAX)
        );
    }

    #[test]
    fn rejects_malformed() {
        for bad in [
            "",               // nothing
            "62ff",           // truncated text
            "5a00000010",     // bstr longer than the input
            "1c",             // reserved additional info
            "ff",             // stray break
            "9f01",           // unterminated array
            "62c328",         // invalid UTF-8
            "0101",           // trailing bytes
            "5f6161ff",       // text chunk in a byte string
            "bf6161ff",       // map ending after a key
            "a26161016161f6", // parses, but duplicate key is caught on lookup
        ] {
            let bytes = hex(bad);
            let result = decode(&bytes).and_then(|n| n.get("a").map(|_| ()));
            assert!(result.is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn huge_claimed_lengths_fail_fast() {
        // An array claiming 2^63 items, and a bstr claiming 2^63 bytes.
        assert!(decode(&hex("9b8000000000000000")).is_err());
        assert!(decode(&hex("5b8000000000000000")).is_err());
    }

    #[test]
    fn limits() {
        let deep: Vec<u8> = std::iter::repeat_n(0x81u8, MAX_NESTING_DEPTH + 1)
            .chain([0x00])
            .collect();
        assert_eq!(
            decode(&deep).unwrap_err(),
            MdocError::TooLarge(Limit::NestingDepth)
        );
        let ok: Vec<u8> = std::iter::repeat_n(0x81u8, MAX_NESTING_DEPTH)
            .chain([0x00])
            .collect();
        assert!(decode(&ok).is_ok());

        let mut many = vec![0x9f];
        many.extend(std::iter::repeat_n(0x00, MAX_DATA_ITEMS));
        many.push(0xff);
        assert_eq!(
            decode(&many).unwrap_err(),
            MdocError::TooLarge(Limit::DataItems)
        );
        let big = vec![0u8; MAX_INPUT_BYTES + 1];
        assert_eq!(decode(&big).unwrap_err(), MdocError::TooLarge(Limit::Bytes));
    }

    #[test]
    fn to_value_uses_the_exact_bytes() {
        let bytes = hex("d903ec6a323031392d31302d3230");
        let node = decode(&bytes).unwrap();
        assert_eq!(
            node.to_value().unwrap(),
            Value::Tag(1004, Box::new(Value::Text("2019-10-20".into())))
        );
    }
}
