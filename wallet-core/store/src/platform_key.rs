//! The hook through which a phone's secure hardware takes part in every PIN guess.
//!
//! With a [`PlatformKeyProtector`], the key that unwraps the data key is
//! `HKDF(Argon2id(PIN) || answer)`, where `answer` is the hardware's keyed one-way function of a
//! challenge derived from `Argon2id(PIN)` (`laissez_crypto::pin_challenge`). Whoever copies the
//! file, or even runs code as the app once and keeps one answer, cannot test a PIN without
//! asking that very phone's hardware once more for that PIN: no offline guessing, no guessing
//! on other machines. The mnemonic recovery slot is deliberately *not* bound to the hardware,
//! so a lost phone never means lost credentials.

/// Why the platform key could not answer, or could not be used at all. The reasons are the
/// platform's own words (or the store's), never a secret. None of these is a wrong PIN: the
/// store does not count them as attempts.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlatformKeyError {
    /// The person cancelled the authentication prompt (biometrics, device credential).
    #[error("authentication was cancelled")]
    Cancelled,
    /// The key is gone or permanently invalidated (e.g. biometrics were enrolled or removed):
    /// it will never answer again. Recover with the 24 words.
    #[error("the platform key was invalidated: {0}")]
    KeyInvalidated(String),
    /// The key cannot be used now (device locked, secure hardware busy or absent): it may
    /// work later.
    #[error("the platform key is unavailable: {0}")]
    Unavailable(String),
    /// The wallet needs its platform key and none was given, or another key than the one
    /// protecting it was given.
    #[error("{0}")]
    NotGiven(&'static str),
    /// Anything else (including an answer too short to be a keyed hash).
    #[error("platform key failure: {0}")]
    Other(String),
}

/// A key held by the phone's secure hardware (Android Keystore, iOS Secure Enclave) that
/// answers challenges.
///
/// Implementations may block (biometric prompts): the store calls them only from the thread
/// doing the unlock, never inside a database transaction.
pub trait PlatformKeyProtector: Send + Sync {
    /// A stable identifier of the platform key (e.g. a Keystore alias), stored beside the PIN
    /// slot so a later unlock can tell "different key" from "wrong PIN".
    fn key_id(&self) -> String;

    /// A deterministic keyed one-way function of `challenge`, computed inside the secure
    /// hardware with a key that never leaves it: the same challenge always gives the same
    /// answer, of at least 32 bytes. The challenge is a 65-byte uncompressed P-256 point
    /// (`04 || x || y`). Android: HMAC-SHA256 over the challenge bytes with a non-exportable
    /// Keystore HMAC key. iOS: the x-coordinate of ECDH between the Secure Enclave P-256 key
    /// and the challenge point (`SecKeyCopyKeyExchangeResult`, `.ecdhKeyExchangeStandard`).
    fn respond(&self, challenge: &[u8]) -> Result<Vec<u8>, PlatformKeyError>;

    /// Only for wallets made before challenges: decrypts what the old `wrap` produced. The
    /// store calls it once, on the first successful unlock of such a wallet, which moves the
    /// wallet to the challenge scheme (with a new data key). A protector that never made such
    /// wraps keeps the default, which reports the old key as gone.
    fn legacy_unwrap(&self, wrapped: &[u8]) -> Result<Vec<u8>, PlatformKeyError> {
        let _ = wrapped;
        Err(PlatformKeyError::KeyInvalidated(
            "this platform key has no legacy wrap key".into(),
        ))
    }
}
