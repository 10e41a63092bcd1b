//! Issuer tooling for field registration points and tests: an issuing authority (the root,
//! IACA), the document signers it certifies (an issuer identity: key and certificate), and
//! issuance of SD-JWT VC and mdoc credentials, alone or as batches of one-time copies with
//! random status indexes (`status_allocator`).

pub mod authority;
mod error;
pub mod identity;
pub mod issue;
mod key_file;
pub mod portrait;
pub mod registrar;
pub mod status_allocator;
pub mod test_keys;

pub use authority::{IssuingAuthority, SignerOrder};
pub use error::IssuerError;
pub use identity::IssuerIdentity;
pub use issue::{CredentialOrder, issue_batch, issue_credential};
pub use key_file::{issuer_signing_key_from_jwk, pem_of, signing_key_from_jwk};
pub use portrait::{PortraitSpec, prepare_portrait};
pub use registrar::Registrar;
pub use status_allocator::{StatusAllocations, StatusAllocator};
pub use test_keys::{TestKeys, TestKeysError, TestKeysView};
