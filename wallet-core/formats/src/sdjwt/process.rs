//! Processing an SD-JWT (RFC 9901 s7.1, plus SD-JWT VC rules): issuer signature, claim
//! reconstruction, profile and validity period. Key binding is [`super::verify`]'s job.

use serde_json::{Map, Value};

use laissez_crypto::ecdsa::VerifyingKey;
use laissez_crypto::issuer_key::IssuerKey;

use super::compact::SdJwt;
use super::error::{Part, SdJwtError, SdJwtResult};
use super::limits::DEFAULT_CLOCK_SKEW_SECS;
use super::path::ClaimPath;
use super::resolve::resolve;
use super::validity::Validity;
use super::vc::{self, Profile, StatusReference};

/// How to judge the Issuer-signed part of an SD-JWT.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Validation {
    /// The current time, Unix seconds.
    pub now: i64,
    /// Allowance for clock differences, seconds (see [`DEFAULT_CLOCK_SKEW_SECS`]).
    pub clock_skew_secs: u32,
    /// SD-JWT VC (the default) or plain SD-JWT.
    pub profile: Profile,
}

impl Validation {
    /// SD-JWT VC rules at time `now` with the default clock skew.
    pub fn sd_jwt_vc(now: i64) -> Self {
        Self {
            now,
            clock_skew_secs: DEFAULT_CLOCK_SKEW_SECS,
            profile: Profile::SdJwtVc,
        }
    }

    /// Plain SD-JWT rules at time `now` with the default clock skew.
    pub fn sd_jwt(now: i64) -> Self {
        Self {
            profile: Profile::SdJwt,
            ..Self::sd_jwt_vc(now)
        }
    }
}

/// A credential whose issuer signature and Disclosures checked out.
#[derive(Debug, Clone, PartialEq)]
pub struct ProcessedSdJwt {
    /// The Processed SD-JWT Payload: always-visible claims and the disclosed ones, with
    /// `_sd`, `_sd_alg` and digests removed (RFC 9901 s7.1). Includes `iss`, `vct`, `cnf`,
    /// `status`, `iat`… as the issuer wrote them.
    pub claims: Map<String, Value>,
    /// `vct`, the credential type (always present under [`Profile::SdJwtVc`]).
    pub vct: Option<String>,
    /// `iss`, the issuer identifier, if stated.
    pub issuer: Option<String>,
    /// `cnf.jwk`, the holder's key, if stated.
    pub holder_key: Option<VerifyingKey>,
    /// `status.status_list`, if stated.
    pub status: Option<StatusReference>,
    /// `iat` / `nbf` / `exp`.
    pub validity: Validity,
    /// Path of each disclosed claim, in the order of the Disclosures.
    pub disclosed_paths: Vec<ClaimPath>,
    /// The header `typ`.
    pub typ: Option<String>,
    /// The header `kid`, to help the caller pick issuer keys.
    pub kid: Option<String>,
    /// The header `x5c` chain (DER, signer first), for the caller to validate. Its
    /// certificates are not trusted by this module: only the keys given are.
    pub x5c: Vec<Vec<u8>>,
    /// Which of the issuer keys given verified the signature.
    pub issuer_key_index: usize,
}

/// Verifies the issuer signature under one of `issuer_keys`, rebuilds the claims, applies
/// the profile, reads `vct`/`iss`/`cnf`/`status` and checks `iat`/`nbf`/`exp` against
/// `validation.now`. A Key Binding JWT, if present, is ignored here.
///
/// Order of checks: signature first (nothing unauthenticated is interpreted further),
/// then structure and digests, then the profile, then time.
pub fn process(
    sd_jwt: &SdJwt,
    issuer_keys: &[IssuerKey],
    validation: &Validation,
) -> SdJwtResult<ProcessedSdJwt> {
    let jwt = sd_jwt.issuer_jwt();
    let issuer_key_index = jwt
        .verify_any_issuer(issuer_keys)
        .ok_or(SdJwtError::BadIssuerSignature)?;
    let payload = jwt.claims();
    let resolved = resolve(payload, sd_jwt.disclosures())?;
    let typ = jwt.header().typ();
    vc::check_profile(
        validation.profile,
        typ,
        &resolved.claims,
        &resolved.disclosure_paths,
    )?;
    let claims = resolved.claims;
    // Registered claims are read from the rebuilt claims: in plain SD-JWT, `iat` or `sub`
    // may legitimately come from a Disclosure.
    let vct = vc::string_claim(&claims, "vct", "vct is not a string")?;
    let issuer = vc::string_claim(&claims, "iss", "iss is not a string")?;
    let holder_key = vc::holder_key(&claims)?;
    let status = vc::status(&claims)?;
    let validity = Validity::from_claims(&claims, Part::IssuerJwt)?;
    validity.check(validation.now, validation.clock_skew_secs)?;
    Ok(ProcessedSdJwt {
        vct,
        issuer,
        holder_key,
        status,
        validity,
        disclosed_paths: resolved.disclosure_paths,
        typ: typ.map(str::to_owned),
        kid: jwt.header().kid().map(str::to_owned),
        x5c: jwt.header().x5c().to_vec(),
        issuer_key_index,
        claims,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sdjwt::{ClaimPath, IssueRequest, issue};
    use laissez_crypto::ecdsa::{Es256Signer, SigningKey};
    use serde_json::json;

    fn issued(issuer: &SigningKey) -> SdJwt {
        let claims = json!({"name": "x", "age": 30}).as_object().unwrap().clone();
        let mut r = IssueRequest::new("urn:t", "https://i.example", 1000, claims);
        r.expires_at = Some(5000);
        r.selectively_disclosable = vec![ClaimPath::key("name")];
        issue(&r, issuer).unwrap()
    }

    #[test]
    fn processes_and_checks_in_order() {
        let issuer = SigningKey::generate().unwrap();
        let sd = issued(&issuer);
        let keys = [issuer.verifying_key().into()];
        let p = process(&sd, &keys, &Validation::sd_jwt_vc(2000)).unwrap();
        assert_eq!(p.claims["name"], "x");
        assert_eq!(p.vct.as_deref(), Some("urn:t"));
        assert_eq!(p.issuer.as_deref(), Some("https://i.example"));
        assert_eq!(p.validity.expires_at, Some(5000));
        assert_eq!(p.disclosed_paths, vec![ClaimPath::key("name")]);
        assert!(!p.claims.contains_key("_sd") && !p.claims.contains_key("_sd_alg"));

        let stranger = SigningKey::generate().unwrap().verifying_key();
        assert_eq!(
            process(&sd, &[stranger.into()], &Validation::sd_jwt_vc(2000)).unwrap_err(),
            SdJwtError::BadIssuerSignature
        );
        assert_eq!(
            process(&sd, &[], &Validation::sd_jwt_vc(2000)).unwrap_err(),
            SdJwtError::BadIssuerSignature
        );
        assert_eq!(
            process(&sd, &keys, &Validation::sd_jwt_vc(5000)).unwrap_err(),
            SdJwtError::Expired
        );
        assert_eq!(
            process(&sd, &keys, &Validation::sd_jwt_vc(900)).unwrap_err(),
            SdJwtError::NotYetValid
        );
        assert!(process(&sd, &keys, &Validation::sd_jwt(2000)).is_ok());
    }
}
