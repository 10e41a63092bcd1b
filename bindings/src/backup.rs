//! Backup and restore with the 24 words: a whole wallet as bytes (a file the app saves or
//! shares) or as QR codes (an animated phone-to-phone transfer), restored onto a new phone from
//! the words and a new PIN, or merged into a wallet made from the same words. Thin wrappers
//! over `wallet_core::backup`.
//!
//! The flows in an app:
//! - old phone: `wallet.backup()` (bytes) or `wallet.backupFrames()` (QR codes to loop);
//! - any time, no words needed: `readBackupHeader(bytes)` says when it was made and what it
//!   holds;
//! - new phone: a `QrScanner` completes a `QrMessage` of kind `Backup`;
//!   `backupFromMessage(message)` gives its bytes; `restoreWallet(path, words, newPin, bytes,
//!   options, progress)` checks the words and the whole backup, then creates the wallet and
//!   restores into it;
//! - a wallet already set up from the same words: `wallet.restoreBackup(bytes, progress)`.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::Arc;

use wallet_core::backup::{self, BackupHeader as CoreHeader, RecordCounts as CoreCounts};
use wallet_core::mnemonic::RecoveryPhrase;
use wallet_core::qr::MessageKind;
use zeroize::Zeroizing;

use crate::backup_error::BackupError;
use crate::blocking;
use crate::qr::{FrameOptions, QrFrame, QrMessage, display_frames_async};
use crate::wallet::{Wallet, WalletOptions};

/// How many records of each sort a backup holds or a restore wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, uniffi::Record)]
pub struct RecordCounts {
    /// Credentials.
    pub credentials: u64,
    /// Holder key records (the keys themselves are re-derived from the 24 words).
    pub holder_keys: u64,
    /// Disclosure history entries.
    pub disclosures: u64,
    /// Everything else (records of the app's own, a verifier's lists and log).
    pub other: u64,
}

impl From<CoreCounts> for RecordCounts {
    fn from(c: CoreCounts) -> Self {
        RecordCounts {
            credentials: c.credentials,
            holder_keys: c.holder_keys,
            disclosures: c.disclosures,
            other: c.other,
        }
    }
}

/// What a backup says about itself without the 24 words. Nothing personal.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct BackupHeader {
    /// Format version.
    pub version: u8,
    /// When it was made, Unix seconds (by the wallet's clock).
    pub created_at: i64,
    /// What it holds.
    pub counts: RecordCounts,
}

impl From<CoreHeader> for BackupHeader {
    fn from(h: CoreHeader) -> Self {
        BackupHeader {
            version: h.version,
            created_at: h.created_at,
            counts: h.counts.into(),
        }
    }
}

/// What a restore did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, uniffi::Record)]
pub struct RestoreReport {
    /// Records written, by sort.
    pub restored: RecordCounts,
    /// Records the wallet already held (same kind and content), skipped: restoring twice, or
    /// into a wallet that kept some credentials, makes no duplicates.
    pub skipped_duplicates: u64,
}

impl From<backup::RestoreReport> for RestoreReport {
    fn from(r: backup::RestoreReport) -> Self {
        RestoreReport {
            restored: r.restored.into(),
            skipped_duplicates: r.skipped_duplicates,
        }
    }
}

/// A wallet restored on a new phone, and what was restored into it.
#[derive(uniffi::Record)]
pub struct RestoredWallet {
    /// The new wallet, unlocked, protected by the new PIN.
    pub wallet: Arc<Wallet>,
    /// What was restored.
    pub report: RestoreReport,
}

/// Receives a restore's progress, implemented by the app.
///
/// Called on a Laissez worker thread, never the caller's (post to the UI thread to show it),
/// at least twice: `done = 0` as the records are first prepared, then every 256 records, and
/// `done = total` once everything is written. Keep it quick, and do not call the wallet being
/// restored into from inside it (the wallet is busy until the restore returns). Should it
/// throw, the exception is ignored and the restore goes on.
// `foreign`, not `with_foreign`: only the app implements this trait across the FFI. Rust
// implementations (the bindings' own tests) are passed to Rust functions directly and never
// cross it, so no Rust-side scaffolding is needed.
#[uniffi::export(foreign)]
pub trait RestoreProgress: Send + Sync {
    /// `done` of `total` records handled.
    fn on_progress(&self, done: u64, total: u64);
}

/// The core's progress closure over an optional app callback. A callback that throws (a panic
/// on this side) is ignored: progress is advisory, and the restore's transaction must not be
/// cut short by the UI.
fn reporter(progress: Option<Arc<dyn RestoreProgress>>) -> impl FnMut(u64, u64) {
    move |done, total| {
        if let Some(callback) = &progress {
            let _ignored = catch_unwind(AssertUnwindSafe(|| callback.on_progress(done, total)));
        }
    }
}

/// What a backup says about itself (format version, date, record counts), without the 24
/// words. UNAUTHENTICATED: anyone can change these fields without breaking anything until the
/// restore authenticates the whole backup, so do not show the date or counts to the person as
/// facts before the restore succeeds (the demo apps check only the version here and show the
/// restore's own report after). Errors: `NotABackup`, `UnsupportedVersion`, `Truncated`,
/// `Damaged`, `TooLarge`. Only the clear header is read: damage further on is found by the
/// restore.
#[uniffi::export]
pub fn read_backup_header(backup: Vec<u8>) -> Result<BackupHeader, BackupError> {
    Ok(backup::read_header(&backup)?.into())
}

/// The backup a completed scan carries (`ScanUpdate.Complete` of kind `Backup`), for
/// `restoreWallet` or `Wallet.restoreBackup`. Errors: `WrongMessageKind` for another kind of
/// message.
#[uniffi::export]
pub fn backup_from_message(message: QrMessage) -> Result<Vec<u8>, BackupError> {
    if message.kind.to_core() != MessageKind::Backup {
        return Err(BackupError::WrongMessageKind {
            kind: message.kind.name().into(),
        });
    }
    Ok(message.payload)
}

/// Restores a wallet on a new phone: a new wallet file at `path` (which must not exist) made
/// from the 24 words (`mnemonic`), protected by `new_pin`, holding everything in `backup`.
/// Credentials present again at once: holder keys come back from the words.
///
/// The words and the whole backup are checked before the file is created, so a wrong word
/// (`InvalidMnemonic`), another wallet's words (`OtherWallet`) or a damaged backup (`Damaged`,
/// `Truncated`, `NotABackup`, `UnsupportedVersion`) leave nothing behind; should anything fail
/// after creation, the file is removed again. An existing file at `path` gives
/// `AlreadyExists` and is left untouched.
///
/// `progress` is called on a worker thread (see [`RestoreProgress`]). Runs on the worker pool
/// (Argon2id for the new PIN, then the restore).
#[uniffi::export(default(progress = None))]
pub async fn restore_wallet(
    path: String,
    mnemonic: String,
    new_pin: String,
    backup: Vec<u8>,
    options: WalletOptions,
    progress: Option<Arc<dyn RestoreProgress>>,
) -> Result<RestoredWallet, BackupError> {
    blocking::run(move || {
        let (mnemonic, new_pin) = (Zeroizing::new(mnemonic), Zeroizing::new(new_pin));
        let phrase = RecoveryPhrase::parse(&mnemonic)?;
        let contents = backup::open_with_phrase(&backup, &phrase)?;
        let options = options.into_core();
        let clock = Arc::clone(&options.clock);
        let (store, report) = backup::restore_new_wallet(
            Path::new(&path),
            &phrase,
            &new_pin,
            &contents,
            options,
            &mut reporter(progress),
        )?;
        Ok(RestoredWallet {
            wallet: Wallet::new(store, clock),
            report: report.into(),
        })
    })
    .await
}

/// Backup of the whole wallet, and restore into it. Every method needs the wallet unlocked
/// (else `BackupError.Locked`).
#[uniffi::export]
impl Wallet {
    /// A backup of the whole wallet (credentials, holder key records, disclosure history,
    /// every other record; never the PIN), encrypted under a key derived from the 24 words:
    /// without them it reveals only its header (`readBackupHeader`). Dated by the wallet's
    /// clock. Save or share it as a file; restore it with `restoreWallet` on a new phone.
    pub async fn backup(&self) -> Result<Vec<u8>, BackupError> {
        let now = self.now();
        self.with_store(move |s| Ok(backup::create(s, now)?)).await
    }

    /// The same backup as QR codes for a phone-to-phone transfer: an animated sequence to show
    /// in a loop (the new phone's `QrScanner` assembles it in any order, tolerating missed
    /// codes, and reports `Progress` meanwhile). `options`: `defaultFrameOptions()` when
    /// absent. The codes reveal nothing without the 24 words.
    #[uniffi::method(default(options = None))]
    pub async fn backup_frames(
        &self,
        options: Option<FrameOptions>,
    ) -> Result<Vec<QrFrame>, BackupError> {
        let bytes = self.backup().await?;
        display_frames_async(backup::to_message(bytes), options).await
    }

    /// Restores `backup` into this wallet, which must have been made from the same 24 words
    /// (else `OtherWallet`), merging: records it already holds are skipped, so restoring twice
    /// makes no duplicates. All records are written in one transaction, or none: on any error
    /// the wallet is as it was.
    ///
    /// `progress` is called on a worker thread (see [`RestoreProgress`]); do not call this
    /// wallet from it.
    #[uniffi::method(default(progress = None))]
    pub async fn restore_backup(
        &self,
        backup: Vec<u8>,
        progress: Option<Arc<dyn RestoreProgress>>,
    ) -> Result<RestoreReport, BackupError> {
        self.with_store(move |s| {
            let contents = backup::open_with_store(&backup, s)?;
            Ok(backup::restore(s, &contents, &mut reporter(progress))?.into())
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]

    use std::sync::atomic::{AtomicU32, Ordering};

    use super::*;

    struct Throwing(AtomicU32);

    impl RestoreProgress for Throwing {
        fn on_progress(&self, _done: u64, _total: u64) {
            self.0.fetch_add(1, Ordering::SeqCst);
            panic!("the app's callback threw");
        }
    }

    #[test]
    fn a_throwing_progress_callback_is_ignored() {
        let callback = Arc::new(Throwing(AtomicU32::new(0)));
        let mut report = reporter(Some(callback.clone()));
        report(0, 2);
        report(2, 2);
        assert_eq!(callback.0.load(Ordering::SeqCst), 2);
        reporter(None)(1, 1);
    }

    #[test]
    fn only_a_backup_message_gives_its_bytes() {
        let backup = QrMessage {
            kind: crate::QrMessageKind::Backup,
            payload: vec![1, 2, 3],
        };
        assert_eq!(backup_from_message(backup).unwrap(), [1, 2, 3]);
        let other = QrMessage {
            kind: crate::QrMessageKind::TrustList,
            payload: vec![],
        };
        match backup_from_message(other) {
            Err(BackupError::WrongMessageKind { kind }) => assert_eq!(kind, "trust_list"),
            other => panic!("{other:?}"),
        }
    }
}
