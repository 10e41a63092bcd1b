//! The holder's device key as a COSE_Key (EC2, P-256), as carried in the MSO's
//! `deviceKeyInfo.deviceKey`. Encoding and decoding go through `coset`.

use ciborium::Value;
use coset::iana::{self, EnumI64};
use coset::{AsCborValue, CoseKey, CoseKeyBuilder, KeyType, Label};

use crate::mdoc::error::{MdocError, MdocResult};
use laissez_crypto::ecdsa::VerifyingKey;

/// SEC1 prefixes of a compressed point with even / odd y.
const SEC1_COMPRESSED_EVEN: u8 = 0x02;
const SEC1_COMPRESSED_ODD: u8 = 0x03;

/// `key` as a COSE_Key value: `{1: 2, -1: 1, -2: x, -3: y}`.
#[cfg(feature = "issue")]
pub(crate) fn to_cose_key(key: &VerifyingKey) -> MdocResult<Value> {
    CoseKeyBuilder::new_ec2_pub_key(
        iana::EllipticCurve::P_256,
        key.x().to_vec(),
        key.y().to_vec(),
    )
    .build()
    .to_cbor_value()
    .map_err(|_| MdocError::Malformed("COSE_Key encoding"))
}

/// Reads a P-256 public key from a COSE_Key. `y` may be the coordinate or, for a
/// compressed point, its sign bit (a boolean).
pub(crate) fn from_cose_key(value: Value) -> MdocResult<VerifyingKey> {
    let key = CoseKey::from_cbor_value(value).map_err(|_| MdocError::Malformed("COSE_Key"))?;
    if key.kty != KeyType::Assigned(iana::KeyType::EC2) {
        return Err(MdocError::UnsupportedAlgorithm(
            "device key type (only EC2 P-256)".into(),
        ));
    }
    let param = |label: iana::Ec2KeyParameter| {
        let wanted = Label::Int(label.to_i64());
        let mut found = key.params.iter().filter(|(l, _)| *l == wanted);
        match (found.next(), found.next()) {
            (Some((_, v)), None) => Ok(v),
            (None, _) => Err(MdocError::Malformed("COSE_Key parameter missing")),
            (Some(_), Some(_)) => Err(MdocError::Malformed("COSE_Key parameter repeated")),
        }
    };
    let curve = param(iana::Ec2KeyParameter::Crv)?;
    if curve.as_integer() != Some((iana::EllipticCurve::P_256.to_i64()).into()) {
        return Err(MdocError::UnsupportedAlgorithm(
            "device key curve (only P-256)".into(),
        ));
    }
    let x = param(iana::Ec2KeyParameter::X)?
        .as_bytes()
        .ok_or(MdocError::Malformed("COSE_Key x"))?;
    let public = match param(iana::Ec2KeyParameter::Y)? {
        Value::Bytes(y) => VerifyingKey::from_coordinates(x, y),
        Value::Bool(odd) if x.len() == 32 => {
            let mut sec1 = Vec::with_capacity(33);
            sec1.push(if *odd {
                SEC1_COMPRESSED_ODD
            } else {
                SEC1_COMPRESSED_EVEN
            });
            sec1.extend_from_slice(x);
            VerifyingKey::from_sec1(&sec1)
        }
        _ => None,
    };
    public.ok_or(MdocError::Malformed("COSE_Key is not a valid P-256 point"))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use laissez_crypto::ecdsa::SigningKey;

    #[test]
    fn round_trip_and_compressed() {
        let key = SigningKey::generate().unwrap().public_key().clone();
        let value = to_cose_key(&key).unwrap();
        assert_eq!(from_cose_key(value).unwrap(), key);

        let odd = key.y()[31] & 1 == 1;
        let compressed = CoseKeyBuilder::new_ec2_pub_key_y_sign(
            iana::EllipticCurve::P_256,
            key.x().to_vec(),
            odd,
        )
        .build()
        .to_cbor_value()
        .unwrap();
        assert_eq!(from_cose_key(compressed).unwrap(), key);
    }

    #[test]
    fn refuses_other_keys() {
        let key = SigningKey::generate().unwrap().public_key().clone();
        let p384 = CoseKeyBuilder::new_ec2_pub_key(
            iana::EllipticCurve::P_384,
            key.x().to_vec(),
            key.y().to_vec(),
        )
        .build()
        .to_cbor_value()
        .unwrap();
        assert!(matches!(
            from_cose_key(p384),
            Err(MdocError::UnsupportedAlgorithm(_))
        ));
        let okp = CoseKeyBuilder::new_okp_key()
            .build()
            .to_cbor_value()
            .unwrap();
        assert!(matches!(
            from_cose_key(okp),
            Err(MdocError::UnsupportedAlgorithm(_))
        ));
        let mut bad_y = key.y().to_vec();
        bad_y[5] ^= 1;
        let off_curve =
            CoseKeyBuilder::new_ec2_pub_key(iana::EllipticCurve::P_256, key.x().to_vec(), bad_y)
                .build()
                .to_cbor_value()
                .unwrap();
        assert!(matches!(
            from_cose_key(off_curve),
            Err(MdocError::Malformed(_))
        ));
        assert!(from_cose_key(Value::Text("key".into())).is_err());
    }
}
