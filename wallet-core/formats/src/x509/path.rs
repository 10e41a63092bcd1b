//! Certification path checks (RFC 5280 §6.1, reduced to what mdoc and SD-JWT issuer trust
//! need): each certificate that signed another must be a CA allowed to sign certificates and
//! within its pathLenConstraint; the end certificate must be allowed to sign data and carry
//! the extended key usage of its purpose; every certificate must be valid at the time.
//!
//! Names and signatures are the caller's job (it built the path by them). A trust anchor
//! used on its own (a certificate pinned directly) is trusted as it is: nothing here is
//! checked for a path of one certificate except its validity.

use super::certificate::{Certificate, ValidityStatus};
use super::profile::EKU_MDOC_DOCUMENT_SIGNER;

pub use super::error::{MAX_PATH_LENGTH, PathError};

/// What the end certificate is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// An mdoc document signer: extendedKeyUsage must name 1.0.18013.5.1.2 (ISO 18013-5
    /// Annex B).
    MdocDocumentSigner,
    /// Any data signature (keyUsage, if present, must allow digitalSignature; no EKU asked).
    Signing,
}

/// Checks `path`, end certificate first and trust anchor last, each certificate issued by
/// the next, for `purpose` at `now` (Unix seconds).
pub fn check_path(path: &[&Certificate], purpose: Purpose, now: i64) -> Result<(), PathError> {
    if path.len() > MAX_PATH_LENGTH {
        return Err(PathError::TooLong);
    }
    for (depth, cert) in path.iter().enumerate() {
        match cert.validity_at(now) {
            ValidityStatus::Valid => {}
            ValidityStatus::Expired => return Err(PathError::Expired { depth }),
            ValidityStatus::NotYetValid => return Err(PathError::NotYetValid { depth }),
        }
    }
    let [end, issuers @ ..] = path else {
        return Ok(());
    };
    if issuers.is_empty() {
        // A pinned certificate on its own: the verifier chose to trust it as it is.
        return Ok(());
    }
    for (depth, cert) in path.iter().enumerate() {
        if path[..depth].iter().any(|seen| seen.der() == cert.der()) {
            return Err(PathError::Loop);
        }
        // The anchor is an input to the checks, not a certificate on trial (RFC 5280 §6.1).
        if depth + 1 < path.len() && cert.profile().unknown_critical_extension {
            return Err(PathError::UnknownCriticalExtension { depth });
        }
    }
    check_end(end, purpose)?;
    // Intermediates (not self-issued) seen so far below the current CA.
    let mut intermediates_below = 0u32;
    for (index, ca) in issuers.iter().enumerate() {
        let depth = index + 1;
        let profile = ca.profile();
        let Some(path_len) = profile.ca else {
            return Err(PathError::NotACa { depth });
        };
        if !profile.may_sign_certificates() {
            return Err(PathError::NoKeyCertSign { depth });
        }
        if path_len.is_some_and(|max| intermediates_below > max) {
            return Err(PathError::PathLengthExceeded { depth });
        }
        if !ca.is_self_issued() {
            intermediates_below += 1;
        }
    }
    Ok(())
}

fn check_end(end: &Certificate, purpose: Purpose) -> Result<(), PathError> {
    let profile = end.profile();
    if !profile.may_sign_data() {
        return Err(PathError::NoDigitalSignature);
    }
    match purpose {
        Purpose::MdocDocumentSigner
            if !profile.has_extended_key_usage(EKU_MDOC_DOCUMENT_SIGNER) =>
        {
            Err(PathError::MissingExtendedKeyUsage(EKU_MDOC_DOCUMENT_SIGNER))
        }
        _ => Ok(()),
    }
}

#[cfg(all(test, feature = "issue"))]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use rcgen::{
        BasicConstraints, CertificateParams, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
        KeyUsagePurpose,
    };

    const T0: i64 = 1_700_000_000;

    /// One certificate of a test path: its parameters and key (rcgen's own, ring-backed:
    /// the path checks read only extensions and dates).
    struct Node {
        params: CertificateParams,
        key: KeyPair,
    }

    fn node(name: &str) -> Node {
        let mut params = CertificateParams::new(Vec::new()).unwrap();
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, name);
        params.not_before = rcgen::date_time_ymd(2023, 1, 1);
        params.not_after = rcgen::date_time_ymd(2030, 1, 1);
        Node {
            params,
            key: KeyPair::generate().unwrap(),
        }
    }

    fn ca(name: &str, path_len: Option<u8>) -> Node {
        let mut n = node(name);
        n.params.is_ca = IsCa::Ca(path_len.map_or(
            BasicConstraints::Unconstrained,
            BasicConstraints::Constrained,
        ));
        n.params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        n
    }

    fn document_signer(name: &str) -> Node {
        let mut n = node(name);
        n.params.is_ca = IsCa::ExplicitNoCa;
        n.params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        n.params.extended_key_usages =
            vec![ExtendedKeyUsagePurpose::Other(vec![1, 0, 18013, 5, 1, 2])];
        n
    }

    /// Issues each node by the next, the last self-signed; returns the parsed path.
    fn build(nodes: &[Node]) -> Vec<Certificate> {
        let mut out = Vec::new();
        for (i, n) in nodes.iter().enumerate() {
            let der = match nodes.get(i + 1) {
                Some(parent) => {
                    let issuer = Issuer::from_params(&parent.params, &parent.key);
                    n.params.signed_by(&n.key, &issuer).unwrap().der().to_vec()
                }
                None => n.params.self_signed(&n.key).unwrap().der().to_vec(),
            };
            out.push(Certificate::from_der(&der).unwrap());
        }
        out
    }

    fn check(nodes: &[Node]) -> Result<(), PathError> {
        let certs = build(nodes);
        let path: Vec<&Certificate> = certs.iter().collect();
        check_path(&path, Purpose::MdocDocumentSigner, T0)
    }

    #[test]
    fn a_proper_path_passes() {
        assert_eq!(check(&[document_signer("DS"), ca("IACA", Some(0))]), Ok(()));
        assert_eq!(
            check(&[
                document_signer("DS"),
                ca("Mid", Some(0)),
                ca("Root", Some(1))
            ]),
            Ok(())
        );
        // A certificate pinned on its own is trusted as it is, whatever its extensions.
        assert_eq!(check(&[node("Pinned")]), Ok(()));
    }

    #[test]
    fn a_document_signer_cannot_sign_certificates() {
        // The project's earlier `chains` test: an intermediate issued with no CA flag.
        assert_eq!(
            check(&[
                document_signer("Forged"),
                document_signer("DS"),
                ca("IACA", None)
            ]),
            Err(PathError::NotACa { depth: 1 })
        );
        // basicConstraints absent altogether.
        assert_eq!(
            check(&[document_signer("DS"), node("Plain"), ca("IACA", None)]),
            Err(PathError::NotACa { depth: 1 })
        );
    }

    #[test]
    fn a_ca_needs_key_cert_sign() {
        let mut mid = ca("Mid", None);
        mid.params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        assert_eq!(
            check(&[document_signer("DS"), mid, ca("Root", None)]),
            Err(PathError::NoKeyCertSign { depth: 1 })
        );
    }

    #[test]
    fn the_document_signer_needs_digital_signature_and_its_eku() {
        let mut ds = document_signer("DS");
        ds.params.key_usages = vec![KeyUsagePurpose::KeyAgreement];
        assert_eq!(
            check(&[ds, ca("IACA", None)]),
            Err(PathError::NoDigitalSignature)
        );
        let mut ds = document_signer("DS");
        ds.params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        assert_eq!(
            check(&[ds, ca("IACA", None)]),
            Err(PathError::MissingExtendedKeyUsage(EKU_MDOC_DOCUMENT_SIGNER))
        );
        let mut ds = document_signer("DS");
        ds.params.extended_key_usages = vec![ExtendedKeyUsagePurpose::Any];
        assert_eq!(
            check(&[ds, ca("IACA", None)]),
            Err(PathError::MissingExtendedKeyUsage(EKU_MDOC_DOCUMENT_SIGNER))
        );
        // Without the EKU, it may still sign other things.
        let mut ds = document_signer("DS");
        ds.params.extended_key_usages = Vec::new();
        let certs = build(&[ds, ca("IACA", None)]);
        let path: Vec<&Certificate> = certs.iter().collect();
        assert_eq!(check_path(&path, Purpose::Signing, T0), Ok(()));
    }

    #[test]
    fn path_length_constraints_hold() {
        // IACA pathLen 0: no intermediate below it.
        assert_eq!(
            check(&[document_signer("DS"), ca("Mid", None), ca("IACA", Some(0))]),
            Err(PathError::PathLengthExceeded { depth: 2 })
        );
        // Root pathLen 1 with two intermediates.
        assert_eq!(
            check(&[
                document_signer("DS"),
                ca("Low", None),
                ca("High", None),
                ca("Root", Some(1)),
            ]),
            Err(PathError::PathLengthExceeded { depth: 3 })
        );
    }

    #[test]
    fn unknown_critical_extensions_and_loops_are_refused() {
        let mut ds = document_signer("DS");
        let mut ext = rcgen::CustomExtension::from_oid_content(&[1, 2, 3, 4], vec![0x05, 0x00]);
        ext.set_criticality(true);
        ds.params.custom_extensions = vec![ext];
        assert_eq!(
            check(&[ds, ca("IACA", None)]),
            Err(PathError::UnknownCriticalExtension { depth: 0 })
        );
        // The same extension, not critical, is fine.
        let mut ds = document_signer("DS");
        ds.params.custom_extensions = vec![rcgen::CustomExtension::from_oid_content(
            &[1, 2, 3, 4],
            vec![0x05, 0x00],
        )];
        assert_eq!(check(&[ds, ca("IACA", None)]), Ok(()));
        // A path through the same CA twice.
        let certs = build(&[document_signer("DS"), ca("IACA", None)]);
        let path = [&certs[0], &certs[1], &certs[1]];
        assert_eq!(
            check_path(&path, Purpose::MdocDocumentSigner, T0),
            Err(PathError::Loop)
        );
    }

    #[test]
    fn depth_and_validity_are_bounded() {
        let mut nodes = vec![document_signer("DS")];
        for i in 0..MAX_PATH_LENGTH {
            nodes.push(ca(&format!("CA{i}"), None));
        }
        assert_eq!(check(&nodes), Err(PathError::TooLong));
        let mut old = ca("IACA", None);
        old.params.not_after = rcgen::date_time_ymd(2023, 6, 1);
        assert_eq!(
            check(&[document_signer("DS"), old]),
            Err(PathError::Expired { depth: 1 })
        );
        let mut early = document_signer("DS");
        early.params.not_before = rcgen::date_time_ymd(2024, 1, 1);
        assert_eq!(
            check(&[early, ca("IACA", None)]),
            Err(PathError::NotYetValid { depth: 0 })
        );
    }
}
