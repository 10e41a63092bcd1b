//! Issuer key files: private JWKs (P-256, P-384, Ed25519) read and written with their public
//! part checked against the private one, secrets written with mode 0600, and certificates as
//! PEM.

use std::path::Path;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use zeroize::Zeroizing;

use super::error::IssuerError;
use laissez_crypto::ecdsa::SigningKey;
use laissez_crypto::issuer_key::{IssuerKey, IssuerSigningKey, SignatureAlgorithm};
use laissez_formats::jose::base64url;

/// PKCS#8 v1 of a P-384 key as ring writes it: this prefix, `d` (48 bytes), [`P384_MIDDLE`],
/// the SEC1 public point (97 bytes).
const P384_PREFIX: [u8; 35] = [
    0x30, 0x81, 0xb6, 0x02, 0x01, 0x00, 0x30, 0x10, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02,
    0x01, 0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22, 0x04, 0x81, 0x9e, 0x30, 0x81, 0x9b, 0x02, 0x01,
    0x01, 0x04, 0x30,
];
const P384_MIDDLE: [u8; 5] = [0xa1, 0x64, 0x03, 0x62, 0x00];
/// PKCS#8 v2 of an Ed25519 key as ring writes it: this prefix, the seed (32 bytes),
/// [`ED25519_MIDDLE`], the public key (32 bytes).
const ED25519_PREFIX: [u8; 16] = [
    0x30, 0x51, 0x02, 0x01, 0x01, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
];
const ED25519_MIDDLE: [u8; 3] = [0x81, 0x21, 0x00];
/// Lengths of those documents: prefix, secret, middle, public key.
const P384_PKCS8_LEN: usize = 35 + 48 + 5 + 97;
const ED25519_PKCS8_LEN: usize = 16 + 32 + 3 + 32;

/// The private scalar or seed inside one of ring's PKCS#8 documents, if it has ring's layout.
fn private_part<'a>(pkcs8: &'a [u8], prefix: &[u8], len: usize) -> Option<&'a [u8]> {
    pkcs8.strip_prefix(prefix).and_then(|rest| rest.get(..len))
}

/// Text that holds a secret (a private key's `d`): wiped from memory on drop, read and written
/// by serde without a plain `String` copy left behind.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct SecretText(Zeroizing<String>);

impl SecretText {
    fn new(text: String) -> Self {
        Self(Zeroizing::new(text))
    }
}

impl Serialize for SecretText {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for SecretText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self::new)
    }
}

/// A private JWK's members (RFC 7517/7518, RFC 8037): the CLI's key files and the test keys
/// kept in a wallet (`test_keys`) share this encoding. Unknown members are ignored.
#[derive(Serialize, Deserialize)]
pub(crate) struct PrivateJwk {
    kty: String,
    crv: String,
    x: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    y: Option<String>,
    d: SecretText,
}

impl PrivateJwk {
    /// The members of `key`'s private JWK.
    pub(crate) fn of(key: &IssuerSigningKey) -> Result<Self, IssuerError> {
        let secret = |bytes: &[u8]| SecretText::new(base64url::encode(bytes));
        let ec = |crv: &str, x: &[u8], y: &[u8], d: &[u8]| Self {
            kty: "EC".into(),
            crv: crv.into(),
            x: base64url::encode(x),
            y: Some(base64url::encode(y)),
            d: secret(d),
        };
        Ok(match key {
            IssuerSigningKey::P256(key) => Self::of_p256(key),
            IssuerSigningKey::P384 { pkcs8, public } => {
                let d = private_part(pkcs8, &P384_PREFIX, 48).ok_or(IssuerError::BadKey)?;
                let point = public.public_bytes();
                ec("P-384", &point[1..49], &point[49..], d)
            }
            IssuerSigningKey::Ed25519 { pkcs8, public } => {
                let seed = private_part(pkcs8, &ED25519_PREFIX, 32).ok_or(IssuerError::BadKey)?;
                Self {
                    kty: "OKP".into(),
                    crv: "Ed25519".into(),
                    x: base64url::encode(&public.public_bytes()),
                    y: None,
                    d: secret(seed),
                }
            }
        })
    }

    /// The members of a P-256 key's private JWK.
    pub(crate) fn of_p256(key: &SigningKey) -> Self {
        let public = key.public_key();
        Self {
            kty: "EC".into(),
            crv: "P-256".into(),
            x: base64url::encode(public.x()),
            y: Some(base64url::encode(public.y())),
            d: SecretText::new(base64url::encode(key.scalar())),
        }
    }

    /// The P-256 key these members describe (see [`PrivateJwk::to_key`]).
    pub(crate) fn to_p256(&self) -> Result<SigningKey, IssuerError> {
        match self.to_key()? {
            IssuerSigningKey::P256(key) => Ok(key),
            _ => Err(IssuerError::BadKey),
        }
    }

    /// The key these members describe, checking that the public part matches `d`.
    pub(crate) fn to_key(&self) -> Result<IssuerSigningKey, IssuerError> {
        let decode = |text: &str| -> Result<Zeroizing<Vec<u8>>, IssuerError> {
            Ok(Zeroizing::new(
                base64url::decode(text).map_err(|_| IssuerError::BadKey)?,
            ))
        };
        let y = || decode(self.y.as_deref().ok_or(IssuerError::BadKey)?);
        let d = decode(&self.d.0)?;
        let (key, public) = match (self.kty.as_str(), self.crv.as_str()) {
            ("EC", "P-256") => {
                let scalar: Zeroizing<[u8; 32]> =
                    Zeroizing::new(d.as_slice().try_into().map_err(|_| IssuerError::BadKey)?);
                let key = SigningKey::from_scalar(&scalar).ok_or(IssuerError::BadKey)?;
                let (x, y) = (decode(&self.x)?, y()?);
                let public = key.public_key();
                if public.x() != x.as_slice() || public.y() != y.as_slice() {
                    return Err(IssuerError::BadKey);
                }
                return Ok(IssuerSigningKey::P256(key));
            }
            ("EC", "P-384") => {
                let (x, y) = (decode(&self.x)?, y()?);
                let public = IssuerKey::p384_from_coordinates(&x, &y).ok_or(IssuerError::BadKey)?;
                if d.len() != 48 {
                    return Err(IssuerError::BadKey);
                }
                let mut pkcs8 = Zeroizing::new(Vec::with_capacity(P384_PKCS8_LEN));
                pkcs8.extend_from_slice(&P384_PREFIX);
                pkcs8.extend_from_slice(&d);
                pkcs8.extend_from_slice(&P384_MIDDLE);
                pkcs8.extend_from_slice(&public.public_bytes());
                let key = IssuerSigningKey::from_pkcs8(SignatureAlgorithm::Es384, &pkcs8)
                    .map_err(|_| IssuerError::BadKey)?;
                (key, public)
            }
            ("OKP", "Ed25519") => {
                let x = decode(&self.x)?;
                let public = IssuerKey::ed25519(&x).ok_or(IssuerError::BadKey)?;
                if d.len() != 32 {
                    return Err(IssuerError::BadKey);
                }
                let mut pkcs8 = Zeroizing::new(Vec::with_capacity(ED25519_PKCS8_LEN));
                pkcs8.extend_from_slice(&ED25519_PREFIX);
                pkcs8.extend_from_slice(&d);
                pkcs8.extend_from_slice(&ED25519_MIDDLE);
                pkcs8.extend_from_slice(&x);
                let key = IssuerSigningKey::from_pkcs8(SignatureAlgorithm::EdDsa, &pkcs8)
                    .map_err(|_| IssuerError::BadKey)?;
                (key, public)
            }
            _ => return Err(IssuerError::BadKey),
        };
        // ring checks the pair; this makes sure the key signs for the public key written.
        if key.public_key() != public {
            return Err(IssuerError::BadKey);
        }
        Ok(key)
    }
}

/// `key` as a private JWK's text (for a key file).
pub(crate) fn private_jwk(key: &IssuerSigningKey) -> Result<Zeroizing<String>, IssuerError> {
    let jwk = PrivateJwk::of(key)?;
    // Room for the largest key (P-384) up front, so the text is never moved and left behind.
    let mut text = Zeroizing::new(Vec::with_capacity(512));
    serde_json::to_writer(&mut *text, &jwk).map_err(|_| IssuerError::BadKey)?;
    let text = std::mem::take(&mut *text);
    Ok(Zeroizing::new(
        String::from_utf8(text).map_err(|_| IssuerError::BadKey)?,
    ))
}

/// Reads a private P-256 JWK (with `d`), checking `x`/`y` match `d`.
pub fn signing_key_from_jwk(text: &str) -> Result<SigningKey, IssuerError> {
    let jwk: PrivateJwk = serde_json::from_str(text).map_err(|_| IssuerError::BadKey)?;
    jwk.to_p256()
}

/// Reads a private issuer JWK of any supported algorithm (see the module's documentation),
/// checking that the public part matches `d`.
pub fn issuer_signing_key_from_jwk(text: &str) -> Result<IssuerSigningKey, IssuerError> {
    let jwk: PrivateJwk = serde_json::from_str(text).map_err(|_| IssuerError::BadKey)?;
    jwk.to_key()
}

pub(crate) fn write_secret(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)?.write_all(contents.as_bytes())
}

/// A DER certificate as a PEM `CERTIFICATE` block (64-character lines).
pub fn pem_of(der: &[u8]) -> String {
    use base64::Engine as _;
    let body = base64::engine::general_purpose::STANDARD.encode(der);
    let mut out = String::from("-----BEGIN CERTIFICATE-----\n");
    for line in body.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(line).unwrap_or_default());
        out.push('\n');
    }
    out.push_str("-----END CERTIFICATE-----\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use laissez_crypto::issuer_key::IssuerSigner;
    use serde_json::Value;

    #[test]
    fn private_jwks_have_the_standard_members() {
        let expected = [
            (SignatureAlgorithm::Es256, "EC", "P-256", 32),
            (SignatureAlgorithm::Es384, "EC", "P-384", 48),
            (SignatureAlgorithm::EdDsa, "OKP", "Ed25519", 32),
        ];
        for (alg, kty, crv, len) in expected {
            let key = IssuerSigningKey::generate(alg).unwrap();
            let text = private_jwk(&key).unwrap();
            let json: Value = serde_json::from_str(&text).unwrap();
            assert_eq!(json["kty"], kty);
            assert_eq!(json["crv"], crv);
            let d = base64url::decode(json["d"].as_str().unwrap()).unwrap();
            assert_eq!(d.len(), len, "{alg}");
            assert_eq!(json.get("y").is_some(), kty == "EC");
            let back = issuer_signing_key_from_jwk(&text).unwrap();
            assert_eq!(back.public_key(), key.public_key());
        }
    }

    #[test]
    fn an_issuer_file_from_before_other_algorithms_still_loads() {
        // An ES256 issuer.key.json as earlier versions wrote it: kty, crv, x, y, d, no alg.
        let mut scalar = [0u8; 32];
        scalar[31] = 7;
        let old = SigningKey::from_scalar(&scalar).unwrap();
        let public = old.public_key();
        let text = &format!(
            r#"{{"kty":"EC","crv":"P-256","x":"{}","y":"{}","d":"{}"}}"#,
            base64url::encode(public.x()),
            base64url::encode(public.y()),
            base64url::encode(&scalar)
        );
        let key = issuer_signing_key_from_jwk(text).unwrap();
        assert_eq!(key.algorithm(), SignatureAlgorithm::Es256);
        assert_eq!(key.public_key(), IssuerKey::P256(public.clone()));
        assert!(signing_key_from_jwk(text).is_ok());
        // The same file with another key's public part is refused.
        let wrong = text.replace(
            &base64url::encode(public.x()),
            &base64url::encode(&[1u8; 32]),
        );
        assert!(matches!(
            issuer_signing_key_from_jwk(&wrong),
            Err(IssuerError::BadKey)
        ));
    }

    #[test]
    fn keys_whose_public_part_does_not_match_or_is_malformed_are_refused() {
        for alg in [SignatureAlgorithm::Es384, SignatureAlgorithm::EdDsa] {
            let one = private_jwk(&IssuerSigningKey::generate(alg).unwrap()).unwrap();
            let other = private_jwk(&IssuerSigningKey::generate(alg).unwrap()).unwrap();
            let mut mixed: Value = serde_json::from_str(&one).unwrap();
            let other: Value = serde_json::from_str(&other).unwrap();
            mixed["x"] = other["x"].clone();
            mixed["y"] = other.get("y").cloned().unwrap_or(Value::Null);
            if alg == SignatureAlgorithm::EdDsa {
                mixed.as_object_mut().unwrap().remove("y");
            }
            assert!(matches!(
                issuer_signing_key_from_jwk(&mixed.to_string()),
                Err(IssuerError::BadKey)
            ));
            let mut short: Value = serde_json::from_str(&one).unwrap();
            short["d"] = Value::String(base64url::encode(&[7u8; 20]));
            assert!(matches!(
                issuer_signing_key_from_jwk(&short.to_string()),
                Err(IssuerError::BadKey)
            ));
            // A P-384 or Ed25519 key is not a trust-list signer's P-256 key.
            assert!(matches!(
                signing_key_from_jwk(&one),
                Err(IssuerError::BadKey)
            ));
        }
        for text in [
            r#"{"kty":"EC","crv":"P-521","x":"AA","y":"AA","d":"AA"}"#,
            r#"{"kty":"OKP","crv":"X25519","x":"AA","d":"AA"}"#,
            "not json",
        ] {
            assert!(matches!(
                issuer_signing_key_from_jwk(text),
                Err(IssuerError::BadKey)
            ));
        }
    }
}
