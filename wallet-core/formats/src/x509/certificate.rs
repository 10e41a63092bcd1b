//! Reading a certificate: its key (P-256, P-384 or Ed25519), validity, subject, and whether
//! another certificate signed it (ECDSA with SHA-256 or SHA-384, or Ed25519).

use x509_parser::certificate::X509Certificate;
use x509_parser::extensions::GeneralName;
use x509_parser::oid_registry::{
    OID_EC_P256, OID_KEY_TYPE_EC_PUBLIC_KEY, OID_NIST_EC_P384, OID_SIG_ECDSA_WITH_SHA256,
    OID_SIG_ECDSA_WITH_SHA384, OID_SIG_ED25519,
};

use super::error::X509Error;
use super::profile::Profile;
use super::signature_cache;
use laissez_crypto::ecdsa::VerifyingKey;
use laissez_crypto::issuer_key::{IssuerKey, SignatureAlgorithm};

/// Where a moment falls relative to a certificate's validity period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValidityStatus {
    /// `notBefore <= now <= notAfter`.
    Valid,
    /// `now < notBefore`.
    NotYetValid,
    /// `now > notAfter`.
    Expired,
}

/// The subject alternative names a verifier matches an issuer identifier against (RFC 5280
/// §4.2.1.6): `dNSName` and `uniformResourceIdentifier` entries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AltNames {
    /// `dNSName` entries.
    pub dns_names: Vec<String>,
    /// `uniformResourceIdentifier` entries.
    pub uris: Vec<String>,
}

/// A parsed X.509 certificate with an EC P-256, EC P-384 or Ed25519 key.
///
/// Only the pieces the wallet needs are kept; the DER bytes are kept unchanged so the
/// certificate can be embedded again (for example in an `x5chain` header).
#[derive(Clone, PartialEq, Eq)]
pub struct Certificate {
    der: Vec<u8>,
    public_key: IssuerKey,
    not_before: i64,
    not_after: i64,
    common_name: Option<String>,
    country: Option<String>,
    alt_names: AltNames,
    is_ca: bool,
    profile: Profile,
    subject_raw: Vec<u8>,
    issuer_raw: Vec<u8>,
    tbs: Vec<u8>,
    signature: Vec<u8>,
    /// The signature algorithm, `None` when it is none of the three accepted.
    signature_algorithm: Option<SignatureAlgorithm>,
}

impl Certificate {
    /// Parses one DER certificate. Trailing bytes after it are refused.
    pub fn from_der(der: &[u8]) -> Result<Self, X509Error> {
        let (rest, cert) = x509_parser::parse_x509_certificate(der)
            .map_err(|_| X509Error::Malformed("invalid DER certificate"))?;
        if !rest.is_empty() {
            return Err(X509Error::Malformed("trailing bytes after the certificate"));
        }
        Self::from_parsed(der, &cert)
    }

    /// Parses the first PEM `CERTIFICATE` block of `pem`.
    pub fn from_pem(pem: &str) -> Result<Self, X509Error> {
        let block = pem::parse(pem).map_err(|_| X509Error::Malformed("no PEM block"))?;
        if block.tag() != "CERTIFICATE" {
            return Err(X509Error::Malformed("the PEM block is not a CERTIFICATE"));
        }
        Self::from_der(block.contents())
    }

    /// Parses DER, or PEM when the bytes start like PEM text.
    pub fn from_der_or_pem(bytes: &[u8]) -> Result<Self, X509Error> {
        match std::str::from_utf8(bytes) {
            Ok(text) if text.trim_start().starts_with("-----BEGIN") => Self::from_pem(text),
            _ => Self::from_der(bytes),
        }
    }

    fn from_parsed(der: &[u8], cert: &X509Certificate<'_>) -> Result<Self, X509Error> {
        let spki = cert.public_key();
        let curve = spki
            .algorithm
            .parameters
            .as_ref()
            .and_then(|p| p.as_oid().ok());
        let key_bytes = &spki.subject_public_key.data;
        let public_key = if spki.algorithm.algorithm == OID_KEY_TYPE_EC_PUBLIC_KEY {
            match curve {
                Some(c) if c == OID_EC_P256 => {
                    VerifyingKey::from_sec1(key_bytes).map(IssuerKey::P256)
                }
                Some(c) if c == OID_NIST_EC_P384 => IssuerKey::p384_from_sec1(key_bytes),
                _ => None,
            }
        } else if spki.algorithm.algorithm == OID_SIG_ED25519 && spki.algorithm.parameters.is_none()
        {
            // RFC 8410 s3: the parameters are absent.
            IssuerKey::ed25519(key_bytes)
        } else {
            None
        }
        .ok_or(X509Error::UnsupportedKey)?;
        let signature_oid = &cert.signature_algorithm.algorithm;
        let signature_algorithm = if *signature_oid == OID_SIG_ECDSA_WITH_SHA256 {
            Some(SignatureAlgorithm::Es256)
        } else if *signature_oid == OID_SIG_ECDSA_WITH_SHA384 {
            Some(SignatureAlgorithm::Es384)
        } else if *signature_oid == OID_SIG_ED25519 {
            Some(SignatureAlgorithm::EdDsa)
        } else {
            None
        };
        let validity = cert.validity();
        let profile = Profile::read(cert)?;
        let is_ca = profile.is_ca();
        let common_name = cert
            .subject()
            .iter_common_name()
            .next()
            .and_then(|cn| cn.as_str().ok())
            .map(str::to_owned);
        let country = cert
            .subject()
            .iter_country()
            .next()
            .and_then(|c| c.as_str().ok())
            .map(str::to_owned);
        let mut alt_names = AltNames::default();
        if let Some(san) = cert
            .subject_alternative_name()
            .map_err(|_| X509Error::Malformed("invalid subject alternative name"))?
        {
            for name in &san.value.general_names {
                match name {
                    GeneralName::DNSName(dns) => alt_names.dns_names.push((*dns).to_owned()),
                    GeneralName::URI(uri) => alt_names.uris.push((*uri).to_owned()),
                    _ => {}
                }
            }
        }
        Ok(Self {
            der: der.to_vec(),
            public_key,
            not_before: validity.not_before.timestamp(),
            not_after: validity.not_after.timestamp(),
            common_name,
            country,
            alt_names,
            is_ca,
            profile,
            subject_raw: cert.subject().as_raw().to_vec(),
            issuer_raw: cert.issuer().as_raw().to_vec(),
            tbs: cert.tbs_certificate.as_ref().to_vec(),
            signature: cert.signature_value.data.to_vec(),
            signature_algorithm,
        })
    }

    /// What the certificate may be used for: basicConstraints, keyUsage, extendedKeyUsage.
    pub fn profile(&self) -> &Profile {
        &self.profile
    }

    /// The certificate exactly as parsed (DER).
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The subject's public key.
    pub fn public_key(&self) -> &IssuerKey {
        &self.public_key
    }

    /// The algorithm the issuer signed this certificate with; `None` when it is none of
    /// ECDSA with SHA-256 (P-256 keys), ECDSA with SHA-384 (P-384 keys) and Ed25519: such a
    /// certificate is never [`Certificate::is_signed_by`] anything.
    pub fn signature_algorithm(&self) -> Option<SignatureAlgorithm> {
        self.signature_algorithm
    }

    /// `notBefore`, in seconds since the Unix epoch.
    pub fn not_before(&self) -> i64 {
        self.not_before
    }

    /// `notAfter`, in seconds since the Unix epoch.
    pub fn not_after(&self) -> i64 {
        self.not_after
    }

    /// The subject distinguished name as text (RFC 4514 style, e.g. `C=US, CN=utopia ds`).
    /// Formatted on demand, not at parsing: x509-parser's name formatting (its OID registry
    /// and hex encoder) then stays out of builds that never show it, such as the phone
    /// library (ADR 0009).
    pub fn subject(&self) -> String {
        <x509_parser::x509::X509Name<'_> as x509_parser::prelude::FromDer<'_, _>>::from_der(
            &self.subject_raw,
        )
        .map(|(_, name)| name.to_string())
        .unwrap_or_default()
    }

    /// The first common name (CN) of the subject, if any.
    pub fn common_name(&self) -> Option<&str> {
        self.common_name.as_deref()
    }

    /// The subject's country (`C=`, ISO 3166-1 alpha-2 in mdoc certificates), if any.
    pub fn country(&self) -> Option<&str> {
        self.country.as_deref()
    }

    /// The subject alternative names (DNS names and URIs).
    pub fn alt_names(&self) -> &AltNames {
        &self.alt_names
    }

    /// Whether basic constraints mark this certificate as a CA.
    pub fn is_ca(&self) -> bool {
        self.is_ca
    }

    /// Whether the issuer name equals the subject name (a self-issued certificate).
    pub fn is_self_issued(&self) -> bool {
        self.subject_raw == self.issuer_raw
    }

    /// Where `now` (Unix seconds) falls relative to the validity period.
    pub fn validity_at(&self, now: i64) -> ValidityStatus {
        if now < self.not_before {
            ValidityStatus::NotYetValid
        } else if now > self.not_after {
            ValidityStatus::Expired
        } else {
            ValidityStatus::Valid
        }
    }

    /// Whether `issuer` issued this certificate: this certificate's issuer name equals
    /// `issuer`'s subject name, and its signature verifies with `issuer`'s key under the
    /// algorithm of that key (ECDSA P-256 with SHA-256, P-384 with SHA-384, or Ed25519; a
    /// P-256 key with SHA-384 and other pairings are refused). Validity periods are not
    /// checked here.
    pub fn is_signed_by(&self, issuer: &Certificate) -> bool {
        self.issuer_raw == issuer.subject_raw && self.is_signature_valid_cached(&issuer.public_key)
    }

    /// [`Certificate::is_signature_valid`], remembering successes for the process
    /// ([`super::signature_cache`]): chains repeat from one presentation to the next.
    fn is_signature_valid_cached(&self, key: &IssuerKey) -> bool {
        let entry = signature_cache::entry(&self.der, key);
        if signature_cache::contains(&entry) {
            return true;
        }
        let valid = self.is_signature_valid(key);
        if valid {
            signature_cache::remember(entry);
        }
        valid
    }

    /// Whether this certificate's signature verifies with `key`, whose algorithm must be the
    /// certificate's signature algorithm.
    pub fn is_signature_valid(&self, key: &IssuerKey) -> bool {
        self.signature_algorithm
            .is_some_and(|alg| key.verify_x509(alg, &self.tbs, &self.signature).is_ok())
    }
}

impl std::fmt::Debug for Certificate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Certificate")
            .field("subject", &self.subject())
            .field("not_before", &self.not_before)
            .field("not_after", &self.not_after)
            .field("is_ca", &self.is_ca)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::x509::{issue_certificate, self_signed_certificate};
    use laissez_crypto::ecdsa::SigningKey;

    const T0: i64 = 1_700_000_000;

    #[test]
    fn self_signed_round_trip() {
        let key = SigningKey::generate().unwrap();
        let der = self_signed_certificate(&key, "Test IACA", T0, 30).unwrap();
        let cert = Certificate::from_der(&der).unwrap();
        assert_eq!(cert.public_key().as_p256(), Some(key.public_key()));
        assert_eq!(cert.common_name(), Some("Test IACA"));
        assert_eq!(cert.not_before(), T0);
        assert_eq!(cert.not_after(), T0 + 30 * 86_400);
        assert!(cert.is_ca());
        assert!(cert.is_self_issued());
        assert!(cert.is_signed_by(&cert));
        assert_eq!(cert.validity_at(T0 - 1), ValidityStatus::NotYetValid);
        assert_eq!(cert.validity_at(T0 + 10), ValidityStatus::Valid);
        assert_eq!(cert.validity_at(T0 + 31 * 86_400), ValidityStatus::Expired);
        assert_eq!(cert.der(), &der[..]);
    }

    #[test]
    fn chain_of_two() {
        let root_key = SigningKey::generate().unwrap();
        let root =
            Certificate::from_der(&self_signed_certificate(&root_key, "Root", T0, 3650).unwrap())
                .unwrap();
        let leaf_key = SigningKey::generate().unwrap();
        let leaf_der =
            issue_certificate(leaf_key.public_key(), "Signer", T0, 365, &root_key, "Root").unwrap();
        let leaf = Certificate::from_der(&leaf_der).unwrap();
        assert!(!leaf.is_ca());
        assert!(leaf.is_signed_by(&root));
        assert!(!root.is_signed_by(&leaf));
        assert!(!leaf.is_signed_by(&leaf));

        // Same name, other key: the signature check must fail.
        let other_key = SigningKey::generate().unwrap();
        let impostor =
            Certificate::from_der(&self_signed_certificate(&other_key, "Root", T0, 3650).unwrap())
                .unwrap();
        assert!(!leaf.is_signed_by(&impostor));
    }

    #[test]
    fn pem_and_garbage() {
        let key = SigningKey::generate().unwrap();
        let der = self_signed_certificate(&key, "PEM", T0, 1).unwrap();
        let pem = format!(
            "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
            base64::Engine::encode(&base64::engine::general_purpose::STANDARD, &der)
        );
        assert_eq!(Certificate::from_pem(&pem).unwrap().der(), &der[..]);
        assert_eq!(
            Certificate::from_der_or_pem(pem.as_bytes()).unwrap().der(),
            &der[..]
        );
        assert!(matches!(
            Certificate::from_der(&der[..der.len() - 1]),
            Err(X509Error::Malformed(_))
        ));
        let mut extra = der.clone();
        extra.push(0);
        assert!(Certificate::from_der(&extra).is_err());
        assert!(Certificate::from_pem("hello").is_err());
    }
}
