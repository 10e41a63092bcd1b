//! Hardware key protection as a foreign trait: Android Keystore or the iOS Secure Enclave
//! implement it in the app; the core calls it to wrap and unwrap the PIN-wrapped data key.

use std::sync::Arc;

/// Why the platform could not wrap or unwrap.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum PlatformKeyError {
    /// The key is gone or permanently invalidated (e.g. biometrics changed). Recover with the
    /// 24 words.
    #[error("the platform key is no longer available: {reason}")]
    KeyUnavailable {
        /// The platform's explanation.
        reason: String,
    },
    /// The person cancelled an authentication prompt.
    #[error("authentication was cancelled")]
    Cancelled,
    /// Anything else.
    #[error("platform key failure: {reason}")]
    Failed {
        /// The platform's explanation.
        reason: String,
    },
}

/// A key held by the phone's hardware that wraps small secrets.
#[uniffi::export(with_foreign)]
pub trait PlatformKeyProtector: Send + Sync {
    /// A stable identifier of the key, such as a Keystore alias.
    fn key_id(&self) -> String;
    /// Encrypts `secret` under the platform key.
    fn wrap(&self, secret: Vec<u8>) -> Result<Vec<u8>, PlatformKeyError>;
    /// Decrypts what `wrap` produced.
    fn unwrap(&self, wrapped: Vec<u8>) -> Result<Vec<u8>, PlatformKeyError>;
}

/// Adapts a foreign protector to the core's trait.
pub struct ForeignProtector(pub Arc<dyn PlatformKeyProtector>);

impl wallet_core::platform_key::PlatformKeyProtector for ForeignProtector {
    fn key_id(&self) -> String {
        self.0.key_id()
    }

    fn wrap(&self, secret: &[u8]) -> Result<Vec<u8>, String> {
        self.0.wrap(secret.to_vec()).map_err(|e| e.to_string())
    }

    fn unwrap(&self, wrapped: &[u8]) -> Result<Vec<u8>, String> {
        self.0.unwrap(wrapped.to_vec()).map_err(|e| e.to_string())
    }
}
