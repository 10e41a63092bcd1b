//! The holder's wallet on top of the store: holder keys, credentials, presentations,
//! disclosure history.

pub mod claim169_cards;
pub mod credentials;
mod error;
mod format_parts;
pub mod holder_keys;
pub mod issuer_trust;
pub mod known_verifiers;
pub(crate) mod mdoc_credential;
pub mod respond;
pub(crate) mod sdjwt_credential;
pub mod settings;
pub mod signed_request_evidence;
pub mod verifier_identity;

pub use credentials::{
    ClaimEntry, CopiesState, CredentialDetail, CredentialSummary, DisclosedVerifier,
    DisclosureEntry, ImportOptions, IssuerTrust, Presentation, PresentationBinding,
};
pub use error::{CredentialError, CredentialResult};
pub use verifier_identity::{
    UnverifiedReason, VerifiedVerifier, VerifierIdentity, identify, trusted_registrars,
};
