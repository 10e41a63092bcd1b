//! EC P-256 public keys as JSON Web Keys (RFC 7517, RFC 7518 s6.2), and their RFC 7638
//! thumbprints.

use serde_json::{Map, Value, json};

use super::base64url;
use super::error::{JoseError, printable_alg};
use laissez_crypto::ecdsa::VerifyingKey;

/// A P-256 public key in JWK form: `{"kty":"EC","crv":"P-256","x":…,"y":…}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct P256Jwk {
    key: VerifyingKey,
}

impl P256Jwk {
    /// Wraps a verifying key.
    pub fn from_verifying_key(key: VerifyingKey) -> Self {
        Self { key }
    }

    /// Reads a JWK strictly: `kty` must be `EC` and `crv` `P-256` (otherwise
    /// [`JoseError::UnsupportedKey`]); `x` and `y` must be canonical base64url of exactly
    /// 32 bytes each and name a point on the curve; a private `d` is refused; `alg`, when
    /// present, must be `ES256` and `use`, when present, `sig`. Other members (`kid`, …)
    /// are ignored.
    pub fn from_json(value: &Value) -> Result<Self, JoseError> {
        let map = value
            .as_object()
            .ok_or(JoseError::Malformed("JWK is not an object"))?;
        match map.get("kty") {
            Some(Value::String(kty)) if kty == "EC" => {}
            Some(Value::String(_)) => return Err(JoseError::UnsupportedKey("key type is not EC")),
            _ => return Err(JoseError::Malformed("JWK kty missing or not a string")),
        }
        match map.get("crv") {
            Some(Value::String(crv)) if crv == "P-256" => {}
            Some(Value::String(_)) => return Err(JoseError::UnsupportedKey("curve is not P-256")),
            _ => return Err(JoseError::Malformed("JWK crv missing or not a string")),
        }
        check_public_signing_members(map, "ES256")?;
        let x = coordinate(map, "x")?;
        let y = coordinate(map, "y")?;
        let key = VerifyingKey::from_coordinates(&x, &y)
            .ok_or(JoseError::Malformed("JWK point is not on the P-256 curve"))?;
        Ok(Self { key })
    }

    /// The key.
    pub fn verifying_key(&self) -> &VerifyingKey {
        &self.key
    }

    /// The key, by value.
    pub fn into_verifying_key(self) -> VerifyingKey {
        self.key
    }

    /// The JWK with exactly the members `kty`, `crv`, `x`, `y`.
    pub fn to_json(&self) -> Value {
        json!({
            "kty": "EC",
            "crv": "P-256",
            "x": base64url::encode(self.key.x()),
            "y": base64url::encode(self.key.y()),
        })
    }

    /// The RFC 7638 thumbprint: SHA-256 over
    /// `{"crv":"P-256","kty":"EC","x":"…","y":"…"}` (members sorted, no whitespace).
    pub fn thumbprint(&self) -> [u8; 32] {
        let canonical = format!(
            r#"{{"crv":"P-256","kty":"EC","x":"{}","y":"{}"}}"#,
            base64url::encode(self.key.x()),
            base64url::encode(self.key.y())
        );
        let digest = ring::digest::digest(&ring::digest::SHA256, canonical.as_bytes());
        let mut out = [0u8; 32];
        out.copy_from_slice(digest.as_ref());
        out
    }

    /// The thumbprint as unpadded base64url (the form used in `jkt` and `kid` values).
    pub fn thumbprint_base64url(&self) -> String {
        base64url::encode(&self.thumbprint())
    }
}

fn coordinate(map: &Map<String, Value>, name: &'static str) -> Result<Vec<u8>, JoseError> {
    let text = map
        .get(name)
        .and_then(Value::as_str)
        .ok_or(JoseError::Malformed(
            "JWK coordinate missing or not a string",
        ))?;
    let bytes = base64url::decode(text)
        .map_err(|_| JoseError::Malformed("JWK coordinate is not base64url"))?;
    if bytes.len() != 32 {
        return Err(JoseError::Malformed("JWK coordinate is not 32 bytes"));
    }
    Ok(bytes)
}

/// The members every public signing JWK we read must satisfy, whatever its key type: no private
/// `d`; `alg`, when present, is `alg_name`; `use`, when present, is `sig`.
pub(super) fn check_public_signing_members(
    map: &Map<String, Value>,
    alg_name: &str,
) -> Result<(), JoseError> {
    if map.contains_key("d") {
        return Err(JoseError::Malformed("JWK holds a private key"));
    }
    match map.get("alg") {
        None => {}
        Some(Value::String(alg)) if alg == alg_name => {}
        Some(Value::String(alg)) => {
            return Err(JoseError::UnsupportedAlgorithm(printable_alg(alg)));
        }
        Some(_) => return Err(JoseError::Malformed("JWK alg is not a string")),
    }
    match map.get("use") {
        None => {}
        Some(Value::String(usage)) if usage == "sig" => {}
        Some(Value::String(_)) => {
            return Err(JoseError::UnsupportedKey("key is not for signatures"));
        }
        Some(_) => return Err(JoseError::Malformed("JWK use is not a string")),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use laissez_crypto::ecdsa::{Es256Signer, SigningKey};

    fn holder() -> Value {
        json!({
            "kty": "EC",
            "crv": "P-256",
            "x": "TCAER19Zvu3OHF4j4W4vfSVoHIP1ILilDls7vCeGemc",
            "y": "ZxjiWWbZMQGHVWKVQ4hbSIirsVfuecCE6t4jT9F2HZQ"
        })
    }

    #[test]
    fn parses_serialises_and_thumbprints_the_spec_holder_key() {
        let jwk = P256Jwk::from_json(&holder()).unwrap();
        assert_eq!(jwk.to_json(), holder());
        // Computed independently (Python hashlib over the RFC 7638 canonical form).
        assert_eq!(
            jwk.thumbprint_base64url(),
            "aISfTcr9M_Zd09AXGAAeFxnLbFY6lBa87UN515wm5d4"
        );
    }

    #[test]
    fn round_trips_a_fresh_key() {
        let key = SigningKey::generate().unwrap().verifying_key();
        let jwk = P256Jwk::from_verifying_key(key.clone());
        assert_eq!(
            P256Jwk::from_json(&jwk.to_json()).unwrap().verifying_key(),
            &key
        );
    }

    #[test]
    fn strict_checks() {
        let with = |name: &str, value: Value| {
            let mut v = holder();
            v[name] = value;
            P256Jwk::from_json(&v)
        };
        assert!(matches!(
            with("kty", json!("RSA")),
            Err(JoseError::UnsupportedKey(_))
        ));
        assert!(matches!(
            with("crv", json!("P-384")),
            Err(JoseError::UnsupportedKey(_))
        ));
        assert!(matches!(
            with("crv", json!("secp256k1")),
            Err(JoseError::UnsupportedKey(_))
        ));
        assert!(matches!(
            with("crv", json!(1)),
            Err(JoseError::Malformed(_))
        ));
        assert!(matches!(
            with("d", json!("5K5SCos8zf9zRemGGUl6yfok-_NiiryNZsvANWMhF-I")),
            Err(JoseError::Malformed(_))
        ));
        assert!(matches!(
            with("alg", json!("HS256")),
            Err(JoseError::UnsupportedAlgorithm(_))
        ));
        assert!(with("alg", json!("ES256")).is_ok());
        assert!(matches!(
            with("use", json!("enc")),
            Err(JoseError::UnsupportedKey(_))
        ));
        assert!(matches!(
            with("x", json!("TCAER19Zvu3OHF4j4W4vfSVoHIP1ILilDls7vCeGem")),
            Err(JoseError::Malformed(_))
        ));
        assert!(matches!(
            with("x", json!("TCAER19Zvu3OHF4j4W4vfSVoHIP1ILilDls7vCeGemc=")),
            Err(JoseError::Malformed(_))
        ));
        // A valid coordinate encoding, but not a point on the curve.
        assert!(matches!(
            with("y", json!("ZxjiWWbZMQGHVWKVQ4hbSIirsVfuecCE6t4jT9F2HZA")),
            Err(JoseError::Malformed(_))
        ));
        assert!(matches!(
            P256Jwk::from_json(&json!([])),
            Err(JoseError::Malformed(_))
        ));
        assert!(with("kid", json!("anything")).is_ok());
    }
}
