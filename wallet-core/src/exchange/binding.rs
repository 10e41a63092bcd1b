//! How a presentation is bound to one request, so that it cannot be replayed to another
//! verifier or another session.
//!
//! - SD-JWT: the Key Binding JWT's `nonce` is the base64url request hash and its `aud` is
//!   `urn:laissez:verifier:` + the fingerprint of the verifier's ephemeral key.
//! - mdoc: SessionTranscript = `[null, null, ["LaissezQRHandover", request hash]]`, a handover
//!   in the style of OpenID4VP's, naming the whole request.

use ciborium::Value;

use super::request::VerifierRequest;
use crate::jose::base64url;
use crate::verifier::ExpectedBinding;
use crate::wallet::PresentationBinding;
use crate::wallet::holder_keys::fingerprint;

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
        fingerprint(&request.verifier_key)
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

/// What the holder binds each format's presentation to.
pub fn for_holder(
    request: &VerifierRequest,
    request_hash: &[u8; 32],
    mdoc: bool,
) -> PresentationBinding {
    if mdoc {
        PresentationBinding::SessionTranscript(session_transcript(request_hash))
    } else {
        PresentationBinding::NonceAudience {
            nonce: nonce(request_hash),
            audience: audience(request),
        }
    }
}

/// What the verifier expects of each format's presentation.
pub fn for_verifier(
    request: &VerifierRequest,
    request_hash: &[u8; 32],
    mdoc: bool,
) -> ExpectedBinding {
    if mdoc {
        ExpectedBinding::SessionTranscript(session_transcript(request_hash))
    } else {
        ExpectedBinding::NonceAudience {
            nonce: nonce(request_hash),
            audience: audience(request),
        }
    }
}
