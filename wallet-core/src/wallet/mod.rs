//! The holder's wallet on top of the store: holder keys, credentials, presentations,
//! disclosure history.

pub mod credentials;
mod error;
mod format_parts;
pub mod holder_keys;
pub mod issuer_trust;
pub(crate) mod mdoc_credential;
pub mod respond;
pub(crate) mod sdjwt_credential;
pub mod settings;

pub use credentials::{
    ClaimEntry, CopiesState, CredentialDetail, CredentialSummary, DisclosureEntry, ImportOptions,
    IssuerTrust, Presentation, PresentationBinding,
};
pub use error::{CredentialError, CredentialResult};
