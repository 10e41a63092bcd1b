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
use crate::x509::Certificate;
pub use crate::x509::TrustAnchors;
use crate::x509::{AnchorMatch, PathError, Purpose, X509Error};

/// Whether the issuer is trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IssuerTrust {
    /// The signer chains to (or is) a trust anchor.
    Trusted,
    /// The signature verifies, but the signer is not among the anchors.
    Untrusted,
}

/// Decides whether `chain` (leaf first, the leaf already known to have signed the MSO) leads
/// to an anchor, as an mdoc document signer ([`crate::x509::chain`]). Errors on a
/// certificate on the path that is outside its validity period (the leaf is always checked)
/// or a path the Annex B profile refuses.
pub(crate) fn evaluate_chain(
    chain: &[Certificate],
    anchors: &TrustAnchors,
    now: i64,
) -> MdocResult<Option<AnchorMatch>> {
    crate::x509::evaluate_chain(chain, anchors, Purpose::MdocDocumentSigner, now).map_err(
        |refused| match refused {
            PathError::Expired { depth } => MdocError::Expired(scope_at(depth)),
            PathError::NotYetValid { depth } => MdocError::NotYetValid(scope_at(depth)),
            refused => MdocError::Certificate(X509Error::Path(refused)),
        },
    )
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
            Ok(Some(AnchorMatch {
                anchor: 0,
                depth: 2
            }))
        );
        // Without the intermediate, the leaf does not reach the root.
        assert_eq!(evaluate_chain(&chain[..1], &by_root, now), Ok(None));
        // The bundle's order does not matter below the signer.
        let shuffled = [p.leaf.clone(), p.root.clone(), p.intermediate.clone()];
        assert_eq!(
            evaluate_chain(&shuffled, &by_root, now).map(|m| m.map(|m| m.depth)),
            Ok(Some(2))
        );
        // Pinning the intermediate, or the leaf's key, is enough.
        let by_mid = TrustAnchors::new().with_certificate(p.intermediate.clone());
        assert_eq!(
            evaluate_chain(&chain[..1], &by_mid, now),
            Ok(Some(AnchorMatch {
                anchor: 0,
                depth: 1
            }))
        );
        let by_key = TrustAnchors::new()
            .with_certificate(p.root.clone())
            .with_key(p.leaf.public_key().clone());
        assert_eq!(
            evaluate_chain(&chain[..1], &by_key, now),
            Ok(Some(AnchorMatch {
                anchor: 1,
                depth: 0
            }))
        );
        // Nothing trusted, or no chain at all.
        assert_eq!(evaluate_chain(&chain, &TrustAnchors::new(), now), Ok(None));
        assert_eq!(evaluate_chain(&[], &by_root, now), Ok(None));
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
            evaluate_chain(&chain[1..], &by_root, T0 + DAY).map(|m| m.is_some()),
            Ok(true)
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
