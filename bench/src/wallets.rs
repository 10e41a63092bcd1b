//! The benchmarks' wallets: store options with a chosen PIN key derivation.

use wallet_core::crypto::pin_kdf::KdfParams;
use wallet_core::store::StoreOptions;

/// Store options with `pin_kdf` and everything else at its default.
pub fn options(pin_kdf: KdfParams) -> StoreOptions {
    StoreOptions {
        pin_kdf,
        ..StoreOptions::default()
    }
}
