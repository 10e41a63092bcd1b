//! `laissez-bench exchange`: what the engaged QR exchange costs. For each format, the size
//! of the encrypted response to a request for 3 of the 6 claims of the demo's identity
//! credential (characters, QR version at ECC M and L, frames), with and without the
//! issuer's display metadata and with and without the compact transport's certificate
//! elision; then end to end, a 1920x1080 camera frame holding the response to the
//! verifier's verdict (scan, decrypt, rebuild, verify, replay cache and log written).
//!
//! With `--dcc DIR` it also reads the EU Digital COVID Certificate QR images in DIR and
//! reports their median length, the size the issue compares against. Every verdict is
//! checked VALID, so a fast wrong answer fails the run.

use std::io::Write;
use std::path::Path;

use laissez_sample_identity as sample_identity;
use serde::Serialize;
use wallet_core::clock::{Clock, SystemClock};
use wallet_core::credential::CredentialFormat;
use wallet_core::crypto::ecdsa::SigningKey;
use wallet_core::crypto::pin_kdf::KdfParams;
use wallet_core::exchange::{RequestedClaim, RequestedCredential};
use wallet_core::issuer::{IssuerIdentity, issue_credential};
use wallet_core::qr::Envelope;
use wallet_core::qr::envelope;
use wallet_core::qr::frames::{FrameOptions, encode_for_display};
use wallet_core::qr::render::{ErrorCorrection, QrMatrix, render};
use wallet_core::qr::scan::{LumaFrame, ScanUpdate, Scanner, scan_image};
use wallet_core::store::WalletStore;
use wallet_core::verifier::field_verifier::{self, VerifyOptions};
use wallet_core::verifier::trust_list::TrustList;
use wallet_core::verifier::trust_store;
use wallet_core::wallet::respond::{self, Consent, UnverifiedAcknowledgement};
use wallet_core::wallet::{ImportOptions, credentials, holder_keys};

use crate::args::ExchangeArgs;
use crate::error::{BenchError, BenchResult};
use crate::machine::{self, Machine};
use crate::stats::{median, ms, p95, timed};
use crate::{output, wallets};

const PIN: &str = "bench-pin-2468";
const FRAME_WIDTH: u32 = 1920;
const FRAME_HEIGHT: u32 = 1080;
/// The v20 at ECC M capacity, the issue's one-comfortable-code target.
const ONE_CODE_TARGET: usize = 970;

/// One response size.
#[derive(Debug, Serialize)]
pub struct ResponseSize {
    /// "sd-jwt" or "mdoc".
    pub format: &'static str,
    /// Whether the issuer's display metadata (3 languages) is in the credential.
    pub display: bool,
    /// Whether the verifier listed the issuer certificate in its request (trust list).
    pub certificate_known: bool,
    /// Characters of the response QR text (`LZ1:` + Base45).
    pub chars: usize,
    /// QR version at ECC M of that text.
    pub version_m: u8,
    /// QR version at ECC L.
    pub version_l: u8,
    /// Codes shown with the default frame options (1: a single code).
    pub codes: usize,
}

/// End-to-end times of one format.
#[derive(Debug, Serialize)]
pub struct EndToEnd {
    /// "sd-jwt" or "mdoc".
    pub format: &'static str,
    /// QR version of the response drawn (ECC M).
    pub version: u8,
    /// Pixels per module in the 1920x1080 frame.
    pub module_px: u32,
    /// Frame to verdict, median ms.
    pub total_ms: f64,
    /// ... p95 ms.
    pub total_p95_ms: f64,
    /// The scan alone (luma frame to message), median ms.
    pub scan_ms: f64,
    /// The verification alone (message to verdict, store writes included), median ms.
    pub verify_ms: f64,
}

/// The whole result.
#[derive(Debug, Serialize)]
pub struct ExchangeBench {
    /// "laissez".
    pub tool: &'static str,
    /// Its version.
    pub version: &'static str,
    /// End-to-end repetitions per format.
    pub reps: u32,
    /// The machine.
    pub machine: Machine,
    /// Response sizes.
    pub sizes: Vec<ResponseSize>,
    /// End to end.
    pub end_to_end: Vec<EndToEnd>,
    /// Median characters of the EU DCC images read, when `--dcc` was given.
    pub dcc_median_chars: Option<usize>,
    /// How many DCC images were read.
    pub dcc_images: usize,
}

fn fail<E: std::fmt::Display>(what: &'static str) -> impl Fn(E) -> BenchError {
    move |err| BenchError::Failed(format!("bench exchange: {what}: {err}"))
}

/// The holder, its two credentials of each kind, and the issuer.
struct Holder {
    store: WalletStore,
    issuer: IssuerIdentity,
    /// (format, with display) → credential id.
    credentials: Vec<(CredentialFormat, bool, wallet_core::store::RecordId)>,
}

fn requested(format: CredentialFormat) -> RequestedCredential {
    RequestedCredential {
        credential_type: sample_identity::credential_type(format).into(),
        claims: sample_identity::PRESENTED
            .iter()
            .map(|path| RequestedClaim {
                path: (*path).into(),
                required: true,
            })
            .collect(),
    }
}

/// A fresh request from `verifier`, answered by the holder with credential `id`.
fn exchange(
    verifier: &mut WalletStore,
    holder: &mut WalletStore,
    format: CredentialFormat,
    id: wallet_core::store::RecordId,
    now: i64,
) -> BenchResult<Envelope> {
    let request = field_verifier::create_request(
        verifier,
        "Bench desk",
        "Benchmark",
        vec![requested(format)],
        300,
        now,
    )
    .map_err(fail("request"))?;
    let view = respond::read_request(holder, &request, now).map_err(fail("read request"))?;
    let consent = Consent {
        credential_id: id,
        claims: sample_identity::presented(),
        allowed_beyond_scope: Vec::new(),
    };
    respond::respond(
        holder,
        &view,
        &[consent],
        Some(UnverifiedAcknowledgement::of(&view)),
        now,
    )
    .map_err(fail("respond"))
}

/// A verifier store; with `trust`, a trust list naming the issuer's certificate.
fn verifier(
    dir: &Path,
    name: &str,
    issuer: &IssuerIdentity,
    trust: bool,
    now: i64,
) -> BenchResult<WalletStore> {
    let options = wallets::options(KdfParams::INSECURE_FAST);
    let (mut store, _) =
        WalletStore::create(dir.join(name), PIN, options).map_err(fail("verifier store"))?;
    if trust {
        let signer = SigningKey::generate().map_err(fail("signer"))?;
        let mut list = TrustList::new(1, now - 60, 30);
        list.add_issuer_certificate(&issuer.name, &issuer.certificate, now - 60, now + 86_400)
            .map_err(fail("trust list"))?;
        let signed = list.sign(&signer).map_err(fail("trust list"))?;
        trust_store::install(&mut store, &signed, Some(signer.public_key()), now)
            .map_err(fail("trust list"))?;
    }
    Ok(store)
}

fn holder(dir: &Path, now: i64) -> BenchResult<Holder> {
    let options = wallets::options(KdfParams::INSECURE_FAST);
    let (mut store, _) =
        WalletStore::create(dir.join("holder.db"), PIN, options).map_err(fail("holder store"))?;
    let key = holder_keys::default_key(&mut store).map_err(fail("holder key"))?;
    let issuer = IssuerIdentity::generate("IOM Agadez field office", now - 60, 3650)
        .map_err(fail("issuer"))?;
    let mut credentials = Vec::new();
    for format in [CredentialFormat::SdJwt, CredentialFormat::Mdoc] {
        for display in [false, true] {
            let mut order = sample_identity::order(format, &key.public_key, now, display);
            order.status = Some(sample_identity::status(format));
            let issued = issue_credential(&issuer, &order).map_err(fail("issue"))?;
            let options = ImportOptions {
                issuer_keys: Vec::new(),
                now,
                type_metadata: None,
            };
            let summary =
                credentials::import(&mut store, &issued, &options).map_err(fail("import"))?;
            credentials.push((format, display, summary.id));
        }
    }
    Ok(Holder {
        store,
        issuer,
        credentials,
    })
}

fn size_of(
    message: &Envelope,
    format: CredentialFormat,
    display: bool,
    known: bool,
) -> BenchResult<ResponseSize> {
    let single = envelope::encode(message).map_err(fail("encode"))?;
    let version = |level| {
        render(&single, level)
            .map(|m| m.version)
            .map_err(fail("render"))
    };
    let codes = encode_for_display(message, &FrameOptions::default())
        .map_err(fail("frames"))?
        .len();
    Ok(ResponseSize {
        format: format.as_str(),
        display,
        certificate_known: known,
        chars: single.len(),
        version_m: version(ErrorCorrection::M)?,
        version_l: version(ErrorCorrection::L)?,
        codes,
    })
}

/// The code drawn black on white in the middle of a 1920x1080 luma frame, as large as fits
/// with a 4-module quiet zone.
fn camera_frame(matrix: &QrMatrix) -> (Vec<u8>, u32) {
    let side = matrix.width + 8;
    let module_px = (FRAME_HEIGHT * 9 / 10 / side).max(1);
    let mut luma = vec![235u8; (FRAME_WIDTH * FRAME_HEIGHT) as usize];
    let left = (FRAME_WIDTH - matrix.width * module_px) / 2;
    let top = (FRAME_HEIGHT - matrix.width * module_px) / 2;
    for y in 0..matrix.width {
        for x in 0..matrix.width {
            if !matrix.is_dark(x, y) {
                continue;
            }
            for dy in 0..module_px {
                let row = (top + y * module_px + dy) * FRAME_WIDTH;
                let start = (row + left + x * module_px) as usize;
                luma[start..start + module_px as usize].fill(25);
            }
        }
    }
    (luma, module_px)
}

fn end_to_end(
    verifier: &mut WalletStore,
    holder: &mut Holder,
    format: CredentialFormat,
    reps: u32,
    now: i64,
) -> BenchResult<EndToEnd> {
    let id = holder
        .credentials
        .iter()
        .find(|(f, display, _)| *f == format && !display)
        .map(|(_, _, id)| *id)
        .ok_or_else(|| BenchError::Failed("no credential".into()))?;
    let (mut totals, mut scans, mut verifies) = (Vec::new(), Vec::new(), Vec::new());
    let (mut version, mut module_px) = (0, 0);
    for rep in 0..reps {
        let at = now + i64::from(rep);
        let message = exchange(verifier, &mut holder.store, format, id, at)?;
        let qr_text = envelope::encode(&message).map_err(fail("encode"))?;
        let matrix = render(&qr_text, ErrorCorrection::M).map_err(fail("render"))?;
        let (luma, px) = camera_frame(&matrix);
        (version, module_px) = (matrix.version, px);
        let frame = LumaFrame::packed(FRAME_WIDTH, FRAME_HEIGHT, &luma).map_err(fail("frame"))?;
        let mut scanner = Scanner::new();
        let (update, scan) = timed(|| scanner.push_frame(&frame));
        let ScanUpdate::Complete(scanned) = update else {
            return Err(BenchError::Failed(format!(
                "bench exchange: the {} response was not read from the frame",
                format.as_str()
            )));
        };
        let options = VerifyOptions::new(at + 1, "en");
        let (verdicts, verify) =
            timed(|| field_verifier::verify_message(verifier, &scanned, &options));
        let verdicts = verdicts.map_err(fail("verify"))?;
        if !verdicts
            .first()
            .is_some_and(|v| v.valid && v.claims.len() == 3)
        {
            return Err(BenchError::Failed(format!(
                "bench exchange: the {} verdict was not VALID with 3 claims",
                format.as_str()
            )));
        }
        scans.push(scan);
        verifies.push(verify);
        totals.push(scan + verify);
    }
    Ok(EndToEnd {
        format: format.as_str(),
        version,
        module_px,
        total_ms: ms(median(&totals)),
        total_p95_ms: ms(p95(&totals)),
        scan_ms: ms(median(&scans)),
        verify_ms: ms(median(&verifies)),
    })
}

/// PNG files in `dir` and its subfolders (three levels at most).
fn png_files(dir: &Path, depth: u32, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for path in entries.flatten().map(|e| e.path()) {
        if path.is_dir() && depth < 3 {
            png_files(&path, depth + 1, out);
        } else if path.extension().is_some_and(|e| e == "png") {
            out.push(path);
        }
    }
}

/// Median text length of the QR codes in the PNG images under `dir`, and how many were read.
fn dcc_median(dir: &Path) -> BenchResult<(Option<usize>, usize)> {
    if !dir.is_dir() {
        return Err(BenchError::BadInput(format!(
            "{} is not a folder",
            dir.display()
        )));
    }
    let mut files = Vec::new();
    png_files(dir, 0, &mut files);
    let mut lengths: Vec<usize> = files
        .iter()
        .filter_map(|path| std::fs::read(path).ok())
        .filter_map(|bytes| scan_image(&bytes).ok()?.into_iter().next())
        .map(|code| code.text.len())
        .collect();
    lengths.sort_unstable();
    Ok((lengths.get(lengths.len() / 2).copied(), lengths.len()))
}

/// Runs the benchmark.
pub fn run(args: &ExchangeArgs) -> BenchResult {
    let dir = tempfile::Builder::new()
        .prefix("laissez-bench-")
        .tempdir()
        .map_err(|err| {
            BenchError::Failed(format!("cannot make a temporary folder: {}", err.kind()))
        })?;
    let now = SystemClock.now_unix();
    let mut holder = holder(dir.path(), now)?;
    let mut trusting = verifier(dir.path(), "trusting.db", &holder.issuer, true, now)?;
    let mut sizes = Vec::new();
    for (format, display, id) in holder.credentials.clone() {
        let message = exchange(&mut trusting, &mut holder.store, format, id, now)?;
        sizes.push(size_of(&message, format, display, true)?);
    }
    // Without a trust list the request lists no certificate, and the holder sends it.
    let mut bare = verifier(dir.path(), "bare.db", &holder.issuer, false, now)?;
    for (format, display, id) in holder.credentials.clone() {
        if !display {
            let message = exchange(&mut bare, &mut holder.store, format, id, now)?;
            sizes.push(size_of(&message, format, display, false)?);
        }
    }
    let mut end = Vec::new();
    for format in [CredentialFormat::SdJwt, CredentialFormat::Mdoc] {
        end.push(end_to_end(
            &mut trusting,
            &mut holder,
            format,
            args.reps,
            now,
        )?);
    }
    let (dcc_median_chars, dcc_images) = match &args.dcc {
        Some(dir) => dcc_median(dir)?,
        None => (None, 0),
    };
    let result = ExchangeBench {
        tool: "laissez",
        version: env!("CARGO_PKG_VERSION"),
        reps: args.reps,
        machine: machine::describe(),
        sizes,
        end_to_end: end,
        dcc_median_chars,
        dcc_images,
    };
    if args.json {
        output::print_json(&result)
    } else {
        print_table(&result)
    }
}

fn print_table(r: &ExchangeBench) -> BenchResult {
    let mut out = std::io::stdout().lock();
    let m = &r.machine;
    writeln!(
        out,
        "laissez {} bench exchange: {} CPUs ({}), {} MiB, {} {}",
        r.version, m.nproc, m.cpu_model, m.mem_total_mib, m.os, m.kernel
    )?;
    writeln!(
        out,
        "\nEngaged response, 3 of 6 claims (one code up to {ONE_CODE_TARGET} characters: \
         version 20 at ECC M)"
    )?;
    writeln!(
        out,
        "{:<7} {:<8} {:<12} {:>6} {:>6} {:>6} {:>6}",
        "format", "display", "certificate", "chars", "ver M", "ver L", "codes"
    )?;
    for s in &r.sizes {
        writeln!(
            out,
            "{:<7} {:<8} {:<12} {:>6} {:>6} {:>6} {:>6}",
            s.format,
            if s.display { "3 langs" } else { "none" },
            if s.certificate_known {
                "left out"
            } else {
                "sent"
            },
            s.chars,
            s.version_m,
            s.version_l,
            s.codes
        )?;
    }
    if let Some(dcc) = r.dcc_median_chars {
        writeln!(
            out,
            "EU DCC, for comparison: median {dcc} characters over {} images",
            r.dcc_images
        )?;
    }
    writeln!(
        out,
        "\nEnd to end, 1920x1080 frame to verdict ({} runs each; target: median under 25 ms)",
        r.reps
    )?;
    for e in &r.end_to_end {
        writeln!(
            out,
            "{:<7} version {} at {} px/module: {:.1} ms median (p95 {:.1}); scan {:.1} ms, \
             verify {:.1} ms",
            e.format, e.version, e.module_px, e.total_ms, e.total_p95_ms, e.scan_ms, e.verify_ms
        )?;
    }
    Ok(())
}
