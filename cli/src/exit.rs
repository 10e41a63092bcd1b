//! The command line's one error type and the one place that turns errors into exit codes.
//!
//! 0 success, 1 a negative answer, 2 bad input or usage (clap's own usage errors exit 2
//! too), 3 a failure of the machine or of a self-check, 4 a verifier file tampered with. Messages are the core's, which
//! never contain a PIN, a word of the phrase, a key, a body, a tag or a claim value.

use std::fmt;
use std::process::ExitCode;

use wallet_core::StoreError;
use wallet_core::crypto::CryptoError;
use wallet_core::issuer::IssuerError;
use wallet_core::wallet::CredentialError;

/// Exit code of a negative answer: wrong PIN, lockout, not found, phrase of another wallet.
pub const NEGATIVE: u8 = 1;
/// Exit code of bad input or usage.
pub const BAD_INPUT: u8 = 2;
/// Exit code of a failure of the machine (disk, busy file) or of a self-check.
pub const FAILURE: u8 = 3;
/// Exit code of a verifier whose file was changed behind its back (its trust list, status
/// lists, replay cache or pending requests rolled back, removed or added).
pub const TAMPERED: u8 = 4;

/// Why a command did not succeed.
#[derive(Debug)]
pub enum CliError {
    /// The wallet core said no.
    Store(StoreError),
    /// The wallet's credential operations said no.
    Credential(CredentialError),
    /// Issuer files or issuance said no.
    Issuer(IssuerError),
    /// A negative answer the core gave as a value, not an error: an invalid presentation.
    Negative(String),
    /// Input the core never saw was wrong: a missing file, no terminal for a prompt, two
    /// PINs that differ.
    BadInput(String),
    /// Something outside the input failed: writing the output, a demo or bench check.
    Failed(String),
    /// The verifier's security state was tampered with: nothing is verified until it is set
    /// up again.
    Tampered(String),
}

/// Result alias for commands.
pub type CliResult<T = ()> = Result<T, CliError>;

impl CliError {
    /// The process exit code for this error.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Store(err) => store_exit_code(err),
            CliError::Credential(err) => credential_exit_code(err),
            CliError::Issuer(err) => issuer_exit_code(err),
            CliError::Negative(_) => NEGATIVE,
            CliError::BadInput(_) => BAD_INPUT,
            CliError::Failed(_) => FAILURE,
            CliError::Tampered(_) => TAMPERED,
        }
    }
}

/// The exit code for each core error.
pub fn store_exit_code(err: &StoreError) -> u8 {
    match err {
        StoreError::WrongPin { .. }
        | StoreError::PinLockedOut { .. }
        | StoreError::RecordNotFound
        | StoreError::MnemonicMismatch => NEGATIVE,
        StoreError::NotFound
        | StoreError::AlreadyExists
        | StoreError::NotAWallet(_)
        | StoreError::Corrupted(_)
        | StoreError::UnsupportedVersion { .. }
        | StoreError::InvalidPin(_)
        | StoreError::InvalidMnemonic(_)
        | StoreError::InvalidInput(_)
        | StoreError::RecordIntegrity { .. } => BAD_INPUT,
        StoreError::Locked
        | StoreError::PlatformKey(_)
        | StoreError::Busy
        | StoreError::Storage(_) => FAILURE,
    }
}

/// The exit code for each credential error: a credential of another wallet or a record that
/// is not a credential is a negative answer; a credential that is malformed, forged,
/// expired, already imported, or a claim it does not have, is bad input.
pub fn credential_exit_code(err: &CredentialError) -> u8 {
    match err {
        CredentialError::Store(err) => store_exit_code(err),
        CredentialError::NotBoundToThisWallet | CredentialError::NotACredential => NEGATIVE,
        CredentialError::SdJwt(_)
        | CredentialError::Mdoc(_)
        | CredentialError::Certificate(_)
        | CredentialError::UnknownFormat
        | CredentialError::NoHolderKey
        | CredentialError::NoIssuerKey
        | CredentialError::UnknownClaim(_)
        | CredentialError::WrongBinding(_)
        | CredentialError::TypeMetadata(_)
        | CredentialError::AlreadyImported => BAD_INPUT,
        // Batches (branch `batches`): mapped here so the CLI builds; the batches branch owns them.
        CredentialError::NoCopiesLeft => NEGATIVE,
        CredentialError::EmptyBatch
        | CredentialError::TooManyCopies(_)
        | CredentialError::CopiesDiffer(_)
        | CredentialError::HolderKeyUsedTwice => BAD_INPUT,
    }
}

/// The exit code for each issuer error: unreadable or unwritable issuer files depend on the
/// kind of I/O error; bad keys, certificates, claims and options are bad input.
pub fn issuer_exit_code(err: &IssuerError) -> u8 {
    use std::io::ErrorKind;
    match err {
        IssuerError::Io { kind, .. } => match kind {
            ErrorKind::NotFound
            | ErrorKind::PermissionDenied
            | ErrorKind::AlreadyExists
            | ErrorKind::InvalidData
            | ErrorKind::InvalidInput
            | ErrorKind::NotADirectory
            | ErrorKind::IsADirectory => BAD_INPUT,
            _ => FAILURE,
        },
        IssuerError::BadKey
        | IssuerError::BadCertificate
        | IssuerError::AlreadyExists
        | IssuerError::InvalidInput(_)
        // The format layers refuse claims they cannot carry (reserved names, sizes).
        | IssuerError::Issue(_) => BAD_INPUT,
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Store(err) => err.fmt(f),
            CliError::Credential(err) => err.fmt(f),
            CliError::Issuer(err) => err.fmt(f),
            CliError::Negative(msg)
            | CliError::BadInput(msg)
            | CliError::Failed(msg)
            | CliError::Tampered(msg) => f.write_str(msg),
        }
    }
}

impl From<StoreError> for CliError {
    fn from(err: StoreError) -> Self {
        CliError::Store(err)
    }
}

impl From<CryptoError> for CliError {
    /// A failing primitive or a bad recovery phrase exits as the store's errors do.
    fn from(err: CryptoError) -> Self {
        CliError::Store(err.into())
    }
}

impl From<CredentialError> for CliError {
    fn from(err: CredentialError) -> Self {
        match err {
            // One mapping for store errors, wherever they come from.
            CredentialError::Store(err) => CliError::Store(err),
            other => CliError::Credential(other),
        }
    }
}

impl From<IssuerError> for CliError {
    fn from(err: IssuerError) -> Self {
        CliError::Issuer(err)
    }
}

impl From<std::io::Error> for CliError {
    /// Only output errors reach here: reading input files maps its errors itself.
    fn from(err: std::io::Error) -> Self {
        CliError::Failed(format!("cannot write the output: {err}"))
    }
}

impl From<serde_json::Error> for CliError {
    fn from(err: serde_json::Error) -> Self {
        CliError::Failed(format!("cannot write the JSON output: {err}"))
    }
}

/// Reports `result` on stderr as `laissez: <message>` and gives the exit code.
pub fn finish(result: CliResult) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            use std::io::Write;
            let _ = writeln!(std::io::stderr(), "laissez: {err}");
            ExitCode::from(err.exit_code())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wallet_core::mnemonic::MnemonicProblem;

    #[test]
    fn negative_answers_exit_1_and_bad_input_exits_2() {
        let wrong = StoreError::WrongPin {
            attempts_left: 4,
            retry_after_secs: 0,
        };
        assert_eq!(CliError::from(wrong).exit_code(), NEGATIVE);
        assert_eq!(store_exit_code(&StoreError::RecordNotFound), NEGATIVE);
        assert_eq!(store_exit_code(&StoreError::MnemonicMismatch), NEGATIVE);
        let invalid = StoreError::InvalidMnemonic(MnemonicProblem::BadChecksum);
        assert_eq!(store_exit_code(&invalid), BAD_INPUT);
        assert_eq!(
            store_exit_code(&StoreError::NotAWallet("x".into())),
            BAD_INPUT
        );
        assert_eq!(store_exit_code(&StoreError::Busy), FAILURE);
        assert_eq!(CliError::BadInput("x".into()).exit_code(), BAD_INPUT);
    }

    #[test]
    fn credential_and_issuer_errors_have_their_codes() {
        let err = CliError::from(CredentialError::NotBoundToThisWallet);
        assert_eq!(err.exit_code(), NEGATIVE);
        assert_eq!(
            CliError::from(CredentialError::UnknownFormat).exit_code(),
            BAD_INPUT
        );
        // A store error inside a credential error keeps the store's code.
        let locked = CliError::from(CredentialError::Store(StoreError::RecordNotFound));
        assert!(matches!(
            locked,
            CliError::Store(StoreError::RecordNotFound)
        ));
        assert_eq!(locked.exit_code(), NEGATIVE);
        assert_eq!(
            CliError::from(IssuerError::AlreadyExists).exit_code(),
            BAD_INPUT
        );
        let disk = IssuerError::Io {
            file: "issuer.key.json",
            kind: std::io::ErrorKind::StorageFull,
        };
        assert_eq!(CliError::from(disk).exit_code(), FAILURE);
        assert_eq!(CliError::Negative("x".into()).exit_code(), NEGATIVE);
        assert_eq!(CliError::Tampered("x".into()).exit_code(), TAMPERED);
    }
}
