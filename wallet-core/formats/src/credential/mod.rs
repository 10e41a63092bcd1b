//! Credentials in the wallet: formats-independent pieces (labels and where they come from, storage).

mod binding;
pub mod display;
pub mod identity_values;
pub mod labels;
pub mod portrait;
mod status_reference;
mod stored;

pub use binding::PresentationBinding;
pub use status_reference::{MAX_STATUS_URI_LEN, StatusReference};
pub use stored::{
    CREDENTIAL_KIND, CredentialFormat, EXPIRY_TAG, FORMAT_TAG, ISSUER_TAG, StoredCopy,
    StoredCredential, TYPE_TAG, expiry_bucket,
};

/// SD-JWT VC claims that describe the credential rather than the person: not shown or
/// returned as claims (the holder's screen, the verifier's verdict).
pub const SD_JWT_METADATA_CLAIMS: &[&str] = &[
    "iss",
    "iat",
    "nbf",
    "exp",
    "vct",
    "vct#integrity",
    "cnf",
    "status",
    "_sd_alg",
];
