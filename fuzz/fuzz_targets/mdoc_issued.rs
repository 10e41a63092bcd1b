//! An issued mdoc as a holder receives or stores it: `IssuedMdoc::from_bytes`, then
//! `verify` against the fixed anchors.
#![no_main]

use laissez_fuzz::{NOW, fixtures};
use libfuzzer_sys::fuzz_target;
use laissez_formats::mdoc::IssuedMdoc;

fuzz_target!(|data: &[u8]| {
    let Ok(mdoc) = IssuedMdoc::from_bytes(data) else {
        return;
    };
    let _ = mdoc.data_elements();
    let _ = mdoc.verify(&fixtures().anchors, NOW);
    // The stored form reads back as the same credential.
    let again = IssuedMdoc::from_bytes(mdoc.as_bytes()).expect("stored form reads back");
    assert_eq!(again.as_bytes(), mdoc.as_bytes());
    assert_eq!(again.issuer_signed_bytes(), mdoc.issuer_signed_bytes());
});
