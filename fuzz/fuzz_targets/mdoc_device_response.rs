//! A DeviceResponse as a verifier receives it (`verify_device_response` with the fixed
//! OpenID4VP SessionTranscript and trust anchors), and the same bytes as a
//! SessionTranscript.
#![no_main]

use laissez_fuzz::{NOW, fixtures};
use libfuzzer_sys::fuzz_target;
use laissez_crypto::ecdsa::HighS;
use laissez_formats::mdoc::{SessionTranscript, VerifyOptions, verify_device_response};

fuzz_target!(|data: &[u8]| {
    let f = fixtures();
    let options = VerifyOptions {
        now: NOW,
        trust_anchors: &f.anchors,
        session_transcript: &f.transcript,
        expected_doc_type: None,
        reader_key: None,
        holder_high_s: HighS::Refuse,
    };
    if let Ok(documents) = verify_device_response(data, &options) {
        for document in &documents {
            let _ = document.issuer_signed_json();
            let _ = document.device_signed_json();
        }
    }
    if let Ok(transcript) = SessionTranscript::from_bytes(data) {
        // Kept exactly as given.
        assert!(transcript.as_bytes() == data || transcript.tagged_bytes() == data);
    }
});
