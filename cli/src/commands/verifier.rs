//! `laissez verifier ...`: the field verifier's own encrypted store.

use crate::args::VerifierCommand;
use crate::exit::CliResult;

use super::wallet;

/// Runs one verifier subcommand.
pub fn run(command: VerifierCommand) -> CliResult {
    match command {
        // The verifier's store is a wallet file like any other: same creation, same phrase.
        VerifierCommand::Init { db, kdf } => wallet::init(&db.db, &kdf),
    }
}
