//! The `x5chain` header of a COSE_Sign1 (RFC 9360): one certificate as a byte string, or an
//! array of them, leaf first; in the unprotected or the protected header, not both. Shared by
//! the mdoc issuer signature, VICALs and offline issuance offers.

use ciborium::Value;
use coset::CoseSign1;
use coset::Label;
use coset::iana::{self, EnumI64};

/// Why an `x5chain` header cannot be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum X5ChainError {
    /// It appears in both headers (or twice).
    Twice,
    /// It is neither a byte string nor a non-empty array.
    NotAChain,
    /// An array entry is not a byte string.
    EntryNotBytes,
}

/// The DER certificates of `sign1`'s `x5chain`, leaf first; `None` when it has none.
pub fn x5chain_ders(sign1: &CoseSign1) -> Result<Option<Vec<&[u8]>>, X5ChainError> {
    let label = Label::Int(iana::HeaderParameter::X5Chain.to_i64());
    let mut values = sign1
        .unprotected
        .rest
        .iter()
        .chain(sign1.protected.header.rest.iter())
        .filter(|(l, _)| *l == label)
        .map(|(_, v)| v);
    let value = match (values.next(), values.next()) {
        (None, _) => return Ok(None),
        (Some(v), None) => v,
        (Some(_), Some(_)) => return Err(X5ChainError::Twice),
    };
    match value {
        Value::Bytes(der) => Ok(Some(vec![der.as_slice()])),
        Value::Array(items) if !items.is_empty() => items
            .iter()
            .map(|v| v.as_bytes().map(Vec::as_slice))
            .collect::<Option<Vec<_>>>()
            .map(Some)
            .ok_or(X5ChainError::EntryNotBytes),
        _ => Err(X5ChainError::NotAChain),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use coset::{CoseSign1Builder, HeaderBuilder};

    fn with(unprotected: Option<Value>, protected: Option<Value>) -> CoseSign1 {
        let id = iana::HeaderParameter::X5Chain.to_i64();
        let mut u = HeaderBuilder::new();
        if let Some(v) = unprotected {
            u = u.value(id, v);
        }
        let mut p = HeaderBuilder::new();
        if let Some(v) = protected {
            p = p.value(id, v);
        }
        CoseSign1Builder::new()
            .unprotected(u.build())
            .protected(p.build())
            .build()
    }

    #[test]
    fn reads_one_or_many_in_either_header_and_refuses_the_rest() {
        let one = Value::Bytes(vec![1, 2]);
        let many = Value::Array(vec![Value::Bytes(vec![1]), Value::Bytes(vec![2])]);
        assert_eq!(x5chain_ders(&with(None, None)), Ok(None));
        assert_eq!(
            x5chain_ders(&with(Some(one.clone()), None)),
            Ok(Some(vec![&[1u8, 2][..]]))
        );
        assert_eq!(
            x5chain_ders(&with(None, Some(many.clone()))),
            Ok(Some(vec![&[1u8][..], &[2u8][..]]))
        );
        assert_eq!(
            x5chain_ders(&with(Some(one.clone()), Some(many))),
            Err(X5ChainError::Twice)
        );
        assert_eq!(
            x5chain_ders(&with(Some(Value::Array(vec![])), None)),
            Err(X5ChainError::NotAChain)
        );
        assert_eq!(
            x5chain_ders(&with(
                Some(Value::Array(vec![Value::Integer(1.into())])),
                None
            )),
            Err(X5ChainError::EntryNotBytes)
        );
    }
}
