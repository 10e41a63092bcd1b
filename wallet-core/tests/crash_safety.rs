//! Crash safety: a writer killed with SIGKILL at random moments never loses or damages an
//! acknowledged record and never leaves half a transaction behind.
//!
//! The writer is this very test binary, re-executed in "child mode". It prints one line per
//! committed transaction, so the parent knows exactly what was acknowledged when it killed it.
//! `LAISSEZ_CRASH_KILLS` sets the number of kills (default 200), `LAISSEZ_CRASH_SEED` the seed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use rusqlite::{Connection, OpenFlags};
use wallet_core::crypto::pin_kdf::KdfParams;
use wallet_core::store::{NewRecord, RecordId, StoreOptions, Tag, WalletStore};

/// The test's own name: the child is started with `--exact TEST_NAME`.
const TEST_NAME: &str = "acknowledged_writes_survive_sigkill";
const CHILD_DB_ENV: &str = "LAISSEZ_CRASH_CHILD_DB";
const CHILD_ROUND_ENV: &str = "LAISSEZ_CRASH_CHILD_ROUND";
const CHILD_SEED_ENV: &str = "LAISSEZ_CRASH_CHILD_SEED";
const KILLS_ENV: &str = "LAISSEZ_CRASH_KILLS";
const SEED_ENV: &str = "LAISSEZ_CRASH_SEED";
const DEFAULT_KILLS: u32 = 200;
/// Kills per wallet file: long enough for crashes to pile up on one file, short enough that
/// re-reading every acknowledged record after each kill stays cheap.
const KILLS_PER_WALLET: u32 = 20;
/// Upper bound of the child's work, so a child that is never killed still ends.
const MAX_TRANSACTIONS: usize = 20_000;
/// The child checkpoints every this many transactions, so kills also land mid-checkpoint.
const CHECKPOINT_EVERY: usize = 7;
/// Longest random wait after the child is ready to write.
const WRITE_WINDOW_US: u64 = 40_000;
const PIN: &str = "crash-pin-2468";
const KIND: &str = "crash";

/// SplitMix64: small, deterministic, good enough to pick sizes and delays.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, bound: u64) -> u64 {
        self.next() % bound
    }
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xCBF2_9CE4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01B3)
    })
}

fn options() -> StoreOptions {
    StoreOptions {
        pin_kdf: KdfParams::INSECURE_FAST,
        ..StoreOptions::default()
    }
}

/// Sizes of the child's transactions (1 = `put`, more = `put_many`); the parent recomputes
/// them from the same seed to know how big the unacknowledged transaction was.
fn batch_sizes(seed: u64) -> impl Iterator<Item = usize> {
    let mut rng = Rng(seed);
    std::iter::from_fn(move || {
        Some(if rng.below(2) == 0 {
            1
        } else {
            2 + rng.below(4) as usize
        })
    })
}

/// Slot `slot` of transaction `tx` of round `round`. Every record can be rebuilt from its
/// position alone, so the parent can check bodies of records it was never told about.
fn record_at(round: u32, tx: usize, slot: usize) -> NewRecord {
    let label = format!("r{round}-t{tx}-s{slot}");
    let mut rng = Rng(fnv1a(label.as_bytes()));
    // Up to about one and a half pages: some bodies spill into overflow pages.
    let len = rng.below(6_000) as usize;
    NewRecord {
        kind: KIND.into(),
        tags: vec![
            Tag::new("round", round.to_string()),
            Tag::new("tx", format!("r{round}-t{tx}")),
            Tag::new("slot", slot.to_string()),
        ],
        body: (0..len).map(|_| rng.next() as u8).collect(),
    }
}

#[test]
fn acknowledged_writes_survive_sigkill() {
    match std::env::var_os(CHILD_DB_ENV) {
        Some(db) => run_child(Path::new(&db)),
        None => run_parent(),
    }
}

/// Child mode: write until killed, acknowledging each commit on stdout.
fn run_child(db: &Path) {
    let round: u32 = std::env::var(CHILD_ROUND_ENV).unwrap().parse().unwrap();
    let seed: u64 = std::env::var(CHILD_SEED_ENV).unwrap().parse().unwrap();
    let mut store = WalletStore::open(db, options()).unwrap();
    store.unlock(PIN).unwrap();
    // A second connection checkpoints the log now and then, as SQLite's auto-checkpoint does
    // on a long-lived wallet, so some kills interrupt a checkpoint.
    let side = Connection::open(db).unwrap();
    let mut out = std::io::stdout().lock();
    writeln!(out, "READY").unwrap();
    out.flush().unwrap();
    for (tx, size) in batch_sizes(seed).enumerate().take(MAX_TRANSACTIONS) {
        let batch: Vec<NewRecord> = (0..size).map(|slot| record_at(round, tx, slot)).collect();
        let ids = if size == 1 {
            vec![store.put(&batch[0]).unwrap()]
        } else {
            store.put_many(&batch).unwrap()
        };
        // One line per transaction, written after the commit returned: an ACK is a promise.
        let ids: Vec<String> = ids.iter().map(RecordId::to_string).collect();
        writeln!(out, "ACK {tx} {}", ids.join(" ")).unwrap();
        out.flush().unwrap();
        if tx % CHECKPOINT_EVERY == CHECKPOINT_EVERY - 1 {
            side.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))
                .unwrap();
        }
    }
    writeln!(out, "DONE").unwrap();
}

/// Kills the child if the parent panics before killing it itself.
struct ChildGuard(Child);

impl Drop for ChildGuard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[derive(Default)]
struct Stats {
    kills: u32,
    kills_before_ready: u32,
    kills_after_writes: u32,
    acked_transactions: usize,
    acked_records: usize,
    unacked_commits: u32,
    records_verified: usize,
}

/// What one killed child left: its acknowledged transactions (in order) and its stderr.
struct Run {
    acks: Vec<(usize, Vec<RecordId>)>,
    stderr: String,
    delay: Duration,
    before_ready: bool,
}

fn run_parent() {
    let kills = std::env::var(KILLS_ENV).map_or(DEFAULT_KILLS, |v| v.parse().unwrap());
    let seed = std::env::var(SEED_ENV).map_or_else(
        |_| {
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
        },
        |v| v.parse().unwrap(),
    );
    println!("crash_safety: {KILLS_ENV}={kills} {SEED_ENV}={seed}");
    let started = Instant::now();
    let exe = std::env::current_exe().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut rng = Rng(seed);
    let mut stats = Stats::default();
    // How long a child takes to be ready; early kills are spread over that span.
    let mut ready_after = Duration::from_millis(20);
    let mut path = PathBuf::new();
    let mut expected: HashMap<RecordId, (u32, usize, usize)> = HashMap::new();
    for round in 0..kills {
        if round % KILLS_PER_WALLET == 0 {
            path = dir.path().join(format!("wallet-{round}.db"));
            drop(WalletStore::create(&path, PIN, options()).unwrap());
            expected.clear();
        }
        let child_seed = rng.next();
        let run = run_and_kill(&exe, &path, round, child_seed, &mut rng, &mut ready_after);
        let context = format!(
            "seed {seed}, round {round}, kill after {:?}{}",
            run.delay,
            if run.before_ready {
                " (before ready)"
            } else {
                " (while writing)"
            }
        );
        stats.kills += 1;
        stats.kills_before_ready += u32::from(run.before_ready);
        stats.kills_after_writes += u32::from(!run.acks.is_empty());
        verify_after_kill(
            &path,
            round,
            child_seed,
            &run,
            &mut expected,
            &mut stats,
            &context,
        );
    }
    println!(
        "crash_safety: {} kills ({} before the child was ready, {} after it had committed), \
         {} acknowledged transactions with {} records, {} commits caught before their ACK, \
         {} record reads verified, {:?}",
        stats.kills,
        stats.kills_before_ready,
        stats.kills_after_writes,
        stats.acked_transactions,
        stats.acked_records,
        stats.unacked_commits,
        stats.records_verified,
        started.elapsed()
    );
    // Most kills must really have landed while records were being written.
    assert!(
        stats.kills_after_writes >= kills / 2,
        "only {} of {kills} kills came after a commit",
        stats.kills_after_writes
    );
}

fn run_and_kill(
    exe: &Path,
    db: &Path,
    round: u32,
    child_seed: u64,
    rng: &mut Rng,
    ready_after: &mut Duration,
) -> Run {
    let spawned = Instant::now();
    let child = Command::new(exe)
        .args(["--exact", TEST_NAME, "--nocapture", "--test-threads=1"])
        .env(CHILD_DB_ENV, db)
        .env(CHILD_ROUND_ENV, round.to_string())
        .env(CHILD_SEED_ENV, child_seed.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut guard = ChildGuard(child);
    let stdout = guard.0.stdout.take().unwrap();
    let mut stderr = guard.0.stderr.take().unwrap();
    let (lines_tx, lines_rx) = mpsc::channel::<String>();
    let reader = std::thread::spawn(move || {
        let mut reader = BufReader::new(stdout);
        let mut line = String::new();
        // Only whole lines count: a line cut by the kill was never acknowledged.
        while reader.read_line(&mut line).unwrap_or(0) > 0 && line.ends_with('\n') {
            if lines_tx.send(std::mem::take(&mut line)).is_err() {
                break;
            }
        }
    });
    let stderr_reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });

    let mut lines = Vec::new();
    // One kill in five lands anywhere from process start to the first write (start-up, WAL
    // recovery, PIN counter); the rest land while records are being written.
    let before_ready = rng.below(5) == 0;
    let delay = if before_ready {
        let window = ready_after.as_micros() as u64;
        Duration::from_micros(rng.below(window + 1))
    } else {
        loop {
            let line = lines_rx
                .recv_timeout(Duration::from_secs(60))
                .unwrap_or_else(|_| panic!("child never became ready"));
            let ready = line.contains("READY");
            lines.push(line);
            if ready {
                break;
            }
        }
        *ready_after = spawned.elapsed();
        *ready_after + Duration::from_micros(rng.below(WRITE_WINDOW_US + 1))
    };
    // The sleep only picks the moment of the kill; nothing below depends on how long it was.
    if let Some(rest) = delay.checked_sub(spawned.elapsed()) {
        std::thread::sleep(rest);
    }
    if let Some(status) = guard.0.try_wait().unwrap() {
        let text = stderr_reader.join().unwrap_or_default();
        panic!("the child ended before it was killed ({status}): {text}");
    }
    guard.0.kill().unwrap();
    let status = guard.0.wait().unwrap();
    assert_eq!(status.signal(), Some(9), "child did not die of SIGKILL");
    reader.join().unwrap();
    lines.extend(lines_rx.try_iter());
    let stderr = stderr_reader.join().unwrap_or_default();
    let acks = lines
        .iter()
        .filter_map(|line| line.find("ACK ").map(|at| &line[at + 4..]))
        .map(|ack| {
            let mut fields = ack.split_whitespace();
            let tx = fields.next().unwrap().parse().unwrap();
            let ids = fields.map(|id| RecordId::parse(id).unwrap()).collect();
            (tx, ids)
        })
        .collect();
    Run {
        acks,
        stderr,
        delay,
        before_ready,
    }
}

fn verify_after_kill(
    path: &Path,
    round: u32,
    child_seed: u64,
    run: &Run,
    expected: &mut HashMap<RecordId, (u32, usize, usize)>,
    stats: &mut Stats,
    context: &str,
) {
    // SQLite's full check, on the files exactly as the kill left them.
    let raw = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let verdict: String = raw
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(verdict, "ok", "{context}; child stderr: {}", run.stderr);
    drop(raw);

    let mut store = WalletStore::open(path, options())
        .unwrap_or_else(|e| panic!("{context}: open failed: {e}; child stderr: {}", run.stderr));
    store
        .unlock(PIN)
        .unwrap_or_else(|e| panic!("{context}: unlock failed: {e}"));

    let sizes: Vec<usize> = batch_sizes(child_seed).take(run.acks.len() + 1).collect();
    for (position, (tx, ids)) in run.acks.iter().enumerate() {
        assert_eq!(*tx, position, "{context}: acknowledgements out of order");
        assert_eq!(ids.len(), sizes[*tx], "{context}: transaction {tx} size");
        for (slot, id) in ids.iter().enumerate() {
            expected.insert(*id, (round, *tx, slot));
        }
        stats.acked_transactions += 1;
        stats.acked_records += ids.len();
    }

    // The transaction running at the kill may have committed before its ACK was printed:
    // then it is there whole, never in part.
    let acked_now: usize = run.acks.iter().map(|(_, ids)| ids.len()).sum();
    let in_round = store
        .count(KIND, &[Tag::new("round", round.to_string())])
        .unwrap() as usize;
    let next_tx = run.acks.len();
    if in_round != acked_now {
        assert_eq!(
            in_round - acked_now,
            sizes[next_tx],
            "{context}: a transaction survived in part"
        );
        let page = store
            .find(
                KIND,
                &[Tag::new("tx", format!("r{round}-t{next_tx}"))],
                100,
                None,
            )
            .unwrap();
        assert_eq!(page.records.len(), sizes[next_tx], "{context}");
        for record in &page.records {
            let slot = record
                .tags
                .iter()
                .find(|t| t.name == "slot")
                .map(|t| t.value.parse().unwrap())
                .unwrap();
            assert!(expected.insert(record.id, (round, next_tx, slot)).is_none());
        }
        stats.unacked_commits += 1;
    }

    // Every record acknowledged on this file so far, in this round or an earlier one, reads
    // back exactly, and nothing else is there.
    assert_eq!(
        store.count(KIND, &[]).unwrap(),
        expected.len() as u64,
        "{context}: records appeared or vanished"
    );
    for (id, &(r, tx, slot)) in expected.iter() {
        let want = record_at(r, tx, slot);
        let got = store
            .get(*id)
            .unwrap_or_else(|e| panic!("{context}: acknowledged record {id} unreadable: {e}"));
        assert_eq!(got.kind, want.kind, "{context}");
        assert_eq!(got.tags, want.tags, "{context}");
        assert!(
            got.body.as_slice() == want.body.as_slice(),
            "{context}: body of {id}"
        );
        stats.records_verified += 1;
    }
}
