//! SD-JWT (RFC 9901) and SD-JWT VC (draft-ietf-oauth-sd-jwt-vc): issue, import, present,
//! verify.
//!
//! ```
//! use serde_json::json;
//! use laissez_crypto::ecdsa::{Es256Signer, SigningKey};
//! use laissez_formats::sdjwt::{
//!     ClaimPath, IssueRequest, KeyBindingRequest, Validation, VerifyOptions, import_issued,
//!     issue, present, verify_presentation,
//! };
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let issuer_key = SigningKey::generate()?;
//! let holder_key = SigningKey::generate()?;
//! let now = 1_760_000_000;
//!
//! // Issuer: name and birthdate selectively disclosable, the address recursively (its
//! // country stays visible whenever the address is shown).
//! let claims = json!({
//!     "given_name": "Amina",
//!     "birthdate": "1990-01-01",
//!     "address": {"locality": "Tunis", "country": "TN"},
//! });
//! let mut request = IssueRequest::new(
//!     "urn:example:registration:1",
//!     "https://issuer.example",
//!     now,
//!     claims.as_object().cloned().unwrap_or_default(),
//! );
//! request.holder_key = Some(holder_key.verifying_key());
//! request.expires_at = Some(now + 365 * 86_400);
//! request.selectively_disclosable = ["given_name", "birthdate", "address", "address.locality"]
//!     .iter()
//!     .map(|p| ClaimPath::parse(p))
//!     .collect::<Result<_, _>>()?;
//! let issued = issue(&request, &issuer_key)?.to_compact();
//!
//! // Holder: import, then show only the locality to a verifier.
//! let (credential, _all_claims) =
//!     import_issued(&issued, &[issuer_key.verifying_key().into()], &Validation::sd_jwt_vc(now))?;
//! let kb = KeyBindingRequest {
//!     nonce: "n-123".into(),
//!     audience: "https://verifier.example".into(),
//!     issued_at: now,
//! };
//! let shown = present(&credential, &[ClaimPath::parse("address.locality")?], &kb, &holder_key)?;
//!
//! // Verifier.
//! let options = VerifyOptions::new("n-123", "https://verifier.example", now);
//! let verified = verify_presentation(&shown, &[issuer_key.verifying_key().into()], &options)?;
//! assert_eq!(
//!     verified.credential.claims["address"],
//!     json!({"locality": "Tunis", "country": "TN"})
//! );
//! assert!(!verified.credential.claims.contains_key("given_name"));
//! # Ok(()) }
//! ```
//!
//! Modules: `compact` (the `~` serialisation), `disclosure`, `digest`, `resolve`
//! (claim reconstruction, RFC 9901 s7.1), `process` (issuer signature, profile, time),
//! `key_binding`, `verify`, `import` (holder side of s7.2), `present`, `issue`,
//! `decoys`, `path` (claim paths), `vc` (SD-JWT VC rules), `validity`,
//! `json_serialization` (the optional JWS JSON forms, RFC 9901 s8), [`limits`],
//! `error`.
//!
//! Supported: ES256 only, `_sd_alg` `sha-256` only, holder keys as `cnf.jwk` (P-256).

mod compact;
mod decoys;
mod digest;
mod disclosure;
mod error;
mod import;
#[cfg(feature = "issue")]
mod issue;
mod issuer_trust;
mod json_serialization;
mod key_binding;
pub mod limits;
mod path;
mod present;
mod process;
mod resolve;
mod validity;
mod vc;
mod verify;

pub use compact::SdJwt;
pub use decoys::DecoyPolicy;
pub use disclosure::Disclosure;
pub use error::{Part, SdJwtError, SdJwtResult};
pub use import::import_issued;
#[cfg(feature = "issue")]
pub use issue::{IssueRequest, RESERVED_CLAIMS, issue};
pub use issuer_trust::{ChainedIssuer, chained_issuer, iss_matches_alt_names};
pub use json_serialization::{parse_json_serialization, verify_json_presentation};
pub use key_binding::{KeyBindingRequest, sd_hash, signed_parts};
pub use path::{ClaimPath, PathSegment};
pub use present::{
    disclosable_paths, lookup, present, present_without_key_binding, select_disclosures,
};
pub use process::{ProcessedSdJwt, Validation, process};
pub use resolve::resolve;
pub use validity::Validity;
pub use vc::{Profile, StatusReference};
pub use verify::{VerifiedKeyBinding, VerifiedPresentation, VerifyOptions, verify_presentation};
