//! Restoring onto a new phone: a new wallet file made from the 24 words, holding everything a
//! backup holds, or no file at all.

use std::path::Path;

use laissez_crypto::mnemonic::RecoveryPhrase;
use laissez_store::{StoreOptions, WalletStore, delete_wallet_files};

use super::archive::{BackupContents, RestoreReport, restore};
use super::error::BackupResult;

/// Creates a wallet at `path` (which must not exist) from `phrase`, protected by `new_pin`,
/// and writes every record of `contents` into it. Credentials present again at once: holder
/// keys come back from the words.
///
/// `contents` comes from [`open_with_phrase`](super::open_with_phrase), so a wrong word, another
/// wallet's words or a damaged backup have been found before this is called and no file was
/// made. An existing file at `path` is refused (`StoreError::AlreadyExists`) and left
/// untouched. Should anything fail once the file exists (the PIN key, the disk, words that
/// do not match the backup), the file and its companions are removed again.
pub fn restore_new_wallet(
    path: &Path,
    phrase: &RecoveryPhrase,
    new_pin: &str,
    contents: &BackupContents,
    options: StoreOptions,
    progress: &mut dyn FnMut(u64, u64),
) -> BackupResult<(WalletStore, RestoreReport)> {
    // Declared before the store, so on an error or a panic the store is closed first.
    let mut created = Created { path, keep: true };
    let mut store = WalletStore::create_with_phrase(path, new_pin, phrase, options)?;
    // The file is ours from here: removed again unless the restore completes.
    created.keep = false;
    let report = restore(&mut store, contents, progress)?;
    created.keep = true;
    Ok((store, report))
}

/// The wallet file a restore created: removed with its companions when dropped, unless kept.
struct Created<'a> {
    path: &'a Path,
    keep: bool,
}

impl Drop for Created<'_> {
    fn drop(&mut self) {
        if !self.keep {
            // Best effort: the restore's own error is what the caller needs to see.
            let _ = delete_wallet_files(self.path);
        }
    }
}
