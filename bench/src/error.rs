//! The benchmarks' one error type and the one place that turns it into an exit code.
//!
//! 2 bad options or input files (clap's own usage errors exit 2 too); 3 everything else: a
//! step of the benchmark failed or a result did not check out.

use std::process::ExitCode;

use wallet_core::StoreError;
use wallet_core::issuer::IssuerError;
use wallet_core::wallet::CredentialError;

/// Exit code of bad options or unreadable input files.
pub const BAD_INPUT: u8 = 2;
/// Exit code of a failed step or a result that did not check out.
pub const FAILURE: u8 = 3;

/// Why a benchmark did not produce its figures.
#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    /// The options or the input files make no sense.
    #[error("{0}")]
    BadInput(String),
    /// A step failed or a result did not check out.
    #[error("{0}")]
    Failed(String),
    /// The encrypted store said no.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A credential operation said no.
    #[error(transparent)]
    Credential(#[from] CredentialError),
    /// Issuance said no.
    #[error(transparent)]
    Issuer(#[from] IssuerError),
    /// The plain-SQLite baseline said no.
    #[error("plain SQLite baseline: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// Writing the output failed.
    #[error("cannot write the output: {0}")]
    Output(#[from] std::io::Error),
    /// Writing the JSON output failed.
    #[error("cannot write the JSON output: {0}")]
    Json(#[from] serde_json::Error),
}

/// Result alias for the benchmarks.
pub type BenchResult<T = ()> = Result<T, BenchError>;

impl BenchError {
    /// The process exit code for this error.
    pub fn exit_code(&self) -> u8 {
        match self {
            BenchError::BadInput(_) => BAD_INPUT,
            _ => FAILURE,
        }
    }
}

/// Reports `result` on stderr as `laissez-bench: <message>` and gives the exit code.
pub fn finish(result: BenchResult) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            use std::io::Write;
            let _ = writeln!(std::io::stderr(), "laissez-bench: {err}");
            ExitCode::from(err.exit_code())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_input_exits_2_and_everything_else_3() {
        assert_eq!(BenchError::BadInput("x".into()).exit_code(), BAD_INPUT);
        assert_eq!(BenchError::Failed("x".into()).exit_code(), FAILURE);
        assert_eq!(BenchError::from(StoreError::Busy).exit_code(), FAILURE);
    }
}
