//! Certificate signatures this process has already checked. Every credential from an issuer
//! carries the same certificates, so a verifier checking a chain per presentation would
//! repeat the same ECDSA verifications (about 60 µs each) for every person in the queue.
//!
//! Only successes are remembered, keyed by SHA-256 over the certificate's exact DER and the
//! issuer's public key with its algorithm: a hit means these exact bytes verified under this
//! exact key before. Validity periods, names and profiles are never cached: the path checks
//! run in full each time. At most [`CAPACITY`] entries; the oldest goes first.

use std::collections::VecDeque;
use std::sync::{Mutex, PoisonError};

use laissez_crypto::issuer_key::IssuerKey;

/// Most remembered signatures.
pub const CAPACITY: usize = 256;

static VERIFIED: Mutex<VecDeque<[u8; 32]>> = Mutex::new(VecDeque::new());

/// The key a verification is remembered under.
pub(crate) fn entry(certificate_der: &[u8], issuer_key: &IssuerKey) -> [u8; 32] {
    let mut context = ring::digest::Context::new(&ring::digest::SHA256);
    context.update(issuer_key.algorithm().jose_name().as_bytes());
    context.update(&[0]);
    context.update(&issuer_key.public_bytes());
    context.update(&[0]);
    context.update(certificate_der);
    let mut out = [0u8; 32];
    out.copy_from_slice(context.finish().as_ref());
    out
}

/// Whether `entry` verified before.
pub(crate) fn contains(entry: &[u8; 32]) -> bool {
    VERIFIED
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .contains(entry)
}

/// Remembers that `entry` verified.
pub(crate) fn remember(entry: [u8; 32]) {
    let mut verified = VERIFIED.lock().unwrap_or_else(PoisonError::into_inner);
    if verified.contains(&entry) {
        return;
    }
    if verified.len() >= CAPACITY {
        verified.pop_front();
    }
    verified.push_back(entry);
}

#[cfg(all(test, feature = "issue"))]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::x509::{Certificate, issue_certificate, self_signed_certificate};
    use laissez_crypto::ecdsa::SigningKey;

    #[test]
    fn only_verified_signatures_are_remembered_and_the_oldest_goes_first() {
        let root_key = SigningKey::generate().unwrap();
        let root =
            Certificate::from_der(&self_signed_certificate(&root_key, "Root", 0, 10).unwrap())
                .unwrap();
        let leaf_key = SigningKey::generate().unwrap();
        let leaf_der =
            issue_certificate(leaf_key.public_key(), "Leaf", 0, 5, &root_key, "Root").unwrap();
        let leaf = Certificate::from_der(&leaf_der).unwrap();
        let by_root = entry(&leaf_der, root.public_key());
        assert!(leaf.is_signed_by(&root));
        assert!(contains(&by_root));
        // The same name with another key: refused, and never remembered.
        let other_key = SigningKey::generate().unwrap();
        let impostor =
            Certificate::from_der(&self_signed_certificate(&other_key, "Root", 0, 10).unwrap())
                .unwrap();
        assert!(!leaf.is_signed_by(&impostor));
        assert!(!contains(&entry(&leaf_der, impostor.public_key())));
        // Still refused the second time (no negative result is cached as positive).
        assert!(!leaf.is_signed_by(&impostor));
        // Bounded: after CAPACITY newer entries, the first is gone.
        let first = [0xA5; 32];
        remember(first);
        for i in 0..CAPACITY {
            let mut e = [0u8; 32];
            e[..8].copy_from_slice(&(i as u64).to_be_bytes());
            e[31] = 0x5A;
            remember(e);
        }
        assert!(!contains(&first));
        assert!(VERIFIED.lock().unwrap().len() <= CAPACITY);
    }
}
