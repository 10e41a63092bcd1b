//! The wallet secret: a BIP39 mnemonic of 24 English words (256 bits of entropy).

use std::fmt;

use bip39::{Language, Mnemonic};
use zeroize::Zeroizing;

use crate::error::{CryptoError, CryptoResult};
pub use crate::phrase_rules::{MnemonicProblem, WORD_COUNT};
use crate::random;

/// PBKDF2 iterations of the BIP39 seed.
const BIP39_ITERATIONS: std::num::NonZeroU32 = std::num::NonZeroU32::MIN.saturating_add(2047);

/// A validated 24-word recovery phrase. Wiped from memory on drop; never printed by `Debug`.
pub struct RecoveryPhrase(Mnemonic);

impl RecoveryPhrase {
    /// A new phrase from 256 bits of fresh system randomness.
    pub fn generate() -> CryptoResult<Self> {
        let entropy = Zeroizing::new(random::bytes::<32>()?);
        let mnemonic = Mnemonic::from_entropy_in(Language::English, entropy.as_ref())
            .map_err(|_| CryptoError::MnemonicGeneration)?;
        Ok(Self(mnemonic))
    }

    /// Parses a phrase typed by a person: case, extra spaces and line breaks are forgiven.
    pub fn parse(phrase: &str) -> CryptoResult<Self> {
        let normalized = Zeroizing::new(
            phrase
                .split_whitespace()
                .map(str::to_lowercase)
                .collect::<Vec<_>>()
                .join(" "),
        );
        let count = normalized.split(' ').filter(|w| !w.is_empty()).count();
        if count != WORD_COUNT {
            return Err(CryptoError::InvalidMnemonic(
                MnemonicProblem::WrongWordCount(count),
            ));
        }
        Mnemonic::parse_in_normalized(Language::English, &normalized)
            .map(Self)
            .map_err(|err| {
                CryptoError::InvalidMnemonic(match err {
                    bip39::Error::UnknownWord(index) => MnemonicProblem::UnknownWord(index + 1),
                    bip39::Error::BadWordCount(n) => MnemonicProblem::WrongWordCount(n),
                    _ => MnemonicProblem::BadChecksum,
                })
            })
    }

    /// The words separated by single spaces, for showing once to the person.
    pub fn phrase(&self) -> Zeroizing<String> {
        Zeroizing::new(self.0.to_string())
    }

    /// The words one by one.
    pub fn words(&self) -> Vec<Zeroizing<String>> {
        self.0
            .words()
            .map(|w| Zeroizing::new(w.to_string()))
            .collect()
    }

    /// The 64-byte BIP39 seed (empty passphrase), root of every derived key.
    ///
    /// BIP39's PBKDF2-HMAC-SHA512 over the words joined by single spaces (English words are
    /// ASCII, so NFKD leaves them as they are), salt "mnemonic", 2048 iterations, through
    /// ring rather than the `bip39` crate's own SHA-512, which would add a second SHA-512 to
    /// the phone library (ADR 0009). A test checks it against `bip39`'s `to_seed`.
    pub fn seed(&self) -> Zeroizing<[u8; 64]> {
        let mut sentence = Zeroizing::new(Vec::with_capacity(24 * 9));
        for (i, word) in self.0.words().enumerate() {
            if i > 0 {
                sentence.push(b' ');
            }
            sentence.extend_from_slice(word.as_bytes());
        }
        let mut seed = Zeroizing::new([0u8; 64]);
        ring::pbkdf2::derive(
            ring::pbkdf2::PBKDF2_HMAC_SHA512,
            BIP39_ITERATIONS,
            b"mnemonic",
            &sentence,
            seed.as_mut(),
        );
        seed
    }
}

impl Drop for RecoveryPhrase {
    fn drop(&mut self) {
        use zeroize::Zeroize;
        self.0.zeroize();
    }
}

impl fmt::Debug for RecoveryPhrase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RecoveryPhrase(..)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_phrase_has_24_words_and_round_trips() {
        let p = RecoveryPhrase::generate().unwrap();
        assert_eq!(p.words().len(), 24);
        let again = RecoveryPhrase::parse(&p.phrase()).unwrap();
        assert_eq!(*p.seed(), *again.seed());
    }

    #[test]
    fn the_seed_is_bip39s() {
        for _ in 0..8 {
            let p = RecoveryPhrase::generate().unwrap();
            assert_eq!(*p.seed(), p.0.to_seed_normalized(""));
        }
        // All-zero entropy: "abandon" × 23, "art".
        let zero =
            RecoveryPhrase(Mnemonic::from_entropy_in(Language::English, &[0u8; 32]).unwrap());
        assert_eq!(*zero.seed(), zero.0.to_seed_normalized(""));
    }

    #[test]
    fn sloppy_typing_is_forgiven() {
        let p = RecoveryPhrase::generate().unwrap();
        let messy = format!("  {}\n", p.phrase().to_uppercase().replace(' ', "   "));
        assert_eq!(*RecoveryPhrase::parse(&messy).unwrap().seed(), *p.seed());
    }

    #[test]
    fn each_problem_has_its_error() {
        let p = RecoveryPhrase::generate().unwrap();
        let words: Vec<String> = p.words().iter().map(|w| w.to_string()).collect();
        let short = words[..23].join(" ");
        assert_eq!(
            RecoveryPhrase::parse(&short).unwrap_err(),
            CryptoError::InvalidMnemonic(MnemonicProblem::WrongWordCount(23))
        );
        let mut unknown = words.clone();
        unknown[4] = "notaword".into();
        assert_eq!(
            RecoveryPhrase::parse(&unknown.join(" ")).unwrap_err(),
            CryptoError::InvalidMnemonic(MnemonicProblem::UnknownWord(5))
        );
        let mut swapped = words.clone();
        let (a, b) = (0..24)
            .flat_map(|i| (i + 1..24).map(move |j| (i, j)))
            .find(|&(i, j)| words[i] != words[j])
            .unwrap();
        swapped.swap(a, b);
        // Swapping two words breaks the checksum with probability 255/256; try a few pairs.
        let swapped_err = RecoveryPhrase::parse(&swapped.join(" "));
        if let Err(e) = swapped_err {
            assert_eq!(
                e,
                CryptoError::InvalidMnemonic(MnemonicProblem::BadChecksum)
            );
        }
        let fixed = "abandon ".repeat(23) + "abandon";
        assert_eq!(
            RecoveryPhrase::parse(&fixed).unwrap_err(),
            CryptoError::InvalidMnemonic(MnemonicProblem::BadChecksum)
        );
    }
}
