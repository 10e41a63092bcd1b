//! Key Binding JWTs (RFC 9901 s4.3): made by the holder over a presentation, checked by
//! the verifier against the credential's `cnf` key.

use serde_json::{Map, Value};

use crate::jose::{JwsHeader, SignedJwt};
use laissez_crypto::ecdsa::{Es256Signer, HighS, SignatureError, VerifyingKey};
use laissez_crypto::issuer_key::SignatureAlgorithm;

use super::digest::sha256_base64url;
use super::error::{Part, SdJwtError, SdJwtResult};
use super::validity::numeric_date;
use super::vc::TYP_KEY_BINDING;

/// What the holder binds a presentation to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyBindingRequest {
    /// The verifier's nonce.
    pub nonce: String,
    /// The verifier (`aud`).
    pub audience: String,
    /// The time of the presentation, Unix seconds (`iat`).
    pub issued_at: i64,
}

/// What the verifier's expectations were matched against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct KeyBindingExpectations<'a> {
    /// The nonce the verifier issued.
    pub nonce: &'a str,
    /// The verifier's own identifier.
    pub audience: &'a str,
    /// The current time, Unix seconds.
    pub now: i64,
    /// Largest accepted age of the Key Binding JWT, seconds.
    pub max_age_secs: u32,
    /// Allowance for clock differences, seconds.
    pub clock_skew_secs: u32,
    /// Whether the holder's high-S signature is refused.
    pub high_s: HighS,
}

/// The `sd_hash` of a presentation: base64url(SHA-256) over
/// `<Issuer-signed JWT>~<D1>~…~<DN>~`.
pub fn sd_hash(sd_jwt_without_key_binding: &str) -> String {
    sha256_base64url(sd_jwt_without_key_binding.as_bytes())
}

fn claims(sd_jwt_without_key_binding: &str, request: &KeyBindingRequest) -> Map<String, Value> {
    let mut claims = Map::new();
    claims.insert("iat".into(), Value::from(request.issued_at));
    claims.insert("aud".into(), Value::String(request.audience.clone()));
    claims.insert("nonce".into(), Value::String(request.nonce.clone()));
    claims.insert(
        "sd_hash".into(),
        Value::String(sd_hash(sd_jwt_without_key_binding)),
    );
    claims
}

fn header() -> JwsHeader {
    JwsHeader::es256().with_typ(TYP_KEY_BINDING)
}

/// The exact header and payload JSON of the Key Binding JWT [`create`] signs for `request`:
/// a verifier that knows the nonce, audience and time can rebuild them instead of receiving
/// them (the compact QR transport).
pub fn signed_parts(
    sd_jwt_without_key_binding: &str,
    request: &KeyBindingRequest,
) -> SdJwtResult<(Vec<u8>, Vec<u8>)> {
    let malformed = || SdJwtError::malformed(Part::KeyBindingJwt, "does not serialise");
    let header = serde_json::to_vec(&header().to_json()).map_err(|_| malformed())?;
    let payload = serde_json::to_vec(&claims(sd_jwt_without_key_binding, request))
        .map_err(|_| malformed())?;
    Ok((header, payload))
}

/// Signs a Key Binding JWT (`typ: kb+jwt`, `alg: ES256`) with `nonce`, `aud`, `iat` and
/// `sd_hash` over `sd_jwt_without_key_binding`.
pub(crate) fn create(
    sd_jwt_without_key_binding: &str,
    request: &KeyBindingRequest,
    holder: &dyn Es256Signer,
) -> SdJwtResult<SignedJwt> {
    SignedJwt::sign(
        &header(),
        &claims(sd_jwt_without_key_binding, request),
        holder,
    )
    .map_err(|e| SdJwtError::from_jose(Part::KeyBindingJwt, e))
}

/// Checks a Key Binding JWT: `typ`, signature under `holder_key`, `sd_hash`, `nonce`,
/// `aud` and the `iat` window. Returns the `iat`.
pub(crate) fn verify(
    kb: &SignedJwt,
    holder_key: &VerifyingKey,
    sd_jwt_without_key_binding: &str,
    expected: &KeyBindingExpectations<'_>,
) -> SdJwtResult<i64> {
    if kb.header().typ() != Some(TYP_KEY_BINDING) {
        return Err(SdJwtError::WrongType {
            part: Part::KeyBindingJwt,
        });
    }
    // Holder keys are P-256: a Key Binding JWT is ES256, whatever issuers may use.
    let alg = kb.header().alg();
    if alg != SignatureAlgorithm::Es256 {
        return Err(SdJwtError::UnsupportedAlgorithm {
            part: Part::KeyBindingJwt,
            alg: alg.jose_name().to_owned(),
        });
    }
    kb.verify(holder_key, expected.high_s)
        .map_err(|e| match e {
            SignatureError::HighS => SdJwtError::NonCanonicalSignature {
                part: Part::KeyBindingJwt,
            },
            SignatureError::WrongLength
            | SignatureError::Mismatch
            | SignatureError::AlgorithmMismatch => SdJwtError::BadKeyBindingSignature,
        })?;
    let claims = kb.claims();
    let text = |name: &str, problem: &'static str| {
        claims
            .get(name)
            .and_then(Value::as_str)
            .ok_or(SdJwtError::malformed(Part::KeyBindingJwt, problem))
    };
    let hash = text("sd_hash", "sd_hash missing or not a string")?;
    if hash != sd_hash(sd_jwt_without_key_binding) {
        return Err(SdJwtError::SdHashMismatch);
    }
    if text("nonce", "nonce missing or not a string")? != expected.nonce {
        return Err(SdJwtError::NonceMismatch);
    }
    if !audience_matches(claims.get("aud"), expected.audience)? {
        return Err(SdJwtError::AudienceMismatch);
    }
    let iat = numeric_date(claims, "iat", Part::KeyBindingJwt)?
        .ok_or(SdJwtError::malformed(Part::KeyBindingJwt, "iat missing"))?;
    let skew = i64::from(expected.clock_skew_secs);
    if iat > expected.now.saturating_add(skew) {
        return Err(SdJwtError::KeyBindingInFuture);
    }
    let oldest = expected
        .now
        .saturating_sub(i64::from(expected.max_age_secs))
        .saturating_sub(skew);
    if iat < oldest {
        return Err(SdJwtError::KeyBindingTooOld);
    }
    Ok(iat)
}

/// `aud` is a string, or (RFC 7519 s4.1.3) an array of strings that must contain the
/// expected audience.
fn audience_matches(aud: Option<&Value>, expected: &str) -> SdJwtResult<bool> {
    let bad = || SdJwtError::malformed(Part::KeyBindingJwt, "aud missing or not a string");
    match aud {
        Some(Value::String(aud)) => Ok(aud == expected),
        Some(Value::Array(items)) if !items.is_empty() => {
            let mut found = false;
            for item in items {
                found |= item.as_str().ok_or_else(bad)? == expected;
            }
            Ok(found)
        }
        _ => Err(bad()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use laissez_crypto::ecdsa::SigningKey;
    use serde_json::json;

    const BASE: &str = "header.payload.signature~disclosure~";

    fn request() -> KeyBindingRequest {
        KeyBindingRequest {
            nonce: "n-1".into(),
            audience: "https://verifier.example".into(),
            issued_at: 1_000,
        }
    }

    fn expectations(now: i64) -> KeyBindingExpectations<'static> {
        KeyBindingExpectations {
            nonce: "n-1",
            audience: "https://verifier.example",
            now,
            max_age_secs: 300,
            clock_skew_secs: 60,
            high_s: HighS::Refuse,
        }
    }

    #[test]
    fn spec_sd_hash() {
        // RFC 9901 s5.2 (draft-22): sd_hash of the example presentation.
        let Some(path) = laissez_test_support::shared_data(
            "vectors/sd-jwt/sd-jwt-draft22/s5-presentation_kb.txt",
        ) else {
            return;
        };
        let text = std::fs::read_to_string(path).unwrap();
        let (without, _) = text.trim_end().rsplit_once('~').unwrap();
        assert_eq!(
            sd_hash(&format!("{without}~")),
            "G3I8z-cFMATAK2ep8MXWk-vnjI3X6-aahYeU9Tvzz3E"
        );
    }

    #[test]
    fn signed_parts_are_what_create_signs() {
        let holder = laissez_crypto::ecdsa::SigningKey::generate().unwrap();
        let kb = create(BASE, &request(), &holder).unwrap();
        let (header, payload) = signed_parts(BASE, &request()).unwrap();
        let pieces: Vec<&str> = kb.as_str().split('.').collect();
        assert_eq!(crate::jose::base64url::decode(pieces[0]).unwrap(), header);
        assert_eq!(crate::jose::base64url::decode(pieces[1]).unwrap(), payload);
    }

    #[test]
    fn create_and_verify() {
        let holder = SigningKey::generate().unwrap();
        let kb = create(BASE, &request(), &holder).unwrap();
        assert_eq!(kb.header().typ(), Some("kb+jwt"));
        assert_eq!(
            verify(&kb, holder.public_key(), BASE, &expectations(1_000)),
            Ok(1_000)
        );
        // Window edges.
        assert!(verify(&kb, holder.public_key(), BASE, &expectations(1_360)).is_ok());
        assert_eq!(
            verify(&kb, holder.public_key(), BASE, &expectations(1_361)),
            Err(SdJwtError::KeyBindingTooOld)
        );
        assert!(verify(&kb, holder.public_key(), BASE, &expectations(940)).is_ok());
        assert_eq!(
            verify(&kb, holder.public_key(), BASE, &expectations(939)),
            Err(SdJwtError::KeyBindingInFuture)
        );
    }

    #[test]
    fn every_mismatch() {
        let holder = SigningKey::generate().unwrap();
        let kb = create(BASE, &request(), &holder).unwrap();
        let other = SigningKey::generate().unwrap();
        assert_eq!(
            verify(&kb, other.public_key(), BASE, &expectations(1_000)),
            Err(SdJwtError::BadKeyBindingSignature)
        );
        assert_eq!(
            verify(&kb, holder.public_key(), "other~", &expectations(1_000)),
            Err(SdJwtError::SdHashMismatch)
        );
        let mut e = expectations(1_000);
        e.nonce = "n-2";
        assert_eq!(
            verify(&kb, holder.public_key(), BASE, &e),
            Err(SdJwtError::NonceMismatch)
        );
        let mut e = expectations(1_000);
        e.audience = "https://evil.example";
        assert_eq!(
            verify(&kb, holder.public_key(), BASE, &e),
            Err(SdJwtError::AudienceMismatch)
        );
        let wrong_typ =
            SignedJwt::sign(&JwsHeader::es256().with_typ("JWT"), kb.claims(), &holder).unwrap();
        assert_eq!(
            verify(&wrong_typ, holder.public_key(), BASE, &expectations(1_000)),
            Err(SdJwtError::WrongType {
                part: Part::KeyBindingJwt
            })
        );
    }

    #[test]
    fn claim_shapes() {
        let holder = SigningKey::generate().unwrap();
        let sign = |claims: Value| {
            SignedJwt::sign(
                &JwsHeader::es256().with_typ("kb+jwt"),
                claims.as_object().unwrap(),
                &holder,
            )
            .unwrap()
        };
        let hash = sd_hash(BASE);
        let ok = sign(
            json!({"nonce": "n-1", "aud": ["a", "https://verifier.example"], "iat": 1000, "sd_hash": hash}),
        );
        assert!(verify(&ok, holder.public_key(), BASE, &expectations(1_000)).is_ok());
        for bad in [
            json!({"nonce": "n-1", "aud": "https://verifier.example", "iat": 1000}),
            json!({"nonce": 1, "aud": "https://verifier.example", "iat": 1000, "sd_hash": hash}),
            json!({"nonce": "n-1", "aud": [], "iat": 1000, "sd_hash": hash}),
            json!({"nonce": "n-1", "aud": [1], "iat": 1000, "sd_hash": hash}),
            json!({"nonce": "n-1", "aud": "https://verifier.example", "sd_hash": hash}),
            json!({"nonce": "n-1", "aud": "https://verifier.example", "iat": "1000", "sd_hash": hash}),
        ] {
            assert!(
                matches!(
                    verify(
                        &sign(bad.clone()),
                        holder.public_key(),
                        BASE,
                        &expectations(1_000)
                    ),
                    Err(SdJwtError::Malformed {
                        part: Part::KeyBindingJwt,
                        ..
                    })
                ),
                "{bad}"
            );
        }
    }
}
