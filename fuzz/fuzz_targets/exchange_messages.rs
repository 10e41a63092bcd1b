//! The exchange messages a holder or verifier receives: a verifier request, a static
//! presentation, an engaged response (peeked, then opened with a fixed verifier key), and
//! the compact transport form of a presentation inside a response (expanded with a known
//! certificate, as a verifier does after decrypting); a signed request (ADR 0020), opened with
//! itself as the one known certificate, so a reference can resolve.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wallet_core::crypto::ecdsa::SigningKey;
use wallet_core::exchange::signed_request::open_signed_request;
use wallet_core::exchange::{
    StaticPresentation, VerifierRequest, compact, open_response, peek_request_ref,
};

fuzz_target!(|data: &[u8]| {
    if let Ok(opened) = open_signed_request(data, &[data.to_vec()]) {
        let _ = opened.request.check_time(0);
        let _ = opened.request.encode();
    }
    if let Ok(request) = VerifierRequest::decode(data) {
        let _ = request.check_time(0);
        let _ = request.encode();
    }
    if let Ok(presentation) = StaticPresentation::decode(data) {
        let _ = presentation.check_window(0);
    }
    if let Ok(reference) = peek_request_ref(data) {
        if let Some(key) = SigningKey::from_scalar(&[7u8; 32]) {
            let request = VerifierRequest {
                nonce: [0; 16],
                verifier_key: key.public_key().clone(),
                verifier_name: "fuzz".into(),
                purpose: "fuzz".into(),
                credentials: Vec::new(),
                created_at: 0,
                expires_at: 1,
                known_certificates: Vec::new(),
            };
            let mut hash = [0u8; 32];
            hash[..reference.len()].copy_from_slice(&reference);
            let _ = open_response(&key, &request, &hash, data, &[]);
        }
    }
    if let Ok(value) = ciborium::from_reader::<ciborium::Value, _>(data) {
        // A stand-in certificate (SEQUENCE, two-byte length) for elisions to refer to.
        let mut certificate = vec![0x30, 0x82, 0x00, 0x10];
        certificate.extend([0x5a; 16]);
        let binding = compact::KeyBinding {
            nonce: "fuzz-nonce",
            audience: "urn:laissez:verifier:fuzz",
        };
        let _ = compact::expand(&value, &[certificate], &binding);
    }
});
