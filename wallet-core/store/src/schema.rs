//! Schema creation and forward migrations, keyed by `PRAGMA user_version`.

use rusqlite::Connection;

use crate::error::{StoreError, StoreResult};

/// `PRAGMA application_id` of every Laissez wallet ("LSZW"): tells our files from others.
pub const APPLICATION_ID: u32 = 0x4C53_5A57;

/// Migrations in order; migration `i` moves the schema from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[include_str!("migrations/001_initial.sql")];

/// The schema version this build writes and reads.
pub const CURRENT_VERSION: u32 = MIGRATIONS.len() as u32;

/// The schema version stored in the file.
pub fn stored_version(conn: &Connection) -> StoreResult<u32> {
    Ok(conn.query_row("PRAGMA user_version", [], |row| row.get::<_, u32>(0))?)
}

/// Brings the schema up to [`CURRENT_VERSION`], each step in its own transaction.
/// A file from a newer app is refused, never downgraded.
pub fn migrate(conn: &mut Connection) -> StoreResult<()> {
    let found = stored_version(conn)?;
    if found > CURRENT_VERSION {
        return Err(StoreError::UnsupportedVersion {
            found,
            supported: CURRENT_VERSION,
        });
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", index as u32 + 1)?;
        tx.commit()?;
    }
    Ok(())
}
