//! Issuer tooling for field registration points and tests: an issuer identity (key and
//! self-signed certificate) and issuance of SD-JWT VC and mdoc credentials.

pub mod identity;
pub mod issue;

pub use identity::{
    IssuerError, IssuerIdentity, issuer_signing_key_from_jwk, signing_key_from_jwk,
};
pub use issue::{CredentialOrder, issue_credential};
