//! # laissez-formats: the credential formats of the EU wallet architecture
//!
//! Parsing, verifying, presenting (and, with the `issue` feature, issuing) the two credential
//! formats Laissez speaks, and what they need around them:
//!
//! - [`sdjwt`]: IETF SD-JWT VC (disclosures, `_sd` digests, decoys, Key Binding JWT), over
//!   [`jose`] (strict JSON, base64url, JWK, compact JWS with ES256);
//! - [`mdoc`]: ISO/IEC 18013-5 mdoc (IssuerSigned with tag-24 items, the MSO in COSE_Sign1,
//!   DeviceResponse with deviceSignature), with its own exact-span CBOR helpers;
//! - [`x509`]: issuer certificates, read and checked (and made, with `issue`);
//! - [`status_list`]: IETF Token Status Lists (JWT and CWT);
//! - [`type_metadata`]: SD-JWT VC Type Metadata (labels per locale, `extends`, `#integrity`),
//!   also used for mdoc doctypes, with built-in metadata for the EU PID and age attestation;
//! - [`claim169`]: MOSIP Claim 169 identity QR codes (Base45, zlib, COSE, CWT), read and
//!   verified (and made for tests, with `claim169-issue`);
//! - [`credential`]: what is common to both formats (display metadata, the stored form,
//!   status references).
//!
//! Everything here is a pure function of its input and the crypto layer below
//! (`laissez-crypto`): no files, no database, no QR codes. Every parser of outside input has
//! size limits and typed errors, and is fuzzed (docs/FUZZING.md).
//!
//! ```
//! # #[cfg(feature = "issue")]
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use laissez_crypto::ecdsa::{Es256Signer, SigningKey};
//! use laissez_formats::sdjwt::{self, ClaimPath, IssueRequest, Validation};
//!
//! // An issuer makes an SD-JWT VC with a selectively disclosable name ...
//! let issuer_key = SigningKey::generate()?;
//! let now = 1_760_000_000;
//! let claims = serde_json::json!({"given_name": "Amina", "nationality": "SD"});
//! let mut request = IssueRequest::new(
//!     "urn:example:registration:1",
//!     "https://issuer.example",
//!     now,
//!     claims.as_object().cloned().unwrap_or_default(),
//! );
//! request.selectively_disclosable = vec![ClaimPath::parse("given_name")?];
//! let issued = sdjwt::issue(&request, &issuer_key)?.to_compact();
//!
//! // ... and a wallet checks the signature, the digests and the validity before keeping it.
//! let (_credential, processed) = sdjwt::import_issued(
//!     &issued,
//!     &[issuer_key.verifying_key().into()],
//!     &Validation::sd_jwt_vc(now),
//! )?;
//! assert_eq!(processed.claims["given_name"], "Amina");
//! # Ok(()) }
//! # #[cfg(not(feature = "issue"))]
//! # fn main() {}
//! ```

// Without `issue`, the issuing halves of modules that both sign and verify are left out; their
// imports stay, shared with the verifying halves.
#![cfg_attr(not(feature = "issue"), allow(unused_imports))]

pub mod claim169;
mod cose_alg;
pub mod cose_x5chain;
pub mod credential;
pub mod jose;
#[cfg(feature = "trust-import")]
pub mod lote;
pub mod mdoc;
pub mod registration;
pub mod sdjwt;
pub mod status_list;
pub mod type_metadata;
#[cfg(feature = "trust-import")]
pub mod vical;
pub mod x509;
