//! An issuing authority: the root (the IACA of ISO/IEC 18013-5) whose key certifies the
//! document signers that sign credentials and status lists, with the Annex B profiles.
//!
//! Files in the authority directory: `iaca.key.json` (private JWK, mode 0600: keep it
//! offline; it is needed only to certify a new signer) and `iaca.cert.pem` (the root
//! certificate, the trust anchor verifiers are given).

use std::path::Path;

use zeroize::Zeroizing;

use super::error::{IssuerError, io};
use super::identity::{IssuerIdentity, ROOT_CERT_FILE, default_identifier};
use super::key_file::{issuer_signing_key_from_jwk, pem_of, private_jwk, write_secret};
use laissez_crypto::issuer_key::{IssuerSigningKey, SignatureAlgorithm};
use laissez_formats::x509::{
    Certificate, IacaProfile, SignerProfile, document_signer_certificate, iaca_certificate,
};

/// File name of the authority's private key.
pub const ROOT_KEY_FILE: &str = "iaca.key.json";
/// The contact written into certificates when none is given (Annex B asks for an issuer
/// alternative name): a reserved domain, to be replaced by the authority's own.
pub const DEFAULT_CONTACT: &str = "https://laissez.invalid/contact";
/// Certificates start this long before "now", for verifiers whose clocks run behind.
const BACKDATE_SECS: i64 = 300;

/// An issuing authority's root key and certificate.
#[derive(Debug)]
pub struct IssuingAuthority {
    /// The root's key (ES256, ES384 or EdDSA).
    pub key: IssuerSigningKey,
    /// The root certificate (DER), self-signed.
    pub certificate: Vec<u8>,
}

/// What a new document signer is.
#[derive(Debug, Clone, Copy)]
pub struct SignerOrder<'a> {
    /// The signer's algorithm.
    pub alg: SignatureAlgorithm,
    /// Its name (`CN=`).
    pub name: &'a str,
    /// The `iss` of its SD-JWT VCs (a URI), written as its subject alternative name;
    /// `None`: `urn:laissez:issuer:<key fingerprint>`.
    pub identifier: Option<&'a str>,
    /// Start of validity, Unix seconds (backdated 5 minutes).
    pub now: i64,
    /// Days of validity (Annex B recommends at most 457 for a document signer).
    pub days: u32,
}

impl IssuingAuthority {
    /// A new authority named `name` in `country` (ISO 3166-1 alpha-2), reachable at `contact`
    /// (an `https:` URL or `mailto:` address), valid for `days` from `now`.
    pub fn generate(
        alg: SignatureAlgorithm,
        name: &str,
        country: &str,
        contact: &str,
        now: i64,
        days: u32,
    ) -> Result<Self, IssuerError> {
        let key = IssuerSigningKey::generate(alg).map_err(|e| IssuerError::Issue(e.to_string()))?;
        let certificate = iaca_certificate(
            &key,
            &IacaProfile {
                common_name: name,
                country,
                contact_uri: contact,
                not_before: now - BACKDATE_SECS,
                validity_days: days,
            },
        )
        .map_err(|e| IssuerError::InvalidInput(e.to_string()))?;
        Ok(Self { key, certificate })
    }

    /// The root's country (`C=`).
    fn country(&self) -> Result<String, IssuerError> {
        Certificate::from_der(&self.certificate)
            .ok()
            .and_then(|c| c.country().map(str::to_owned))
            .ok_or(IssuerError::BadCertificate)
    }

    /// Certifies a new document signer with a fresh key: an issuer that signs credentials
    /// and status lists, in the root's country.
    pub fn issue_signer(&self, order: &SignerOrder<'_>) -> Result<IssuerIdentity, IssuerError> {
        let key =
            IssuerSigningKey::generate(order.alg).map_err(|e| IssuerError::Issue(e.to_string()))?;
        let identifier = match order.identifier {
            Some(identifier) => identifier.to_owned(),
            None => default_identifier(&key),
        };
        let country = self.country()?;
        let certificate = document_signer_certificate(
            key.public_key(),
            &SignerProfile {
                common_name: order.name,
                country: &country,
                issuer_identifier: Some(&identifier),
                not_before: order.now - BACKDATE_SECS,
                validity_days: order.days,
            },
            &self.key,
            &self.certificate,
        )
        .map_err(|e| IssuerError::InvalidInput(e.to_string()))?;
        IssuerIdentity::from_parts(key, certificate, Some(self.certificate.clone()))
    }

    /// Writes `iaca.key.json` and `iaca.cert.pem` into `dir` (created if needed); refuses to
    /// overwrite a key.
    pub fn save(&self, dir: &Path) -> Result<(), IssuerError> {
        std::fs::create_dir_all(dir).map_err(io("directory"))?;
        let key_path = dir.join(ROOT_KEY_FILE);
        if key_path.exists() {
            return Err(IssuerError::AlreadyExists);
        }
        let private = private_jwk(&self.key)?;
        write_secret(&key_path, &private).map_err(io(ROOT_KEY_FILE))?;
        std::fs::write(dir.join(ROOT_CERT_FILE), pem_of(&self.certificate))
            .map_err(io(ROOT_CERT_FILE))
    }

    /// Reads an authority directory written by [`IssuingAuthority::save`]: the key must be
    /// the certificate's, and the certificate a CA.
    pub fn load(dir: &Path) -> Result<Self, IssuerError> {
        let text = Zeroizing::new(
            std::fs::read_to_string(dir.join(ROOT_KEY_FILE)).map_err(io(ROOT_KEY_FILE))?,
        );
        let key = issuer_signing_key_from_jwk(&text)?;
        let bytes = std::fs::read(dir.join(ROOT_CERT_FILE)).map_err(io(ROOT_CERT_FILE))?;
        let certificate =
            Certificate::from_der_or_pem(&bytes).map_err(|_| IssuerError::BadCertificate)?;
        if *certificate.public_key() != key.public_key() || !certificate.is_ca() {
            return Err(IssuerError::BadCertificate);
        }
        Ok(Self {
            key,
            certificate: certificate.der().to_vec(),
        })
    }
}

impl IssuerIdentity {
    /// A new ES256 issuer named `name`: an authority and a document signer under it, both
    /// valid for `days` (country "XX", unspecified).
    pub fn generate(name: &str, now: i64, days: u32) -> Result<Self, IssuerError> {
        Self::generate_in(name, None, now, days)
    }

    /// [`IssuerIdentity::generate`] in `country` (ISO 3166-1 alpha-2), which mdoc verifiers
    /// match against the document's issuing country.
    pub fn generate_in(
        name: &str,
        country: Option<&str>,
        now: i64,
        days: u32,
    ) -> Result<Self, IssuerError> {
        Self::generate_with(SignatureAlgorithm::Es256, name, country, now, days)
    }

    /// [`IssuerIdentity::generate_in`] signing with `alg` (the authority's key too). The
    /// authority's key is dropped: use [`IssuingAuthority`] to keep it and certify more
    /// signers.
    pub fn generate_with(
        alg: SignatureAlgorithm,
        name: &str,
        country: Option<&str>,
        now: i64,
        days: u32,
    ) -> Result<Self, IssuerError> {
        let authority = IssuingAuthority::generate(
            alg,
            &format!("{name} IACA"),
            country.unwrap_or("XX"),
            DEFAULT_CONTACT,
            now,
            days,
        )?;
        authority.issue_signer(&SignerOrder {
            alg,
            name,
            identifier: None,
            now,
            days,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_780_000_000;

    #[test]
    fn an_authority_saved_and_loaded_certifies_more_signers() {
        let dir = tempfile::tempdir().unwrap();
        let authority = IssuingAuthority::generate(
            SignatureAlgorithm::Es384,
            "Utopia IACA",
            "UT",
            "mailto:pki@utopia.example",
            NOW,
            3650,
        )
        .unwrap();
        authority.save(dir.path()).unwrap();
        assert!(matches!(
            authority.save(dir.path()),
            Err(IssuerError::AlreadyExists)
        ));
        let loaded = IssuingAuthority::load(dir.path()).unwrap();
        assert_eq!(loaded.certificate, authority.certificate);
        let root = Certificate::from_der(&loaded.certificate).unwrap();
        for (alg, identifier) in [
            (
                SignatureAlgorithm::Es256,
                Some("https://issuer.utopia.example"),
            ),
            (SignatureAlgorithm::EdDsa, None),
        ] {
            let signer = loaded
                .issue_signer(&SignerOrder {
                    alg,
                    name: "Utopia DS",
                    identifier,
                    now: NOW,
                    days: 457,
                })
                .unwrap();
            let leaf = Certificate::from_der(&signer.certificate).unwrap();
            assert!(leaf.is_signed_by(&root));
            assert_eq!(leaf.country(), Some("UT"));
            assert_eq!(signer.root.as_deref(), Some(&loaded.certificate[..]));
            match identifier {
                Some(id) => assert_eq!(signer.identifier, id),
                None => assert!(signer.identifier.starts_with("urn:laissez:issuer:")),
            }
        }
        // A signer's directory is not an authority.
        let signer_dir = tempfile::tempdir().unwrap();
        let signer = IssuerIdentity::generate("Office", NOW, 30).unwrap();
        signer.save(signer_dir.path()).unwrap();
        assert!(IssuingAuthority::load(signer_dir.path()).is_err());
    }
}
