//! Animated-sequence frames (`LZF1:`): a stream of frame texts, split at newlines, into one
//! assembler (order, duplicates, mixed messages, hostile sizes).
#![no_main]

use libfuzzer_sys::fuzz_target;
use laissez_qr::FrameAssembler;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut assembler = FrameAssembler::new();
    for line in text.lines().take(64) {
        let _ = assembler.push(line);
    }
    let _ = assembler.progress();
});
