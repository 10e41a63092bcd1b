//! SD-JWT VC Type Metadata (draft-ietf-oauth-sd-jwt-vc, section 4): the standard way to give a
//! credential type its display name and its claims their labels, per locale.
//!
//! - [`document`]: one Type Metadata document, parsed strictly within the limits below, kept
//!   with its exact bytes (integrity is over octets, never over re-serialised JSON);
//! - [`integrity`]: W3C Subresource Integrity strings (`vct#integrity`, `extends#integrity`),
//!   checked with SHA-256, SHA-384 or SHA-512;
//! - [`extends`]: resolving `extends` against documents the caller supplies (offline: nothing
//!   is fetched), with cycles refused and the depth bounded;
//! - [`locale`]: choosing the entry for a locale (exact, then same language, then English);
//! - [`builtin`]: the documents shipped in the core (EU PID, EU age attestation, Laissez's own
//!   migrant credential types).
//!
//! ## mdoc
//!
//! There is no standard type metadata for ISO/IEC 18013-5 doctypes. Laissez uses the same
//! document shape keyed by docType: `vct` holds the docType (`eu.europa.ec.eudi.pid.1`) and
//! every claim path is `[namespace, element]` (`["eu.europa.ec.eudi.pid.1", "family_name"]`).
//! This is a Laissez convention (docs/adr/0013-type-metadata.md).

pub mod builtin;
pub mod document;
mod error;
pub mod extends;
pub mod integrity;
pub mod locale;

pub use document::{
    ClaimLabel, ClaimMetadata, ClaimPath, PathElement, SdRule, TypeDisplay, TypeMetadata,
    TypeMetadataDocument,
};
pub use error::TypeMetadataError;
pub use extends::resolve;
pub use integrity::Integrity;

/// Longest Type Metadata document accepted, in bytes.
pub const MAX_DOCUMENT_LEN: usize = 64 * 1024;
/// Most claim entries in one document.
pub const MAX_CLAIMS: usize = 512;
/// Most `display` entries (locales) in one list.
pub const MAX_DISPLAY_ENTRIES: usize = 32;
/// Most elements in one claim path.
pub const MAX_PATH_LEN: usize = 16;
/// Longest name, label, locale, `vct` or integrity string, in bytes of UTF-8.
pub const MAX_TEXT_LEN: usize = 1024;
/// Longest description, in bytes of UTF-8.
pub const MAX_DESCRIPTION_LEN: usize = 4096;
/// Most `extends` links followed from one document.
pub const MAX_EXTENDS_DEPTH: usize = 8;
