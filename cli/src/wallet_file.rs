//! Opening the wallet file a command names: options, then the file, then (if needed) the PIN.
//!
//! The file is opened before any secret is asked for, so a wrong path or a foreign file is
//! reported at once, without a pointless PIN prompt.

use std::path::Path;

use wallet_core::crypto::pin_kdf::KdfParams;
use wallet_core::store::{StoreOptions, WalletStore};

use crate::args::KdfArg;
use crate::exit::CliResult;
use crate::secrets_input;

/// The Argon2id parameters for PIN wraps this command writes.
pub fn kdf_params(kdf: &KdfArg) -> KdfParams {
    if kdf.insecure_fast_kdf {
        KdfParams::INSECURE_FAST
    } else {
        KdfParams::PHONE
    }
}

/// Store options with the given PIN KDF and everything else at its default.
pub fn options(pin_kdf: KdfParams) -> StoreOptions {
    StoreOptions {
        pin_kdf,
        ..StoreOptions::default()
    }
}

/// Opens the wallet locked.
pub fn open_locked(db: &Path, pin_kdf: KdfParams) -> CliResult<WalletStore> {
    Ok(WalletStore::open(db, options(pin_kdf))?)
}

/// Opens the wallet and unlocks it with the PIN from `LAISSEZ_PIN` or the terminal.
pub fn open_unlocked(db: &Path) -> CliResult<WalletStore> {
    let mut store = open_locked(db, KdfParams::PHONE)?;
    let pin = secrets_input::current_pin()?;
    store.unlock(&pin)?;
    Ok(store)
}
