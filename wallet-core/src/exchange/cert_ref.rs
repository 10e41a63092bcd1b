//! Short references to certificates the verifier already holds: a request lists them, and the
//! holder leaves those certificates out of its response (docs/adr/0007-compact-qr-response.md).

/// A certificate reference: the first 4 bytes of SHA-256 of its DER.
pub type CertRef = [u8; 4];
/// Most certificate references a request may list.
pub const MAX_KNOWN_CERTIFICATES: usize = 64;

/// The reference of a certificate.
pub fn cert_ref(der: &[u8]) -> CertRef {
    let digest = ring::digest::digest(&ring::digest::SHA256, der);
    let mut out = [0u8; 4];
    out.copy_from_slice(&digest.as_ref()[..4]);
    out
}
