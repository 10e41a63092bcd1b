//! `laissez-bench qr-scan`: the QR scanner side by side with ZXing-C++ (docs/BENCHMARKS.md,
//! "QR scanning").
//!
//! ```text
//! ../shared/bench/qr_frames.sh OUT 20261122            # frames + the ZXing-C++ peer
//! laissez-bench qr-scan frames OUT/img RESULTS/laissez.tsv
//! /tmp/qr-bench-venv/bin/python ../shared/bench/qr_summarize.py OUT RESULTS
//! laissez-bench qr-scan continuous OUT RESULTS/laissez.tsv   # QR_TRACE=1: every push;
//!     # --budget UNITS, --piece UNITS, --overlap PIXELS: other limits than the scanner's
//! laissez-bench qr-scan profile OUT profile.tsv
//! laissez-bench qr-scan answer-texts --chars 1248,1390 answers.json
//! laissez-bench qr-scan e2e
//! laissez-bench qr-scan passes OUT
//! laissez-bench qr-scan dcc ../shared/vectors/dcc-qr
//! ```
//!
//! `frames`: decodes every PNG of a folder (loaded as luma before the clock starts; one
//! warm-up decode, as the peer script does) with `scan_frame` at camera effort and writes
//! `file, ok, decode_us, payload_hex` rows. `e2e`: a 1920x1080 frame holding a ~900-character
//! envelope, from luma to the decoded message through a `Scanner` session. `passes`: each
//! decoding pass alone on every frame (exact payload match against `manifest.jsonl`), then
//! the chain as `scan_frame` runs it, pass by pass: what each fallback buys. `dcc`: the EU
//! DCC real-world PNGs through `scan_image` (PNG decoding included in the time).
//! `continuous`: the camera scan of `Scanner::new()` (a work budget per frame), each frame
//! pushed until read or the chain has run whole; `profile`: each camera pass alone per frame;
//! `answer-texts`: engaged answers as one code and as the animated sequence, for
//! `bench/scripts/qr_one_code.py` (ADR 0015).

use std::fmt::Display;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use wallet_core::qr::envelope::{self, Envelope, MessageKind};
use wallet_core::qr::frames;
use wallet_core::qr::render::{self, ErrorCorrection, QUIET_ZONE};
use wallet_core::qr::scan::{
    self, Binarize, FinderSearch, LumaFrame, LumaImage, PASSES, Pass, Prepare, Scale, ScanEffort,
    ScanUpdate, ScannedCode, Scanner,
};

use crate::args::QrScanCommand;
use crate::data::SplitMix64;
use crate::error::{BenchError, BenchResult};
use crate::stats::{median, ms, p95, timed, us};

/// Runs one of the QR scanning measurements.
pub fn run(command: QrScanCommand) -> BenchResult {
    match command {
        QrScanCommand::Frames { img_dir, out } => frames(&img_dir, &out),
        QrScanCommand::Passes { frames_dir } => passes(&frames_dir),
        QrScanCommand::Profile { frames_dir, out } => profile(&frames_dir, &out),
        QrScanCommand::Continuous {
            frames_dir,
            out,
            budget,
            piece,
            overlap,
        } => continuous(&frames_dir, &out, budget, piece, overlap),
        QrScanCommand::AnswerTexts {
            chars,
            frame_chars,
            out,
        } => answer_texts(&chars, frame_chars, &out),
        QrScanCommand::E2e => e2e(),
        QrScanCommand::Dcc { dir } => dcc(&dir),
    }
}

/// An input file or folder that cannot be used.
fn bad_input<E: Display>(what: &Path) -> impl Fn(E) -> BenchError + '_ {
    move |err| BenchError::BadInput(format!("{}: {err}", what.display()))
}

/// A step of the measurement that failed.
fn failed<E: Display>(what: &'static str) -> impl Fn(E) -> BenchError {
    move |err| BenchError::Failed(format!("qr-scan: {what}: {err}"))
}

fn read(path: &Path) -> BenchResult<Vec<u8>> {
    std::fs::read(path).map_err(bad_input(path))
}

fn read_text(path: &Path) -> BenchResult<String> {
    std::fs::read_to_string(path).map_err(bad_input(path))
}

fn load_luma(path: &Path) -> BenchResult<LumaImage> {
    scan::decode_image(&read(path)?).map_err(bad_input(path))
}

fn frame(image: &LumaImage) -> BenchResult<LumaFrame<'_>> {
    image.as_frame().map_err(failed("luma frame"))
}

/// Whether `codes` hold exactly the expected payload (hex); never for a frame without one.
fn holds(codes: &[ScannedCode], expected: &str) -> bool {
    !expected.is_empty() && codes.iter().any(|c| hex::encode(&c.bytes) == expected)
}

fn frames(dir: &Path, out: &Path) -> BenchResult {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(bad_input(dir))?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .map_err(bad_input(dir))?;
    files.retain(|p| p.extension().is_some_and(|e| e == "png"));
    files.sort();
    if let Some(first) = files.first() {
        let image = load_luma(first)?;
        let _ = scan::scan_frame(&frame(&image)?, ScanEffort::Camera);
    }
    let mut rows = String::new();
    let mut times = Vec::new();
    for path in &files {
        let image = load_luma(path)?;
        let luma = frame(&image)?;
        let (codes, t) = timed(|| scan::scan_frame(&luma, ScanEffort::Camera));
        times.push(t);
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let (ok, payload) = match codes.first() {
            Some(code) => (1, hex::encode(&code.bytes)),
            None => (0, String::new()),
        };
        rows.push_str(&format!("{name}\t{ok}\t{:.0}\t{payload}\n", us(t)));
    }
    std::fs::write(out, rows).map_err(bad_input(out))?;
    writeln!(
        std::io::stdout(),
        "{} frames, median {:.2} ms, p95 {:.2} ms -> {}",
        files.len(),
        ms(median(&times)),
        ms(p95(&times)),
        out.display()
    )?;
    Ok(())
}

/// Most pushes of one frame in `continuous` (more than the camera chain has passes and
/// crops).
const MAX_PUSHES: usize = 60;

/// Every frame through a continuous scan, pushed again until read or until the chain has
/// run whole (the pass index back at the first): the time and work units of every push.
fn continuous(
    dir: &Path,
    out: &Path,
    budget: Option<u64>,
    piece: Option<u64>,
    overlap: Option<u32>,
) -> BenchResult {
    let frames = manifest_frames_named(dir)?;
    let new_scan = || {
        scan::ContinuousScan::with_limits(
            budget.unwrap_or(scan::FRAME_BUDGET_UNITS),
            piece.unwrap_or(scan::PIECE_UNITS),
            overlap.unwrap_or(scan::CROP_OVERLAP),
        )
    };
    if let Some((_, image, _)) = frames.first() {
        let _ = new_scan().scan(&frame(image)?);
    }
    let mut rows = String::new();
    // (1080p?, has code) -> push times; pushes until read; first-push and in-chain reads.
    let mut times: std::collections::BTreeMap<(u32, bool), Vec<Duration>> = Default::default();
    let mut units_per_us: Vec<f64> = Vec::new();
    let (mut first_ok, mut chain_ok, mut with_code) = (0, 0, 0);
    let mut pushes_to_read: Vec<usize> = Vec::new();
    let mut out_text = std::io::stdout().lock();
    for (name, image, expected) in &frames {
        let luma = frame(image)?;
        let mut scan = new_scan();
        let has_code = !expected.is_empty();
        with_code += usize::from(has_code);
        let mut read_at = None;
        for push in 0..MAX_PUSHES {
            let (pass, crop) = (scan.next_pass(), scan.next_crop());
            let ((codes, units), t) = timed(|| scan.scan_counting(&luma));
            if std::env::var_os("QR_TRACE").is_some() {
                eprintln!(
                    "{name}\tpush {push}\tfrom pass {} crop {}\t{units} units\t{:.0} us",
                    pass + 1,
                    crop + 1,
                    us(t)
                );
            }
            times.entry((luma.height(), has_code)).or_default().push(t);
            if units > 0 {
                units_per_us.push(units as f64 / us(t).max(1.0));
            }
            let ok = holds(&codes, expected);
            if push == 0 {
                let payload = codes.first().map(|c| hex::encode(&c.bytes));
                rows.push_str(&format!(
                    "{name}\t{}\t{:.0}\t{}\n",
                    u8::from(ok),
                    us(t),
                    payload.unwrap_or_default()
                ));
            }
            if ok {
                read_at = Some(push + 1);
                break;
            }
            if !codes.is_empty() || scan.at_start() {
                break;
            }
        }
        if let Some(n) = read_at {
            chain_ok += 1;
            first_ok += usize::from(n == 1);
            pushes_to_read.push(n);
        } else if has_code {
            writeln!(out_text, "not read: {name}")?;
        }
    }
    std::fs::write(out, rows).map_err(bad_input(out))?;
    writeln!(
        out_text,
        "read on the first push {first_ok}/{with_code}, within the chain {chain_ok}/{with_code}"
    )?;
    for n in 1..=MAX_PUSHES {
        let count = pushes_to_read.iter().filter(|&&p| p == n).count();
        if count > 0 {
            writeln!(out_text, "  read on push {n}: {count}")?;
        }
    }
    writeln!(
        out_text,
        "| frames | pushes | median ms | p95 ms | max ms |"
    )?;
    writeln!(out_text, "|---|---|---|---|---|")?;
    let mut all: Vec<Duration> = Vec::new();
    for ((height, has_code), t) in &times {
        all.extend(t);
        writeln!(
            out_text,
            "| {height}p {} | {} | {:.2} | {:.2} | {:.2} |",
            if *has_code { "with code" } else { "no code" },
            t.len(),
            ms(median(t)),
            ms(p95(t)),
            ms(t.iter().copied().max().unwrap_or_default())
        )?;
    }
    for has_code in [true, false] {
        let t: Vec<Duration> = times
            .iter()
            .filter(|((_, c), _)| *c == has_code)
            .flat_map(|(_, t)| t.iter().copied())
            .collect();
        writeln!(
            out_text,
            "| all {} | {} | {:.2} | {:.2} | {:.2} |",
            if has_code { "with code" } else { "no code" },
            t.len(),
            ms(median(&t)),
            ms(p95(&t)),
            ms(t.iter().copied().max().unwrap_or_default())
        )?;
    }
    units_per_us.sort_by(f64::total_cmp);
    let mid = units_per_us
        .get(units_per_us.len() / 2)
        .copied()
        .unwrap_or(0.0);
    writeln!(
        out_text,
        "| all | {} | {:.2} | {:.2} | | units per microsecond, median {mid:.2}",
        all.len(),
        ms(median(&all)),
        ms(p95(&all))
    )?;
    Ok(())
}

/// Every camera pass alone on every frame (ok and time), then the camera chain: a TSV row a
/// frame, for finding where the slow frames spend their time.
fn profile(dir: &Path, out: &Path) -> BenchResult {
    let frames = manifest_frames_named(dir)?;
    let camera: Vec<Pass> = PASSES
        .iter()
        .filter(|p| !p.thorough_only)
        .copied()
        .collect();
    let mut rows = String::from("file\thas_code");
    for i in 0..camera.len() {
        rows.push_str(&format!("\tok{}\tus{}", i + 1, i + 1));
    }
    rows.push_str("\tchain_ok\tchain_us\n");
    for (name, image, expected) in &frames {
        let luma = frame(image)?;
        rows.push_str(&format!("{name}\t{}", u8::from(!expected.is_empty())));
        for p in &camera {
            let (found, t) = timed(|| scan::run_single_pass(&luma, p));
            let ok = found.is_some_and(|codes| holds(&codes, expected));
            rows.push_str(&format!("\t{}\t{:.0}", u8::from(ok), us(t)));
        }
        let (codes, t) = timed(|| scan::scan_frame(&luma, ScanEffort::Camera));
        rows.push_str(&format!(
            "\t{}\t{:.0}\n",
            u8::from(holds(&codes, expected)),
            us(t)
        ));
    }
    std::fs::write(out, rows).map_err(bad_input(out))?;
    Ok(())
}

/// The frames of `manifest.jsonl` with their expected payloads (hex; empty: no code).
fn manifest_frames(dir: &Path) -> BenchResult<Vec<(LumaImage, String)>> {
    Ok(manifest_frames_named(dir)?
        .into_iter()
        .map(|(_, image, expected)| (image, expected))
        .collect())
}

/// The frames of `manifest.jsonl` with their file names and expected payloads (hex).
fn manifest_frames_named(dir: &Path) -> BenchResult<Vec<(String, LumaImage, String)>> {
    let manifest = dir.join("manifest.jsonl");
    let mut frames = Vec::new();
    for line in read_text(&manifest)?.lines() {
        let entry: serde_json::Value = serde_json::from_str(line).map_err(bad_input(&manifest))?;
        let field = |name: &str| {
            entry[name]
                .as_str()
                .map(str::to_owned)
                .ok_or_else(|| BenchError::BadInput(format!("{}: no `{name}`", manifest.display())))
        };
        let name = field("file")?;
        let image = load_luma(&dir.join("img").join(&name))?;
        frames.push((name, image, field("expected")?));
    }
    Ok(frames)
}

/// The chain's passes, then alternatives that were measured and left out.
fn candidate_passes() -> Vec<(String, Pass)> {
    let plain = Pass::new;
    let mut candidates: Vec<(String, Pass)> = PASSES
        .iter()
        .enumerate()
        .map(|(i, p)| (format!("chain {}", i + 1), *p))
        .collect();
    for (name, p) in [
        (
            "rxing HybridBinarizer",
            plain(
                Scale::Full,
                Prepare::None,
                Binarize::Hybrid,
                FinderSearch::Normal,
            ),
        ),
        (
            "rxing GlobalHistogramBinarizer",
            plain(
                Scale::Full,
                Prepare::None,
                Binarize::Global,
                FinderSearch::Normal,
            ),
        ),
        (
            "local, min range 8",
            plain(
                Scale::Full,
                Prepare::None,
                Binarize::Local(8),
                FinderSearch::Normal,
            ),
        ),
        (
            "half, stretched",
            plain(
                Scale::Half,
                Prepare::Stretch,
                Binarize::Local(24),
                FinderSearch::Normal,
            ),
        ),
        (
            "half, TRY_HARDER",
            plain(
                Scale::Half,
                Prepare::None,
                Binarize::Local(24),
                FinderSearch::Dense,
            ),
        ),
        (
            "sharpened, no TRY_HARDER",
            plain(
                Scale::Full,
                Prepare::Sharpen,
                Binarize::Local(24),
                FinderSearch::Normal,
            ),
        ),
    ] {
        candidates.push((name.to_owned(), p));
    }
    candidates
}

fn passes(dir: &Path) -> BenchResult {
    let frames = manifest_frames(dir)?;
    let with_qr = frames.iter().filter(|(_, e)| !e.is_empty()).count();
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "| pass | half | prepare | binarizer | TRY_HARDER | read alone | median ms |"
    )?;
    writeln!(out, "|---|---|---|---|---|---|---|")?;
    for (name, p) in &candidate_passes() {
        let (mut ok, mut times) = (0, Vec::new());
        for (image, expected) in &frames {
            let luma = frame(image)?;
            let (found, t) = timed(|| scan::run_single_pass(&luma, p));
            times.push(t);
            ok += usize::from(found.is_some_and(|codes| holds(&codes, expected)));
        }
        writeln!(
            out,
            "| {name} | {:?} | {:?} | {:?} | {:?} | {ok}/{with_qr} | {:.2} |",
            p.scale,
            p.prepare,
            p.binarize,
            p.finder_search,
            ms(median(&times))
        )?;
    }
    writeln!(
        out,
        "\n| chain up to | read | median ms | p95 ms |\n|---|---|---|---|"
    )?;
    let one_shot: Vec<Pass> = PASSES
        .iter()
        .filter(|p| !p.continuous_only)
        .copied()
        .collect();
    for last in 1..=one_shot.len() {
        let (mut ok, mut times) = (0, Vec::new());
        for (image, expected) in &frames {
            let luma = frame(image)?;
            let (codes, t) = timed(|| scan::scan_frame_with(&luma, &one_shot[..last]));
            times.push(t);
            ok += usize::from(holds(&codes, expected));
        }
        writeln!(
            out,
            "| pass {last} | {ok}/{with_qr} | {:.2} | {:.2} |",
            ms(median(&times)),
            ms(p95(&times))
        )?;
    }
    Ok(())
}

fn dcc(dir: &Path) -> BenchResult {
    let manifest = dir.join("manifest.tsv");
    let mut out = std::io::stdout().lock();
    let (mut ok, mut total) = (0, 0);
    let mut times = Vec::new();
    for line in read_text(&manifest)?.lines().skip(1) {
        let (file, expected) = line.split_once('\t').ok_or_else(|| {
            BenchError::BadInput(format!("{}: a line without a tab", manifest.display()))
        })?;
        let bytes = read(&dir.join("png").join(file))?;
        let (codes, t) = timed(|| scan::scan_image(&bytes));
        times.push(t);
        total += 1;
        if codes.is_ok_and(|codes| codes.iter().any(|c| c.text == expected)) {
            ok += 1;
        } else {
            writeln!(out, "not read: {file}")?;
        }
    }
    writeln!(
        out,
        "dcc-qr: {ok}/{total} read, median {:.2} ms, p95 {:.2} ms per image",
        ms(median(&times)),
        ms(p95(&times))
    )?;
    Ok(())
}

/// For each target length: an engaged-answer envelope of random (incompressible, as an
/// encrypted answer is) bytes whose single-code text has at least that many characters, its
/// QR version at M, and today's animated frames of it (`split` with `frame_chars`).
fn answer_texts(targets: &[usize], frame_chars: usize, out: &Path) -> BenchResult {
    let mut answers = Vec::new();
    for &target in targets {
        // Base45 makes 3 characters of 2 bytes; start below and grow to the target.
        let mut len = (target.saturating_sub(40) / 3 * 2).max(1);
        let (message, text) = loop {
            let message = Envelope {
                kind: MessageKind::EngagedResponse,
                payload: noise(len),
            };
            let text = envelope::encode(&message).map_err(failed("envelope"))?;
            if text.len() >= target {
                break (message, text);
            }
            len += 1;
        };
        let version = render::render(&text, ErrorCorrection::M)
            .map_err(failed("render"))?
            .version;
        let options = frames::FrameOptions {
            max_frame_chars: frame_chars,
            ..frames::FrameOptions::default()
        };
        let bytes = envelope::to_bytes(&message).map_err(failed("envelope bytes"))?;
        let sequence = frames::split(&bytes, &options).map_err(failed("split"))?;
        let frame_version = match sequence.first() {
            Some(first) => {
                render::render(first, ErrorCorrection::M)
                    .map_err(failed("render"))?
                    .version
            }
            None => 0,
        };
        let needed = frames::source_frames(bytes.len(), &options).map_err(failed("frames"))?;
        answers.push(serde_json::json!({
            "target": target,
            "chars": text.len(),
            "version": version,
            "single": text,
            "frames": sequence,
            "frame_version": frame_version,
            "needed": needed,
        }));
    }
    let json = serde_json::to_string_pretty(&answers).map_err(failed("json"))?;
    std::fs::write(out, json).map_err(bad_input(out))?;
    writeln!(
        std::io::stdout(),
        "{} answers -> {}",
        answers.len(),
        out.display()
    )?;
    Ok(())
}

/// Frame size, pixels per module and where the code sits: a phone screen about a third of
/// the frame high, on a grey desk.
const E2E_FRAME: (u32, u32) = (1920, 1080);
const E2E_SCALE: u32 = 6;
const E2E_ORIGIN: (u32, u32) = (700, 200);
/// Scanner sessions timed.
const E2E_RUNS: usize = 60;

fn e2e() -> BenchResult {
    let message = Envelope {
        kind: MessageKind::StaticPresentation,
        payload: noise(560),
    };
    let text = envelope::encode(&message).map_err(failed("envelope"))?;
    let (matrix, render_time) = timed(|| render::render(&text, ErrorCorrection::M));
    let matrix = matrix.map_err(failed("render"))?;
    let ((w, h), scale, (x0, y0)) = (E2E_FRAME, E2E_SCALE, E2E_ORIGIN);
    let side = (matrix.width + 2 * QUIET_ZONE) * scale;
    let grain = noise((w * h) as usize);
    let mut pixels: Vec<u8> = (0..w * h)
        .map(|i| 80 + ((i % w) / 16) as u8 + grain[i as usize] % 9)
        .collect();
    for y in 0..side {
        for x in 0..side {
            let (mx, my) = (
                (x / scale).checked_sub(QUIET_ZONE),
                (y / scale).checked_sub(QUIET_ZONE),
            );
            let dark = matches!((mx, my), (Some(mx), Some(my)) if matrix.is_dark(mx, my));
            let i = ((y0 + y) * w + x0 + x) as usize;
            pixels[i] = if dark { 25 } else { 225 } + grain[i] % 9;
        }
    }
    let frame = LumaFrame::packed(w, h, &pixels).map_err(failed("luma frame"))?;
    let mut times: Vec<Duration> = Vec::with_capacity(E2E_RUNS);
    for _ in 0..E2E_RUNS {
        let mut scanner = Scanner::new();
        let (update, t) = timed(|| scanner.push_frame(&frame));
        if update != ScanUpdate::Complete(message.clone()) {
            return Err(BenchError::Failed(
                "qr-scan e2e: the frame did not give back the message".into(),
            ));
        }
        times.push(t);
    }
    writeln!(
        std::io::stdout(),
        "e2e: {}-character envelope, QR version {} at M, 1920x1080 luma -> message: \
         median {:.2} ms, p95 {:.2} ms (render to matrix {:.2} ms)",
        text.len(),
        matrix.version,
        ms(median(&times)),
        ms(p95(&times)),
        ms(render_time)
    )?;
    Ok(())
}

/// Deterministic noise bytes.
fn noise(len: usize) -> Vec<u8> {
    let mut rng = SplitMix64::new(0x2545_f491);
    (0..len).map(|_| rng.next_u64().to_be_bytes()[0]).collect()
}
