//! Key proof JWTs (OpenID4VCI 1.0 s8.2.1.1 and appendix F.1): the holder proves possession of
//! each key of the batch by signing the issuer's identifier and a fresh `c_nonce`.
//!
//! Header `{"alg":"ES256","typ":"openid4vci-proof+jwt","jwk":{…}}`, claims `aud` (the
//! credential issuer identifier), `iat` and `nonce`. Only `jwk` keys are used (no `kid`, no
//! `x5c`, no key attestations): the holder's keys are the wallet's own derived keys.

use serde_json::{Map, Value, json};

use super::PROOF_TYP;
use laissez_crypto::ecdsa::{Es256Signer, HighS, VerifyingKey};
use laissez_formats::jose::{P256Jwk, SignedJwt, base64url, json as strict_json};

/// How far a proof's `iat` may lie in the past, seconds.
pub const MAX_PROOF_AGE: i64 = 300;
/// How far a proof's `iat` may lie in the future (clock skew), seconds.
pub const MAX_CLOCK_SKEW: i64 = 60;

/// Signs a key proof for `signer`'s key, for `issuer` and `nonce`, at `now`.
pub fn sign_proof(signer: &dyn Es256Signer, issuer: &str, nonce: &str, now: i64) -> Option<String> {
    let header = json!({
        "alg": "ES256",
        "typ": PROOF_TYP,
        "jwk": P256Jwk::from_verifying_key(signer.verifying_key()).to_json(),
    });
    let claims = json!({"aud": issuer, "iat": now, "nonce": nonce});
    let mut text = base64url::encode(&serde_json::to_vec(&header).ok()?);
    text.push('.');
    text.push_str(&base64url::encode(&serde_json::to_vec(&claims).ok()?));
    let signature = signer.sign(text.as_bytes()).ok()?;
    text.push('.');
    text.push_str(&base64url::encode(&signature));
    Some(text)
}

/// A key proof that verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProvenKey {
    /// The holder key proven.
    pub key: VerifyingKey,
    /// The nonce it signed (the caller checks it is one it gave out and still valid).
    pub nonce: String,
}

/// Checks a key proof for `issuer` at `now`: `typ`, ES256, an EC P-256 `jwk` (no private
/// part), the signature under it (both ECDSA S forms: other wallets make either), `aud`,
/// `iat` within [`MAX_PROOF_AGE`] and [`MAX_CLOCK_SKEW`], and a `nonce`. The reason on failure
/// goes into an `invalid_proof` response.
pub fn verify_proof(jwt: &str, issuer: &str, now: i64) -> Result<ProvenKey, &'static str> {
    let parsed = SignedJwt::parse(jwt).map_err(|_| "not a compact JWS")?;
    if parsed.header().typ() != Some(PROOF_TYP) {
        return Err("typ is not openid4vci-proof+jwt");
    }
    // The header policy ignores `jwk` (keys named by a token are never trusted for a
    // credential's issuer); here the token's own key is exactly what is proven.
    let header = header_map(jwt).ok_or("the header is unreadable")?;
    if header.contains_key("kid") || header.contains_key("x5c") {
        return Err("only jwk keys are accepted");
    }
    let jwk = header.get("jwk").ok_or("the header has no jwk")?;
    let key = P256Jwk::from_json(jwk)
        .map_err(|_| "jwk is not a public EC P-256 key")?
        .into_verifying_key();
    parsed
        .verify(&key, HighS::Accept)
        .map_err(|_| "the signature does not verify under its jwk")?;
    let claims = parsed.claims();
    match claims.get("aud") {
        Some(Value::String(aud)) if aud == issuer => {}
        Some(Value::Array(auds)) if auds.iter().any(|a| a.as_str() == Some(issuer)) => {}
        _ => return Err("aud is not this credential issuer"),
    }
    let iat = claims
        .get("iat")
        .and_then(Value::as_i64)
        .ok_or("iat is missing")?;
    if iat < now - MAX_PROOF_AGE || iat > now + MAX_CLOCK_SKEW {
        return Err("iat is too old or in the future");
    }
    let nonce = claims
        .get("nonce")
        .and_then(Value::as_str)
        .ok_or("nonce is missing")?;
    Ok(ProvenKey {
        key,
        nonce: nonce.to_owned(),
    })
}

fn header_map(jwt: &str) -> Option<Map<String, Value>> {
    let header = base64url::decode(jwt.split('.').next()?).ok()?;
    strict_json::parse_object(&header).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use laissez_crypto::ecdsa::SigningKey;

    #[test]
    fn proofs_verify_and_every_broken_rule_is_refused() {
        let key = SigningKey::generate().unwrap();
        let issuer = "https://issuer.example";
        let jwt = sign_proof(&key, issuer, "n-1", 1_000_000).unwrap();
        let proven = verify_proof(&jwt, issuer, 1_000_010).unwrap();
        assert_eq!(&proven.key, key.public_key());
        assert_eq!(proven.nonce, "n-1");

        assert!(verify_proof(&jwt, "https://other.example", 1_000_010).is_err());
        assert!(verify_proof(&jwt, issuer, 1_000_000 + MAX_PROOF_AGE + 1).is_err());
        assert!(verify_proof(&jwt, issuer, 1_000_000 - MAX_CLOCK_SKEW - 1).is_err());
        // Another key's signature over the same header and claims.
        let other = SigningKey::generate().unwrap();
        let (signing_input, _) = jwt.rsplit_once('.').unwrap();
        let forged = format!(
            "{signing_input}.{}",
            base64url::encode(&other.sign(signing_input.as_bytes()).unwrap())
        );
        assert_eq!(
            verify_proof(&forged, issuer, 1_000_010).unwrap_err(),
            "the signature does not verify under its jwk"
        );
        assert!(verify_proof("a.b.c", issuer, 1_000_010).is_err());
        assert!(verify_proof("", issuer, 1_000_010).is_err());
    }
}
