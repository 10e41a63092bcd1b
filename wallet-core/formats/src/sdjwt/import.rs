//! A holder receiving a credential from its issuer (RFC 9901 s7.2).

use laissez_crypto::issuer_key::IssuerKey;

use super::compact::SdJwt;
use super::error::{SdJwtError, SdJwtResult};
use super::process::{ProcessedSdJwt, Validation, process};

/// Accepts an issued SD-JWT: refuses one carrying a Key Binding JWT
/// ([`SdJwtError::UnexpectedKeyBinding`]: the issuer cannot have made it), then verifies
/// the issuer signature, every Disclosure, the profile and the validity period. Returns
/// the parsed SD-JWT (to store and later present) and its full claims.
pub fn import_issued(
    issued: &str,
    issuer_keys: &[IssuerKey],
    validation: &Validation,
) -> SdJwtResult<(SdJwt, ProcessedSdJwt)> {
    let sd_jwt = SdJwt::parse(issued)?;
    if sd_jwt.key_binding_jwt().is_some() {
        return Err(SdJwtError::UnexpectedKeyBinding);
    }
    let processed = process(&sd_jwt, issuer_keys, validation)?;
    Ok((sd_jwt, processed))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sdjwt::{IssueRequest, KeyBindingRequest, issue, present};
    use laissez_crypto::ecdsa::{Es256Signer, SigningKey};
    use serde_json::json;

    #[test]
    fn refuses_an_sd_jwt_with_key_binding() {
        let issuer = SigningKey::generate().unwrap();
        let holder = SigningKey::generate().unwrap();
        let claims = json!({"name": "x"}).as_object().unwrap().clone();
        let mut r = IssueRequest::new("urn:t", "https://i.example", 1000, claims);
        r.holder_key = Some(holder.verifying_key());
        let text = issue(&r, &issuer).unwrap().to_compact();
        let keys = [issuer.verifying_key().into()];
        let (sd, processed) = import_issued(&text, &keys, &Validation::sd_jwt_vc(1000)).unwrap();
        assert_eq!(processed.holder_key, Some(holder.verifying_key()));
        let request = KeyBindingRequest {
            nonce: "n".into(),
            audience: "a".into(),
            issued_at: 1000,
        };
        let with_kb = present(&sd, &[], &request, &holder).unwrap();
        assert_eq!(
            import_issued(&with_kb, &keys, &Validation::sd_jwt_vc(1000)).unwrap_err(),
            SdJwtError::UnexpectedKeyBinding
        );
        let parsed = SdJwt::parse(&with_kb).unwrap();
        assert_eq!(
            present(&parsed, &[], &request, &holder).unwrap_err(),
            SdJwtError::UnexpectedKeyBinding
        );
    }
}
