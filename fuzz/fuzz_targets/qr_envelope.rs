//! QR text as a camera reads it: single-code envelopes (`LZ1:`) and their inner bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use laissez_qr::envelope;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(message) = envelope::decode(text) {
            // What decodes re-encodes and decodes to the same message.
            let again = envelope::decode(&envelope::encode(&message).expect("re-encode")).expect("re-decode");
            assert_eq!(again, message);
        }
    }
    let _ = envelope::from_bytes(data);
});
