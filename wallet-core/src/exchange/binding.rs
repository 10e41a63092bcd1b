//! How a presentation is bound to one request, so that it cannot be replayed to another
//! verifier or another session.
//!
//! - SD-JWT: the Key Binding JWT's `nonce` is the base64url request hash and its `aud` is
//!   `urn:laissez:verifier:` + the fingerprint of the verifier's ephemeral key.
//! - mdoc: SessionTranscript = `[null, null, ["LaissezQRHandover", request hash]]`, a handover
//!   in the style of OpenID4VP's, naming the whole request.

use ciborium::Value;

use super::request::VerifierRequest;
use laissez_formats::credential::CredentialFormat;
use laissez_formats::credential::PresentationBinding;
use laissez_formats::jose::base64url;

/// The handover name in Laissez QR session transcripts.
pub const HANDOVER: &str = "LaissezQRHandover";

/// The SD-JWT nonce for a request.
pub fn nonce(request_hash: &[u8; 32]) -> String {
    base64url::encode(request_hash)
}

/// The SD-JWT audience for a request.
pub fn audience(request: &VerifierRequest) -> String {
    format!(
        "urn:laissez:verifier:{}",
        request.verifier_key.fingerprint()
    )
}

/// The mdoc SessionTranscript bytes for a request.
pub fn session_transcript(request_hash: &[u8; 32]) -> Vec<u8> {
    let transcript = Value::Array(vec![
        Value::Null,
        Value::Null,
        Value::Array(vec![
            Value::Text(HANDOVER.into()),
            Value::Bytes(request_hash.to_vec()),
        ]),
    ]);
    let mut out = Vec::new();
    // Encoding a fixed small structure cannot fail.
    let _ = ciborium::into_writer(&transcript, &mut out);
    out
}

/// What a presentation of `format` answering `request` is bound to: the holder binds to it,
/// the verifier expects it.
pub fn for_request(
    request: &VerifierRequest,
    request_hash: &[u8; 32],
    format: CredentialFormat,
) -> PresentationBinding {
    match format {
        CredentialFormat::Mdoc => {
            PresentationBinding::SessionTranscript(session_transcript(request_hash))
        }
        CredentialFormat::SdJwt => PresentationBinding::NonceAudience {
            nonce: nonce(request_hash),
            audience: audience(request),
        },
    }
}
