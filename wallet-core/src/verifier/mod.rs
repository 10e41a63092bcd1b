//! The verifier side: verdicts with machine-readable reasons, presentation verification.

pub mod claim169_verdict;
pub mod field_verifier;
mod presentation;
mod record_kinds;
mod replay_key;
pub mod security_state;
pub mod status_cache;
pub use laissez_formats::status_list;
pub mod trust_list;
pub mod trust_list_metadata;
pub mod trust_list_registrars;
pub mod trust_store;
pub(crate) mod trusted_issuer;
mod verdict;

/// The high-S policy of [`VerificationRequest::holder_high_s`].
pub use laissez_crypto::ecdsa::HighS;
pub use presentation::{
    DEFAULT_MAX_STATUS_AGE_SECS, ExpectedBinding, VerificationRequest, verify_presentation,
};
pub use trusted_issuer::{TrustedIssuer, TrustedIssuerError};
pub use verdict::{
    DisclosedClaim, DisclosedPortrait, IssuerInfo, LabelsWithheld, PortraitProblem, Reason,
    StatusReport, Verdict,
};
