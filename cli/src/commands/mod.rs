//! One module per command group; this one only dispatches.

mod backup;
mod cards;
mod claim169;
mod credentials;
mod demo;
mod issuer;
mod offline_issuance;
mod online;
mod present;
mod present_static;
mod qr;
mod registrar;
mod respond;
mod store;
mod trust;
mod trust_import;
mod verifier;
mod verify_presentation;
mod wallet;

use crate::args::Command;
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
        Command::Registrar(cmd) => registrar::run(cmd),
        Command::Qr(cmd) => qr::run(cmd),
        Command::Claim169(cmd) => claim169::run(cmd),
        Command::Demo(args) => demo::run(args),
    }
}
