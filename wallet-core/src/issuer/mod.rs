//! Issuer tooling for field registration points and tests: an issuing authority (the root,
//! IACA), the document signers it certifies (an issuer identity: key and certificate), and
//! issuance of SD-JWT VC and mdoc credentials.

pub mod authority;
mod error;
pub mod identity;
pub mod issue;
mod key_file;
pub mod portrait;

pub use authority::{IssuingAuthority, SignerOrder};
pub use error::IssuerError;
pub use identity::IssuerIdentity;
pub use issue::{CredentialOrder, issue_credential};
pub use key_file::{issuer_signing_key_from_jwk, pem_of, signing_key_from_jwk};
pub use portrait::{PortraitSpec, prepare_portrait};
