//! ISO/IEC 18013-5 VICAL (Annex C): a provider's signed list of IACA certificates, the roots
//! of mdoc issuers. An administrator imports one (online) into trust anchors for the field
//! verifiers' trust list; phones never read VICALs (feature `trust-import`).
//!
//! A signed VICAL is a COSE_Sign1 (tag 18 optional) whose unprotected (or protected) header
//! carries `x5chain` (label 33) with the provider's signer certificate first, and whose payload
//! is the CBOR VICAL map: `version`, `vicalProvider`, `date`, `vicalIssueID`, `nextUpdate`,
//! `certificateInfos` (each: `certificate`, `serialNumber`, `ski`, `docType`,
//! `issuingCountry`, `stateOrProvinceName`, ...). Unknown keys are ignored (real lists carry
//! `"Extensions"` with a capital E).
//!
//! Checking a VICAL ([`SignedVical::verify`]):
//! 1. the signature (ES256, ES384 or EdDSA: the algorithms of [`crate::x509`]) with the key of
//!    the first `x5chain` certificate, over the payload bytes as received;
//! 2. that certificate against the provider root the administrator gives: each certificate
//!    of `x5chain` issued by the next, the last by the root (a copy of the root at the end of
//!    `x5chain`, as AAMVA sends, is dropped), then the path checks at the given time (those of
//!    [`crate::x509::check_path`], with nonRepudiation accepted for the signer), and the VICAL signer extended key usage (1.0.18013.5.1.8) when the signer
//!    certificate has an extendedKeyUsage extension;
//! 3. freshness: `date` not in the future, `nextUpdate` (when present) not passed.
//!
//! The entries' own validity comes from their certificates, not from the VICAL's
//! `notBefore`/`notAfter` copies (AAMVA's list has one 12 hours off).

use ciborium::Value;
use coset::iana::EnumI64;
use coset::{
    CborSerializable, CoseSign1, SignatureContext, TaggedCborSerializable, sig_structure_data,
};

use crate::cose_x5chain::{X5ChainError, x5chain_ders};
use crate::x509::{Certificate, PathError, X509Error};
use laissez_crypto::issuer_key::SignatureAlgorithm;

/// The largest signed VICAL accepted, in bytes (real ones are 6 to 55 KB).
pub const MAX_VICAL_LEN: usize = 4 * 1024 * 1024;
/// The most certificateInfos accepted.
pub const MAX_CERTIFICATE_INFOS: usize = 2_000;
/// The most docTypes of one entry.
pub const MAX_DOC_TYPES: usize = 64;
/// The most certificates in the provider's `x5chain`.
pub const MAX_PROVIDER_CHAIN: usize = crate::x509::path::MAX_PATH_LENGTH;
/// The largest certificate of an entry, in bytes.
pub const MAX_ENTRY_CERTIFICATE_LEN: usize = 16 * 1024;
/// The longest text value (provider, docType, country, ...), in bytes.
pub const MAX_TEXT_LEN: usize = 1024;
/// The extended key usage of a VICAL signer certificate (ISO/IEC 18013-5 Annex B).
pub const EKU_VICAL_SIGNER: &str = "1.0.18013.5.1.8";
/// Seconds a VICAL's `date` may lie ahead of the verifier's clock.
pub const VICAL_CLOCK_SKEW_SECS: i64 = 300;

/// The CBOR tag of an RFC 3339 date-time text (`tdate`).
const TAG_TDATE: u64 = 0;

/// Why a VICAL was refused. Messages name the problem, never list contents.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VicalError {
    /// Beyond one of the limits of this module.
    #[error("VICAL too large: {0}")]
    TooLarge(&'static str),
    /// Not a COSE_Sign1 over a VICAL map, or a member of the wrong type.
    #[error("malformed VICAL: {0}")]
    Malformed(&'static str),
    /// The protected header names an algorithm Laissez does not verify (only ES256, ES384
    /// and EdDSA are).
    #[error("unsupported VICAL signature algorithm: {0} (Laissez verifies ES256, ES384 and EdDSA)")]
    UnsupportedAlgorithm(String),
    /// The provider's signer certificate (or one above it) is not one Laissez can check:
    /// only P-256, P-384 and Ed25519 keys signed with ECDSA SHA-256/384 or Ed25519 are.
    #[error("unsupported VICAL provider certificate {depth}: {reason}")]
    UnsupportedProviderCertificate {
        /// Its position in `x5chain` (0 = the signer).
        depth: usize,
        /// What is not supported.
        reason: String,
    },
    /// No `x5chain` in the headers.
    #[error("the VICAL carries no provider certificate (x5chain)")]
    NoProviderCertificate,
    /// The signature does not verify with the provider certificate's key.
    #[error("VICAL signature does not verify with its provider certificate")]
    BadSignature,
    /// The provider certificate does not chain to the given provider root.
    #[error("the VICAL provider certificate is not issued under the given provider root")]
    UntrustedProvider,
    /// The chain to the provider root fails a path check (validity, CA flags, ...).
    #[error("VICAL provider certificate path: {0}")]
    ProviderPath(PathError),
    /// The signer certificate has an extendedKeyUsage without the VICAL signer purpose.
    #[error(
        "the VICAL provider certificate lacks the VICAL signer extended key usage {EKU_VICAL_SIGNER}"
    )]
    NotAVicalSigner,
    /// `nextUpdate` has passed: the list is stale.
    #[error("VICAL expired: its nextUpdate has passed (a newer list should exist)")]
    Expired,
    /// `date` lies in the future.
    #[error("VICAL not yet valid: its date lies in the future")]
    NotYetValid,
}

/// One `CertificateInfo` of a VICAL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VicalEntry {
    /// The IACA certificate (DER), as listed.
    pub certificate: Vec<u8>,
    /// `serialNumber` as listed (big-endian bytes).
    pub serial_number: Vec<u8>,
    /// `ski` as listed (real lists disagree on its form: the key identifier, the whole
    /// extension value, or a public key).
    pub ski: Vec<u8>,
    /// `docType`: the document types this IACA may issue.
    pub doc_types: Vec<String>,
    /// `issuingCountry` (ISO 3166-1 alpha-2), when present.
    pub issuing_country: Option<String>,
    /// `stateOrProvinceName`, when present.
    pub state_or_province: Option<String>,
    /// `issuingAuthority`, when present.
    pub issuing_authority: Option<String>,
}

impl VicalEntry {
    /// Whether the entry lists `doc_type` (an empty `doc_types` filter matches every entry).
    pub fn covers_any(&self, doc_types: &[String]) -> bool {
        doc_types.is_empty() || doc_types.iter().any(|d| self.doc_types.contains(d))
    }

    /// Whether the entry's country is one of `countries` (compared case-insensitively; an
    /// empty filter matches every entry, an entry without a country matches no filter).
    pub fn in_any_country(&self, countries: &[String]) -> bool {
        countries.is_empty()
            || self
                .issuing_country
                .as_deref()
                .is_some_and(|c| countries.iter().any(|w| w.eq_ignore_ascii_case(c)))
    }

    /// The certificate as Laissez uses it (P-256, P-384 or Ed25519 key). Real VICALs also
    /// list P-521, brainpool and RSA IACAs, and certificates with non-DER extensions: those
    /// give an error naming the reason, for the caller to skip that one entry.
    pub fn parsed_certificate(&self) -> Result<Certificate, X509Error> {
        Certificate::from_der(&self.certificate)
    }

    /// A display name: the certificate subject's common name, or the whole subject, or
    /// `issuingAuthority`; `None` when the certificate does not parse at all.
    pub fn display_name(&self) -> Option<String> {
        subject_name(&self.certificate).or_else(|| self.issuing_authority.clone())
    }
}

/// A certificate's common name, or its whole subject when it has none.
pub(crate) fn subject_name(der: &[u8]) -> Option<String> {
    let (_, cert) = x509_parser::parse_x509_certificate(der).ok()?;
    let subject = cert.subject();
    subject
        .iter_common_name()
        .next()
        .and_then(|cn| cn.as_str().ok())
        .map(str::to_owned)
        .or_else(|| Some(subject.to_string()))
}

/// The VICAL map (the COSE payload).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vical {
    /// `version`, e.g. "1.0".
    pub version: String,
    /// `vicalProvider`.
    pub provider: String,
    /// `date`: when the list was made (Unix seconds).
    pub date: i64,
    /// `vicalIssueID`, when present: grows with each list.
    pub issue_id: Option<u64>,
    /// `nextUpdate` (Unix seconds), when present.
    pub next_update: Option<i64>,
    /// `certificateInfos`, in list order.
    pub entries: Vec<VicalEntry>,
}

impl Vical {
    /// The entries listing one of `doc_types` and issued in one of `countries` (each filter
    /// empty = any).
    pub fn select<'a>(
        &'a self,
        doc_types: &'a [String],
        countries: &'a [String],
    ) -> impl Iterator<Item = &'a VicalEntry> + 'a {
        self.entries
            .iter()
            .filter(move |e| e.covers_any(doc_types) && e.in_any_country(countries))
    }
}

/// A parsed, not yet verified VICAL.
#[derive(Debug, Clone)]
pub struct SignedVical {
    sign1: CoseSign1,
    alg: SignatureAlgorithm,
    chain: Vec<Vec<u8>>,
    vical: Vical,
}

impl SignedVical {
    /// Parses a signed VICAL (bounded sizes and counts). Nothing is trusted yet: call
    /// [`SignedVical::verify`].
    pub fn parse(bytes: &[u8]) -> Result<Self, VicalError> {
        if bytes.len() > MAX_VICAL_LEN {
            return Err(VicalError::TooLarge("file size"));
        }
        let sign1 = parse_sign1(bytes)?;
        let alg = match crate::cose_alg::from_cose(sign1.protected.header.alg.as_ref()) {
            Some(alg) => alg,
            None => {
                return Err(VicalError::UnsupportedAlgorithm(
                    match &sign1.protected.header.alg {
                        Some(coset::RegisteredLabelWithPrivate::Assigned(a)) => {
                            format!("COSE algorithm {}", a.to_i64())
                        }
                        Some(coset::RegisteredLabelWithPrivate::PrivateUse(n)) => {
                            format!("COSE algorithm {n}")
                        }
                        Some(coset::RegisteredLabelWithPrivate::Text(_)) => {
                            "a text algorithm label".into()
                        }
                        None => "none named in the protected header".into(),
                    },
                ));
            }
        };
        let chain = x5chain(&sign1)?;
        let payload = sign1
            .payload
            .as_deref()
            .ok_or(VicalError::Malformed("the COSE_Sign1 has no payload"))?;
        let vical = parse_payload(payload)?;
        Ok(Self {
            sign1,
            alg,
            chain,
            vical,
        })
    }

    /// The list as parsed, before any check (for showing what a refused list holds).
    pub fn unverified(&self) -> &Vical {
        &self.vical
    }

    /// The provider's certificates from `x5chain` (DER), signer first.
    pub fn provider_chain(&self) -> &[Vec<u8>] {
        &self.chain
    }

    /// The signature algorithm the protected header names.
    pub fn algorithm(&self) -> SignatureAlgorithm {
        self.alg
    }

    /// Checks the signature with the signer certificate, only that (no provider root).
    pub fn check_signature(&self) -> Result<Certificate, VicalError> {
        let der = self
            .chain
            .first()
            .ok_or(VicalError::NoProviderCertificate)?;
        let signer = provider_certificate(der, 0)?;
        let payload = self
            .sign1
            .payload
            .as_deref()
            .ok_or(VicalError::Malformed("the COSE_Sign1 has no payload"))?;
        let tbs = sig_structure_data(
            SignatureContext::CoseSign1,
            self.sign1.protected.clone(),
            None,
            b"",
            payload,
        );
        signer
            .public_key()
            .verify(self.alg, &tbs, &self.sign1.signature)
            .map_err(|_| VicalError::BadSignature)?;
        Ok(signer)
    }

    /// Verifies the list (module documentation: signature, provider path to
    /// `provider_root`, freshness) at `now` (Unix seconds) and returns it.
    pub fn verify(&self, provider_root: &Certificate, now: i64) -> Result<&Vical, VicalError> {
        let signer = self.check_signature()?;
        // x5chain may end with the root itself: drop copies of it.
        let mut above: Vec<&Vec<u8>> = self.chain.iter().skip(1).collect();
        while above
            .last()
            .is_some_and(|der| der.as_slice() == provider_root.der())
        {
            above.pop();
        }
        let mut path = vec![signer];
        for (index, der) in above.into_iter().enumerate() {
            path.push(provider_certificate(der, index + 1)?);
        }
        if path
            .iter()
            .zip(path.iter().skip(1))
            .any(|(lower, upper)| !lower.is_signed_by(upper))
        {
            return Err(VicalError::UntrustedProvider);
        }
        let top = path.last().ok_or(VicalError::NoProviderCertificate)?;
        if top.der() != provider_root.der() && !top.is_signed_by(provider_root) {
            return Err(VicalError::UntrustedProvider);
        }
        let mut refs: Vec<&Certificate> = path.iter().collect();
        if top.der() != provider_root.der() {
            refs.push(provider_root);
        }
        check_provider_path(&refs, now)?;
        if path.first().is_some_and(|first| {
            first.profile().extended_key_usage.is_some()
                && !first.profile().has_extended_key_usage(EKU_VICAL_SIGNER)
        }) {
            return Err(VicalError::NotAVicalSigner);
        }
        if self.vical.date > now.saturating_add(VICAL_CLOCK_SKEW_SECS) {
            return Err(VicalError::NotYetValid);
        }
        if self.vical.next_update.is_some_and(|next| now > next) {
            return Err(VicalError::Expired);
        }
        Ok(&self.vical)
    }
}

/// The path checks of [`crate::x509::check_path`] for a VICAL signer: real signers (AAMVA's,
/// Austroads') carry keyUsage nonRepudiation (contentCommitment) alone, which ISO/IEC
/// 18013-5 Annex B allows for the VICAL signer, where `check_path`'s `Signing` purpose asks
/// for digitalSignature. So: validity and length as there, the signer's keyUsage (when
/// present) digitalSignature or nonRepudiation, and each certificate above it a CA allowed
/// to sign certificates within its pathLenConstraint.
fn check_provider_path(path: &[&Certificate], now: i64) -> Result<(), VicalError> {
    let [signer, issuers @ ..] = path else {
        return Err(VicalError::NoProviderCertificate);
    };
    // Validity and length, with a plain-signing end certificate stand-in: `check_path`
    // on the issuers alone would ask the first CA for digitalSignature.
    if path.len() > crate::x509::path::MAX_PATH_LENGTH {
        return Err(VicalError::ProviderPath(PathError::TooLong));
    }
    for (depth, cert) in path.iter().enumerate() {
        match cert.validity_at(now) {
            crate::x509::ValidityStatus::Valid => {}
            crate::x509::ValidityStatus::Expired => {
                return Err(VicalError::ProviderPath(PathError::Expired { depth }));
            }
            crate::x509::ValidityStatus::NotYetValid => {
                return Err(VicalError::ProviderPath(PathError::NotYetValid { depth }));
            }
        }
    }
    if !signer_may_sign(signer.der()) {
        return Err(VicalError::ProviderPath(PathError::NoDigitalSignature));
    }
    let mut intermediates_below = 0u32;
    for (index, ca) in issuers.iter().enumerate() {
        let depth = index + 1;
        let profile = ca.profile();
        let Some(path_len) = profile.ca else {
            return Err(VicalError::ProviderPath(PathError::NotACa { depth }));
        };
        if !profile.may_sign_certificates() {
            return Err(VicalError::ProviderPath(PathError::NoKeyCertSign { depth }));
        }
        if path_len.is_some_and(|max| intermediates_below > max) {
            return Err(VicalError::ProviderPath(PathError::PathLengthExceeded {
                depth,
            }));
        }
        if !ca.is_self_issued() {
            intermediates_below += 1;
        }
    }
    Ok(())
}

/// Whether the signer's keyUsage, if present, has digitalSignature or nonRepudiation.
fn signer_may_sign(der: &[u8]) -> bool {
    let Ok((_, cert)) = x509_parser::parse_x509_certificate(der) else {
        return false;
    };
    match cert.key_usage() {
        Ok(None) => true,
        Ok(Some(ku)) => ku.value.digital_signature() || ku.value.non_repudiation(),
        Err(_) => false,
    }
}

fn provider_certificate(der: &[u8], depth: usize) -> Result<Certificate, VicalError> {
    let cert = Certificate::from_der(der).map_err(|err| match err {
        X509Error::UnsupportedKey => VicalError::UnsupportedProviderCertificate {
            depth,
            reason: "its key is not P-256, P-384 or Ed25519".into(),
        },
        other => VicalError::UnsupportedProviderCertificate {
            depth,
            reason: other.to_string(),
        },
    })?;
    Ok(cert)
}

fn parse_sign1(bytes: &[u8]) -> Result<CoseSign1, VicalError> {
    // coset keeps the protected header's bytes as received, for the Sig_structure.
    CoseSign1::from_slice(bytes)
        .or_else(|_| CoseSign1::from_tagged_slice(bytes))
        .map_err(|_| VicalError::Malformed("not a COSE_Sign1"))
}

fn x5chain(sign1: &CoseSign1) -> Result<Vec<Vec<u8>>, VicalError> {
    let ders = match x5chain_ders(sign1) {
        Ok(Some(ders)) => ders,
        Ok(None) => return Err(VicalError::NoProviderCertificate),
        Err(X5ChainError::Twice) => return Err(VicalError::Malformed("x5chain appears twice")),
        Err(X5ChainError::EntryNotBytes) => {
            return Err(VicalError::Malformed("x5chain entry is not a byte string"));
        }
        Err(X5ChainError::NotAChain) => return Err(VicalError::Malformed("x5chain")),
    };
    if ders.len() > MAX_PROVIDER_CHAIN {
        return Err(VicalError::TooLarge("provider certificate chain"));
    }
    Ok(ders.into_iter().map(<[u8]>::to_vec).collect())
}

/// The text-keyed members of a CBOR map; a non-text key is refused.
fn members<'a>(
    value: &'a Value,
    what: &'static str,
) -> Result<Vec<(&'a str, &'a Value)>, VicalError> {
    let map = value.as_map().ok_or(VicalError::Malformed(what))?;
    map.iter()
        .map(|(k, v)| Ok((k.as_text().ok_or(VicalError::Malformed(what))?, v)))
        .collect()
}

fn get<'a>(members: &[(&str, &'a Value)], key: &str) -> Option<&'a Value> {
    members.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

fn text(value: &Value, what: &'static str) -> Result<String, VicalError> {
    let text = value.as_text().ok_or(VicalError::Malformed(what))?;
    if text.len() > MAX_TEXT_LEN {
        return Err(VicalError::TooLarge(what));
    }
    Ok(text.to_owned())
}

fn opt_text(
    members: &[(&str, &Value)],
    key: &str,
    what: &'static str,
) -> Result<Option<String>, VicalError> {
    get(members, key).map(|v| text(v, what)).transpose()
}

fn tdate(value: &Value, what: &'static str) -> Result<i64, VicalError> {
    let inner = match value {
        Value::Tag(TAG_TDATE, inner) => inner.as_ref(),
        other => other,
    };
    let text = inner.as_text().ok_or(VicalError::Malformed(what))?;
    crate::mdoc::tdate::parse_tdate(text).map_err(|_| VicalError::Malformed(what))
}

fn parse_payload(payload: &[u8]) -> Result<Vical, VicalError> {
    let value: Value = ciborium::de::from_reader(payload)
        .map_err(|_| VicalError::Malformed("the payload is not CBOR"))?;
    let top = members(&value, "the payload is not a map with text keys")?;
    let required =
        |key: &str, what: &'static str| get(&top, key).ok_or(VicalError::Malformed(what));
    let version = text(required("version", "version missing")?, "version")?;
    let provider = text(
        required("vicalProvider", "vicalProvider missing")?,
        "vicalProvider",
    )?;
    let date = tdate(required("date", "date missing")?, "date")?;
    let issue_id = match get(&top, "vicalIssueID") {
        None => None,
        Some(v) => Some(
            v.as_integer()
                .and_then(|i| u64::try_from(i).ok())
                .ok_or(VicalError::Malformed("vicalIssueID"))?,
        ),
    };
    let next_update = get(&top, "nextUpdate")
        .map(|v| tdate(v, "nextUpdate"))
        .transpose()?;
    let infos = required("certificateInfos", "certificateInfos missing")?
        .as_array()
        .ok_or(VicalError::Malformed("certificateInfos"))?;
    if infos.len() > MAX_CERTIFICATE_INFOS {
        return Err(VicalError::TooLarge("certificateInfos count"));
    }
    let entries = infos.iter().map(parse_entry).collect::<Result<_, _>>()?;
    Ok(Vical {
        version,
        provider,
        date,
        issue_id,
        next_update,
        entries,
    })
}

fn bytes_of(value: &Value, what: &'static str, max: usize) -> Result<Vec<u8>, VicalError> {
    let bytes = value.as_bytes().ok_or(VicalError::Malformed(what))?;
    if bytes.len() > max {
        return Err(VicalError::TooLarge(what));
    }
    Ok(bytes.clone())
}

fn parse_entry(value: &Value) -> Result<VicalEntry, VicalError> {
    let m = members(value, "a certificateInfo is not a map with text keys")?;
    let certificate = bytes_of(
        get(&m, "certificate").ok_or(VicalError::Malformed(
            "a certificateInfo has no certificate",
        ))?,
        "certificateInfo certificate",
        MAX_ENTRY_CERTIFICATE_LEN,
    )?;
    let serial_number = match get(&m, "serialNumber") {
        None => Vec::new(),
        // biguint: tag 2 over a byte string; small serials may be plain integers.
        Some(Value::Tag(2, inner)) => bytes_of(inner, "serialNumber", 64)?,
        Some(Value::Bytes(b)) if b.len() <= 64 => b.clone(),
        Some(Value::Integer(i)) => {
            let n = u128::try_from(*i).map_err(|_| VicalError::Malformed("serialNumber"))?;
            let bytes = n.to_be_bytes();
            let first = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
            bytes.get(first..).unwrap_or_default().to_vec()
        }
        Some(_) => return Err(VicalError::Malformed("serialNumber")),
    };
    let ski = match get(&m, "ski") {
        None => Vec::new(),
        Some(v) => bytes_of(v, "ski", 1024)?,
    };
    let doc_types = match get(&m, "docType") {
        None => Vec::new(),
        Some(Value::Text(one)) => vec![text(&Value::Text(one.clone()), "docType")?],
        Some(Value::Array(items)) => {
            if items.len() > MAX_DOC_TYPES {
                return Err(VicalError::TooLarge("docType count"));
            }
            items
                .iter()
                .map(|v| text(v, "docType"))
                .collect::<Result<_, _>>()?
        }
        Some(_) => return Err(VicalError::Malformed("docType")),
    };
    Ok(VicalEntry {
        certificate,
        serial_number,
        ski,
        doc_types,
        issuing_country: opt_text(&m, "issuingCountry", "issuingCountry")?,
        state_or_province: opt_text(&m, "stateOrProvinceName", "stateOrProvinceName")?,
        issuing_authority: opt_text(&m, "issuingAuthority", "issuingAuthority")?,
    })
}

#[cfg(all(test, feature = "issue"))]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::x509::self_signed_certificate_in;
    use coset::iana;
    use coset::{CoseSign1Builder, HeaderBuilder};
    use laissez_crypto::issuer_key::{IssuerSigner, IssuerSigningKey};

    const T0: i64 = 1_750_000_000;

    fn tdate(text: &str) -> Value {
        Value::Tag(TAG_TDATE, Box::new(Value::Text(text.into())))
    }

    fn entry(der: &[u8], country: &str, doc_types: &[&str]) -> Value {
        Value::Map(vec![
            (
                Value::Text("certificate".into()),
                Value::Bytes(der.to_vec()),
            ),
            (
                Value::Text("serialNumber".into()),
                Value::Tag(2, Box::new(Value::Bytes(vec![1, 2]))),
            ),
            (Value::Text("ski".into()), Value::Bytes(vec![7; 20])),
            (
                Value::Text("docType".into()),
                Value::Array(doc_types.iter().map(|d| Value::Text((*d).into())).collect()),
            ),
            (
                Value::Text("issuingCountry".into()),
                Value::Text(country.into()),
            ),
            (Value::Text("Extensions".into()), Value::Map(Vec::new())),
        ])
    }

    fn payload(entries: Value, next_update: Option<&str>) -> Vec<u8> {
        let mut map = vec![
            (Value::Text("version".into()), Value::Text("1.0".into())),
            (
                Value::Text("vicalProvider".into()),
                Value::Text("Test".into()),
            ),
            (Value::Text("date".into()), tdate("2025-06-15T00:00:00Z")),
            (Value::Text("vicalIssueID".into()), Value::Integer(3.into())),
            (Value::Text("certificateInfos".into()), entries),
        ];
        if let Some(next) = next_update {
            map.push((Value::Text("nextUpdate".into()), tdate(next)));
        }
        let mut out = Vec::new();
        ciborium::ser::into_writer(&Value::Map(map), &mut out).unwrap();
        out
    }

    /// A VICAL signed by `signer`, whose certificate (`der`) travels in x5chain.
    fn signed(signer: &dyn IssuerSigner, der: Option<&[u8]>, payload: Vec<u8>) -> Vec<u8> {
        let mut unprotected = HeaderBuilder::new();
        if let Some(der) = der {
            unprotected = unprotected.value(
                iana::HeaderParameter::X5Chain.to_i64(),
                Value::Array(vec![Value::Bytes(der.to_vec())]),
            );
        }
        CoseSign1Builder::new()
            .protected(
                HeaderBuilder::new()
                    .algorithm(crate::cose_alg::to_cose(signer.algorithm()))
                    .build(),
            )
            .unprotected(unprotected.build())
            .payload(payload)
            .try_create_signature(b"", |tbs| signer.sign_message(tbs))
            .unwrap()
            .build()
            .to_vec()
            .unwrap()
    }

    #[test]
    fn es256_es384_and_eddsa_vicals_verify_and_select() {
        for alg in [
            SignatureAlgorithm::Es256,
            SignatureAlgorithm::Es384,
            SignatureAlgorithm::EdDsa,
        ] {
            let key = IssuerSigningKey::generate(alg).unwrap();
            // The provider's root signs the list itself: x5chain = [root].
            let der = self_signed_certificate_in(&key, "VICAL root", Some("ZZ"), T0, 30).unwrap();
            let root = Certificate::from_der(&der).unwrap();
            let entries = Value::Array(vec![
                entry(&der, "FR", &["org.iso.18013.5.1.mDL"]),
                entry(
                    &der,
                    "de",
                    &["org.iso.18013.5.1.mDL", "eu.europa.ec.eudi.pid.1"],
                ),
            ]);
            let bytes = signed(
                &key,
                Some(&der),
                payload(entries, Some("2025-07-01T00:00:00Z")),
            );
            let vical = SignedVical::parse(&bytes).unwrap();
            assert_eq!(vical.algorithm(), alg);
            let list = vical.verify(&root, T0 + 86_400).unwrap();
            assert_eq!((list.provider.as_str(), list.issue_id), ("Test", Some(3)));
            assert_eq!(list.entries[0].serial_number, [1, 2]);
            let pid = ["eu.europa.ec.eudi.pid.1".to_owned()];
            assert_eq!(list.select(&pid, &[]).count(), 1);
            assert_eq!(list.select(&[], &["DE".to_owned()]).count(), 1);
            assert_eq!(list.select(&pid, &["FR".to_owned()]).count(), 0);
            assert_eq!(
                list.entries[0].display_name().as_deref(),
                Some("VICAL root")
            );
            // After nextUpdate (2025-07-01): stale.
            assert_eq!(vical.verify(&root, 1_751_500_000), Err(VicalError::Expired));
            // Another root.
            let other = IssuerSigningKey::generate(alg).unwrap();
            let other = Certificate::from_der(
                &self_signed_certificate_in(&other, "VICAL root", None, T0, 30).unwrap(),
            )
            .unwrap();
            assert_eq!(
                vical.verify(&other, T0 + 86_400),
                Err(VicalError::UntrustedProvider)
            );
        }
    }

    #[test]
    fn malformed_structures_have_typed_errors() {
        let key = IssuerSigningKey::generate(SignatureAlgorithm::Es256).unwrap();
        let der = self_signed_certificate_in(&key, "VICAL root", None, T0, 30).unwrap();
        let parse = |payload: Vec<u8>, der: Option<&[u8]>| {
            SignedVical::parse(&signed(&key, der, payload)).err()
        };
        assert_eq!(
            parse(payload(Value::Array(Vec::new()), None), None),
            Some(VicalError::NoProviderCertificate)
        );
        assert_eq!(
            parse(payload(Value::Text("no".into()), None), Some(&der)),
            Some(VicalError::Malformed("certificateInfos"))
        );
        let many = Value::Array(vec![entry(&der, "FR", &[]); MAX_CERTIFICATE_INFOS + 1]);
        assert_eq!(
            parse(payload(many, None), Some(&der)),
            Some(VicalError::TooLarge("certificateInfos count"))
        );
        assert_eq!(
            parse(
                payload(Value::Array(vec![Value::Integer(1.into())]), None),
                Some(&der)
            ),
            Some(VicalError::Malformed(
                "a certificateInfo is not a map with text keys"
            ))
        );
        let mut not_a_map = Vec::new();
        ciborium::ser::into_writer(&Value::Array(Vec::new()), &mut not_a_map).unwrap();
        assert!(matches!(
            parse(not_a_map, Some(&der)),
            Some(VicalError::Malformed(_))
        ));
        // A bad date.
        let mut bad_date = Vec::new();
        ciborium::ser::into_writer(
            &Value::Map(vec![
                (Value::Text("version".into()), Value::Text("1.0".into())),
                (Value::Text("vicalProvider".into()), Value::Text("T".into())),
                (Value::Text("date".into()), tdate("yesterday")),
                (
                    Value::Text("certificateInfos".into()),
                    Value::Array(Vec::new()),
                ),
            ]),
            &mut bad_date,
        )
        .unwrap();
        assert_eq!(
            parse(bad_date, Some(&der)),
            Some(VicalError::Malformed("date"))
        );
    }
}
