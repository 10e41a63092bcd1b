//! Compact JWS with a JSON claims payload (a JWT): holders sign and verify with ES256, issuers
//! with ES256, ES384 or EdDSA ([`laissez_crypto::issuer_key`]).

use serde_json::{Map, Value};

use super::base64url;
use super::error::JoseError;
use super::header::JwsHeader;
use super::json::{self, JsonProblem};
use super::limits::MAX_JWT_LEN;
use laissez_crypto::ecdsa::{Es256Signer, HighS, SignatureError, VerifyingKey};
use laissez_crypto::issuer_key::{IssuerKey, IssuerSigner, SignatureAlgorithm};

/// A parsed compact JWS `header.payload.signature` whose header passed the policy of
/// [`JwsHeader::from_json`] and whose payload is a JSON object. Parsing does not check the
/// signature: call [`SignedJwt::verify`]. Its `Debug` output shows the header and the
/// claim names, never claim values.
#[derive(Clone)]
pub struct SignedJwt {
    text: String,
    /// Byte offset of the second `.`: `text[..signing_input_end]` is the signing input.
    signing_input_end: usize,
    header: JwsHeader,
    claims: Map<String, Value>,
    signature: Vec<u8>,
}

/// A compact JWS whose signature verified under the caller's key; its payload is still
/// base64url text, for formats that authenticate before they read their payload (trust lists,
/// status lists) and have size limits of their own.
#[derive(Debug)]
pub struct VerifiedCompact<'a> {
    /// The protected header (the key's algorithm, no `crit`: the header policy of
    /// [`JwsHeader::from_json`]).
    pub header: JwsHeader,
    /// The payload, base64url, exactly as signed.
    pub payload_b64: &'a str,
}

/// Why [`verify_compact`] refused a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompactFailure {
    /// Not three canonical base64url parts, a header that is not a strict JSON object or that
    /// the header policy refuses, or a signature that does not have its algorithm's length.
    Malformed(&'static str),
    /// The header names an algorithm that is not supported at all (`none`, HMAC, RSA, …) or
    /// that is not the key's (an ES384 header over a P-256 key).
    UnsupportedAlgorithm,
    /// The signature does not verify under the key given.
    BadSignature,
    /// The signature verifies but is the high-S twin, and the caller asked for low-S.
    NonCanonicalSignature,
}

/// Splits a compact JWS, applies the header policy and checks the signature with `key` (and
/// no key from the token); a P-256 key applies the `high_s` policy, the other keys accept both
/// forms. The caller checks sizes first and `typ` and the payload after.
pub fn verify_compact<'a>(
    text: &'a str,
    key: &IssuerKey,
    high_s: HighS,
) -> Result<VerifiedCompact<'a>, CompactFailure> {
    let mut parts = text.split('.');
    let (Some(header_b64), Some(payload_b64), Some(signature_b64), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(CompactFailure::Malformed(
            "not a compact JWS of three parts",
        ));
    };
    let header_bytes = base64url::decode(header_b64)
        .map_err(|_| CompactFailure::Malformed("header is not base64url"))?;
    let header_map = json::parse_object(&header_bytes)
        .map_err(|_| CompactFailure::Malformed("header is not a strict JSON object"))?;
    let header = JwsHeader::from_json(&header_map).map_err(|e| match e {
        JoseError::UnsupportedAlgorithm(_) => CompactFailure::UnsupportedAlgorithm,
        _ => CompactFailure::Malformed("header refused"),
    })?;
    if header.alg() != key.algorithm() {
        return Err(CompactFailure::UnsupportedAlgorithm);
    }
    let signature = base64url::decode(signature_b64)
        .ok()
        .filter(|s| s.len() == header.alg().signature_len())
        .ok_or(CompactFailure::Malformed(
            "signature is not base64url of the algorithm's length",
        ))?;
    let signing_input = &text[..header_b64.len() + 1 + payload_b64.len()];
    verify_issuer_signature(
        key,
        header.alg(),
        signing_input.as_bytes(),
        &signature,
        high_s,
    )
    .map_err(|e| match e {
        SignatureError::HighS => CompactFailure::NonCanonicalSignature,
        SignatureError::AlgorithmMismatch => CompactFailure::UnsupportedAlgorithm,
        SignatureError::WrongLength | SignatureError::Mismatch => CompactFailure::BadSignature,
    })?;
    Ok(VerifiedCompact {
        header,
        payload_b64,
    })
}

/// An issuer signature check: a P-256 key under `high_s`, the others through
/// [`IssuerKey::verify`] (both ECDSA forms accepted).
fn verify_issuer_signature(
    key: &IssuerKey,
    alg: SignatureAlgorithm,
    message: &[u8],
    signature: &[u8],
    high_s: HighS,
) -> Result<(), SignatureError> {
    match key {
        IssuerKey::P256(p256) if alg == SignatureAlgorithm::Es256 => {
            p256.verify_with(message, signature, high_s)
        }
        _ => key.verify(alg, message, signature),
    }
}

impl SignedJwt {
    /// Parses a compact JWS. Refuses input longer than [`MAX_JWT_LEN`], anything but three
    /// `.`-separated canonical base64url parts, a header failing the policy, a payload that
    /// is not a strict JSON object, and a signature that does not have the length of the
    /// header's algorithm (64 bytes for ES256 and EdDSA, 96 for ES384).
    pub fn parse(text: &str) -> Result<Self, JoseError> {
        if text.len() > MAX_JWT_LEN {
            return Err(JoseError::TooLarge("JWT length"));
        }
        let mut parts = text.split('.');
        let (Some(header_b64), Some(payload_b64), Some(signature_b64), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(JoseError::Malformed("JWT does not have three parts"));
        };
        let header_bytes = base64url::decode(header_b64)
            .map_err(|_| JoseError::Malformed("JWT header is not base64url"))?;
        let header_map = json::parse_object(&header_bytes).map_err(|p| json_error(p, "header"))?;
        let header = JwsHeader::from_json(&header_map)?;
        let payload = base64url::decode(payload_b64)
            .map_err(|_| JoseError::Malformed("JWT payload is not base64url"))?;
        let claims = json::parse_object(&payload).map_err(|p| json_error(p, "payload"))?;
        let signature_bytes = base64url::decode(signature_b64)
            .map_err(|_| JoseError::Malformed("JWT signature is not base64url"))?;
        if signature_bytes.len() != header.alg().signature_len() {
            return Err(JoseError::Malformed(
                "JWT signature does not have its algorithm's length",
            ));
        }
        let signature = signature_bytes;
        Ok(Self {
            text: text.to_owned(),
            signing_input_end: header_b64.len() + 1 + payload_b64.len(),
            header,
            claims,
            signature,
        })
    }

    /// Signs `claims` under `header` (its `alg` set to ES256) with the P-256 `signer`,
    /// returning the parsed result.
    pub fn sign(
        header: &JwsHeader,
        claims: &Map<String, Value>,
        signer: &dyn Es256Signer,
    ) -> Result<Self, JoseError> {
        let header = header.clone().with_alg(SignatureAlgorithm::Es256);
        Self::sign_with(&header, claims, &|message| {
            signer.sign(message).map(|sig| sig.to_vec())
        })
    }

    /// Signs `claims` under `header` (its `alg` set to the signer's) with an issuer `signer`
    /// of any supported algorithm, returning the parsed result.
    pub fn sign_as_issuer(
        header: &JwsHeader,
        claims: &Map<String, Value>,
        signer: &dyn IssuerSigner,
    ) -> Result<Self, JoseError> {
        let header = header.clone().with_alg(signer.algorithm());
        Self::sign_with(&header, claims, &|message| signer.sign_message(message))
    }

    fn sign_with(
        header: &JwsHeader,
        claims: &Map<String, Value>,
        sign: &dyn Fn(&[u8]) -> laissez_crypto::CryptoResult<Vec<u8>>,
    ) -> Result<Self, JoseError> {
        let header_json = serde_json::to_vec(&header.to_json())
            .map_err(|_| JoseError::Malformed("header does not serialise"))?;
        let payload = serde_json::to_vec(claims)
            .map_err(|_| JoseError::Malformed("claims do not serialise"))?;
        let mut text = base64url::encode(&header_json);
        text.push('.');
        text.push_str(&base64url::encode(&payload));
        let signing_input_end = text.len();
        if signing_input_end + 1 + 128 > MAX_JWT_LEN {
            return Err(JoseError::TooLarge("JWT length"));
        }
        let signature = sign(text.as_bytes()).map_err(|_| JoseError::Signing)?;
        text.push('.');
        text.push_str(&base64url::encode(&signature));
        Ok(Self {
            text,
            signing_input_end,
            header: header.clone(),
            claims: claims.clone(),
            signature,
        })
    }

    /// The compact serialisation, exactly as parsed or produced.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// `base64url(header) "." base64url(payload)`: the bytes the signature covers.
    pub fn signing_input(&self) -> &str {
        &self.text[..self.signing_input_end]
    }

    /// The protected header.
    pub fn header(&self) -> &JwsHeader {
        &self.header
    }

    /// The payload's claims. Not authenticated until [`SignedJwt::verify`] succeeds.
    pub fn claims(&self) -> &Map<String, Value> {
        &self.claims
    }

    /// Checks an ES256 signature under the P-256 `key` with the `high_s` policy
    /// ([`laissez_crypto::ecdsa::low_s`]); a header naming another algorithm gives
    /// [`SignatureError::AlgorithmMismatch`]. For holder keys (Key Binding JWTs).
    pub fn verify(&self, key: &VerifyingKey, high_s: HighS) -> Result<(), SignatureError> {
        if self.header.alg() != SignatureAlgorithm::Es256 {
            return Err(SignatureError::AlgorithmMismatch);
        }
        key.verify_with(self.signing_input().as_bytes(), &self.signature, high_s)
    }

    /// Checks the signature under an issuer `key` of the header's algorithm, both ECDSA forms
    /// accepted; a key of another algorithm gives [`SignatureError::AlgorithmMismatch`].
    pub fn verify_issuer(&self, key: &IssuerKey) -> Result<(), SignatureError> {
        key.verify(
            self.header.alg(),
            self.signing_input().as_bytes(),
            &self.signature,
        )
    }

    /// The position in `keys` of the first key under which the signature verifies, high-S
    /// accepted: for issuer signatures, made by other implementations. Only keys of the
    /// header's algorithm are tried.
    pub fn verify_any_issuer(&self, keys: &[IssuerKey]) -> Option<usize> {
        keys.iter().position(|key| self.verify_issuer(key).is_ok())
    }
}

impl std::fmt::Display for SignedJwt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

impl std::fmt::Debug for SignedJwt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignedJwt")
            .field("header", &self.header)
            .field("claim_names", &self.claims.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

fn json_error(problem: JsonProblem, part: &'static str) -> JoseError {
    match (problem, part) {
        (JsonProblem::TooDeep, _) => JoseError::TooLarge("JSON nesting depth"),
        (JsonProblem::DuplicateMember, "header") => {
            JoseError::Malformed("JWT header has a duplicate member")
        }
        (JsonProblem::DuplicateMember, _) => {
            JoseError::Malformed("JWT payload has a duplicate member")
        }
        (_, "header") => JoseError::Malformed("JWT header is not a JSON object"),
        _ => JoseError::Malformed("JWT payload is not a JSON object"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use laissez_crypto::ecdsa::SigningKey;
    use serde_json::json;

    fn b64(value: &Value) -> String {
        base64url::encode(&serde_json::to_vec(value).unwrap())
    }

    fn claims() -> Map<String, Value> {
        json!({"iss": "https://issuer.example", "n": 1})
            .as_object()
            .unwrap()
            .clone()
    }

    #[test]
    fn sign_parse_verify() {
        let key = SigningKey::generate().unwrap();
        let header = JwsHeader::es256().with_typ("kb+jwt").with_kid("k");
        let jwt = SignedJwt::sign(&header, &claims(), &key).unwrap();
        let parsed = SignedJwt::parse(jwt.as_str()).unwrap();
        assert_eq!(parsed.header(), &header);
        assert_eq!(parsed.claims(), &claims());
        assert_eq!(parsed.verify(key.public_key(), HighS::Refuse), Ok(()));
        let other = SigningKey::generate().unwrap().verifying_key();
        assert_eq!(
            parsed.verify_any_issuer(&[other.into(), key.verifying_key().into()]),
            Some(1)
        );
        assert_eq!(parsed.verify_any_issuer(&[]), None);
    }

    #[test]
    fn issuer_algorithms_sign_parse_verify_and_refuse_a_header_naming_another() {
        use laissez_crypto::issuer_key::IssuerSigningKey;
        for alg in SignatureAlgorithm::ALL {
            let key = IssuerSigningKey::generate(alg).unwrap();
            let jwt = SignedJwt::sign_as_issuer(&JwsHeader::es256().with_typ("t"), &claims(), &key)
                .unwrap();
            let parsed = SignedJwt::parse(jwt.as_str()).unwrap();
            assert_eq!(parsed.header().alg(), alg);
            assert_eq!(parsed.verify_issuer(&key.issuer_key()), Ok(()));
            let compact = verify_compact(jwt.as_str(), &key.issuer_key(), HighS::Refuse).unwrap();
            assert_eq!(compact.header.alg(), alg);
            // The same signature under a header that names another algorithm.
            for other in SignatureAlgorithm::ALL.into_iter().filter(|a| *a != alg) {
                let (_, rest) = jwt.as_str().split_once('.').unwrap();
                let header = b64(&json!({"alg": other.jose_name(), "typ": "t"}));
                let relabelled = format!("{header}.{rest}");
                // Parsing refuses it when the lengths differ; otherwise the key refuses it.
                if let Ok(parsed) = SignedJwt::parse(&relabelled) {
                    assert_eq!(
                        parsed.verify_issuer(&key.issuer_key()),
                        Err(SignatureError::AlgorithmMismatch)
                    );
                }
                assert_eq!(
                    verify_compact(&relabelled, &key.issuer_key(), HighS::Accept).unwrap_err(),
                    CompactFailure::UnsupportedAlgorithm
                );
            }
            if alg != SignatureAlgorithm::Es256 {
                let holder = SigningKey::generate().unwrap();
                assert_eq!(
                    parsed.verify(holder.public_key(), HighS::Accept),
                    Err(SignatureError::AlgorithmMismatch)
                );
            }
        }
    }

    #[test]
    fn debug_output_hides_claim_values() {
        let key = SigningKey::generate().unwrap();
        let jwt = SignedJwt::sign(&JwsHeader::es256(), &claims(), &key).unwrap();
        let shown = format!("{jwt:?}");
        assert!(shown.contains("iss"));
        assert!(!shown.contains("issuer.example"));
    }

    #[test]
    fn tampering_breaks_the_signature() {
        let key = SigningKey::generate().unwrap();
        let jwt = SignedJwt::sign(&JwsHeader::es256(), &claims(), &key).unwrap();
        let (signing_input, signature) = jwt.as_str().rsplit_once('.').unwrap();
        let (header, _) = signing_input.split_once('.').unwrap();
        let mut other = claims();
        other.insert("n".into(), json!(2));
        let forged = format!("{header}.{}.{signature}", b64(&Value::Object(other)));
        assert!(
            SignedJwt::parse(&forged)
                .unwrap()
                .verify(key.public_key(), HighS::Accept)
                .is_err()
        );
    }

    #[test]
    fn structural_errors() {
        let header = b64(&json!({"alg": "ES256"}));
        let payload = b64(&json!({"a": 1}));
        let sig = base64url::encode(&[7u8; 64]);
        assert!(SignedJwt::parse(&format!("{header}.{payload}.{sig}")).is_ok());
        for bad in [
            format!("{header}.{payload}"),
            format!("{header}.{payload}.{sig}.x"),
            format!("{header}.{payload}.{}", base64url::encode(&[7u8; 63])),
            format!("{header}.{payload}.{sig}="),
            format!("{header}.{}.{sig}", b64(&json!([1]))),
            format!("{header}.{}.{sig}", base64url::encode(br#"{"a":1,"a":2}"#)),
            format!("{}.{payload}.{sig}", base64url::encode(b"{")),
            format!(" {header}.{payload}.{sig}"),
        ] {
            assert!(
                matches!(SignedJwt::parse(&bad), Err(JoseError::Malformed(_))),
                "{bad}"
            );
        }
        let none = b64(&json!({"alg": "none"}));
        assert!(matches!(
            SignedJwt::parse(&format!("{none}.{payload}.")),
            Err(JoseError::UnsupportedAlgorithm(a)) if a == "none"
        ));
        let hs = b64(&json!({"alg": "HS256", "typ": "JWT"}));
        assert!(matches!(
            SignedJwt::parse(&format!("{hs}.{payload}.{sig}")),
            Err(JoseError::UnsupportedAlgorithm(a)) if a == "HS256"
        ));
        let big = "a".repeat(MAX_JWT_LEN + 1);
        assert!(matches!(
            SignedJwt::parse(&big),
            Err(JoseError::TooLarge(_))
        ));
        let deep = base64url::encode(
            format!("{{\"a\":{}1{}}}", "[".repeat(40), "]".repeat(40)).as_bytes(),
        );
        assert!(matches!(
            SignedJwt::parse(&format!("{header}.{deep}.{sig}")),
            Err(JoseError::TooLarge(_))
        ));
    }
}
