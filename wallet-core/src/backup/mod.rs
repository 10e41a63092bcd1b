//! Backup, restore and phone-to-phone transfer with the 24 words (see `format` for the file
//! and docs/BACKUP.md). A backup holds every record of a wallet, encrypted under a key
//! derived from the recovery phrase; restoring it into a wallet made from the same words
//! brings back every credential, presentable again since holder keys are derived from the
//! words too.

mod archive;
mod error;
pub mod format;
mod new_wallet;

pub use archive::{
    BackupContents, BackupRecord, RestoreReport, create, from_message, open_with_phrase,
    open_with_store, read_header, restore, to_message,
};
pub use error::{BackupError, BackupResult};
pub use format::{BackupHeader, RecordCounts};
pub use new_wallet::restore_new_wallet;
