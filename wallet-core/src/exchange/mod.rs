//! The offline exchange over QR codes: the verifier's request, the holder's encrypted and
//! request-bound response, and the bindings that tie presentations to one request.

pub mod binding;
pub mod compact;
pub mod dictionary;
pub mod error;
pub mod request;
pub mod response;
pub mod session_crypto;
pub mod static_presentation;

pub use error::{ExchangeError, ExchangeResult};
pub use request::{RequestedClaim, RequestedCredential, VerifierRequest, request_hash};
pub use response::{ResponseDocument, open_response, peek_request_ref, request_ref, seal_response};
pub use static_presentation::StaticPresentation;
