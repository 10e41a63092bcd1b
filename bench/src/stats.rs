//! Timing and summary statistics for the benchmarks: wall-clock samples, median, p95.

use std::time::{Duration, Instant};

/// Runs `f` once and returns its result and how long it took.
pub fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let value = f();
    (value, start.elapsed())
}

/// Microseconds in a duration, as a float.
pub fn us(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

/// Milliseconds in a duration, as a float.
pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// The median (mean of the two middle samples when even), as Python's `statistics.median`.
pub fn median(samples: &[Duration]) -> Duration {
    let mut sorted = samples.to_vec();
    sorted.sort_unstable();
    match sorted.len() {
        0 => Duration::ZERO,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2,
    }
}

/// The 95th percentile: the sample at rank round(0.95 (n - 1)), as the peer's script does.
pub fn p95(samples: &[Duration]) -> Duration {
    let mut sorted = samples.to_vec();
    sorted.sort_unstable();
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = (0.95 * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(v: &[u64]) -> Vec<Duration> {
        v.iter().map(|&x| Duration::from_micros(x)).collect()
    }

    #[test]
    fn median_and_p95_match_the_peer_script() {
        assert_eq!(median(&d(&[5, 1, 3])), Duration::from_micros(3));
        assert_eq!(
            median(&d(&[4, 1, 3, 2])),
            Duration::from_micros(2) + Duration::from_nanos(500)
        );
        let hundred: Vec<u64> = (1..=100).collect();
        // round(0.95 * 99) = 94 -> the 95th smallest
        assert_eq!(p95(&d(&hundred)), Duration::from_micros(95));
        assert_eq!(median(&[]), Duration::ZERO);
    }
}
