//! `laissez-bench backup`: the time and size of a backup of a wallet of 1,000 credentials
//! and of restoring it onto a new wallet made from the same 24 words, and the animated QR
//! transfer of a wallet of 20 credentials (frames, seconds at 10 frames per second).
//!
//! The credentials are the demo's six-claim identity credential, half SD-JWT VC and half mdoc,
//! with display metadata in three languages, each issued to the wallet's holder key and
//! imported (so every one is a real, verified credential). Restore times exclude the one key
//! derivation of the new wallet's PIN (Argon2id, about 0.2 s here, timed apart); the
//! restored wallet is checked to hold every credential, and one of each format is presented
//! and verified, or the run fails.

use std::io::Write;
use std::time::Instant;

use laissez_sample_identity as sample_identity;
use serde::Serialize;
use wallet_core::backup;
use wallet_core::clock::{Clock, SystemClock};
use wallet_core::credential::CredentialFormat;
use wallet_core::crypto::pin_kdf::KdfParams;
use wallet_core::issuer::{IssuerIdentity, issue_credential};
use wallet_core::mnemonic::RecoveryPhrase;
use wallet_core::qr::frames::{FrameOptions, encode_for_display};
use wallet_core::qr::render::{ErrorCorrection, render};
use wallet_core::store::WalletStore;
use wallet_core::verifier::{
    ExpectedBinding, TrustedIssuer, VerificationRequest, verify_presentation,
};
use wallet_core::wallet::{ImportOptions, PresentationBinding, credentials, holder_keys};

use crate::args::BackupArgs;
use crate::error::{BenchError, BenchResult};
use crate::machine::{self, Machine};
use crate::stats::ms;
use crate::{output, wallets};

const PIN: &str = "bench-pin-2468";
const DISPLAY_FPS: f64 = 10.0;

/// Backup and restore of one wallet.
#[derive(Debug, Serialize)]
pub struct WalletFigures {
    /// Credentials in the wallet.
    pub credentials: u32,
    /// All records (credentials, holder key, history).
    pub records: u64,
    /// Backup size, bytes.
    pub backup_bytes: usize,
    /// Bytes per credential.
    pub bytes_per_credential: f64,
    /// Making the backup, ms.
    pub backup_ms: f64,
    /// Opening it with the 24 words (seed, decrypt, inflate, decode), ms.
    pub open_ms: f64,
    /// Writing every record into the new wallet in one transaction, ms.
    pub restore_ms: f64,
    /// open + restore: the restore time the target is about, ms.
    pub restore_total_ms: f64,
    /// The new wallet's PIN key derivation (excluded from the target), ms.
    pub new_wallet_kdf_ms: f64,
}

/// The animated transfer of one wallet.
#[derive(Debug, Serialize)]
pub struct TransferFigures {
    /// Credentials in the wallet.
    pub credentials: u32,
    /// Backup size, bytes.
    pub backup_bytes: usize,
    /// Characters per frame.
    pub frame_chars: usize,
    /// QR version of the frames (ECC M).
    pub version: u8,
    /// Frames needed at the least (any of them).
    pub frames_needed: usize,
    /// Seconds to show the needed frames once at 10 frames per second.
    pub seconds_at_10_fps: f64,
    /// The same with a quarter of the frames lost (RaptorQ repairs them: frames / 0.75).
    pub seconds_with_25_percent_loss: f64,
}

/// The whole result.
#[derive(Debug, Serialize)]
pub struct BackupBench {
    /// "laissez".
    pub tool: &'static str,
    /// Its version.
    pub version: &'static str,
    /// The machine.
    pub machine: Machine,
    /// The large wallet.
    pub large: WalletFigures,
    /// The transfers of the small wallet, by frame size.
    pub transfer: Vec<TransferFigures>,
}

fn fail<E: std::fmt::Display>(what: &'static str) -> impl Fn(E) -> BenchError {
    move |err| BenchError::Failed(format!("bench backup: {what}: {err}"))
}

/// A wallet from `phrase` holding `count` credentials (half of each format).
fn wallet_with(
    dir: &std::path::Path,
    name: &str,
    phrase: &RecoveryPhrase,
    issuer: &IssuerIdentity,
    count: u32,
    now: i64,
) -> BenchResult<WalletStore> {
    let options = wallets::options(KdfParams::INSECURE_FAST);
    let mut store = WalletStore::create_with_phrase(dir.join(name), PIN, phrase, options)
        .map_err(fail("wallet"))?;
    let key = holder_keys::default_key(&mut store).map_err(fail("holder key"))?;
    let import = ImportOptions {
        issuer_keys: Vec::new(),
        now,
        type_metadata: None,
    };
    for i in 0..count {
        let format = if i % 2 == 0 {
            CredentialFormat::SdJwt
        } else {
            CredentialFormat::Mdoc
        };
        let order = sample_identity::order(format, &key.public_key, now, true);
        let issued = issue_credential(issuer, &order).map_err(fail("issue"))?;
        credentials::import(&mut store, &issued, &import).map_err(fail("import"))?;
    }
    Ok(store)
}

fn large(
    dir: &std::path::Path,
    issuer: &IssuerIdentity,
    count: u32,
    now: i64,
) -> BenchResult<WalletFigures> {
    let phrase = RecoveryPhrase::generate().map_err(fail("phrase"))?;
    let store = wallet_with(dir, "large.db", &phrase, issuer, count, now)?;
    let records = store.info().map_err(fail("info"))?.record_count;
    let started = Instant::now();
    let bytes = backup::create(&store, now).map_err(fail("backup"))?;
    let backup_ms = ms(started.elapsed());
    drop(store);

    let started = Instant::now();
    let contents = backup::open_with_phrase(&bytes, &phrase).map_err(fail("open"))?;
    let open_ms = ms(started.elapsed());
    let started = Instant::now();
    let mut new = WalletStore::create_with_phrase(
        dir.join("restored.db"),
        PIN,
        &phrase,
        wallets::options(KdfParams::PHONE),
    )
    .map_err(fail("new wallet"))?;
    let new_wallet_kdf_ms = ms(started.elapsed());
    let started = Instant::now();
    let report = backup::restore(&mut new, &contents, &mut |_, _| {}).map_err(fail("restore"))?;
    let restore_ms = ms(started.elapsed());
    if report.restored.credentials != u64::from(count) || report.restored.total() != records {
        return Err(BenchError::Failed(format!(
            "bench backup: restored {} of {count} credentials",
            report.restored.credentials
        )));
    }
    check_presentable(&mut new, issuer, now)?;
    Ok(WalletFigures {
        credentials: count,
        records,
        backup_bytes: bytes.len(),
        bytes_per_credential: bytes.len() as f64 / f64::from(count.max(1)),
        backup_ms,
        open_ms,
        restore_ms,
        restore_total_ms: open_ms + restore_ms,
        new_wallet_kdf_ms,
    })
}

/// One restored credential of each format presents and verifies.
fn check_presentable(store: &mut WalletStore, issuer: &IssuerIdentity, now: i64) -> BenchResult {
    let trusted = [TrustedIssuer::from_bytes(&issuer.certificate).map_err(fail("certificate"))?];
    let held = credentials::list(store).map_err(fail("list"))?;
    for format in [CredentialFormat::SdJwt, CredentialFormat::Mdoc] {
        let Some(credential) = held.iter().find(|c| c.format == format) else {
            continue;
        };
        let binding = PresentationBinding::NonceAudience {
            nonce: "bench-n".into(),
            audience: "bench-desk".into(),
        };
        let presentation = credentials::present(
            store,
            credential.id,
            &sample_identity::presented(),
            &binding,
            now,
            None,
        )
        .map_err(fail("present"))?;
        let verdict = verify_presentation(&VerificationRequest {
            presentation: &presentation.bytes,
            binding: &ExpectedBinding::NonceAudience {
                nonce: "bench-n".into(),
                audience: "bench-desk".into(),
            },
            trusted: &trusted,
            now,
            lang: "en",
            type_metadata: &[],
            status_lists: &[],
            max_status_age_secs: 3_600,
            holder_high_s: wallet_core::verifier::HighS::Refuse,
        });
        if !verdict.valid {
            return Err(BenchError::Failed(format!(
                "bench backup: a restored {} credential did not verify",
                format.as_str()
            )));
        }
    }
    Ok(())
}

fn transfer(bytes: &[u8], credentials: u32, frame_chars: usize) -> BenchResult<TransferFigures> {
    let options = FrameOptions {
        max_frame_chars: frame_chars,
        one_code_max_chars: 0,
        repair_ratio: 0.0,
    };
    let frames = encode_for_display(&backup::to_message(bytes.to_vec()), &options)
        .map_err(fail("frames"))?;
    let version = frames
        .iter()
        .map(|f| render(f, ErrorCorrection::M).map(|m| m.version))
        .collect::<Result<Vec<_>, _>>()
        .map_err(fail("render"))?
        .into_iter()
        .max()
        .unwrap_or(0);
    let needed = frames.len();
    Ok(TransferFigures {
        credentials,
        backup_bytes: bytes.len(),
        frame_chars,
        version,
        frames_needed: needed,
        seconds_at_10_fps: needed as f64 / DISPLAY_FPS,
        seconds_with_25_percent_loss: needed as f64 / 0.75 / DISPLAY_FPS,
    })
}

/// Runs the benchmark.
pub fn run(args: &BackupArgs) -> BenchResult {
    let dir = tempfile::Builder::new()
        .prefix("laissez-bench-")
        .tempdir()
        .map_err(fail("temporary folder"))?;
    let now = SystemClock.now_unix();
    let issuer = IssuerIdentity::generate("IOM Agadez field office", now - 60, 3650)
        .map_err(fail("issuer"))?;
    let large = large(dir.path(), &issuer, args.credentials, now)?;
    let phrase = RecoveryPhrase::generate().map_err(fail("phrase"))?;
    let small = wallet_with(dir.path(), "small.db", &phrase, &issuer, 20, now)?;
    let bytes = backup::create(&small, now).map_err(fail("backup"))?;
    let mut transfers = Vec::new();
    for chars in [970, 1_400, 1_800] {
        transfers.push(transfer(&bytes, 20, chars)?);
    }
    let result = BackupBench {
        tool: "laissez",
        version: env!("CARGO_PKG_VERSION"),
        machine: machine::describe(),
        large,
        transfer: transfers,
    };
    if args.json {
        return output::print_json(&result);
    }
    let mut out = std::io::stdout().lock();
    let m = &result.machine;
    writeln!(
        out,
        "laissez {} bench backup: {} CPUs ({}), {} MiB, {} {}",
        result.version, m.nproc, m.cpu_model, m.mem_total_mib, m.os, m.kernel
    )?;
    let l = &result.large;
    writeln!(
        out,
        "\nWallet of {} credentials ({} records): backup {} bytes ({:.0} per credential) in \
         {:.0} ms",
        l.credentials, l.records, l.backup_bytes, l.bytes_per_credential, l.backup_ms
    )?;
    writeln!(
        out,
        "restore: open {:.0} ms + write {:.0} ms = {:.0} ms (target under 2,000 ms), plus the \
         new PIN's Argon2id {:.0} ms",
        l.open_ms, l.restore_ms, l.restore_total_ms, l.new_wallet_kdf_ms
    )?;
    writeln!(out, "\nAnimated transfer of a wallet of 20 credentials")?;
    for t in &result.transfer {
        writeln!(
            out,
            "{} bytes in frames of {} chars (version {}): {} frames, {:.1} s at 10 fps, {:.1} s \
             with a quarter lost",
            t.backup_bytes,
            t.frame_chars,
            t.version,
            t.frames_needed,
            t.seconds_at_10_fps,
            t.seconds_with_25_percent_loss
        )?;
    }
    Ok(())
}
