//! Argon2id settings as the apps see them.

use wallet_core::crypto::pin_kdf::KdfParams;

/// Argon2id cost of the PIN key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct KdfSettings {
    /// Memory in KiB.
    pub memory_kib: u32,
    /// Passes over memory.
    pub iterations: u32,
    /// Parallel lanes.
    pub lanes: u32,
}

impl From<KdfSettings> for KdfParams {
    fn from(s: KdfSettings) -> Self {
        KdfParams {
            memory_kib: s.memory_kib,
            iterations: s.iterations,
            lanes: s.lanes,
        }
    }
}

impl From<KdfParams> for KdfSettings {
    fn from(p: KdfParams) -> Self {
        KdfSettings {
            memory_kib: p.memory_kib,
            iterations: p.iterations,
            lanes: p.lanes,
        }
    }
}

/// The parameters for real wallets on phones: 64 MiB, 3 passes, 1 lane.
#[uniffi::export]
pub fn recommended_pin_kdf() -> KdfSettings {
    KdfParams::PHONE.into()
}

/// Deliberately weak parameters for tests only. Never use them for a real wallet.
#[uniffi::export]
pub fn insecure_test_kdf() -> KdfSettings {
    KdfParams::INSECURE_FAST.into()
}
