//! The verifier side: verdicts with machine-readable reasons.

pub mod verdict;
