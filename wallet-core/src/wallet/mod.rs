//! The holder's wallet on top of the store: holder keys, credentials, presentations,
//! disclosure history.

pub mod credentials;
mod error;
mod format_parts;
pub mod holder_keys;
mod mdoc_credential;
pub mod respond;
mod sdjwt_credential;
pub mod settings;

pub use credentials::{
    ClaimEntry, CopiesState, CredentialDetail, CredentialSummary, DisclosureEntry, ImportOptions,
    Presentation, PresentationBinding,
};
pub use error::{CredentialError, CredentialResult};
