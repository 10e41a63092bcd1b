//! Pixel preparation for the passes: half size, contrast stretch, local contrast
//! normalisation and sharpening, and the box mean the last two are built on.

use super::swar::{LANES16, ONES16, load8};

/// Half size by 2x2 box averaging (eight source pixels of two rows per step).
pub(super) fn halve(src: &[u8], width: u32, height: u32) -> (Vec<u8>, u32, u32) {
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
pub(super) fn stretch(src: &[u8]) -> Option<Vec<u8>> {
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
pub(super) fn local_normalize(src: &[u8], width: u32, height: u32) -> Vec<u8> {
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
pub(super) fn sharpen(src: &[u8], width: u32, height: u32) -> Vec<u8> {
    box_map(src, width, height, 2, |p, m| {
        (2 * i32::from(p) - i32::from(m)).clamp(0, 255) as u8
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;
    use crate::scan::testing::noise;

    #[test]
    fn halve_matches_plain_code() {
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
}
