//! What every benchmark prints besides its own table: progress on stderr, JSON on stdout.

use std::io::Write;

use serde::Serialize;

use crate::error::BenchResult;

/// Writes `laissez-bench: <message>` to stderr (progress never mixes with the result).
pub fn progress(message: &str) {
    let _ = writeln!(std::io::stderr(), "laissez-bench: {message}");
}

/// Prints `value` to stdout as one pretty JSON object and a newline.
pub fn print_json<T: Serialize>(value: &T) -> BenchResult {
    let text = serde_json::to_string_pretty(value)?;
    writeln!(std::io::stdout().lock(), "{text}")?;
    Ok(())
}
