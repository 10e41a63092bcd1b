//! Several changes to a store in one SQLite transaction: all of them land, or none.
//!
//! [`WalletStore::write`](crate::WalletStore::write) hands a [`StoreWriter`] to a closure;
//! what the closure puts, updates and deletes commits together when it returns `Ok`, and is
//! rolled back when it returns an error (or panics). Reads inside the closure see the
//! transaction's own writes, so a caller can insert a record and then record its id elsewhere
//! in the same transaction.

use rusqlite::Transaction;

use crate::error::StoreResult;
use crate::record_cipher::RecordCipher;
use crate::record_types::{NewRecord, Page, PageCursor, Record, RecordId, Tag};
use crate::records;

/// The open transaction of one [`WalletStore::write`](crate::WalletStore::write) call.
pub struct StoreWriter<'a> {
    pub(crate) tx: &'a Transaction<'a>,
    pub(crate) cipher: &'a RecordCipher,
    pub(crate) now: i64,
}

impl StoreWriter<'_> {
    /// Stores a new record; returns its fresh id.
    pub fn put(&mut self, record: &NewRecord) -> StoreResult<RecordId> {
        records::insert(self.tx, self.cipher, record, self.now)
    }

    /// Replaces a record's tags and body.
    pub fn update(&mut self, id: RecordId, tags: &[Tag], body: &[u8]) -> StoreResult<()> {
        records::update(self.tx, self.cipher, id, tags, body, self.now)
    }

    /// Deletes a record.
    pub fn delete(&mut self, id: RecordId) -> StoreResult<()> {
        records::delete(self.tx, id)
    }

    /// Reads one record.
    pub fn get(&self, id: RecordId) -> StoreResult<Record> {
        records::get(self.tx, self.cipher, id)
    }

    /// One page of the records of `kind` carrying every tag in `tags`, oldest first.
    pub fn find(
        &self,
        kind: &str,
        tags: &[Tag],
        limit: u32,
        after: Option<PageCursor>,
    ) -> StoreResult<Page> {
        records::find(self.tx, self.cipher, kind, tags, limit, after)
    }

    /// The time the store stamps on what this transaction writes, Unix seconds.
    pub fn now(&self) -> i64 {
        self.now
    }
}
