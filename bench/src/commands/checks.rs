//! What every benchmark does with a wrong answer: a failure, never a number.

use crate::error::{BenchError, BenchResult};

/// A failed run, with its message.
pub(super) fn fail(message: String) -> BenchError {
    BenchError::Failed(message)
}

/// Checks a benchmark result; a wrong answer must not become a number.
pub(super) fn expect(ok: bool, what: &str) -> BenchResult {
    if ok {
        Ok(())
    } else {
        Err(fail(format!("benchmark check failed: {what}")))
    }
}
