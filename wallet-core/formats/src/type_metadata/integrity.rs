//! W3C Subresource Integrity metadata, as SD-JWT VC uses it for `vct#integrity`,
//! `extends#integrity` and `uri#integrity`: space-separated `alg-base64digest[?options]`
//! tokens over the exact bytes of a document.
//!
//! As in SRI, tokens naming an unknown algorithm are ignored and only the strongest of the
//! known algorithms present counts; any of its digests may match ("several hashes allowed").
//! Stricter than SRI: a token of a known algorithm with bad base64 or a digest of the wrong
//! length is an error, not silently skipped, and metadata with no known algorithm is refused
//! rather than passing.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ring::digest;

use super::{MAX_TEXT_LEN, TypeMetadataError};

/// A hash algorithm SRI allows, weakest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum IntegrityAlgorithm {
    /// SHA-256 (`sha256-`).
    Sha256,
    /// SHA-384 (`sha384-`).
    Sha384,
    /// SHA-512 (`sha512-`).
    Sha512,
}

impl IntegrityAlgorithm {
    fn from_prefix(name: &str) -> Option<Self> {
        match name {
            "sha256" => Some(Self::Sha256),
            "sha384" => Some(Self::Sha384),
            "sha512" => Some(Self::Sha512),
            _ => None,
        }
    }

    fn ring(self) -> &'static digest::Algorithm {
        match self {
            Self::Sha256 => &digest::SHA256,
            Self::Sha384 => &digest::SHA384,
            Self::Sha512 => &digest::SHA512,
        }
    }

    /// The SRI prefix (`sha256`, …).
    pub fn name(self) -> &'static str {
        match self {
            Self::Sha256 => "sha256",
            Self::Sha384 => "sha384",
            Self::Sha512 => "sha512",
        }
    }
}

/// Parsed SRI metadata: the digests of the known algorithms it lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Integrity {
    digests: Vec<(IntegrityAlgorithm, Vec<u8>)>,
}

impl Integrity {
    /// Parses SRI metadata such as `sha256-vJKakJAQkDYkIhGrT1M3nxRuSj9udH0l1PXB06QHto8=`.
    pub fn parse(text: &str) -> Result<Self, TypeMetadataError> {
        if text.len() > MAX_TEXT_LEN {
            return Err(TypeMetadataError::TooLarge("integrity string"));
        }
        let mut digests = Vec::new();
        for token in text.split_ascii_whitespace() {
            let Some((name, rest)) = token.split_once('-') else {
                return Err(TypeMetadataError::BadIntegrity("a token has no algorithm"));
            };
            let Some(algorithm) = IntegrityAlgorithm::from_prefix(name) else {
                continue;
            };
            let value = rest.split_once('?').map_or(rest, |(value, _options)| value);
            let bytes = STANDARD
                .decode(value)
                .map_err(|_| TypeMetadataError::BadIntegrity("a digest is not standard base64"))?;
            if bytes.len() != algorithm.ring().output_len() {
                return Err(TypeMetadataError::BadIntegrity(
                    "a digest has the wrong length for its algorithm",
                ));
            }
            digests.push((algorithm, bytes));
        }
        if digests.is_empty() {
            return Err(TypeMetadataError::UnsupportedIntegrityAlgorithm);
        }
        Ok(Self { digests })
    }

    /// SRI metadata with the SHA-256 digest of `bytes`.
    pub fn sha256_of(bytes: &[u8]) -> Self {
        Self {
            digests: vec![(
                IntegrityAlgorithm::Sha256,
                digest::digest(&digest::SHA256, bytes).as_ref().to_vec(),
            )],
        }
    }

    /// The strongest algorithm listed.
    pub fn strongest(&self) -> Option<IntegrityAlgorithm> {
        self.digests.iter().map(|(alg, _)| *alg).max()
    }

    /// Whether `bytes` hash to one of the digests of the strongest algorithm listed.
    pub fn check(&self, bytes: &[u8]) -> Result<(), TypeMetadataError> {
        let strongest = self
            .strongest()
            .ok_or(TypeMetadataError::UnsupportedIntegrityAlgorithm)?;
        let actual = digest::digest(strongest.ring(), bytes);
        let matches = self
            .digests
            .iter()
            .filter(|(alg, _)| *alg == strongest)
            // Public data: no need for a constant-time comparison.
            .any(|(_, expected)| expected.as_slice() == actual.as_ref());
        if matches {
            Ok(())
        } else {
            Err(TypeMetadataError::IntegrityMismatch)
        }
    }

    /// The SRI text form (`sha256-…`, tokens separated by a space).
    pub fn to_sri(&self) -> String {
        self.digests
            .iter()
            .map(|(alg, bytes)| format!("{}-{}", alg.name(), STANDARD.encode(bytes)))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn several_hashes_the_strongest_counts() {
        let bytes = b"{\"vct\":\"x\"}";
        let good256 = Integrity::sha256_of(bytes).to_sri();
        let good384 = format!(
            "sha384-{}",
            STANDARD.encode(digest::digest(&digest::SHA384, bytes))
        );
        let bad384 = format!("sha384-{}", STANDARD.encode([0u8; 48]));
        assert_eq!(Integrity::parse(&good256).unwrap().check(bytes), Ok(()));
        let both = Integrity::parse(&format!("{good256} {bad384}?opt md5-xyz")).unwrap();
        assert_eq!(both.check(bytes), Err(TypeMetadataError::IntegrityMismatch));
        let either = Integrity::parse(&format!("{bad384} {good384}")).unwrap();
        assert_eq!(either.check(bytes), Ok(()));
        let sha512 = format!(
            "sha512-{}",
            STANDARD.encode(digest::digest(&digest::SHA512, bytes))
        );
        assert_eq!(Integrity::parse(&sha512).unwrap().check(bytes), Ok(()));
        assert_eq!(
            Integrity::parse(&sha512).unwrap().check(b"other"),
            Err(TypeMetadataError::IntegrityMismatch)
        );
    }

    #[test]
    fn malformed_metadata_is_typed() {
        assert_eq!(
            Integrity::parse("md5-AAAA"),
            Err(TypeMetadataError::UnsupportedIntegrityAlgorithm)
        );
        assert_eq!(
            Integrity::parse(""),
            Err(TypeMetadataError::UnsupportedIntegrityAlgorithm)
        );
        assert!(matches!(
            Integrity::parse("sha256-9cLlJNXN+TsMk+PmKjZ5t0WRL5ca/xGgX3c1ULmXfh="),
            Err(TypeMetadataError::BadIntegrity(_))
        ));
        assert!(matches!(
            Integrity::parse("sha256-AAAA"),
            Err(TypeMetadataError::BadIntegrity(_))
        ));
        assert!(matches!(
            Integrity::parse("sha256"),
            Err(TypeMetadataError::BadIntegrity(_))
        ));
        assert!(matches!(
            Integrity::parse(&"a".repeat(MAX_TEXT_LEN + 1)),
            Err(TypeMetadataError::TooLarge(_))
        ));
    }
}
