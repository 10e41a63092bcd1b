//! MOSIP Claim 169 QR codes: the QR text path (Base45, zlib under its limit, COSE, CWT,
//! claim 169), the inflated-CBOR path with a fixed A256GCM key, and on what decodes the time
//! check, the face image and a signature check.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    laissez_formats::claim169::fuzzing::run(data);
});
