//! The files one wallet is made of: the SQLite database and the companions SQLite keeps beside
//! it. One list, so that whoever removes a wallet (a failed creation or restore, an app's
//! "delete this wallet", the CLI) removes all of it.

use std::path::{Path, PathBuf};

use crate::error::{StoreError, StoreResult};

/// Suffixes of the files SQLite may keep beside the database: the write-ahead log, its
/// shared-memory index, and a rollback journal (left by a crash in another journal mode).
const COMPANION_SUFFIXES: [&str; 3] = ["-wal", "-shm", "-journal"];

/// The database file at `path` and every companion SQLite may keep beside it, whether they
/// exist or not.
pub fn wallet_files(path: &Path) -> Vec<PathBuf> {
    std::iter::once(path.to_path_buf())
        .chain(COMPANION_SUFFIXES.iter().map(|suffix| {
            let mut name = path.as_os_str().to_owned();
            name.push(suffix);
            PathBuf::from(name)
        }))
        .collect()
}

/// Removes the wallet at `path`: the database and its companions. Files that are not there
/// are fine; the first other failure is reported after trying every file. Close the store
/// first (an open connection would recreate its WAL).
pub fn delete_wallet_files(path: &Path) -> StoreResult<()> {
    let mut first_error = None;
    for file in wallet_files(path) {
        match std::fs::remove_file(&file) {
            Ok(()) => {}
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
            Err(err) => {
                first_error.get_or_insert(StoreError::from(err));
            }
        }
    }
    first_error.map_or(Ok(()), Err)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn every_companion_is_named_and_removed_and_missing_ones_are_fine() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("w.db");
        let files = wallet_files(&db);
        assert_eq!(files.len(), 4);
        assert!(files[1].to_string_lossy().ends_with("w.db-wal"));
        for file in &files[..3] {
            std::fs::write(file, b"x").unwrap();
        }
        std::fs::write(dir.path().join("other.db"), b"x").unwrap();
        delete_wallet_files(&db).unwrap();
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().collect();
        assert_eq!(left.len(), 1, "only the other file is left");
        delete_wallet_files(&db).unwrap();
    }

    #[test]
    fn a_file_that_cannot_be_removed_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("w.db");
        // A directory in the database's place cannot be removed as a file.
        std::fs::create_dir(&db).unwrap();
        assert!(matches!(
            delete_wallet_files(&db),
            Err(StoreError::Storage(_))
        ));
    }
}
