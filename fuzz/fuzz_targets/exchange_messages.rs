//! The exchange messages a holder or verifier receives: a verifier request, a static
//! presentation, and an engaged response (peeked, then opened with a fixed verifier key).
#![no_main]

use libfuzzer_sys::fuzz_target;
use wallet_core::crypto::ecdsa::SigningKey;
use wallet_core::exchange::{StaticPresentation, VerifierRequest, open_response, peek_request_hash};

fuzz_target!(|data: &[u8]| {
    if let Ok(request) = VerifierRequest::decode(data) {
        let _ = request.check_time(0);
        let _ = request.encode();
    }
    if let Ok(presentation) = StaticPresentation::decode(data) {
        let _ = presentation.check_window(0);
    }
    if let Ok(hash) = peek_request_hash(data) {
        if let Some(key) = SigningKey::from_scalar(&[7u8; 32]) {
            let _ = open_response(&key, &hash, data);
        }
    }
});
