//! The symmetric key of an encrypted code (COSE_Encrypt0 with AES-GCM, RFC 9053 §4.1), and
//! the AEAD itself, by `ring`.

use ring::aead::{AES_128_GCM, AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use zeroize::Zeroizing;

use super::error::{Claim169Error, Claim169Result};

/// COSE `alg` A128GCM.
pub(crate) const ALG_A128GCM: i64 = 1;
/// COSE `alg` A256GCM.
pub(crate) const ALG_A256GCM: i64 = 3;

/// The AES-GCM key a verifier holds to read encrypted Claim 169 codes: 32 bytes (A256GCM,
/// what MOSIP uses) or 16 bytes (A128GCM). Wiped when dropped; never printed.
#[derive(Clone)]
pub struct ContentKey(Zeroizing<Vec<u8>>);

impl ContentKey {
    /// A key from its raw bytes: 32 (A256GCM) or 16 (A128GCM); other lengths give `None`.
    pub fn new(bytes: &[u8]) -> Option<Self> {
        matches!(bytes.len(), 16 | 32).then(|| Self(Zeroizing::new(bytes.to_vec())))
    }

    /// The COSE algorithm this key is for (A256GCM = 3, A128GCM = 1).
    pub fn cose_algorithm(&self) -> i64 {
        if self.0.len() == 32 {
            ALG_A256GCM
        } else {
            ALG_A128GCM
        }
    }

    fn aead(&self, alg: i64) -> Claim169Result<LessSafeKey> {
        let algorithm = match alg {
            ALG_A256GCM => &AES_256_GCM,
            ALG_A128GCM => &AES_128_GCM,
            _ => return Err(Claim169Error::UnsupportedAlgorithm),
        };
        if alg != self.cose_algorithm() {
            return Err(Claim169Error::KeyAlgorithmMismatch);
        }
        UnboundKey::new(algorithm, &self.0)
            .map(LessSafeKey::new)
            .map_err(|_| Claim169Error::KeyAlgorithmMismatch)
    }

    /// Decrypts `ciphertext` (with its 16-byte tag) made with COSE algorithm `alg`.
    pub(crate) fn open(
        &self,
        alg: i64,
        iv: &[u8],
        ciphertext: &[u8],
        aad: &[u8],
    ) -> Claim169Result<Vec<u8>> {
        let key = self.aead(alg)?;
        let nonce = Nonce::try_assume_unique_for_key(iv)
            .map_err(|_| Claim169Error::MalformedCose("the IV is not 12 bytes"))?;
        let mut buffer = ciphertext.to_vec();
        let plaintext = key
            .open_in_place(nonce, Aad::from(aad), &mut buffer)
            .map_err(|_| Claim169Error::DecryptionFailed)?;
        Ok(plaintext.to_vec())
    }

    /// Encrypts `plaintext` with a fresh random IV, returning the IV and the ciphertext with
    /// its tag (test encoder).
    #[cfg(feature = "claim169-issue")]
    pub(crate) fn seal(
        &self,
        plaintext: &[u8],
        aad: &[u8],
    ) -> Claim169Result<([u8; NONCE_LEN], Vec<u8>)> {
        use ring::rand::SecureRandom;
        let mut iv = [0u8; NONCE_LEN];
        ring::rand::SystemRandom::new()
            .fill(&mut iv)
            .map_err(|_| Claim169Error::Encode("random IV"))?;
        let key = self.aead(self.cose_algorithm())?;
        let mut buffer = plaintext.to_vec();
        key.seal_in_place_append_tag(
            Nonce::assume_unique_for_key(iv),
            Aad::from(aad),
            &mut buffer,
        )
        .map_err(|_| Claim169Error::Encode("AES-GCM"))?;
        Ok((iv, buffer))
    }
}

impl std::fmt::Debug for ContentKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ContentKey(A{}GCM, redacted)", self.0.len() * 8)
    }
}
