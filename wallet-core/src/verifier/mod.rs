//! The verifier side: verdicts with machine-readable reasons, presentation verification.

pub mod field_verifier;
pub mod presentation;
pub mod status_cache;
pub mod status_list;
pub mod trust_list;
pub mod trust_store;
pub mod verdict;

pub use presentation::{ExpectedBinding, TrustedIssuer, VerificationRequest, verify_presentation};
pub use verdict::{DisclosedClaim, IssuerInfo, Reason, StatusReport, Verdict};
