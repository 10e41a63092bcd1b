//! Verifying a presentation (RFC 9901 s7.3): the issuer part through [`process`], then
//! key binding.

use laissez_crypto::ecdsa::{HighS, VerifyingKey};
use laissez_crypto::issuer_key::IssuerKey;

use super::compact::SdJwt;
use super::error::{SdJwtError, SdJwtResult};
use super::key_binding::{self, KeyBindingExpectations};
use super::limits::DEFAULT_MAX_KEY_BINDING_AGE_SECS;
use super::process::{ProcessedSdJwt, Validation, process};

/// What a verifier expects of a presentation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyOptions {
    /// Time, clock skew and profile for the issuer part.
    pub validation: Validation,
    /// The nonce the verifier gave the holder.
    pub expected_nonce: String,
    /// The verifier's identifier, expected as the Key Binding JWT's `aud`.
    pub expected_audience: String,
    /// Largest accepted age of the Key Binding JWT, seconds
    /// ([`DEFAULT_MAX_KEY_BINDING_AGE_SECS`] by default).
    pub max_key_binding_age_secs: u32,
    /// Whether a presentation without a Key Binding JWT is refused (true by default).
    /// A Key Binding JWT that is present is always checked.
    pub require_key_binding: bool,
    /// The holder's (Key Binding JWT) high-S signatures: refused by default, since a replay
    /// cache keys on them; [`HighS::Accept`] for presentations from other wallets, which
    /// may not normalise `s`. The issuer's signature accepts both forms (the Key Binding JWT's
    /// `sd_hash` covers its exact bytes).
    pub holder_high_s: HighS,
}

impl VerifyOptions {
    /// SD-JWT VC rules, key binding required, default clock skew and age.
    pub fn new(
        expected_nonce: impl Into<String>,
        expected_audience: impl Into<String>,
        now: i64,
    ) -> Self {
        Self {
            validation: Validation::sd_jwt_vc(now),
            expected_nonce: expected_nonce.into(),
            expected_audience: expected_audience.into(),
            max_key_binding_age_secs: DEFAULT_MAX_KEY_BINDING_AGE_SECS,
            require_key_binding: true,
            holder_high_s: HighS::Refuse,
        }
    }
}

/// The key binding a presentation carried, once checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedKeyBinding {
    /// The Key Binding JWT's `iat`.
    pub issued_at: i64,
    /// The key that signed it (the credential's `cnf.jwk`).
    pub holder_key: VerifyingKey,
}

/// A presentation that passed every check.
#[derive(Debug, Clone, PartialEq)]
pub struct VerifiedPresentation {
    /// The credential with only the disclosed claims.
    pub credential: ProcessedSdJwt,
    /// The checked key binding; `None` only when it was not required and absent.
    pub key_binding: Option<VerifiedKeyBinding>,
}

/// Verifies a compact presentation `<Issuer-signed JWT>~<D1>~…~<DN>~<KB-JWT>` against
/// trusted `issuer_keys`.
///
/// Checks, in order: sizes and structure; the issuer signature; digests and
/// Disclosures; the SD-JWT VC profile; `iat`/`nbf`/`exp`; then the Key Binding JWT (present
/// or required): `typ: kb+jwt`, signature under `cnf.jwk`, `sd_hash`, `nonce`, `aud`, and
/// `iat` within `max_key_binding_age_secs` (plus clock skew) of `now`.
pub fn verify_presentation(
    presentation: &str,
    issuer_keys: &[IssuerKey],
    options: &VerifyOptions,
) -> SdJwtResult<VerifiedPresentation> {
    let sd_jwt = SdJwt::parse(presentation)?;
    verify_parsed(&sd_jwt, &sd_jwt.without_key_binding(), issuer_keys, options)
}

/// [`verify_presentation`] on a parsed SD-JWT, with the `sd_hash` input given (it differs
/// from the compact form only for the JSON serialisation's extra signatures).
pub(crate) fn verify_parsed(
    sd_jwt: &SdJwt,
    sd_hash_input: &str,
    issuer_keys: &[IssuerKey],
    options: &VerifyOptions,
) -> SdJwtResult<VerifiedPresentation> {
    let credential = process(sd_jwt, issuer_keys, &options.validation)?;
    let Some(kb) = sd_jwt.key_binding_jwt() else {
        if options.require_key_binding {
            return Err(SdJwtError::MissingKeyBinding);
        }
        return Ok(VerifiedPresentation {
            credential,
            key_binding: None,
        });
    };
    let holder_key = credential
        .holder_key
        .clone()
        .ok_or(SdJwtError::MissingHolderKey)?;
    let issued_at = key_binding::verify(
        kb,
        &holder_key,
        sd_hash_input,
        &KeyBindingExpectations {
            nonce: &options.expected_nonce,
            audience: &options.expected_audience,
            now: options.validation.now,
            max_age_secs: options.max_key_binding_age_secs,
            clock_skew_secs: options.validation.clock_skew_secs,
            high_s: options.holder_high_s,
        },
    )?;
    Ok(VerifiedPresentation {
        credential,
        key_binding: Some(VerifiedKeyBinding {
            issued_at,
            holder_key,
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sdjwt::{
        ClaimPath, IssueRequest, KeyBindingRequest, import_issued, issue, present,
        present_without_key_binding,
    };
    use laissez_crypto::ecdsa::{Es256Signer, SigningKey};
    use serde_json::json;

    #[test]
    fn key_binding_required_by_default_and_checked_when_present() {
        let issuer = SigningKey::generate().unwrap();
        let holder = SigningKey::generate().unwrap();
        let claims = json!({"name": "x"}).as_object().unwrap().clone();
        let mut r = IssueRequest::new("urn:t", "https://i.example", 1000, claims);
        r.holder_key = Some(holder.verifying_key());
        r.selectively_disclosable = vec![ClaimPath::key("name")];
        let text = issue(&r, &issuer).unwrap().to_compact();
        let keys = [issuer.verifying_key().into()];
        let (sd, _) = import_issued(&text, &keys, &Validation::sd_jwt_vc(1000)).unwrap();

        let request = KeyBindingRequest {
            nonce: "n".into(),
            audience: "a".into(),
            issued_at: 1000,
        };
        let bound = present(&sd, &[ClaimPath::key("name")], &request, &holder).unwrap();
        let mut options = VerifyOptions::new("n", "a", 1000);
        let ok = verify_presentation(&bound, &keys, &options).unwrap();
        assert_eq!(ok.credential.claims["name"], "x");
        assert_eq!(ok.key_binding.unwrap().issued_at, 1000);

        let unbound = present_without_key_binding(&sd, &[]).unwrap();
        assert_eq!(
            verify_presentation(&unbound, &keys, &options).unwrap_err(),
            SdJwtError::MissingKeyBinding
        );
        options.require_key_binding = false;
        assert!(verify_presentation(&unbound, &keys, &options).is_ok());
        // Not required, but present and wrong: still refused.
        options.expected_nonce = "other".into();
        assert_eq!(
            verify_presentation(&bound, &keys, &options).unwrap_err(),
            SdJwtError::NonceMismatch
        );
    }
}
