//! The whole verifier on arbitrary bytes (`wallet_core::verifier::verify_presentation`),
//! once with each binding kind: nonce and audience, and SessionTranscript bytes.
#![no_main]

use laissez_fuzz::{NOW, fixtures};
use libfuzzer_sys::fuzz_target;
use wallet_core::verifier::{VerificationRequest, verify_presentation};

fuzz_target!(|data: &[u8]| {
    let f = fixtures();
    for binding in &f.bindings {
        let verdict = verify_presentation(&VerificationRequest {
            presentation: data,
            binding,
            trusted: &f.trusted,
            now: NOW,
            lang: "fr",
            type_metadata: &[],
            status_lists: &[],
            max_status_age_secs: wallet_core::verifier::DEFAULT_MAX_STATUS_AGE_SECS,
            holder_high_s: wallet_core::verifier::HighS::Refuse,
        });
        // As documented on `Verdict`.
        assert_eq!(verdict.valid, verdict.reasons.is_empty());
        assert!(verdict.valid || verdict.claims.is_empty());
    }
});
