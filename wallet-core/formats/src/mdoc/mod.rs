//! ISO/IEC 18013-5 mdoc: issue, store, present and verify.
//!
//! - **Issue** ([`issue`]): data elements become salted IssuerSignedItems (tag 24), their
//!   SHA-256 digests go into a Mobile Security Object with the holder's device key, docType
//!   and validity, and the issuer signs it (COSE_Sign1 ES256, certificate in `x5chain`).
//! - **Store** ([`IssuedMdoc`]): `{docType, issuerSigned}`, bytes exactly as issued.
//! - **Present** ([`present`]): a DeviceResponse with only the chosen items, and a device
//!   signature over DeviceAuthentication for the session's [`SessionTranscript`].
//! - **Verify** ([`verify_device_response`]): issuer signature and trust, validity, docType,
//!   digests of the received bytes, device signature (or MAC, given the reader key).
//!
//! ```
//! use laissez_crypto::ecdsa::SigningKey;
//! use laissez_formats::mdoc::{self, DataElements, ElementRef, IssueRequest, SessionTranscript,
//!     TrustAnchors, ValidityInfo, VerifyOptions};
//! use laissez_formats::x509::{self_signed_certificate, Certificate};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let now = 1_750_000_000;
//! let issuer = SigningKey::generate()?;
//! let issuer_cert = self_signed_certificate(&issuer, "Test issuer", now - 60, 365)?;
//! let holder = SigningKey::generate()?;
//!
//! let mut elements = DataElements::new();
//! elements.insert_json(
//!     "org.iso.18013.5.1",
//!     &serde_json::json!({"family_name": "Haddad", "birth_date": "1990-05-01"}),
//!     &["birth_date"],
//! )?;
//! let credential = mdoc::issue(
//!     &IssueRequest {
//!         doc_type: "org.iso.18013.5.1.mDL".into(),
//!         elements,
//!         device_key: holder.public_key().clone(),
//!         validity: ValidityInfo { signed: now, valid_from: now, valid_until: now + 86_400,
//!             expected_update: None },
//!         issuer_certificate: Some(issuer_cert.clone()),
//!         status: None,
//!     },
//!     &issuer,
//! )?;
//!
//! let transcript = SessionTranscript::openid4vp(
//!     "x509_san_dns:verifier.example", "n-0S6_WzA2Mj", None, "https://verifier.example/post")?;
//! let chosen = [ElementRef::new("org.iso.18013.5.1", "family_name")];
//! let response = mdoc::present(
//!     &[mdoc::Disclosure { credential: &credential, elements: &chosen, device_signer: &holder }],
//!     &transcript,
//! )?;
//!
//! let anchors = TrustAnchors::new().with_certificate(Certificate::from_der(&issuer_cert)?);
//! let documents = mdoc::verify_device_response(&response, &VerifyOptions {
//!     now,
//!     trust_anchors: &anchors,
//!     session_transcript: &transcript,
//!     expected_doc_type: Some("org.iso.18013.5.1.mDL"),
//!     reader_key: None,
//!     holder_high_s: laissez_crypto::ecdsa::HighS::Refuse,
//! })?;
//! assert_eq!(documents[0].issuer_signed_json(),
//!     serde_json::json!({"org.iso.18013.5.1": {"family_name": "Haddad"}}));
//! # Ok(()) }
//! ```
//!
//! Bytes that are hashed or signed are always the bytes received (tag-24 items, the MSO,
//! protected headers), never a re-encoding; CBOR is read with `ciborium`/`ciborium-ll` and
//! COSE with `coset`. Every input is bounded by the `MAX_*` limits below. Those bytes must
//! also be in one encoding ([`MdocError::NonPreferredEncoding`]): preferred serialization in
//! DeviceNameSpacesBytes and COSE protected headers, definite lengths in the MSO and
//! IssuerSignedItemBytes (docs/adr/0010).
//!
//! Not supported: device-signed elements on the holder side (presentations carry an empty
//! DeviceNameSpaces; received ones are verified and returned), MSO `keyAuthorizations`,
//! producing `deviceMac`, the ISO certificate profiles (EKU, IACA extensions), revocation
//! and status lists, and algorithms other than ES256, ES384 and EdDSA (issuer signatures;
//! holder signatures are ES256) and HMAC-SHA256.

pub(crate) mod cbor;
mod cose_key;
mod data_elements;
mod device_auth;
mod device_response;
mod document;
mod error;
#[cfg(feature = "issue")]
mod issue;
mod issued;
mod issuer_auth;
mod issuer_signed_item;
mod limits;
mod mso;
mod present;
mod session_transcript;
#[cfg(test)]
mod signed_encodings_tests;
pub(crate) mod tdate;
mod trust;
mod verify;

/// The ISO mDL namespace (`org.iso.18013.5.1`), whose `issuing_country` element names the
/// issuing state.
pub const MDL_NAMESPACE: &str = "org.iso.18013.5.1";

pub use cbor::json::cbor_to_json;
pub use ciborium::Value as CborValue;
pub use data_elements::{DataElements, ElementRef};
pub use device_auth::ReaderPrivateKey;
pub use device_response::DEVICE_RESPONSE_VERSION;
pub use error::{Limit, MdocError, MdocResult, NonPreferred, ValidityScope};
#[cfg(feature = "issue")]
pub use issue::{IssueRequest, SALT_LEN, issue};
pub use issued::IssuedMdoc;
pub use limits::{
    MAX_CHAIN_LENGTH, MAX_DATA_ITEMS, MAX_DOCUMENTS, MAX_ELEMENTS, MAX_INPUT_BYTES,
    MAX_NESTING_DEPTH,
};
pub use mso::{DigestAlgorithm, MSO_VERSION, MobileSecurityObject, ValidityInfo};
pub use present::{Disclosure, present};
pub use session_transcript::SessionTranscript;
pub use trust::{IssuerTrust, TrustAnchors};
pub use verify::{
    DeviceAuthMethod, DisclosedElement, DisclosedNamespace, IssuerInfo, VerifiedDocument,
    VerifyOptions, verify_device_response,
};
