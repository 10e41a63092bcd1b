//! Hardware key protection as a foreign trait: Android Keystore or the iOS Secure Enclave
//! implement it in the app; the core asks it to answer a challenge derived from the PIN on
//! every PIN check, so every guess needs that phone's secure hardware.

use std::sync::Arc;

use wallet_core::platform_key::PlatformKeyError as CoreError;

/// Why the platform could not answer: thrown by the app's protector. Throw the case
/// that fits, so the app can later tell the person what to do (`WalletError.PlatformKey`
/// carries it back as a `PlatformKeyProblem`).
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum PlatformKeyError {
    /// The person cancelled the authentication prompt.
    #[error("authentication was cancelled")]
    Cancelled,
    /// The key is gone or permanently invalidated (Android:
    /// `KeyPermanentlyInvalidatedException`, a deleted alias; iOS: biometrics changed, the
    /// Secure Enclave key removed). It will never answer again: recover with the 24 words.
    #[error("the platform key was invalidated: {reason}")]
    KeyInvalidated {
        /// The platform's explanation.
        reason: String,
    },
    /// The key cannot be used now (device locked, secure hardware busy, no authentication set
    /// up): it may work later.
    #[error("the platform key is unavailable: {reason}")]
    Unavailable {
        /// The platform's explanation.
        reason: String,
    },
    /// Anything else.
    #[error("platform key failure: {reason}")]
    Failed {
        /// The platform's explanation.
        reason: String,
    },
}

/// What went wrong with the platform key, as `WalletError.PlatformKey` and
/// `BackupError.PlatformKey` report it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum PlatformKeyProblem {
    /// The person cancelled the authentication prompt: ask again, or let them use the PIN
    /// screen later.
    Cancelled,
    /// The key is gone or permanently invalidated: recover with the 24 words.
    KeyInvalidated,
    /// The key cannot be used now: try again later.
    Unavailable,
    /// The wallet is protected by a platform key and none (or another one) was given in the
    /// options.
    NotGiven,
    /// Anything else the platform reported.
    Other,
}

impl PlatformKeyProblem {
    /// The problem a core platform-key failure stands for.
    pub(crate) fn of(err: &CoreError) -> Self {
        match err {
            CoreError::Cancelled => Self::Cancelled,
            CoreError::KeyInvalidated(_) => Self::KeyInvalidated,
            CoreError::Unavailable(_) => Self::Unavailable,
            CoreError::NotGiven(_) => Self::NotGiven,
            CoreError::Other(_) => Self::Other,
        }
    }
}

impl From<PlatformKeyError> for CoreError {
    fn from(err: PlatformKeyError) -> Self {
        match err {
            PlatformKeyError::Cancelled => Self::Cancelled,
            PlatformKeyError::KeyInvalidated { reason } => Self::KeyInvalidated(reason),
            PlatformKeyError::Unavailable { reason } => Self::Unavailable(reason),
            PlatformKeyError::Failed { reason } => Self::Other(reason),
        }
    }
}

/// A key held by the phone's secure hardware that answers challenges.
///
/// Failures are not wrong PINs: the wallet does not count them as attempts.
// `foreign`, not `with_foreign`: only the app implements this trait across the FFI. Rust
// implementations (the bindings' own tests) are passed to Rust functions directly and never
// cross it, so no Rust-side scaffolding is needed.
#[uniffi::export(foreign)]
pub trait PlatformKeyProtector: Send + Sync {
    /// A stable identifier of the key, such as a Keystore alias.
    fn key_id(&self) -> String;
    /// A deterministic keyed one-way function of `challenge`, computed inside the secure
    /// hardware with a key that never leaves it: the same challenge always gives the same
    /// answer, of at least 32 bytes. The challenge is a 65-byte uncompressed P-256 point.
    /// Android: HMAC-SHA256 over the challenge bytes with a non-exportable Keystore HMAC key
    /// (`KeyProperties.KEY_ALGORITHM_HMAC_SHA256`, `PURPOSE_SIGN`). iOS: the x-coordinate of
    /// ECDH between the Secure Enclave P-256 key and the challenge point
    /// (`SecKeyCopyKeyExchangeResult` with `.ecdhKeyExchangeStandard`).
    fn respond(&self, challenge: Vec<u8>) -> Result<Vec<u8>, PlatformKeyError>;
    /// Only for wallets protected before challenges existed: decrypts what the old `wrap`
    /// produced, with the old wrapping key. Called once, on the first unlock of such a wallet,
    /// which then moves to challenges. An app that never wrapped throws `KeyInvalidated`.
    fn legacy_unwrap(&self, wrapped: Vec<u8>) -> Result<Vec<u8>, PlatformKeyError>;
}

/// Adapts a foreign protector to the core's trait.
pub struct ForeignProtector(pub Arc<dyn PlatformKeyProtector>);

impl wallet_core::platform_key::PlatformKeyProtector for ForeignProtector {
    fn key_id(&self) -> String {
        self.0.key_id()
    }

    fn respond(&self, challenge: &[u8]) -> Result<Vec<u8>, CoreError> {
        self.0.respond(challenge.to_vec()).map_err(CoreError::from)
    }

    fn legacy_unwrap(&self, wrapped: &[u8]) -> Result<Vec<u8>, CoreError> {
        self.0
            .legacy_unwrap(wrapped.to_vec())
            .map_err(CoreError::from)
    }
}
