//! QR scanning benchmark, side by side with ZXing-C++ (see docs/BENCHMARKS.md, "QR scanning").
//!
//! ```text
//! ../shared/bench/qr_frames.sh OUT 20261122            # frames + the ZXing-C++ peer
//! cargo run --release -p wallet-core --example qr_scan_bench -- frames OUT/img RESULTS/laissez.tsv
//! /tmp/qr-bench-venv/bin/python ../shared/bench/qr_summarize.py OUT RESULTS
//! cargo run --release -p wallet-core --example qr_scan_bench -- e2e
//! cargo run --release -p wallet-core --example qr_scan_bench -- passes OUT
//! cargo run --release -p wallet-core --example qr_scan_bench -- dcc ../shared/vectors/dcc-qr
//! ```
//!
//! `frames`: decodes every PNG of a folder (loaded as luma before the clock starts; one
//! warm-up decode, as the peer script does) with `scan_frame` at camera effort and writes
//! `file, ok, decode_us, payload_hex` rows. `e2e`: a 1920x1080 frame holding a ~900-character
//! envelope, from luma to the decoded message through a `Scanner` session. `passes`: each
//! decoding pass alone on every frame (exact payload match against `manifest.jsonl`), then
//! the chain as `scan_frame` runs it, pass by pass: what each fallback buys. `dcc`: the EU
//! DCC real-world PNGs through `scan_image` (PNG decoding included in the time).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Instant;

use wallet_core::qr::envelope::{self, Envelope, MessageKind};
use wallet_core::qr::render::{self, ErrorCorrection, QUIET_ZONE};
use wallet_core::qr::scan::{self, LumaFrame, ScanEffort, ScanUpdate, Scanner};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("frames") if args.len() == 3 => frames(&args[1], &args[2]),
        Some("e2e") => e2e(),
        Some("passes") if args.len() == 2 => passes(&args[1]),
        Some("dcc") if args.len() == 2 => dcc(&args[1]),
        _ => {
            eprintln!(
                "usage: qr_scan_bench frames IMG_DIR OUT.tsv | e2e | passes FRAMES_DIR | dcc DIR"
            );
            std::process::exit(2);
        }
    }
}

fn frames(dir: &str, out: &str) {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "png"))
        .collect();
    files.sort();
    let load = |p: &std::path::Path| scan::decode_image(&std::fs::read(p).unwrap()).unwrap();
    if let Some(first) = files.first() {
        let image = load(first);
        let _ = scan::scan_frame(&image.as_frame().unwrap(), ScanEffort::Camera);
    }
    let mut rows = String::new();
    let mut times = Vec::new();
    for path in &files {
        let image = load(path);
        let frame = image.as_frame().unwrap();
        let start = Instant::now();
        let codes = scan::scan_frame(&frame, ScanEffort::Camera);
        let us = start.elapsed().as_secs_f64() * 1e6;
        times.push(us / 1000.0);
        let name = path.file_name().unwrap().to_string_lossy();
        let (ok, payload) = match codes.first() {
            Some(code) => (1, hex::encode(&code.bytes)),
            None => (0, String::new()),
        };
        rows.push_str(&format!("{name}\t{ok}\t{us:.0}\t{payload}\n"));
    }
    std::fs::write(out, rows).unwrap();
    let (median, p95) = quantiles(&mut times);
    println!(
        "{} frames, median {median:.2} ms, p95 {p95:.2} ms -> {out}",
        files.len()
    );
}

fn passes(dir: &str) {
    use scan::{Binarize, PASSES, Pass, Prepare};
    let manifest = std::fs::read_to_string(format!("{dir}/manifest.jsonl")).unwrap();
    let mut frames = Vec::new();
    for line in manifest.lines() {
        let entry: serde_json::Value = serde_json::from_str(line).unwrap();
        let file = entry["file"].as_str().unwrap();
        let bytes = std::fs::read(format!("{dir}/img/{file}")).unwrap();
        let expected = entry["expected"].as_str().unwrap().to_owned();
        frames.push((scan::decode_image(&bytes).unwrap(), expected));
    }
    let with_qr = frames.iter().filter(|(_, e)| !e.is_empty()).count();
    let plain = |half, prepare, binarize, try_harder| Pass {
        half,
        prepare,
        binarize,
        try_harder,
        thorough_only: false,
        needs_patterns: false,
    };
    // The chain's passes, then alternatives that were measured and left out.
    let mut candidates: Vec<(String, Pass)> = PASSES
        .iter()
        .enumerate()
        .map(|(i, p)| (format!("chain {}", i + 1), *p))
        .collect();
    for (name, p) in [
        (
            "rxing HybridBinarizer",
            plain(false, Prepare::None, Binarize::Hybrid, false),
        ),
        (
            "rxing GlobalHistogramBinarizer",
            plain(false, Prepare::None, Binarize::Global, false),
        ),
        (
            "local, min range 8",
            plain(false, Prepare::None, Binarize::Local(8), false),
        ),
        (
            "half, stretched",
            plain(true, Prepare::Stretch, Binarize::Local(24), false),
        ),
        (
            "half, TRY_HARDER",
            plain(true, Prepare::None, Binarize::Local(24), true),
        ),
        (
            "sharpened, no TRY_HARDER",
            plain(false, Prepare::Sharpen, Binarize::Local(24), false),
        ),
    ] {
        candidates.push((name.to_owned(), p));
    }
    println!("| pass | half | prepare | binarizer | TRY_HARDER | read alone | median ms |");
    println!("|---|---|---|---|---|---|---|");
    for (name, p) in &candidates {
        let mut ok = 0;
        let mut times = Vec::new();
        for (image, expected) in &frames {
            let start = Instant::now();
            let found = scan::run_single_pass(&image.as_frame().unwrap(), p);
            times.push(start.elapsed().as_secs_f64() * 1000.0);
            let hit = found.is_some_and(|codes| {
                !expected.is_empty() && codes.iter().any(|c| hex::encode(&c.bytes) == *expected)
            });
            ok += usize::from(hit);
        }
        let (median, _) = quantiles(&mut times);
        println!(
            "| {name} | {} | {:?} | {:?} | {} | {ok}/{with_qr} | {median:.2} |",
            p.half, p.prepare, p.binarize, p.try_harder
        );
    }
    println!("\n| chain up to | read | median ms | p95 ms |\n|---|---|---|---|");
    for last in 1..=PASSES.len() {
        let mut ok = 0;
        let mut times = Vec::new();
        for (image, expected) in &frames {
            let start = Instant::now();
            let codes = scan::scan_frame_with(&image.as_frame().unwrap(), &PASSES[..last]);
            times.push(start.elapsed().as_secs_f64() * 1000.0);
            ok += usize::from(
                !expected.is_empty() && codes.iter().any(|c| hex::encode(&c.bytes) == *expected),
            );
        }
        let (median, p95) = quantiles(&mut times);
        println!("| pass {last} | {ok}/{with_qr} | {median:.2} | {p95:.2} |");
    }
}

fn dcc(dir: &str) {
    let manifest = std::fs::read_to_string(format!("{dir}/manifest.tsv")).unwrap();
    let (mut ok, mut total) = (0, 0);
    let mut times = Vec::new();
    for line in manifest.lines().skip(1) {
        let (file, expected) = line.split_once('\t').unwrap();
        let bytes = std::fs::read(format!("{dir}/png/{file}")).unwrap();
        let start = Instant::now();
        let codes = scan::scan_image(&bytes);
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        total += 1;
        if codes.is_ok_and(|codes| codes.iter().any(|c| c.text == expected)) {
            ok += 1;
        } else {
            println!("not read: {file}");
        }
    }
    let (median, p95) = quantiles(&mut times);
    println!("dcc-qr: {ok}/{total} read, median {median:.2} ms, p95 {p95:.2} ms per image");
}

fn e2e() {
    let message = Envelope {
        kind: MessageKind::StaticPresentation,
        payload: noise(560),
    };
    let text = envelope::encode(&message).unwrap();
    let start = Instant::now();
    let matrix = render::render(&text, ErrorCorrection::M).unwrap();
    let render_ms = start.elapsed().as_secs_f64() * 1000.0;
    // A phone screen about a third of the frame high: 6 px per module, on a grey desk.
    let (w, h, scale) = (1920u32, 1080u32, 6u32);
    let side = (matrix.width + 2 * QUIET_ZONE) * scale;
    let (x0, y0) = (700u32, 200u32);
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
    let frame = LumaFrame::packed(w, h, &pixels).unwrap();
    let mut times = Vec::new();
    for _ in 0..60 {
        let mut scanner = Scanner::new();
        let start = Instant::now();
        let update = scanner.push_frame(&frame);
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        assert_eq!(update, ScanUpdate::Complete(message.clone()));
    }
    let (median, p95) = quantiles(&mut times);
    println!(
        "e2e: {}-character envelope, QR version {} at M, 1920x1080 luma -> message: \
         median {median:.2} ms, p95 {p95:.2} ms (render to matrix {render_ms:.2} ms)",
        text.len(),
        matrix.version
    );
}

fn quantiles(times: &mut [f64]) -> (f64, f64) {
    times.sort_by(f64::total_cmp);
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    (at(0.5), at(0.95))
}

fn noise(len: usize) -> Vec<u8> {
    let mut x: u32 = 0x2545_f491;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            (x >> 24) as u8
        })
        .collect()
}
