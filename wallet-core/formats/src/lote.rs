//! ETSI TS 119 602 Lists of Trusted Entities (LoTE, JSON binding V1.1.1): an administrator
//! imports one (online) into trust anchors for the field verifiers' trust list; phones never
//! read LoTEs (feature `trust-import`).
//!
//! First form: a compact JAdES signature (a compact JWS, RFC 7515) whose payload is the
//! LoTE JSON. Checking a list of either form ([`SignedLote::verify`]):
//! 1. the signature (RS256/384/512, PS256/384/512, ES256, ES384, through `ring`) with the key
//!    of the signer certificate the administrator pins; when the header carries `x5c`, its
//!    first certificate must be that very certificate; the pinned certificate must be valid
//!    at the given time; a `crit` header is refused (no JAdES extension is understood);
//! 2. the payload against ETSI's JSON schema (vendored in `schemas/etsi-ts-119-602`, with
//!    the documented defects corrected at load time: see [`schema`]);
//! 3. `ListIssueDateTime` not in the future, `NextUpdate` not passed.
//!
//! Second form: the WE BUILD consortium's `{"LoTE": …, "signature": {"protected",
//! "signature"}}` documents (also NXD's). Their signature covers no bytes of the file but
//! `protected || "." || base64url(S)`, where S is the document without `signature` as
//! Python's `json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=True)`
//! writes it (the publishers' `jades_signer.py`). [`python_json`] writes that form of the
//! parsed document: members sorted by code point, `\uXXXX` escapes (lower-case hex, surrogate
//! pairs) for every character outside `' '..='~'` except the short escapes Python uses,
//! integers as digits. A document holding a non-integer number is refused
//! ([`LoteError::UnverifiableSignatureForm`]): Python and Rust write floats differently. What
//! is verified is the serialisation of exactly the value then read, so a serialiser
//! difference can only refuse a genuine list, never accept a forged one (ADR 0014).
//!
//! The anchors are the trusted entities' service certificates (`ServiceDigitalIdentity` /
//! `X509Certificates`), each with its entity's name and its service type.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ring::signature::{self as ring_sig, UnparsedPublicKey};
use serde_json::{Map, Value};
use x509_parser::oid_registry::{
    OID_EC_P256, OID_KEY_TYPE_EC_PUBLIC_KEY, OID_NIST_EC_P384, OID_PKCS1_RSAENCRYPTION,
};

use crate::jose::base64url;

pub mod schema;

/// The largest list accepted, in bytes (real ones are 3 to 40 KB).
pub const MAX_LOTE_LEN: usize = 4 * 1024 * 1024;
/// The most trusted entities accepted.
pub const MAX_TRUSTED_ENTITIES: usize = 2_000;
/// The most certificates taken from one list.
pub const MAX_ANCHORS: usize = 5_000;
/// Seconds `ListIssueDateTime` may lie ahead of the verifier's clock.
pub const LOTE_CLOCK_SKEW_SECS: i64 = 300;

/// Why a LoTE was refused. Messages name the problem, never list contents.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoteError {
    /// Beyond one of the limits of this module.
    #[error("LoTE too large: {0}")]
    TooLarge(&'static str),
    /// Not a compact JWS, not JSON, or a member of the wrong type.
    #[error("malformed LoTE: {0}")]
    Malformed(&'static str),
    /// The payload does not satisfy ETSI's JSON schema (first failure: where, and which
    /// schema rule).
    #[error("LoTE does not match the ETSI TS 119 602 schema at {instance_path}: {rule}")]
    Schema {
        /// JSON pointer into the payload.
        instance_path: String,
        /// The schema location that failed.
        rule: String,
    },
    /// The header names an algorithm Laissez does not verify.
    #[error(
        "unsupported LoTE signature algorithm {0} (Laissez verifies RS256/384/512, PS256/384/512, ES256, ES384)"
    )]
    UnsupportedAlgorithm(String),
    /// The header carries `crit`: a JAdES extension this verifier does not implement.
    #[error("the LoTE signature header has critical parameters Laissez does not implement")]
    UnsupportedCritical,
    /// A WE BUILD-style `signature` member document whose signed form Laissez cannot
    /// reproduce (it holds a non-integer number; see the module documentation), or whose
    /// `signature` member is not `{protected, signature}`.
    #[error("the LoTE's 'signature' member form cannot be verified: {0}")]
    UnverifiableSignatureForm(&'static str),
    /// The pinned signer certificate cannot be read, or its key is not RSA, P-256 or P-384.
    #[error("the LoTE signer certificate: {0}")]
    SignerCertificate(&'static str),
    /// The pinned signer certificate is outside its validity period at the given time.
    #[error("the LoTE signer certificate is not valid at the given time")]
    SignerNotValid,
    /// `x5c[0]` is not the pinned signer certificate.
    #[error("the LoTE is signed by another certificate than the pinned signer")]
    SignerMismatch,
    /// The signature does not verify with the pinned signer's key.
    #[error("LoTE signature does not verify with the pinned signer")]
    BadSignature,
    /// `NextUpdate` has passed: the list is stale.
    #[error("LoTE expired: its NextUpdate has passed (a newer list should exist)")]
    Expired,
    /// `ListIssueDateTime` lies in the future.
    #[error("LoTE not yet valid: its ListIssueDateTime lies in the future")]
    NotYetValid,
}

/// One service certificate of a trusted entity: a trust anchor candidate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoteAnchor {
    /// The trusted entity's name (`TEName`, English when present, else the first).
    pub entity_name: String,
    /// The service's name (`ServiceName`, English when present), if any.
    pub service_name: Option<String>,
    /// `ServiceTypeIdentifier`, if any.
    pub service_type: Option<String>,
    /// The certificate (DER).
    pub certificate: Vec<u8>,
}

/// A verified list's facts and anchors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lote {
    /// `LoTEType`.
    pub lote_type: String,
    /// `LoTESequenceNumber`.
    pub sequence: u64,
    /// `SchemeOperatorName` (English when present).
    pub scheme_operator: String,
    /// `SchemeTerritory`, if any.
    pub territory: Option<String>,
    /// `ListIssueDateTime` (Unix seconds).
    pub issued_at: i64,
    /// `NextUpdate` (Unix seconds), if any.
    pub next_update: Option<i64>,
    /// The number of trusted entities.
    pub entity_count: usize,
    /// Every service certificate, in list order.
    pub anchors: Vec<LoteAnchor>,
}

/// A parsed, not yet verified, compact-JWS LoTE.
#[derive(Debug, Clone)]
pub struct SignedLote {
    signing_input: String,
    alg: String,
    x5c_first: Option<Vec<u8>>,
    signature: Vec<u8>,
    payload: Value,
}

impl SignedLote {
    /// Parses a signed list: a compact JWS (surrounding whitespace ignored), or a JSON document
    /// with a WE BUILD `signature` member (module documentation).
    pub fn parse(bytes: &[u8]) -> Result<Self, LoteError> {
        if bytes.len() > MAX_LOTE_LEN {
            return Err(LoteError::TooLarge("file size"));
        }
        let text = std::str::from_utf8(bytes)
            .map_err(|_| LoteError::Malformed("not UTF-8 text"))?
            .trim();
        if text.starts_with('{') {
            return Self::parse_signature_member(text);
        }
        let mut parts = text.split('.');
        let (Some(header_b64), Some(payload_b64), Some(signature_b64), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(LoteError::Malformed(
                "not a compact JWS (three dot-separated parts)",
            ));
        };
        let decode = |part: &str, what: &'static str| {
            base64url::decode(part).map_err(|_| LoteError::Malformed(what))
        };
        let header = parse_header(header_b64)?;
        let payload: Value =
            serde_json::from_slice(&decode(payload_b64, "JWS payload is not base64url")?)
                .map_err(|_| LoteError::Malformed("JWS payload is not JSON"))?;
        let signature = decode(signature_b64, "JWS signature is not base64url")?;
        let (alg, x5c_first) = header_facts(&header)?;
        Ok(Self {
            signing_input: format!("{header_b64}.{payload_b64}"),
            alg,
            x5c_first,
            signature,
            payload,
        })
    }

    /// A WE BUILD `signature`-member document.
    fn parse_signature_member(text: &str) -> Result<Self, LoteError> {
        let mut doc: Map<String, Value> =
            serde_json::from_str(text).map_err(|_| LoteError::Malformed("not a JSON object"))?;
        let Some(member) = doc.remove("signature") else {
            return Err(LoteError::Malformed(
                "an unsigned JSON list (no compact JWS, no signature member)",
            ));
        };
        let (Some(protected), Some(signature_b64), 2) = (
            member.get("protected").and_then(Value::as_str),
            member.get("signature").and_then(Value::as_str),
            member.as_object().map_or(0, Map::len),
        ) else {
            return Err(LoteError::UnverifiableSignatureForm(
                "the signature member is not {protected, signature}",
            ));
        };
        let header = parse_header(protected)?;
        let (alg, x5c_first) = header_facts(&header)?;
        let signature = base64url::decode(signature_b64)
            .map_err(|_| LoteError::Malformed("the signature is not base64url"))?;
        let payload = Value::Object(doc);
        let signed = python_json(&payload)?;
        Ok(Self {
            signing_input: format!("{protected}.{}", base64url::encode(signed.as_bytes())),
            alg,
            x5c_first,
            signature,
            payload,
        })
    }

    /// The payload as parsed, before any check.
    pub fn unverified_payload(&self) -> &Value {
        &self.payload
    }

    /// The `alg` of the header.
    pub fn algorithm(&self) -> &str {
        &self.alg
    }

    /// Checks only the signature against the pinned signer certificate (DER) at `now`.
    pub fn check_signature(&self, signer_der: &[u8], now: i64) -> Result<(), LoteError> {
        if self
            .x5c_first
            .as_ref()
            .is_some_and(|first| first.as_slice() != signer_der)
        {
            return Err(LoteError::SignerMismatch);
        }
        let (key, kind, not_before, not_after) = signer_key(signer_der)?;
        if now < not_before || now > not_after {
            return Err(LoteError::SignerNotValid);
        }
        let algorithm: &dyn ring_sig::VerificationAlgorithm = match (self.alg.as_str(), kind) {
            ("RS256", KeyKind::Rsa) => &ring_sig::RSA_PKCS1_2048_8192_SHA256,
            ("RS384", KeyKind::Rsa) => &ring_sig::RSA_PKCS1_2048_8192_SHA384,
            ("RS512", KeyKind::Rsa) => &ring_sig::RSA_PKCS1_2048_8192_SHA512,
            ("PS256", KeyKind::Rsa) => &ring_sig::RSA_PSS_2048_8192_SHA256,
            ("PS384", KeyKind::Rsa) => &ring_sig::RSA_PSS_2048_8192_SHA384,
            ("PS512", KeyKind::Rsa) => &ring_sig::RSA_PSS_2048_8192_SHA512,
            ("ES256", KeyKind::P256) => &ring_sig::ECDSA_P256_SHA256_FIXED,
            ("ES384", KeyKind::P384) => &ring_sig::ECDSA_P384_SHA384_FIXED,
            ("RS256" | "RS384" | "RS512" | "PS256" | "PS384" | "PS512" | "ES256" | "ES384", _) => {
                return Err(LoteError::BadSignature);
            }
            (other, _) => {
                return Err(LoteError::UnsupportedAlgorithm(
                    other.chars().take(16).collect(),
                ));
            }
        };
        UnparsedPublicKey::new(algorithm, &key)
            .verify(self.signing_input.as_bytes(), &self.signature)
            .map_err(|_| LoteError::BadSignature)
    }

    /// Verifies the list (module documentation) with the pinned signer certificate (DER)
    /// at `now` (Unix seconds), and reads its anchors.
    pub fn verify(&self, signer_der: &[u8], now: i64) -> Result<Lote, LoteError> {
        self.check_signature(signer_der, now)?;
        schema::validate(&self.payload)?;
        let lote = read_lote(&self.payload)?;
        if lote.issued_at > now.saturating_add(LOTE_CLOCK_SKEW_SECS) {
            return Err(LoteError::NotYetValid);
        }
        if lote.next_update.is_some_and(|next| now > next) {
            return Err(LoteError::Expired);
        }
        Ok(lote)
    }
}

/// The DER of a certificate given as DER or as a PEM `CERTIFICATE` block (any key type: LoTE
/// signers are often RSA, which [`crate::x509::Certificate`] does not take).
pub fn certificate_der(bytes: &[u8]) -> Result<Vec<u8>, LoteError> {
    let der = match std::str::from_utf8(bytes) {
        Ok(text) if text.trim_start().starts_with("-----BEGIN") => {
            let block =
                pem::parse(text).map_err(|_| LoteError::SignerCertificate("not a PEM block"))?;
            if block.tag() != "CERTIFICATE" {
                return Err(LoteError::SignerCertificate(
                    "the PEM block is not a CERTIFICATE",
                ));
            }
            block.into_contents()
        }
        _ => bytes.to_vec(),
    };
    signer_key(&der)?;
    Ok(der)
}

/// The protected header: a base64url JSON object without `crit` (no JAdES extension is
/// implemented) and with `b64` absent or true.
fn parse_header(header_b64: &str) -> Result<Map<String, Value>, LoteError> {
    let bytes = base64url::decode(header_b64)
        .map_err(|_| LoteError::Malformed("JWS header is not base64url"))?;
    let header: Map<String, Value> = serde_json::from_slice(&bytes)
        .map_err(|_| LoteError::Malformed("JWS header is not a JSON object"))?;
    if header.contains_key("crit") || header.get("b64").is_some_and(|v| v != &Value::Bool(true)) {
        return Err(LoteError::UnsupportedCritical);
    }
    Ok(header)
}

/// `alg` and the DER of `x5c[0]` (if any) of a header.
fn header_facts(header: &Map<String, Value>) -> Result<(String, Option<Vec<u8>>), LoteError> {
    let alg = header
        .get("alg")
        .and_then(Value::as_str)
        .ok_or(LoteError::Malformed("JWS header has no alg"))?
        .to_owned();
    let x5c_first = match header.get("x5c") {
        None => None,
        Some(x5c) => {
            let first = x5c
                .as_array()
                .and_then(|a| a.first())
                .and_then(Value::as_str)
                .ok_or(LoteError::Malformed(
                    "x5c is not an array of base64 certificates",
                ))?;
            Some(
                STANDARD
                    .decode(first)
                    .map_err(|_| LoteError::Malformed("x5c[0] is not base64"))?,
            )
        }
    };
    Ok((alg, x5c_first))
}

/// `value` as Python's `json.dumps(value, sort_keys=True, separators=(",", ":"),
/// ensure_ascii=True)` writes it (module documentation); a non-integer number is refused.
pub fn python_json(value: &Value) -> Result<String, LoteError> {
    let mut out = String::new();
    write_python(value, &mut out)?;
    Ok(out)
}

fn write_python(value: &Value, out: &mut String) -> Result<(), LoteError> {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            if n.is_f64() {
                return Err(LoteError::UnverifiableSignatureForm(
                    "it holds a non-integer number, which Python and Laissez write differently",
                ));
            }
            out.push_str(&n.to_string());
        }
        Value::String(text) => write_python_string(text, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_python(item, out)?;
            }
            out.push(']');
        }
        Value::Object(map) => {
            // Python sorts by code point; UTF-8 byte order is the same order.
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort_unstable();
            out.push('{');
            for (i, key) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_python_string(key, out);
                out.push(':');
                if let Some(item) = map.get(key) {
                    write_python(item, out)?;
                }
            }
            out.push('}');
        }
    }
    Ok(())
}

fn write_python_string(text: &str, out: &mut String) {
    use std::fmt::Write as _;
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            ' '..='~' => out.push(c),
            _ => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    let _ = write!(out, "\\u{unit:04x}");
                }
            }
        }
    }
    out.push('"');
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KeyKind {
    Rsa,
    P256,
    P384,
}

/// The signer's public key bytes (as ring reads them), its kind and validity period.
fn signer_key(der: &[u8]) -> Result<(Vec<u8>, KeyKind, i64, i64), LoteError> {
    let (rest, cert) = x509_parser::parse_x509_certificate(der)
        .map_err(|_| LoteError::SignerCertificate("not an X.509 certificate"))?;
    if !rest.is_empty() {
        return Err(LoteError::SignerCertificate(
            "trailing bytes after the certificate",
        ));
    }
    let spki = cert.public_key();
    let kind = if spki.algorithm.algorithm == OID_PKCS1_RSAENCRYPTION {
        KeyKind::Rsa
    } else if spki.algorithm.algorithm == OID_KEY_TYPE_EC_PUBLIC_KEY {
        match spki
            .algorithm
            .parameters
            .as_ref()
            .and_then(|p| p.as_oid().ok())
        {
            Some(c) if c == OID_EC_P256 => KeyKind::P256,
            Some(c) if c == OID_NIST_EC_P384 => KeyKind::P384,
            _ => {
                return Err(LoteError::SignerCertificate(
                    "an EC key on a curve other than P-256 and P-384",
                ));
            }
        }
    } else {
        return Err(LoteError::SignerCertificate(
            "a key that is not RSA, P-256 or P-384",
        ));
    };
    let validity = cert.validity();
    Ok((
        spki.subject_public_key.data.to_vec(),
        kind,
        validity.not_before.timestamp(),
        validity.not_after.timestamp(),
    ))
}

/// The English value of a multilingual list (`[{lang, value}]`), else the first.
fn multilang(value: Option<&Value>) -> Option<String> {
    let items = value?.as_array()?;
    let pick = items
        .iter()
        .find(|i| {
            i.get("lang")
                .and_then(Value::as_str)
                .is_some_and(|l| l.eq_ignore_ascii_case("en"))
        })
        .or_else(|| items.first())?;
    pick.get("value").and_then(Value::as_str).map(str::to_owned)
}

fn date(value: Option<&Value>, what: &'static str) -> Result<Option<i64>, LoteError> {
    value
        .map(|v| {
            v.as_str()
                .and_then(|s| crate::mdoc::tdate::parse_tdate(s).ok())
                .ok_or(LoteError::Malformed(what))
        })
        .transpose()
}

/// Reads the facts and anchors of a schema-valid payload.
fn read_lote(payload: &Value) -> Result<Lote, LoteError> {
    let lote = payload
        .get("LoTE")
        .ok_or(LoteError::Malformed("no LoTE member"))?;
    let info = lote
        .get("ListAndSchemeInformation")
        .ok_or(LoteError::Malformed("no ListAndSchemeInformation"))?;
    let issued_at = date(info.get("ListIssueDateTime"), "ListIssueDateTime")?
        .ok_or(LoteError::Malformed("no ListIssueDateTime"))?;
    let next_update = date(info.get("NextUpdate"), "NextUpdate")?;
    let entities: &[Value] = match lote.get("TrustedEntitiesList") {
        None => &[],
        Some(list) => list
            .as_array()
            .ok_or(LoteError::Malformed("TrustedEntitiesList"))?,
    };
    if entities.len() > MAX_TRUSTED_ENTITIES {
        return Err(LoteError::TooLarge("trusted entity count"));
    }
    let mut anchors = Vec::new();
    for entity in entities {
        let entity_name = multilang(
            entity
                .get("TrustedEntityInformation")
                .and_then(|i| i.get("TEName")),
        )
        .ok_or(LoteError::Malformed("a trusted entity has no TEName"))?;
        let services: &[Value] = entity
            .get("TrustedEntityServices")
            .and_then(Value::as_array)
            .map_or(&[], Vec::as_slice);
        for service in services {
            let Some(si) = service.get("ServiceInformation") else {
                continue;
            };
            let certificates: &[Value] = si
                .get("ServiceDigitalIdentity")
                .and_then(|d| d.get("X509Certificates"))
                .and_then(Value::as_array)
                .map_or(&[], Vec::as_slice);
            for certificate in certificates {
                let der = certificate
                    .get("val")
                    .and_then(Value::as_str)
                    .and_then(|v| STANDARD.decode(v).ok())
                    .ok_or(LoteError::Malformed("a service certificate is not base64"))?;
                if anchors.len() >= MAX_ANCHORS {
                    return Err(LoteError::TooLarge("certificate count"));
                }
                anchors.push(LoteAnchor {
                    entity_name: entity_name.clone(),
                    service_name: multilang(si.get("ServiceName")),
                    service_type: si
                        .get("ServiceTypeIdentifier")
                        .and_then(Value::as_str)
                        .map(str::to_owned),
                    certificate: der,
                });
            }
        }
    }
    Ok(Lote {
        lote_type: info
            .get("LoTEType")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
        sequence: info
            .get("LoTESequenceNumber")
            .and_then(Value::as_u64)
            .ok_or(LoteError::Malformed("LoTESequenceNumber"))?,
        scheme_operator: multilang(info.get("SchemeOperatorName")).unwrap_or_default(),
        territory: info
            .get("SchemeTerritory")
            .and_then(Value::as_str)
            .map(str::to_owned),
        issued_at,
        next_update,
        entity_count: entities.len(),
        anchors,
    })
}
