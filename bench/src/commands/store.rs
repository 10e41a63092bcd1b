//! `laissez-bench store`: times the encrypted store in temporary wallets, the same steps as
//! the peer's script (shared/bench/askar_bench.py) so the two can be read side by side, then
//! the same rows, tags and queries in plain SQLite (`plain_sqlite`), and our cost as a ratio
//! of it (`ratios`).
//!
//! Every query result is checked against the expected row count, so a fast wrong answer
//! fails the run (exit 3) instead of producing a number. Progress goes to stderr; the
//! result to stdout (a table, or one JSON object with `--json`).

mod operations;
mod plain_sqlite;
mod ratios;
mod table;
mod workload;

use super::checks::{expect, fail};
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Serialize;
use wallet_core::StoreError;
use wallet_core::crypto::pin_kdf::KdfParams;
use wallet_core::store::{
    IntegrityCheck, MAX_PAGE_SIZE, NewRecord, PageCursor, RecordId, StoreOptions, Tag, WalletStore,
};

use crate::args::StoreArgs;
use crate::data::{self, KIND};
use crate::error::BenchResult;
use crate::machine::{self, Machine};
use crate::output;
use crate::stats::{median, ms, timed};

use operations::{OperationTimes, Samples};
use plain_sqlite::PlainSqliteBench;
use ratios::Ratios;
use workload::{BodyPage, WorkloadStore, time_count, time_query};

const PIN: &str = "bench-pin-2468";

/// Bytes on disk of one wallet: the file, its WAL and its shared-memory index.
#[derive(Debug, Serialize)]
pub struct DiskSize {
    /// The main database file.
    pub db: u64,
    /// The write-ahead log.
    pub wal: u64,
    /// The WAL index.
    pub shm: u64,
    /// The sum.
    pub total: u64,
}

/// The result of one run. Times per operation are medians in microseconds unless the
/// name says `p95`, `total` or `ms`.
#[derive(Debug, Serialize)]
pub struct StoreBench {
    /// Which program measured.
    pub tool: &'static str,
    /// Its version.
    pub version: &'static str,
    /// Records in the main wallet.
    pub records: usize,
    /// Mean body size, bytes.
    pub value_bytes_avg: usize,
    /// Tags on every record.
    pub tags_per_record: usize,
    /// Repetitions of the whole-wallet steps.
    pub reps: u32,
    /// Where it ran.
    pub machine: Machine,
    /// Argon2id parameters of the "with Argon2" rows.
    pub kdf_phone: KdfParams,
    /// Argon2id parameters of the "without Argon2" rows (deliberately weak).
    pub kdf_fast: KdfParams,
    /// Create an empty wallet with the phone Argon2id parameters (ms).
    pub create_phone_ms: f64,
    /// Create an empty wallet with the weak parameters (ms).
    pub create_fast_ms: f64,
    /// Open a populated wallet, unlock with the PIN (phone Argon2id), one tag count (ms).
    pub unlock_phone_ms: f64,
    /// The same with the weak parameters: the cost of everything but Argon2 (ms).
    pub unlock_fast_ms: f64,
    /// The same forcing SQLite's `quick_check` on open (`IntegrityCheck::Always`; by default
    /// it runs only after an unclean shutdown), to show what the check costs (ms).
    pub unlock_fast_with_quick_check_ms: f64,
    /// Rows returned by the 1 % tag query (issuer_did).
    pub query_1pct_rows: usize,
    /// Rows returned by the 10 % tag query (schema_id).
    pub query_10pct_rows: usize,
    /// Rows returned by the two-tag AND query (schema_id AND state=revoked).
    pub query_and_rows: usize,
    /// Inserts, gets, tag queries and counts, under the names the baseline uses too.
    #[serde(flatten)]
    pub operations: OperationTimes,
    /// Rekey the main wallet: new data key, every record re-encrypted and re-indexed (ms).
    pub rekey_ms: f64,
    /// Main wallet on disk right after the bulk insert, still open.
    pub size_open: DiskSize,
    /// Main wallet on disk after closing (WAL checkpointed).
    pub size_closed: DiskSize,
}

/// What `laissez-bench store --json` prints: the encrypted store's figures (the fields
/// `laissez bench store` had), the plain-SQLite baseline's, and the ratios.
#[derive(Debug, Serialize)]
pub struct StoreReport {
    /// The encrypted store.
    #[serde(flatten)]
    pub laissez: StoreBench,
    /// The same operations in plain SQLite: no encryption, no blind indexes.
    pub plain_sqlite: PlainSqliteBench,
    /// Our time (or size) divided by plain SQLite's, per operation: above 1, we cost more.
    pub ratio_to_plain_sqlite: Ratios,
}

/// Runs the benchmark and prints the result.
pub fn run(args: StoreArgs) -> BenchResult {
    let n = args.records as usize;
    let reps = args.reps;
    let dir = tempfile::Builder::new()
        .prefix("laissez-bench-")
        .tempdir()
        .map_err(|err| fail(format!("cannot make a temporary folder: {}", err.kind())))?;
    output::progress(&format!(
        "generating {n} records in {}",
        dir.path().display()
    ));
    let records = data::make_records(n);
    let value_bytes_avg = records.iter().map(|r| r.body.len()).sum::<usize>() / n.max(1);
    let bench = Bench {
        dir: dir.path(),
        records: &records,
        reps,
        wallets: 0,
    };
    let laissez = bench.run(value_bytes_avg)?;
    output::progress("the same rows, tags and queries in plain SQLite");
    let plain_sqlite = plain_sqlite::run(dir.path(), &records, reps)?;
    let report = StoreReport {
        ratio_to_plain_sqlite: Ratios::of(&laissez, &plain_sqlite),
        laissez,
        plain_sqlite,
    };
    if args.json {
        output::print_json(&report)
    } else {
        table::print(&report)
    }
}

fn options(kdf: KdfParams) -> StoreOptions {
    crate::wallets::options(kdf)
}

fn disk_size(db: &Path) -> DiskSize {
    let size = |suffix: &str| {
        let mut p = db.as_os_str().to_owned();
        p.push(suffix);
        std::fs::metadata(PathBuf::from(p)).map_or(0, |m| m.len())
    };
    let (db, wal, shm) = (size(""), size("-wal"), size("-shm"));
    DiskSize {
        db,
        wal,
        shm,
        total: db + wal + shm,
    }
}

struct Bench<'a> {
    dir: &'a Path,
    records: &'a [NewRecord],
    reps: u32,
    wallets: usize,
}

impl Bench<'_> {
    fn fresh_path(&mut self, label: &str) -> PathBuf {
        self.wallets += 1;
        self.dir.join(format!("{label}-{}.db", self.wallets))
    }

    /// Median time to create an empty wallet with `kdf`.
    fn create(&mut self, kdf: KdfParams, reps: u32) -> BenchResult<Duration> {
        let mut times = Vec::new();
        for _ in 0..reps {
            let path = self.fresh_path("create");
            let (result, t) = timed(|| WalletStore::create(&path, PIN, options(kdf)));
            drop(result?);
            times.push(t);
        }
        Ok(median(&times))
    }

    /// Median time to open `path`, unlock it and run one tag count (the peer's "open").
    fn unlock(&self, path: &Path, kdf: KdfParams, check: IntegrityCheck) -> BenchResult<Duration> {
        let mut times = Vec::new();
        let open_count = workload::open_count(self.records.len());
        let options = StoreOptions {
            integrity_check: check,
            ..options(kdf)
        };
        for _ in 0..self.reps + 2 {
            let (count, t) = timed(|| -> Result<u64, StoreError> {
                let mut store = WalletStore::open(path, options.clone())?;
                store.unlock(PIN)?;
                store.count(open_count.kind, &open_count.tags)
            });
            expect(count? == open_count.expected, "count after unlock")?;
            times.push(t);
        }
        Ok(median(&times))
    }

    /// A new wallet holding every record, inserted in one transaction; the insert's time.
    fn populated(&mut self, kdf: KdfParams) -> BenchResult<(WalletStore, PathBuf, Duration)> {
        let path = self.fresh_path("main");
        let (mut store, _) = WalletStore::create(&path, PIN, options(kdf))?;
        let (ids, t) = timed(|| store.put_many(self.records));
        expect(ids?.len() == self.records.len(), "every record inserted")?;
        Ok((store, path, t))
    }

    fn run(mut self, value_bytes_avg: usize) -> BenchResult<StoreBench> {
        let n = self.records.len();
        let reps = self.reps;
        let (phone, fast) = (KdfParams::PHONE, KdfParams::INSECURE_FAST);

        output::progress("creating wallets with and without Argon2id");
        let create_phone = self.create(phone, reps)?;
        let create_fast = self.create(fast, reps.max(5))?;

        output::progress(&format!(
            "inserting {n} records in one transaction, {reps} times"
        ));
        let mut insert_times = Vec::new();
        let mut main = None;
        for rep in 0..reps {
            let (store, path, t) = self.populated(fast)?;
            insert_times.push(t);
            if rep + 1 == reps {
                main = Some((store, path));
            }
        }
        let (mut store, main_path) = main.ok_or_else(|| fail("no main wallet".into()))?;
        let insert_one_tx = median(&insert_times);
        let size_open = disk_size(&main_path);
        let ids = self.all_ids(&store)?;

        output::progress("get by id, hit and miss");
        let hits = self.get_hits(&store, &ids)?;
        let misses = get_misses(&store)?;

        output::progress("tag queries");
        let queries = workload::tag_queries(n);
        let q1 = time_query(&store, &queries.one_pct)?;
        let q10 = time_query(&store, &queries.ten_pct)?;
        let qand = time_query(&store, &queries.and)?;

        output::progress("counts");
        let counts = workload::count_queries(n);
        let count_all = time_count(&store, &counts.all)?;
        let count_10 = time_count(&store, &counts.tag_10pct)?;
        let count_1 = time_count(&store, &counts.tag_1pct)?;
        let count_empty = time_count(&store, &counts.empty_kind)?;

        output::progress("rekey");
        let (resealed, rekey) = timed(|| store.rekey());
        expect(resealed? == n as u64, "rekey re-encrypted every record")?;
        expect(
            store.count(KIND, &[data::schema_tag(1)])? == queries.ten_pct.rows as u64,
            "tag index rebuilt by rekey",
        )?;
        drop(store);
        let size_closed = disk_size(&main_path);

        output::progress("unlock a populated wallet with and without Argon2id");
        let unlock_fast = self.unlock(&main_path, fast, IntegrityCheck::default())?;
        let unlock_fast_checked = self.unlock(&main_path, fast, IntegrityCheck::Always)?;
        let (phone_store, phone_path, _) = self.populated(phone)?;
        drop(phone_store);
        let unlock_phone = self.unlock(&phone_path, phone, IntegrityCheck::default())?;

        let tx_each = workload::tx_each(n);
        output::progress(&format!("inserting {tx_each} records one transaction each"));
        let (tx_each_total, tx_each_times) = self.insert_each(tx_each)?;

        Ok(StoreBench {
            tool: "laissez",
            version: env!("CARGO_PKG_VERSION"),
            records: n,
            value_bytes_avg,
            tags_per_record: self.records.first().map_or(0, |r| r.tags.len()),
            reps,
            machine: machine::describe(),
            kdf_phone: phone,
            kdf_fast: fast,
            create_phone_ms: ms(create_phone),
            create_fast_ms: ms(create_fast),
            unlock_phone_ms: ms(unlock_phone),
            unlock_fast_ms: ms(unlock_fast),
            unlock_fast_with_quick_check_ms: ms(unlock_fast_checked),
            query_1pct_rows: queries.one_pct.rows,
            query_10pct_rows: queries.ten_pct.rows,
            query_and_rows: queries.and.rows,
            operations: OperationTimes::from(&Samples {
                records: n,
                insert_one_tx,
                tx_each_total,
                tx_each: &tx_each_times,
                get_hits: &hits,
                get_misses: &misses,
                queries: [q1, q10, qand],
                counts: [count_all, count_10, count_1, count_empty],
            }),
            rekey_ms: ms(rekey),
            size_open,
            size_closed,
        })
    }

    /// The ids in insertion order, read by paging (untimed).
    fn all_ids(&self, store: &WalletStore) -> BenchResult<Vec<RecordId>> {
        let ids = list_ids(store)?;
        expect(ids.len() == self.records.len(), "every record listed")?;
        Ok(ids)
    }

    fn get_hits(&self, store: &WalletStore, ids: &[RecordId]) -> BenchResult<Vec<Duration>> {
        let mut times = Vec::new();
        for i in workload::hit_indices(ids.len()) {
            let (record, t) = timed(|| store.get(ids[i]));
            let record = record?;
            expect(
                record.body.as_slice() == self.records[i].body.as_slice(),
                "get returns the stored body",
            )?;
            times.push(t);
        }
        Ok(times)
    }

    /// Inserts the first `count` records one `put` each into a fresh wallet.
    fn insert_each(&mut self, count: usize) -> BenchResult<(Duration, Vec<Duration>)> {
        let path = self.fresh_path("each");
        let (mut store, _) = WalletStore::create(&path, PIN, options(KdfParams::INSECURE_FAST))?;
        let mut times = Vec::with_capacity(count);
        let (result, total) = timed(|| -> BenchResult {
            for record in &self.records[..count] {
                let (id, t) = timed(|| store.put(record));
                id?;
                times.push(t);
            }
            Ok(())
        });
        result?;
        expect(
            store.count(KIND, &[])? == count as u64,
            "one-per-transaction inserts counted",
        )?;
        Ok((total, times))
    }
}

fn get_misses(store: &WalletStore) -> BenchResult<Vec<Duration>> {
    let mut times = Vec::new();
    for miss in workload::miss_ids() {
        let id = RecordId::parse(&hex::encode(miss))?;
        let (result, t) = timed(|| store.get(id));
        expect(
            matches!(result, Err(StoreError::RecordNotFound)),
            "a random id is not found",
        )?;
        times.push(t);
    }
    Ok(times)
}

impl WorkloadStore for WalletStore {
    type Cursor = PageCursor;
    type Error = StoreError;

    fn page(
        &self,
        tags: &[Tag],
        after: Option<PageCursor>,
    ) -> Result<BodyPage<PageCursor>, StoreError> {
        let page = self.find(KIND, tags, MAX_PAGE_SIZE, after)?;
        Ok(BodyPage {
            body_lens: page.records.iter().map(|r| r.body.len()).collect(),
            next: page.next,
        })
    }

    fn count_tagged(&self, kind: &str, tags: &[Tag]) -> Result<u64, StoreError> {
        self.count(kind, tags)
    }
}

/// Every record id of the benchmark kind, all pages, in insertion order.
fn list_ids(store: &WalletStore) -> Result<Vec<RecordId>, StoreError> {
    let mut ids = Vec::new();
    let mut after = None;
    loop {
        let page = store.find(KIND, &[], MAX_PAGE_SIZE, after)?;
        ids.extend(page.records.iter().map(|r| r.id));
        match page.next {
            Some(next) => after = Some(next),
            None => return Ok(ids),
        }
    }
}
