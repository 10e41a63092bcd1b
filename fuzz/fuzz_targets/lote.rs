//! An ETSI TS 119 602 list: `SignedLote::parse` (compact JAdES, or a WE BUILD document
//! re-serialised as Python writes it) and `verify` with the fixtures' root as the pinned signer at `NOW`. Input starting
//! with `{` is also validated as a payload against the (corrected) ETSI schema, so the
//! fuzzer reaches the schema and the anchor reader without a signature.
#![no_main]

use laissez_formats::lote::{SignedLote, schema};
use laissez_fuzz::{NOW, fixtures};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if data.first() == Some(&b'{') {
        if let Ok(payload) = serde_json::from_slice::<serde_json::Value>(data) {
            let _ = schema::validate(&payload);
        }
    }
    if let Ok(signed) = SignedLote::parse(data) {
        let _ = signed.unverified_payload();
        let _ = signed.verify(fixtures().root.der(), NOW);
    }
});
