//! A signed VICAL (ISO/IEC 18013-5 Annex C): `SignedVical::parse`, what an import reads of
//! each entry, the signature check, and `verify` against the fixtures' root at `NOW` (the
//! fuzzer cannot sign under it: this reaches the signature and path checks, not beyond).
#![no_main]

use laissez_formats::vical::SignedVical;
use laissez_fuzz::{NOW, fixtures};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(signed) = SignedVical::parse(data) else {
        return;
    };
    let vical = signed.unverified();
    let all = vical.select(&[], &[]).count();
    assert_eq!(all, vical.entries.len());
    let mdl = ["org.iso.18013.5.1.mDL".to_owned()];
    let us = ["US".to_owned()];
    assert!(vical.select(&mdl, &us).count() <= all);
    for entry in &vical.entries {
        let _ = entry.display_name();
        let _ = entry.parsed_certificate();
    }
    let _ = signed.check_signature();
    let _ = signed.verify(&fixtures().root, NOW);
});
