//! JOSE, just as much as SD-JWT needs, and strict about it.
//!
//! - [`base64url`]: unpadded base64url (RFC 7515 s2), canonical input only.
//! - [`json`]: JSON parsing that refuses duplicate member names and deep nesting.
//! - `jwk`: P-256 public keys as JWK (RFC 7517/7518), with RFC 7638 thumbprints; issuer keys
//!   (P-256, P-384, Ed25519) as JWK ([`IssuerJwk`]).
//! - `header`: the JWS protected header and its policy: `alg` must be `ES256`, `ES384` or
//!   `EdDSA`; `none`, HMAC, RSA and everything else are refused with
//!   [`JoseError::UnsupportedAlgorithm`]; any `crit` is refused (no extension is understood).
//! - `jws`: compact JWS (a JWT), ES256 for holders and any of the three for issuers, through
//!   [`laissez_crypto::ecdsa`] and [`laissez_crypto::issuer_key`].
//! - [`limits`]: the input size limits, as public constants.
//!
//! Errors never carry payload content: a JWT's claims may be personal data.

pub mod base64url;
mod error;
mod header;
mod issuer_jwk;
pub mod json;
mod jwk;
mod jws;
pub mod limits;

pub use error::JoseError;
pub(crate) use error::printable_alg;
pub use header::{ES256, JwsHeader};
pub use issuer_jwk::IssuerJwk;
pub use jwk::P256Jwk;
pub use jws::{CompactFailure, SignedJwt, VerifiedCompact, verify_compact};
