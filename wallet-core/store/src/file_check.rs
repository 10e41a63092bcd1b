//! Looks at a file's first bytes before SQLite touches it, so a foreign or damaged file is
//! reported and left exactly as it was.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use super::schema::APPLICATION_ID;
use crate::error::{StoreError, StoreResult};

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";
const HEADER_LEN: usize = 100;

/// Checks that `path` holds a Laissez wallet that looks whole.
pub fn check_wallet_file(path: &Path) -> StoreResult<()> {
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Err(StoreError::NotFound),
        Err(err) => return Err(err.into()),
    };
    if meta.is_dir() {
        return Err(StoreError::NotAWallet("the path is a directory".into()));
    }
    if meta.len() == 0 {
        return Err(StoreError::NotAWallet("the file is empty".into()));
    }
    let mut header = Vec::with_capacity(HEADER_LEN);
    File::open(path)?
        .take(HEADER_LEN as u64)
        .read_to_end(&mut header)?;
    let magic_len = header.len().min(SQLITE_MAGIC.len());
    if header[..magic_len] != SQLITE_MAGIC[..magic_len] {
        return Err(StoreError::NotAWallet("not an SQLite database".into()));
    }
    if header.len() < HEADER_LEN {
        return Err(StoreError::Corrupted(
            "the file is truncated inside its header".into(),
        ));
    }
    let application_id = u32::from_be_bytes([header[68], header[69], header[70], header[71]]);
    if application_id != APPLICATION_ID {
        return Err(StoreError::NotAWallet(
            "an SQLite database of another application".into(),
        ));
    }
    check_length(path, &header, meta.len())
}

/// A file shorter than the page count in its header lost its tail, unless a write-ahead
/// log is pending (a checkpoint interrupted by a crash is finished from the log on open).
fn check_length(path: &Path, header: &[u8], file_len: u64) -> StoreResult<()> {
    let raw_page_size = u16::from_be_bytes([header[16], header[17]]);
    let page_size: u64 = if raw_page_size == 1 {
        65_536
    } else {
        u64::from(raw_page_size)
    };
    let page_count = u64::from(u32::from_be_bytes([
        header[28], header[29], header[30], header[31],
    ]));
    let change_counter = &header[24..28];
    let valid_for = &header[92..96];
    let count_is_valid = change_counter == valid_for && page_count > 0;
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    let wal_pending = std::fs::metadata(&wal)
        .map(|m| m.len() > 0)
        .unwrap_or(false);
    if count_is_valid && !wal_pending && file_len < page_size * page_count {
        return Err(StoreError::Corrupted(format!(
            "the file is truncated: {file_len} bytes, its header says {}",
            page_size * page_count
        )));
    }
    Ok(())
}

/// Whether a non-empty write-ahead log sits beside the file: the last session did not close
/// cleanly (a clean close checkpoints and empties it).
pub fn wal_pending(path: &Path) -> bool {
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    std::fs::metadata(&wal)
        .map(|m| m.len() > 0)
        .unwrap_or(false)
}
