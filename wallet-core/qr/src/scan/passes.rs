//! The decoding passes: the fixed fallback chain of the module docs ([`PASSES`]), each pass a
//! scale, a pixel preparation, a binarizer and a finder-pattern search, run until one reads a
//! code.

use std::borrow::Cow;
use std::panic::{AssertUnwindSafe, catch_unwind};

use rxing::common::{GlobalHistogramBinarizer, HybridBinarizer};
use rxing::{Binarizer, Luma8Source};

use super::binarize::local_average_matrix;
use super::detect::{Attempts, Read, read_codes, to_code};
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

/// Work units one camera frame of a continuous scan may take ([`ContinuousScan`]). A unit is
/// about a microsecond of this project's benchmark machine (`docs/BENCHMARKS.md`), but it is
/// counted, not timed: the same frames always get the same work, on any phone. 1,500 units
/// is one pass on a 720p or 1080p frame (the half-size pass on the first), which kept the
/// first frame's p95 under ZXing-C++'s on the shared frame set (ADR 0015).
pub const FRAME_BUDGET_UNITS: u64 = 1_500;

/// Work units of one attempted finder-pattern triple (sampling its grid and decoding it).
pub const ATTEMPT_UNITS: u64 = 25;

impl Pass {
    /// The work units of this pass on a `width` x `height` frame, before any decode attempt:
    /// the pixels it reads (a quarter at half size) times a cost per pixel for its
    /// preparation, binarization and finder-pattern search, measured on the benchmark frame
    /// set.
    pub fn units(&self, width: u32, height: u32) -> u64 {
        let pixels = u64::from(width) * u64::from(height);
        let pixels = match self.scale {
            Scale::Full => pixels,
            Scale::Half => pixels / 4,
        };
        // Units per million pixels.
        let search = match self.finder_search {
            FinderSearch::Normal => 1_400,
            FinderSearch::Dense => 2_800,
        };
        // A stretched or sharpened frame has far more edges for the binarizer and the
        // finder-pattern search than the same frame as is.
        let prepare = match self.prepare {
            Prepare::None => 0,
            Prepare::Invert => 300,
            Prepare::Sharpen | Prepare::LocalNormalize => 1_400,
            Prepare::Stretch => 400,
        };
        pixels.saturating_mul(search + prepare) / 1_000_000
    }
}

/// A continuous camera scan: the camera passes of [`PASSES`] spread over successive frames
/// within a work budget per frame ([`FRAME_BUDGET_UNITS`]), so that no frame stalls the
/// camera, remembering where the last frame stopped.
///
/// Each frame runs passes from where the previous one stopped, while the budget lasts (at
/// least one pass), and a frame that completes the chain stops there; the next frame starts
/// again from the first pass. A pass is charged its [`Pass::units`] and [`ATTEMPT_UNITS`] for
/// each finder-pattern triple it tried (at most 32); a pass is never cut short: the finder
/// search is most of its cost, and it would be paid again. An easy code is read on the first frame that shows it (the first passes are the
/// cheap ones); a frame that only a fallback reads is read a few frames later, when that
/// fallback's turn comes; on frames that stay the same, the passes run and read exactly what
/// [`scan_frame`] at [`ScanEffort::Camera`] reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContinuousScan {
    budget: u64,
    /// Index in the camera chain of the pass the next frame starts with.
    next_pass: usize,
    /// Most finder patterns seen since the chain last started (gates the sharpening pass).
    patterns_seen: usize,
}

impl Default for ContinuousScan {
    fn default() -> Self {
        Self::with_budget(FRAME_BUDGET_UNITS)
    }
}

impl ContinuousScan {
    /// A scan with the default budget per frame.
    pub fn new() -> Self {
        Self::default()
    }

    /// A scan with `units` of work per frame (at least one pass a frame).
    pub fn with_budget(units: u64) -> Self {
        Self {
            budget: units,
            next_pass: 0,
            patterns_seen: 0,
        }
    }

    /// Starts again from the first pass (a new scan).
    pub fn reset(&mut self) {
        *self = Self::with_budget(self.budget);
    }

    /// The index in the camera chain of the pass the next frame starts with (0: the first).
    pub fn next_pass(&self) -> usize {
        self.next_pass
    }

    /// Reads the codes of one camera frame within the budget; an empty list means nothing was
    /// found in the passes that ran.
    pub fn scan(&mut self, frame: &LumaFrame<'_>) -> Vec<ScannedCode> {
        self.scan_counting(frame).0
    }

    /// [`ContinuousScan::scan`], also giving the work units spent (for measuring).
    #[doc(hidden)]
    pub fn scan_counting(&mut self, frame: &LumaFrame<'_>) -> (Vec<ScannedCode>, u64) {
        let chain: Vec<&Pass> = PASSES.iter().filter(|p| !p.thorough_only).collect();
        let mut cache = Prepared::new(frame);
        cache.most_patterns = self.patterns_seen;
        let mut spent = 0u64;
        let mut worked = false;
        while let Some(&p) = chain.get(self.next_pass) {
            let gated = p.needs_patterns && cache.most_patterns < 2;
            if !cache.fits(p) || gated {
                self.advance(&chain, cache.most_patterns);
                if self.next_pass == 0 {
                    break;
                }
                continue;
            }
            let units = p.units(frame.width(), frame.height());
            if worked && spent.saturating_add(units) > self.budget {
                break;
            }
            let outcome = cache.run_window(p, Attempts::ALL);
            self.patterns_seen = self.patterns_seen.max(cache.most_patterns);
            if outcome.ran {
                worked = true;
                spent = spent
                    .saturating_add(units)
                    .saturating_add(ATTEMPT_UNITS.saturating_mul(outcome.tried as u64));
            }
            if !outcome.codes.is_empty() {
                self.reset();
                return (outcome.codes, spent);
            }
            self.advance(&chain, cache.most_patterns);
            if self.next_pass == 0 {
                // The chain is complete; the next frame starts it again.
                break;
            }
        }
        (Vec::new(), spent)
    }

    /// Moves to the next pass of `chain`, back to the first after the last.
    fn advance(&mut self, chain: &[&Pass], patterns: usize) {
        self.next_pass += 1;
        self.patterns_seen = self.patterns_seen.max(patterns);
        if self.next_pass >= chain.len() {
            self.next_pass = 0;
            self.patterns_seen = 0;
        }
    }
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
        self.run_window(p, Attempts::ALL).codes
    }

    /// Runs pass `p`, trying the finder-pattern triples `attempts` says.
    fn run_window(&mut self, p: &Pass, attempts: Attempts) -> PassOutcome {
        let (base, w, h, scale): (&[u8], u32, u32, f32) = match p.scale {
            Scale::Half => {
                if self.half.is_none() {
                    self.half = Some(halve(&self.full, self.width, self.height));
                }
                match &self.half {
                    Some((pixels, w, h)) => (pixels, *w, *h, 2.0),
                    None => return PassOutcome::SKIPPED,
                }
            }
            Scale::Full => (&self.full, self.width, self.height, 1.0),
        };
        let prepared: Cow<'_, [u8]> = match p.prepare {
            Prepare::None => Cow::Borrowed(base),
            Prepare::Stretch => match stretch(base) {
                Some(s) => Cow::Owned(s),
                None => return PassOutcome::SKIPPED,
            },
            Prepare::LocalNormalize => Cow::Owned(local_normalize(base, w, h)),
            Prepare::Sharpen => Cow::Owned(sharpen(base, w, h)),
            Prepare::Invert => Cow::Owned(base.iter().map(|v| 255 - v).collect()),
        };
        let read = decode(&prepared, w, h, p.binarize, p.finder_search, attempts);
        self.most_patterns = self.most_patterns.max(read.patterns);
        PassOutcome {
            ran: true,
            tried: read.tried,
            codes: read.codes.into_iter().map(|r| to_code(r, scale)).collect(),
        }
    }
}

/// What running one pass gave.
struct PassOutcome {
    /// Whether the pass did its work (a stretch pass on a frame that already spans the grey
    /// levels does not).
    ran: bool,
    /// Finder-pattern triples tried.
    tried: usize,
    /// The codes read.
    codes: Vec<ScannedCode>,
}

impl PassOutcome {
    const SKIPPED: PassOutcome = PassOutcome {
        ran: false,
        tried: 0,
        codes: Vec::new(),
    };
}

fn decode(
    pixels: &[u8],
    width: u32,
    height: u32,
    b: Binarize,
    finder_search: FinderSearch,
    attempts: Attempts,
) -> Read {
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
        Some(read_codes(&matrix, finder_search, attempts))
    }));
    outcome.ok().flatten().unwrap_or(Read {
        codes: Vec::new(),
        patterns: 0,
        tried: 0,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;
    use crate::scan::testing::hostile_inputs;

    use crate::render::{ErrorCorrection, render};
    use crate::scan::testing::noise;

    /// A 1280x720 camera-like frame: a code drawn `scale` pixels a module at grey levels
    /// `dark`/`light` on a background of `background` with sensor grain.
    fn camera_frame(text: &str, scale: u32, dark: u8, light: u8, background: u8) -> Vec<u8> {
        let (w, h) = (1280u32, 720u32);
        let m = render(text, ErrorCorrection::M).unwrap();
        let grain = noise((w * h) as usize, 7);
        let mut px: Vec<u8> = (0..w * h)
            .map(|i| background.saturating_add(grain[i as usize] % 4))
            .collect();
        let side = (m.width + 8) * scale;
        let (x0, y0) = ((w - side) / 2, (h - side) / 2);
        for y in 0..side {
            for x in 0..side {
                let (mx, my) = ((x / scale).checked_sub(4), (y / scale).checked_sub(4));
                let is_dark = matches!((mx, my), (Some(mx), Some(my))
                    if mx < m.width && my < m.width && m.is_dark(mx, my));
                let i = ((y0 + y) * w + x0 + x) as usize;
                px[i] = if is_dark { dark } else { light }.saturating_add(grain[i] % 4);
            }
        }
        px
    }

    fn text(len: usize) -> String {
        let body: String = noise(len, 3)
            .iter()
            .map(|b| char::from(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"[usize::from(b % 36)]))
            .collect();
        format!("LZ1:{body}")
    }

    #[test]
    fn an_easy_code_is_read_on_the_first_continuous_frame() {
        let t = text(600);
        let px = camera_frame(&t, 4, 30, 220, 120);
        let frame = LumaFrame::packed(1280, 720, &px).unwrap();
        let mut scan = ContinuousScan::new();
        let (codes, units) = scan.scan_counting(&frame);
        assert_eq!(codes.len(), 1);
        assert_eq!(codes[0].text, t);
        assert!(units <= FRAME_BUDGET_UNITS, "{units}");
        assert_eq!(scan.next_pass(), 0, "a read starts the chain again");
    }

    #[test]
    fn a_code_only_a_fallback_reads_is_read_on_a_later_frame_within_budget() {
        // Low contrast (18 grey levels): invisible to the local binarizer until the frame
        // is stretched (pass 3), which the first frame's budget does not reach.
        let t = text(300);
        let px = camera_frame(&t, 4, 118, 136, 125);
        let frame = LumaFrame::packed(1280, 720, &px).unwrap();
        assert_eq!(scan_frame(&frame, ScanEffort::Camera).len(), 1);
        let chain: Vec<&Pass> = PASSES.iter().filter(|p| !p.thorough_only).collect();
        let largest_pass = chain.iter().map(|p| p.units(1280, 720)).max().unwrap();
        let mut scan = ContinuousScan::new();
        let mut pushes = 0;
        let found = loop {
            pushes += 1;
            let (codes, units) = scan.scan_counting(&frame);
            // A frame stays within the budget, or runs one pass (and its triples) alone.
            assert!(
                units <= FRAME_BUDGET_UNITS.max(largest_pass + 32 * ATTEMPT_UNITS),
                "push {pushes}: {units} units"
            );
            if !codes.is_empty() {
                break codes;
            }
            assert!(pushes < 8, "not read within the chain");
        };
        assert!(pushes > 1, "the stretch pass does not fit the first frame");
        assert_eq!(found[0].text, t);
    }

    #[test]
    fn a_frame_without_a_code_cycles_through_the_chain_and_starts_again() {
        let px = noise(1280 * 720, 5);
        let frame = LumaFrame::packed(1280, 720, &px).unwrap();
        let mut scan = ContinuousScan::new();
        assert!(scan.scan(&frame).is_empty());
        assert_ne!(
            scan.next_pass(),
            0,
            "the whole chain does not fit one frame"
        );
        let mut pushes = 1;
        while scan.next_pass() != 0 {
            assert!(scan.scan(&frame).is_empty());
            pushes += 1;
            assert!(pushes < 8);
        }
        // A reset starts from the first pass too.
        assert!(scan.scan(&frame).is_empty());
        scan.reset();
        assert_eq!(scan.next_pass(), 0);
    }

    #[test]
    fn the_smallest_budget_still_reads_everything_in_turn() {
        // One pass a frame.
        let t = text(300);
        let px = camera_frame(&t, 4, 118, 136, 125);
        let frame = LumaFrame::packed(1280, 720, &px).unwrap();
        let mut scan = ContinuousScan::with_budget(0);
        let read = (0..40).find(|_| !scan.scan(&frame).is_empty());
        assert!(read.is_some_and(|push| push >= 2), "{read:?}");
    }

    #[test]
    fn hostile_frames_give_nothing() {
        for bytes in hostile_inputs() {
            // Random pixels: nothing found, no panic.
            let side = (bytes.len() as f64).sqrt() as u32;
            let frame = LumaFrame::packed(side, side, &bytes).unwrap();
            assert!(scan_frame(&frame, ScanEffort::Thorough).is_empty());
            let mut scan = ContinuousScan::with_budget(0);
            for _ in 0..8 {
                assert!(scan.scan(&frame).is_empty());
            }
        }
    }
}
