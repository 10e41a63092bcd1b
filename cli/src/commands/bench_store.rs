//! `laissez bench store`: times the encrypted store in temporary wallets, the same steps as
//! the peer's script (shared/bench/askar_bench.py) so the two can be read side by side.
//!
//! Every query result is checked against the expected row count, so a fast wrong answer
//! fails the run (exit 3) instead of producing a number. Progress goes to stderr; the
//! result to stdout (a table, or one JSON object with `--json`).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Serialize;
use wallet_core::StoreError;
use wallet_core::crypto::pin_kdf::KdfParams;
use wallet_core::store::{
    IntegrityCheck, MAX_PAGE_SIZE, NewRecord, RecordId, StoreOptions, Tag, WalletStore,
};

use crate::args::BenchStoreArgs;
use crate::bench_data::{self, ISSUERS, KIND, SCHEMAS, SplitMix64};
use crate::exit::{CliError, CliResult};
use crate::machine::{self, Machine};
use crate::output;
use crate::stats::{median, ms, p95, timed, us};

const PIN: &str = "bench-pin-2468";
/// Random gets by id (hits), as the peer.
const GET_HITS: usize = 2_000;
/// Gets of ids that do not exist, as the peer.
const GET_MISSES: usize = 500;
/// Most records inserted one transaction each.
const MAX_TX_EACH: usize = 1_000;

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
    /// Insert all records in one transaction (`put_many`): total (ms).
    pub insert_one_tx_total_ms: f64,
    /// ... per record (us).
    pub insert_one_tx_us_per_record: f64,
    /// Records inserted one transaction each (`put`).
    pub insert_tx_each_records: usize,
    /// ... total (ms).
    pub insert_tx_each_total_ms: f64,
    /// ... per transaction, median (us).
    pub insert_tx_each_us: f64,
    /// ... per transaction, p95 (us).
    pub insert_tx_each_p95_us: f64,
    /// Get by id, existing (median us).
    pub get_hit_us: f64,
    /// ... p95 (us).
    pub get_hit_p95_us: f64,
    /// Get by id, not existing (median us).
    pub get_miss_us: f64,
    /// ... p95 (us).
    pub get_miss_p95_us: f64,
    /// Rows returned by the 1 % tag query (issuer_did).
    pub query_1pct_rows: usize,
    /// Tag-equality query returning 1 % of the records, all pages, decrypted (median us).
    pub query_1pct_us: f64,
    /// ... p95 (us).
    pub query_1pct_p95_us: f64,
    /// Rows returned by the 10 % tag query (schema_id).
    pub query_10pct_rows: usize,
    /// Tag-equality query returning 10 % of the records (median us).
    pub query_10pct_us: f64,
    /// ... p95 (us).
    pub query_10pct_p95_us: f64,
    /// Rows returned by the two-tag AND query (schema_id AND state=revoked).
    pub query_and_rows: usize,
    /// Two-tag AND query (median us).
    pub query_and_us: f64,
    /// ... p95 (us).
    pub query_and_p95_us: f64,
    /// Count every record of the kind (median us).
    pub count_all_us: f64,
    /// Count with a tag matching 10 % (median us).
    pub count_tag_10pct_us: f64,
    /// Count with a tag matching 1 % (median us).
    pub count_tag_1pct_us: f64,
    /// Count a kind that has no records (median us).
    pub count_empty_kind_us: f64,
    /// Rekey the main wallet: new data key, every record re-encrypted and re-indexed (ms).
    pub rekey_ms: f64,
    /// Main wallet on disk right after the bulk insert, still open.
    pub size_open: DiskSize,
    /// Main wallet on disk after closing (WAL checkpointed).
    pub size_closed: DiskSize,
}

/// Runs the benchmark and prints the result.
pub fn run(args: BenchStoreArgs) -> CliResult {
    let n = args.records as usize;
    let reps = args.reps;
    let dir = tempfile::Builder::new()
        .prefix("laissez-bench-")
        .tempdir()
        .map_err(|err| fail(format!("cannot make a temporary folder: {}", err.kind())))?;
    progress(&format!(
        "generating {n} records in {}",
        dir.path().display()
    ));
    let records = bench_data::make_records(n);
    let value_bytes_avg = records.iter().map(|r| r.body.len()).sum::<usize>() / n.max(1);
    let bench = Bench {
        dir: dir.path(),
        records: &records,
        reps,
        wallets: 0,
    };
    let result = bench.run(value_bytes_avg)?;
    if args.json {
        output::print_json(&result)
    } else {
        print_table(&result)
    }
}

fn fail(message: String) -> CliError {
    CliError::Failed(message)
}

fn progress(message: &str) {
    let _ = writeln!(std::io::stderr(), "laissez bench: {message}");
}

fn options(kdf: KdfParams) -> StoreOptions {
    crate::wallet_file::options(kdf)
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

/// Checks a benchmark result; a wrong answer must not become a number.
fn expect(ok: bool, what: &str) -> CliResult {
    if ok {
        Ok(())
    } else {
        Err(fail(format!("benchmark check failed: {what}")))
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
    fn create(&mut self, kdf: KdfParams, reps: u32) -> CliResult<Duration> {
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
    fn unlock(&self, path: &Path, kdf: KdfParams, check: IntegrityCheck) -> CliResult<Duration> {
        let mut times = Vec::new();
        let expected = (self.records.len() / SCHEMAS) as u64;
        let options = StoreOptions {
            integrity_check: check,
            ..options(kdf)
        };
        for _ in 0..self.reps + 2 {
            let (count, t) = timed(|| -> Result<u64, StoreError> {
                let mut store = WalletStore::open(path, options.clone())?;
                store.unlock(PIN)?;
                store.count(KIND, &[bench_data::schema_tag(0)])
            });
            expect(count? == expected, "count after unlock")?;
            times.push(t);
        }
        Ok(median(&times))
    }

    /// A new wallet holding every record, inserted in one transaction; the insert's time.
    fn populated(&mut self, kdf: KdfParams) -> CliResult<(WalletStore, PathBuf, Duration)> {
        let path = self.fresh_path("main");
        let (mut store, _) = WalletStore::create(&path, PIN, options(kdf))?;
        let (ids, t) = timed(|| store.put_many(self.records));
        expect(ids?.len() == self.records.len(), "every record inserted")?;
        Ok((store, path, t))
    }

    fn run(mut self, value_bytes_avg: usize) -> CliResult<StoreBench> {
        let n = self.records.len();
        let reps = self.reps;
        let (phone, fast) = (KdfParams::PHONE, KdfParams::INSECURE_FAST);

        progress("creating wallets with and without Argon2id");
        let create_phone = self.create(phone, reps)?;
        let create_fast = self.create(fast, reps.max(5))?;

        progress(&format!(
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

        progress("get by id, hit and miss");
        let (get_hit, get_hit_p95) = self.get_hits(&store, &ids)?;
        let (get_miss, get_miss_p95) = get_misses(&store)?;

        progress("tag queries");
        let issuer_rows = n / ISSUERS;
        let q1 = self.query(&store, 20, issuer_rows, |j| {
            vec![bench_data::issuer_tag((j * 7) % ISSUERS)]
        })?;
        let schema_rows = n / SCHEMAS;
        let q10 = self.query(&store, 5, schema_rows, |j| {
            vec![bench_data::schema_tag(j % SCHEMAS)]
        })?;
        let and_rows = n / 20;
        let qand = self.query(&store, 10, and_rows, |j| {
            vec![
                bench_data::schema_tag((2 * j) % SCHEMAS),
                Tag::new("state", "revoked"),
            ]
        })?;

        progress("counts");
        let count_all = count_median(&store, 20, &[], n)?;
        let count_10 = count_median(&store, 20, &[bench_data::schema_tag(3)], schema_rows)?;
        let count_1 = count_median(&store, 20, &[bench_data::issuer_tag(42)], issuer_rows)?;
        let count_empty = {
            let mut times = Vec::new();
            for _ in 0..50 {
                let (c, t) = timed(|| store.count("no-such-kind", &[]));
                expect(c? == 0, "an empty kind counts 0")?;
                times.push(t);
            }
            median(&times)
        };

        progress("rekey");
        let (resealed, rekey) = timed(|| store.rekey());
        expect(resealed? == n as u64, "rekey re-encrypted every record")?;
        expect(
            store.count(KIND, &[bench_data::schema_tag(1)])? == schema_rows as u64,
            "tag index rebuilt by rekey",
        )?;
        drop(store);
        let size_closed = disk_size(&main_path);

        progress("unlock a populated wallet with and without Argon2id");
        let unlock_fast = self.unlock(&main_path, fast, IntegrityCheck::default())?;
        let unlock_fast_checked = self.unlock(&main_path, fast, IntegrityCheck::Always)?;
        let (phone_store, phone_path, _) = self.populated(phone)?;
        drop(phone_store);
        let unlock_phone = self.unlock(&phone_path, phone, IntegrityCheck::default())?;

        let tx_each = (n / 10).clamp(1, MAX_TX_EACH);
        progress(&format!("inserting {tx_each} records one transaction each"));
        let (tx_total, tx_times) = self.insert_each(tx_each)?;

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
            insert_one_tx_total_ms: ms(insert_one_tx),
            insert_one_tx_us_per_record: us(insert_one_tx) / n as f64,
            insert_tx_each_records: tx_each,
            insert_tx_each_total_ms: ms(tx_total),
            insert_tx_each_us: us(median(&tx_times)),
            insert_tx_each_p95_us: us(p95(&tx_times)),
            get_hit_us: us(get_hit),
            get_hit_p95_us: us(get_hit_p95),
            get_miss_us: us(get_miss),
            get_miss_p95_us: us(get_miss_p95),
            query_1pct_rows: issuer_rows,
            query_1pct_us: us(q1.0),
            query_1pct_p95_us: us(q1.1),
            query_10pct_rows: schema_rows,
            query_10pct_us: us(q10.0),
            query_10pct_p95_us: us(q10.1),
            query_and_rows: and_rows,
            query_and_us: us(qand.0),
            query_and_p95_us: us(qand.1),
            count_all_us: us(count_all),
            count_tag_10pct_us: us(count_10),
            count_tag_1pct_us: us(count_1),
            count_empty_kind_us: us(count_empty),
            rekey_ms: ms(rekey),
            size_open,
            size_closed,
        })
    }

    /// The ids in insertion order, read by paging (untimed).
    fn all_ids(&self, store: &WalletStore) -> CliResult<Vec<RecordId>> {
        let ids: Vec<RecordId> = find_all(store, &[])?
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        expect(ids.len() == self.records.len(), "every record listed")?;
        Ok(ids)
    }

    fn get_hits(&self, store: &WalletStore, ids: &[RecordId]) -> CliResult<(Duration, Duration)> {
        let mut rng = SplitMix64::new(7);
        let mut times = Vec::new();
        for _ in 0..GET_HITS.min(ids.len()) {
            let i = rng.below(ids.len());
            let (record, t) = timed(|| store.get(ids[i]));
            let record = record?;
            expect(
                record.body.as_slice() == self.records[i].body.as_slice(),
                "get returns the stored body",
            )?;
            times.push(t);
        }
        Ok((median(&times), p95(&times)))
    }

    /// Runs `reps` queries built by `tags(j)`, each paged to the end; checks the row count.
    fn query(
        &self,
        store: &WalletStore,
        reps: usize,
        expected_rows: usize,
        tags: impl Fn(usize) -> Vec<Tag>,
    ) -> CliResult<(Duration, Duration)> {
        let mut times = Vec::new();
        for j in 0..reps {
            let tags = tags(j);
            let (rows, t) = timed(|| find_all(store, &tags));
            let rows = rows?;
            expect(rows.len() == expected_rows, "tag query row count")?;
            expect(
                rows.iter().all(|(_, body_len)| *body_len > 0),
                "tag query bodies decrypted",
            )?;
            times.push(t);
        }
        Ok((median(&times), p95(&times)))
    }

    /// Inserts the first `count` records one `put` each into a fresh wallet.
    fn insert_each(&mut self, count: usize) -> CliResult<(Duration, Vec<Duration>)> {
        let path = self.fresh_path("each");
        let (mut store, _) = WalletStore::create(&path, PIN, options(KdfParams::INSECURE_FAST))?;
        let mut times = Vec::with_capacity(count);
        let (result, total) = timed(|| -> CliResult {
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

fn get_misses(store: &WalletStore) -> CliResult<(Duration, Duration)> {
    let mut rng = SplitMix64::new(11);
    let mut times = Vec::new();
    for _ in 0..GET_MISSES {
        let hex = format!("{:016x}{:016x}", rng.next_u64(), rng.next_u64());
        let id = RecordId::parse(&hex)?;
        let (result, t) = timed(|| store.get(id));
        expect(
            matches!(result, Err(StoreError::RecordNotFound)),
            "a random id is not found",
        )?;
        times.push(t);
    }
    Ok((median(&times), p95(&times)))
}

fn count_median(
    store: &WalletStore,
    reps: usize,
    tags: &[Tag],
    expected: usize,
) -> CliResult<Duration> {
    let mut times = Vec::new();
    for _ in 0..reps {
        let (c, t) = timed(|| store.count(KIND, tags));
        expect(c? == expected as u64, "count")?;
        times.push(t);
    }
    Ok(median(&times))
}

/// Every record of the benchmark kind with `tags`, all pages: (id, body length).
fn find_all(store: &WalletStore, tags: &[Tag]) -> Result<Vec<(RecordId, usize)>, StoreError> {
    let mut rows = Vec::new();
    let mut after = None;
    loop {
        let page = store.find(KIND, tags, MAX_PAGE_SIZE, after)?;
        rows.extend(page.records.iter().map(|r| (r.id, r.body.len())));
        match page.next {
            Some(next) => after = Some(next),
            None => return Ok(rows),
        }
    }
}

fn print_table(r: &StoreBench) -> CliResult {
    let mut out = std::io::stdout().lock();
    let m = &r.machine;
    writeln!(
        out,
        "laissez {} store benchmark: {} records of {} B, {} tags | {} x {} | {} MiB RAM",
        r.version,
        r.records,
        r.value_bytes_avg,
        r.tags_per_record,
        m.nproc,
        m.cpu_model,
        m.mem_total_mib
    )?;
    let rows: Vec<(String, String)> = vec![
        (
            format!(
                "create wallet, Argon2id {} MiB t={} (ms)",
                r.kdf_phone.memory_kib / 1024,
                r.kdf_phone.iterations
            ),
            format!("{:.1}", r.create_phone_ms),
        ),
        (
            "create wallet, no real KDF (ms)".into(),
            format!("{:.1}", r.create_fast_ms),
        ),
        (
            "open + unlock + count, Argon2id (ms)".into(),
            format!("{:.1}", r.unlock_phone_ms),
        ),
        (
            "open + unlock + count, no real KDF (ms)".into(),
            format!("{:.1}", r.unlock_fast_ms),
        ),
        (
            "  ... forcing quick_check on open (ms)".into(),
            format!("{:.1}", r.unlock_fast_with_quick_check_ms),
        ),
        (
            format!("insert {} in 1 tx: total (ms)", r.records),
            format!("{:.0}", r.insert_one_tx_total_ms),
        ),
        (
            "  ... per record (us)".into(),
            format!("{:.1}", r.insert_one_tx_us_per_record),
        ),
        (
            format!("insert {} 1 per tx: total (ms)", r.insert_tx_each_records),
            format!("{:.0}", r.insert_tx_each_total_ms),
        ),
        (
            "  ... per tx median / p95 (us)".into(),
            format!(
                "{:.0} / {:.0}",
                r.insert_tx_each_us, r.insert_tx_each_p95_us
            ),
        ),
        (
            "get by id, hit: median / p95 (us)".into(),
            format!("{:.1} / {:.1}", r.get_hit_us, r.get_hit_p95_us),
        ),
        (
            "get by id, miss: median / p95 (us)".into(),
            format!("{:.1} / {:.1}", r.get_miss_us, r.get_miss_p95_us),
        ),
        (
            format!("tag query -> {} rows (us)", r.query_1pct_rows),
            format!("{:.0}", r.query_1pct_us),
        ),
        (
            format!("tag query -> {} rows (us)", r.query_10pct_rows),
            format!("{:.0}", r.query_10pct_us),
        ),
        (
            format!("2-tag AND query -> {} rows (us)", r.query_and_rows),
            format!("{:.0}", r.query_and_us),
        ),
        (
            format!("count kind ({}) (us)", r.records),
            format!("{:.1}", r.count_all_us),
        ),
        (
            format!("count with tag ({}) (us)", r.query_10pct_rows),
            format!("{:.1}", r.count_tag_10pct_us),
        ),
        (
            format!("count with tag ({}) (us)", r.query_1pct_rows),
            format!("{:.1}", r.count_tag_1pct_us),
        ),
        (
            "count empty kind (us)".into(),
            format!("{:.1}", r.count_empty_kind_us),
        ),
        (
            format!("rekey {} records (ms)", r.records),
            format!("{:.0}", r.rekey_ms),
        ),
        (
            "size open: db + wal + shm (MB)".into(),
            format!("{:.1}", r.size_open.total as f64 / 1e6),
        ),
        (
            "size closed: db + wal + shm (MB)".into(),
            format!("{:.1}", r.size_closed.total as f64 / 1e6),
        ),
    ];
    let width = rows.iter().map(|(label, _)| label.len()).max().unwrap_or(0) + 2;
    for (label, value) in rows {
        writeln!(out, "{label:<width$}{value:>14}")?;
    }
    Ok(())
}
