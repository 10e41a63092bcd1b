//! Reading QR codes: from camera luma frames and image files, with `rxing` (a Rust port of
//! ZXing-C++), and a [`Scanner`] session that turns a stream of frames into Laissez messages.
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
//! Binarization is our own implementation of ZXing's local-average ("hybrid") method,
//! bit-identical to rxing's but about three times faster under the size-optimised release
//! profile. Finder patterns are grouped by our own port of ZXing-C++'s grouping, which
//! avoids an rxing 0.9.3 ordering bug that loses strongly tilted codes; detection, sampling
//! and decoding are rxing's (ZXing-C++ port). Every pass is fenced by `catch_unwind`: a decoder
//! bug on a hostile image is a "nothing found" for that pass, never a crash of the app.
//!
//! Only raw text is returned (and the content bytes). rxing guesses a character set for QR
//! byte mode; Laissez codes are Base45 in alphanumeric mode, so no guess is ever involved.

use std::borrow::Cow;
use std::io::Cursor;
use std::panic::{AssertUnwindSafe, catch_unwind};

use rxing::common::cpp_essentials::ConcentricPattern;
use rxing::common::{
    BIT_FIELD_BASE_BITS, BitArray, BitMatrix, DetectorRXingResult, GlobalHistogramBinarizer,
    HybridBinarizer,
};
use rxing::qrcode::cpp_port::decoder::Decode as QrDecode;
use rxing::qrcode::cpp_port::detector::{FindFinderPatterns, FinderPatternSet, SampleQR};
use rxing::{BarcodeFormat, Binarizer, Luma8Source, RXingResult};

use super::envelope::{self, Envelope};
use super::error::QrError;
use super::frames::{self, FrameAssembler, FrameProgress};

/// Largest side of a frame or image accepted, in pixels.
pub const MAX_SIDE: u32 = 16_384;
/// Most pixels in one frame or image (a 48-megapixel photo fits).
pub const MAX_PIXELS: u64 = 50_000_000;
/// Largest image file accepted, in bytes.
pub const MAX_IMAGE_FILE_LEN: usize = 64 * 1024 * 1024;
/// Frames whose shorter side is at least this many pixels are first read at half size.
pub const DOWNSCALE_MIN_SIDE: u32 = 700;

/// Why a frame or an image could not be looked at. A frame that simply holds no readable
/// code is not an error: it gives an empty list.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ScanError {
    /// Width or height is zero.
    #[error("the frame is empty ({width}x{height})")]
    EmptyFrame {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
    },
    /// The frame is larger than [`MAX_SIDE`] or [`MAX_PIXELS`].
    #[error("the frame is too large ({width}x{height})")]
    FrameTooLarge {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
    },
    /// The row stride is smaller than the width.
    #[error("row stride {stride} is smaller than the width {width}")]
    StrideTooSmall {
        /// Bytes from one row to the next.
        stride: u32,
        /// Width in pixels.
        width: u32,
    },
    /// The buffer is shorter than width, height and stride require.
    #[error("the frame buffer holds {actual} bytes, {needed} are needed")]
    BufferTooSmall {
        /// Bytes needed: `stride * (height - 1) + width`.
        needed: u64,
        /// Bytes given.
        actual: u64,
    },
    /// The image file is neither PNG nor JPEG.
    #[error("not a PNG or JPEG image")]
    UnsupportedImageFormat,
    /// The image file is larger than [`MAX_IMAGE_FILE_LEN`].
    #[error("the image file is too large")]
    ImageFileTooLarge,
    /// The PNG or JPEG data is damaged or truncated.
    #[error("the image file is damaged or truncated")]
    CorruptImage,
}

/// A borrowed 8-bit luma (greyscale) frame, such as the Y plane a phone camera delivers
/// (Android `ImageProxy` plane 0, iOS `kCVPixelFormatType_420YpCbCr8BiPlanar*` plane 0).
#[derive(Clone, Copy)]
pub struct LumaFrame<'a> {
    width: u32,
    height: u32,
    stride: u32,
    data: &'a [u8],
}

impl std::fmt::Debug for LumaFrame<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LumaFrame")
            .field("width", &self.width)
            .field("height", &self.height)
            .field("stride", &self.stride)
            .finish_non_exhaustive()
    }
}

impl<'a> LumaFrame<'a> {
    /// A frame of `width` x `height` pixels, one byte each, rows `stride` bytes apart
    /// (`stride >= width`; padding after the last row's pixels is optional). Checks that the
    /// sizes agree with the buffer.
    pub fn new(width: u32, height: u32, stride: u32, data: &'a [u8]) -> Result<Self, ScanError> {
        if width == 0 || height == 0 {
            return Err(ScanError::EmptyFrame { width, height });
        }
        if width > MAX_SIDE
            || height > MAX_SIDE
            || u64::from(width) * u64::from(height) > MAX_PIXELS
        {
            return Err(ScanError::FrameTooLarge { width, height });
        }
        if stride < width {
            return Err(ScanError::StrideTooSmall { stride, width });
        }
        let needed = u64::from(stride) * u64::from(height - 1) + u64::from(width);
        if (data.len() as u64) < needed {
            return Err(ScanError::BufferTooSmall {
                needed,
                actual: data.len() as u64,
            });
        }
        Ok(Self {
            width,
            height,
            stride,
            data,
        })
    }

    /// A tightly packed frame (`stride == width`).
    pub fn packed(width: u32, height: u32, data: &'a [u8]) -> Result<Self, ScanError> {
        Self::new(width, height, width, data)
    }

    /// Width in pixels.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Height in pixels.
    pub fn height(&self) -> u32 {
        self.height
    }

    /// The pixels without row padding.
    fn packed_pixels(&self) -> Cow<'a, [u8]> {
        let (w, h, s) = (
            self.width as usize,
            self.height as usize,
            self.stride as usize,
        );
        if s == w {
            return Cow::Borrowed(&self.data[..w * h]);
        }
        let mut out = Vec::with_capacity(w * h);
        for row in 0..h {
            out.extend_from_slice(&self.data[row * s..row * s + w]);
        }
        Cow::Owned(out)
    }
}

/// An owned luma image, as decoded from an image file.
#[derive(Clone, PartialEq, Eq)]
pub struct LumaImage {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// `width * height` bytes, row-major, no padding.
    pub pixels: Vec<u8>,
}

impl std::fmt::Debug for LumaImage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LumaImage")
            .field("width", &self.width)
            .field("height", &self.height)
            .finish_non_exhaustive()
    }
}

impl LumaImage {
    /// This image as a frame.
    pub fn as_frame(&self) -> Result<LumaFrame<'_>, ScanError> {
        LumaFrame::packed(self.width, self.height, &self.pixels)
    }
}

/// One QR code read from a frame.
#[derive(Debug, Clone, PartialEq)]
pub struct ScannedCode {
    /// The text in the code, as the decoder gives it (no trimming, no interpretation).
    pub text: String,
    /// The content bytes as stored in the code (for byte mode: before any character-set
    /// guess; for alphanumeric mode: the ASCII text).
    pub bytes: Vec<u8>,
    /// Corners of the code in frame pixels (for drawing an outline), when the decoder
    /// reports them.
    pub corners: Vec<(f32, f32)>,
}

/// How hard to look before giving up on a frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
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

/// One decoding pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[doc(hidden)]
pub struct Pass {
    /// Read at half size (2x2 box average); skipped on small frames.
    pub half: bool,
    /// Pixel preparation.
    pub prepare: Prepare,
    /// Binarizer.
    pub binarize: Binarize,
    /// rxing's TRY_HARDER: a denser finder-pattern search.
    pub try_harder: bool,
    /// Only with [`ScanEffort::Thorough`].
    pub thorough_only: bool,
    /// Only when an earlier pass saw at least two finder patterns (something QR-like is
    /// there): keeps frames without a code cheap.
    pub needs_patterns: bool,
}

const fn pass(half: bool, prepare: Prepare, binarize: Binarize, try_harder: bool) -> Pass {
    Pass {
        half,
        prepare,
        binarize,
        try_harder,
        thorough_only: false,
        needs_patterns: false,
    }
}

/// The fallback chain, in order; measured on the benchmark frame set (see the module docs
/// and `docs/BENCHMARKS.md`).
#[doc(hidden)]
pub const PASSES: &[Pass] = &[
    // Large frames at half size: most codes, a quarter of the work.
    pass(true, Prepare::None, Binarize::Local(24), false),
    // Full size: small modules.
    pass(false, Prepare::None, Binarize::Local(24), false),
    // Low contrast (only when the frame spans less than 180 grey levels).
    pass(false, Prepare::Stretch, Binarize::Local(24), false),
    // Denser finder-pattern search: small, tilted or noisy codes.
    pass(false, Prepare::None, Binarize::Local(24), true),
    // Blur and motion blur.
    Pass {
        needs_patterns: true,
        ..pass(false, Prepare::Sharpen, Binarize::Local(24), true)
    },
    // Still images only: glare and deep shadow, then light-on-dark codes.
    Pass {
        thorough_only: true,
        ..pass(false, Prepare::LocalNormalize, Binarize::Local(24), true)
    },
    Pass {
        thorough_only: true,
        ..pass(false, Prepare::Invert, Binarize::Local(24), false)
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
    let pixels = frame.packed_pixels();
    let mut cache = Prepared::new(&pixels, frame.width, frame.height);
    for p in passes {
        if p.half && !cache.can_halve() {
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
    let pixels = frame.packed_pixels();
    let mut cache = Prepared::new(&pixels, frame.width, frame.height);
    if p.half && !cache.can_halve() {
        return None;
    }
    Some(cache.run(p))
}

/// Decodes a PNG or JPEG file to luma. Colour is weighted as in BT.601; transparent pixels
/// are composited on white (a code drawn on a transparent background reads as printed).
pub fn decode_image(bytes: &[u8]) -> Result<LumaImage, ScanError> {
    if bytes.len() > MAX_IMAGE_FILE_LEN {
        return Err(ScanError::ImageFileTooLarge);
    }
    let result = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        catch_unwind(|| decode_png(bytes))
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        catch_unwind(|| decode_jpeg(bytes))
    } else {
        return Err(ScanError::UnsupportedImageFormat);
    };
    let image = result.unwrap_or(Err(ScanError::CorruptImage))?;
    // Re-check what the codec reported against the limits and the buffer.
    LumaFrame::packed(image.width, image.height, &image.pixels)?;
    Ok(image)
}

/// Reads every QR code in a PNG or JPEG file (with [`ScanEffort::Thorough`]).
pub fn scan_image(bytes: &[u8]) -> Result<Vec<ScannedCode>, ScanError> {
    let image = decode_image(bytes)?;
    Ok(scan_frame(&image.as_frame()?, ScanEffort::Thorough))
}

fn check_dimensions(width: u32, height: u32) -> Result<(), ScanError> {
    if width == 0 || height == 0 {
        return Err(ScanError::EmptyFrame { width, height });
    }
    if width > MAX_SIDE || height > MAX_SIDE || u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(ScanError::FrameTooLarge { width, height });
    }
    Ok(())
}

fn decode_png(bytes: &[u8]) -> Result<LumaImage, ScanError> {
    let mut decoder = png::Decoder::new_with_limits(
        Cursor::new(bytes),
        png::Limits {
            bytes: (MAX_PIXELS as usize) * 4,
        },
    );
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    decoder.set_ignore_text_chunk(true);
    decoder.set_ignore_iccp_chunk(true);
    let mut reader = decoder.read_info().map_err(|_| ScanError::CorruptImage)?;
    let (width, height) = (reader.info().width, reader.info().height);
    check_dimensions(width, height)?;
    let size = reader
        .output_buffer_size()
        .ok_or(ScanError::FrameTooLarge { width, height })?;
    let mut buffer = vec![0u8; size];
    let info = reader
        .next_frame(&mut buffer)
        .map_err(|_| ScanError::CorruptImage)?;
    let channels = match info.color_type {
        png::ColorType::Grayscale => 1,
        png::ColorType::GrayscaleAlpha => 2,
        png::ColorType::Rgb => 3,
        png::ColorType::Rgba => 4,
        png::ColorType::Indexed => return Err(ScanError::CorruptImage),
    };
    if info.bit_depth != png::BitDepth::Eight {
        return Err(ScanError::CorruptImage);
    }
    let (w, h) = (info.width as usize, info.height as usize);
    check_dimensions(info.width, info.height)?;
    let line = info.line_size;
    if line < w * channels || buffer.len() < line * h {
        return Err(ScanError::CorruptImage);
    }
    let mut pixels = Vec::with_capacity(w * h);
    for row in buffer.chunks_exact(line).take(h) {
        let row = &row[..w * channels];
        match channels {
            1 => pixels.extend_from_slice(row),
            2 => pixels.extend(row.chunks_exact(2).map(|p| over_white(p[0], p[1]))),
            3 => pixels.extend(row.chunks_exact(3).map(|p| luma(p[0], p[1], p[2]))),
            _ => pixels.extend(
                row.chunks_exact(4)
                    .map(|p| over_white(luma(p[0], p[1], p[2]), p[3])),
            ),
        }
    }
    Ok(LumaImage {
        width: info.width,
        height: info.height,
        pixels,
    })
}

fn decode_jpeg(bytes: &[u8]) -> Result<LumaImage, ScanError> {
    use zune_jpeg::zune_core::colorspace::ColorSpace;
    use zune_jpeg::zune_core::options::DecoderOptions;
    let options = DecoderOptions::default()
        .jpeg_set_out_colorspace(ColorSpace::Luma)
        .set_max_width(MAX_SIDE as usize)
        .set_max_height(MAX_SIDE as usize);
    let mut decoder = zune_jpeg::JpegDecoder::new_with_options(Cursor::new(bytes), options);
    decoder
        .decode_headers()
        .map_err(|_| ScanError::CorruptImage)?;
    let info = decoder.info().ok_or(ScanError::CorruptImage)?;
    let (width, height) = (u32::from(info.width), u32::from(info.height));
    check_dimensions(width, height)?;
    let pixels = decoder.decode().map_err(|_| ScanError::CorruptImage)?;
    if pixels.len() != width as usize * height as usize {
        return Err(ScanError::CorruptImage);
    }
    Ok(LumaImage {
        width,
        height,
        pixels,
    })
}

fn luma(r: u8, g: u8, b: u8) -> u8 {
    ((299 * u32::from(r) + 587 * u32::from(g) + 114 * u32::from(b) + 500) / 1000) as u8
}

fn over_white(value: u8, alpha: u8) -> u8 {
    let (v, a) = (u32::from(value), u32::from(alpha));
    ((v * a + 255 * (255 - a) + 127) / 255) as u8
}

// ------------------------------------------------------------------------------------------
// The passes.

/// A frame and the derived images the passes share (computed at most once each).
struct Prepared<'p> {
    full: &'p [u8],
    width: u32,
    height: u32,
    half: Option<(Vec<u8>, u32, u32)>,
    /// Most finder patterns any pass has seen.
    most_patterns: usize,
}

impl<'p> Prepared<'p> {
    fn new(full: &'p [u8], width: u32, height: u32) -> Self {
        Self {
            full,
            width,
            height,
            half: None,
            most_patterns: 0,
        }
    }

    fn can_halve(&self) -> bool {
        self.width.min(self.height) >= DOWNSCALE_MIN_SIDE
    }

    fn run(&mut self, p: &Pass) -> Vec<ScannedCode> {
        let (base, w, h, scale): (&[u8], u32, u32, f32) = if p.half {
            if self.half.is_none() {
                self.half = Some(halve(self.full, self.width, self.height));
            }
            match &self.half {
                Some((pixels, w, h)) => (pixels, *w, *h, 2.0),
                None => return Vec::new(),
            }
        } else {
            (self.full, self.width, self.height, 1.0)
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
        let (results, patterns) = decode(&prepared, w, h, p.binarize, p.try_harder);
        self.most_patterns = self.most_patterns.max(patterns);
        results.into_iter().map(|r| to_code(r, scale)).collect()
    }
}

fn decode(
    pixels: &[u8],
    width: u32,
    height: u32,
    b: Binarize,
    try_harder: bool,
) -> (Vec<RXingResult>, usize) {
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
        Some(read_codes(&matrix, try_harder))
    }));
    outcome.ok().flatten().unwrap_or_default()
}

/// Most finder-pattern triples tried per pass (bounds the time spent on cluttered frames).
const MAX_PATTERN_SETS: usize = 32;

/// Every QR code in a binary image, and how many finder patterns were seen: rxing's
/// `QrReader` steps (find finder patterns, group them in threes, sample the grid, decode),
/// with our own grouping (see [`finder_pattern_sets`]).
fn read_codes(matrix: &BitMatrix, try_harder: bool) -> (Vec<RXingResult>, usize) {
    let mut patterns = FindFinderPatterns(matrix, try_harder, 0);
    let found = patterns.len();
    let mut used: Vec<ConcentricPattern> = Vec::new();
    let mut results: Vec<RXingResult> = Vec::new();
    for set in finder_pattern_sets(&mut patterns) {
        if [set.bl, set.tl, set.tr].iter().any(|p| used.contains(p)) {
            continue;
        }
        let Ok(detected) = SampleQR(matrix, &set) else {
            continue;
        };
        let Ok(decoded) = QrDecode(detected.getBits()) else {
            continue;
        };
        if decoded.isValid() {
            used.extend([set.bl, set.tl, set.tr]);
            let result = RXingResult::with_decoder_result(
                decoded,
                detected.getPoints(),
                BarcodeFormat::QR_CODE,
            );
            if !results.iter().any(|r| r.getText() == result.getText()) {
                results.push(result);
            }
        }
    }
    (results, found)
}

/// Groups finder patterns into plausible (bottom-left, top-left, top-right) triples, most
/// plausible first. The method of ZXing-C++ (`GenerateFinderPatternSets`): patterns sorted
/// by size, triples of sizes at most 3x apart (tilt makes the near pattern look bigger),
/// two sides of comparable length at an angle of 90 +/- 30 degrees. rxing 0.9.3
/// reimplements this with a spatial index but takes the candidates in search order rather
/// than by size, which the size-weighted distances depend on, and allows only 2x: strongly
/// tilted codes whose three patterns it finds are then never tried.
fn finder_pattern_sets(patterns: &mut [ConcentricPattern]) -> Vec<FinderPatternSet> {
    patterns.sort_by_key(|p| p.size);
    let n = patterns.len();
    let distance2 = |a: &ConcentricPattern, b: &ConcentricPattern| {
        // Scaled by the size ratio: a coarse compensation for the foreshortening of tilted
        // codes (the nearer pattern looks bigger).
        f64::from(ConcentricPattern::dot(*a - *b, *a - *b)) * f64::from(b.size)
            / f64::from(a.size.max(1))
    };
    let cos_upper = ANGLE_MIN.to_radians().cos();
    let cos_lower = (180.0 - ANGLE_MIN).to_radians().cos();
    let mut sets: Vec<(f64, FinderPatternSet)> = Vec::new();
    for i in 0..n.saturating_sub(2) {
        for j in i + 1..n - 1 {
            for k in j + 1..n {
                let (mut a, mut b, mut c) = (&patterns[i], &patterns[j], &patterns[k]);
                // Sizes ascend: the rest of this loop is even further apart.
                if c.size > a.size * 3 {
                    break;
                }
                let mut ab2 = distance2(a, b);
                let mut bc2 = distance2(b, c);
                let mut ac2 = distance2(a, c);
                // Order so that AC is the longest side (B is the corner).
                if bc2 >= ab2 && bc2 >= ac2 {
                    std::mem::swap(&mut a, &mut b);
                    std::mem::swap(&mut bc2, &mut ac2);
                } else if ab2 >= ac2 && ab2 >= bc2 {
                    std::mem::swap(&mut b, &mut c);
                    std::mem::swap(&mut ab2, &mut ac2);
                }
                if ab2 > 4.0 * bc2 || bc2 > 4.0 * ab2 {
                    continue;
                }
                let (ab, bc) = (ab2.sqrt(), bc2.sqrt());
                let modules = (ab + bc) / (2.0 * f64::from(a.size + b.size + c.size) / 21.0) + 7.0;
                if !(21.0 * 0.9..=177.0 * 1.5).contains(&modules) {
                    continue;
                }
                let cos = (ab2 + bc2 - ac2) / (2.0 * ab * bc);
                if cos.is_nan() || cos > cos_upper || cos < cos_lower {
                    continue;
                }
                if ConcentricPattern::cross(*c - *b, *a - *b) < 0.0 {
                    std::mem::swap(&mut a, &mut c);
                }
                let score = ab + bc + (ab - bc).abs();
                sets.push((
                    score,
                    FinderPatternSet {
                        bl: *a,
                        tl: *b,
                        tr: *c,
                    },
                ));
            }
        }
    }
    sets.sort_by(|x, y| x.0.total_cmp(&y.0));
    sets.into_iter()
        .take(MAX_PATTERN_SETS)
        .map(|(_, set)| set)
        .collect()
}

/// Smallest angle accepted at the top-left finder pattern, in degrees (and 180 minus it the
/// largest).
const ANGLE_MIN: f64 = 60.0;

fn to_code(result: RXingResult, scale: f32) -> ScannedCode {
    ScannedCode {
        text: result.getText().to_owned(),
        bytes: result.getRawBytes().to_vec(),
        corners: result
            .getPoints()
            .iter()
            .map(|p| (p.x * scale, p.y * scale))
            .collect(),
    }
}

/// Local-average thresholding, the method of ZXing's HybridBinarizer: the frame is cut into
/// 8x8 blocks; a block with more than `min_range` grey levels between its darkest and
/// lightest pixel gets its mean as black point, a flatter one is taken for background (or
/// for the inside of a dark area when its neighbours say so); each pixel is then compared
/// with the mean black point of the 5x5 blocks around its own. `None` for frames under
/// 40x40 pixels.
///
/// The release profile optimises for size, which turns off the compiler's vectoriser, so
/// the per-pixel work is done eight pixels at a time in 64-bit words (SWAR: four 16-bit
/// lanes each for the even and the odd pixels), and rows are packed into bit words
/// directly, and blocks wholly on one side of their threshold skipped: about three times
/// faster than rxing's own binarizer here.
fn local_average_matrix(src: &[u8], width: u32, height: u32, min_range: u8) -> Option<BitMatrix> {
    const B: usize = 8;
    let (w, h) = (width as usize, height as usize);
    if w < 5 * B || h < 5 * B || src.len() < w * h {
        return None;
    }
    let (bw, bh) = (w.div_ceil(B), h.div_ceil(B));
    let mut black = vec![0u32; bw * bh];
    // Darkest and lightest pixel per block: a block entirely on one side of its threshold
    // (most of a frame is background) needs no per-pixel comparison.
    let mut extremes = vec![(0u8, 0u8); bw * bh];
    for by in 0..bh {
        // The last block row and column overlap the ones before, as in ZXing.
        let y0 = (by * B).min(h - B);
        for bx in 0..bw {
            let x0 = (bx * B).min(w - B);
            let (low, high, total) = block_stats(src, w, x0, y0);
            extremes[by * bw + bx] = (low as u8, high as u8);
            let mut point = total / (B * B) as u32;
            if high - low <= u32::from(min_range) {
                point = low / 2;
                if by > 0 && bx > 0 {
                    let neighbours = (black[(by - 1) * bw + bx]
                        + 2 * black[by * bw + bx - 1]
                        + black[(by - 1) * bw + bx - 1])
                        / 4;
                    if low < neighbours {
                        point = neighbours;
                    }
                }
            }
            black[by * bw + bx] = point;
        }
    }
    let mut matrix = BitMatrix::new(width, height).ok()?;
    let mut bits = BitArray::with_size(w);
    let mut words = vec![0usize; w.div_ceil(BIT_FIELD_BASE_BITS)];
    let mut thresholds = vec![0u32; bw];
    let mut prefix = vec![0u32; bw + 1];
    let bytes_per_word = BIT_FIELD_BASE_BITS / 8;
    for by in 0..bh {
        // Mean over the 5x5 blocks around each block (windows clamped inside the grid).
        let cy = by.clamp(2, bh - 3);
        // Running sums: each block column over the five block rows, then across.
        let mut across = 0u32;
        prefix[0] = 0;
        for bx in 0..bw {
            let column: u32 = (0..5).map(|r| black[(cy - 2 + r) * bw + bx]).sum();
            across += column;
            prefix[bx + 1] = across;
        }
        for (bx, t) in thresholds.iter_mut().enumerate() {
            let cx = bx.clamp(2, bw - 3);
            *t = (prefix[cx + 3] - prefix[cx - 2]) / 25;
        }
        for y in by * B..((by + 1) * B).min(h) {
            let row = &src[y * w..(y + 1) * w];
            words.fill(0);
            let extremes = &extremes[by * bw..(by + 1) * bw];
            for (bx, (&t, &(low, high))) in thresholds.iter().zip(extremes).enumerate() {
                let x = bx * B;
                // The block's statistics window covers all the pixels it thresholds.
                let dark = if u32::from(low) > t {
                    0
                } else if u32::from(high) <= t {
                    (1u64 << (w - x).min(B)) - 1
                } else if x + B <= w {
                    dark_bits(load8(row, x), t)
                } else {
                    // The partial block at the end of the row.
                    row[x..]
                        .iter()
                        .enumerate()
                        .fold(0u64, |m, (i, &p)| m | (u64::from(u32::from(p) <= t) << i))
                };
                words[bx / bytes_per_word] |= (dark as usize) << (8 * (bx % bytes_per_word));
            }
            for (i, &word) in words.iter().enumerate() {
                bits.setBulk(i * BIT_FIELD_BASE_BITS, word);
            }
            matrix.setRow(y as u32, &bits);
        }
    }
    Some(matrix)
}

/// Even bytes of a word in 16-bit lanes.
const LANES16: u64 = 0x00FF_00FF_00FF_00FF;
/// Bit 15 of each 16-bit lane.
const HIGH16: u64 = 0x8000_8000_8000_8000;
/// 1 in each 16-bit lane.
const ONES16: u64 = 0x0001_0001_0001_0001;

/// Eight pixels from `at` as a little-endian word (pixel `at` in the low byte).
#[inline(always)]
fn load8(bytes: &[u8], at: usize) -> u64 {
    let mut lanes = [0u8; 8];
    lanes.copy_from_slice(&bytes[at..at + 8]);
    u64::from_le_bytes(lanes)
}

/// Per 16-bit lane (values below 0x8000): 0x7FFF where `a >= b`, else 0.
#[inline(always)]
fn ge_mask16(a: u64, b: u64) -> u64 {
    // a + 0x8000 - b never borrows across lanes; bit 15 is set exactly when a >= b.
    let ge = ((a | HIGH16) - b) & HIGH16;
    ge - (ge >> 15)
}

/// Darkest and lightest pixel and the sum of the 8x8 block at (x0, y0).
#[inline(always)]
fn block_stats(src: &[u8], w: usize, x0: usize, y0: usize) -> (u32, u32, u32) {
    let (mut high, mut low, mut sum) = (0u64, LANES16, 0u64);
    for r in 0..8 {
        let v = load8(src, (y0 + r) * w + x0);
        let (even, odd) = (v & LANES16, (v >> 8) & LANES16);
        let d = (even ^ odd) & ge_mask16(even, odd);
        let (hi, lo) = (odd ^ d, even ^ d);
        high ^= (high ^ hi) & ge_mask16(hi, high);
        low ^= (low ^ lo) & ge_mask16(low, lo);
        sum += even + odd;
    }
    let lane = |v: u64, i: u32| ((v >> (16 * i)) & 0xFFFF) as u32;
    let high = (0..4).map(|i| lane(high, i)).max().unwrap_or(0);
    let low = (0..4).map(|i| lane(low, i)).min().unwrap_or(0);
    // Horizontal sum of the four lanes (at most 16,320: no overflow).
    let total = (sum.wrapping_mul(ONES16) >> 48) as u32;
    (low, high, total)
}

/// Bit i set where pixel i of the word is at most `threshold`.
#[inline(always)]
fn dark_bits(v: u64, threshold: u32) -> u64 {
    if threshold >= 255 {
        return 0xFF;
    }
    let t = u64::from(threshold + 1) * ONES16;
    let (even, odd) = (v & LANES16, (v >> 8) & LANES16);
    // Light (> threshold) flags at bit 15 of each lane; even pixels moved to bit 7 of
    // their own byte, odd ones already at bit 7 of theirs.
    let light = ((((even | HIGH16) - t) & HIGH16) >> 8) | (((odd | HIGH16) - t) & HIGH16);
    let gathered = ((light >> 7) & 0x0101_0101_0101_0101).wrapping_mul(0x0102_0408_1020_4080) >> 56;
    !gathered & 0xFF
}

/// Half size by 2x2 box averaging (eight source pixels of two rows per step).
fn halve(src: &[u8], width: u32, height: u32) -> (Vec<u8>, u32, u32) {
    let (w, h) = (width as usize, height as usize);
    let (hw, hh) = (w / 2, h / 2);
    let mut out = vec![0u8; hw * hh];
    for (y, dst) in out.chunks_exact_mut(hw.max(1)).enumerate().take(hh) {
        let r0 = &src[2 * y * w..2 * y * w + w];
        let r1 = &src[(2 * y + 1) * w..(2 * y + 1) * w + w];
        let mut x = 0;
        while 2 * x + 8 <= w && x + 4 <= hw {
            let (a, b) = (load8(r0, 2 * x), load8(r1, 2 * x));
            let sums = (a & LANES16) + ((a >> 8) & LANES16) + (b & LANES16) + ((b >> 8) & LANES16);
            let v = ((sums + 2 * ONES16) >> 2) & LANES16;
            // Four 16-bit lanes -> four bytes.
            let v = (v | (v >> 8)) & 0x0000_FFFF_0000_FFFF;
            let v = (v | (v >> 16)) as u32;
            dst[x..x + 4].copy_from_slice(&v.to_le_bytes());
            x += 4;
        }
        while x < hw {
            let sum = u16::from(r0[2 * x])
                + u16::from(r0[2 * x + 1])
                + u16::from(r1[2 * x])
                + u16::from(r1[2 * x + 1]);
            dst[x] = ((sum + 2) / 4) as u8;
            x += 1;
        }
    }
    (out, hw as u32, hh as u32)
}

/// Stretches the 0.5th..99.5th percentile to the full range; `None` when the frame already
/// spans most of it (nothing to gain).
fn stretch(src: &[u8]) -> Option<Vec<u8>> {
    let mut histogram = [0u32; 256];
    let step = if src.len() > 1 << 20 { 3 } else { 1 };
    let mut n = 0u32;
    for &v in src.iter().step_by(step) {
        histogram[usize::from(v)] += 1;
        n += 1;
    }
    let cut = n / 200;
    let (mut lo, mut acc) = (0usize, 0u32);
    while lo < 255 && acc + histogram[lo] <= cut {
        acc += histogram[lo];
        lo += 1;
    }
    let (mut hi, mut acc) = (255usize, 0u32);
    while hi > lo && acc + histogram[hi] <= cut {
        acc += histogram[hi];
        hi -= 1;
    }
    let span = hi.saturating_sub(lo);
    if span >= 180 || span == 0 {
        return None;
    }
    let mut table = [0u8; 256];
    for (v, t) in table.iter_mut().enumerate() {
        let x = (v.clamp(lo, hi) - lo) * 255 / span;
        *t = x as u8;
    }
    Some(src.iter().map(|&v| table[usize::from(v)]).collect())
}

/// Maps each pixel with the mean of the (2 radius + 1)^2 window around it (edges
/// replicated): `f(pixel, mean)`. Running sums down the columns, then along each row; the
/// division is a multiplication. One pass, no buffer the size of the frame but the output.
fn box_map(
    src: &[u8],
    width: u32,
    height: u32,
    radius: usize,
    f: impl Fn(u8, u8) -> u8,
) -> Vec<u8> {
    let (w, h) = (width as usize, height as usize);
    // Column sums of `side` pixels fit 16 bits.
    let radius = radius.min(127);
    let side = 2 * radius + 1;
    let reciprocal = (1u64 << 32).div_ceil((side * side) as u64);
    let row = |y: isize| {
        let y = y.clamp(0, h as isize - 1) as usize;
        &src[y * w..(y + 1) * w]
    };
    let mut columns = vec![0u16; w];
    for dy in -(radius as isize)..=radius as isize {
        for (c, &p) in columns.iter_mut().zip(row(dy)) {
            *c += u16::from(p);
        }
    }
    let mut padded = vec![0u16; w + side];
    let mut out = vec![0u8; w * h];
    for (y, dst) in out.chunks_exact_mut(w).enumerate() {
        let (first, last) = (columns[0], columns[w - 1]);
        padded[..radius].fill(first);
        padded[radius..radius + w].copy_from_slice(&columns);
        padded[radius + w..].fill(last);
        let mut sum: u32 = padded[..side].iter().map(|&c| u32::from(c)).sum();
        let pixels = &src[y * w..(y + 1) * w];
        for (x, (d, &p)) in dst.iter_mut().zip(pixels).enumerate() {
            let mean = ((u64::from(sum) * reciprocal) >> 32).min(255) as u8;
            *d = f(p, mean);
            sum = sum + u32::from(padded[x + side]) - u32::from(padded[x]);
        }
        let (add, sub) = (
            row(y as isize + radius as isize + 1),
            row(y as isize - radius as isize),
        );
        for ((c, &a), &s) in columns.iter_mut().zip(add).zip(sub) {
            *c = *c + u16::from(a) - u16::from(s);
        }
    }
    out
}

/// Each pixel against the local mean: 128 + gain * (pixel - mean), the gain set by the
/// local mean absolute deviation, so weak local contrast is lifted and glare and shadow
/// gradients are flattened.
fn local_normalize(src: &[u8], width: u32, height: u32) -> Vec<u8> {
    let radius = (width.min(height) as usize / 40).clamp(8, 32);
    let deviation = box_map(src, width, height, radius, |p, m| p.abs_diff(m));
    let centred = box_map(src, width, height, radius, |p, m| {
        (128 + (i32::from(p) - i32::from(m)) / 2).clamp(0, 255) as u8
    });
    let spread = box_map(&deviation, width, height, radius, |_, m| m);
    centred
        .iter()
        .zip(&spread)
        .map(|(&c, &s)| {
            let d = (i32::from(c) - 128) * 2;
            (128 + d * 48 / i32::from(s).max(4)).clamp(0, 255) as u8
        })
        .collect()
}

/// Unsharp mask against blur: 2 * pixel - mean of its 5x5 neighbourhood.
fn sharpen(src: &[u8], width: u32, height: u32) -> Vec<u8> {
    box_map(src, width, height, 2, |p, m| {
        (2 * i32::from(p) - i32::from(m)).clamp(0, 255) as u8
    })
}

// ------------------------------------------------------------------------------------------
// The session.

/// What one frame (or one text) gave a [`Scanner`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ScanUpdate {
    /// No QR code was found in the frame (keep aiming).
    NothingFound,
    /// A complete message: a single code, or the frame that completed an animated one.
    /// Frames showing a message already completed give it again; the app stops at the
    /// first.
    Complete(Envelope),
    /// A frame of an animated message was taken; more are needed.
    Progress {
        /// Distinct frames received so far.
        useful: u32,
        /// Frames needed at the least.
        needed: u32,
    },
    /// Only QR codes that are not Laissez codes (their texts, for the app to say what it
    /// saw or to hand them elsewhere).
    NotLaissez(Vec<String>),
    /// A Laissez code that cannot be used (newer format version, damaged, a frame that
    /// contradicts its sequence): why.
    Rejected(QrError),
}

/// A scanning session: feed it camera frames (or QR texts read by a native scanner) and it
/// yields complete Laissez messages. Single `LZ1:` codes complete at once; `LZF1:` frames of
/// an animated sequence are assembled in any order, tolerating drops and repeats. When the
/// frames of a different animated message start arriving, the session switches to it.
#[derive(Debug, Default)]
pub struct Scanner {
    effort: ScanEffort,
    assembler: FrameAssembler,
    /// Id of the animated message in the assembler, when known.
    current: Option<[u8; 8]>,
    /// The animated message completed last, and its id.
    completed: Option<([u8; 8], Envelope)>,
}

impl Scanner {
    /// A new session for camera frames.
    pub fn new() -> Self {
        Self::default()
    }

    /// A new session with a given scanning effort.
    pub fn with_effort(effort: ScanEffort) -> Self {
        Self {
            effort,
            ..Self::default()
        }
    }

    /// Scans one luma frame and takes what it holds.
    pub fn push_frame(&mut self, frame: &LumaFrame<'_>) -> ScanUpdate {
        let codes = scan_frame(frame, self.effort);
        self.push_codes(codes.iter().map(|c| c.text.as_str()))
    }

    /// Takes the text of one QR code read elsewhere (for example by the platform's own
    /// scanner).
    pub fn push_text(&mut self, text: &str) -> ScanUpdate {
        self.push_codes(std::iter::once(text))
    }

    /// Takes the texts of all codes seen in one frame; reports the most useful outcome
    /// (complete, then progress, then a rejection, then foreign codes).
    pub fn push_codes<'t>(&mut self, texts: impl IntoIterator<Item = &'t str>) -> ScanUpdate {
        let mut best = ScanUpdate::NothingFound;
        for text in texts {
            let update = self.take(text);
            if rank(&update) > rank(&best) {
                best = update;
            } else if let (ScanUpdate::NotLaissez(all), ScanUpdate::NotLaissez(more)) =
                (&mut best, update)
            {
                all.extend(more);
            }
        }
        best
    }

    /// Where the animated message being assembled stands (`useful: 0, needed: 0` when none).
    pub fn progress(&self) -> FrameProgress {
        self.assembler.progress()
    }

    /// Forgets the animated message being assembled and the last completed one.
    pub fn reset(&mut self) {
        self.assembler.reset();
        self.current = None;
        self.completed = None;
    }

    fn take(&mut self, text: &str) -> ScanUpdate {
        if frames::is_frame(text) {
            return self.take_frame(text);
        }
        match envelope::decode(text) {
            Ok(message) => ScanUpdate::Complete(message),
            Err(QrError::NotLaissez) => ScanUpdate::NotLaissez(vec![text.to_owned()]),
            Err(e) => ScanUpdate::Rejected(e),
        }
    }

    fn take_frame(&mut self, text: &str) -> ScanUpdate {
        let id = frame_message_id(text);
        if let (Some(id), Some((done, message))) = (id, &self.completed) {
            if id == *done {
                return ScanUpdate::Complete(message.clone());
            }
        }
        if id.is_some() && self.current.is_some() && id != self.current {
            // Another animated message: switch to it.
            self.assembler.reset();
            self.current = None;
        }
        match self.assembler.push(text) {
            Ok(FrameProgress::Complete(message)) => {
                if let Some(id) = id.or(self.current) {
                    self.completed = Some((id, message.clone()));
                }
                self.assembler.reset();
                self.current = None;
                ScanUpdate::Complete(message)
            }
            Ok(FrameProgress::Incomplete { useful, needed }) => {
                if self.current.is_none() {
                    self.current = id;
                }
                ScanUpdate::Progress { useful, needed }
            }
            Err(e) => ScanUpdate::Rejected(e),
        }
    }
}

fn rank(update: &ScanUpdate) -> u8 {
    match update {
        ScanUpdate::NothingFound => 0,
        ScanUpdate::NotLaissez(_) => 1,
        ScanUpdate::Rejected(_) => 2,
        ScanUpdate::Progress { .. } => 3,
        ScanUpdate::Complete(_) => 4,
    }
}

/// The message id of a frame text (first field of its CBOR), without checking the rest.
fn frame_message_id(text: &str) -> Option<[u8; 8]> {
    let body = text.strip_prefix(frames::FRAME_PREFIX)?;
    let bytes = base45::decode(body.trim_end_matches(['\r', '\n'])).ok()?;
    // CBOR: array header (0x85), then a byte string of 8 (0x48) and the 8 bytes.
    match bytes.get(..10)? {
        [0x85, 0x48, id @ ..] => id.try_into().ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use rxing::common::HybridBinarizer;

    use super::*;
    use crate::qr::envelope::MessageKind;
    use crate::qr::frames::{FrameOptions, encode_for_display};

    /// A deterministic pseudo-random byte stream (xorshift).
    fn noise(len: usize, seed: u32) -> Vec<u8> {
        let mut x = seed.max(1);
        (0..len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                (x >> 24) as u8
            })
            .collect()
    }

    #[test]
    fn frame_sizes_are_checked() {
        let data = vec![0u8; 100];
        assert_eq!(
            LumaFrame::new(0, 10, 10, &data).unwrap_err(),
            ScanError::EmptyFrame {
                width: 0,
                height: 10
            }
        );
        assert_eq!(
            LumaFrame::new(10, 10, 9, &data).unwrap_err(),
            ScanError::StrideTooSmall {
                stride: 9,
                width: 10
            }
        );
        assert_eq!(
            LumaFrame::new(10, 11, 10, &data).unwrap_err(),
            ScanError::BufferTooSmall {
                needed: 110,
                actual: 100
            }
        );
        // The last row needs no padding.
        assert!(LumaFrame::new(10, 10, 12, &[0u8; 118]).is_ok());
        assert!(LumaFrame::new(10, 10, 12, &[0u8; 117]).is_err());
        assert_eq!(
            LumaFrame::new(u32::MAX, u32::MAX, u32::MAX, &data).unwrap_err(),
            ScanError::FrameTooLarge {
                width: u32::MAX,
                height: u32::MAX
            }
        );
        // Padding is dropped before decoding.
        let padded: Vec<u8> = (0..3 * 5).map(|i| i as u8).collect();
        let frame = LumaFrame::new(3, 3, 5, &padded[..13]).unwrap();
        assert_eq!(&*frame.packed_pixels(), &[0, 1, 2, 5, 6, 7, 10, 11, 12]);
    }

    #[test]
    fn swar_helpers_match_plain_code() {
        let bytes = noise(4096, 7);
        for chunk in bytes.chunks_exact(8) {
            let v = load8(chunk, 0);
            for t in [0u32, 1, 17, 100, 128, 200, 254, 255] {
                let expected = chunk
                    .iter()
                    .enumerate()
                    .fold(0, |m, (i, &p)| m | (u64::from(u32::from(p) <= t) << i));
                assert_eq!(dark_bits(v, t), expected, "{chunk:?} {t}");
            }
        }
        for (i, block) in bytes.chunks_exact(64).enumerate() {
            // Some flat blocks too.
            let block: Vec<u8> = if i % 3 == 0 {
                block.iter().map(|&p| 200 + p % 20).collect()
            } else {
                block.to_vec()
            };
            let (lo, hi, sum) = block_stats(&block, 8, 0, 0);
            assert_eq!(lo, u32::from(*block.iter().min().unwrap()));
            assert_eq!(hi, u32::from(*block.iter().max().unwrap()));
            assert_eq!(sum, block.iter().map(|&p| u32::from(p)).sum::<u32>());
        }
        let (w, h) = (37u32, 9u32);
        let src = noise((w * h) as usize, 3);
        let (half, hw, hh) = halve(&src, w, h);
        assert_eq!((hw, hh), (18, 4));
        for y in 0..hh as usize {
            for x in 0..hw as usize {
                let at =
                    |dx: usize, dy: usize| u16::from(src[(2 * y + dy) * w as usize + 2 * x + dx]);
                let mean = (at(0, 0) + at(1, 0) + at(0, 1) + at(1, 1) + 2) / 4;
                assert_eq!(u16::from(half[y * hw as usize + x]), mean);
            }
        }
    }

    #[test]
    fn binarizer_is_bit_identical_to_rxing_hybrid() {
        // Width and height multiples of 8 (rxing ORs two thresholds in the overlapping last
        // block; we use one), with flat areas, gradients and noise.
        let (w, h) = (96u32, 64u32);
        let grain = noise((w * h) as usize, 11);
        let src: Vec<u8> = (0..w * h)
            .map(|i| {
                let (x, y) = (i % w, i / w);
                if x < 30 {
                    180 + grain[i as usize] % 8
                } else if y < 20 {
                    (x * 2 + y) as u8
                } else {
                    grain[i as usize]
                }
            })
            .collect();
        let ours = local_average_matrix(&src, w, h, 24).unwrap();
        let source = Luma8Source::new(src.clone(), w, h).unwrap();
        let theirs = HybridBinarizer::new(source)
            .get_black_matrix()
            .unwrap()
            .clone();
        assert_eq!(ours, theirs);
        assert!(local_average_matrix(&src[..100], 10, 10, 24).is_none());
    }

    #[test]
    fn box_mean_matches_plain_code() {
        let (w, h) = (23u32, 17u32);
        let src = noise((w * h) as usize, 5);
        for radius in [1usize, 2, 5] {
            let got = box_map(&src, w, h, radius, |_, m| m);
            for y in 0..h as isize {
                for x in 0..w as isize {
                    let r = radius as isize;
                    let mut sum = 0u32;
                    for dy in -r..=r {
                        for dx in -r..=r {
                            let (xx, yy) = (
                                (x + dx).clamp(0, w as isize - 1),
                                (y + dy).clamp(0, h as isize - 1),
                            );
                            sum += u32::from(src[(yy * w as isize + xx) as usize]);
                        }
                    }
                    let side = (2 * radius + 1) as u32;
                    let expected = sum / (side * side);
                    let actual = u32::from(got[(y * w as isize + x) as usize]);
                    assert!(actual.abs_diff(expected) <= 1, "{x},{y} r{radius}");
                }
            }
        }
    }

    #[test]
    fn hostile_frames_and_files_give_errors_or_nothing() {
        for seed in 1..40u32 {
            let bytes = noise(64 + (seed as usize * 997) % 5000, seed);
            // Random pixels: nothing found, no panic.
            let side = (bytes.len() as f64).sqrt() as u32;
            let frame = LumaFrame::packed(side, side, &bytes).unwrap();
            assert!(scan_frame(&frame, ScanEffort::Thorough).is_empty());
            // Random bytes, and random bytes behind image signatures.
            assert_eq!(
                scan_image(&bytes).unwrap_err(),
                ScanError::UnsupportedImageFormat
            );
            for magic in [&b"\x89PNG\r\n\x1a\n"[..], &[0xFF, 0xD8, 0xFF]] {
                let file = [magic, &bytes].concat();
                assert!(scan_image(&file).is_err());
            }
        }
        // Every truncation of a real PNG and JPEG.
        let matrix = crate::qr::render::render("LZ1:TRUNCATED", Default::default()).unwrap();
        let png = matrix.to_png(&Default::default()).unwrap();
        assert_eq!(scan_image(&png).unwrap()[0].text, "LZ1:TRUNCATED");
        for cut in 0..png.len() - 1 {
            let result = scan_image(&png[..cut]);
            // Only the 12-byte IEND trailer may be missing.
            if cut < png.len() - 12 {
                assert!(result.is_err(), "cut at {cut}");
            }
        }
        assert_eq!(
            scan_image(&vec![0u8; MAX_IMAGE_FILE_LEN + 1]).unwrap_err(),
            ScanError::ImageFileTooLarge
        );
    }

    #[test]
    fn scanner_session_outcomes() {
        let single = crate::qr::envelope::encode(&Envelope {
            kind: MessageKind::VerifierRequest,
            payload: b"hello".to_vec(),
        })
        .unwrap();
        let mut scanner = Scanner::new();
        assert!(
            matches!(scanner.push_text(&single), ScanUpdate::Complete(e) if e.payload == b"hello")
        );
        assert_eq!(
            scanner.push_text("HC1:NOT-OURS"),
            ScanUpdate::NotLaissez(vec!["HC1:NOT-OURS".into()])
        );
        assert_eq!(
            scanner.push_text("LZ2:FUTURE"),
            ScanUpdate::Rejected(QrError::UnsupportedVersion("2".into()))
        );
        assert_eq!(scanner.push_codes([]), ScanUpdate::NothingFound);
        // Foreign codes beside a Laissez one: the Laissez one wins.
        assert!(matches!(
            scanner.push_codes(["HC1:X", single.as_str(), "WIFI:S:x"]),
            ScanUpdate::Complete(_)
        ));
        assert_eq!(
            scanner.push_codes(["HC1:X", "WIFI:S:x"]),
            ScanUpdate::NotLaissez(vec!["HC1:X".into(), "WIFI:S:x".into()])
        );

        // Two animated messages: the session follows the newer one, and frames of a completed
        // message give it again.
        let big = |seed| Envelope {
            kind: MessageKind::Backup,
            payload: noise(4_000, seed),
        };
        let a = encode_for_display(&big(1), &FrameOptions::default()).unwrap();
        let b = encode_for_display(&big(2), &FrameOptions::default()).unwrap();
        assert!(a.len() > 4);
        assert_eq!(frame_message_id(&a[0]), frame_message_id(&a[1]));
        assert_ne!(frame_message_id(&a[0]), frame_message_id(&b[0]));
        assert!(matches!(
            scanner.push_text(&a[0]),
            ScanUpdate::Progress { useful: 1, .. }
        ));
        assert!(matches!(
            scanner.push_text(&b[0]),
            ScanUpdate::Progress { useful: 1, .. }
        ));
        let mut done = None;
        for frame in b.iter().skip(1) {
            if let ScanUpdate::Complete(m) = scanner.push_text(frame) {
                done = Some(m);
                break;
            }
        }
        assert_eq!(done, Some(big(2)));
        assert_eq!(scanner.push_text(&b[0]), ScanUpdate::Complete(big(2)));
        assert!(matches!(
            scanner.push_text("LZF1:%%%"),
            ScanUpdate::Rejected(QrError::BadBase45)
        ));
    }
}
