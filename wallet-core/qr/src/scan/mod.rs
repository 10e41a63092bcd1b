//! Reading QR codes: from camera luma frames and, with the `image-files` feature, PNG and
//! JPEG files, with `rxing` (a Rust port of ZXing-C++), and a [`Scanner`] session that turns a
//! stream of frames into Laissez messages.
//!
//! # Decoding strategy
//!
//! A frame goes through a fixed chain of passes ([`PASSES`]) that stops at the first pass
//! reading at least one code, so an easy frame costs one pass and only hard frames pay for
//! the fallbacks (`docs/BENCHMARKS.md`, "QR scanning", has the measurements):
//!
//! 1. frames whose shorter side is at least [`DOWNSCALE_MIN_SIDE`] are first read at half
//!    size: a quarter of the work, and the 2x2 averaging also removes sensor noise;
//! 2. the full-size frame (small modules);
//! 3. the contrast stretched to the full range, when the frame spans less than 180 grey
//!    levels (a local binarizer takes blocks of less than 24 levels for flat background, so
//!    a low-contrast code is otherwise invisible);
//! 4. a denser finder-pattern search (rxing's TRY_HARDER);
//! 5. sharpened (unsharp mask), dense search: blur and motion blur (only when an earlier
//!    pass saw finder patterns, so frames without a code stay cheap);
//! 6. with [`ScanEffort::Thorough`] only (still images): local contrast normalisation
//!    (glare, deep shadow), then the negative (light codes on dark ground).
//!
//! # Camera frames: a work budget per frame
//!
//! A [`Scanner`] made with [`Scanner::new`] (what the apps' camera screens use) scans
//! continuously ([`ContinuousScan`]): each frame gets a fixed budget of work units
//! ([`FRAME_BUDGET_UNITS`], counted, not timed), and the fallback passes a frame could not
//! afford run on the following frames, from where the last one stopped. A full-size pass that
//! costs more than [`PIECE_UNITS`] on a frame is read in overlapping crops ([`Pass::crops`],
//! neighbours overlapping by [`CROP_OVERLAP`] pixels), one or more a frame, and the camera
//! chain has half-size versions of the fallbacks for the codes too large for a crop. A phone
//! 3-5 times slower than the benchmark machine then never holds the camera for long, and a
//! code only a fallback reads is still read, a few frames later (ADR 0015). A still image ([`scan_frame`], [`scan_image`] with the `image-files` feature,
//! [`Scanner::with_effort`]) gets every pass at once.
//!
//! Binarization is our own implementation of ZXing's local-average ("hybrid") method,
//! bit-identical to rxing's but about three times faster under the size-optimised release
//! profile. Finder patterns are grouped by our own port of ZXing-C++'s grouping, which
//! avoids an rxing 0.9.3 ordering bug that loses strongly tilted codes; detection, sampling
//! and decoding are rxing's (ZXing-C++ port). Every pass is fenced by `catch_unwind`: a decoder
//! bug on a hostile image is a "nothing found" for that pass, never a crash of the app.
//!
//! Only raw text is returned (and the content bytes). The text is the content as UTF-8 when it
//! is valid UTF-8, otherwise one character per byte (ISO-8859-1): no character-set guess, and
//! no `encoding_rs` tables in the library (ADR 0009). Laissez codes are Base45 in
//! alphanumeric mode.
//!
//! # Layout
//!
//! `frame` (the pixels given and the codes read), `error`, `passes` (the chain above),
//! `filters` (pixel preparation), `binarize` and `swar` (the local-average binarizer and its
//! eight-pixels-a-word arithmetic), `detect` (finder patterns to decoded codes), `session`
//! (the [`Scanner`]) and `image_file` (PNG and JPEG input).

mod binarize;
mod detect;
mod error;
mod filters;
mod frame;
#[cfg(feature = "image-files")]
mod image_file;
mod passes;
mod session;
mod swar;
#[cfg(test)]
mod testing;

pub use error::ScanError;
pub use frame::{LumaFrame, LumaImage, MAX_PIXELS, MAX_SIDE, ScannedCode};
#[cfg(feature = "image-files")]
pub use image_file::{MAX_IMAGE_FILE_LEN, decode_image, scan_image};
pub use passes::{
    ATTEMPT_UNITS, Binarize, CROP_OVERLAP, ContinuousScan, Crop, DOWNSCALE_MIN_SIDE,
    FRAME_BUDGET_UNITS, FinderSearch, MAX_CROPS_PER_SIDE, PASSES, PIECE_UNITS, Pass, Prepare,
    Scale, ScanEffort, run_single_pass, scan_frame, scan_frame_with,
};
pub use session::{ScanUpdate, Scanner};
