//! The test encoder (feature `claim169-issue`, left out of the phone library): a Claim 169
//! QR text from CWT claims and identity data, signed with EdDSA, ES256 or ES384 (by `ring`),
//! or unsigned; optionally encrypted with A256GCM/A128GCM. For tests, benchmarks and interop
//! runs, not for issuing real identity cards.

use ciborium::Value;
use laissez_crypto::issuer_key::{IssuerSigner, SignatureAlgorithm};

use super::content_key::ContentKey;
use super::cwt::{CLAIM_169, CwtClaims, EXP, IAT, ISS, NBF, SUB};
use super::envelope;
use super::error::{Claim169Error, Claim169Result};
use super::identity::Identity;
use super::transport;

/// How to protect a code made by [`encode`].
#[derive(Default)]
pub struct Protection<'a> {
    /// The signer; `None` makes an unsigned code (alg EdDSA, empty signature), like the
    /// published decoding vectors.
    pub signer: Option<&'a dyn IssuerSigner>,
    /// A `kid` for the unprotected header; empty for none.
    pub key_id: Vec<u8>,
    /// Encrypts the signed code in a COSE_Encrypt0 with this key.
    pub encryption: Option<&'a ContentKey>,
}

/// The QR text of a code for `cwt` and `identity`.
pub fn encode(
    cwt: &CwtClaims,
    identity: &Identity,
    protection: &Protection<'_>,
) -> Claim169Result<String> {
    transport::wrap_text(&encode_cbor(cwt, identity, protection)?)
}

/// The CBOR of a code (before zlib and Base45): a tagged COSE_Sign1, or a tagged
/// COSE_Encrypt0 around one.
pub fn encode_cbor(
    cwt: &CwtClaims,
    identity: &Identity,
    protection: &Protection<'_>,
) -> Claim169Result<Vec<u8>> {
    let payload = to_cbor(&cwt_map(cwt, identity))?;
    let alg = protection
        .signer
        .map_or(SignatureAlgorithm::EdDsa, |signer| signer.algorithm())
        .cose_id();
    let sign1 = envelope::build_sign1(alg, &protection.key_id, payload, |tbs| {
        match protection.signer {
            Some(signer) => signer
                .sign_message(tbs)
                .map_err(|_| Claim169Error::Encode("signing")),
            None => Ok(Vec::new()),
        }
    })?;
    match protection.encryption {
        Some(key) => envelope::build_encrypt0(key, &sign1),
        None => Ok(sign1),
    }
}

fn to_cbor(value: &Value) -> Claim169Result<Vec<u8>> {
    let mut out = Vec::new();
    ciborium::into_writer(value, &mut out).map_err(|_| Claim169Error::Encode("CBOR"))?;
    Ok(out)
}

fn int(n: i64) -> Value {
    Value::Integer(n.into())
}

fn cwt_map(cwt: &CwtClaims, identity: &Identity) -> Value {
    let mut map = Vec::new();
    let mut text = |key: i64, value: &Option<String>| {
        if let Some(value) = value {
            map.push((int(key), Value::Text(value.clone())));
        }
    };
    text(ISS, &cwt.issuer);
    text(SUB, &cwt.subject);
    for (key, value) in [
        (EXP, cwt.expires_at),
        (NBF, cwt.not_before),
        (IAT, cwt.issued_at),
    ] {
        if let Some(value) = value {
            map.push((int(key), int(value)));
        }
    }
    map.push((int(CLAIM_169), identity_map(identity)));
    Value::Map(map)
}

fn identity_map(identity: &Identity) -> Value {
    let mut map = Vec::new();
    let texts = [
        (1, &identity.id),
        (2, &identity.version),
        (3, &identity.language),
        (4, &identity.full_name),
        (5, &identity.first_name),
        (6, &identity.middle_name),
        (7, &identity.last_name),
        (8, &identity.date_of_birth),
        (10, &identity.address),
        (11, &identity.email),
        (12, &identity.phone),
        (13, &identity.nationality),
        (15, &identity.guardian),
        (19, &identity.secondary_full_name),
        (20, &identity.secondary_language),
        (21, &identity.location_code),
        (22, &identity.legal_status),
        (23, &identity.country_of_issuance),
    ];
    for (key, value) in texts {
        if let Some(value) = value {
            map.push((int(key), Value::Text(value.clone())));
        }
    }
    if let Some(gender) = identity.gender {
        map.push((int(9), Value::Integer(gender.number().into())));
    }
    if let Some(status) = identity.marital_status {
        map.push((int(14), Value::Integer(status.number().into())));
    }
    if let Some(photo) = &identity.photo {
        map.push((int(16), Value::Bytes(photo.clone())));
    }
    if let Some(number) = identity
        .photo_format
        .and_then(|format| format.photo_format())
    {
        map.push((int(17), Value::Integer(number.into())));
    }
    if !identity.best_quality_fingers.is_empty() {
        let fingers = identity
            .best_quality_fingers
            .iter()
            .map(|finger| Value::Integer((*finger).into()))
            .collect();
        map.push((int(18), Value::Array(fingers)));
    }
    for field in &identity.biometrics {
        let entries = field
            .entries
            .iter()
            .map(|entry| {
                let mut biometric = vec![(int(0), Value::Bytes(entry.data.clone()))];
                if let Some(format) = entry.format {
                    biometric.push((int(1), Value::Integer(format.number().into())));
                }
                if let Some(sub_format) = entry.sub_format {
                    biometric.push((int(2), Value::Integer(sub_format.into())));
                }
                if let Some(issuer) = &entry.issuer {
                    biometric.push((int(3), Value::Text(issuer.clone())));
                }
                Value::Map(biometric)
            })
            .collect();
        map.push((int(field.part.key()), Value::Array(entries)));
    }
    for unknown in &identity.unknown {
        if let Ok(value) = ciborium::from_reader::<Value, _>(unknown.cbor.as_slice()) {
            map.push((int(unknown.key), value));
        }
    }
    Value::Map(map)
}
