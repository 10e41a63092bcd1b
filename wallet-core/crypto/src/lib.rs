//! # laissez-crypto: the bottom layer of the Laissez wallet core
//!
//! Every primitive the wallet uses, through `ring` (AES-256-GCM, ECDSA P-256 for holders, and
//! P-256, P-384 and Ed25519 for issuers ([`issuer_key`]), HKDF-SHA256,
//! HMAC-SHA256, the system random generator), RustCrypto's `argon2` for the PIN key and `p256`
//! only where ring has no primitive; the BIP39 recovery phrase the whole wallet is derived
//! from; and the clock every validity check reads. Nothing here knows about files, credentials
//! or QR codes: the store, formats and qr crates sit on top.
//!
//! Errors are one [`CryptoError`]; none carries a key, a PIN or a word. Secrets live in
//! zeroized buffers ([`secret::SecretKey`], [`mnemonic::RecoveryPhrase`]).
//!
//! ```
//! use laissez_crypto::derive;
//! use laissez_crypto::ecdsa::{Es256Signer, SigningKey};
//! use laissez_crypto::mnemonic::RecoveryPhrase;
//!
//! # fn main() -> Result<(), laissez_crypto::CryptoError> {
//! // The wallet secret: 24 words, shown once.
//! let phrase = RecoveryPhrase::generate()?;
//! assert_eq!(phrase.words().len(), 24);
//!
//! // A holder key derived from the words: the same words give the same key on a new phone.
//! let seed = phrase.seed();
//! let material = derive::from_seed(seed.as_ref(), "laissez/v1/example-slot", b"0")?;
//! let key = SigningKey::derive(material.as_bytes())?;
//! let signature = key.sign(b"presentation")?;
//! assert!(key.verifying_key().verify(b"presentation", &signature).is_ok());
//! # Ok(()) }
//! ```

pub mod aead;
pub mod blind_index;
pub mod clock;
pub mod derive;
pub mod ecdsa;
mod error;
pub mod issuer_key;
pub mod mnemonic;
mod phrase_rules;
pub mod pin_challenge;
pub mod pin_kdf;
pub mod random;
pub mod secret;

pub use error::{CryptoError, CryptoResult};
