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
    /// Only in a [`ContinuousScan`], where the full-size passes are read in crops: a pass at
    /// half size for the codes too large for a crop.
    pub continuous_only: bool,
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
            continuous_only: false,
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
/// and `docs/BENCHMARKS.md`). The `continuous_only` passes (each full-size fallback at half
/// size first) belong to the camera chain of a [`ContinuousScan`] alone, where the full-size
/// passes after them are read in crops: they read the codes too large for a crop (ADR 0015).
#[doc(hidden)]
#[rustfmt::skip] // One pass per line, to read as a table (rustfmt spreads each over six).
pub const PASSES: &[Pass] = &[
    // Large frames at half size: most codes, a quarter of the work.
    pass(Scale::Half, Prepare::None, Binarize::Local(24), FinderSearch::Normal),
    // Full size: small modules.
    pass(Scale::Full, Prepare::None, Binarize::Local(24), FinderSearch::Normal),
    // Low contrast (only when the frame spans less than 180 grey levels).
    Pass {
        continuous_only: true,
        ..pass(Scale::Half, Prepare::Stretch, Binarize::Local(24), FinderSearch::Normal)
    },
    pass(Scale::Full, Prepare::Stretch, Binarize::Local(24), FinderSearch::Normal),
    // Denser finder-pattern search: small, tilted or noisy codes.
    Pass {
        continuous_only: true,
        ..pass(Scale::Half, Prepare::None, Binarize::Local(24), FinderSearch::Dense)
    },
    pass(Scale::Full, Prepare::None, Binarize::Local(24), FinderSearch::Dense),
    // Blur and motion blur.
    Pass {
        needs_patterns: true,
        continuous_only: true,
        ..pass(Scale::Half, Prepare::Sharpen, Binarize::Local(24), FinderSearch::Dense)
    },
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
        .filter(|p| !p.continuous_only)
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

/// Most work units of one piece of a pass in a continuous scan: a full-size pass that costs
/// more on a frame is read in overlapping crops ([`Pass::crops`]), one or more a frame. With
/// 2,000 and [`CROP_OVERLAP`], a 1080p frame's full-size pass is 3 crops of about 1,700
/// units, its stretch 6 of 1,850, its dense and sharpened passes 9 of 2,700 and 4,000 (no
/// tiling within the limit holds the overlap: the cheapest of at most 3 x 3); a 720p frame's
/// dense and sharpened passes 3 strips of 1,850 and 2,800 (ADR 0015).
pub const PIECE_UNITS: u64 = 2_000;

/// Overlap of neighbouring crops of a pass, in pixels (or the frame's shorter side if less):
/// a code whose bounding box is at most that size lies whole in some crop. A larger code,
/// even of version 40 at 45 degrees, has modules of at least 720 / (177 x 1.42), about 2.9
/// pixels, which the half-size passes read; on a 720p frame, every code that fits the frame
/// lies whole in some crop.
pub const CROP_OVERLAP: u32 = 720;

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

    /// The crops a continuous scan reads this pass in on a `width` x `height` frame, one a
    /// frame: the whole frame when the pass costs at most `max_units`, otherwise the fewest
    /// overlapping tiles of at most `max_units` each (or, when the overlap leaves no such
    /// tiling, the cheapest tiles, at most [`MAX_CROPS_PER_SIDE`] a side), neighbours
    /// overlapping by `overlap` pixels, so that a code whose bounding box is at most `overlap`
    /// pixels wide and high lies whole in at least one tile. Half-size passes are never
    /// split. Tiles start on multiples of 8 pixels (the binarizer's blocks), but the last of
    /// a row or column, which ends with the frame.
    pub fn crops(&self, width: u32, height: u32, max_units: u64, overlap: u32) -> Vec<Crop> {
        let whole = vec![Crop {
            x: 0,
            y: 0,
            width,
            height,
        }];
        if self.scale == Scale::Half || self.units(width, height) <= max_units {
            return whole;
        }
        // The fewest tiles (then the least area) within the cost; when no tiling is, the
        // cheapest tiles.
        // (key, columns, rows, tile width, tile height)
        let mut best: Option<(TilingKey, [u32; 4])> = None;
        for rows in 1..=MAX_CROPS_PER_SIDE {
            for cols in 1..=MAX_CROPS_PER_SIDE {
                let (Some(tw), Some(th)) = (
                    tile_side(width, cols, overlap),
                    tile_side(height, rows, overlap),
                ) else {
                    continue;
                };
                let tiles = rows * cols;
                let area = u64::from(tiles) * u64::from(tw) * u64::from(th);
                let key = (self.units(tw, th).max(max_units), tiles, area);
                if best.is_none_or(|b| key < b.0) {
                    best = Some((key, [cols, rows, tw, th]));
                }
            }
        }
        let Some((_, [cols, rows, tw, th])) = best else {
            return whole;
        };
        let mut crops = Vec::new();
        for row in 0..rows {
            let y = tile_start(height, rows, row, th);
            for col in 0..cols {
                let x = tile_start(width, cols, col, tw);
                crops.push(Crop {
                    x,
                    y,
                    width: tw.min(width - x),
                    height: th.min(height - y),
                });
            }
        }
        crops
    }
}

/// How tilings of a frame compare, least first: the cost of a tile (or the piece limit if
/// less), the number of tiles, their total area.
type TilingKey = (u64, u32, u64);

/// Most tiles a pass is split into along each side of a frame.
pub const MAX_CROPS_PER_SIDE: u32 = 3;

/// The side of each of `n` tiles covering `side` pixels with neighbours overlapping by
/// `overlap`; `None` when the tiles would be no larger than the overlap (no progress).
fn tile_side(side: u32, n: u32, overlap: u32) -> Option<u32> {
    if n <= 1 {
        return Some(side);
    }
    let covered = u64::from(side) + u64::from(n - 1) * u64::from(overlap);
    let t = covered.div_ceil(u64::from(n));
    // Rounded up to the block size, plus a block: a start moved back to a block boundary
    // (by up to 7 pixels) still leaves the overlap.
    let t = u32::try_from((t.div_ceil(8) + 1) * 8).ok()?;
    (t > overlap.saturating_add(8) && t < side).then_some(t)
}

/// Where tile `i` of `n` (each `t` pixels) starts along a side of `side` pixels: spread
/// evenly, the last one flush with the end, the others starting on multiples of 8.
fn tile_start(side: u32, n: u32, i: u32, t: u32) -> u32 {
    let room = u64::from(side.saturating_sub(t));
    if n <= 1 || i + 1 >= n {
        return u32::try_from(room).unwrap_or(0);
    }
    let start = room * u64::from(i) / u64::from(n - 1);
    u32::try_from(start / 8 * 8).unwrap_or(0)
}

/// A rectangle of a frame, in pixels, that a pass reads alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[doc(hidden)]
pub struct Crop {
    /// Left edge.
    pub x: u32,
    /// Top edge.
    pub y: u32,
    /// Width.
    pub width: u32,
    /// Height.
    pub height: u32,
}

/// A continuous camera scan: the camera passes of [`PASSES`] spread over successive frames
/// within a work budget per frame ([`FRAME_BUDGET_UNITS`]), so that no frame stalls the
/// camera, remembering where the last frame stopped.
///
/// The camera chain is the passes of [`scan_frame`] at [`ScanEffort::Camera`] with, before
/// each full-size fallback, the same pass at half size (`continuous_only`). A full-size pass
/// that costs more than [`PIECE_UNITS`] on the frame is read in overlapping crops
/// ([`Pass::crops`], [`CROP_OVERLAP`]): each crop is a piece of work of its own, binarized,
/// searched and decoded alone, so a code whose bounding box is at most the overlap is read
/// whole in some crop, and a larger one (its modules then at least about 3 pixels) by the
/// half-size pass before.
///
/// Each frame runs pieces from where the previous one stopped, while the budget lasts (at
/// least one piece), and a frame that completes the chain stops there; the next frame starts
/// again from the first pass. A piece is charged its [`Pass::units`] and [`ATTEMPT_UNITS`]
/// for each finder-pattern triple it tried (at most 32); a piece is never cut short: the
/// finder search is most of its cost, and it would be paid again. An easy code is read on the
/// first frame that shows it (the first passes are the cheap ones); a frame that only a
/// fallback reads is read a few frames later, when that fallback's turn comes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContinuousScan {
    budget: u64,
    /// Most work units of one piece of a pass: costlier passes are read in crops.
    piece_units: u64,
    /// Overlap of neighbouring crops, in pixels (at most the frame's shorter side).
    overlap: u32,
    /// Index in the camera chain of the pass the next frame starts with.
    next_pass: usize,
    /// Index of the crop of that pass the next frame starts with.
    next_crop: usize,
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

    /// A scan with `units` of work per frame (at least one pass, or one crop of a pass, a
    /// frame), passes split in crops as the default scan splits them.
    pub fn with_budget(units: u64) -> Self {
        Self::with_limits(units, PIECE_UNITS, CROP_OVERLAP)
    }

    /// A scan with `units` of work per frame, passes costing more than `piece_units` read in
    /// crops overlapping by `overlap` pixels, or the frame's shorter side if less (for
    /// measuring).
    #[doc(hidden)]
    pub fn with_limits(units: u64, piece_units: u64, overlap: u32) -> Self {
        Self {
            budget: units,
            piece_units,
            overlap,
            next_pass: 0,
            next_crop: 0,
            patterns_seen: 0,
        }
    }

    /// Starts again from the first pass (a new scan).
    pub fn reset(&mut self) {
        *self = Self::with_limits(self.budget, self.piece_units, self.overlap);
    }

    /// The index in the camera chain of the pass the next frame starts with (0: the first).
    pub fn next_pass(&self) -> usize {
        self.next_pass
    }

    /// The index of the crop of that pass the next frame starts with (0: the first, or the
    /// whole frame).
    pub fn next_crop(&self) -> usize {
        self.next_crop
    }

    /// Whether the next frame starts the chain again.
    pub fn at_start(&self) -> bool {
        self.next_pass == 0 && self.next_crop == 0
    }

    /// The crops pass `p` is read in on a `width` x `height` frame by this scan.
    fn crops(&self, p: &Pass, width: u32, height: u32) -> Vec<Crop> {
        p.crops(
            width,
            height,
            self.piece_units,
            self.overlap.min(width.min(height)),
        )
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
            let crops = self.crops(p, frame.width(), frame.height());
            let crop = crops.get(self.next_crop).copied();
            let Some(crop) = crop.filter(|_| cache.fits(p) && !gated) else {
                self.advance(&chain, cache.most_patterns);
                if self.at_start() {
                    break;
                }
                continue;
            };
            let units = p.units(crop.width, crop.height);
            if worked && spent.saturating_add(units) > self.budget {
                break;
            }
            let outcome = cache.run_window(p, Attempts::ALL, Some(crop));
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
            self.next_crop += 1;
            if self.next_crop >= crops.len() {
                self.advance(&chain, cache.most_patterns);
            }
            if self.at_start() {
                // The chain is complete; the next frame starts it again.
                break;
            }
        }
        (Vec::new(), spent)
    }

    /// Moves to the first crop of the next pass of `chain`, back to the first after the last.
    fn advance(&mut self, chain: &[&Pass], patterns: usize) {
        self.next_pass += 1;
        self.next_crop = 0;
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
        self.run_window(p, Attempts::ALL, None).codes
    }

    /// Runs pass `p` on the whole frame or, at full size, on `crop` of it, trying the
    /// finder-pattern triples `attempts` says.
    fn run_window(&mut self, p: &Pass, attempts: Attempts, crop: Option<Crop>) -> PassOutcome {
        let (base, w, h, scale, origin): (Cow<'_, [u8]>, u32, u32, f32, (f32, f32)) = match p.scale
        {
            Scale::Half => {
                if self.half.is_none() {
                    self.half = Some(halve(&self.full, self.width, self.height));
                }
                match &self.half {
                    Some((pixels, w, h)) => (Cow::Borrowed(pixels), *w, *h, 2.0, (0.0, 0.0)),
                    None => return PassOutcome::SKIPPED,
                }
            }
            Scale::Full => match crop {
                Some(c) if c != self.whole() => match crop_pixels(&self.full, self.width, c) {
                    Some(pixels) => (pixels, c.width, c.height, 1.0, (c.x as f32, c.y as f32)),
                    None => return PassOutcome::SKIPPED,
                },
                _ => (
                    Cow::Borrowed(&*self.full),
                    self.width,
                    self.height,
                    1.0,
                    (0.0, 0.0),
                ),
            },
        };
        let base: &[u8] = &base;
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
            codes: read
                .codes
                .into_iter()
                .map(|r| {
                    let mut code = to_code(r, scale);
                    for (x, y) in &mut code.corners {
                        *x += origin.0;
                        *y += origin.1;
                    }
                    code
                })
                .collect(),
        }
    }

    /// The whole frame as a crop.
    fn whole(&self) -> Crop {
        Crop {
            x: 0,
            y: 0,
            width: self.width,
            height: self.height,
        }
    }
}

/// The pixels of `crop` of a packed frame `width` pixels wide: a slice of it when the crop
/// spans whole rows, else a copy of its rows; `None` when the crop leaves the frame.
fn crop_pixels(full: &[u8], width: u32, crop: Crop) -> Option<Cow<'_, [u8]>> {
    let (w, x, y) = (width as usize, crop.x as usize, crop.y as usize);
    let (cw, ch) = (crop.width as usize, crop.height as usize);
    if cw == 0 || ch == 0 || x.checked_add(cw)? > w {
        return None;
    }
    let rows = full.get(y.checked_mul(w)?..y.checked_add(ch)?.checked_mul(w)?)?;
    if cw == w {
        return Some(Cow::Borrowed(rows));
    }
    let mut out = Vec::with_capacity(cw * ch);
    for row in rows.chunks_exact(w) {
        out.extend_from_slice(row.get(x..x + cw)?);
    }
    Some(Cow::Owned(out))
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
        let side = (render(text, ErrorCorrection::M).unwrap().width + 8) * scale;
        let at = ((1280 - side) / 2, (720 - side) / 2);
        framed_code(text, scale, (dark, light, background), (1280, 720), at)
    }

    /// A `size` frame with a code drawn `scale` pixels a module (quiet zone included) with
    /// its top-left corner `at`, grey levels `(dark, light, background)`, sensor grain.
    fn framed_code(
        text: &str,
        scale: u32,
        (dark, light, background): (u8, u8, u8),
        (w, h): (u32, u32),
        (x0, y0): (u32, u32),
    ) -> Vec<u8> {
        let m = render(text, ErrorCorrection::M).unwrap();
        let grain = noise((w * h) as usize, 7);
        let mut px: Vec<u8> = (0..w * h)
            .map(|i| background.saturating_add(grain[i as usize] % 4))
            .collect();
        let side = (m.width + 8) * scale;
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

    /// The camera chain of a continuous scan.
    fn camera_chain() -> Vec<&'static Pass> {
        PASSES.iter().filter(|p| !p.thorough_only).collect()
    }

    /// The largest piece (crop of a pass) a default continuous scan runs on a frame.
    fn largest_piece(width: u32, height: u32) -> u64 {
        camera_chain()
            .iter()
            .flat_map(|p| {
                p.crops(
                    width,
                    height,
                    PIECE_UNITS,
                    CROP_OVERLAP.min(width.min(height)),
                )
                .into_iter()
                .map(|c| p.units(c.width, c.height))
            })
            .max()
            .unwrap()
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
        let largest_piece = largest_piece(1280, 720);
        let mut scan = ContinuousScan::new();
        let mut pushes = 0;
        let found = loop {
            pushes += 1;
            let (codes, units) = scan.scan_counting(&frame);
            // A frame stays within the budget, or runs one piece (and its triples) alone.
            assert!(
                units <= FRAME_BUDGET_UNITS.max(largest_piece) + 32 * ATTEMPT_UNITS,
                "push {pushes}: {units} units"
            );
            if !codes.is_empty() {
                break codes;
            }
            assert!(pushes < 40, "not read within the chain");
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
        assert!(!scan.at_start(), "the whole chain does not fit one frame");
        let mut pushes = 1;
        while !scan.at_start() {
            assert!(scan.scan(&frame).is_empty());
            pushes += 1;
            assert!(pushes < 40);
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
    fn crops_hold_every_box_the_overlap_holds_within_the_piece_limit() {
        for (w, h) in [
            (1280, 720),
            (1920, 1080),
            (720, 1280),
            (3840, 2160),
            (640, 480),
        ] {
            let overlap = CROP_OVERLAP.min(w.min(h));
            for p in camera_chain() {
                let crops = p.crops(w, h, PIECE_UNITS, overlap);
                assert!(!crops.is_empty() && crops.len() <= 9, "{w}x{h} {p:?}");
                let whole = p.units(w, h);
                if p.scale == Scale::Half || whole <= PIECE_UNITS {
                    assert_eq!(crops.len(), 1, "{w}x{h} {p:?}: not split");
                } else {
                    let largest = crops.iter().map(|c| p.units(c.width, c.height)).max();
                    assert!(largest.unwrap() < whole, "{w}x{h} {p:?}: pieces cheaper");
                }
                for c in &crops {
                    assert!(
                        c.x + c.width <= w && c.y + c.height <= h,
                        "{c:?} in {w}x{h}"
                    );
                    assert!(c.width >= overlap && c.height >= overlap, "{c:?}");
                }
                // Every box of overlap x overlap pixels (every 4 pixels) lies whole in a crop.
                for y in (0..=h - overlap).step_by(4) {
                    for x in (0..=w - overlap).step_by(4) {
                        assert!(
                            crops.iter().any(|c| c.x <= x
                                && c.y <= y
                                && x + overlap <= c.x + c.width
                                && y + overlap <= c.y + c.height),
                            "{w}x{h} {p:?}: box at ({x}, {y}) in no crop of {crops:?}"
                        );
                    }
                }
            }
        }
        // Within the limit when a tiling is: the full-size pass of a 1080p frame, 3 pieces.
        let full = camera_chain()[1];
        let crops = full.crops(1920, 1080, PIECE_UNITS, CROP_OVERLAP);
        assert_eq!(crops.len(), 3);
        assert!(
            crops
                .iter()
                .all(|c| full.units(c.width, c.height) <= PIECE_UNITS)
        );
    }

    #[test]
    fn a_costly_pass_on_a_large_frame_is_spread_over_frames_in_pieces() {
        let (w, h) = (1920u32, 1080u32);
        let px = noise((w * h) as usize, 11);
        let frame = LumaFrame::packed(w, h, &px).unwrap();
        let largest_pass = camera_chain().iter().map(|p| p.units(w, h)).max().unwrap();
        let largest_piece = largest_piece(w, h);
        assert!(
            largest_piece * 2 < largest_pass,
            "{largest_piece} {largest_pass}"
        );
        let mut work = Vec::new();
        let mut scan = ContinuousScan::new();
        loop {
            let (codes, units) = scan.scan_counting(&frame);
            assert!(codes.is_empty());
            assert!(
                units <= FRAME_BUDGET_UNITS.max(largest_piece) + 32 * ATTEMPT_UNITS,
                "push {}: {units} units",
                work.len() + 1
            );
            work.push(units);
            if scan.at_start() {
                break;
            }
            assert!(work.len() < 60, "the chain ends");
        }
        // Deterministic: the same frames get the same work.
        let mut again = ContinuousScan::new();
        let repeat: Vec<u64> = work.iter().map(|_| again.scan_counting(&frame).1).collect();
        assert_eq!(repeat, work);
    }

    #[test]
    fn a_small_code_in_a_corner_is_read_by_a_crop_in_frame_coordinates() {
        // Two pixels a module at odd offsets: too fine for the half-size passes, so the
        // full-size pass reads it, in crops on a 1080p frame; its corners come back in the
        // frame's pixels.
        let t = text(300);
        let side = (render(&t, ErrorCorrection::M).unwrap().width + 8) * 2;
        let at = (1901 - side, 1061 - side);
        let px = framed_code(&t, 2, (20, 230, 128), (1920, 1080), at);
        let frame = LumaFrame::packed(1920, 1080, &px).unwrap();
        let full = camera_chain()[1];
        assert!(full.crops(1920, 1080, PIECE_UNITS, CROP_OVERLAP).len() > 1);
        let mut scan = ContinuousScan::new();
        let mut pushes = 0;
        let codes = loop {
            pushes += 1;
            let codes = scan.scan(&frame);
            if !codes.is_empty() {
                break codes;
            }
            assert!(pushes < 12, "not read");
        };
        assert!(pushes > 1, "the half-size pass does not read it");
        assert_eq!(codes[0].text, t);
        let (x0, y0) = (at.0 as f32, at.1 as f32);
        for &(x, y) in &codes[0].corners {
            assert!(x >= x0 && x <= x0 + side as f32, "{x} in {x0}..+{side}");
            assert!(y >= y0 && y <= y0 + side as f32, "{y} in {y0}..+{side}");
        }
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
            // Every pass in crops (no piece is cheap enough whole), small overlaps.
            let mut cropped = ContinuousScan::with_limits(0, 0, 8);
            let mut pushes = 0;
            loop {
                assert!(cropped.scan(&frame).is_empty());
                pushes += 1;
                if cropped.at_start() {
                    break;
                }
                assert!(pushes < 100, "the chain ends");
            }
            if side >= 64 {
                assert!(pushes > camera_chain().len(), "{side}: read in crops");
            }
        }
    }
}
