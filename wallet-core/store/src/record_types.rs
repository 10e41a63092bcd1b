//! The record layer's public types and their size limits.

use std::fmt;

use zeroize::Zeroizing;

use crate::error::{StoreError, StoreResult};

/// Longest kind, in bytes.
pub const MAX_KIND_LEN: usize = 64;
/// Longest tag name, in bytes.
pub const MAX_TAG_NAME_LEN: usize = 64;
/// Longest tag value, in bytes.
pub const MAX_TAG_VALUE_LEN: usize = 512;
/// Most tags on one record.
pub const MAX_TAGS: usize = 32;
/// Largest record body, in bytes (8 MiB: a credential with a photo fits many times over).
pub const MAX_BODY_LEN: usize = 8 * 1024 * 1024;
/// Most records in one page.
pub const MAX_PAGE_SIZE: u32 = 1_000;

/// A record's id: 128 random bits, shown as 32 lowercase hex digits.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RecordId(pub(crate) [u8; 16]);

impl RecordId {
    /// The raw bytes.
    pub fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }

    /// Parses the 32-hex-digit form.
    pub fn parse(text: &str) -> StoreResult<Self> {
        let mut bytes = [0u8; 16];
        hex::decode_to_slice(text.trim(), &mut bytes)
            .map_err(|_| StoreError::InvalidInput("a record id is 32 hexadecimal digits".into()))?;
        Ok(Self(bytes))
    }
}

impl fmt::Display for RecordId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&hex::encode(self.0))
    }
}

impl fmt::Debug for RecordId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RecordId({self})")
    }
}

/// A searchable name/value pair on a record. Stored only as a blind index and inside the
/// encrypted body.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Tag {
    /// The tag's name.
    pub name: String,
    /// The tag's value.
    pub value: String,
}

impl Tag {
    /// A tag from a name and a value.
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            value: value.into(),
        }
    }
}

/// A record to insert.
#[derive(Debug, Clone)]
pub struct NewRecord {
    /// What sort of record (e.g. "credential"); queries are always within one kind.
    pub kind: String,
    /// Searchable tags.
    pub tags: Vec<Tag>,
    /// The payload, encrypted at rest.
    pub body: Vec<u8>,
}

/// A record read back from the store.
#[derive(Clone)]
pub struct Record {
    /// Its id.
    pub id: RecordId,
    /// Its kind.
    pub kind: String,
    /// Its tags, in the order they were given.
    pub tags: Vec<Tag>,
    /// Its payload, wiped from memory when dropped.
    pub body: Zeroizing<Vec<u8>>,
    /// Creation time, Unix seconds (encrypted at rest).
    pub created_at: i64,
    /// Last update time, Unix seconds (encrypted at rest).
    pub updated_at: i64,
}

impl Record {
    /// The value of its first tag named `name`.
    pub fn tag(&self, name: &str) -> Option<&str> {
        self.tags
            .iter()
            .find(|tag| tag.name == name)
            .map(|tag| tag.value.as_str())
    }
}

impl fmt::Debug for Record {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Kind, tags and body may be personal: never printed.
        f.debug_struct("Record")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

/// Where a page starts: after the record a previous page ended with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageCursor(pub(crate) i64);

impl PageCursor {
    /// An opaque text form for apps and the CLI.
    pub fn to_token(&self) -> String {
        self.0.to_string()
    }

    /// Parses [`PageCursor::to_token`]'s form.
    pub fn from_token(token: &str) -> StoreResult<Self> {
        token
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|v| *v >= 0)
            .map(Self)
            .ok_or_else(|| StoreError::InvalidInput("not a page cursor".into()))
    }
}

/// One page of a query.
#[derive(Debug, Clone)]
pub struct Page {
    /// The records, oldest first.
    pub records: Vec<Record>,
    /// Pass this to get the next page; `None` when this was the last.
    pub next: Option<PageCursor>,
}

/// Checks a kind against the limits.
pub fn validate_kind(kind: &str) -> StoreResult<()> {
    if kind.is_empty() || kind.len() > MAX_KIND_LEN {
        return Err(StoreError::InvalidInput(format!(
            "a kind must be 1 to {MAX_KIND_LEN} bytes"
        )));
    }
    Ok(())
}

/// Checks tags against the limits.
pub fn validate_tags(tags: &[Tag]) -> StoreResult<()> {
    if tags.len() > MAX_TAGS {
        return Err(StoreError::InvalidInput(format!(
            "at most {MAX_TAGS} tags per record"
        )));
    }
    for tag in tags {
        if tag.name.is_empty() || tag.name.len() > MAX_TAG_NAME_LEN {
            return Err(StoreError::InvalidInput(format!(
                "a tag name must be 1 to {MAX_TAG_NAME_LEN} bytes"
            )));
        }
        if tag.value.len() > MAX_TAG_VALUE_LEN {
            return Err(StoreError::InvalidInput(format!(
                "a tag value must be at most {MAX_TAG_VALUE_LEN} bytes"
            )));
        }
    }
    Ok(())
}

/// Checks a whole new record against the limits.
pub fn validate_new(record: &NewRecord) -> StoreResult<()> {
    validate_kind(&record.kind)?;
    validate_tags(&record.tags)?;
    validate_body(&record.body)
}

/// Checks a body against the size limit.
pub fn validate_body(body: &[u8]) -> StoreResult<()> {
    if body.len() > MAX_BODY_LEN {
        return Err(StoreError::InvalidInput(format!(
            "a record body must be at most {MAX_BODY_LEN} bytes"
        )));
    }
    Ok(())
}

/// Checks a page size.
pub fn validate_page_size(limit: u32) -> StoreResult<()> {
    if limit == 0 || limit > MAX_PAGE_SIZE {
        return Err(StoreError::InvalidInput(format!(
            "a page holds 1 to {MAX_PAGE_SIZE} records"
        )));
    }
    Ok(())
}
