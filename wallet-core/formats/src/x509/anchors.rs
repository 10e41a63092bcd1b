//! The trust anchors a verifier starts from: certificates (roots such as an IACA,
//! intermediates, or an issuer's own certificate pinned directly) and bare public keys, in the
//! order the caller gave them, so a result can name which one vouched for an issuer.

use super::certificate::{Certificate, ValidityStatus};
use laissez_crypto::issuer_key::IssuerKey;

/// One trust anchor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Anchor {
    /// Issuers signing with this key are trusted (no certificate involved).
    Key(IssuerKey),
    /// This certificate is trusted: its key signs directly, and it anchors chains.
    Certificate(Box<Certificate>),
}

impl Anchor {
    /// The anchor's public key.
    pub fn key(&self) -> &IssuerKey {
        match self {
            Anchor::Key(key) => key,
            Anchor::Certificate(cert) => cert.public_key(),
        }
    }

    /// The anchor's certificate, when it is one.
    pub fn certificate(&self) -> Option<&Certificate> {
        match self {
            Anchor::Key(_) => None,
            Anchor::Certificate(cert) => Some(cert.as_ref()),
        }
    }
}

/// The certificates and keys a verifier trusts to issue credentials, in order: an index into
/// [`TrustAnchors::anchors`] names the anchor a verification relied on.
#[derive(Debug, Clone, Default)]
pub struct TrustAnchors {
    anchors: Vec<Anchor>,
}

impl TrustAnchors {
    /// No anchors: nothing is trusted.
    pub fn new() -> Self {
        Self::default()
    }

    /// Trusts `certificate` (a root, an intermediate, or an issuer certificate pinned
    /// directly).
    pub fn add_certificate(&mut self, certificate: Certificate) -> &mut Self {
        self.anchors
            .push(Anchor::Certificate(Box::new(certificate)));
        self
    }

    /// Trusts issuers signing with `key` (P-256, P-384 or Ed25519).
    pub fn add_key(&mut self, key: impl Into<IssuerKey>) -> &mut Self {
        self.anchors.push(Anchor::Key(key.into()));
        self
    }

    /// `self` with `certificate` added (builder style).
    pub fn with_certificate(mut self, certificate: Certificate) -> Self {
        self.add_certificate(certificate);
        self
    }

    /// `self` with `key` added (builder style).
    pub fn with_key(mut self, key: impl Into<IssuerKey>) -> Self {
        self.add_key(key);
        self
    }

    /// Whether there is no anchor at all.
    pub fn is_empty(&self) -> bool {
        self.anchors.is_empty()
    }

    /// Every anchor, in the order added.
    pub fn anchors(&self) -> &[Anchor] {
        &self.anchors
    }

    /// The trusted certificates, with their indexes.
    pub fn certificates(&self) -> impl Iterator<Item = (usize, &Certificate)> {
        self.anchors
            .iter()
            .enumerate()
            .filter_map(|(i, a)| a.certificate().map(|c| (i, c)))
    }

    /// Every key that may sign as a trusted issuer without a chain: the bare keys and the
    /// keys of the anchor certificates, with their indexes.
    pub fn direct_keys(&self) -> impl Iterator<Item = (usize, &IssuerKey)> {
        self.anchors.iter().map(Anchor::key).enumerate()
    }

    /// The first anchor whose key is `key` and that is usable at `now`: a bare key, or a
    /// certificate valid at `now`.
    pub fn anchor_for_key(&self, key: &IssuerKey, now: i64) -> Option<usize> {
        self.anchors.iter().position(|anchor| match anchor {
            Anchor::Key(k) => k == key,
            Anchor::Certificate(c) => {
                c.public_key() == key && c.validity_at(now) == ValidityStatus::Valid
            }
        })
    }

    /// Whether `key` is an anchor key or the key of an anchor certificate valid at `now`.
    pub fn trusts_key(&self, key: &IssuerKey, now: i64) -> bool {
        self.anchor_for_key(key, now).is_some()
    }
}
