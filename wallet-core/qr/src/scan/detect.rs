//! From a binary image to decoded codes: finder patterns found by rxing, grouped into
//! triples by our port of ZXing-C++'s grouping, then sampled and decoded by rxing. The
//! content bytes become text here ([`content_text`]), not through rxing's character sets.

use rxing::Point;
use rxing::common::cpp_essentials::ConcentricPattern;
use rxing::common::{BitMatrix, DetectorRXingResult};
use rxing::qrcode::cpp_port::decoder::Decode as QrDecode;
use rxing::qrcode::cpp_port::detector::{FindFinderPatterns, FinderPatternSet, SampleQR};

use super::{FinderSearch, ScannedCode};

/// Most finder-pattern triples tried per pass (bounds the time spent on cluttered frames).
const MAX_PATTERN_SETS: usize = 32;

/// One decoded code: its content bytes and its corners in the pixels of the image read.
pub(super) struct Decoded {
    bytes: Vec<u8>,
    points: Vec<Point>,
}

/// Which of a pass's finder-pattern triples (most plausible first) to try.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Attempts {
    /// Triples already tried (on earlier frames).
    pub skip: usize,
    /// Most triples to try now.
    pub limit: usize,
}

impl Attempts {
    /// Every triple (up to [`MAX_PATTERN_SETS`]).
    pub const ALL: Attempts = Attempts {
        skip: 0,
        limit: MAX_PATTERN_SETS,
    };
}

/// What reading a binary image gave.
pub(super) struct Read {
    /// The codes decoded.
    pub codes: Vec<Decoded>,
    /// Finder patterns seen.
    pub patterns: usize,
    /// Triples tried.
    pub tried: usize,
}

/// Every QR code in a binary image, and how many finder patterns were seen: rxing's
/// `QrReader` steps (find finder patterns, group them in threes, sample the grid, decode),
/// with our own grouping (see [`finder_pattern_sets`]), trying the triples `attempts` says.
pub(super) fn read_codes(
    matrix: &BitMatrix,
    finder_search: FinderSearch,
    attempts: Attempts,
) -> Read {
    let try_harder = finder_search == FinderSearch::Dense;
    let mut patterns = FindFinderPatterns(matrix, try_harder, 0);
    let found = patterns.len();
    let mut used: Vec<ConcentricPattern> = Vec::new();
    let mut results: Vec<Decoded> = Vec::new();
    let sets = finder_pattern_sets(&mut patterns);
    let end = attempts.skip.saturating_add(attempts.limit).min(sets.len());
    let window = sets.get(attempts.skip..end).unwrap_or_default();
    for set in window {
        if [set.bl, set.tl, set.tr].iter().any(|p| used.contains(p)) {
            continue;
        }
        let Ok(detected) = SampleQR(matrix, set) else {
            continue;
        };
        let Ok(decoded) = QrDecode(detected.getBits()) else {
            continue;
        };
        if decoded.isValid() {
            used.extend([set.bl, set.tl, set.tr]);
            // Only the bytes are taken: `decoded.text()` would decode them through rxing's
            // character sets, which link `encoding_rs` (ADR 0009, fourth amendment).
            let bytes = decoded.content().bytes();
            if !results.iter().any(|r| r.bytes == bytes) {
                results.push(Decoded {
                    bytes: bytes.to_vec(),
                    points: detected.getPoints().to_vec(),
                });
            }
        }
    }
    Read {
        codes: results,
        patterns: found,
        tried: window.len(),
    }
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

/// A decoded code as a [`ScannedCode`], its corners in frame pixels (`scale`: frame pixels
/// per pixel of the image read).
pub(super) fn to_code(decoded: Decoded, scale: f32) -> ScannedCode {
    ScannedCode {
        text: content_text(&decoded.bytes),
        corners: decoded
            .points
            .iter()
            .map(|p| (p.x * scale, p.y * scale))
            .collect(),
        bytes: decoded.bytes,
    }
}

/// The text of a code's content bytes: UTF-8 when they are valid UTF-8 (every ASCII code:
/// numeric, alphanumeric, URLs; byte mode in UTF-8 with or without its ECI), otherwise one
/// character per byte (ISO-8859-1, QR byte mode's default character set).
///
/// rxing would instead guess among its character sets (Shift_JIS, GB18030, the Windows code
/// pages) through `encoding_rs`, whose tables are 159 KB of the phone library; Laissez codes
/// are Base45 in alphanumeric mode and never need that. A code in another character set
/// (Kanji mode, a Shift_JIS or Cyrillic ECI) is still returned, its bytes intact, with that
/// per-byte text, which is also rxing's own fallback when a decoding fails.
pub(super) fn content_text(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => bytes.iter().map(|&b| char::from(b)).collect(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use qrcode::{Color, QrCode};

    use super::super::{LumaFrame, ScanEffort, scan_frame};
    use super::*;

    /// `data` as a QR code (the `qrcode` crate picks byte mode for non-alphanumeric data),
    /// drawn 4 pixels a module with a 4-module quiet zone, and scanned.
    fn scan_code_of(data: &[u8]) -> Vec<ScannedCode> {
        let code = QrCode::new(data).unwrap();
        let modules = code.width();
        let colors = code.to_colors();
        let side = (modules + 8) * 4;
        let mut pixels = vec![255u8; side * side];
        for (i, color) in colors.iter().enumerate() {
            if *color == Color::Dark {
                let (x, y) = ((i % modules + 4) * 4, (i / modules + 4) * 4);
                for row in y..y + 4 {
                    pixels[row * side + x..row * side + x + 4].fill(0);
                }
            }
        }
        let side = u32::try_from(side).unwrap();
        scan_frame(
            &LumaFrame::new(side, side, side, &pixels).unwrap(),
            ScanEffort::Thorough,
        )
    }

    #[test]
    fn byte_mode_utf8_is_read_as_utf8() {
        let text = "Grüße — مرحبا — https://example.org/?q=1";
        let codes = scan_code_of(text.as_bytes());
        assert_eq!(codes.len(), 1);
        assert_eq!(codes[0].text, text);
        assert_eq!(codes[0].bytes, text.as_bytes());
    }

    #[test]
    fn byte_mode_that_is_not_utf8_is_read_as_latin1() {
        // "Grüße" in ISO-8859-1: 0xFC 0xDF are not UTF-8.
        let bytes = [0x47, 0x72, 0xFC, 0xDF, 0x65];
        let codes = scan_code_of(&bytes);
        assert_eq!(codes.len(), 1);
        assert_eq!(codes[0].text, "Grüße");
        assert_eq!(codes[0].bytes, bytes);
    }

    #[test]
    fn content_text_is_utf8_or_one_char_per_byte() {
        assert_eq!(content_text(b"LZ1:ABC 123"), "LZ1:ABC 123");
        assert_eq!(content_text("é".as_bytes()), "é");
        assert_eq!(content_text(&[0xE9]), "é");
        assert_eq!(content_text(&[0x00, 0x80, 0xFF]), "\u{0}\u{80}\u{FF}");
        assert_eq!(content_text(&[]), "");
    }
}
