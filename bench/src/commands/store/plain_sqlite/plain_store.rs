//! Records and tags in plain SQLite: no encryption, no blind indexes. A table of records
//! (random 128-bit id, kind, body, times) and a table of tags, indexed the obvious way; the
//! same SQLite settings as the encrypted store (WAL, `synchronous=FULL`, page cache, mmap).
//! The limit any encrypted store approaches.

use std::path::Path;
use std::time::Duration;

use rusqlite::types::Value;
use rusqlite::{Connection, OpenFlags, OptionalExtension, Transaction, params, params_from_iter};
use wallet_core::store::{NewRecord, Tag};

const SCHEMA: &str = "
CREATE TABLE records (
    seq        INTEGER PRIMARY KEY,
    id         BLOB NOT NULL UNIQUE,
    kind       TEXT NOT NULL,
    body       BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX records_by_kind ON records (kind, seq);
CREATE TABLE tags (
    record_seq INTEGER NOT NULL REFERENCES records (seq) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    name       TEXT NOT NULL,
    value      TEXT NOT NULL,
    PRIMARY KEY (record_seq, position)
) WITHOUT ROWID;
CREATE INDEX tags_by_value ON tags (name, value, record_seq);
";

/// The columns a record is read back with.
const RECORD_COLUMNS: &str = "r.seq, r.id, r.kind, r.body, r.created_at, r.updated_at";

/// A record read back: everything the encrypted store's `Record` carries.
#[derive(Debug)]
pub struct PlainRecord {
    /// Its id.
    pub id: Vec<u8>,
    /// Its kind.
    pub kind: String,
    /// Its tags, in the order they were given.
    pub tags: Vec<Tag>,
    /// Its body.
    pub body: Vec<u8>,
    /// Creation time, Unix seconds.
    pub created_at: i64,
    /// Last update time, Unix seconds.
    pub updated_at: i64,
}

/// One page of a query and where the next starts.
pub struct PlainPage {
    /// The records of this page.
    pub records: Vec<PlainRecord>,
    /// The key to start the next page after, if there may be more.
    pub next: Option<i64>,
}

/// A plain SQLite file of records and tags.
pub struct PlainStore {
    conn: Connection,
}

impl PlainStore {
    /// Creates the file and its tables.
    pub fn create(path: &Path) -> rusqlite::Result<Self> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags)?;
        configure(&conn)?;
        conn.execute_batch(SCHEMA)?;
        Ok(Self { conn })
    }

    /// Opens an existing file.
    pub fn open(path: &Path) -> rusqlite::Result<Self> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags)?;
        configure(&conn)?;
        Ok(Self { conn })
    }

    /// Inserts every record in one transaction, record `i` with `ids[i]`.
    pub fn put_many(
        &mut self,
        records: &[NewRecord],
        ids: &[[u8; 16]],
        now: i64,
    ) -> rusqlite::Result<()> {
        let tx = self.conn.transaction()?;
        for (record, id) in records.iter().zip(ids) {
            insert(&tx, id, record, now)?;
        }
        tx.commit()
    }

    /// Inserts one record in its own transaction.
    pub fn put(&mut self, record: &NewRecord, id: &[u8; 16], now: i64) -> rusqlite::Result<()> {
        let tx = self.conn.transaction()?;
        insert(&tx, id, record, now)?;
        tx.commit()
    }

    /// The record with `id`, if there is one.
    pub fn get(&self, id: &[u8; 16]) -> rusqlite::Result<Option<PlainRecord>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {RECORD_COLUMNS} FROM records r WHERE r.id = ?1"
        ))?;
        let row = stmt.query_row([id.as_slice()], read_row).optional()?;
        row.map(|(seq, record)| self.with_tags(seq, record))
            .transpose()
    }

    /// Up to `limit` records of `kind` carrying every tag, after the key `after`.
    pub fn find(
        &self,
        kind: &str,
        tags: &[Tag],
        limit: u32,
        after: Option<i64>,
    ) -> rusqlite::Result<PlainPage> {
        let (from_where, key, mut values) = matching(kind, tags);
        let n = values.len();
        let sql = format!(
            "SELECT {RECORD_COLUMNS} {from_where} AND {key} > ?{} ORDER BY {key} LIMIT ?{}",
            n + 1,
            n + 2
        );
        values.push(Value::Integer(after.unwrap_or(0)));
        values.push(Value::Integer(i64::from(limit)));
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt
            .query_map(params_from_iter(values), read_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let next = (rows.len() == limit as usize)
            .then(|| rows.last().map(|(seq, _)| *seq))
            .flatten();
        let records = rows
            .into_iter()
            .map(|(seq, record)| self.with_tags(seq, record))
            .collect::<rusqlite::Result<_>>()?;
        Ok(PlainPage { records, next })
    }

    /// How many records of `kind` carry every tag.
    pub fn count(&self, kind: &str, tags: &[Tag]) -> rusqlite::Result<u64> {
        let (from_where, _, values) = matching(kind, tags);
        let mut stmt = self
            .conn
            .prepare_cached(&format!("SELECT count(*) {from_where}"))?;
        let count: i64 = stmt.query_row(params_from_iter(values), |row| row.get(0))?;
        Ok(u64::try_from(count).unwrap_or(0))
    }

    fn with_tags(&self, seq: i64, mut record: PlainRecord) -> rusqlite::Result<PlainRecord> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT name, value FROM tags WHERE record_seq = ?1 ORDER BY position",
        )?;
        record.tags = stmt
            .query_map([seq], |row| {
                Ok(Tag::new(row.get::<_, String>(0)?, row.get::<_, String>(1)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(record)
    }
}

/// The encrypted store's connection settings, minus what only it needs.
fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(Duration::from_secs(5))?;
    let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", true)?;
    conn.pragma_update(None, "secure_delete", true)?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    conn.pragma_update(None, "cache_size", -16_384)?;
    let _mapped: i64 = conn.query_row("PRAGMA mmap_size = 67108864", [], |r| r.get(0))?;
    Ok(())
}

fn insert(
    tx: &Transaction<'_>,
    id: &[u8; 16],
    record: &NewRecord,
    now: i64,
) -> rusqlite::Result<()> {
    let mut put = tx.prepare_cached(
        "INSERT INTO records (id, kind, body, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)",
    )?;
    put.execute(params![id.as_slice(), record.kind, record.body, now])?;
    let seq = tx.last_insert_rowid();
    let mut tag = tx.prepare_cached(
        "INSERT INTO tags (record_seq, position, name, value) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (position, t) in record.tags.iter().enumerate() {
        tag.execute(params![seq, position as i64, t.name, t.value])?;
    }
    Ok(())
}

fn read_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<(i64, PlainRecord)> {
    Ok((
        row.get(0)?,
        PlainRecord {
            id: row.get(1)?,
            kind: row.get(2)?,
            tags: Vec::new(),
            body: row.get(3)?,
            created_at: row.get(4)?,
            updated_at: row.get(5)?,
        },
    ))
}

/// `FROM ... WHERE ...` for the records of `kind` carrying every tag, the key that orders
/// them, and the parameters. The first tag drives through `tags_by_value`; the others are
/// checked per record.
fn matching(kind: &str, tags: &[Tag]) -> (String, &'static str, Vec<Value>) {
    let mut values = vec![Value::Text(kind.to_owned())];
    let Some((first, rest)) = tags.split_first() else {
        return ("FROM records r WHERE r.kind = ?1".into(), "r.seq", values);
    };
    let mut sql = String::from(
        "FROM tags t0 JOIN records r ON r.seq = t0.record_seq \
         WHERE r.kind = ?1 AND t0.name = ?2 AND t0.value = ?3",
    );
    values.push(Value::Text(first.name.clone()));
    values.push(Value::Text(first.value.clone()));
    for tag in rest {
        let k = values.len();
        sql.push_str(&format!(
            " AND EXISTS (SELECT 1 FROM tags t WHERE t.record_seq = r.seq \
             AND t.name = ?{} AND t.value = ?{})",
            k + 1,
            k + 2
        ));
        values.push(Value::Text(tag.name.clone()));
        values.push(Value::Text(tag.value.clone()));
    }
    (sql, "t0.record_seq", values)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn record(tags: &[(&str, &str)], body: &[u8]) -> NewRecord {
        NewRecord {
            kind: "k".into(),
            tags: tags.iter().map(|(n, v)| Tag::new(*n, *v)).collect(),
            body: body.to_vec(),
        }
    }

    #[test]
    fn puts_gets_finds_and_counts() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = PlainStore::create(&dir.path().join("plain.db")).unwrap();
        let records = [
            record(&[("a", "1"), ("b", "x")], b"one"),
            record(&[("a", "1"), ("b", "y")], b"two"),
            record(&[("a", "2"), ("b", "x")], b"three"),
        ];
        store
            .put_many(&records, &[[1; 16], [2; 16], [3; 16]], 7)
            .unwrap();
        let got = store.get(&[2; 16]).unwrap().unwrap();
        assert_eq!(
            (got.body.as_slice(), got.tags.len()),
            (b"two".as_slice(), 2)
        );
        assert_eq!(got.tags[1], Tag::new("b", "y"));
        assert!(store.get(&[9; 16]).unwrap().is_none());
        assert_eq!(store.count("k", &[]).unwrap(), 3);
        assert_eq!(store.count("k", &[Tag::new("a", "1")]).unwrap(), 2);
        let both = [Tag::new("a", "1"), Tag::new("b", "x")];
        assert_eq!(store.count("k", &both).unwrap(), 1);
        assert_eq!(store.count("other", &[]).unwrap(), 0);
        let first = store.find("k", &[Tag::new("b", "x")], 1, None).unwrap();
        assert_eq!(first.records[0].body, b"one");
        let second = store
            .find("k", &[Tag::new("b", "x")], 1, first.next)
            .unwrap();
        assert_eq!(second.records[0].body, b"three");
        let last = store
            .find("k", &[Tag::new("b", "x")], 1, second.next)
            .unwrap();
        assert!(last.records.is_empty() && last.next.is_none());
    }
}
