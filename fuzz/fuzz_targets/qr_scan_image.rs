//! QR images as the app receives them: bytes of an image file to `scan::scan_image` (PNG or
//! JPEG decoding, then every scanning pass), and the same bytes as a camera luma frame to
//! `scan::scan_frame` and a `Scanner` session.
//!
//! Luma frame layout: byte 0 width - 1, byte 1 height - 1 (1 to 256 pixels each), byte 2
//! the row padding (`stride = width + (b & 0x7f)`, or with the top bit set a raw stride
//! `b & 0x7f`, which may be smaller than the width), byte 3 bit 0 the effort (camera or
//! thorough); the pixels follow, and a buffer too short for the sizes is an error, not a
//! panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use laissez_qr::scan::{self, MAX_IMAGE_FILE_LEN};
use laissez_qr::{LumaFrame, ScanEffort, ScanError, Scanner};

fuzz_target!(|data: &[u8]| {
    // The documented file limit: anything larger is refused before any decoding.
    if data.len() > MAX_IMAGE_FILE_LEN {
        assert_eq!(scan::scan_image(data), Err(ScanError::ImageFileTooLarge));
        return;
    }
    if let Ok(codes) = scan::scan_image(data) {
        for code in &codes {
            let _ = Scanner::new().push_text(&code.text);
        }
    }
    let [w, h, pad, flags, pixels @ ..] = data else {
        return;
    };
    let width = u32::from(*w) + 1;
    let height = u32::from(*h) + 1;
    let stride = if pad & 0x80 == 0 {
        width + u32::from(pad & 0x7f)
    } else {
        u32::from(pad & 0x7f)
    };
    let effort = if flags & 1 == 0 {
        ScanEffort::Camera
    } else {
        ScanEffort::Thorough
    };
    let Ok(frame) = LumaFrame::new(width, height, stride, pixels) else {
        return;
    };
    assert_eq!((frame.width(), frame.height()), (width, height));
    let codes = scan::scan_frame(&frame, effort);
    let mut scanner = Scanner::with_effort(effort);
    let _ = scanner.push_codes(codes.iter().map(|c| c.text.as_str()));
    let _ = scanner.progress();
});
