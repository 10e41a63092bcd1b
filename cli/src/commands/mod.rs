//! One module per command group; this one only dispatches.

mod bench_store;
mod demo;
mod store;
mod wallet;

use crate::args::{BenchCommand, Command};
use crate::exit::CliResult;

/// Runs the parsed command.
pub fn run(command: Command) -> CliResult {
    match command {
        Command::Wallet(cmd) => wallet::run(cmd),
        Command::Store(cmd) => store::run(cmd),
        Command::Demo(args) => demo::run(args),
        Command::Bench(BenchCommand::Store(args)) => bench_store::run(args),
    }
}
