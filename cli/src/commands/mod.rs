//! One module per command group; this one only dispatches.

mod backup;
mod bench_backup;
mod bench_credentials;
mod bench_exchange;
mod bench_frames;
mod bench_store;
mod credentials;
mod demo;
mod issuer;
mod present;
mod qr;
mod respond;
mod store;
mod trust;
mod verifier;
mod verify_presentation;
mod wallet;

use crate::args::{BenchCommand, Command};
use crate::exit::CliResult;

/// Runs the parsed command.
pub fn run(command: Command) -> CliResult {
    match command {
        Command::Wallet(cmd) => wallet::run(cmd),
        Command::Store(cmd) => store::run(cmd),
        Command::Issuer(cmd) => issuer::run(cmd),
        Command::VerifyPresentation(args) => verify_presentation::run(&args),
        Command::Verifier(cmd) => verifier::run(cmd),
        Command::Trust(cmd) => trust::run(cmd),
        Command::Qr(cmd) => qr::run(cmd),
        Command::Demo(args) => demo::run(args),
        Command::Bench(BenchCommand::Store(args)) => bench_store::run(args),
        Command::Bench(BenchCommand::Credentials(args)) => bench_credentials::run(&args),
        Command::Bench(BenchCommand::Frames(args)) => bench_frames::run(&args),
        Command::Bench(BenchCommand::Exchange(args)) => bench_exchange::run(&args),
        Command::Bench(BenchCommand::Backup(args)) => bench_backup::run(&args),
    }
}
