//! Verifier registration certificates (ADR 0020): a registrar (a humanitarian coordination body,
//! a state authority) certifies a verifier's long-term P-256 request-signing key, its
//! organisation, country, purposes and registered scope, for a time.
//!
//! The certificate is a CWT (RFC 8392) in a COSE_Sign1 (RFC 9052), ES256, signed by the
//! registrar's P-256 key; optionally tagged (CWT tag 61, COSE_Sign1 tag 18):
//!
//! - protected header: `{1 (alg): -7 (ES256), 4 (kid): first 8 bytes of SHA-256 of the
//!   registrar key's uncompressed SEC1 encoding}`;
//! - claims: `1 iss` (the registrar's identifier), `2 sub` (the verifier's identifier),
//!   `4 exp`, `5 nbf`, `6 iat`, `8 cnf` = `{1: COSE_Key}` (EC2, P-256, `x` and `y`: the
//!   verifier's request-signing key, RFC 8747), and four claims in the CWT private-use range
//!   (below -65536, RFC 8392 section 9.1):
//!
//! | label | claim | value |
//! | ---: | --- | --- |
//! | -65537 | organisation | text, at most [`MAX_ORGANISATION`] bytes |
//! | -65538 | country | text, ISO 3166-1 alpha-2 (two capital letters) |
//! | -65539 | purposes | array of 1 to [`MAX_PURPOSES`] texts of at most [`MAX_PURPOSE`] bytes |
//! | -65540 | scope | map credential type → array of claim paths it may ask for |
//!
//! [`verify`] checks the certificate against the registrars the caller trusts and the time, and
//! returns a [`VerifiedRegistration`]; every failure is a typed [`RegistrationError`]. With
//! the `issue` feature, [`certify`] makes one (the registrar's side; not in the phone library).

use ciborium::Value;
use coset::iana::EnumI64;
use coset::{
    AsCborValue, CoseSign1, RegisteredLabelWithPrivate, SignatureContext, sig_structure_data,
};
use laissez_crypto::ecdsa::{HighS, VerifyingKey};

/// Largest certificate accepted, in bytes (a typical one is about 330).
pub const MAX_CERTIFICATE_BYTES: usize = 1024;
/// Longest registrar or verifier identifier (`iss`, `sub`), in bytes.
pub const MAX_IDENTIFIER: usize = 128;
/// Longest organisation name, in bytes.
pub const MAX_ORGANISATION: usize = 128;
/// Most purposes.
pub const MAX_PURPOSES: usize = 4;
/// Longest purpose, in bytes.
pub const MAX_PURPOSE: usize = 128;
/// Most credential types in the scope.
pub const MAX_SCOPE_TYPES: usize = 8;
/// Most claim paths per credential type in the scope.
pub const MAX_SCOPE_CLAIMS: usize = 32;
/// Longest credential type or claim path in the scope, in bytes.
pub const MAX_SCOPE_PATH: usize = 128;
/// Most claims in the CWT (unknown ones are ignored, but counted).
pub const MAX_CLAIMS: usize = 16;
/// Length of a registrar key id and of a certificate reference.
pub const REFERENCE_LEN: usize = 8;
/// How far a phone's clock may lag behind the registrar's for a fresh certificate, seconds.
pub const NOT_BEFORE_SKEW_SECS: i64 = 300;

/// Private claim: the organisation's name.
pub const CLAIM_ORGANISATION: i64 = -65_537;
/// Private claim: the organisation's country (ISO 3166-1 alpha-2).
pub const CLAIM_COUNTRY: i64 = -65_538;
/// Private claim: the registered purposes.
pub const CLAIM_PURPOSES: i64 = -65_539;
/// Private claim: the registered scope (credential type → claim paths).
pub const CLAIM_SCOPE: i64 = -65_540;

const CLAIM_ISS: i64 = 1;
const CLAIM_SUB: i64 = 2;
const CLAIM_EXP: i64 = 4;
const CLAIM_NBF: i64 = 5;
const CLAIM_IAT: i64 = 6;
const CLAIM_CNF: i64 = 8;
const CBOR_TAG_CWT: u64 = 61;
const CBOR_TAG_COSE_SIGN1: u64 = 18;

/// A short reference to a certificate: the first 8 bytes of SHA-256 of its bytes.
pub type Reference = [u8; REFERENCE_LEN];

/// Why a registration certificate was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegistrationError {
    /// Not a well-formed certificate: the COSE_Sign1, a header or a claim.
    #[error("malformed registration certificate: {0}")]
    Malformed(&'static str),
    /// The certificate or one of its fields is over its limit.
    #[error("registration certificate too large: {0}")]
    TooLarge(&'static str),
    /// The signature algorithm is not ES256.
    #[error("registration certificate: unsupported signature algorithm (ES256 only)")]
    UnsupportedAlgorithm,
    /// No trusted registrar has the certificate's key id and issuer identifier.
    #[error("the registration certificate is from a registrar that is not trusted")]
    UnknownRegistrar,
    /// The registrar's signature does not verify.
    #[error("the registration certificate's signature does not verify")]
    BadSignature,
    /// The certificate has expired.
    #[error("the registration certificate expired at {exp}")]
    Expired {
        /// Its expiry, Unix seconds.
        exp: i64,
    },
    /// The certificate is not valid yet.
    #[error("the registration certificate is not valid before {nbf}")]
    NotYetValid {
        /// Its start of validity, Unix seconds.
        nbf: i64,
    },
}

/// Result of this module.
pub type RegistrationResult<T> = Result<T, RegistrationError>;

/// A registrar the holder trusts: its identifier (`iss`) and its P-256 key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustedRegistrar {
    /// The registrar's identifier, as in the certificates' `iss`.
    pub id: String,
    /// The key that signs its certificates.
    pub key: VerifyingKey,
}

/// The credential types and claims a verifier is registered to ask for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopeEntry {
    /// vct or docType.
    pub credential_type: String,
    /// Claim paths it may ask for.
    pub claims: Vec<String>,
}

/// What a registrar certifies (the certificate's claims).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registration {
    /// The registrar's identifier (`iss`).
    pub registrar_id: String,
    /// The verifier's identifier (`sub`).
    pub verifier_id: String,
    /// The organisation's name.
    pub organisation: String,
    /// Its country, ISO 3166-1 alpha-2.
    pub country: String,
    /// What it is registered to ask for claims for.
    pub purposes: Vec<String>,
    /// Which claims of which credential types it may ask for.
    pub scope: Vec<ScopeEntry>,
    /// The verifier's long-term request-signing key (`cnf`).
    pub verifier_key: VerifyingKey,
    /// When it was made (`iat`), Unix seconds.
    pub issued_at: i64,
    /// Start of validity (`nbf`), Unix seconds.
    pub not_before: i64,
    /// End of validity (`exp`), Unix seconds.
    pub not_after: i64,
}

/// A certificate that verified against a trusted registrar at a given time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedRegistration {
    /// The registrar's identifier.
    pub registrar_id: String,
    /// The verifier's identifier.
    pub verifier_id: String,
    /// The organisation's name.
    pub organisation: String,
    /// Its country, ISO 3166-1 alpha-2.
    pub country: String,
    /// The registered purposes.
    pub purposes: Vec<String>,
    /// The registered scope.
    pub scope: Vec<ScopeEntry>,
    /// The key the verifier's requests must be signed with.
    pub verifier_key: VerifyingKey,
    /// Start of validity, Unix seconds.
    pub not_before: i64,
    /// End of validity, Unix seconds.
    pub not_after: i64,
    /// The certificate's [`reference`].
    pub reference: Reference,
}

impl VerifiedRegistration {
    /// Whether the scope lets the verifier ask for `path` of `credential_type`.
    pub fn allows(&self, credential_type: &str, path: &str) -> bool {
        self.scope
            .iter()
            .any(|s| s.credential_type == credential_type && s.claims.iter().any(|c| c == path))
    }
}

fn sha256_prefix(bytes: &[u8]) -> Reference {
    let digest = ring::digest::digest(&ring::digest::SHA256, bytes);
    let mut out = [0u8; REFERENCE_LEN];
    for (o, d) in out.iter_mut().zip(digest.as_ref()) {
        *o = *d;
    }
    out
}

/// The reference of a certificate: the first 8 bytes of SHA-256 of its bytes.
pub fn reference(certificate: &[u8]) -> Reference {
    sha256_prefix(certificate)
}

/// The key id of a P-256 key (a registrar's in a certificate's `kid`, a verifier's in a signed
/// request's): the first 8 bytes of SHA-256 of its uncompressed SEC1 form.
pub fn key_id(key: &VerifyingKey) -> Reference {
    sha256_prefix(&key.to_sec1())
}

/// Strips the optional CWT (61) and COSE_Sign1 (18) tags.
fn untag(value: Value) -> RegistrationResult<Value> {
    let value = match value {
        Value::Tag(CBOR_TAG_CWT, inner) => *inner,
        other => other,
    };
    match value {
        Value::Tag(CBOR_TAG_COSE_SIGN1, inner) => Ok(*inner),
        Value::Tag(..) => Err(RegistrationError::Malformed("unexpected CBOR tag")),
        other => Ok(other),
    }
}

fn read_sign1(bytes: &[u8]) -> RegistrationResult<CoseSign1> {
    if bytes.len() > MAX_CERTIFICATE_BYTES {
        return Err(RegistrationError::TooLarge("certificate"));
    }
    let value: Value = ciborium::from_reader(bytes)
        .map_err(|_| RegistrationError::Malformed("not CBOR (truncated?)"))?;
    CoseSign1::from_cbor_value(untag(value)?)
        .map_err(|_| RegistrationError::Malformed("not a COSE_Sign1"))
}

fn text(value: &Value, what: &'static str, max: usize) -> RegistrationResult<String> {
    match value {
        Value::Text(t) if t.is_empty() => Err(RegistrationError::Malformed(what)),
        Value::Text(t) if t.len() <= max => Ok(t.clone()),
        Value::Text(_) => Err(RegistrationError::TooLarge(what)),
        _ => Err(RegistrationError::Malformed(what)),
    }
}

fn int(value: &Value, what: &'static str) -> RegistrationResult<i64> {
    match value {
        Value::Integer(i) => i64::try_from(*i).map_err(|_| RegistrationError::Malformed(what)),
        _ => Err(RegistrationError::Malformed(what)),
    }
}

fn int_key(key: &Value) -> Option<i64> {
    match key {
        Value::Integer(i) => i64::try_from(*i).ok(),
        _ => None,
    }
}

/// Finds `label` in a CBOR map with integer keys (duplicates refused by the caller).
fn entry(entries: &[(Value, Value)], label: i64) -> Option<&Value> {
    entries
        .iter()
        .find(|(k, _)| int_key(k) == Some(label))
        .map(|(_, v)| v)
}

fn no_duplicates(entries: &[(Value, Value)], what: &'static str) -> RegistrationResult<()> {
    for (i, (key, _)) in entries.iter().enumerate() {
        if entries.iter().skip(i + 1).any(|(other, _)| other == key) {
            return Err(RegistrationError::Malformed(what));
        }
    }
    Ok(())
}

fn cose_key(value: &Value) -> RegistrationResult<VerifyingKey> {
    const WHAT: &str = "cnf: COSE_Key (EC2, P-256, x and y)";
    let Value::Map(cnf) = value else {
        return Err(RegistrationError::Malformed("cnf"));
    };
    no_duplicates(cnf, "cnf")?;
    let Some(Value::Map(key)) = entry(cnf, 1) else {
        return Err(RegistrationError::Malformed("cnf: no COSE_Key"));
    };
    if key.len() > 8 {
        return Err(RegistrationError::TooLarge("cnf: COSE_Key"));
    }
    no_duplicates(key, WHAT)?;
    let kty = entry(key, 1).map(|v| int(v, WHAT)).transpose()?;
    let crv = entry(key, -1).map(|v| int(v, WHAT)).transpose()?;
    if kty != Some(2) || crv != Some(1) {
        return Err(RegistrationError::Malformed(WHAT));
    }
    match (entry(key, -2), entry(key, -3)) {
        (Some(Value::Bytes(x)), Some(Value::Bytes(y))) => {
            VerifyingKey::from_coordinates(x, y).ok_or(RegistrationError::Malformed(WHAT))
        }
        _ => Err(RegistrationError::Malformed(WHAT)),
    }
}

fn purposes(value: &Value) -> RegistrationResult<Vec<String>> {
    let Value::Array(items) = value else {
        return Err(RegistrationError::Malformed("purposes"));
    };
    if items.is_empty() {
        return Err(RegistrationError::Malformed("purposes: none"));
    }
    if items.len() > MAX_PURPOSES {
        return Err(RegistrationError::TooLarge("purposes"));
    }
    items
        .iter()
        .map(|p| text(p, "purpose", MAX_PURPOSE))
        .collect()
}

fn scope(value: &Value) -> RegistrationResult<Vec<ScopeEntry>> {
    let Value::Map(types) = value else {
        return Err(RegistrationError::Malformed("scope"));
    };
    if types.is_empty() {
        return Err(RegistrationError::Malformed("scope: empty"));
    }
    if types.len() > MAX_SCOPE_TYPES {
        return Err(RegistrationError::TooLarge("scope: credential types"));
    }
    no_duplicates(types, "scope: a credential type twice")?;
    types
        .iter()
        .map(|(kind, claims)| {
            let Value::Array(claims) = claims else {
                return Err(RegistrationError::Malformed("scope: claim list"));
            };
            if claims.is_empty() {
                return Err(RegistrationError::Malformed("scope: no claims for a type"));
            }
            if claims.len() > MAX_SCOPE_CLAIMS {
                return Err(RegistrationError::TooLarge("scope: claims"));
            }
            Ok(ScopeEntry {
                credential_type: text(kind, "scope: credential type", MAX_SCOPE_PATH)?,
                claims: claims
                    .iter()
                    .map(|c| text(c, "scope: claim path", MAX_SCOPE_PATH))
                    .collect::<RegistrationResult<_>>()?,
            })
        })
        .collect()
}

fn country(value: &Value) -> RegistrationResult<String> {
    match value {
        Value::Text(t) if t.len() == 2 && t.bytes().all(|b| b.is_ascii_uppercase()) => {
            Ok(t.clone())
        }
        _ => Err(RegistrationError::Malformed(
            "country (ISO 3166-1 alpha-2, two capital letters)",
        )),
    }
}

/// Parses the claims of a certificate's payload, checking every field and limit (not the
/// signature, not the time).
pub fn parse_claims(payload: &[u8]) -> RegistrationResult<Registration> {
    let value: Value = ciborium::from_reader(payload)
        .map_err(|_| RegistrationError::Malformed("claims: not CBOR"))?;
    let Value::Map(claims) = value else {
        return Err(RegistrationError::Malformed("claims: not a map"));
    };
    if claims.len() > MAX_CLAIMS {
        return Err(RegistrationError::TooLarge("claims"));
    }
    no_duplicates(&claims, "claims: a claim twice")?;
    let need = |label: i64, what: &'static str| {
        entry(&claims, label).ok_or(RegistrationError::Malformed(what))
    };
    let registration = Registration {
        registrar_id: text(need(CLAIM_ISS, "no iss")?, "iss", MAX_IDENTIFIER)?,
        verifier_id: text(need(CLAIM_SUB, "no sub")?, "sub", MAX_IDENTIFIER)?,
        organisation: text(
            need(CLAIM_ORGANISATION, "no organisation")?,
            "organisation",
            MAX_ORGANISATION,
        )?,
        country: country(need(CLAIM_COUNTRY, "no country")?)?,
        purposes: purposes(need(CLAIM_PURPOSES, "no purposes")?)?,
        scope: scope(need(CLAIM_SCOPE, "no scope")?)?,
        verifier_key: cose_key(need(CLAIM_CNF, "no cnf")?)?,
        issued_at: int(need(CLAIM_IAT, "no iat")?, "iat")?,
        not_before: int(need(CLAIM_NBF, "no nbf")?, "nbf")?,
        not_after: int(need(CLAIM_EXP, "no exp")?, "exp")?,
    };
    if registration.not_after <= registration.not_before {
        return Err(RegistrationError::Malformed("exp is not after nbf"));
    }
    Ok(registration)
}

/// Reads a certificate's claims without checking its signature, registrar or time: for the
/// verifier that holds its own certificate (to check its `cnf` before signing with it), and for
/// reading the key a signed request is to be checked with. Never a trust decision: use
/// [`verify`] for that.
pub fn read_unverified(certificate: &[u8]) -> RegistrationResult<Registration> {
    let sign1 = read_sign1(certificate)?;
    let payload = sign1
        .payload
        .as_deref()
        .ok_or(RegistrationError::Malformed("no payload"))?;
    parse_claims(payload)
}

/// Whether the certificate's COSE signature verifies with `key` (high-S accepted).
fn signature_verifies(sign1: &CoseSign1, payload: &[u8], key: &VerifyingKey) -> bool {
    let tbs = sig_structure_data(
        SignatureContext::CoseSign1,
        sign1.protected.clone(),
        None,
        b"",
        payload,
    );
    key.verify_with(&tbs, &sign1.signature, HighS::Accept)
        .is_ok()
}

/// Whether `key` signed `certificate`, and nothing else: not its registrar identifier, claims
/// or validity (the holder's consent reading decides those in its own order). Never a trust
/// decision on its own: use [`verify`] for that.
pub fn is_signed_by(certificate: &[u8], key: &VerifyingKey) -> bool {
    let Ok(sign1) = read_sign1(certificate) else {
        return false;
    };
    let es256 = matches!(&sign1.protected.header.alg,
        Some(RegisteredLabelWithPrivate::Assigned(alg))
            if alg.to_i64() == coset::iana::Algorithm::ES256.to_i64());
    match sign1.payload.as_deref() {
        Some(payload) if es256 => signature_verifies(&sign1, payload, key),
        _ => false,
    }
}

/// Checks a registration certificate: its form and limits, ES256, a registrar in `trusted`
/// (by key id, and with the certificate's `iss` as its identifier), the registrar's signature,
/// then the claims and the validity at `now` (Unix seconds; a fresh certificate is accepted up
/// to [`NOT_BEFORE_SKEW_SECS`] early).
pub fn verify(
    certificate: &[u8],
    trusted: &[TrustedRegistrar],
    now: i64,
) -> RegistrationResult<VerifiedRegistration> {
    let sign1 = read_sign1(certificate)?;
    match &sign1.protected.header.alg {
        Some(RegisteredLabelWithPrivate::Assigned(alg))
            if alg.to_i64() == coset::iana::Algorithm::ES256.to_i64() => {}
        _ => return Err(RegistrationError::UnsupportedAlgorithm),
    }
    let kid = sign1.protected.header.key_id.as_slice();
    if kid.len() != REFERENCE_LEN {
        return Err(RegistrationError::Malformed("kid (8 bytes, protected)"));
    }
    let candidates: Vec<&TrustedRegistrar> = trusted
        .iter()
        .filter(|r| key_id(&r.key).as_slice() == kid)
        .collect();
    if candidates.is_empty() {
        return Err(RegistrationError::UnknownRegistrar);
    }
    let payload = sign1
        .payload
        .as_deref()
        .ok_or(RegistrationError::Malformed("no payload"))?;
    let registrar = candidates
        .into_iter()
        .find(|r| signature_verifies(&sign1, payload, &r.key))
        .ok_or(RegistrationError::BadSignature)?;
    let claims = parse_claims(payload)?;
    if claims.registrar_id != registrar.id {
        return Err(RegistrationError::UnknownRegistrar);
    }
    if now + NOT_BEFORE_SKEW_SECS < claims.not_before {
        return Err(RegistrationError::NotYetValid {
            nbf: claims.not_before,
        });
    }
    if now >= claims.not_after {
        return Err(RegistrationError::Expired {
            exp: claims.not_after,
        });
    }
    Ok(VerifiedRegistration {
        registrar_id: claims.registrar_id,
        verifier_id: claims.verifier_id,
        organisation: claims.organisation,
        country: claims.country,
        purposes: claims.purposes,
        scope: claims.scope,
        verifier_key: claims.verifier_key,
        not_before: claims.not_before,
        not_after: claims.not_after,
        reference: reference(certificate),
    })
}

/// The claims of `registration` as the CWT payload.
#[cfg(any(feature = "issue", test))]
fn encode_claims(registration: &Registration) -> RegistrationResult<Vec<u8>> {
    let texts = |items: &[String]| Value::Array(items.iter().cloned().map(Value::Text).collect());
    let cose_key = Value::Map(vec![
        (1.into(), 2.into()),
        ((-1).into(), 1.into()),
        (
            (-2).into(),
            Value::Bytes(registration.verifier_key.x().to_vec()),
        ),
        (
            (-3).into(),
            Value::Bytes(registration.verifier_key.y().to_vec()),
        ),
    ]);
    let scope = Value::Map(
        registration
            .scope
            .iter()
            .map(|s| (Value::Text(s.credential_type.clone()), texts(&s.claims)))
            .collect(),
    );
    let claims = Value::Map(vec![
        (
            CLAIM_ISS.into(),
            Value::Text(registration.registrar_id.clone()),
        ),
        (
            CLAIM_SUB.into(),
            Value::Text(registration.verifier_id.clone()),
        ),
        (CLAIM_EXP.into(), registration.not_after.into()),
        (CLAIM_NBF.into(), registration.not_before.into()),
        (CLAIM_IAT.into(), registration.issued_at.into()),
        (CLAIM_CNF.into(), Value::Map(vec![(1.into(), cose_key)])),
        (
            CLAIM_ORGANISATION.into(),
            Value::Text(registration.organisation.clone()),
        ),
        (
            CLAIM_COUNTRY.into(),
            Value::Text(registration.country.clone()),
        ),
        (CLAIM_PURPOSES.into(), texts(&registration.purposes)),
        (CLAIM_SCOPE.into(), scope),
    ]);
    let mut out = Vec::new();
    ciborium::into_writer(&claims, &mut out)
        .map_err(|_| RegistrationError::Malformed("claims encoding"))?;
    // What a holder would refuse is never made.
    parse_claims(&out)?;
    Ok(out)
}

/// Registrar: signs `registration` with `registrar_key` into a certificate (tagged COSE_Sign1,
/// ES256, `kid` the key's [`key_id`]). Refuses a registration a holder would refuse.
#[cfg(any(feature = "issue", test))]
pub fn certify(
    registration: &Registration,
    registrar_key: &laissez_crypto::ecdsa::SigningKey,
) -> RegistrationResult<Vec<u8>> {
    use coset::{CoseSign1Builder, HeaderBuilder, TaggedCborSerializable};
    use laissez_crypto::ecdsa::Es256Signer;

    let payload = encode_claims(registration)?;
    let sign1 = CoseSign1Builder::new()
        .protected(
            HeaderBuilder::new()
                .algorithm(coset::iana::Algorithm::ES256)
                .key_id(key_id(registrar_key.public_key()).to_vec())
                .build(),
        )
        .payload(payload)
        .try_create_signature(b"", |tbs| {
            registrar_key
                .sign(tbs)
                .map(|s| s.to_vec())
                .map_err(|_| RegistrationError::Malformed("signing failed"))
        })?
        .build();
    let bytes = sign1
        .to_tagged_vec()
        .map_err(|_| RegistrationError::Malformed("certificate encoding"))?;
    if bytes.len() > MAX_CERTIFICATE_BYTES {
        return Err(RegistrationError::TooLarge("certificate"));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests;
