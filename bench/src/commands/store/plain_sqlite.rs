//! The plain-SQLite baseline of `laissez-bench store`: the same rows, tags and queries as
//! the encrypted store's run (`workload`), through `rusqlite` with no encryption and no blind
//! indexes ([`plain_store`]). Every answer is checked as on the encrypted side.

mod plain_store;

use std::path::{Path, PathBuf};

use serde::Serialize;
use wallet_core::clock::{Clock, SystemClock};
use wallet_core::store::{MAX_PAGE_SIZE, NewRecord, Tag};

use super::operations::{OperationTimes, Samples};
use super::workload::{self, BodyPage, WorkloadStore, time_count, time_query};
use super::{DiskSize, disk_size, expect};
use crate::data::{KIND, SplitMix64};
use crate::error::BenchResult;
use crate::stats::{median, ms, timed};
use plain_store::{PlainRecord, PlainStore};

/// The baseline's figures.
#[derive(Debug, Serialize)]
pub struct PlainSqliteBench {
    /// The SQLite library, as `sqlite3_libversion` gives it (the one the store uses).
    pub sqlite_version: &'static str,
    /// Open the populated file and one tag count (ms): no key to unlock.
    pub open_ms: f64,
    /// Inserts, gets (with their tags), tag queries and counts, named as the encrypted
    /// store's.
    #[serde(flatten)]
    pub operations: OperationTimes,
    /// The file on disk after closing (WAL checkpointed).
    pub size_closed: DiskSize,
}

/// Runs the baseline on `records` in files under `dir`, the bulk insert `reps` times.
pub fn run(dir: &Path, records: &[NewRecord], reps: u32) -> BenchResult<PlainSqliteBench> {
    let n = records.len();
    let mut rng = SplitMix64::new(99);
    let ids: Vec<[u8; 16]> = (0..n).map(|_| workload::random_id(&mut rng)).collect();
    let now = SystemClock.now_unix();

    let mut insert_times = Vec::new();
    let mut main_path = PathBuf::new();
    for rep in 0..reps {
        main_path = dir.join(format!("plain-main-{rep}.db"));
        let mut store = PlainStore::create(&main_path)?;
        let (result, t) = timed(|| store.put_many(records, &ids, now));
        result?;
        insert_times.push(t);
    }
    let insert_one_tx = median(&insert_times);
    let store = PlainStore::open(&main_path)?;
    expect(store.count(KIND, &[])? == n as u64, "every record inserted")?;

    let mut hits = Vec::new();
    for i in workload::hit_indices(n) {
        let (record, t) = timed(|| store.get(&ids[i]));
        let found = record?.is_some_and(|r| same(&r, &records[i], &ids[i]));
        expect(found, "plain get returns the stored record")?;
        hits.push(t);
    }
    let mut misses = Vec::new();
    for id in workload::miss_ids() {
        let (record, t) = timed(|| store.get(&id));
        expect(record?.is_none(), "a random id is not found")?;
        misses.push(t);
    }

    let queries = workload::tag_queries(n);
    let q1 = time_query(&store, &queries.one_pct)?;
    let q10 = time_query(&store, &queries.ten_pct)?;
    let qand = time_query(&store, &queries.and)?;
    let counts = workload::count_queries(n);
    let count_all = time_count(&store, &counts.all)?;
    let count_10 = time_count(&store, &counts.tag_10pct)?;
    let count_1 = time_count(&store, &counts.tag_1pct)?;
    let count_empty = time_count(&store, &counts.empty_kind)?;
    drop(store);
    let size_closed = disk_size(&main_path);

    let open_count = workload::open_count(n);
    let mut opens = Vec::new();
    for _ in 0..reps + 2 {
        let (count, t) = timed(|| -> rusqlite::Result<u64> {
            PlainStore::open(&main_path)?.count(open_count.kind, &open_count.tags)
        });
        expect(count? == open_count.expected, "count after open")?;
        opens.push(t);
    }

    let tx_each = workload::tx_each(n);
    let mut store = PlainStore::create(&dir.join("plain-each.db"))?;
    let mut each = Vec::with_capacity(tx_each);
    let (result, tx_each_total) = timed(|| -> BenchResult {
        for (record, id) in records[..tx_each].iter().zip(&ids) {
            let (put, t) = timed(|| store.put(record, id, now));
            put?;
            each.push(t);
        }
        Ok(())
    });
    result?;
    expect(
        store.count(KIND, &[])? == tx_each as u64,
        "one-per-transaction inserts counted",
    )?;

    Ok(PlainSqliteBench {
        sqlite_version: rusqlite::version(),
        open_ms: ms(median(&opens)),
        operations: OperationTimes::from(&Samples {
            records: n,
            insert_one_tx,
            tx_each_total,
            tx_each: &each,
            get_hits: &hits,
            get_misses: &misses,
            queries: [q1, q10, qand],
            counts: [count_all, count_10, count_1, count_empty],
        }),
        size_closed,
    })
}

/// Whether a record read back is the one stored with `id`.
fn same(read: &PlainRecord, stored: &NewRecord, id: &[u8; 16]) -> bool {
    read.id == id
        && read.body == stored.body
        && read.kind == stored.kind
        && read.tags == stored.tags
        && read.created_at == read.updated_at
}

impl WorkloadStore for PlainStore {
    type Cursor = i64;
    type Error = rusqlite::Error;

    fn page(&self, tags: &[Tag], after: Option<i64>) -> rusqlite::Result<BodyPage<i64>> {
        let page = self.find(KIND, tags, MAX_PAGE_SIZE, after)?;
        Ok(BodyPage {
            body_lens: page.records.iter().map(|r| r.body.len()).collect(),
            next: page.next,
        })
    }

    fn count_tagged(&self, kind: &str, tags: &[Tag]) -> rusqlite::Result<u64> {
        self.count(kind, tags)
    }
}
