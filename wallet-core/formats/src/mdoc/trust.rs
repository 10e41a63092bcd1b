//! Which issuers a verifier trusts, and whether an `issuerAuth` signer is one of them.
//!
//! Trust anchors are certificates (IACA roots, or issuer certificates pinned directly) and
//! bare public keys. The document signer certificate from `x5chain` is trusted when it is an
//! anchor itself, has an anchor's key, or chains to an anchor through the rest of `x5chain`
//! (each link: issuer name and signature, ECDSA P-256/SHA-256, P-384/SHA-384 or Ed25519). Every certificate on the path,
//! the anchor included, must be valid at the verification time, and the path must pass
//! [`crate::x509::path`]: every certificate that signed another is a CA with keyCertSign
//! within its pathLenConstraint, and the document signer has digitalSignature and the mdoc
//! document signer EKU (ISO 18013-5 Annex B). A certificate pinned directly is trusted as it
//! is.
//!
//! Not checked: revocation, name constraints, policies.

use crate::mdoc::error::{MdocError, MdocResult, ValidityScope};
use crate::mdoc::limits::MAX_CHAIN_LENGTH;
use crate::x509::{Certificate, PathError, Purpose, ValidityStatus, X509Error, check_path};
use laissez_crypto::issuer_key::IssuerKey;

/// The certificates and keys a verifier trusts to issue credentials.
#[derive(Debug, Clone, Default)]
pub struct TrustAnchors {
    certificates: Vec<Certificate>,
    keys: Vec<IssuerKey>,
}

impl TrustAnchors {
    /// No anchors: nothing is trusted.
    pub fn new() -> Self {
        Self::default()
    }

    /// Trusts `certificate` (a root, or an issuer certificate pinned directly).
    pub fn add_certificate(&mut self, certificate: Certificate) -> &mut Self {
        self.certificates.push(certificate);
        self
    }

    /// Trusts issuers signing with `key` (P-256, P-384 or Ed25519).
    pub fn add_key(&mut self, key: impl Into<IssuerKey>) -> &mut Self {
        self.keys.push(key.into());
        self
    }

    /// `self` with `certificate` added (builder style).
    pub fn with_certificate(mut self, certificate: Certificate) -> Self {
        self.certificates.push(certificate);
        self
    }

    /// `self` with `key` added (builder style).
    pub fn with_key(mut self, key: impl Into<IssuerKey>) -> Self {
        self.keys.push(key.into());
        self
    }

    /// Whether there is no anchor at all.
    pub fn is_empty(&self) -> bool {
        self.certificates.is_empty() && self.keys.is_empty()
    }

    /// The trusted certificates.
    pub fn certificates(&self) -> &[Certificate] {
        &self.certificates
    }

    /// The trusted keys.
    pub fn keys(&self) -> &[IssuerKey] {
        &self.keys
    }

    /// Every key that may sign as a trusted issuer without a certificate: the bare keys and
    /// the keys of the anchor certificates.
    pub(crate) fn direct_keys(&self) -> impl Iterator<Item = &IssuerKey> {
        self.keys
            .iter()
            .chain(self.certificates.iter().map(Certificate::public_key))
    }

    /// Whether `key` is an anchor key or the key of an anchor certificate valid at `now`.
    pub(crate) fn trusts_key(&self, key: &IssuerKey, now: i64) -> bool {
        self.keys.contains(key)
            || self
                .certificates
                .iter()
                .any(|c| c.public_key() == key && c.validity_at(now) == ValidityStatus::Valid)
    }
}

/// Whether the issuer is trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IssuerTrust {
    /// The signer chains to (or is) a trust anchor.
    Trusted,
    /// The signature verifies, but the signer is not among the anchors.
    Untrusted,
}

fn check_time(cert: &Certificate, now: i64, scope: ValidityScope) -> MdocResult<()> {
    match cert.validity_at(now) {
        ValidityStatus::Valid => Ok(()),
        ValidityStatus::Expired => Err(MdocError::Expired(scope)),
        ValidityStatus::NotYetValid => Err(MdocError::NotYetValid(scope)),
    }
}

/// Decides whether `chain` (leaf first, the leaf already known to have signed the MSO) leads
/// to an anchor. Errors on a certificate on the path that is outside its validity period;
/// the leaf is always checked.
pub(crate) fn evaluate_chain(
    chain: &[Certificate],
    anchors: &TrustAnchors,
    now: i64,
) -> MdocResult<IssuerTrust> {
    let Some(leaf) = chain.first() else {
        return Ok(IssuerTrust::Untrusted);
    };
    check_time(leaf, now, ValidityScope::IssuerCertificate)?;
    // The path so far, leaf first: what `check_path` judges once an anchor is reached.
    let mut path = vec![leaf];
    let mut current = leaf;
    for next in chain
        .iter()
        .skip(1)
        .map(Some)
        .chain([None])
        .take(MAX_CHAIN_LENGTH)
    {
        if anchors.keys.contains(current.public_key())
            || anchors
                .certificates
                .iter()
                .any(|a| a.der() == current.der())
        {
            return trusted_path(&path, now);
        }
        if let Some(anchor) = anchors
            .certificates
            .iter()
            .find(|anchor| current.is_signed_by(anchor))
        {
            check_time(anchor, now, ValidityScope::ChainCertificate)?;
            path.push(anchor);
            return trusted_path(&path, now);
        }
        match next {
            Some(parent) if current.is_signed_by(parent) => {
                check_time(parent, now, ValidityScope::ChainCertificate)?;
                current = parent;
                path.push(parent);
            }
            _ => break,
        }
    }
    Ok(IssuerTrust::Untrusted)
}

/// Trusted if the path to the anchor passes the RFC 5280 / Annex B checks.
fn trusted_path(path: &[&Certificate], now: i64) -> MdocResult<IssuerTrust> {
    match check_path(path, Purpose::MdocDocumentSigner, now) {
        Ok(()) => Ok(IssuerTrust::Trusted),
        Err(PathError::Expired { depth }) => Err(MdocError::Expired(scope_at(depth))),
        Err(PathError::NotYetValid { depth }) => Err(MdocError::NotYetValid(scope_at(depth))),
        Err(refused) => Err(MdocError::Certificate(X509Error::Path(refused))),
    }
}

fn scope_at(depth: usize) -> ValidityScope {
    if depth == 0 {
        ValidityScope::IssuerCertificate
    } else {
        ValidityScope::ChainCertificate
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::x509::{issue_ca_certificate, issue_certificate, self_signed_certificate};
    use laissez_crypto::ecdsa::SigningKey;

    const T0: i64 = 1_700_000_000;
    const DAY: i64 = 86_400;

    struct Pki {
        root_key: SigningKey,
        root: Certificate,
        intermediate: Certificate,
        leaf: Certificate,
    }

    fn pki() -> Pki {
        let root_key = SigningKey::generate().unwrap();
        let mid_key = SigningKey::generate().unwrap();
        let leaf_key = SigningKey::generate().unwrap();
        let root = self_signed_certificate(&root_key, "Root", T0, 3650).unwrap();
        let mid = issue_ca_certificate(
            mid_key.public_key(),
            "Mid",
            T0,
            365,
            Some(0),
            &root_key,
            "Root",
        )
        .unwrap();
        let leaf =
            issue_certificate(leaf_key.public_key(), "Leaf", T0, 30, &mid_key, "Mid").unwrap();
        Pki {
            root_key,
            root: Certificate::from_der(&root).unwrap(),
            intermediate: Certificate::from_der(&mid).unwrap(),
            leaf: Certificate::from_der(&leaf).unwrap(),
        }
    }

    #[test]
    fn chains() {
        let p = pki();
        let now = T0 + DAY;
        let by_root = TrustAnchors::new().with_certificate(p.root.clone());
        let chain = [p.leaf.clone(), p.intermediate.clone()];
        assert_eq!(
            evaluate_chain(&chain, &by_root, now),
            Ok(IssuerTrust::Trusted)
        );
        // Without the intermediate, the leaf does not reach the root.
        assert_eq!(
            evaluate_chain(&chain[..1], &by_root, now),
            Ok(IssuerTrust::Untrusted)
        );
        // Pinning the intermediate, or the leaf's key, is enough.
        let by_mid = TrustAnchors::new().with_certificate(p.intermediate.clone());
        assert_eq!(
            evaluate_chain(&chain[..1], &by_mid, now),
            Ok(IssuerTrust::Trusted)
        );
        let by_key = TrustAnchors::new().with_key(p.leaf.public_key().clone());
        assert_eq!(
            evaluate_chain(&chain[..1], &by_key, now),
            Ok(IssuerTrust::Trusted)
        );
        // Nothing trusted, or no chain at all.
        assert_eq!(
            evaluate_chain(&chain, &TrustAnchors::new(), now),
            Ok(IssuerTrust::Untrusted)
        );
        assert_eq!(
            evaluate_chain(&[], &by_root, now),
            Ok(IssuerTrust::Untrusted)
        );
    }

    #[test]
    fn a_document_signer_cannot_issue_certificates() {
        // A document signer under the trusted root signs a certificate for a key of its own.
        let p = pki();
        let forger_key = SigningKey::generate().unwrap();
        let forger = issue_certificate(
            forger_key.public_key(),
            "Forger",
            T0,
            30,
            &p.root_key,
            "Root",
        )
        .unwrap();
        let key = SigningKey::generate().unwrap();
        let forged =
            issue_certificate(key.public_key(), "Leaf", T0, 30, &forger_key, "Forger").unwrap();
        let chain = [
            Certificate::from_der(&forged).unwrap(),
            Certificate::from_der(&forger).unwrap(),
        ];
        let by_root = TrustAnchors::new().with_certificate(p.root.clone());
        assert_eq!(
            evaluate_chain(&chain, &by_root, T0 + DAY),
            Err(MdocError::Certificate(X509Error::Path(PathError::NotACa {
                depth: 1
            })))
        );
        // The forger's own certificate, used as a document signer, is fine.
        assert_eq!(
            evaluate_chain(&chain[1..], &by_root, T0 + DAY),
            Ok(IssuerTrust::Trusted)
        );
    }

    #[test]
    fn times() {
        let p = pki();
        let anchors = TrustAnchors::new().with_certificate(p.root.clone());
        let chain = [p.leaf.clone(), p.intermediate.clone()];
        assert_eq!(
            evaluate_chain(&chain, &anchors, T0 + 31 * DAY),
            Err(MdocError::Expired(ValidityScope::IssuerCertificate))
        );
        assert_eq!(
            evaluate_chain(&chain, &anchors, T0 - 1),
            Err(MdocError::NotYetValid(ValidityScope::IssuerCertificate))
        );
        assert!(anchors.trusts_key(p.root.public_key(), T0));
        assert!(!anchors.trusts_key(p.root.public_key(), T0 + 3651 * DAY));
        assert!(!anchors.trusts_key(p.leaf.public_key(), T0));
    }
}
