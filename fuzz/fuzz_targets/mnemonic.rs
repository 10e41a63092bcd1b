//! A recovery phrase typed by a person (`RecoveryPhrase::parse`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use laissez_crypto::mnemonic::{RecoveryPhrase, WORD_COUNT};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(phrase) = RecoveryPhrase::parse(text) {
        // The normalised phrase is the same secret.
        assert_eq!(phrase.words().len(), WORD_COUNT);
        let again = RecoveryPhrase::parse(&phrase.phrase()).expect("normalised phrase parses");
        assert_eq!(*again.seed(), *phrase.seed());
    }
});
