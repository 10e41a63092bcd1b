//! SHA-256 digests as SD-JWT uses them: over the ASCII bytes of a base64url Disclosure
//! (RFC 9901 s4.2.3), over the presented SD-JWT (`sd_hash`, s4.3.1), and over random bytes
//! for decoys (s4.2.5). Only `sha-256` is supported.

use crate::jose::base64url;
use laissez_crypto::random;

use super::error::{SdJwtError, SdJwtResult};

/// The `_sd_alg` value this implementation produces and accepts (also the default when
/// `_sd_alg` is absent).
pub const SD_ALG: &str = "sha-256";

/// base64url(SHA-256(`bytes`)).
pub fn sha256_base64url(bytes: &[u8]) -> String {
    base64url::encode(ring::digest::digest(&ring::digest::SHA256, bytes).as_ref())
}

/// The digest that references a Disclosure: over its base64url text exactly as
/// transmitted, never a re-encoding.
pub fn disclosure_digest(encoded: &str) -> String {
    sha256_base64url(encoded.as_bytes())
}

/// A decoy digest: SHA-256 over 32 fresh random bytes, indistinguishable from a real one.
#[cfg(feature = "issue")]
pub fn decoy_digest() -> SdJwtResult<String> {
    let noise = random::bytes::<32>().map_err(|_| SdJwtError::Crypto("random generator"))?;
    Ok(sha256_base64url(&noise))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_example_digest() {
        // RFC 9901 s5.1 (draft-22): the given_name Disclosure and its digest.
        assert_eq!(
            disclosure_digest("WyIyR0xDNDJzS1F2ZUNmR2ZyeU5STjl3IiwgImdpdmVuX25hbWUiLCAiSm9obiJd"),
            "jsu9yVulwQQlhFlM_3JlzMaSFzglhQG0DpfayQwLUK4"
        );
        let a = decoy_digest().unwrap();
        assert_eq!(a.len(), 43);
        assert_ne!(a, decoy_digest().unwrap());
    }
}
