//! One presentation inside a response, whatever its format.

use laissez_formats::credential::CredentialFormat;

/// One presentation inside a response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseDocument {
    /// Its format.
    pub format: CredentialFormat,
    /// The presentation bytes.
    pub bytes: Vec<u8>,
}
