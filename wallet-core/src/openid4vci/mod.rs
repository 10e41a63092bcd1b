//! OpenID for Verifiable Credential Issuance 1.0 (OpenID4VCI), the pre-authorized code flow:
//! online issuance to the phone, as a registration desk on local Wi-Fi or an issuer on the
//! internet serves it.
//!
//! The core builds and checks every message; it never opens a socket. The wallet side
//! ([`client`]) runs the flow over an [`HttpTransport`] that the app (or the CLI) brings:
//!
//! 1. the credential offer ([`offer`]): a link `openid-credential-offer://?credential_offer=…`
//!    (by value) or `?credential_offer_uri=…` (by reference);
//! 2. the issuer metadata ([`metadata`]) at `/.well-known/openid-credential-issuer`, and the
//!    authorization server's at `/.well-known/oauth-authorization-server`;
//! 3. the token endpoint ([`token`]) with the pre-authorized code and the transaction code;
//! 4. the nonce endpoint ([`nonce`]);
//! 5. the credential endpoint ([`credential`]) with one key proof JWT ([`proof`]) per new
//!    holder key of the batch;
//! 6. the copies are checked and imported, all or none.
//!
//! The issuer side ([`issuer`], feature `issue`) answers the same messages as pure functions
//! over an [`issuer::IssuanceState`]; the CLI's `laissez issuer serve` puts it behind HTTP.
//!
//! Every failure is an [`Oid4vciError`]: each OAuth and credential error response has its
//! own [`ErrorCode`], and transport failures (HTTP status, redirect, timeout, body too large,
//! malformed JSON) their own variants. Messages never contain claim values.

pub mod client;
pub mod credential;
mod error;
pub mod http;
#[cfg(feature = "issue")]
pub mod issuer;
pub mod labels;
pub mod metadata;
pub mod nonce;
pub mod offer;
pub mod proof;
pub mod token;
mod url;

pub use error::{Endpoint, ErrorCode, ErrorResponse, Oid4vciError, Oid4vciResult, TransportError};
pub use http::{HttpMethod, HttpRequest, HttpResponse, HttpTransport};

/// The `format` of SD-JWT VC credentials.
pub const FORMAT_SD_JWT: &str = "dc+sd-jwt";
/// The `format` of ISO mdoc credentials.
pub const FORMAT_MDOC: &str = "mso_mdoc";
/// The pre-authorized code grant type.
pub const PRE_AUTHORIZED_GRANT: &str = "urn:ietf:params:oauth:grant-type:pre-authorized_code";
/// The scheme of credential offer links.
pub const OFFER_SCHEME: &str = "openid-credential-offer://";
/// The `typ` of key proof JWTs.
pub const PROOF_TYP: &str = "openid4vci-proof+jwt";
/// The most copies one credential request asks for (and the issuer serves).
pub const MAX_BATCH: usize = 20;
