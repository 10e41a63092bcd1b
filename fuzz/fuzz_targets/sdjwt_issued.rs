//! An issued SD-JWT as a holder receives it from an issuer (`import_issued`).
#![no_main]

use laissez_fuzz::fixtures;
use libfuzzer_sys::fuzz_target;
use laissez_formats::sdjwt::{disclosable_paths, import_issued};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let f = fixtures();
    if let Ok((sd_jwt, _claims)) = import_issued(text, &f.issuer_keys, &f.validation) {
        // What a holder does next with an accepted credential.
        let _ = disclosable_paths(&sd_jwt);
    }
});
