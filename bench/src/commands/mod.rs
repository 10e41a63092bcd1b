//! One module per benchmark; this one only dispatches.

mod backup;
mod batch_import;
mod chains;
mod checks;
mod claim169;
mod claim169_codes;
mod credentials;
mod exchange;
mod frames;
mod qr_scan;
mod signed_request;
mod store;

use crate::args::Command;
use crate::error::BenchResult;

/// Runs the parsed command.
pub fn run(command: Command) -> BenchResult {
    match command {
        Command::Store(args) => store::run(args),
        Command::Credentials(args) => credentials::run(&args),
        Command::Chains(args) => chains::run(&args),
        Command::Claim169(args) => claim169::run(&args),
        Command::Claim169Codes(args) => claim169_codes::run(&args),
        Command::Frames(args) => frames::run(&args),
        Command::Exchange(args) => exchange::run(&args),
        Command::SignedRequest(args) => signed_request::run(&args),
        Command::Backup(args) => backup::run(&args),
        Command::BatchImport(args) => batch_import::run(&args),
        Command::QrScan(cmd) => qr_scan::run(cmd),
    }
}
