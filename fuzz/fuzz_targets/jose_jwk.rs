//! A public key as JSON: the strict JOSE JSON parser, then `P256Jwk::from_json`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use laissez_formats::jose::{P256Jwk, json};

fuzz_target!(|data: &[u8]| {
    let Ok(value) = json::parse(data) else {
        return;
    };
    if let Ok(jwk) = P256Jwk::from_json(&value) {
        // The canonical form reads back as the same key.
        assert_eq!(P256Jwk::from_json(&jwk.to_json()).as_ref(), Ok(&jwk));
        let _ = jwk.thumbprint_base64url();
    }
});
