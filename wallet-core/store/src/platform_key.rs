//! The hook through which a phone's hardware keystore protects the data key.
//!
//! When a wallet is created or re-protected with a [`PlatformKeyProtector`], the PIN-wrapped
//! data key is wrapped once more by the platform (Android Keystore, iOS Secure Enclave or
//! Keychain). A copy of the database file is then useless without that very phone's hardware:
//! the PIN cannot be guessed offline. The mnemonic recovery slot is deliberately *not* bound to
//! the hardware, so a lost phone never means lost credentials.

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
    fn wrap(&self, secret: &[u8]) -> Result<Vec<u8>, String>;

    /// Decrypts what [`PlatformKeyProtector::wrap`] produced.
    fn unwrap(&self, wrapped: &[u8]) -> Result<Vec<u8>, String>;
}
