//! A lossless compact form of presentations for the QR response, so the answer fits fewer
//! codes. Nothing signed changes: the verifier rebuilds the exact bytes before verifying.
//!
//! - Certificates the verifier already holds are left out. The request lists a short
//!   reference to each certificate on the verifier's trust list ([`cert_ref`]); the holder
//!   cuts those certificates out of the presentation (mdoc `x5chain` DER, SD-JWT `x5c`
//!   base64) and records where; the verifier puts them back byte for byte.
//! - SD-JWT parts travel as bytes, not base64url text (a quarter smaller, and the JSON
//!   inside compresses better). Only canonical base64url is converted, so re-encoding gives
//!   the original text exactly; anything else travels as it came.
//! - A Key Binding JWT made by this library for the request's nonce and audience travels as
//!   its `iat` and signature: the verifier knows the rest and rebuilds the same header and
//!   payload ([`laissez_formats::sdjwt::signed_parts`]).
//!
//! Transport forms (CBOR, inside the encrypted response):
//! `[1, sd-jwt text]`, `[2, mdoc DeviceResponse]`,
//! `[3, [part…], [elision…]]` (SD-JWT: issuer header, payload, signature, KB header,
//! payload, signature — all three empty when no KB; header empty and payload the decimal
//! `iat` when the KB is implied —, then the disclosures), and
//! `[4, DeviceResponse with elisions, [elision…]]`.
//! An elision is `[part index, offset in the shortened part, certificate ref, encoding]`,
//! encoding 0 = DER bytes, 1 = standard base64 text; elisions of a part are in order.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ciborium::Value;

pub use super::cert_ref::{CertRef, MAX_KNOWN_CERTIFICATES, cert_ref};
use super::document::ResponseDocument;
use super::error::{ExchangeError, ExchangeResult};
use laissez_formats::credential::CredentialFormat;
use laissez_formats::jose::base64url;
use laissez_formats::sdjwt::{KeyBindingRequest, signed_parts};

/// What an SD-JWT's Key Binding JWT is bound to in this exchange: lets the holder leave out
/// what the verifier can rebuild.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyBinding<'a> {
    /// The KB-JWT `nonce`.
    pub nonce: &'a str,
    /// The KB-JWT `aud`.
    pub audience: &'a str,
}

impl KeyBinding<'_> {
    /// Header and payload of the KB-JWT at `iat` over `sd_jwt_without_kb`.
    fn parts(&self, sd_jwt_without_kb: &str, iat: i64) -> Option<(Vec<u8>, Vec<u8>)> {
        let request = KeyBindingRequest {
            nonce: self.nonce.to_owned(),
            audience: self.audience.to_owned(),
            issued_at: iat,
        };
        signed_parts(sd_jwt_without_kb, &request).ok()
    }
}

/// Most elisions in one document.
const MAX_ELISIONS: usize = 16;
/// Most parts in a compact SD-JWT (6 fixed, then the disclosures).
const MAX_PARTS: usize = 6 + 256;

/// One certificate cut out of a part.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Elision {
    part: usize,
    offset: usize,
    reference: CertRef,
    base64: bool,
}

impl Elision {
    fn to_value(&self) -> Value {
        Value::Array(vec![
            Value::Integer((self.part as u64).into()),
            Value::Integer((self.offset as u64).into()),
            Value::Bytes(self.reference.to_vec()),
            Value::Integer(u64::from(self.base64).into()),
        ])
    }

    fn from_value(value: &Value) -> ExchangeResult<Self> {
        let bad = || ExchangeError::Malformed("certificate elision");
        let Value::Array(fields) = value else {
            return Err(bad());
        };
        let uint = |v: &Value| match v {
            Value::Integer(i) => {
                usize::try_from(u64::try_from(*i).map_err(|_| bad())?).map_err(|_| bad())
            }
            _ => Err(bad()),
        };
        match fields.as_slice() {
            [part, offset, Value::Bytes(reference), encoding] => Ok(Self {
                part: uint(part)?,
                offset: uint(offset)?,
                reference: CertRef::try_from(reference.as_slice()).map_err(|_| bad())?,
                base64: match uint(encoding)? {
                    0 => false,
                    1 => true,
                    _ => return Err(bad()),
                },
            }),
            _ => Err(bad()),
        }
    }
}

/// Cuts every occurrence of `needle` out of `part`, recording elisions for part `index`.
fn cut(
    part: &mut Vec<u8>,
    index: usize,
    needle: &[u8],
    reference: CertRef,
    base64: bool,
) -> Vec<Elision> {
    let mut elisions = Vec::new();
    let mut kept = Vec::with_capacity(part.len());
    let mut i = 0;
    while i < part.len() {
        if !needle.is_empty() && part[i..].starts_with(needle) {
            elisions.push(Elision {
                part: index,
                offset: kept.len(),
                reference,
                base64,
            });
            i += needle.len();
        } else {
            kept.push(part[i]);
            i += 1;
        }
    }
    *part = kept;
    elisions
}

/// DER certificates (`SEQUENCE` with a two-byte length) found anywhere in `bytes`.
fn embedded_der(bytes: &[u8]) -> Vec<&[u8]> {
    let mut found = Vec::new();
    for i in 0..bytes.len().saturating_sub(4) {
        if bytes[i] == 0x30 && bytes[i + 1] == 0x82 {
            let len = usize::from(u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]));
            if let Some(der) = bytes.get(i..i + 4 + len) {
                found.push(der);
            }
        }
    }
    found
}

/// The `x5c` certificates of a JWS header, as the base64 text written there.
fn x5c_texts(header_json: &[u8]) -> Vec<String> {
    let Ok(serde_json::Value::Object(header)) = serde_json::from_slice(header_json) else {
        return Vec::new();
    };
    match header.get("x5c") {
        Some(serde_json::Value::Array(items)) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    }
}

/// Decodes base64url `text` only if encoding the result gives `text` back.
fn canonical_bytes(text: &str) -> Option<Vec<u8>> {
    let bytes = base64url::decode(text).ok()?;
    (base64url::encode(&bytes) == text).then_some(bytes)
}

/// The SD-JWT parts as bytes: issuer JWT (3), KB-JWT (3, empty without KB), disclosures.
fn sd_jwt_parts(text: &str) -> Option<Vec<Vec<u8>>> {
    let segments: Vec<&str> = text.split('~').collect();
    let (issuer, rest) = segments.split_first()?;
    let (kb, disclosures) = rest.split_last()?;
    let jws = |jwt: &str| -> Option<Vec<Vec<u8>>> {
        let pieces: Vec<&str> = jwt.split('.').collect();
        if pieces.len() != 3 || pieces.iter().any(|p| p.is_empty()) {
            return None;
        }
        pieces.iter().map(|p| canonical_bytes(p)).collect()
    };
    let mut parts = jws(issuer)?;
    if kb.is_empty() {
        parts.extend([Vec::new(), Vec::new(), Vec::new()]);
    } else {
        parts.extend(jws(kb)?);
    }
    for disclosure in disclosures {
        if disclosure.is_empty() {
            return None;
        }
        parts.push(canonical_bytes(disclosure)?);
    }
    Some(parts)
}

fn sd_jwt_text(parts: &[Vec<u8>], binding: &KeyBinding<'_>) -> ExchangeResult<String> {
    if parts.len() < 6 || parts[..3].iter().any(Vec::is_empty) {
        return Err(ExchangeError::Malformed("compact SD-JWT parts"));
    }
    let jwt = |p: &[Vec<u8>]| {
        p.iter()
            .map(|b| base64url::encode(b))
            .collect::<Vec<_>>()
            .join(".")
    };
    let mut text = jwt(&parts[..3]);
    text.push('~');
    for disclosure in &parts[6..] {
        text.push_str(&base64url::encode(disclosure));
        text.push('~');
    }
    let (header, payload, signature) = (&parts[3], &parts[4], &parts[5]);
    if header.is_empty() && payload.is_empty() && signature.is_empty() {
        return Ok(text);
    }
    let bad = || ExchangeError::Malformed("compact SD-JWT key binding");
    if signature.is_empty() || payload.is_empty() {
        return Err(bad());
    }
    if header.is_empty() {
        // Implied: rebuilt from the request's nonce and audience and the given `iat`.
        let iat = std::str::from_utf8(payload)
            .ok()
            .filter(|t| t.len() <= 12 && t.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|t| t.parse::<i64>().ok())
            .ok_or_else(bad)?;
        let (header, payload) = binding.parts(&text, iat).ok_or_else(bad)?;
        text.push_str(&jwt(&[header, payload, signature.clone()]));
    } else {
        text.push_str(&jwt(&parts[3..6]));
    }
    Ok(text)
}

fn format_code(format: CredentialFormat) -> u64 {
    match format {
        CredentialFormat::SdJwt => 1,
        CredentialFormat::Mdoc => 2,
    }
}

fn elisions_value(elisions: &[Elision]) -> Value {
    Value::Array(elisions.iter().map(Elision::to_value).collect())
}

/// Leaves out the KB-JWT header and payload when `binding` rebuilds them exactly.
fn imply_key_binding(text: &str, parts: &mut [Vec<u8>], binding: &KeyBinding<'_>) {
    let Some(cut) = text.rfind('~') else {
        return;
    };
    let without_kb = &text[..=cut];
    let iat = serde_json::from_slice::<serde_json::Value>(&parts[4])
        .ok()
        .and_then(|claims| claims.get("iat").and_then(serde_json::Value::as_i64));
    let Some(iat) = iat.filter(|iat| *iat >= 0) else {
        return;
    };
    if binding.parts(without_kb, iat) == Some((parts[3].clone(), parts[4].clone())) {
        parts[3] = Vec::new();
        parts[4] = iat.to_string().into_bytes();
    }
}

/// Holder: the transport form of `document`, leaving out the certificates in `known` and
/// what `binding` lets the verifier rebuild.
pub fn compact(document: &ResponseDocument, known: &[CertRef], binding: &KeyBinding<'_>) -> Value {
    let plain = || {
        Value::Array(vec![
            Value::Integer(format_code(document.format).into()),
            Value::Bytes(document.bytes.clone()),
        ])
    };
    match document.format {
        CredentialFormat::SdJwt => {
            let Some(text) = std::str::from_utf8(&document.bytes).ok().map(str::trim) else {
                return plain();
            };
            let Some(mut parts) = sd_jwt_parts(text) else {
                return plain();
            };
            if !parts[5].is_empty() {
                imply_key_binding(text, &mut parts, binding);
            }
            let mut elisions = Vec::new();
            for text in x5c_texts(&parts[0]) {
                let Ok(der) = STANDARD.decode(&text) else {
                    continue;
                };
                let reference = cert_ref(&der);
                if known.contains(&reference) && elisions.len() < MAX_ELISIONS {
                    elisions.extend(cut(&mut parts[0], 0, text.as_bytes(), reference, true));
                }
            }
            Value::Array(vec![
                Value::Integer(3.into()),
                Value::Array(parts.into_iter().map(Value::Bytes).collect()),
                elisions_value(&elisions),
            ])
        }
        CredentialFormat::Mdoc => {
            // The document signer's certificate: the first known one found. (Every copy
            // of it is cut; cutting a second, different certificate would shift offsets.)
            let Some(der) = embedded_der(&document.bytes)
                .into_iter()
                .find(|der| known.contains(&cert_ref(der)))
            else {
                return plain();
            };
            let mut bytes = document.bytes.clone();
            let mut elisions = cut(&mut bytes, 0, der, cert_ref(der), false);
            elisions.truncate(MAX_ELISIONS);
            if elisions.len() == MAX_ELISIONS {
                return plain();
            }
            Value::Array(vec![
                Value::Integer(4.into()),
                Value::Bytes(bytes),
                elisions_value(&elisions),
            ])
        }
    }
}

/// Puts the elided certificates back into `part`.
fn restore(
    part: &[u8],
    elisions: &[&Elision],
    certificates: &[(CertRef, Vec<u8>)],
) -> ExchangeResult<Vec<u8>> {
    let mut out = Vec::with_capacity(part.len() + elisions.len() * 512);
    let mut at = 0;
    for elision in elisions {
        if elision.offset < at || elision.offset > part.len() {
            return Err(ExchangeError::Malformed("certificate elision offset"));
        }
        let der = certificates
            .iter()
            .find(|(r, _)| *r == elision.reference)
            .map(|(_, der)| der)
            .ok_or(ExchangeError::UnknownCertificate)?;
        out.extend_from_slice(&part[at..elision.offset]);
        if elision.base64 {
            out.extend_from_slice(STANDARD.encode(der).as_bytes());
        } else {
            out.extend_from_slice(der);
        }
        at = elision.offset;
    }
    out.extend_from_slice(&part[at..]);
    Ok(out)
}

/// Verifier: the presentation `value` stands for, with certificates put back from
/// `certificates` (the DER of every certificate on its trust list) and an implied Key
/// Binding JWT rebuilt with `binding`.
pub fn expand(
    value: &Value,
    certificates: &[Vec<u8>],
    binding: &KeyBinding<'_>,
) -> ExchangeResult<ResponseDocument> {
    let bad = |what| ExchangeError::Malformed(what);
    let Value::Array(fields) = value else {
        return Err(bad("document"));
    };
    let code = match fields.first() {
        Some(Value::Integer(code)) => u64::try_from(*code).map_err(|_| bad("document format"))?,
        _ => return Err(bad("document format")),
    };
    let elisions = |v: Option<&Value>| -> ExchangeResult<Vec<Elision>> {
        let Some(Value::Array(items)) = v else {
            return Err(bad("certificate elisions"));
        };
        if items.len() > MAX_ELISIONS {
            return Err(ExchangeError::TooLarge("certificate elisions"));
        }
        items.iter().map(Elision::from_value).collect()
    };
    let known: Vec<(CertRef, Vec<u8>)> = certificates
        .iter()
        .map(|der| (cert_ref(der), der.clone()))
        .collect();
    match (code, fields.get(1)) {
        (1, Some(Value::Bytes(bytes))) | (2, Some(Value::Bytes(bytes))) if fields.len() == 2 => {
            Ok(ResponseDocument {
                format: if code == 1 {
                    CredentialFormat::SdJwt
                } else {
                    CredentialFormat::Mdoc
                },
                bytes: bytes.clone(),
            })
        }
        (3, Some(Value::Array(items))) if fields.len() == 3 => {
            if items.len() < 6 || items.len() > MAX_PARTS {
                return Err(bad("compact SD-JWT parts"));
            }
            let elisions = elisions(fields.get(2))?;
            let mut parts = Vec::with_capacity(items.len());
            for (index, item) in items.iter().enumerate() {
                let Value::Bytes(part) = item else {
                    return Err(bad("compact SD-JWT part"));
                };
                let here: Vec<&Elision> = elisions.iter().filter(|e| e.part == index).collect();
                parts.push(restore(part, &here, &known)?);
            }
            if elisions.iter().any(|e| e.part >= items.len()) {
                return Err(bad("certificate elision part"));
            }
            Ok(ResponseDocument {
                format: CredentialFormat::SdJwt,
                bytes: sd_jwt_text(&parts, binding)?.into_bytes(),
            })
        }
        (4, Some(Value::Bytes(bytes))) if fields.len() == 3 => {
            let elisions = elisions(fields.get(2))?;
            if elisions.iter().any(|e| e.part != 0) {
                return Err(bad("certificate elision part"));
            }
            let here: Vec<&Elision> = elisions.iter().collect();
            Ok(ResponseDocument {
                format: CredentialFormat::Mdoc,
                bytes: restore(bytes, &here, &known)?,
            })
        }
        _ => Err(bad("document")),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn der(seed: u8) -> Vec<u8> {
        // A stand-in SEQUENCE with a two-byte length, as certificates are.
        let mut der = vec![0x30, 0x82, 0x01, 0x00];
        der.extend((0..=255u8).map(|i| i.wrapping_mul(seed)));
        der
    }

    fn sd_jwt(cert: &[u8]) -> String {
        let header = format!(
            r#"{{"alg":"ES256","typ":"dc+sd-jwt","x5c":["{}"]}}"#,
            STANDARD.encode(cert)
        );
        format!(
            "{}.{}.{}~{}~{}~{}.{}.{}",
            base64url::encode(header.as_bytes()),
            base64url::encode(br#"{"_sd":["abc"],"iss":"x"}"#),
            base64url::encode(&[7; 64]),
            base64url::encode(br#"["salt","given_name","Amina"]"#),
            base64url::encode(br#"["salt2","family_name","Yusuf"]"#),
            base64url::encode(br#"{"alg":"ES256","typ":"kb+jwt"}"#),
            base64url::encode(br#"{"nonce":"n"}"#),
            base64url::encode(&[9; 64]),
        )
    }

    const BINDING: KeyBinding<'static> = KeyBinding {
        nonce: "n-1",
        audience: "urn:laissez:verifier:test",
    };

    fn size(value: &Value) -> usize {
        let mut out = Vec::new();
        ciborium::into_writer(value, &mut out).unwrap();
        out.len()
    }

    #[test]
    fn sd_jwt_round_trips_with_and_without_a_known_certificate() {
        let cert = der(3);
        let document = ResponseDocument {
            format: CredentialFormat::SdJwt,
            bytes: sd_jwt(&cert).into_bytes(),
        };
        let full = compact(&document, &[], &BINDING);
        assert_eq!(expand(&full, &[], &BINDING).unwrap(), document);
        let short = compact(&document, &[cert_ref(&cert)], &BINDING);
        assert!(
            size(&short) + 300 < size(&full),
            "the certificate is left out"
        );
        assert_eq!(
            expand(&short, &[der(5), cert.clone()], &BINDING).unwrap(),
            document
        );
        assert!(matches!(
            expand(&short, &[der(5)], &BINDING),
            Err(ExchangeError::UnknownCertificate)
        ));
        // Bytes are a quarter smaller than base64url text.
        assert!(size(&full) < document.bytes.len());
    }

    #[test]
    fn a_key_binding_jwt_for_the_request_travels_as_its_time_and_signature() {
        let cert = der(3);
        let text = sd_jwt(&cert);
        let without_kb = &text[..=text.rfind('~').unwrap()];
        let (header, payload) = BINDING.parts(without_kb, 1_790_000_123).unwrap();
        let implied = format!(
            "{without_kb}{}.{}.{}",
            base64url::encode(&header),
            base64url::encode(&payload),
            base64url::encode(&[5; 64])
        );
        let document = ResponseDocument {
            format: CredentialFormat::SdJwt,
            bytes: implied.into_bytes(),
        };
        let short = compact(&document, &[], &BINDING);
        let Value::Array(fields) = &short else {
            panic!("not an array")
        };
        let Value::Array(parts) = &fields[1] else {
            panic!("no parts")
        };
        assert_eq!(parts[3], Value::Bytes(vec![]));
        assert_eq!(parts[4], Value::Bytes(b"1790000123".to_vec()));
        assert_eq!(expand(&short, &[], &BINDING).unwrap(), document);
        // Rebuilt for another audience, the bytes differ (and the signature will not verify).
        let other = KeyBinding {
            nonce: "n-1",
            audience: "urn:laissez:verifier:other",
        };
        assert_ne!(expand(&short, &[], &other).unwrap(), document);
        // A KB-JWT for another nonce is sent whole.
        let whole = compact(&document, &[], &other);
        assert_eq!(expand(&whole, &[], &BINDING).unwrap(), document);
    }

    #[test]
    fn non_canonical_or_odd_sd_jwt_travels_as_text() {
        for text in ["not an sd-jwt", "a.b~", "eyJ.e30.c2lnA~x~", "abc.def.ghi~~"] {
            let document = ResponseDocument {
                format: CredentialFormat::SdJwt,
                bytes: text.as_bytes().to_vec(),
            };
            let value = compact(&document, &[], &BINDING);
            assert!(matches!(&value, Value::Array(f) if f.len() == 2), "{text}");
            assert_eq!(expand(&value, &[], &BINDING).unwrap(), document);
        }
    }

    #[test]
    fn mdoc_certificates_are_cut_and_restored_byte_for_byte() {
        let cert = der(7);
        let mut bytes = vec![0xa3, 0x01, 0x59, 0x01, 0x04];
        bytes.extend(&cert);
        bytes.extend([0x02, 0x03]);
        let document = ResponseDocument {
            format: CredentialFormat::Mdoc,
            bytes,
        };
        let short = compact(&document, &[cert_ref(&cert)], &BINDING);
        assert!(size(&short) < 40);
        assert_eq!(expand(&short, &[cert], &BINDING).unwrap(), document);
        assert_eq!(
            expand(&compact(&document, &[], &BINDING), &[], &BINDING).unwrap(),
            document,
            "nothing known: sent whole"
        );
    }

    #[test]
    fn malformed_transport_forms_are_refused() {
        let cert = der(3);
        for value in [
            Value::Null,
            Value::Array(vec![]),
            Value::Array(vec![Value::Integer(9.into()), Value::Bytes(vec![])]),
            Value::Array(vec![
                Value::Integer(4.into()),
                Value::Bytes(vec![1, 2]),
                Value::Array(vec![
                    Elision {
                        part: 0,
                        offset: 99,
                        reference: cert_ref(&cert),
                        base64: false,
                    }
                    .to_value(),
                ]),
            ]),
            Value::Array(vec![
                Value::Integer(3.into()),
                Value::Array(vec![Value::Bytes(vec![1]); 5]),
                Value::Array(vec![]),
            ]),
        ] {
            assert!(
                expand(&value, std::slice::from_ref(&cert), &BINDING).is_err(),
                "{value:?}"
            );
        }
    }
}
