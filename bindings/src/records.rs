//! Record types as the apps see them, and their conversions.

use wallet_core::store::{NewRecord, Page, Record, Tag};

/// A searchable name/value pair on a record.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RecordTag {
    /// The tag's name.
    pub name: String,
    /// The tag's value.
    pub value: String,
}

/// A record to store.
#[derive(Debug, Clone, uniffi::Record)]
pub struct NewRecordInput {
    /// What sort of record, e.g. "credential".
    pub kind: String,
    /// Searchable tags.
    pub tags: Vec<RecordTag>,
    /// The payload, encrypted at rest.
    pub body: Vec<u8>,
}

/// A record read back from the wallet.
#[derive(Debug, Clone, uniffi::Record)]
pub struct StoredRecord {
    /// Its random id (32 hex digits).
    pub id: String,
    /// Its kind.
    pub kind: String,
    /// Its tags.
    pub tags: Vec<RecordTag>,
    /// Its payload.
    pub body: Vec<u8>,
    /// Creation time, Unix seconds.
    pub created_at: i64,
    /// Last update, Unix seconds.
    pub updated_at: i64,
}

/// One page of a query.
#[derive(Debug, Clone, uniffi::Record)]
pub struct RecordPage {
    /// The records, oldest first.
    pub records: Vec<StoredRecord>,
    /// Pass to the next query for the following page; absent on the last page.
    pub next_cursor: Option<String>,
}

pub(crate) fn to_core_tags(tags: Vec<RecordTag>) -> Vec<Tag> {
    tags.into_iter()
        .map(|t| Tag {
            name: t.name,
            value: t.value,
        })
        .collect()
}

impl From<NewRecordInput> for NewRecord {
    fn from(r: NewRecordInput) -> Self {
        NewRecord {
            kind: r.kind,
            tags: to_core_tags(r.tags),
            body: r.body,
        }
    }
}

impl From<Record> for StoredRecord {
    fn from(r: Record) -> Self {
        StoredRecord {
            id: r.id.to_string(),
            kind: r.kind,
            tags: r
                .tags
                .into_iter()
                .map(|t| RecordTag {
                    name: t.name,
                    value: t.value,
                })
                .collect(),
            // The foreign side owns this copy now; the core's buffer is wiped on drop.
            body: r.body.to_vec(),
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

impl From<Page> for RecordPage {
    fn from(p: Page) -> Self {
        RecordPage {
            records: p.records.into_iter().map(Into::into).collect(),
            next_cursor: p.next.map(|c| c.to_token()),
        }
    }
}
