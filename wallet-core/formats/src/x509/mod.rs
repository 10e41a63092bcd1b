//! X.509 certificates for mdoc issuers: read a document signer or IACA certificate (DER or
//! PEM), check that one certificate signs another (ECDSA P-256 with SHA-256 only), and create
//! issuer certificates for our own keys with `rcgen`.
//!
//! This is deliberately small: it does what ISO/IEC 18013-5 issuer trust needs for short
//! chains (document signer → IACA root): [`path`] checks basicConstraints, keyUsage,
//! extendedKeyUsage, pathLenConstraint, depth and validity along a path. Not done: revocation,
//! name constraints, policies.

mod anchors;
mod certificate;
pub mod chain;
mod error;
#[cfg(feature = "issue")]
mod generate;
pub mod path;
mod profile;
mod signature_cache;

pub use anchors::{Anchor, TrustAnchors};
pub use certificate::{AltNames, Certificate, ValidityStatus};
pub use chain::{AnchorMatch, evaluate_chain};
pub use error::X509Error;
#[cfg(feature = "issue")]
pub use generate::{
    IacaProfile, SignerProfile, document_signer_certificate, iaca_certificate,
    issue_ca_certificate, issue_certificate, self_signed_certificate, self_signed_certificate_in,
};
pub use path::{PathError, Purpose, check_path};
pub use profile::{EKU_MDOC_DOCUMENT_SIGNER, EKU_MDOC_READER_AUTH, KeyUsage, Profile};
