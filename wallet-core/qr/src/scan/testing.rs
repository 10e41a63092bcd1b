//! Deterministic pseudo-random bytes for the tests.

/// A deterministic pseudo-random byte stream (xorshift).
pub(super) fn noise(len: usize, seed: u32) -> Vec<u8> {
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

/// Hostile inputs: 39 runs of noise, 64 to about 5,000 bytes long.
pub(super) fn hostile_inputs() -> impl Iterator<Item = Vec<u8>> {
    (1..40u32).map(|seed| noise(64 + (seed as usize * 997) % 5000, seed))
}
