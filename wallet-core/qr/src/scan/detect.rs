//! From a binary image to decoded codes: finder patterns found by rxing, grouped into
//! triples by our port of ZXing-C++'s grouping, then sampled and decoded by rxing.

use rxing::common::cpp_essentials::ConcentricPattern;
use rxing::common::{BitMatrix, DetectorRXingResult};
use rxing::qrcode::cpp_port::decoder::Decode as QrDecode;
use rxing::qrcode::cpp_port::detector::{FindFinderPatterns, FinderPatternSet, SampleQR};
use rxing::{BarcodeFormat, RXingResult};

use super::{FinderSearch, ScannedCode};

/// Most finder-pattern triples tried per pass (bounds the time spent on cluttered frames).
const MAX_PATTERN_SETS: usize = 32;

/// Every QR code in a binary image, and how many finder patterns were seen: rxing's
/// `QrReader` steps (find finder patterns, group them in threes, sample the grid, decode),
/// with our own grouping (see [`finder_pattern_sets`]).
pub(super) fn read_codes(
    matrix: &BitMatrix,
    finder_search: FinderSearch,
) -> (Vec<RXingResult>, usize) {
    let try_harder = finder_search == FinderSearch::Dense;
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

/// A decoder result as a [`ScannedCode`], its corners in frame pixels (`scale`: frame pixels
/// per pixel of the image read).
pub(super) fn to_code(result: RXingResult, scale: f32) -> ScannedCode {
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
