//! An SD-JWT VC Type Metadata document as a trust list or a holder's import supplies it
//! (`TypeMetadataDocument::parse`), then what verifiers and wallets do with one: resolve its
//! `extends` against itself, check an integrity string, look labels up in a few locales.
#![no_main]

use laissez_formats::type_metadata::{ClaimPath, Integrity, TypeMetadataDocument, resolve};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = Integrity::parse(text).map(|sri| sri.check(data));
    }
    let Ok(document) = TypeMetadataDocument::parse(data) else {
        return;
    };
    assert_eq!(document.bytes(), data);
    assert_eq!(Integrity::sha256_of(data).check(document.bytes()), Ok(()));
    let Ok(effective) = resolve(&document, std::slice::from_ref(&document)) else {
        return;
    };
    for locale in ["en", "fr-CA", "ar", "de-AT", ""] {
        let _ = effective.display_name(locale);
        for claim in &effective.claims {
            let _ = effective.claim_label(&claim.path, locale);
        }
        let _ = effective.claim_label(&ClaimPath::of_names(&["given_name"]), locale);
    }
});
