//! An issuer's identity on disk: its P-256 key (a private JWK, file mode 0600) and a
//! self-signed X.509 certificate that credentials carry (`x5chain` / `x5c`).
//!
//! Files in the issuer directory:
//! - `issuer.key.json`: private JWK (`kty`, `crv`, `x`, `y`, `d`) — keep it secret;
//! - `issuer.pub.json`: public JWK, to give to verifiers;
//! - `issuer.cert.pem`: the certificate, to give to verifiers.

use std::path::Path;

use serde_json::{Value, json};
use zeroize::Zeroizing;

use laissez_crypto::ecdsa::SigningKey;
use laissez_formats::jose::P256Jwk;
use laissez_formats::jose::base64url;
use laissez_formats::x509::{Certificate, self_signed_certificate_in};

/// File name of the private key.
pub const KEY_FILE: &str = "issuer.key.json";
/// File name of the public key.
pub const PUBLIC_KEY_FILE: &str = "issuer.pub.json";
/// File name of the certificate.
pub const CERT_FILE: &str = "issuer.cert.pem";

/// What can go wrong with issuer files.
#[derive(Debug, thiserror::Error)]
pub enum IssuerError {
    /// A file could not be read or written.
    #[error("issuer file {file}: {kind}")]
    Io {
        /// Which file.
        file: &'static str,
        /// The I/O error kind.
        kind: std::io::ErrorKind,
    },
    /// The key file is not a P-256 private JWK.
    #[error("the issuer key is not a P-256 private JWK")]
    BadKey,
    /// The certificate is unreadable or not for this key.
    #[error("the issuer certificate is unreadable or not for this key")]
    BadCertificate,
    /// The directory already holds an issuer.
    #[error("the directory already holds an issuer key; it was left untouched")]
    AlreadyExists,
    /// Bad claims or options.
    #[error("invalid issuance input: {0}")]
    InvalidInput(String),
    /// The credential could not be made.
    #[error("issuance failed: {0}")]
    Issue(String),
}

/// An issuer: a signing key and the certificate for it.
#[derive(Debug)]
pub struct IssuerIdentity {
    /// The signing key.
    pub key: SigningKey,
    /// The certificate (DER).
    pub certificate: Vec<u8>,
    /// The name in the certificate.
    pub name: String,
}

fn io(file: &'static str) -> impl Fn(std::io::Error) -> IssuerError {
    move |e| IssuerError::Io {
        file,
        kind: e.kind(),
    }
}

fn private_jwk(key: &SigningKey) -> Zeroizing<String> {
    let public = key.public_key();
    Zeroizing::new(
        json!({
            "kty": "EC",
            "crv": "P-256",
            "x": base64url::encode(public.x()),
            "y": base64url::encode(public.y()),
            "d": base64url::encode(key.scalar()),
        })
        .to_string(),
    )
}

/// Reads a private P-256 JWK (with `d`), checking `x`/`y` match `d`.
pub fn signing_key_from_jwk(text: &str) -> Result<SigningKey, IssuerError> {
    let json: Value = serde_json::from_str(text).map_err(|_| IssuerError::BadKey)?;
    let field = |name: &str| {
        json.get(name)
            .and_then(Value::as_str)
            .ok_or(IssuerError::BadKey)
    };
    if field("kty")? != "EC" || field("crv")? != "P-256" {
        return Err(IssuerError::BadKey);
    }
    let d = Zeroizing::new(base64url::decode(field("d")?).map_err(|_| IssuerError::BadKey)?);
    let scalar: [u8; 32] = d.as_slice().try_into().map_err(|_| IssuerError::BadKey)?;
    let key = SigningKey::from_scalar(&scalar).ok_or(IssuerError::BadKey)?;
    let x = base64url::decode(field("x")?).map_err(|_| IssuerError::BadKey)?;
    let y = base64url::decode(field("y")?).map_err(|_| IssuerError::BadKey)?;
    if key.public_key().x() != x.as_slice() || key.public_key().y() != y.as_slice() {
        return Err(IssuerError::BadKey);
    }
    Ok(key)
}

fn write_secret(path: &Path, contents: &str) -> std::io::Result<()> {
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

impl IssuerIdentity {
    /// A new issuer named `name` with a fresh key and a certificate valid for `days`.
    pub fn generate(name: &str, now: i64, days: u32) -> Result<Self, IssuerError> {
        Self::generate_in(name, None, now, days)
    }

    /// [`IssuerIdentity::generate`] with a country (ISO 3166-1 alpha-2) in the certificate,
    /// which some mdoc verifiers require.
    pub fn generate_in(
        name: &str,
        country: Option<&str>,
        now: i64,
        days: u32,
    ) -> Result<Self, IssuerError> {
        let key = SigningKey::generate().map_err(|e| IssuerError::Issue(e.to_string()))?;
        let certificate = self_signed_certificate_in(&key, name, country, now - 300, days)
            .map_err(|e| IssuerError::InvalidInput(e.to_string()))?;
        Ok(Self {
            key,
            certificate,
            name: name.to_owned(),
        })
    }

    /// Writes the three files into `dir` (created if needed); refuses to overwrite a key.
    pub fn save(&self, dir: &Path) -> Result<(), IssuerError> {
        std::fs::create_dir_all(dir).map_err(io("directory"))?;
        let key_path = dir.join(KEY_FILE);
        if key_path.exists() {
            return Err(IssuerError::AlreadyExists);
        }
        write_secret(&key_path, &private_jwk(&self.key)).map_err(io(KEY_FILE))?;
        let public = P256Jwk::from_verifying_key(self.key.public_key().clone()).to_json();
        std::fs::write(dir.join(PUBLIC_KEY_FILE), format!("{public:#}\n"))
            .map_err(io(PUBLIC_KEY_FILE))?;
        let pem = pem_of(&self.certificate);
        std::fs::write(dir.join(CERT_FILE), pem).map_err(io(CERT_FILE))?;
        Ok(())
    }

    /// Reads an issuer directory written by [`IssuerIdentity::save`].
    pub fn load(dir: &Path) -> Result<Self, IssuerError> {
        let text =
            Zeroizing::new(std::fs::read_to_string(dir.join(KEY_FILE)).map_err(io(KEY_FILE))?);
        let key = signing_key_from_jwk(&text)?;
        let pem = std::fs::read(dir.join(CERT_FILE)).map_err(io(CERT_FILE))?;
        let certificate =
            Certificate::from_der_or_pem(&pem).map_err(|_| IssuerError::BadCertificate)?;
        if certificate.public_key() != key.public_key() {
            return Err(IssuerError::BadCertificate);
        }
        let name = certificate.common_name().unwrap_or("issuer").to_owned();
        Ok(Self {
            key,
            certificate: certificate.der().to_vec(),
            name,
        })
    }
}

fn pem_of(der: &[u8]) -> String {
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
