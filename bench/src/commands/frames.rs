//! `laissez-bench frames`: how long an animated QR transfer takes when the camera misses
//! frames. A message (20,000 bytes by default) is cut into RaptorQ frames
//! (`qr::frames::split`); a simulated display shows them at 10 frames a second, cycling
//! through the sequence from a random starting frame; the camera loses each shown frame
//! independently with probability 0.25; the frames it keeps go to a `FrameAssembler`. The
//! count that matters is how many frames were shown until the message was complete.
//!
//! Two payloads: random bytes (incompressible, as an encrypted backup is) and a JSON
//! backup-like document of about the same size (the envelope's deflate shrinks it). For each
//! frame size the QR version is read off the rendered code, not assumed.
//!
//! The sequence is as long as `split` allows (repair ratio 4: five times the frames needed),
//! so within the measured window every shown frame is a new symbol; `--repair-ratio 0.5`
//! gives the app's default sequence, whose cycle repeats sooner (a frame lost on one pass
//! is then caught on the next).
//!
//! A second mode draws each kept frame as a camera would see it (a clean code on a grey,
//! slightly noisy 1280x720 luma frame) and pushes it through the real `Scanner`, so QR
//! decoding time is included. Every completed transfer is checked against the input (the
//! run fails with exit 3 otherwise).

use super::checks::fail;
use std::io::Write;
use std::time::Duration;

use serde::Serialize;
use wallet_core::qr::envelope::{self, Envelope, MessageKind};
use wallet_core::qr::frames::{self, FrameAssembler, FrameOptions, FrameProgress};
use wallet_core::qr::render::{self, ErrorCorrection, QUIET_ZONE, QrMatrix};
use wallet_core::qr::scan::{LumaFrame, ScanUpdate, Scanner};

use crate::args::FramesArgs;
use crate::data::{self, SplitMix64};
use crate::error::{BenchError, BenchResult};
use crate::machine::{self, Machine};
use crate::output;
use crate::stats::{median, ms, p95, timed, us};

/// Width and height of the simulated camera frame (a common analysis resolution).
const CAMERA: (u32, u32) = (1280, 720);
/// Luma of dark and light modules on the simulated screen, and of the desk around it.
const DARK: u8 = 35;
const LIGHT: u8 = 215;
const DESK: u8 = 110;
/// Shown frames after which a trial counts as never completing.
const MAX_SHOWN_PER_NEEDED: usize = 50;

/// One payload at one frame size.
#[derive(Debug, Serialize)]
pub struct FramesRun {
    /// "random" (incompressible) or "json" (a backup-like document).
    pub payload: &'static str,
    /// Payload bytes before the envelope.
    pub payload_bytes: usize,
    /// Bytes the frames carry: the deflated envelope (`envelope::to_bytes`).
    pub envelope_bytes: usize,
    /// `FrameOptions::max_frame_chars`.
    pub max_frame_chars: usize,
    /// Characters of the longest frame text.
    pub frame_chars: usize,
    /// QR version of the rendered frames (the largest, if they differ), ECC level M.
    pub qr_version: u8,
    /// Smallest QR version among the frames.
    pub qr_version_min: u8,
    /// Whether the message fits one code (then no animation is needed).
    pub single_code: bool,
    /// Frames needed at the least (RaptorQ source symbols).
    pub frames_needed: u32,
    /// Distinct frames in the displayed cycle.
    pub cycle_frames: usize,
    /// Frames shown until complete: median over the trials.
    pub shown_median: f64,
    /// ... 95th percentile.
    pub shown_p95: usize,
    /// ... largest.
    pub shown_max: usize,
    /// The same at the display rate, in seconds.
    pub seconds_median: f64,
    /// ... 95th percentile.
    pub seconds_p95: f64,
    /// ... largest.
    pub seconds_max: f64,
    /// Share of the trials complete within the window (30 shown frames by default).
    pub within_window: f64,
    /// Trials that did not complete at all (never expected).
    pub incomplete: usize,
    /// Trials in which the display went round its cycle before completing.
    pub wrapped: usize,
    /// Frames the camera kept until complete, median.
    pub kept_median: f64,
    /// Time of one `FrameAssembler::push`, median, µs.
    pub assembly_push_us: f64,
    /// ... 95th percentile, µs.
    pub assembly_push_p95_us: f64,
    /// ... largest, µs (usually the push that completes the message: the RaptorQ decode).
    pub assembly_push_max_us: f64,
    /// The push that completes the message (RaptorQ decode, envelope check), median, µs.
    pub assembly_complete_push_us: f64,
    /// All pushes of one transfer together, median over the trials, ms.
    pub assembly_per_message_ms: f64,
    /// The camera mode, when run.
    pub scan: Option<ScanRun>,
    /// Whether 95% of the transfers completed within the window.
    pub target_met: bool,
}

/// The camera mode: each kept frame drawn as luma and read by the real `Scanner`.
#[derive(Debug, Serialize)]
pub struct ScanRun {
    /// Trials.
    pub trials: u32,
    /// Pixels per QR module in the camera frame.
    pub pixels_per_module: u32,
    /// Side of the code with its quiet zone, pixels.
    pub code_side_px: u32,
    /// Frames shown until complete, median (a frame the scanner cannot read counts as lost).
    pub shown_median: f64,
    /// ... 95th percentile.
    pub shown_p95: usize,
    /// Share of the trials complete within the window.
    pub within_window: f64,
    /// Kept frames the scanner could not read (never expected on clean frames).
    pub unread_frames: usize,
    /// Time of one `Scanner::push_frame` (QR decode + assembly), median, ms.
    pub push_frame_ms: f64,
    /// ... 95th percentile, ms.
    pub push_frame_p95_ms: f64,
    /// ... largest, ms.
    pub push_frame_max_ms: f64,
}

/// The result of one run.
#[derive(Debug, Serialize)]
pub struct FramesBench {
    /// Which program measured.
    pub tool: &'static str,
    /// Its version.
    pub version: &'static str,
    /// Where it ran.
    pub machine: Machine,
    /// Display rate, frames per second.
    pub fps: u32,
    /// Probability that the camera loses a shown frame.
    pub drop_probability: f64,
    /// The window the target is about, in shown frames (`fps * seconds`).
    pub window_frames: usize,
    /// Text-mode trials per run.
    pub trials: u32,
    /// Camera-mode trials per run.
    pub scan_trials: u32,
    /// RNG seed of the first trial (trial `i` uses `seed + i`).
    pub seed: u64,
    /// `FrameOptions::repair_ratio` of the sequences.
    pub repair_ratio: f32,
    /// Simulated camera frame, pixels.
    pub camera_width: u32,
    /// ... height.
    pub camera_height: u32,
    /// Target side of the code in the camera frame, pixels.
    pub camera_code_px: u32,
    /// One entry per payload and frame size.
    pub runs: Vec<FramesRun>,
}

/// Runs the benchmark and prints the result.
pub fn run(args: &FramesArgs) -> BenchResult {
    if !(0.0..1.0).contains(&args.drop) {
        return Err(BenchError::BadInput(
            "--drop must be at least 0 and below 1".into(),
        ));
    }
    let payloads = [
        ("random", random_payload(args.bytes as usize, args.seed)),
        ("json", json_backup(args.bytes as usize, args.seed)?),
    ];
    let camera = Camera::new(args.code_px);
    let mut runs = Vec::new();
    for (name, payload) in &payloads {
        let message = Envelope {
            kind: MessageKind::Backup,
            payload: payload.clone(),
        };
        for &chars in &args.frame_chars {
            output::progress(&format!("{name} payload, {chars}-character frames"));
            runs.push(run_one(args, &camera, name, &message, chars as usize)?);
        }
    }
    let result = FramesBench {
        tool: "laissez",
        version: env!("CARGO_PKG_VERSION"),
        machine: machine::describe(),
        fps: args.fps,
        drop_probability: args.drop,
        window_frames: window(args),
        trials: args.trials,
        scan_trials: args.scan_trials,
        seed: args.seed,
        repair_ratio: args.repair_ratio,
        camera_width: CAMERA.0,
        camera_height: CAMERA.1,
        camera_code_px: args.code_px,
        runs,
    };
    if args.json {
        output::print_json(&result)
    } else {
        print_table(&result)
    }
}

fn window(args: &FramesArgs) -> usize {
    (args.fps * args.seconds) as usize
}

/// Incompressible bytes (as an encrypted backup is).
pub fn random_payload(len: usize, seed: u64) -> Vec<u8> {
    let mut rng = SplitMix64::new(seed ^ 0x5EED_F00D);
    let mut out = Vec::with_capacity(len + 8);
    while out.len() < len {
        out.extend_from_slice(&rng.next_u64().to_le_bytes());
    }
    out.truncate(len);
    out
}

/// A wallet-backup-like JSON document of at least `len` bytes (a little more: whole
/// records): W3C-VC-like credential records (the store benchmark's 1,500-byte values, each
/// with a random base58 proof) with ids, tags and times.
pub fn json_backup(len: usize, seed: u64) -> BenchResult<Vec<u8>> {
    let mut rng = SplitMix64::new(seed);
    let mut records = Vec::new();
    for i in 0.. {
        let value: serde_json::Value = serde_json::from_slice(&data::make_value(i, &mut rng))
            .map_err(|err| fail(format!("benchmark record is not JSON: {err}")))?;
        let tags: serde_json::Map<String, serde_json::Value> = data::make_tags(i)
            .into_iter()
            .map(|t| (t.name, serde_json::Value::String(t.value)))
            .collect();
        let id = (u128::from(rng.next_u64()) << 64) | u128::from(rng.next_u64());
        records.push(serde_json::json!({
            "id": format!("{id:032x}"),
            "kind": data::KIND,
            "created_at": 1_760_000_000 + 86_400 * i as i64,
            "tags": tags,
            "value": value,
        }));
        let document = serde_json::json!({
            "format": "laissez-backup-example",
            "version": 1,
            "created_at": "2026-11-23T00:00:00Z",
            "records": records,
        });
        let bytes = serde_json::to_vec(&document)?;
        if bytes.len() >= len {
            return Ok(bytes);
        }
    }
    Err(fail("the backup document never reached its size".into()))
}

/// A message's frames and what rendering them showed.
struct Sequence {
    frames: Vec<String>,
    matrices: Vec<QrMatrix>,
    needed: u32,
}

fn sequence(message: &Envelope, chars: usize, repair_ratio: f32) -> BenchResult<Sequence> {
    let options = FrameOptions {
        max_frame_chars: chars,
        one_code_max_chars: 0,
        repair_ratio,
    };
    let frames = frames::encode_for_display(message, &options)
        .map_err(|err| fail(format!("cannot cut the message into frames: {err}")))?;
    let mut matrices = Vec::with_capacity(frames.len());
    for text in &frames {
        let matrix = render::render(text, ErrorCorrection::M)
            .map_err(|err| fail(format!("cannot render a frame: {err}")))?;
        // The version the code really has, from the module count (17 + 4 v).
        if matrix.width != 17 + 4 * u32::from(matrix.version) {
            return Err(fail(
                "rendered matrix size disagrees with its version".into(),
            ));
        }
        matrices.push(matrix);
    }
    let needed = if frames.len() == 1 {
        1
    } else {
        match FrameAssembler::new().push(&frames[0]) {
            Ok(FrameProgress::Incomplete { needed, .. }) => needed,
            _ => return Err(fail("the first frame does not start an assembly".into())),
        }
    };
    Ok(Sequence {
        frames,
        matrices,
        needed,
    })
}

/// What one simulated viewing gave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Watch {
    /// Frames shown until complete; `None` if it never completed.
    pub shown: Option<usize>,
    /// Frames the camera kept until then.
    pub kept: usize,
    /// Whether the display went round its cycle before completing.
    pub wrapped: bool,
}

/// A uniform number in `[0, 1)`.
fn unit(rng: &mut SplitMix64) -> f64 {
    (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
}

/// Simulates one viewing: the display starts at a random frame of the `cycle` and shows
/// them in order, round and round; each is lost with probability `drop`; `take` gets the
/// index of every kept frame and says whether the message is complete.
pub fn watch(
    cycle: usize,
    drop: f64,
    seed: u64,
    max_shown: usize,
    mut take: impl FnMut(usize) -> BenchResult<bool>,
) -> BenchResult<Watch> {
    let mut rng = SplitMix64::new(seed);
    let start = rng.below(cycle);
    let mut kept = 0;
    for shown in 1..=max_shown {
        let index = (start + shown - 1) % cycle;
        if unit(&mut rng) < drop {
            continue;
        }
        kept += 1;
        if take(index)? {
            return Ok(Watch {
                shown: Some(shown),
                kept,
                wrapped: shown > cycle,
            });
        }
    }
    Ok(Watch {
        shown: None,
        kept,
        wrapped: max_shown > cycle,
    })
}

/// Takes one frame text as an app would: a frame into the assembler, a single code decoded.
fn take_text(assembler: &mut FrameAssembler, text: &str, message: &Envelope) -> BenchResult<bool> {
    let rebuilt = if frames::is_frame(text) {
        match assembler.push(text) {
            Ok(FrameProgress::Complete(rebuilt)) => rebuilt,
            Ok(FrameProgress::Incomplete { .. }) => return Ok(false),
            Err(err) => return Err(fail(format!("a frame was refused: {err}"))),
        }
    } else {
        envelope::decode(text).map_err(|err| fail(format!("the single code: {err}")))?
    };
    if &rebuilt != message {
        return Err(fail("the rebuilt message differs from the input".into()));
    }
    Ok(true)
}

/// Frames shown until complete, over the trials (incomplete ones as `usize::MAX`).
struct Counts(Vec<usize>);

impl Counts {
    fn sorted(watches: &[Watch]) -> Self {
        let mut counts: Vec<usize> = watches
            .iter()
            .map(|w| w.shown.unwrap_or(usize::MAX))
            .collect();
        counts.sort_unstable();
        Self(counts)
    }

    /// Median, the mean of the two middle counts when even (as `stats::median`).
    fn median(&self) -> f64 {
        let n = self.0.len();
        match n {
            0 => 0.0,
            n if n % 2 == 1 => self.0[n / 2] as f64,
            n => (self.0[n / 2 - 1] as f64 + self.0[n / 2] as f64) / 2.0,
        }
    }

    /// The count at rank round(0.95 (n - 1)) (as `stats::p95`).
    fn p95(&self) -> usize {
        let n = self.0.len();
        if n == 0 {
            return 0;
        }
        self.0[((0.95 * (n - 1) as f64).round() as usize).min(n - 1)]
    }

    fn max(&self) -> usize {
        self.0.last().copied().unwrap_or(0)
    }

    fn within(&self, window: usize) -> f64 {
        if self.0.is_empty() {
            return 0.0;
        }
        self.0.iter().filter(|&&c| c <= window).count() as f64 / self.0.len() as f64
    }
}

fn median_of(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => 0.0,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

fn run_one(
    args: &FramesArgs,
    camera: &Camera,
    name: &'static str,
    message: &Envelope,
    chars: usize,
) -> BenchResult<FramesRun> {
    let seq = sequence(message, chars, args.repair_ratio)?;
    let cycle = seq.frames.len();
    let max_shown = (seq.needed as usize).max(1) * MAX_SHOWN_PER_NEEDED;
    let window = window(args);

    let mut watches = Vec::with_capacity(args.trials as usize);
    let mut push_times = Vec::new();
    let mut per_message = Vec::with_capacity(args.trials as usize);
    let mut completing = Vec::with_capacity(args.trials as usize);
    for trial in 0..u64::from(args.trials) {
        let mut assembler = FrameAssembler::new();
        let mut total = Duration::ZERO;
        let outcome = watch(cycle, args.drop, args.seed + trial, max_shown, |i| {
            let (done, took) = timed(|| take_text(&mut assembler, &seq.frames[i], message));
            push_times.push(took);
            total += took;
            if matches!(done, Ok(true)) {
                completing.push(took);
            }
            done
        })?;
        if outcome.shown.is_some() {
            per_message.push(total);
        }
        watches.push(outcome);
    }
    let counts = Counts::sorted(&watches);
    let mut kept: Vec<f64> = watches.iter().map(|w| w.kept as f64).collect();

    let scan = if args.scan_trials > 0 {
        Some(scan_run(args, camera, &seq, message, max_shown, &watches)?)
    } else {
        None
    };

    let fps = f64::from(args.fps);
    let seconds = |frames: f64| frames / fps;
    let versions = seq.matrices.iter().map(|m| m.version);
    Ok(FramesRun {
        payload: name,
        payload_bytes: message.payload.len(),
        envelope_bytes: envelope::to_bytes(message).map_or(0, |b| b.len()),
        max_frame_chars: chars,
        frame_chars: seq.frames.iter().map(String::len).max().unwrap_or(0),
        qr_version: versions.clone().max().unwrap_or(0),
        qr_version_min: versions.min().unwrap_or(0),
        single_code: cycle == 1,
        frames_needed: seq.needed,
        cycle_frames: cycle,
        shown_median: counts.median(),
        shown_p95: counts.p95(),
        shown_max: counts.max(),
        seconds_median: seconds(counts.median()),
        seconds_p95: seconds(counts.p95() as f64),
        seconds_max: seconds(counts.max() as f64),
        within_window: counts.within(window),
        incomplete: watches.iter().filter(|w| w.shown.is_none()).count(),
        wrapped: watches.iter().filter(|w| w.wrapped).count(),
        kept_median: median_of(&mut kept),
        assembly_push_us: us(median(&push_times)),
        assembly_push_p95_us: us(p95(&push_times)),
        assembly_push_max_us: push_times.iter().max().map_or(0.0, |d| us(*d)),
        assembly_complete_push_us: us(median(&completing)),
        assembly_per_message_ms: ms(median(&per_message)),
        scan,
        target_met: counts.p95() <= window,
    })
}

/// The simulated camera: a grey desk with sensor grain, the screen's code in the middle.
struct Camera {
    code_px: u32,
    desk: Vec<u8>,
}

impl Camera {
    fn new(code_px: u32) -> Self {
        let (w, h) = CAMERA;
        let mut rng = SplitMix64::new(0x00CA_3E7A);
        let desk = (0..w * h)
            .map(|i| DESK + ((i % w) / 40) as u8 + (rng.next_u64() % 9) as u8)
            .collect();
        Self { code_px, desk }
    }

    /// Pixels per module for a code of `width` modules (at least 2).
    fn scale(&self, width: u32) -> u32 {
        (self.code_px / (width + 2 * QUIET_ZONE)).max(2)
    }

    /// Draws `matrix` into `out` (a copy of the desk), centred, with its quiet zone.
    fn draw(&self, matrix: &QrMatrix, out: &mut Vec<u8>) -> u32 {
        let (w, h) = CAMERA;
        out.clear();
        out.extend_from_slice(&self.desk);
        let scale = self.scale(matrix.width);
        let side = ((matrix.width + 2 * QUIET_ZONE) * scale).min(h);
        let (x0, y0) = ((w - side) / 2, (h - side) / 2);
        for y in 0..side {
            let my = (y / scale).checked_sub(QUIET_ZONE);
            let row = ((y0 + y) * w + x0) as usize;
            for x in 0..side {
                let mx = (x / scale).checked_sub(QUIET_ZONE);
                let dark = matches!((mx, my), (Some(mx), Some(my)) if matrix.is_dark(mx, my));
                let grain = self.desk[row + x as usize] % 9;
                out[row + x as usize] = if dark { DARK } else { LIGHT } + grain;
            }
        }
        side
    }
}

fn scan_run(
    args: &FramesArgs,
    camera: &Camera,
    seq: &Sequence,
    message: &Envelope,
    max_shown: usize,
    text_mode: &[Watch],
) -> BenchResult<ScanRun> {
    let (w, h) = CAMERA;
    let mut pixels = Vec::with_capacity((w * h) as usize);
    let mut times = Vec::new();
    let mut watches = Vec::with_capacity(args.scan_trials as usize);
    let mut unread = 0;
    let mut code_side = 0;
    for trial in 0..u64::from(args.scan_trials) {
        let mut scanner = Scanner::new();
        let unread_before = unread;
        let outcome = watch(
            seq.frames.len(),
            args.drop,
            args.seed + trial,
            max_shown,
            |i| {
                code_side = camera.draw(&seq.matrices[i], &mut pixels);
                let frame = LumaFrame::packed(w, h, &pixels)
                    .map_err(|err| fail(format!("camera frame: {err}")))?;
                let (update, took) = timed(|| scanner.push_frame(&frame));
                times.push(took);
                match update {
                    ScanUpdate::Complete(rebuilt) if &rebuilt == message => Ok(true),
                    ScanUpdate::Complete(_) => {
                        Err(fail("the scanned message differs from the input".into()))
                    }
                    ScanUpdate::Progress { .. } => Ok(false),
                    ScanUpdate::NothingFound => {
                        unread += 1;
                        Ok(false)
                    }
                    other => Err(fail(format!("the scanner refused a frame: {other:?}"))),
                }
            },
        )?;
        // With every kept frame read, the scanner saw what the text mode saw.
        let same_trial = usize::try_from(trial).ok().and_then(|t| text_mode.get(t));
        if unread == unread_before && same_trial.is_some_and(|w| *w != outcome) {
            return Err(fail(format!(
                "camera trial {trial} disagrees with the text mode"
            )));
        }
        watches.push(outcome);
    }
    let counts = Counts::sorted(&watches);
    let width = seq.matrices.first().map_or(0, |m| m.width);
    Ok(ScanRun {
        trials: args.scan_trials,
        pixels_per_module: camera.scale(width),
        code_side_px: code_side,
        shown_median: counts.median(),
        shown_p95: counts.p95(),
        within_window: counts.within(window(args)),
        unread_frames: unread,
        push_frame_ms: ms(median(&times)),
        push_frame_p95_ms: ms(p95(&times)),
        push_frame_max_ms: times.iter().max().map_or(0.0, |d| ms(*d)),
    })
}

fn print_table(r: &FramesBench) -> BenchResult {
    let mut out = std::io::stdout().lock();
    let m = &r.machine;
    writeln!(
        out,
        "laissez {} on {} CPUs ({}), {} MiB, {} {}",
        r.version, m.nproc, m.cpu_model, m.mem_total_mib, m.os, m.kernel
    )?;
    writeln!(
        out,
        "{} fps, each shown frame lost with p = {}, window {} frames ({} s); {} trials \
         (camera mode {}), seed {}, repair ratio {}",
        r.fps,
        r.drop_probability,
        r.window_frames,
        r.window_frames as f64 / f64::from(r.fps),
        r.trials,
        r.scan_trials,
        r.seed,
        r.repair_ratio
    )?;
    writeln!(
        out,
        "{:<7} {:>6} {:>6} {:>5} {:>5} {:>6} {:>5} {:>18} {:>15} {:>7} {:>20} {:>15}",
        "payload",
        "bytes",
        "sent",
        "chars",
        "QR",
        "needed",
        "cycle",
        "shown med/p95/max",
        "s med/p95",
        "<= win",
        "push µs med/p95/done",
        "scan ms med/p95"
    )?;
    for run in &r.runs {
        let version = if run.qr_version == run.qr_version_min {
            format!("{}-M", run.qr_version)
        } else {
            format!("{}..{}", run.qr_version_min, run.qr_version)
        };
        let scan = run.scan.as_ref().map_or_else(
            || "-".to_string(),
            |s| format!("{:.1}/{:.1}", s.push_frame_ms, s.push_frame_p95_ms),
        );
        writeln!(
            out,
            "{:<7} {:>6} {:>6} {:>5} {:>5} {:>6} {:>5} {:>18} {:>15} {:>6.1}% {:>20} {:>15}",
            run.payload,
            run.payload_bytes,
            run.envelope_bytes,
            run.max_frame_chars,
            version,
            run.frames_needed,
            run.cycle_frames,
            format!("{}/{}/{}", run.shown_median, run.shown_p95, run.shown_max),
            format!("{:.1}/{:.1}", run.seconds_median, run.seconds_p95),
            run.within_window * 100.0,
            format!(
                "{:.0}/{:.0}/{:.0}",
                run.assembly_push_us, run.assembly_push_p95_us, run.assembly_complete_push_us
            ),
            scan,
        )?;
    }
    writeln!(
        out,
        "\ntarget: complete within {} s in 95% of the transfers, at {} fps with p = {} loss",
        r.window_frames as f64 / f64::from(r.fps),
        r.fps,
        r.drop_probability
    )?;
    for run in &r.runs {
        let scan = run.scan.as_ref().map_or_else(String::new, |s| {
            format!(
                "; camera mode: median {} shown, {:.0}% within, {} unread, {} px/module",
                s.shown_median,
                s.within_window * 100.0,
                s.unread_frames,
                s.pixels_per_module
            )
        });
        writeln!(
            out,
            "  {:<6} {:>4} chars (version {}): {}{}",
            run.payload,
            run.max_frame_chars,
            run.qr_version,
            if run.target_met { "met" } else { "NOT met" },
            scan
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simulation_rebuilds_the_input_and_is_repeatable() {
        let message = Envelope {
            kind: MessageKind::Backup,
            payload: random_payload(20_000, 1),
        };
        let seq = sequence(&message, 970, 4.0).unwrap();
        assert!(seq.matrices.iter().all(|m| m.version == 20));
        assert!(
            seq.needed > 30,
            "20 KB needs more than 30 version-20 frames"
        );
        assert_eq!(seq.frames.len(), seq.needed as usize * 5);
        let run = |seed| {
            let mut assembler = FrameAssembler::new();
            watch(seq.frames.len(), 0.25, seed, 2_000, |i| {
                take_text(&mut assembler, &seq.frames[i], &message)
            })
            .unwrap()
        };
        let first = run(7);
        let shown = first.shown.unwrap();
        // At least the frames needed were kept, and roughly a quarter were lost.
        assert!(first.kept >= seq.needed as usize && first.kept <= seq.needed as usize + 3);
        assert!(shown > first.kept && shown < 2 * first.kept);
        assert_eq!(run(7), first);
    }

    #[test]
    fn without_loss_the_needed_frames_suffice() {
        let message = Envelope {
            kind: MessageKind::Backup,
            payload: random_payload(5_000, 2),
        };
        let seq = sequence(&message, 970, 4.0).unwrap();
        let mut assembler = FrameAssembler::new();
        let outcome = watch(seq.frames.len(), 0.0, 3, 1_000, |i| {
            take_text(&mut assembler, &seq.frames[i], &message)
        })
        .unwrap();
        let shown = outcome.shown.unwrap();
        assert_eq!(shown, outcome.kept);
        assert!(shown >= seq.needed as usize && shown <= seq.needed as usize + 2);
    }

    #[test]
    fn json_backup_compresses_and_random_does_not() {
        let json = json_backup(20_000, 1).unwrap();
        assert!(json.len() >= 20_000 && json.len() < 22_000);
        let sent = |payload: Vec<u8>| {
            envelope::to_bytes(&Envelope {
                kind: MessageKind::Backup,
                payload,
            })
            .unwrap()
            .len()
        };
        assert!(sent(json) < 15_000);
        assert!(sent(random_payload(20_000, 1)) > 20_000);
    }
}
