//! Encoding structures that mix new values with items received earlier.
//!
//! A presented document must carry the issuer's items and `issuerAuth` byte for byte (their
//! digests and signature cover those bytes). [`Out::Raw`] splices such an item unchanged;
//! everything else is encoded by `ciborium` (values) or `ciborium-ll` (array and map
//! headers), in preferred serialization.

use ciborium::Value;
use ciborium_ll::{Encoder, Header};

use crate::mdoc::error::{MdocError, MdocResult};

/// A CBOR item to encode.
pub(crate) enum Out<'a> {
    /// One complete, already encoded data item, copied as is.
    Raw(&'a [u8]),
    /// A text string.
    Text(&'a str),
    /// Any value, encoded by `ciborium`.
    Value(Value),
    /// An array of items.
    Array(Vec<Out<'a>>),
    /// A map, entries in the given order.
    Map(Vec<(Out<'a>, Out<'a>)>),
}

/// Encodes `out` into a fresh buffer.
pub(crate) fn encode(out: &Out<'_>) -> MdocResult<Vec<u8>> {
    let mut buf = Vec::new();
    write(out, &mut buf)?;
    Ok(buf)
}

/// Encodes `value` with `ciborium` (preferred serialization).
pub(crate) fn encode_value(value: &Value) -> MdocResult<Vec<u8>> {
    let mut buf = Vec::new();
    ciborium::into_writer(value, &mut buf).map_err(|_| MdocError::Malformed("CBOR encoding"))?;
    Ok(buf)
}

/// `#6.24(bstr .cbor value)`: the encoded value, embedded as a tagged byte string.
pub(crate) fn embed(encoded: Vec<u8>) -> Value {
    Value::Tag(
        super::node::TAG_ENCODED_CBOR,
        Box::new(Value::Bytes(encoded)),
    )
}

fn write(out: &Out<'_>, buf: &mut Vec<u8>) -> MdocResult<()> {
    const FAILED: MdocError = MdocError::Malformed("CBOR encoding");
    match out {
        Out::Raw(bytes) => buf.extend_from_slice(bytes),
        Out::Text(text) => Encoder::from(&mut *buf)
            .text(text, None::<usize>)
            .map_err(|_| FAILED)?,
        Out::Value(value) => ciborium::into_writer(value, &mut *buf).map_err(|_| FAILED)?,
        Out::Array(items) => {
            Encoder::from(&mut *buf)
                .push(Header::Array(Some(items.len())))
                .map_err(|_| FAILED)?;
            for item in items {
                write(item, buf)?;
            }
        }
        Out::Map(entries) => {
            Encoder::from(&mut *buf)
                .push(Header::Map(Some(entries.len())))
                .map_err(|_| FAILED)?;
            for (key, value) in entries {
                write(key, buf)?;
                write(value, buf)?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn raw_items_are_spliced_unchanged() {
        // A non-preferred map {"a": 1} spliced into an array next to new values.
        let raw = [0xb9, 0x00, 0x01, 0x61, 0x61, 0x01];
        let out = Out::Array(vec![
            Out::Text("x"),
            Out::Raw(&raw),
            Out::Map(vec![(Out::Text("k"), Out::Value(Value::Null))]),
        ]);
        let bytes = encode(&out).unwrap();
        assert_eq!(
            bytes,
            [
                0x83, 0x61, 0x78, 0xb9, 0x00, 0x01, 0x61, 0x61, 0x01, 0xa1, 0x61, 0x6b, 0xf6
            ]
        );
    }

    #[test]
    fn same_bytes_as_ciborium_for_new_values() {
        let long = "é".repeat(300);
        let value = Value::Array(vec![
            Value::Text(long.clone()),
            Value::Map(vec![(Value::Text("k".into()), Value::Integer(7.into()))]),
        ]);
        let out = Out::Array(vec![
            Out::Text(&long),
            Out::Map(vec![(Out::Text("k"), Out::Value(Value::Integer(7.into())))]),
        ]);
        assert_eq!(encode(&out).unwrap(), encode_value(&value).unwrap());
    }
}
