//! X.509 certificates for mdoc issuers: read a document signer or IACA certificate (DER or
//! PEM), check that one certificate signs another (ECDSA P-256 with SHA-256 only), and create
//! issuer certificates for our own keys with `rcgen`.
//!
//! This is deliberately small: it does what ISO/IEC 18013-5 issuer trust needs for short
//! chains (document signer → IACA root), not general RFC 5280 path validation (no revocation,
//! no name constraints, no policy or EKU checks).

mod certificate;
mod error;
#[cfg(feature = "issue")]
mod generate;

pub use certificate::{Certificate, ValidityStatus};
pub use error::X509Error;
#[cfg(feature = "issue")]
pub use generate::{issue_certificate, self_signed_certificate, self_signed_certificate_in};
