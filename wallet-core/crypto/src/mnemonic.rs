//! The wallet secret: a BIP39 mnemonic of 24 English words (256 bits of entropy).
//!
//! The words, their checksum and the seed are computed here, with BIP39's English word list
//! (`bip39_english.txt`, the list of the BIP) and SHA-256 and PBKDF2 from ring. The `bip39`
//! crate would link a second SHA-256 (`bitcoin_hashes`, 11 KB of the phone library) and keeps
//! its list as 2,048 string slices (32 KB of pointers beside the text); here the list is
//! 2,048 zero-padded 8-byte records (16 KB), searched in place (ADR 0009, fourth
//! amendment). Tests check every step against the `bip39` crate.

use std::fmt;

use zeroize::{Zeroize, Zeroizing};

use crate::error::{CryptoError, CryptoResult};
pub use crate::phrase_rules::{MnemonicProblem, WORD_COUNT};
use crate::random;

/// PBKDF2 iterations of the BIP39 seed.
const BIP39_ITERATIONS: std::num::NonZeroU32 = std::num::NonZeroU32::MIN.saturating_add(2047);

/// Bytes of entropy behind 24 words (24 × 11 bits = 256 bits of entropy + 8 of checksum).
const ENTROPY_LEN: usize = 32;

/// Longest word of the English list, in bytes.
const MAX_WORD_LEN: usize = 8;

/// BIP39's English word list, sorted, one record per word: its ASCII letters, then zeros.
static WORDS: [[u8; MAX_WORD_LEN]; 2048] = pack_words(include_str!("bip39_english.txt"));

/// Packs a list of 2,048 lowercase ASCII words, one per line, into [`WORDS`] records; checked
/// at compile time (length, letters, count, order), so the lookups below cannot meet anything
/// else.
const fn pack_words(list: &str) -> [[u8; MAX_WORD_LEN]; 2048] {
    let bytes = list.as_bytes();
    let mut words = [[0u8; MAX_WORD_LEN]; 2048];
    let (mut at, mut word, mut len) = (0, 0, 0);
    while at < bytes.len() {
        let b = bytes[at];
        if b == b'\n' {
            assert!(len > 0, "empty line in the word list");
            if word > 0 {
                assert!(less(&words[word - 1], &words[word]), "word list not sorted");
            }
            word += 1;
            len = 0;
        } else {
            assert!(
                b.is_ascii_lowercase() && len < MAX_WORD_LEN,
                "not a BIP39 word"
            );
            words[word][len] = b;
            len += 1;
        }
        at += 1;
    }
    assert!(word == 2048 && len == 0, "not 2,048 lines");
    words
}

/// `a < b` for zero-padded words (the zeros sort first, as a shorter word does).
const fn less(a: &[u8; MAX_WORD_LEN], b: &[u8; MAX_WORD_LEN]) -> bool {
    let mut i = 0;
    while i < MAX_WORD_LEN {
        if a[i] != b[i] {
            return a[i] < b[i];
        }
        i += 1;
    }
    false
}

/// The word at `index` (below 2,048) of the English list.
fn word(index: usize) -> &'static str {
    let record = &WORDS[index % 2048];
    let len = record.iter().position(|&b| b == 0).unwrap_or(MAX_WORD_LEN);
    // Lowercase ASCII, checked by `pack_words`.
    std::str::from_utf8(&record[..len]).unwrap_or_default()
}

/// The index of `word` in the English list, if it is one of its words.
fn find_word(word: &str) -> Option<u16> {
    // Only letters: a NUL would otherwise read as the record's padding ("able\0" as "able").
    if !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return None;
    }
    let mut record = [0u8; MAX_WORD_LEN];
    record
        .get_mut(..word.len())?
        .copy_from_slice(word.as_bytes());
    let index = WORDS.binary_search(&record).ok()?;
    u16::try_from(index).ok()
}

/// A validated 24-word recovery phrase. Wiped from memory on drop; never printed by `Debug`.
pub struct RecoveryPhrase {
    /// The 256 bits the words encode (the checksum is recomputed from them).
    entropy: [u8; ENTROPY_LEN],
}

impl RecoveryPhrase {
    /// A new phrase from 256 bits of fresh system randomness.
    pub fn generate() -> CryptoResult<Self> {
        let entropy = Zeroizing::new(random::bytes::<ENTROPY_LEN>()?);
        Ok(Self { entropy: *entropy })
    }

    /// Parses a phrase typed by a person: case, extra spaces and line breaks are forgiven.
    pub fn parse(phrase: &str) -> CryptoResult<Self> {
        let words: Vec<Zeroizing<String>> = phrase
            .split_whitespace()
            .map(|w| Zeroizing::new(w.to_lowercase()))
            .collect();
        if words.len() != WORD_COUNT {
            return Err(CryptoError::InvalidMnemonic(
                MnemonicProblem::WrongWordCount(words.len()),
            ));
        }
        // 24 indices of 11 bits, most significant first: 264 bits in 33 bytes.
        let mut bits = Zeroizing::new([0u8; ENTROPY_LEN + 1]);
        for (i, typed) in words.iter().enumerate() {
            let index = find_word(typed).ok_or(CryptoError::InvalidMnemonic(
                MnemonicProblem::UnknownWord(i + 1),
            ))?;
            for bit in 0..11 {
                if index & (1 << (10 - bit)) != 0 {
                    let at = i * 11 + bit;
                    bits[at / 8] |= 0x80 >> (at % 8);
                }
            }
        }
        let mut entropy = [0u8; ENTROPY_LEN];
        entropy.copy_from_slice(&bits[..ENTROPY_LEN]);
        let phrase = Self { entropy };
        if phrase.checksum() != bits[ENTROPY_LEN] {
            return Err(CryptoError::InvalidMnemonic(MnemonicProblem::BadChecksum));
        }
        Ok(phrase)
    }

    /// BIP39's checksum of 256 bits of entropy: the first 8 bits of their SHA-256.
    fn checksum(&self) -> u8 {
        ring::digest::digest(&ring::digest::SHA256, &self.entropy).as_ref()[0]
    }

    /// The words separated by single spaces, for showing once to the person.
    pub fn phrase(&self) -> Zeroizing<String> {
        let mut phrase = Zeroizing::new(String::with_capacity(WORD_COUNT * 9));
        for (i, word) in self.word_iter().enumerate() {
            if i > 0 {
                phrase.push(' ');
            }
            phrase.push_str(word);
        }
        phrase
    }

    /// The words one by one.
    pub fn words(&self) -> Vec<Zeroizing<String>> {
        self.word_iter()
            .map(|w| Zeroizing::new(w.to_owned()))
            .collect()
    }

    /// The 24 words: the entropy and its checksum, 11 bits a word.
    fn word_iter(&self) -> impl Iterator<Item = &'static str> + '_ {
        let checksum = self.checksum();
        let bit = move |at: usize| {
            let byte = self.entropy.get(at / 8).copied().unwrap_or(checksum);
            usize::from(byte >> (7 - at % 8) & 1)
        };
        (0..WORD_COUNT).map(move |i| word((0..11).fold(0, |index, b| index << 1 | bit(i * 11 + b))))
    }

    /// The 64-byte BIP39 seed (empty passphrase), root of every derived key.
    ///
    /// BIP39's PBKDF2-HMAC-SHA512 over the words joined by single spaces (English words are
    /// ASCII, so NFKD leaves them as they are), salt "mnemonic", 2048 iterations, through
    /// ring rather than the `bip39` crate's own SHA-512, which would add a second SHA-512 to
    /// the phone library (ADR 0009). A test checks it against `bip39`'s `to_seed`.
    pub fn seed(&self) -> Zeroizing<[u8; 64]> {
        let sentence = self.phrase();
        let mut seed = Zeroizing::new([0u8; 64]);
        ring::pbkdf2::derive(
            ring::pbkdf2::PBKDF2_HMAC_SHA512,
            BIP39_ITERATIONS,
            b"mnemonic",
            sentence.as_bytes(),
            seed.as_mut(),
        );
        seed
    }
}

impl Drop for RecoveryPhrase {
    fn drop(&mut self) {
        self.entropy.zeroize();
    }
}

impl fmt::Debug for RecoveryPhrase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RecoveryPhrase(..)")
    }
}

#[cfg(test)]
mod tests {
    use bip39::{Language, Mnemonic};

    use super::*;

    #[test]
    fn the_word_list_is_bip39s() {
        let theirs = Language::English.word_list();
        for (i, w) in theirs.iter().enumerate() {
            assert_eq!(word(i), *w);
            assert_eq!(find_word(w), Some(u16::try_from(i).unwrap()));
        }
        for not_a_word in [
            "",
            "abando",
            "abandons",
            "zooo",
            "aaaaaaaaa",
            "Abandon",
            "zzzzzzzz",
            "able\0",
            "é",
        ] {
            assert_eq!(find_word(not_a_word), None, "{not_a_word}");
        }
    }

    /// The `bip39` crate's mnemonic of the same entropy.
    fn reference(p: &RecoveryPhrase) -> Mnemonic {
        Mnemonic::from_entropy_in(Language::English, &p.entropy).unwrap()
    }

    #[test]
    fn words_checksum_and_parsing_are_bip39s() {
        let mut cases = vec![[0u8; 32], [0xff; 32]];
        for _ in 0..32 {
            cases.push(random::bytes::<32>().unwrap());
        }
        for entropy in cases {
            let p = RecoveryPhrase { entropy };
            let theirs = reference(&p);
            assert_eq!(*p.phrase(), theirs.to_string());
            let words: Vec<String> = p.words().iter().map(|w| w.to_string()).collect();
            assert_eq!(words, theirs.words().collect::<Vec<_>>());
            assert_eq!(
                RecoveryPhrase::parse(&theirs.to_string()).unwrap().entropy,
                entropy
            );
        }
        // BIP39's test vector: all-zero entropy is "abandon" × 23, "art".
        let zero = RecoveryPhrase { entropy: [0; 32] };
        assert_eq!(*zero.phrase(), "abandon ".repeat(23) + "art");
    }

    #[test]
    fn a_checksum_bip39_rejects_is_rejected() {
        // Every last word but the right one, for one phrase: bip39 and we agree on each.
        let p = RecoveryPhrase::generate().unwrap();
        let words: Vec<String> = p.words().iter().map(|w| w.to_string()).collect();
        let mut rejected = 0;
        for last in Language::English.word_list().iter().step_by(7) {
            let phrase = format!("{} {last}", words[..23].join(" "));
            let ours = RecoveryPhrase::parse(&phrase).map(|p| p.entropy);
            let theirs = Mnemonic::parse_in_normalized(Language::English, &phrase);
            assert_eq!(ours.is_ok(), theirs.is_ok(), "{phrase}");
            if let Err(e) = ours {
                rejected += 1;
                assert_eq!(
                    e,
                    CryptoError::InvalidMnemonic(MnemonicProblem::BadChecksum)
                );
            }
        }
        assert!(rejected > 200);
    }

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
            assert_eq!(*p.seed(), reference(&p).to_seed_normalized(""));
        }
        // All-zero entropy: "abandon" × 23, "art".
        let zero = RecoveryPhrase { entropy: [0; 32] };
        assert_eq!(*zero.seed(), reference(&zero).to_seed_normalized(""));
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
