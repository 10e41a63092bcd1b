//! What a valid recovery phrase is, and why a phrase is not one: shared by the phrase itself
//! and the crate's error, which carries the problem.

use std::fmt;

/// Number of words in a Laissez recovery phrase.
pub const WORD_COUNT: usize = 24;

/// Why a phrase is not a valid recovery phrase. Never carries a word itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MnemonicProblem {
    /// Not 24 words.
    WrongWordCount(usize),
    /// The word at this position (1-based) is not in the BIP39 English list.
    UnknownWord(usize),
    /// All words are known but the checksum does not match: a word is wrong or out of order.
    BadChecksum,
}

impl fmt::Display for MnemonicProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::WrongWordCount(n) => write!(f, "expected {WORD_COUNT} words, got {n}"),
            Self::UnknownWord(pos) => write!(f, "word {pos} is not in the BIP39 English list"),
            Self::BadChecksum => {
                f.write_str("checksum mismatch: a word is wrong or the words are out of order")
            }
        }
    }
}
