//! Opening SQLite the way the store needs it: WAL, `synchronous=FULL`, no temp files on disk.

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use super::schema::APPLICATION_ID;
use crate::error::StoreResult;

/// Opens an existing file for reading and writing; never creates one.
pub fn open_existing(path: &Path) -> StoreResult<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    configure(&conn)?;
    Ok(conn)
}

/// Opens a file this process has just created (empty) and marks it as a Laissez wallet.
pub fn initialize_new(path: &Path) -> StoreResult<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.pragma_update(None, "application_id", APPLICATION_ID)?;
    configure(&conn)?;
    Ok(conn)
}

fn configure(conn: &Connection) -> StoreResult<()> {
    conn.busy_timeout(Duration::from_secs(5))?;
    // WAL: readers never block the writer, and a crash leaves a consistent file.
    let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    // FULL: a commit that returned survives power loss, the PIN counter included.
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", true)?;
    // Freed pages are zeroed, so deleted ciphertexts and index rows do not linger.
    conn.pragma_update(None, "secure_delete", true)?;
    // Sorts and temporary tables never spill to a file.
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    // Up to 16 MiB of page cache (grown only as used) and memory-mapped reads: queries over
    // thousands of records stop paying a system call per page.
    conn.pragma_update(None, "cache_size", -16_384)?;
    let _mapped: i64 = conn.query_row("PRAGMA mmap_size = 67108864", [], |r| r.get(0))?;
    Ok(())
}
