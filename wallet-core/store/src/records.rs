//! Record operations on the database: insert, get, update, delete, find, count, reseal.
//!
//! Every function takes a `&Connection` (a `Transaction` derefs to one), so the caller decides
//! the transaction boundaries.

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, params, params_from_iter};

use super::record_cipher::RecordCipher;
use super::record_types::{NewRecord, Page, PageCursor, Record, RecordId, Tag, validate_new};
use crate::error::{StoreError, StoreResult};
use laissez_crypto::random;

/// Inserts a record with a fresh random id.
pub fn insert(
    conn: &Connection,
    cipher: &RecordCipher,
    record: &NewRecord,
    now: i64,
) -> StoreResult<RecordId> {
    validate_new(record)?;
    let id = RecordId(random::bytes::<16>()?);
    let kind_index = cipher.kind_index(&record.kind);
    let sealed = cipher.seal(&id, &record.kind, &record.tags, &record.body, now, now)?;
    conn.prepare_cached("INSERT INTO records (id, kind_index, sealed) VALUES (?1, ?2, ?3)")?
        .execute(params![id.as_bytes(), kind_index, sealed])?;
    let seq = conn.last_insert_rowid();
    insert_tags(conn, cipher, seq, &record.kind, &record.tags)?;
    Ok(id)
}

fn insert_tags(
    conn: &Connection,
    cipher: &RecordCipher,
    seq: i64,
    kind: &str,
    tags: &[Tag],
) -> StoreResult<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT OR IGNORE INTO record_tags (tag_index, record_seq) VALUES (?1, ?2)",
    )?;
    for tag in tags {
        stmt.execute(params![cipher.tag_index(kind, tag), seq])?;
    }
    Ok(())
}

fn locate(conn: &Connection, id: &RecordId) -> StoreResult<(i64, Vec<u8>, Vec<u8>)> {
    conn.prepare_cached("SELECT seq, kind_index, sealed FROM records WHERE id = ?1")?
        .query_row([id.as_bytes()], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?
        .ok_or(StoreError::RecordNotFound)
}

/// Reads and decrypts one record.
pub fn get(conn: &Connection, cipher: &RecordCipher, id: RecordId) -> StoreResult<Record> {
    let (_, kind_index, sealed) = locate(conn, &id)?;
    cipher.open(id, &kind_index, &sealed)
}

/// Replaces a record's tags and body, keeping its id, kind and creation time.
pub fn update(
    conn: &Connection,
    cipher: &RecordCipher,
    id: RecordId,
    tags: &[Tag],
    body: &[u8],
    now: i64,
) -> StoreResult<()> {
    let (seq, kind_index, sealed) = locate(conn, &id)?;
    let old = cipher.open(id, &kind_index, &sealed)?;
    validate_new(&NewRecord {
        kind: old.kind.clone(),
        tags: tags.to_vec(),
        body: Vec::new(),
    })?;
    super::record_types::validate_body(body)?;
    let resealed = cipher.seal(&id, &old.kind, tags, body, old.created_at, now)?;
    conn.prepare_cached("UPDATE records SET sealed = ?1 WHERE seq = ?2")?
        .execute(params![resealed, seq])?;
    conn.prepare_cached("DELETE FROM record_tags WHERE record_seq = ?1")?
        .execute([seq])?;
    insert_tags(conn, cipher, seq, &old.kind, tags)
}

/// Deletes a record and its tags.
pub fn delete(conn: &Connection, id: RecordId) -> StoreResult<()> {
    let (seq, _, _) = locate(conn, &id)?;
    conn.prepare_cached("DELETE FROM record_tags WHERE record_seq = ?1")?
        .execute([seq])?;
    conn.prepare_cached("DELETE FROM records WHERE seq = ?1")?
        .execute([seq])?;
    Ok(())
}

/// Builds the WHERE clause for "every tag after the first also matches": one indexed
/// lookup per extra tag and candidate row.
fn extra_tag_clauses(count: usize, first_param: usize) -> String {
    (0..count)
        .map(|i| {
            format!(
                " AND EXISTS (SELECT 1 FROM record_tags x{i} WHERE x{i}.tag_index = ?{} \
                 AND x{i}.record_seq = t0.record_seq)",
                first_param + i
            )
        })
        .collect()
}

fn distinct(tags: &[Tag]) -> Vec<Tag> {
    let mut tags = tags.to_vec();
    tags.sort();
    tags.dedup();
    tags
}

/// The filter's tags, most selective first, so the rarest tag drives an AND query. Counting
/// index rows per tag reads only the matches, which is cheap next to decrypting candidates.
fn by_selectivity(
    conn: &Connection,
    cipher: &RecordCipher,
    kind: &str,
    tags: &[Tag],
) -> StoreResult<Vec<Tag>> {
    let mut tags = distinct(tags);
    if tags.len() < 2 {
        return Ok(tags);
    }
    let mut stmt = conn.prepare_cached("SELECT count(*) FROM record_tags WHERE tag_index = ?1")?;
    let mut counted = Vec::with_capacity(tags.len());
    for tag in tags.drain(..) {
        let n: i64 = stmt.query_row([cipher.tag_index(kind, &tag)], |r| r.get(0))?;
        counted.push((n, tag));
    }
    counted.sort_by_key(|(n, _)| *n);
    Ok(counted.into_iter().map(|(_, tag)| tag).collect())
}

/// One page of the records of `kind` that carry every tag in `tags`, oldest first.
pub fn find(
    conn: &Connection,
    cipher: &RecordCipher,
    kind: &str,
    tags: &[Tag],
    limit: u32,
    after: Option<PageCursor>,
) -> StoreResult<Page> {
    super::record_types::validate_kind(kind)?;
    super::record_types::validate_tags(tags)?;
    super::record_types::validate_page_size(limit)?;
    let tags = by_selectivity(conn, cipher, kind, tags)?;
    let after = after.map_or(0, |c| c.0);
    let kind_index = cipher.kind_index(kind);
    let fetch = i64::from(limit) + 1;
    let (sql, values) = match tags.split_first() {
        None => (
            "SELECT seq, id, kind_index, sealed FROM records \
             WHERE kind_index = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3"
                .to_string(),
            vec![
                Value::Blob(kind_index.to_vec()),
                Value::Integer(after),
                Value::Integer(fetch),
            ],
        ),
        Some((first, rest)) => {
            let mut values = vec![
                Value::Blob(cipher.tag_index(kind, first).to_vec()),
                Value::Integer(after),
                Value::Blob(kind_index.to_vec()),
                Value::Integer(fetch),
            ];
            values.extend(
                rest.iter()
                    .map(|t| Value::Blob(cipher.tag_index(kind, t).to_vec())),
            );
            (
                format!(
                    "SELECT r.seq, r.id, r.kind_index, r.sealed FROM record_tags t0 \
                     JOIN records r ON r.seq = t0.record_seq \
                     WHERE t0.tag_index = ?1 AND t0.record_seq > ?2 AND r.kind_index = ?3{} \
                     ORDER BY t0.record_seq LIMIT ?4",
                    extra_tag_clauses(rest.len(), 5)
                ),
                values,
            )
        }
    };
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(params_from_iter(values))?;
    let mut records = Vec::new();
    let mut last_seq = None;
    let mut more = false;
    while let Some(row) = rows.next()? {
        if records.len() == limit as usize {
            more = true;
            break;
        }
        let seq: i64 = row.get(0)?;
        let raw_id: Vec<u8> = row.get(1)?;
        let id = RecordId(
            raw_id
                .try_into()
                .map_err(|_| StoreError::Corrupted("a record id has the wrong size".into()))?,
        );
        let kind_index: Vec<u8> = row.get(2)?;
        let sealed: Vec<u8> = row.get(3)?;
        let record = cipher.open(id, &kind_index, &sealed)?;
        // An index row moved by an attacker must not smuggle a record into a result.
        if record.kind != kind || !tags.iter().all(|t| record.tags.contains(t)) {
            return Err(StoreError::RecordIntegrity { id: id.to_string() });
        }
        records.push(record);
        last_seq = Some(seq);
    }
    Ok(Page {
        records,
        next: if more { last_seq.map(PageCursor) } else { None },
    })
}

/// How many records of `kind` carry every tag in `tags`. Reads only the index rows of the
/// matches (never the bodies), so it costs in proportion to the matches, not to the table.
pub fn count(
    conn: &Connection,
    cipher: &RecordCipher,
    kind: &str,
    tags: &[Tag],
) -> StoreResult<u64> {
    super::record_types::validate_kind(kind)?;
    super::record_types::validate_tags(tags)?;
    let tags = by_selectivity(conn, cipher, kind, tags)?;
    let count: i64 = match tags.split_first() {
        None => conn
            .prepare_cached("SELECT count(*) FROM records WHERE kind_index = ?1")?
            .query_row([cipher.kind_index(kind)], |r| r.get(0))?,
        Some((first, rest)) => {
            let sql = format!(
                "SELECT count(*) FROM record_tags t0 WHERE t0.tag_index = ?1{}",
                extra_tag_clauses(rest.len(), 2)
            );
            let mut values = vec![Value::Blob(cipher.tag_index(kind, first).to_vec())];
            values.extend(
                rest.iter()
                    .map(|t| Value::Blob(cipher.tag_index(kind, t).to_vec())),
            );
            conn.prepare_cached(&sql)?
                .query_row(params_from_iter(values), |r| r.get(0))?
        }
    };
    Ok(u64::try_from(count).unwrap_or(0))
}

/// Number of records of every kind.
pub fn count_all(conn: &Connection) -> StoreResult<u64> {
    let count: i64 = conn.query_row("SELECT count(*) FROM records", [], |r| r.get(0))?;
    Ok(u64::try_from(count).unwrap_or(0))
}

/// Every record, decrypted, in the order they were stored (backups).
pub fn all(conn: &Connection, cipher: &RecordCipher) -> StoreResult<Vec<Record>> {
    let mut statement = conn.prepare("SELECT id, kind_index, sealed FROM records ORDER BY seq")?;
    let rows = statement.query_map([], |r| {
        Ok((
            r.get::<_, Vec<u8>>(0)?,
            r.get::<_, Vec<u8>>(1)?,
            r.get::<_, Vec<u8>>(2)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (raw_id, kind_index, sealed) = row?;
        let id = RecordId(
            raw_id
                .try_into()
                .map_err(|_| StoreError::Corrupted("a record id has the wrong size".into()))?,
        );
        out.push(cipher.open(id, &kind_index, &sealed)?);
    }
    Ok(out)
}

/// Re-encrypts every record and rebuilds every blind index under `new` (rekey). The caller
/// runs it inside the transaction that also rewraps the key slots.
pub fn reseal_all(conn: &Connection, old: &RecordCipher, new: &RecordCipher) -> StoreResult<u64> {
    conn.execute("DELETE FROM record_tags", [])?;
    let seqs: Vec<i64> = conn
        .prepare("SELECT seq FROM records ORDER BY seq")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let mut read =
        conn.prepare_cached("SELECT id, kind_index, sealed FROM records WHERE seq = ?1")?;
    let mut write =
        conn.prepare_cached("UPDATE records SET kind_index = ?1, sealed = ?2 WHERE seq = ?3")?;
    for seq in &seqs {
        let (raw_id, kind_index, sealed): (Vec<u8>, Vec<u8>, Vec<u8>) =
            read.query_row([seq], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        let id = RecordId(
            raw_id
                .try_into()
                .map_err(|_| StoreError::Corrupted("a record id has the wrong size".into()))?,
        );
        let record = old.open(id, &kind_index, &sealed)?;
        let resealed = new.seal(
            &id,
            &record.kind,
            &record.tags,
            &record.body,
            record.created_at,
            record.updated_at,
        )?;
        write.execute(params![new.kind_index(&record.kind), resealed, seq])?;
        insert_tags(conn, new, *seq, &record.kind, &record.tags)?;
    }
    Ok(seqs.len() as u64)
}
