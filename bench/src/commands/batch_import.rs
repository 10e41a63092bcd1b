//! `laissez-bench batch-import`: importing a batch of one-time copies (issue 14 item 3,
//! ADR 0017). Each repetition makes N new derived holder keys (timed apart: key derivation),
//! issues the demo's six-claim credential to them with `issue_batch` (random status indexes,
//! not timed), and times `import_batch`: every copy's parse, issuer signature, validity,
//! digests and holder key lookup, the check that the copies are one credential, the
//! duplicate check, and one encrypted record written durably; then one presentation from a
//! fresh copy. Every import is checked (a new credential id with N copies left, one fewer
//! after presenting), so a fast wrong answer fails the run (exit 3).

use super::checks::{expect, fail};
use std::io::Write;
use std::time::Duration;

use laissez_sample_identity as sample_identity;
use serde::Serialize;
use wallet_core::clock::{Clock, SystemClock};
use wallet_core::credential::CredentialFormat;
use wallet_core::crypto::pin_kdf::KdfParams;
use wallet_core::issuer::{IssuerIdentity, StatusAllocator, issue_batch};
use wallet_core::store::WalletStore;
use wallet_core::wallet::holder_keys;
use wallet_core::wallet::{ImportOptions, PresentationBinding, credentials};

use crate::args::BatchImportArgs;
use crate::error::BenchResult;
use crate::machine::{self, Machine};
use crate::stats::{median, p95, timed, us};
use crate::{output, wallets};

const PIN: &str = "bench-pin-2468";
const STATUS_URI: &str = "https://issuer.example/status/bench";

/// One format's figures. Times are medians and 95th percentiles in microseconds.
#[derive(Debug, Serialize)]
pub struct BatchFormatBench {
    /// "sd-jwt" or "mdoc".
    pub format: &'static str,
    /// `import_batch` of N copies, key derivation excluded (median us).
    pub import_us: f64,
    /// ... p95 (us).
    pub import_p95_us: f64,
    /// Making the N derived holder keys the copies are bound to (median us).
    pub keys_us: f64,
    /// ... p95 (us).
    pub keys_p95_us: f64,
    /// `issue_batch` of N copies at the issuer, for comparison (median us).
    pub issue_us: f64,
    /// Present three claims from a fresh copy, which rewrites the record of all N copies
    /// with that copy marked, with the disclosure record, in one durable write (median us).
    pub present_us: f64,
    /// ... p95 (us).
    pub present_p95_us: f64,
    /// Bytes of the N copies together.
    pub batch_bytes: usize,
}

/// The result of one run.
#[derive(Debug, Serialize)]
pub struct BatchImportBench {
    /// Which program measured.
    pub tool: &'static str,
    /// Its version.
    pub version: &'static str,
    /// Copies per batch.
    pub copies: u32,
    /// Batches imported per format.
    pub reps: u32,
    /// Where it ran.
    pub machine: Machine,
    /// SD-JWT VC figures.
    pub sd_jwt: BatchFormatBench,
    /// mdoc figures.
    pub mdoc: BatchFormatBench,
}

/// Runs the benchmark and prints the result.
pub fn run(args: &BatchImportArgs) -> BenchResult {
    let dir = tempfile::Builder::new()
        .prefix("laissez-bench-")
        .tempdir()
        .map_err(|err| fail(format!("cannot make a temporary folder: {}", err.kind())))?;
    let now = SystemClock.now_unix();
    let options = wallets::options(KdfParams::INSECURE_FAST);
    let (mut store, _phrase) = WalletStore::create(dir.path().join("bench.db"), PIN, options)
        .map_err(|err| fail(format!("cannot create the benchmark wallet: {err}")))?;
    let issuer = IssuerIdentity::generate("Laissez bench issuer", now, 3650)
        .map_err(|err| fail(format!("cannot make an issuer: {err}")))?;
    let mut allocator = StatusAllocator::new(STATUS_URI, 1_000_000)?;
    let mut measure = |format| format_bench(&mut store, &issuer, &mut allocator, args, format, now);
    let sd_jwt = measure(CredentialFormat::SdJwt)?;
    let mdoc = measure(CredentialFormat::Mdoc)?;
    let result = BatchImportBench {
        tool: "laissez",
        version: env!("CARGO_PKG_VERSION"),
        copies: args.copies,
        reps: args.reps,
        machine: machine::describe(),
        sd_jwt,
        mdoc,
    };
    if args.json {
        output::print_json(&result)
    } else {
        print_table(&result)
    }
}

fn us_of(samples: &[Duration]) -> (f64, f64) {
    (us(median(samples)), us(p95(samples)))
}

fn format_bench(
    store: &mut WalletStore,
    issuer: &IssuerIdentity,
    allocator: &mut StatusAllocator,
    args: &BatchImportArgs,
    format: CredentialFormat,
    now: i64,
) -> BenchResult<BatchFormatBench> {
    let name = format.as_str();
    output::progress(&format!(
        "{name}: {} batches of {} copies",
        args.reps, args.copies
    ));
    let options = ImportOptions {
        issuer_keys: Vec::new(),
        now,
        type_metadata: None,
    };
    let (mut imports, mut keys_times, mut issues) = (Vec::new(), Vec::new(), Vec::new());
    let mut presents = Vec::new();
    let binding = PresentationBinding::NonceAudience {
        nonce: "bench-nonce-5e1f".into(),
        audience: "https://verifier.example/desk-7".into(),
    };
    let claims = sample_identity::presented();
    let mut batch_bytes = 0;
    for rep in 0..args.reps {
        let (keys, took) = timed(|| {
            (0..args.copies)
                .map(|_| holder_keys::create_derived(store).map(|k| k.public_key))
                .collect::<Result<Vec<_>, _>>()
        });
        let keys = keys?;
        keys_times.push(took);
        let first = keys
            .first()
            .cloned()
            .ok_or_else(|| fail("no holder key".into()))?;
        let order = sample_identity::order(format, &first, now, true);
        let id = format!("{name}-{rep}");
        let (copies, took) =
            timed(|| issue_batch(issuer, &order, &keys, Some((&mut *allocator, &id))));
        let copies = copies?;
        issues.push(took);
        batch_bytes = copies.iter().map(Vec::len).sum();
        let (summary, took) = timed(|| credentials::import_batch(store, &copies, &options));
        let summary = summary?;
        imports.push(took);
        expect(
            summary.copies_total == args.copies && summary.copies_left == args.copies,
            "every batch imports as one credential with all its copies left",
        )?;
        let (shown, took) =
            timed(|| credentials::present(store, summary.id, &claims, &binding, now, None));
        shown?;
        presents.push(took);
        let left = credentials::load(store, summary.id)?.copies_left();
        expect(
            left + 1 == args.copies,
            "a presentation uses exactly one copy",
        )?;
    }
    let (import_us, import_p95_us) = us_of(&imports);
    let (keys_us, keys_p95_us) = us_of(&keys_times);
    Ok(BatchFormatBench {
        format: name,
        import_us,
        import_p95_us,
        keys_us,
        keys_p95_us,
        issue_us: us(median(&issues)),
        present_us: us_of(&presents).0,
        present_p95_us: us_of(&presents).1,
        batch_bytes,
    })
}

fn print_table(r: &BatchImportBench) -> BenchResult {
    let mut out = std::io::stdout().lock();
    let m = &r.machine;
    writeln!(
        out,
        "laissez {} on {} CPUs ({}), {} MiB, {} {}; {} batches of {} copies, medians (p95) in ms",
        r.version, m.nproc, m.cpu_model, m.mem_total_mib, m.os, m.kernel, r.reps, r.copies
    )?;
    writeln!(
        out,
        "{:<44} {:>20} {:>20}",
        "operation", "SD-JWT VC", "mdoc"
    )?;
    let ms = |median: f64, p95: f64| format!("{:.2} ({:.2})", median / 1e3, p95 / 1e3);
    let (s, d) = (&r.sd_jwt, &r.mdoc);
    let rows = [
        (
            "import_batch (key derivation excluded)",
            ms(s.import_us, s.import_p95_us),
            ms(d.import_us, d.import_p95_us),
        ),
        (
            "  make the holder keys (derivation)",
            ms(s.keys_us, s.keys_p95_us),
            ms(d.keys_us, d.keys_p95_us),
        ),
        (
            "  issue_batch at the issuer",
            format!("{:.2}", s.issue_us / 1e3),
            format!("{:.2}", d.issue_us / 1e3),
        ),
        (
            "present 3 claims from a fresh copy",
            ms(s.present_us, s.present_p95_us),
            ms(d.present_us, d.present_p95_us),
        ),
        (
            "bytes of the batch",
            s.batch_bytes.to_string(),
            d.batch_bytes.to_string(),
        ),
    ];
    for (what, a, b) in rows {
        writeln!(out, "{what:<44} {a:>20} {b:>20}")?;
    }
    Ok(())
}
