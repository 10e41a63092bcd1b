//! Issuer public keys as JSON Web Keys: EC P-256 and P-384 (RFC 7518 s6.2), OKP Ed25519
//! (RFC 8037). Holder keys are P-256 only ([`super::P256Jwk`]).

use serde_json::{Map, Value, json};

use super::base64url;
use super::error::JoseError;
use super::jwk::{P256Jwk, check_public_signing_members};
use laissez_crypto::issuer_key::{IssuerKey, SignatureAlgorithm};

/// An issuer key in JWK form: `{"kty":"EC","crv":"P-256"|"P-384","x","y"}` or
/// `{"kty":"OKP","crv":"Ed25519","x"}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IssuerJwk {
    key: IssuerKey,
}

impl IssuerJwk {
    /// Wraps an issuer key.
    pub fn from_issuer_key(key: IssuerKey) -> Self {
        Self { key }
    }

    /// Reads a JWK strictly. P-256 keys follow [`P256Jwk::from_json`]. P-384 keys: `kty` `EC`,
    /// `crv` `P-384`, `x` and `y` canonical base64url of 48 bytes each. Ed25519 keys: `kty`
    /// `OKP`, `crv` `Ed25519`, `x` of 32 bytes. Any other `kty` or `crv` gives
    /// [`JoseError::UnsupportedKey`]; an `alg` other than the curve's gives
    /// [`JoseError::UnsupportedAlgorithm`]; a private `d` and a `use` other than `sig` are
    /// refused.
    pub fn from_json(value: &Value) -> Result<Self, JoseError> {
        let map = value
            .as_object()
            .ok_or(JoseError::Malformed("JWK is not an object"))?;
        let kty = string(map, "kty")?;
        let crv = string(map, "crv")?;
        let alg = match (kty, crv) {
            ("EC", "P-256") => {
                return Ok(Self {
                    key: P256Jwk::from_json(value)?.into_verifying_key().into(),
                });
            }
            ("EC", "P-384") => SignatureAlgorithm::Es384,
            ("OKP", "Ed25519") => SignatureAlgorithm::EdDsa,
            ("EC", _) => return Err(JoseError::UnsupportedKey("curve is not P-256 or P-384")),
            ("OKP", _) => return Err(JoseError::UnsupportedKey("curve is not Ed25519")),
            _ => return Err(JoseError::UnsupportedKey("key type is not EC or OKP")),
        };
        check_public_signing_members(map, alg.jose_name())?;
        let key = if alg == SignatureAlgorithm::Es384 {
            IssuerKey::p384_from_coordinates(&member(map, "x", 48)?, &member(map, "y", 48)?)
        } else {
            if map.contains_key("y") {
                return Err(JoseError::Malformed("an OKP JWK has no y"));
            }
            IssuerKey::ed25519(&member(map, "x", 32)?)
        }
        .ok_or(JoseError::Malformed("JWK key bytes refused"))?;
        Ok(Self { key })
    }

    /// The key.
    pub fn issuer_key(&self) -> &IssuerKey {
        &self.key
    }

    /// The key, by value.
    pub fn into_issuer_key(self) -> IssuerKey {
        self.key
    }

    /// The JWK with exactly the members of its key type (`kty`, `crv`, `x`, and `y` for EC).
    pub fn to_json(&self) -> Value {
        match &self.key {
            IssuerKey::P256(key) => P256Jwk::from_verifying_key(key.clone()).to_json(),
            IssuerKey::P384(point) => json!({
                "kty": "EC",
                "crv": "P-384",
                "x": base64url::encode(&point[1..49]),
                "y": base64url::encode(&point[49..]),
            }),
            IssuerKey::Ed25519(bytes) => json!({
                "kty": "OKP",
                "crv": "Ed25519",
                "x": base64url::encode(bytes),
            }),
        }
    }
}

fn string<'a>(map: &'a Map<String, Value>, name: &str) -> Result<&'a str, JoseError> {
    map.get(name)
        .and_then(Value::as_str)
        .ok_or(JoseError::Malformed(
            "JWK kty or crv missing or not a string",
        ))
}

fn member(map: &Map<String, Value>, name: &str, len: usize) -> Result<Vec<u8>, JoseError> {
    let text = map
        .get(name)
        .and_then(Value::as_str)
        .ok_or(JoseError::Malformed(
            "JWK coordinate missing or not a string",
        ))?;
    let bytes = base64url::decode(text)
        .map_err(|_| JoseError::Malformed("JWK coordinate is not base64url"))?;
    if bytes.len() != len {
        return Err(JoseError::Malformed("JWK coordinate has the wrong length"));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use laissez_crypto::issuer_key::{IssuerSigner, IssuerSigningKey};

    #[test]
    fn round_trips_each_algorithm() {
        for alg in SignatureAlgorithm::ALL {
            let key = IssuerSigningKey::generate(alg).unwrap().issuer_key();
            let jwk = IssuerJwk::from_issuer_key(key.clone());
            let back = IssuerJwk::from_json(&jwk.to_json()).unwrap();
            assert_eq!(back.issuer_key(), &key);
        }
    }

    #[test]
    fn rfc_8037_example_key() {
        // RFC 8037 Appendix A.2.
        let jwk =
            json!({"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"});
        let key = IssuerJwk::from_json(&jwk).unwrap();
        assert_eq!(key.issuer_key().algorithm(), SignatureAlgorithm::EdDsa);
        assert_eq!(key.to_json(), jwk);
    }

    #[test]
    fn strict_checks() {
        let p384 = IssuerJwk::from_issuer_key(
            IssuerSigningKey::generate(SignatureAlgorithm::Es384)
                .unwrap()
                .issuer_key(),
        )
        .to_json();
        let ed = IssuerJwk::from_issuer_key(
            IssuerSigningKey::generate(SignatureAlgorithm::EdDsa)
                .unwrap()
                .issuer_key(),
        )
        .to_json();
        let with = |base: &Value, name: &str, value: Value| {
            let mut v = base.clone();
            v[name] = value;
            IssuerJwk::from_json(&v)
        };
        for (base, name, value) in [
            (&p384, "crv", json!("P-521")),
            (&p384, "kty", json!("RSA")),
            (&ed, "crv", json!("X25519")),
            (&ed, "crv", json!("Ed448")),
            (&p384, "use", json!("enc")),
        ] {
            assert!(
                matches!(
                    with(base, name, value.clone()),
                    Err(JoseError::UnsupportedKey(_))
                ),
                "{name} {value}"
            );
        }
        assert!(matches!(
            with(&p384, "alg", json!("ES256")),
            Err(JoseError::UnsupportedAlgorithm(_))
        ));
        assert!(with(&p384, "alg", json!("ES384")).is_ok());
        assert!(with(&ed, "alg", json!("EdDSA")).is_ok());
        assert!(matches!(
            with(&ed, "alg", json!("none")),
            Err(JoseError::UnsupportedAlgorithm(_))
        ));
        for (base, name, value) in [
            (&p384, "x", json!(base64url::encode(&[1u8; 32]))),
            (&p384, "d", json!(base64url::encode(&[1u8; 48]))),
            (&ed, "x", json!(base64url::encode(&[1u8; 33]))),
            (&ed, "y", json!(base64url::encode(&[1u8; 32]))),
            (&ed, "kty", json!(1)),
        ] {
            assert!(
                matches!(
                    with(base, name, value.clone()),
                    Err(JoseError::Malformed(_))
                ),
                "{name} {value}"
            );
        }
    }
}
