//! `laissez-bench credentials`: per-operation times of issue, import, present and verify in
//! both formats, and the sizes of what travels (the issued credential, a presentation of
//! three of its six claims).
//!
//! The credential is the demo's six-claim identity credential (`sample_identity.rs`), with
//! its display metadata in three languages; the sizes are also given without it. Every
//! result is checked (each import gives a new id, each verdict is VALID with three claims),
//! so a fast wrong answer fails the run (exit 3) instead of producing a number.

use super::checks::{expect, fail};
use std::io::Write;
use std::time::Duration;

use laissez_sample_identity as sample_identity;
use serde::Serialize;
use wallet_core::clock::{Clock, SystemClock};
use wallet_core::credential::CredentialFormat;
use wallet_core::crypto::pin_kdf::KdfParams;
use wallet_core::issuer::{IssuerIdentity, issue_credential};
use wallet_core::store::{NewRecord, RecordId, Tag, WalletStore};
use wallet_core::verifier::{
    ExpectedBinding, TrustedIssuer, VerificationRequest, verify_presentation,
};
use wallet_core::wallet::holder_keys::{self, HolderKey};
use wallet_core::wallet::{ImportOptions, PresentationBinding, credentials};

use crate::args::CredentialsArgs;
use crate::error::{BenchError, BenchResult};
use crate::machine::{self, Machine};
use crate::stats::{median, p95, timed, us};
use crate::{output, wallets};

const PIN: &str = "bench-pin-2468";
const NONCE: &str = "bench-nonce-5e1f";
const AUDIENCE: &str = "https://verifier.example/desk-7";

/// One format's figures. Times are medians and 95th percentiles in microseconds.
#[derive(Debug, Serialize)]
pub struct FormatBench {
    /// "sd-jwt" or "mdoc".
    pub format: &'static str,
    /// Issue one credential: build, salt, digest, sign (median us).
    pub issue_us: f64,
    /// ... p95 (us).
    pub issue_p95_us: f64,
    /// Import one: parse, issuer signature and certificate, validity, digests, holder key
    /// lookup, duplicate check, one encrypted record written durably (median us).
    pub import_us: f64,
    /// ... p95 (us).
    pub import_p95_us: f64,
    /// For comparison: one plain record of the credential's size put in the same wallet,
    /// timed right after each import (one durable SQLite transaction, no credential work).
    /// Import and present each write one record; the rest of their time is the credential's.
    pub store_put_us: f64,
    /// ... p95 (us).
    pub store_put_p95_us: f64,
    /// Present three claims: read and decrypt the record, derive the holder key, select,
    /// sign the binding, write the disclosure history record durably (median us).
    pub present_us: f64,
    /// ... p95 (us).
    pub present_p95_us: f64,
    /// Verify one presentation against the issuer's certificate: every signature, digest,
    /// validity and binding check (median us).
    pub verify_us: f64,
    /// ... p95 (us).
    pub verify_p95_us: f64,
    /// Bytes of the issued credential (six claims, display metadata in en/fr/ar).
    pub issued_bytes: usize,
    /// Bytes of a presentation disclosing three of the six claims.
    pub presentation_bytes: usize,
    /// Bytes of the issued credential without display metadata.
    pub issued_bytes_no_display: usize,
    /// Bytes of the three-claim presentation without display metadata.
    pub presentation_bytes_no_display: usize,
}

/// The result of one run.
#[derive(Debug, Serialize)]
pub struct CredentialsBench {
    /// Which program measured.
    pub tool: &'static str,
    /// Its version.
    pub version: &'static str,
    /// Repetitions of each operation.
    pub reps: u32,
    /// Claims in the credential.
    pub claims_total: usize,
    /// Claims disclosed in each presentation.
    pub claims_disclosed: usize,
    /// Where it ran.
    pub machine: Machine,
    /// SD-JWT VC figures.
    pub sd_jwt: FormatBench,
    /// mdoc figures.
    pub mdoc: FormatBench,
}

/// Any core error here means the benchmark itself is broken.
fn broken(step: &str) -> impl Fn(BenchError) -> BenchError + '_ {
    move |err| match err {
        BenchError::Failed(_) => err,
        other => fail(format!("benchmark step {step} failed: {other}")),
    }
}

/// The wallet (in a temporary folder that outlives it), holder key and issuer of a run.
struct Bench {
    store: WalletStore,
    holder: HolderKey,
    issuer: IssuerIdentity,
    trusted: Vec<TrustedIssuer>,
    reps: usize,
    now: i64,
}

/// Runs the benchmark and prints the result.
pub fn run(args: &CredentialsArgs) -> BenchResult {
    let dir = tempfile::Builder::new()
        .prefix("laissez-bench-")
        .tempdir()
        .map_err(|err| fail(format!("cannot make a temporary folder: {}", err.kind())))?;
    let now = SystemClock.now_unix();
    let options = wallets::options(KdfParams::INSECURE_FAST);
    let (mut store, _phrase) = WalletStore::create(dir.path().join("bench.db"), PIN, options)
        .map_err(|err| fail(format!("cannot create the benchmark wallet: {err}")))?;
    let holder = holder_keys::default_key(&mut store)
        .map_err(|err| fail(format!("cannot make a holder key: {err}")))?;
    let issuer = IssuerIdentity::generate("Laissez bench issuer", now, 3650)
        .map_err(|err| fail(format!("cannot make an issuer: {err}")))?;
    let trusted = vec![
        TrustedIssuer::from_bytes(&issuer.certificate)
            .map_err(|err| fail(format!("the issuer certificate: {err}")))?,
    ];
    let mut bench = Bench {
        store,
        holder,
        issuer,
        trusted,
        reps: args.reps as usize,
        now,
    };
    let sd_jwt = bench
        .format(CredentialFormat::SdJwt)
        .map_err(broken("sd-jwt"))?;
    let mdoc = bench
        .format(CredentialFormat::Mdoc)
        .map_err(broken("mdoc"))?;
    let result = CredentialsBench {
        tool: "laissez",
        version: env!("CARGO_PKG_VERSION"),
        reps: args.reps,
        claims_total: sample_identity::claims().len(),
        claims_disclosed: sample_identity::PRESENTED.len(),
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

impl Bench {
    fn issue(&self, format: CredentialFormat, with_display: bool) -> BenchResult<Vec<u8>> {
        let order = sample_identity::order(format, &self.holder.public_key, self.now, with_display);
        Ok(issue_credential(&self.issuer, &order)?)
    }

    fn import(&mut self, issued: &[u8]) -> BenchResult<RecordId> {
        let options = ImportOptions {
            issuer_keys: Vec::new(),
            now: self.now,
            type_metadata: None,
        };
        Ok(credentials::import(&mut self.store, issued, &options)?.id)
    }

    fn present(&mut self, id: RecordId) -> BenchResult<Vec<u8>> {
        let binding = PresentationBinding::NonceAudience {
            nonce: NONCE.into(),
            audience: AUDIENCE.into(),
        };
        let claims = sample_identity::presented();
        Ok(credentials::present(&mut self.store, id, &claims, &binding, self.now, None)?.bytes)
    }

    fn verify(&self, presentation: &[u8]) -> bool {
        let binding = ExpectedBinding::NonceAudience {
            nonce: NONCE.into(),
            audience: AUDIENCE.into(),
        };
        let verdict = verify_presentation(&VerificationRequest {
            presentation,
            binding: &binding,
            trusted: &self.trusted,
            now: self.now,
            lang: "en",
            type_metadata: &[],
            status_lists: &[],
            max_status_age_secs: wallet_core::verifier::DEFAULT_MAX_STATUS_AGE_SECS,
            holder_high_s: wallet_core::verifier::HighS::Refuse,
        });
        verdict.valid && verdict.claims.len() == sample_identity::PRESENTED.len()
    }

    fn format(&mut self, format: CredentialFormat) -> BenchResult<FormatBench> {
        let name = format.as_str();
        let reps = self.reps;
        output::progress(&format!("{name}: issue x{reps}"));
        let mut issued = Vec::with_capacity(reps);
        let mut issue_times = Vec::with_capacity(reps);
        for _ in 0..reps {
            let (credential, took) = timed(|| self.issue(format, true));
            issued.push(credential?);
            issue_times.push(took);
        }

        output::progress(&format!("{name}: import x{reps}"));
        let mut ids = Vec::with_capacity(reps);
        let mut import_times = Vec::with_capacity(reps);
        let mut put_times = Vec::with_capacity(reps);
        for credential in &issued {
            let (id, took) = timed(|| self.import(credential));
            ids.push(id?);
            import_times.push(took);
            let record = NewRecord {
                kind: "bench-calibration".into(),
                tags: vec![Tag::new("format", name)],
                body: credential.clone(),
            };
            let (put, took) = timed(|| self.store.put(&record));
            put?;
            put_times.push(took);
        }
        ids.sort();
        ids.dedup();
        expect(ids.len() == reps, "every import gives a new credential id")?;

        output::progress(&format!("{name}: present x{reps}"));
        let mut presentations = Vec::with_capacity(reps);
        let mut present_times = Vec::with_capacity(reps);
        for id in &ids {
            let (presentation, took) = timed(|| self.present(*id));
            presentations.push(presentation?);
            present_times.push(took);
        }

        output::progress(&format!("{name}: verify x{reps}"));
        let mut verify_times = Vec::with_capacity(reps);
        for presentation in &presentations {
            let (valid, took) = timed(|| self.verify(presentation));
            expect(valid, "every presentation verifies with three claims")?;
            verify_times.push(took);
        }

        let plain = self.issue(format, false)?;
        let plain_id = self.import(&plain)?;
        let plain_presentation = self.present(plain_id)?;
        expect(
            self.verify(&plain_presentation),
            "the presentation without display metadata verifies",
        )?;

        let (issue_us, issue_p95_us) = us_of(&issue_times);
        let (import_us, import_p95_us) = us_of(&import_times);
        let (store_put_us, store_put_p95_us) = us_of(&put_times);
        let (present_us, present_p95_us) = us_of(&present_times);
        let (verify_us, verify_p95_us) = us_of(&verify_times);
        Ok(FormatBench {
            format: name,
            issue_us,
            issue_p95_us,
            import_us,
            import_p95_us,
            store_put_us,
            store_put_p95_us,
            present_us,
            present_p95_us,
            verify_us,
            verify_p95_us,
            issued_bytes: issued.first().map_or(0, Vec::len),
            presentation_bytes: presentations.first().map_or(0, Vec::len),
            issued_bytes_no_display: plain.len(),
            presentation_bytes_no_display: plain_presentation.len(),
        })
    }
}

fn print_table(r: &CredentialsBench) -> BenchResult {
    let mut out = std::io::stdout().lock();
    let m = &r.machine;
    writeln!(
        out,
        "laissez {} on {} CPUs ({}), {} MiB, {} {}; {} repetitions, medians (p95) in µs",
        r.version, m.nproc, m.cpu_model, m.mem_total_mib, m.os, m.kernel, r.reps
    )?;
    writeln!(
        out,
        "{:<44} {:>20} {:>20}",
        "operation", "SD-JWT VC", "mdoc"
    )?;
    let time = |median: f64, p95: f64| format!("{median:.1} ({p95:.1})");
    let (s, d) = (&r.sd_jwt, &r.mdoc);
    let rows = [
        (
            "issue",
            time(s.issue_us, s.issue_p95_us),
            time(d.issue_us, d.issue_p95_us),
        ),
        (
            "import (checks + one durable write)",
            time(s.import_us, s.import_p95_us),
            time(d.import_us, d.import_p95_us),
        ),
        (
            "  for comparison: one plain durable write",
            time(s.store_put_us, s.store_put_p95_us),
            time(d.store_put_us, d.store_put_p95_us),
        ),
        (
            "present 3 of 6 claims (+ history write)",
            time(s.present_us, s.present_p95_us),
            time(d.present_us, d.present_p95_us),
        ),
        (
            "verify one presentation",
            time(s.verify_us, s.verify_p95_us),
            time(d.verify_us, d.verify_p95_us),
        ),
    ];
    for (name, a, b) in rows {
        writeln!(out, "{name:<44} {a:>20} {b:>20}")?;
    }
    let sizes = [
        ("issued credential, bytes", s.issued_bytes, d.issued_bytes),
        (
            "presentation of 3 of 6 claims, bytes",
            s.presentation_bytes,
            d.presentation_bytes,
        ),
        (
            "issued, without display metadata",
            s.issued_bytes_no_display,
            d.issued_bytes_no_display,
        ),
        (
            "presentation, without display metadata",
            s.presentation_bytes_no_display,
            d.presentation_bytes_no_display,
        ),
    ];
    for (name, a, b) in sizes {
        writeln!(out, "{name:<44} {a:>20} {b:>20}")?;
    }
    Ok(())
}
