//! The decoding passes: the fixed fallback chain of the module docs ([`PASSES`]), each pass a
//! scale, a pixel preparation, a binarizer and a finder-pattern search, run until one reads a
//! code.

use std::borrow::Cow;
use std::panic::{AssertUnwindSafe, catch_unwind};

use rxing::common::{GlobalHistogramBinarizer, HybridBinarizer};
use rxing::{Binarizer, Luma8Source};

use super::binarize::local_average_matrix;
use super::detect::{Decoded, read_codes, to_code};
use super::filters::{halve, local_normalize, sharpen, stretch};
use super::{LumaFrame, ScannedCode};

/// Frames whose shorter side is at least this many pixels are first read at half size.
pub const DOWNSCALE_MIN_SIDE: u32 = 700;

/// How hard to look before giving up on a frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ScanEffort {
    /// Camera preview: the chain up to sharpening (passes 1-5 of the module docs); a frame
    /// without a code costs a few milliseconds, and the next frame comes anyway.
    #[default]
    Camera,
    /// Still images (files, photos): also local contrast normalisation and the negative.
    Thorough,
}

/// Which binarizer a pass uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[doc(hidden)]
pub enum Binarize {
    /// rxing's HybridBinarizer (local thresholds in 8x8 blocks over a 5x5 block window).
    Hybrid,
    /// The same local-average method, written here for speed, with a given least range of
    /// grey levels for a block to count as holding an edge (ZXing uses 24).
    Local(u8),
    /// rxing's GlobalHistogramBinarizer (one threshold per row band from a histogram).
    Global,
}

/// Pixel preparation before binarizing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[doc(hidden)]
pub enum Prepare {
    /// As is.
    None,
    /// Histogram stretch: 0.5th..99.5th percentile to 0..255.
    Stretch,
    /// Local contrast normalisation: each pixel against the mean and range around it.
    LocalNormalize,
    /// Unsharp mask (against blur).
    Sharpen,
    /// Negative (light code on dark ground).
    Invert,
}

/// The size a pass reads a frame at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[doc(hidden)]
pub enum Scale {
    /// As given.
    Full,
    /// Half size (2x2 box average); the pass is skipped on frames whose shorter side is under
    /// [`DOWNSCALE_MIN_SIDE`].
    Half,
}

/// How densely finder patterns are searched for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[doc(hidden)]
pub enum FinderSearch {
    /// rxing's default search.
    Normal,
    /// rxing's TRY_HARDER: a denser finder-pattern search (small, tilted or noisy codes).
    Dense,
}

/// One decoding pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[doc(hidden)]
pub struct Pass {
    /// The size the frame is read at.
    pub scale: Scale,
    /// Pixel preparation.
    pub prepare: Prepare,
    /// Binarizer.
    pub binarize: Binarize,
    /// How densely finder patterns are searched for.
    pub finder_search: FinderSearch,
    /// Only with [`ScanEffort::Thorough`].
    pub thorough_only: bool,
    /// Only when an earlier pass saw at least two finder patterns (something QR-like is
    /// there): keeps frames without a code cheap.
    pub needs_patterns: bool,
}

impl Pass {
    /// A pass that runs on every frame (neither thorough-only nor gated on finder patterns).
    pub const fn new(
        scale: Scale,
        prepare: Prepare,
        binarize: Binarize,
        finder_search: FinderSearch,
    ) -> Pass {
        Pass {
            scale,
            prepare,
            binarize,
            finder_search,
            thorough_only: false,
            needs_patterns: false,
        }
    }
}

/// Short for [`Pass::new`], so the table below reads one pass per line.
const fn pass(
    scale: Scale,
    prepare: Prepare,
    binarize: Binarize,
    finder_search: FinderSearch,
) -> Pass {
    Pass::new(scale, prepare, binarize, finder_search)
}

/// The fallback chain, in order; measured on the benchmark frame set (see the module docs
/// and `docs/BENCHMARKS.md`).
#[doc(hidden)]
#[rustfmt::skip] // One pass per line, to read as a table (rustfmt spreads each over six).
pub const PASSES: &[Pass] = &[
    // Large frames at half size: most codes, a quarter of the work.
    pass(Scale::Half, Prepare::None, Binarize::Local(24), FinderSearch::Normal),
    // Full size: small modules.
    pass(Scale::Full, Prepare::None, Binarize::Local(24), FinderSearch::Normal),
    // Low contrast (only when the frame spans less than 180 grey levels).
    pass(Scale::Full, Prepare::Stretch, Binarize::Local(24), FinderSearch::Normal),
    // Denser finder-pattern search: small, tilted or noisy codes.
    pass(Scale::Full, Prepare::None, Binarize::Local(24), FinderSearch::Dense),
    // Blur and motion blur.
    Pass {
        needs_patterns: true,
        ..pass(Scale::Full, Prepare::Sharpen, Binarize::Local(24), FinderSearch::Dense)
    },
    // Still images only: glare and deep shadow, then light-on-dark codes.
    Pass {
        thorough_only: true,
        ..pass(Scale::Full, Prepare::LocalNormalize, Binarize::Local(24), FinderSearch::Dense)
    },
    Pass {
        thorough_only: true,
        ..pass(Scale::Full, Prepare::Invert, Binarize::Local(24), FinderSearch::Normal)
    },
];

/// Reads every QR code in a frame. An empty list means nothing readable was found.
pub fn scan_frame(frame: &LumaFrame<'_>, effort: ScanEffort) -> Vec<ScannedCode> {
    let chain: Vec<Pass> = PASSES
        .iter()
        .filter(|p| !p.thorough_only || effort == ScanEffort::Thorough)
        .copied()
        .collect();
    scan_frame_with(frame, &chain)
}

/// Runs a chain of passes, stopping at the first that reads something (for measuring).
#[doc(hidden)]
pub fn scan_frame_with(frame: &LumaFrame<'_>, passes: &[Pass]) -> Vec<ScannedCode> {
    let mut cache = Prepared::new(frame);
    for p in passes {
        if !cache.fits(p) {
            continue;
        }
        if p.needs_patterns && cache.most_patterns < 2 {
            continue;
        }
        let found = cache.run(p);
        if !found.is_empty() {
            return found;
        }
    }
    Vec::new()
}

/// Runs one pass alone (for measuring the chain).
#[doc(hidden)]
pub fn run_single_pass(frame: &LumaFrame<'_>, p: &Pass) -> Option<Vec<ScannedCode>> {
    let mut cache = Prepared::new(frame);
    if !cache.fits(p) {
        return None;
    }
    Some(cache.run(p))
}

/// A frame and the derived images the passes share (computed at most once each).
struct Prepared<'p> {
    full: Cow<'p, [u8]>,
    width: u32,
    height: u32,
    half: Option<(Vec<u8>, u32, u32)>,
    /// Most finder patterns any pass has seen.
    most_patterns: usize,
}

impl<'p> Prepared<'p> {
    fn new(frame: &LumaFrame<'p>) -> Self {
        Self {
            full: frame.packed_pixels(),
            width: frame.width(),
            height: frame.height(),
            half: None,
            most_patterns: 0,
        }
    }

    /// Whether pass `p` runs on this frame: half size only for large frames.
    fn fits(&self, p: &Pass) -> bool {
        p.scale == Scale::Full || self.width.min(self.height) >= DOWNSCALE_MIN_SIDE
    }

    fn run(&mut self, p: &Pass) -> Vec<ScannedCode> {
        let (base, w, h, scale): (&[u8], u32, u32, f32) = match p.scale {
            Scale::Half => {
                if self.half.is_none() {
                    self.half = Some(halve(&self.full, self.width, self.height));
                }
                match &self.half {
                    Some((pixels, w, h)) => (pixels, *w, *h, 2.0),
                    None => return Vec::new(),
                }
            }
            Scale::Full => (&self.full, self.width, self.height, 1.0),
        };
        let prepared: Cow<'_, [u8]> = match p.prepare {
            Prepare::None => Cow::Borrowed(base),
            Prepare::Stretch => match stretch(base) {
                Some(s) => Cow::Owned(s),
                None => return Vec::new(),
            },
            Prepare::LocalNormalize => Cow::Owned(local_normalize(base, w, h)),
            Prepare::Sharpen => Cow::Owned(sharpen(base, w, h)),
            Prepare::Invert => Cow::Owned(base.iter().map(|v| 255 - v).collect()),
        };
        let (results, patterns) = decode(&prepared, w, h, p.binarize, p.finder_search);
        self.most_patterns = self.most_patterns.max(patterns);
        results.into_iter().map(|r| to_code(r, scale)).collect()
    }
}

fn decode(
    pixels: &[u8],
    width: u32,
    height: u32,
    b: Binarize,
    finder_search: FinderSearch,
) -> (Vec<Decoded>, usize) {
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let matrix = match b {
            Binarize::Local(min_range) => local_average_matrix(pixels, width, height, min_range)?,
            Binarize::Hybrid => {
                let source = Luma8Source::new_with_slice(pixels, width, height).ok()?;
                HybridBinarizer::new(source)
                    .get_black_matrix()
                    .ok()?
                    .clone()
            }
            Binarize::Global => {
                let source = Luma8Source::new_with_slice(pixels, width, height).ok()?;
                GlobalHistogramBinarizer::new(source)
                    .get_black_matrix()
                    .ok()?
                    .clone()
            }
        };
        Some(read_codes(&matrix, finder_search))
    }));
    outcome.ok().flatten().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;
    use crate::scan::testing::hostile_inputs;

    #[test]
    fn hostile_frames_give_nothing() {
        for bytes in hostile_inputs() {
            // Random pixels: nothing found, no panic.
            let side = (bytes.len() as f64).sqrt() as u32;
            let frame = LumaFrame::packed(side, side, &bytes).unwrap();
            assert!(scan_frame(&frame, ScanEffort::Thorough).is_empty());
        }
    }
}
