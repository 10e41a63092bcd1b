//! What a presentation is bound to, so it cannot be replayed to another verifier or session:
//! one type for the holder, who binds, and the verifier, who checks.

/// The binding of one presentation to one verifier and session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PresentationBinding {
    /// A nonce and the verifier's identifier: the SD-JWT Key Binding JWT's `nonce` and `aud`;
    /// for mdoc, the OpenID4VP 1.0 redirect handover with `client_id` = `response_uri` =
    /// audience.
    NonceAudience {
        /// The verifier's nonce.
        nonce: String,
        /// The verifier's identifier.
        audience: String,
    },
    /// mdoc only: the exact SessionTranscript bytes of the session.
    SessionTranscript(Vec<u8>),
}
