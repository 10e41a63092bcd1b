//! The crypto layer's error: what a primitive, the random generator or the recovery phrase can
//! report. Never carries a key, a PIN or a word.

use crate::phrase_rules::MnemonicProblem;

/// Everything that can go wrong below the store: a failing primitive, refused parameters, or a
/// recovery phrase that is not valid.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum CryptoError {
    /// The operating system's random generator failed.
    #[error("the system random generator failed")]
    Random,
    /// HKDF could not produce the requested key material.
    #[error("key derivation failed")]
    KeyDerivation,
    /// No valid P-256 scalar came out of the key material (probability about 2^-128 per try).
    #[error("could not derive a P-256 key")]
    P256Derivation,
    /// ECDSA signing failed.
    #[error("ECDSA signing failed")]
    Signing,
    /// An AEAD key could not be set up from the key bytes.
    #[error("AES-256-GCM key setup failed")]
    AeadKeySetup,
    /// AEAD sealing failed.
    #[error("encryption failed")]
    Encryption,
    /// Argon2id failed to run (e.g. memory could not be allocated).
    #[error("Argon2id failed")]
    Argon2,
    /// Parameters outside what this build accepts (e.g. Argon2id costs read from a file).
    #[error("{0}")]
    InvalidParameters(String),
    /// The recovery phrase could not be generated from fresh entropy.
    #[error("mnemonic generation failed")]
    MnemonicGeneration,
    /// The recovery phrase is not a valid BIP39 mnemonic.
    #[error("invalid mnemonic: {0}")]
    InvalidMnemonic(MnemonicProblem),
}

/// Result alias for the crypto layer.
pub type CryptoResult<T> = Result<T, CryptoError>;
