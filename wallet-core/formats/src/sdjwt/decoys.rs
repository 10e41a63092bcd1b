//! Hiding the shape of a credential (RFC 9901 s4.2.5, s9.7): decoy digests, and `_sd`
//! arrays in random order so the position of a digest reveals nothing.

use laissez_crypto::random;

#[cfg(feature = "issue")]
use super::digest::decoy_digest;
use super::error::{SdJwtError, SdJwtResult};

/// How many decoy digests to add to each `_sd` array that holds at least one real digest:
/// a number drawn uniformly from `min..=max` per array. Equal bounds give a fixed count;
/// the default adds none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DecoyPolicy {
    /// Fewest decoys per `_sd` array.
    pub min_per_object: usize,
    /// Most decoys per `_sd` array.
    pub max_per_object: usize,
}

impl DecoyPolicy {
    /// Between `min` and `max` decoys per `_sd` array.
    pub fn between(min: usize, max: usize) -> Self {
        Self {
            min_per_object: min.min(max),
            max_per_object: max.max(min),
        }
    }

    /// Appends this policy's number of decoy digests to `digests`.
    #[cfg(feature = "issue")]
    pub(crate) fn add_to(&self, digests: &mut Vec<String>) -> SdJwtResult<()> {
        let span = self.max_per_object.saturating_sub(self.min_per_object);
        let count = self.min_per_object + uniform_below(span as u64 + 1)? as usize;
        for _ in 0..count {
            digests.push(decoy_digest()?);
        }
        Ok(())
    }
}

/// Shuffles `items` in place (Fisher-Yates with the system random generator).
#[cfg(feature = "issue")]
pub(crate) fn shuffle<T>(items: &mut [T]) -> SdJwtResult<()> {
    for last in (1..items.len()).rev() {
        let pick = uniform_below(last as u64 + 1)? as usize;
        items.swap(last, pick);
    }
    Ok(())
}

/// A uniform random number in `0..bound` (`bound` > 0), without modulo bias.
#[cfg(feature = "issue")]
fn uniform_below(bound: u64) -> SdJwtResult<u64> {
    if bound <= 1 {
        return Ok(0);
    }
    let zone = u64::MAX - (u64::MAX % bound);
    loop {
        let draw = u64::from_le_bytes(
            random::bytes::<8>().map_err(|_| SdJwtError::Crypto("random generator"))?,
        );
        if draw < zone {
            return Ok(draw % bound);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_stay_within_bounds() {
        for policy in [
            DecoyPolicy::default(),
            DecoyPolicy::between(2, 2),
            DecoyPolicy::between(5, 1),
        ] {
            for _ in 0..20 {
                let mut digests = Vec::new();
                policy.add_to(&mut digests).unwrap();
                assert!(digests.len() >= policy.min_per_object);
                assert!(digests.len() <= policy.max_per_object);
            }
        }
    }

    #[test]
    fn shuffle_permutes() {
        let mut items: Vec<u32> = (0..50).collect();
        shuffle(&mut items).unwrap();
        let mut sorted = items.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..50).collect::<Vec<_>>());
        // 50! orderings: staying sorted means the shuffle did nothing.
        assert_ne!(items, sorted);
        let mut empty: Vec<u32> = Vec::new();
        shuffle(&mut empty).unwrap();
    }

    #[test]
    fn uniform_below_is_in_range() {
        for bound in [1u64, 2, 3, 7, 1 << 40] {
            for _ in 0..50 {
                assert!(uniform_below(bound).unwrap() < bound);
            }
        }
    }
}
