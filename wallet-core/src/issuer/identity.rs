//! An issuer's identity on disk: its signing key (ES256, ES384 or EdDSA; a private JWK, file
//! mode 0600), its document-signer certificate that credentials carry (`x5chain` / `x5c`),
//! and the certificate of the authority (IACA) that issued it, which verifiers trust.
//!
//! Files in the issuer directory:
//! - `issuer.key.json`: private JWK — keep it secret. P-256 and P-384: `kty` `EC`, `crv`, `x`,
//!   `y`, `d`; Ed25519 (RFC 8037): `kty` `OKP`, `crv` `Ed25519`, `x`, `d`. Files written before
//!   other algorithms existed are P-256 JWKs and read as before;
//! - `issuer.pub.json`: public JWK;
//! - `issuer.cert.pem`: the document-signer certificate (in directories written before
//!   certificate chains: a self-signed certificate, which verifiers pin directly);
//! - `iaca.cert.pem`: the authority's root certificate, the trust anchor to give verifiers
//!   (absent in directories written before certificate chains).
//!
//! The authority's private key is not here: see [`super::authority`].

use std::path::Path;

use zeroize::Zeroizing;

use super::error::{IssuerError, io};
use super::key_file::{issuer_signing_key_from_jwk, pem_of, private_jwk, write_secret};
use laissez_crypto::issuer_key::{IssuerSigner as _, IssuerSigningKey, SignatureAlgorithm};
use laissez_formats::jose::IssuerJwk;
use laissez_formats::x509::Certificate;

/// File name of the private key.
pub const KEY_FILE: &str = "issuer.key.json";
/// File name of the public key.
pub const PUBLIC_KEY_FILE: &str = "issuer.pub.json";
/// File name of the (document signer) certificate.
pub const CERT_FILE: &str = "issuer.cert.pem";
/// File name of the authority's root certificate, the verifiers' trust anchor.
pub const ROOT_CERT_FILE: &str = "iaca.cert.pem";

/// An issuer: a signing key, the certificate for it and, when it has one, the root that
/// certified it.
#[derive(Debug)]
pub struct IssuerIdentity {
    /// The signing key (ES256, ES384 or EdDSA).
    pub key: IssuerSigningKey,
    /// The certificate (DER) for `key`: a document signer under `root`, or self-signed.
    pub certificate: Vec<u8>,
    /// The authority's root certificate (DER) that issued `certificate`; never carried in
    /// credentials (verifiers hold it).
    pub root: Option<Vec<u8>>,
    /// The name in the certificate.
    pub name: String,
    /// The issuer identifier SD-JWT VCs carry as `iss`: the certificate's URI subject
    /// alternative name, else `urn:laissez:issuer:<key fingerprint>`.
    pub identifier: String,
}

/// The identifier of an issuer whose certificate names none.
pub(crate) fn default_identifier(key: &IssuerSigningKey) -> String {
    format!("urn:laissez:issuer:{}", key.public_key().fingerprint())
}

impl IssuerIdentity {
    /// An identity from its parts, checking that the certificate is `key`'s (and, when
    /// given, issued by `root`).
    pub fn from_parts(
        key: IssuerSigningKey,
        certificate: Vec<u8>,
        root: Option<Vec<u8>>,
    ) -> Result<Self, IssuerError> {
        let parsed =
            Certificate::from_der(&certificate).map_err(|_| IssuerError::BadCertificate)?;
        if *parsed.public_key() != key.public_key() {
            return Err(IssuerError::BadCertificate);
        }
        if let Some(root) = &root {
            let root = Certificate::from_der(root).map_err(|_| IssuerError::BadCertificate)?;
            if !parsed.is_signed_by(&root) {
                return Err(IssuerError::BadCertificate);
            }
        }
        let identifier = parsed
            .alt_names()
            .uris
            .first()
            .cloned()
            .unwrap_or_else(|| default_identifier(&key));
        Ok(Self {
            name: parsed.common_name().unwrap_or("issuer").to_owned(),
            key,
            certificate,
            root,
            identifier,
        })
    }

    /// The algorithm this issuer signs with.
    pub fn algorithm(&self) -> SignatureAlgorithm {
        self.key.algorithm()
    }

    /// The certificates credentials carry (`x5c`, `x5chain`): the signer's, never the root.
    pub fn chain(&self) -> Vec<Vec<u8>> {
        vec![self.certificate.clone()]
    }

    /// The certificate verifiers should trust: the root when there is one, else the
    /// issuer's own certificate.
    pub fn trust_anchor(&self) -> &[u8] {
        self.root.as_deref().unwrap_or(&self.certificate)
    }

    /// Writes the files into `dir` (created if needed); refuses to overwrite a key.
    pub fn save(&self, dir: &Path) -> Result<(), IssuerError> {
        std::fs::create_dir_all(dir).map_err(io("directory"))?;
        let key_path = dir.join(KEY_FILE);
        if key_path.exists() {
            return Err(IssuerError::AlreadyExists);
        }
        let private = private_jwk(&self.key)?;
        write_secret(&key_path, &private).map_err(io(KEY_FILE))?;
        let public = IssuerJwk::from_issuer_key(self.key.public_key()).to_json();
        std::fs::write(dir.join(PUBLIC_KEY_FILE), format!("{public:#}\n"))
            .map_err(io(PUBLIC_KEY_FILE))?;
        std::fs::write(dir.join(CERT_FILE), pem_of(&self.certificate)).map_err(io(CERT_FILE))?;
        if let Some(root) = &self.root {
            std::fs::write(dir.join(ROOT_CERT_FILE), pem_of(root)).map_err(io(ROOT_CERT_FILE))?;
        }
        Ok(())
    }

    /// Reads an issuer directory written by [`IssuerIdentity::save`].
    pub fn load(dir: &Path) -> Result<Self, IssuerError> {
        let text =
            Zeroizing::new(std::fs::read_to_string(dir.join(KEY_FILE)).map_err(io(KEY_FILE))?);
        let key = issuer_signing_key_from_jwk(&text)?;
        let der = |file: &'static str| -> Result<Vec<u8>, IssuerError> {
            let bytes = std::fs::read(dir.join(file)).map_err(io(file))?;
            Ok(Certificate::from_der_or_pem(&bytes)
                .map_err(|_| IssuerError::BadCertificate)?
                .der()
                .to_vec())
        };
        let certificate = der(CERT_FILE)?;
        let root = if dir.join(ROOT_CERT_FILE).exists() {
            Some(der(ROOT_CERT_FILE)?)
        } else {
            None
        };
        Self::from_parts(key, certificate, root)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use laissez_crypto::issuer_key::IssuerSigner;
    use laissez_formats::x509::self_signed_certificate_in;

    const NOW: i64 = 1_780_000_000;

    #[test]
    fn each_algorithm_saves_and_loads_and_signs_for_its_certificate() {
        for alg in SignatureAlgorithm::ALL {
            let dir = tempfile::tempdir().unwrap();
            let issuer = IssuerIdentity::generate_with(alg, "Office", Some("NE"), NOW, 30).unwrap();
            assert_eq!(issuer.algorithm(), alg);
            issuer.save(dir.path()).unwrap();
            let loaded = IssuerIdentity::load(dir.path()).unwrap();
            assert_eq!(loaded.algorithm(), alg);
            assert_eq!(loaded.key.public_key(), issuer.key.public_key());
            assert_eq!(loaded.certificate, issuer.certificate);
            assert_eq!(loaded.root, issuer.root);
            assert_eq!(loaded.identifier, issuer.identifier);
            assert_eq!(loaded.name, "Office");
            let certificate = Certificate::from_der(&loaded.certificate).unwrap();
            assert_eq!(*certificate.public_key(), issuer.key.public_key());
            // The signer is certified by the root, which is the anchor to hand out.
            let root = Certificate::from_der(loaded.root.as_ref().unwrap()).unwrap();
            assert!(certificate.is_signed_by(&root));
            assert_eq!(loaded.trust_anchor(), root.der());
            assert_eq!(loaded.chain(), vec![loaded.certificate.clone()]);
            assert_eq!(
                certificate.alt_names().uris,
                vec![loaded.identifier.clone()]
            );
            let signature = loaded.key.sign_message(b"message").unwrap();
            issuer
                .key
                .public_key()
                .verify(alg, b"message", &signature)
                .unwrap();
            // The public JWK names the algorithm's key.
            let public = std::fs::read_to_string(dir.path().join(PUBLIC_KEY_FILE)).unwrap();
            let public = IssuerJwk::from_json(&serde_json::from_str(&public).unwrap()).unwrap();
            assert_eq!(public.into_issuer_key(), issuer.key.public_key());
            // A second issuer never replaces the first.
            assert!(matches!(
                issuer.save(dir.path()),
                Err(IssuerError::AlreadyExists)
            ));
        }
    }

    #[test]
    fn a_self_signed_issuer_from_before_chains_still_loads() {
        let key = IssuerSigningKey::generate(SignatureAlgorithm::Es256).unwrap();
        let cert = self_signed_certificate_in(&key, "Old office", Some("NE"), NOW, 30).unwrap();
        let old = IssuerIdentity::from_parts(key, cert, None).unwrap();
        let dir = tempfile::tempdir().unwrap();
        old.save(dir.path()).unwrap();
        assert!(!dir.path().join(ROOT_CERT_FILE).exists());
        let loaded = IssuerIdentity::load(dir.path()).unwrap();
        assert_eq!(loaded.root, None);
        assert_eq!(loaded.trust_anchor(), &loaded.certificate[..]);
        assert!(loaded.identifier.starts_with("urn:laissez:issuer:"));
        // A root that did not issue the certificate is refused.
        let other = IssuerIdentity::generate("Other", NOW, 30).unwrap();
        assert!(matches!(
            IssuerIdentity::from_parts(loaded.key, loaded.certificate, other.root),
            Err(IssuerError::BadCertificate)
        ));
    }
}
