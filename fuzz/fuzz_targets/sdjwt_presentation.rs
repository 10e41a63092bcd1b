//! A presentation as a verifier receives it: compact (`SdJwt::parse`, then the whole
//! `verify_presentation`) and the JSON serialisations, plus a bare JWT.
#![no_main]

use laissez_fuzz::fixtures;
use libfuzzer_sys::fuzz_target;
use laissez_formats::jose::SignedJwt;
use laissez_formats::sdjwt::{SdJwt, verify_json_presentation, verify_presentation};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let f = fixtures();
    if let Ok(parsed) = SdJwt::parse(text) {
        // Parts keep their exact text, so the compact form comes back unchanged.
        assert_eq!(parsed.to_compact(), text);
    }
    if let Ok(jwt) = SignedJwt::parse(text) {
        assert_eq!(jwt.as_str(), text);
        let _ = jwt.verify_any_issuer(&f.issuer_keys);
    }
    let _ = verify_presentation(text, &f.issuer_keys, &f.sd_jwt_options);
    let _ = verify_json_presentation(text, &f.issuer_keys, &f.sd_jwt_options);
});
