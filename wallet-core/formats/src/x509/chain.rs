//! Building and judging a certification path from a signer certificate to a trust anchor.
//!
//! The signer's certificate comes first in the bundle a credential carries (`x5c`,
//! `x5chain`); the other certificates of the bundle may come in any order. From the signer,
//! each step goes to an anchor if one issued the current certificate (or is the current
//! certificate, or has its key), else to a certificate of the bundle that issued it (issuer
//! name and signature). The path found is then judged by [`super::path::check_path`]:
//! validity at the time, basicConstraints, keyUsage, the purpose's extended key usage,
//! pathLenConstraint, unknown critical extensions, loops, and at most
//! [`super::path::MAX_PATH_LENGTH`] certificates.

use super::anchors::TrustAnchors;
use super::certificate::{Certificate, ValidityStatus};
use super::path::{MAX_PATH_LENGTH, PathError, Purpose, check_path};

/// The anchor a signer certificate was found to lead to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnchorMatch {
    /// The anchor's index in [`TrustAnchors::anchors`].
    pub anchor: usize,
    /// Certificates on the path below the anchor: 0 when the signer's own certificate (or
    /// its key) is the anchor, 1 when the anchor issued it, and so on.
    pub depth: usize,
}

/// Finds a path from `bundle[0]` (the signer's certificate) to an anchor and judges it for
/// `purpose` at `now`. `Ok(None)`: no anchor reached (the issuer is unknown). The signer's
/// own validity is always checked, so an expired signer is reported as such even when
/// unknown.
pub fn evaluate_chain(
    bundle: &[Certificate],
    anchors: &TrustAnchors,
    purpose: Purpose,
    now: i64,
) -> Result<Option<AnchorMatch>, PathError> {
    let Some(signer) = bundle.first() else {
        return Ok(None);
    };
    match signer.validity_at(now) {
        ValidityStatus::Valid => {}
        ValidityStatus::Expired => return Err(PathError::Expired { depth: 0 }),
        ValidityStatus::NotYetValid => return Err(PathError::NotYetValid { depth: 0 }),
    }
    let mut path: Vec<&Certificate> = vec![signer];
    loop {
        let depth = path.len() - 1;
        let current = path[depth];
        // The current certificate is itself trusted (pinned as a certificate or by its key).
        let pinned = anchors.anchors().iter().position(|anchor| match anchor {
            super::anchors::Anchor::Key(key) => key == current.public_key(),
            super::anchors::Anchor::Certificate(cert) => cert.der() == current.der(),
        });
        if let Some(anchor) = pinned {
            check_path(&path, purpose, now)?;
            return Ok(Some(AnchorMatch { anchor, depth }));
        }
        if let Some((anchor, issuer)) = anchors
            .certificates()
            .find(|(_, issuer)| current.is_signed_by(issuer))
        {
            path.push(issuer);
            check_path(&path, purpose, now)?;
            return Ok(Some(AnchorMatch {
                anchor,
                depth: depth + 1,
            }));
        }
        let Some(parent) = bundle
            .iter()
            .find(|c| !path.iter().any(|p| p.der() == c.der()) && current.is_signed_by(c))
        else {
            return Ok(None);
        };
        if path.len() >= MAX_PATH_LENGTH {
            return Err(PathError::TooLong);
        }
        path.push(parent);
    }
}
