//! Creating issuer certificates for our own P-256, P-384 and Ed25519 keys with `rcgen`.
//!
//! `rcgen` signs through its [`rcgen::SigningKey`] trait. We implement it over our own
//! [`IssuerSigner`] (P-256 signatures are low-S, `laissez_crypto::ecdsa::low_s`), and write
//! ECDSA signatures in the ASN.1 DER form that X.509 requires ([`der_signature`]). No `ring`
//! key pair is kept: the key is borrowed only while rcgen signs.

use rcgen::{
    BasicConstraints, CertificateParams, CustomExtension, DistinguishedName, DnType, DnValue,
    ExtendedKeyUsagePurpose, IsCa, Issuer, KeyUsagePurpose, PKCS_ECDSA_P256_SHA256,
    PKCS_ECDSA_P384_SHA384, PKCS_ED25519, PublicKeyData, SerialNumber,
};

use super::error::X509Error;
use laissez_crypto::issuer_key::{IssuerKey, IssuerSigner, SignatureAlgorithm};
use laissez_crypto::random;

/// Latest `notAfter` accepted: 9999-12-31T23:59:59Z, the end of X.509 GeneralizedTime.
const MAX_NOT_AFTER: i64 = 253_402_300_799;
const SECONDS_PER_DAY: i64 = 86_400;

/// rcgen's name for one of our algorithms.
fn rcgen_algorithm(alg: SignatureAlgorithm) -> &'static rcgen::SignatureAlgorithm {
    match alg {
        SignatureAlgorithm::Es256 => &PKCS_ECDSA_P256_SHA256,
        SignatureAlgorithm::Es384 => &PKCS_ECDSA_P384_SHA384,
        SignatureAlgorithm::EdDsa => &PKCS_ED25519,
    }
}

/// A public key as `rcgen` sees it: the uncompressed SEC1 point (P-256, P-384) or the raw
/// Ed25519 key, and its algorithm.
struct RcgenPublic {
    bytes: Vec<u8>,
    alg: SignatureAlgorithm,
}

impl RcgenPublic {
    fn new(key: &IssuerKey) -> Self {
        Self {
            bytes: key.public_bytes(),
            alg: key.algorithm(),
        }
    }
}

impl PublicKeyData for RcgenPublic {
    fn der_bytes(&self) -> &[u8] {
        &self.bytes
    }

    fn algorithm(&self) -> &'static rcgen::SignatureAlgorithm {
        rcgen_algorithm(self.alg)
    }
}

/// Our signing key as `rcgen` sees it: ECDSA with ASN.1 DER signatures (low-S for P-256), or
/// Ed25519.
struct RcgenSigner<'a> {
    key: &'a dyn IssuerSigner,
    public: RcgenPublic,
}

impl<'a> RcgenSigner<'a> {
    fn new(key: &'a dyn IssuerSigner) -> Result<Self, X509Error> {
        Ok(Self {
            key,
            public: RcgenPublic::new(&key.issuer_key()),
        })
    }
}

impl PublicKeyData for RcgenSigner<'_> {
    fn der_bytes(&self) -> &[u8] {
        self.public.der_bytes()
    }

    fn algorithm(&self) -> &'static rcgen::SignatureAlgorithm {
        self.public.algorithm()
    }
}

impl rcgen::SigningKey for RcgenSigner<'_> {
    fn sign(&self, msg: &[u8]) -> Result<Vec<u8>, rcgen::Error> {
        let fixed = self
            .key
            .sign_message(msg)
            .map_err(|_| rcgen::Error::RingUnspecified)?;
        Ok(match self.key.algorithm() {
            SignatureAlgorithm::EdDsa => fixed,
            SignatureAlgorithm::Es256 | SignatureAlgorithm::Es384 => der_signature(&fixed),
        })
    }
}

/// `r || s` as the DER `ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }` (RFC 3279).
fn der_signature(fixed: &[u8]) -> Vec<u8> {
    let (r, s) = fixed.split_at(fixed.len() / 2);
    let (r, s) = (der_unsigned(r), der_unsigned(s));
    // At most 2 * 51 bytes (P-384): every length fits one byte.
    let mut out = vec![0x30, (r.len() + s.len()) as u8];
    out.extend_from_slice(&r);
    out.extend_from_slice(&s);
    out
}

/// A big-endian unsigned number as a DER INTEGER: no leading zero bytes, except one when the
/// top bit is set (DER integers are signed).
fn der_unsigned(bytes: &[u8]) -> Vec<u8> {
    let first = bytes
        .iter()
        .position(|b| *b != 0)
        .unwrap_or(bytes.len() - 1);
    let digits = &bytes[first..];
    let pad = digits[0] & 0x80 != 0;
    let mut out = vec![0x02, (digits.len() + usize::from(pad)) as u8];
    if pad {
        out.push(0);
    }
    out.extend_from_slice(digits);
    out
}

/// Parameters shared by both certificate kinds: subject CN, validity, random serial.
fn base_params(
    common_name: &str,
    not_before: i64,
    validity_days: u32,
) -> Result<CertificateParams, X509Error> {
    if common_name.trim().is_empty() {
        return Err(X509Error::InvalidParameters("empty common name"));
    }
    if validity_days == 0 {
        return Err(X509Error::InvalidParameters(
            "validity must be at least one day",
        ));
    }
    let not_after = i64::from(validity_days)
        .checked_mul(SECONDS_PER_DAY)
        .and_then(|span| not_before.checked_add(span))
        .filter(|t| *t <= MAX_NOT_AFTER)
        .ok_or(X509Error::InvalidParameters(
            "validity ends after year 9999",
        ))?;
    let from_epoch = |t: i64| -> Result<_, X509Error> {
        let secs = u64::try_from(t)
            .map_err(|_| X509Error::InvalidParameters("notBefore is before 1970"))?;
        // Both ends are bounded by MAX_NOT_AFTER above, so this addition cannot overflow.
        Ok(rcgen::date_time_ymd(1970, 1, 1) + std::time::Duration::from_secs(secs))
    };

    let mut params = CertificateParams::default();
    params.not_before = from_epoch(not_before)?;
    params.not_after = from_epoch(not_after)?;
    params.distinguished_name = name_of(common_name, None);
    let mut serial = random::bytes::<16>()
        .map_err(|_| X509Error::Generation("no randomness for the serial number".into()))?;
    serial[0] &= 0x7f; // a positive INTEGER
    serial[0] |= 0x01; // and never a leading zero byte
    params.serial_number = Some(SerialNumber::from_slice(&serial));
    Ok(params)
}

/// `CN=common_name` and, when given, `C=country` (ISO 3166-1 alpha-2; mdoc verifiers such as
/// @auth0/mdl require a country in the issuer name).
fn name_of(common_name: &str, country: Option<&str>) -> DistinguishedName {
    let mut name = DistinguishedName::new();
    if let Some(country) = country {
        // X.520: countryName is a PrintableString (two letters, checked by the callers).
        match rcgen::string::PrintableString::try_from(country) {
            Ok(printable) => name.push(DnType::CountryName, DnValue::PrintableString(printable)),
            Err(_) => name.push(DnType::CountryName, country),
        }
    }
    name.push(DnType::CommonName, common_name);
    name
}

fn ca_params(
    common_name: &str,
    not_before: i64,
    validity_days: u32,
) -> Result<CertificateParams, X509Error> {
    let mut params = base_params(common_name, not_before, validity_days)?;
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    Ok(params)
}

/// A self-signed CA certificate (`CN=common_name`, CA:TRUE, key usages certificate signing,
/// CRL signing and digital signature) for `key`, valid from `not_before` (Unix seconds) for
/// `validity_days` days. Returns DER.
///
/// It can serve as an issuer's root (IACA) or, like many test issuers, directly as the
/// document signer certificate in an mdoc `x5chain`.
pub fn self_signed_certificate(
    key: &dyn IssuerSigner,
    common_name: &str,
    not_before: i64,
    validity_days: u32,
) -> Result<Vec<u8>, X509Error> {
    self_signed_certificate_in(key, common_name, None, not_before, validity_days)
}

/// [`self_signed_certificate`] with a country (`C=`, ISO 3166-1 alpha-2) in the subject.
pub fn self_signed_certificate_in(
    key: &dyn IssuerSigner,
    common_name: &str,
    country: Option<&str>,
    not_before: i64,
    validity_days: u32,
) -> Result<Vec<u8>, X509Error> {
    if country.is_some_and(|c| c.len() != 2 || !c.bytes().all(|b| b.is_ascii_uppercase())) {
        return Err(X509Error::InvalidParameters(
            "country must be two capital letters",
        ));
    }
    let mut params = ca_params(common_name, not_before, validity_days)?;
    params.distinguished_name = name_of(common_name, country);
    let signer = RcgenSigner::new(key)?;
    let cert = params
        .self_signed(&signer)
        .map_err(|e| X509Error::Generation(e.to_string()))?;
    Ok(cert.der().to_vec())
}

/// An end-entity certificate (`CN=common_name`, CA:FALSE, digital signature) for
/// `subject_key`, issued by the CA whose key is `issuer_key` and whose subject is
/// `CN=issuer_common_name` (as made by [`self_signed_certificate`]). Returns DER.
///
/// The subject key may live anywhere (a platform key, say): only its public half is needed.
pub fn issue_certificate(
    subject_key: impl Into<IssuerKey>,
    common_name: &str,
    not_before: i64,
    validity_days: u32,
    issuer_key: &dyn IssuerSigner,
    issuer_common_name: &str,
) -> Result<Vec<u8>, X509Error> {
    let subject_key = subject_key.into();
    let mut params = base_params(common_name, not_before, validity_days)?;
    end_entity(&mut params, &subject_key);
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    // ISO 18013-5 Annex B: a document signer names its purpose; verifiers require it.
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::Other(MDOC_DS_EKU_ARCS.to_vec())];
    sign_with_ca(params, &subject_key, issuer_key, issuer_common_name)
}

/// The arcs of the mdoc document signer EKU 1.0.18013.5.1.2 (`x509::EKU_MDOC_DOCUMENT_SIGNER`).
const MDOC_DS_EKU_ARCS: [u64; 6] = [1, 0, 18013, 5, 1, 2];

/// Issues an intermediate CA certificate for `subject_key` (`CN=common_name`), signed by
/// `issuer_key` as `CN=issuer_common_name`: basicConstraints cA with `path_len` (None:
/// unconstrained), keyUsage keyCertSign, cRLSign. Returns DER.
pub fn issue_ca_certificate(
    subject_key: impl Into<IssuerKey>,
    common_name: &str,
    not_before: i64,
    validity_days: u32,
    path_len: Option<u8>,
    issuer_key: &dyn IssuerSigner,
    issuer_common_name: &str,
) -> Result<Vec<u8>, X509Error> {
    let mut params = base_params(common_name, not_before, validity_days)?;
    params.is_ca = IsCa::Ca(match path_len {
        Some(n) => BasicConstraints::Constrained(n),
        None => BasicConstraints::Unconstrained,
    });
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    sign_with_ca(params, &subject_key.into(), issuer_key, issuer_common_name)
}

fn sign_with_ca(
    mut params: CertificateParams,
    subject_key: &IssuerKey,
    issuer_key: &dyn IssuerSigner,
    issuer_common_name: &str,
) -> Result<Vec<u8>, X509Error> {
    params.use_authority_key_identifier_extension = true;
    // The issuer's name and key identifier are rebuilt from the same inputs that made the CA.
    let issuer_params = ca_params(issuer_common_name, 0, 1)?;
    let issuer = Issuer::new(issuer_params, RcgenSigner::new(issuer_key)?);
    let cert = params
        .signed_by(&RcgenPublic::new(subject_key), &issuer)
        .map_err(|e| X509Error::Generation(e.to_string()))?;
    Ok(cert.der().to_vec())
}

/// What an issuing authority's root certificate (the IACA of ISO/IEC 18013-5) says.
#[derive(Debug, Clone, Copy)]
pub struct IacaProfile<'a> {
    /// The authority's name (`CN=`).
    pub common_name: &'a str,
    /// Its country (`C=`, ISO 3166-1 alpha-2), required by Annex B.
    pub country: &'a str,
    /// How to reach the authority, for the issuer alternative name Annex B requires: an
    /// `https:` URL or a `mailto:` address.
    pub contact_uri: &'a str,
    /// Start of validity, Unix seconds.
    pub not_before: i64,
    /// Days of validity.
    pub validity_days: u32,
}

/// What a document signer (an issuer's signing certificate under an IACA) says.
#[derive(Debug, Clone, Copy)]
pub struct SignerProfile<'a> {
    /// The signer's name (`CN=`).
    pub common_name: &'a str,
    /// Its country (`C=`): Annex B requires the IACA's.
    pub country: &'a str,
    /// The issuer identifier its SD-JWT VCs carry as `iss` (a URL): written as a
    /// `uniformResourceIdentifier` subject alternative name, which SD-JWT VC verifiers match
    /// `iss` against. `None` for a signer of mdocs only.
    pub issuer_identifier: Option<&'a str>,
    /// Start of validity, Unix seconds.
    pub not_before: i64,
    /// Days of validity.
    pub validity_days: u32,
}

/// A self-signed IACA certificate for `key` with the ISO/IEC 18013-5 Annex B (table B.1)
/// profile: `C=` and `CN=` subject, basicConstraints critical cA with pathLenConstraint 0,
/// keyUsage critical keyCertSign and cRLSign, subject key identifier, and an issuer
/// alternative name with `contact_uri`. Returns DER.
///
/// Not written: CRL distribution points (Laissez revokes credentials with status lists, and
/// its verifiers check no CRL).
pub fn iaca_certificate(
    key: &dyn IssuerSigner,
    profile: &IacaProfile<'_>,
) -> Result<Vec<u8>, X509Error> {
    check_country(profile.country)?;
    let mut params = base_params(
        profile.common_name,
        profile.not_before,
        profile.validity_days,
    )?;
    params.distinguished_name = name_of(profile.common_name, Some(profile.country));
    params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    params.custom_extensions = vec![issuer_alt_name(profile.contact_uri)?];
    let signer = RcgenSigner::new(key)?;
    let cert = params
        .self_signed(&signer)
        .map_err(|e| X509Error::Generation(e.to_string()))?;
    Ok(cert.der().to_vec())
}

/// A document signer certificate for `subject_key`, issued by the CA whose certificate is
/// `issuer_der` and whose key is `issuer_key`, with the Annex B (table B.3) profile: `C=`
/// and `CN=` subject, keyUsage critical digitalSignature, extendedKeyUsage critical
/// 1.0.18013.5.1.2 (mdoc document signer), authority and subject key identifiers, the
/// issuer alternative name copied from the CA certificate, and the SD-JWT VC issuer
/// identifier as a subject alternative name. Returns DER.
pub fn document_signer_certificate(
    subject_key: impl Into<IssuerKey>,
    profile: &SignerProfile<'_>,
    issuer_key: &dyn IssuerSigner,
    issuer_der: &[u8],
) -> Result<Vec<u8>, X509Error> {
    check_country(profile.country)?;
    let ca = super::Certificate::from_der(issuer_der)?;
    if ca.public_key() != &issuer_key.issuer_key() {
        return Err(X509Error::InvalidParameters(
            "the CA key does not belong to the CA certificate",
        ));
    }
    if !ca.is_ca() {
        return Err(X509Error::InvalidParameters(
            "the issuing certificate is not a CA",
        ));
    }
    let mut params = base_params(
        profile.common_name,
        profile.not_before,
        profile.validity_days,
    )?;
    params.distinguished_name = name_of(profile.common_name, Some(profile.country));
    let subject_key = subject_key.into();
    end_entity(&mut params, &subject_key);
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.use_authority_key_identifier_extension = true;
    let mut eku = CustomExtension::from_oid_content(EKU_OID_ARCS, MDOC_DS_EKU_VALUE.to_vec());
    eku.set_criticality(true);
    params.custom_extensions.push(eku);
    if let Some(ian) = copied_issuer_alt_name(issuer_der)? {
        params.custom_extensions.push(ian);
    }
    if let Some(iss) = profile.issuer_identifier {
        let uri = rcgen::string::Ia5String::try_from(iss)
            .map_err(|_| X509Error::InvalidParameters("the issuer identifier is not ASCII"))?;
        params.subject_alt_names = vec![rcgen::SanType::URI(uri)];
    }
    let issuer = Issuer::from_ca_cert_der(&issuer_der.into(), RcgenSigner::new(issuer_key)?)
        .map_err(|e| X509Error::Generation(e.to_string()))?;
    let cert = params
        .signed_by(&RcgenPublic::new(&subject_key), &issuer)
        .map_err(|e| X509Error::Generation(e.to_string()))?;
    Ok(cert.der().to_vec())
}

fn check_country(country: &str) -> Result<(), X509Error> {
    if country.len() != 2 || !country.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(X509Error::InvalidParameters(
            "country must be two capital letters",
        ));
    }
    Ok(())
}

/// basicConstraints (2.5.29.19) and subjectKeyIdentifier (2.5.29.14), written by hand for
/// end-entity certificates.
const BASIC_CONSTRAINTS_OID_ARCS: &[u64] = &[2, 5, 29, 19];
const SKI_OID_ARCS: &[u64] = &[2, 5, 29, 14];

/// Marks `params` as an end-entity certificate for `subject_key`: a critical basicConstraints
/// that is an empty `SEQUENCE` (cA FALSE) and a subject key identifier.
///
/// Not rcgen's `IsCa::ExplicitNoCa`: rcgen 0.14 writes `cA BOOLEAN FALSE` there, a DEFAULT
/// value, which DER forbids (X.690 s11.5); strict parsers (Python `cryptography`, so the
/// verifiers built on it) refuse such a certificate. The key identifier is RFC 7093 s2
/// method 1: the leftmost 160 bits of the SHA-256 of the subjectPublicKey bits.
fn end_entity(params: &mut CertificateParams, subject_key: &IssuerKey) {
    params.is_ca = IsCa::NoCa;
    let mut bc = CustomExtension::from_oid_content(BASIC_CONSTRAINTS_OID_ARCS, vec![0x30, 0x00]);
    bc.set_criticality(true);
    let digest = ring::digest::digest(&ring::digest::SHA256, &subject_key.public_bytes());
    let key_id = digest.as_ref().get(..20).unwrap_or(digest.as_ref());
    params.custom_extensions.push(bc);
    params
        .custom_extensions
        .push(CustomExtension::from_oid_content(
            SKI_OID_ARCS,
            der_tlv(0x04, key_id),
        ));
}

/// extendedKeyUsage (2.5.29.37): rcgen writes it non-critical; Annex B wants it critical.
const EKU_OID_ARCS: &[u64] = &[2, 5, 29, 37];
/// `SEQUENCE { OID 1.0.18013.5.1.2 }`, the extension value naming the mdoc document signer
/// purpose. Hand-written: rcgen has no critical extendedKeyUsage.
const MDOC_DS_EKU_VALUE: [u8; 11] = [
    0x30, 0x09, 0x06, 0x07, 0x28, 0x81, 0x8c, 0x5d, 0x05, 0x01, 0x02,
];
/// issuerAltName (2.5.29.18), which rcgen does not write.
const IAN_OID_ARCS: &[u64] = &[2, 5, 29, 18];

/// An issuerAltName extension holding one `uniformResourceIdentifier` (an `https:` URL) or
/// `rfc822Name` (from a `mailto:` address): `GeneralNames ::= SEQUENCE OF GeneralName`.
fn issuer_alt_name(contact: &str) -> Result<CustomExtension, X509Error> {
    if contact.is_empty() || !contact.is_ascii() || contact.chars().any(|c| c.is_ascii_control()) {
        return Err(X509Error::InvalidParameters(
            "the contact URI is empty or not ASCII",
        ));
    }
    let general_name = match contact.strip_prefix("mailto:") {
        // [1] IMPLICIT IA5String
        Some(email) => der_tlv(0x81, email.as_bytes()),
        // [6] IMPLICIT IA5String
        None if contact.starts_with("https://") || contact.starts_with("http://") => {
            der_tlv(0x86, contact.as_bytes())
        }
        None => {
            return Err(X509Error::InvalidParameters(
                "the contact must be an http(s) URL or a mailto: address",
            ));
        }
    };
    Ok(CustomExtension::from_oid_content(
        IAN_OID_ARCS,
        der_tlv(0x30, &general_name),
    ))
}

/// The issuerAltName of a CA certificate, to copy into the certificates it issues (Annex B).
fn copied_issuer_alt_name(ca_der: &[u8]) -> Result<Option<CustomExtension>, X509Error> {
    let (_, ca) = x509_parser::parse_x509_certificate(ca_der)
        .map_err(|_| X509Error::Malformed("invalid DER certificate"))?;
    Ok(ca
        .extensions()
        .iter()
        .find(|ext| ext.oid == x509_parser::oid_registry::OID_X509_EXT_ISSUER_ALT_NAME)
        .map(|ext| CustomExtension::from_oid_content(IAN_OID_ARCS, ext.value.to_vec())))
}

/// One DER tag-length-value (definite length, short or long form).
fn der_tlv(tag: u8, value: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = value.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|b| **b == 0).count();
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
    out.extend_from_slice(value);
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use laissez_crypto::ecdsa::{SIGNATURE_LEN, SigningKey};
    use laissez_crypto::issuer_key::IssuerSigningKey;

    #[test]
    fn every_algorithm_makes_a_chain_that_verifies() {
        use crate::x509::Certificate;
        for root_alg in SignatureAlgorithm::ALL {
            let root_key = IssuerSigningKey::generate(root_alg).unwrap();
            let root_der = self_signed_certificate(&root_key, "Root", 0, 10).unwrap();
            let root = Certificate::from_der(&root_der).unwrap();
            assert_eq!(root.public_key(), &root_key.issuer_key());
            assert_eq!(root.signature_algorithm(), Some(root_alg));
            assert!(root.is_signed_by(&root));
            for leaf_alg in SignatureAlgorithm::ALL {
                let leaf_key = IssuerSigningKey::generate(leaf_alg).unwrap();
                let der = issue_certificate(leaf_key.issuer_key(), "Leaf", 0, 5, &root_key, "Root")
                    .unwrap();
                let leaf = Certificate::from_der(&der).unwrap();
                assert_eq!(leaf.public_key(), &leaf_key.issuer_key());
                assert_eq!(leaf.signature_algorithm(), Some(root_alg));
                assert!(leaf.is_signed_by(&root), "{root_alg} root, {leaf_alg} leaf");
                // Another root of the same name and algorithm did not sign it.
                let other = IssuerSigningKey::generate(root_alg).unwrap();
                let impostor =
                    Certificate::from_der(&self_signed_certificate(&other, "Root", 0, 10).unwrap())
                        .unwrap();
                assert!(!leaf.is_signed_by(&impostor));
            }
        }
    }

    #[test]
    fn annex_b_profiles() {
        use crate::x509::{Certificate, EKU_MDOC_DOCUMENT_SIGNER, Purpose, check_path};
        for alg in SignatureAlgorithm::ALL {
            let root_key = IssuerSigningKey::generate(alg).unwrap();
            let iaca = iaca_certificate(
                &root_key,
                &IacaProfile {
                    common_name: "Utopia IACA",
                    country: "UT",
                    contact_uri: "https://authority.example/contact",
                    not_before: 0,
                    validity_days: 3650,
                },
            )
            .unwrap();
            let signer_key = IssuerSigningKey::generate(SignatureAlgorithm::Es256).unwrap();
            let ds = document_signer_certificate(
                signer_key.issuer_key(),
                &SignerProfile {
                    common_name: "Utopia DS",
                    country: "UT",
                    issuer_identifier: Some("https://issuer.example"),
                    not_before: 0,
                    validity_days: 365,
                },
                &root_key,
                &iaca,
            )
            .unwrap();
            let root = Certificate::from_der(&iaca).unwrap();
            let leaf = Certificate::from_der(&ds).unwrap();
            assert!(leaf.is_signed_by(&root), "{alg}");
            assert_eq!(leaf.country(), Some("UT"));
            assert_eq!(root.profile().ca, Some(Some(0)));
            assert!(!root.profile().unknown_critical_extension);
            assert!(!leaf.profile().unknown_critical_extension);
            assert_eq!(
                leaf.alt_names().uris,
                vec!["https://issuer.example".to_owned()]
            );
            assert_eq!(
                leaf.profile().extended_key_usage,
                Some(vec![EKU_MDOC_DOCUMENT_SIGNER.to_owned()])
            );
            assert_eq!(
                check_path(&[&leaf, &root], Purpose::MdocDocumentSigner, 86_400),
                Ok(())
            );
            // The EKU is critical, the issuer alternative name copied from the IACA.
            let (_, parsed) = x509_parser::parse_x509_certificate(&ds).unwrap();
            let eku = parsed.extended_key_usage().unwrap().unwrap();
            assert!(eku.critical);
            let ian = |der: &[u8]| {
                let (_, c) = x509_parser::parse_x509_certificate(der).unwrap();
                c.extensions()
                    .iter()
                    .find(|e| e.oid == x509_parser::oid_registry::OID_X509_EXT_ISSUER_ALT_NAME)
                    .map(|e| e.value.to_vec())
            };
            assert!(ian(&iaca).is_some());
            assert_eq!(ian(&ds), ian(&iaca));
        }
    }

    /// End-entity certificates in DER: basicConstraints critical and an empty SEQUENCE (cA
    /// FALSE is the DEFAULT, so never encoded: X.690 s11.5), and a subject key identifier.
    /// rcgen's `ExplicitNoCa` wrote `30 03 01 01 00`, which Python `cryptography` refuses
    /// (`ParseError { kind: EncodedDefault, location: ["BasicConstraints::ca"] }`).
    #[test]
    fn end_entity_basic_constraints_are_der() {
        use x509_parser::oid_registry::{
            OID_X509_EXT_BASIC_CONSTRAINTS, OID_X509_EXT_SUBJECT_KEY_IDENTIFIER,
        };
        let root_key = IssuerSigningKey::generate(SignatureAlgorithm::Es256).unwrap();
        let iaca = iaca_certificate(
            &root_key,
            &IacaProfile {
                common_name: "Utopia IACA",
                country: "UT",
                contact_uri: "https://authority.example/contact",
                not_before: 0,
                validity_days: 3650,
            },
        )
        .unwrap();
        let leaf_key = IssuerSigningKey::generate(SignatureAlgorithm::Es384).unwrap();
        let ds = document_signer_certificate(
            leaf_key.issuer_key(),
            &SignerProfile {
                common_name: "Utopia DS",
                country: "UT",
                issuer_identifier: None,
                not_before: 0,
                validity_days: 365,
            },
            &root_key,
            &iaca,
        )
        .unwrap();
        let plain = issue_certificate(
            leaf_key.issuer_key(),
            "Leaf",
            0,
            5,
            &root_key,
            "Utopia IACA",
        )
        .unwrap();
        for der in [ds, plain] {
            let (_, c) = x509_parser::parse_x509_certificate(&der).unwrap();
            let find = |oid| c.extensions().iter().find(|e| e.oid == oid).unwrap();
            let bc = find(OID_X509_EXT_BASIC_CONSTRAINTS);
            assert!(bc.critical);
            assert_eq!(bc.value, &[0x30, 0x00]);
            assert!(!c.basic_constraints().unwrap().unwrap().value.ca);
            let ski = find(OID_X509_EXT_SUBJECT_KEY_IDENTIFIER);
            let digest =
                ring::digest::digest(&ring::digest::SHA256, &leaf_key.issuer_key().public_bytes());
            assert_eq!(ski.value, der_tlv(0x04, &digest.as_ref()[..20]));
            let leaf = crate::x509::Certificate::from_der(&der).unwrap();
            assert!(!leaf.is_ca());
            assert!(!leaf.profile().unknown_critical_extension);
        }
    }

    #[test]
    fn annex_b_refusals() {
        let key = SigningKey::generate().unwrap();
        let profile = IacaProfile {
            common_name: "IACA",
            country: "ut",
            contact_uri: "https://a.example",
            not_before: 0,
            validity_days: 10,
        };
        assert!(iaca_certificate(&key, &profile).is_err());
        let bad_contact = IacaProfile {
            country: "UT",
            contact_uri: "ftp://a.example",
            ..profile
        };
        assert!(iaca_certificate(&key, &bad_contact).is_err());
        let iaca = iaca_certificate(
            &key,
            &IacaProfile {
                country: "UT",
                ..profile
            },
        )
        .unwrap();
        let signer = SignerProfile {
            common_name: "DS",
            country: "UT",
            issuer_identifier: None,
            not_before: 0,
            validity_days: 1,
        };
        // Another key than the CA certificate's.
        let other = SigningKey::generate().unwrap();
        assert!(document_signer_certificate(other.public_key(), &signer, &other, &iaca).is_err());
        // A document signer cannot issue.
        let ds = document_signer_certificate(other.public_key(), &signer, &key, &iaca).unwrap();
        assert!(document_signer_certificate(key.public_key(), &signer, &other, &ds).is_err());
        let mailto = iaca_certificate(
            &key,
            &IacaProfile {
                country: "UT",
                contact_uri: "mailto:pki@authority.example",
                ..profile
            },
        );
        assert!(mailto.is_ok());
        assert_eq!(der_tlv(0x04, &[0; 200])[..3], [0x04, 0x81, 200]);
    }

    #[test]
    fn der_integers_are_minimal_and_positive() {
        assert_eq!(der_unsigned(&[0, 0, 0x7f]), vec![0x02, 1, 0x7f]);
        assert_eq!(der_unsigned(&[0, 0x80, 1]), vec![0x02, 3, 0, 0x80, 1]);
        assert_eq!(der_unsigned(&[0, 0]), vec![0x02, 1, 0]);
        let mut fixed = [0u8; SIGNATURE_LEN];
        fixed[31] = 5;
        fixed[32] = 0xff;
        let der = der_signature(&fixed);
        assert_eq!(der[..5], [0x30, 3 + 35, 0x02, 1, 5]);
        assert_eq!(der[5..8], [0x02, 33, 0]);
    }

    #[test]
    fn certificate_signatures_are_low_s() {
        // 32 certificates all low-S by chance: probability 2^-32.
        let key = SigningKey::generate().unwrap();
        for _ in 0..32 {
            let der = self_signed_certificate(&key, "issuer.example", 0, 1).unwrap();
            let (_, cert) = x509_parser::parse_x509_certificate(&der).unwrap();
            let sig = &cert.signature_value.data;
            // SEQUENCE { INTEGER r, INTEGER s }: s is the last INTEGER.
            let r_len = usize::from(sig[3]);
            let s_at = 4 + r_len;
            let s = &sig[s_at + 2..];
            let mut fixed = [0u8; SIGNATURE_LEN];
            let s = &s[s.len().saturating_sub(32)..];
            fixed[SIGNATURE_LEN - s.len()..].copy_from_slice(s);
            assert!(laissez_crypto::ecdsa::is_low_s(&fixed));
            let parsed = crate::x509::Certificate::from_der(&der).unwrap();
            assert!(parsed.is_signature_valid(&key.public_key().into()));
        }
    }

    #[test]
    fn refuses_bad_parameters() {
        let key = SigningKey::generate().unwrap();
        assert!(matches!(
            self_signed_certificate(&key, " ", 0, 1),
            Err(X509Error::InvalidParameters(_))
        ));
        assert!(self_signed_certificate(&key, "x", 0, 0).is_err());
        assert!(self_signed_certificate(&key, "x", -1, 1).is_err());
        assert!(self_signed_certificate(&key, "x", MAX_NOT_AFTER, 1).is_err());
        assert!(self_signed_certificate(&key, "x", 0, u32::MAX).is_err());
        // Far but legal dates use GeneralizedTime.
        assert!(self_signed_certificate(&key, "x", 4_000_000_000, 10).is_ok());
    }
}
