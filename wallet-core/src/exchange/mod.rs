//! The offline exchange over QR codes: the verifier's request, the holder's encrypted and
//! request-bound response, and the bindings that tie presentations to one request.

pub mod binding;
mod cert_ref;
pub mod compact;
pub mod dictionary;
mod document;
mod error;
mod request;
mod response;
pub mod session_crypto;
pub mod signed_request;
pub mod static_presentation;
pub mod verifier_id;

pub use cert_ref::{CertRef, MAX_KNOWN_CERTIFICATES, cert_ref};
pub use document::ResponseDocument;
pub use error::{ExchangeError, ExchangeResult};
pub use request::{
    MAX_CLAIMS, MAX_CREDENTIALS, MAX_PATH, MAX_REQUEST_BYTES, MAX_TEXT, RequestedClaim,
    RequestedCredential, VerifierRequest, request_hash,
};
pub use response::{
    MAX_DOCUMENTS, MAX_RESPONSE_BYTES, REQUEST_REF_LEN, open_response, peek_damaged_response_ref,
    peek_request_ref, request_ref, seal_response,
};
pub use static_presentation::StaticPresentation;
pub use verifier_id::VerifierId;
