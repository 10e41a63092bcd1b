//! The hook through which a phone's hardware keystore protects the data key.
//!
//! When a wallet is created or re-protected with a [`PlatformKeyProtector`], the PIN-wrapped
//! data key is wrapped once more by the platform (Android Keystore, iOS Secure Enclave or
//! Keychain). A copy of the database file is then useless without that very phone's hardware:
//! the PIN cannot be guessed offline. The mnemonic recovery slot is deliberately *not* bound to
//! the hardware, so a lost phone never means lost credentials.

/// Why the platform key could not wrap or unwrap, or could not be used at all. The reasons are
/// the platform's own words (or the store's), never a secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlatformKeyError {
    /// The person cancelled the authentication prompt (biometrics, device credential).
    #[error("authentication was cancelled")]
    Cancelled,
    /// The key is gone or permanently invalidated (e.g. biometrics were enrolled or removed):
    /// it will never unwrap again. Recover with the 24 words.
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
    /// Anything else.
    #[error("platform key failure: {0}")]
    Other(String),
}

/// A hardware-backed (or otherwise platform-held) key that wraps and unwraps small secrets.
///
/// Implementations must be deterministic in what they accept: `unwrap(wrap(x)) == x`, and
/// `unwrap` of anything else fails. They may block (biometric prompts): the store calls them
/// only from the thread doing the unlock, never while holding other resources.
pub trait PlatformKeyProtector: Send + Sync {
    /// A stable identifier of the platform key (e.g. a Keystore alias), stored beside the wrap
    /// so a later unlock can tell "different key" from "corrupted data".
    fn key_id(&self) -> String;

    /// Encrypts `secret` under the platform key.
    fn wrap(&self, secret: &[u8]) -> Result<Vec<u8>, PlatformKeyError>;

    /// Decrypts what [`PlatformKeyProtector::wrap`] produced.
    fn unwrap(&self, wrapped: &[u8]) -> Result<Vec<u8>, PlatformKeyError>;
}
