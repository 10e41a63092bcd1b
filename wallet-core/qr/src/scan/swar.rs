//! SWAR ("SIMD within a register") arithmetic on eight 8-bit pixels in a `u64`: four 16-bit
//! lanes each for the even and the odd pixels. The release profile optimises for size, which
//! turns off the compiler's vectoriser; these keep the per-pixel loops of the binarizer and
//! of [`halve`](super::filters::halve) fast.

/// Even bytes of a word in 16-bit lanes.
pub(super) const LANES16: u64 = 0x00FF_00FF_00FF_00FF;
/// Bit 15 of each 16-bit lane.
const HIGH16: u64 = 0x8000_8000_8000_8000;
/// 1 in each 16-bit lane.
pub(super) const ONES16: u64 = 0x0001_0001_0001_0001;

/// Eight pixels from `at` as a little-endian word (pixel `at` in the low byte).
#[inline(always)]
pub(super) fn load8(bytes: &[u8], at: usize) -> u64 {
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
pub(super) fn block_stats(src: &[u8], w: usize, x0: usize, y0: usize) -> (u32, u32, u32) {
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
pub(super) fn dark_bits(v: u64, threshold: u32) -> u64 {
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;
    use crate::scan::testing::noise;

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
    }
}
