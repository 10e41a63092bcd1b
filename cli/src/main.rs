//! `laissez`: the Laissez wallet from the command line.
//!
//! `laissez wallet` creates, inspects, recovers and rekeys a wallet file; `laissez store`
//! puts, gets, finds, counts and deletes encrypted records; `laissez demo` walks through a
//! wallet's life with every step checked; `laissez bench store` measures the store.
//! Run `laissez --help` for the tree, the secret variables and the exit codes.

mod args;
mod bench_data;
mod commands;
mod demo_records;
mod exit;
mod machine;
mod output;
mod secrets_input;
mod stats;
mod wallet_file;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = args::Cli::parse();
    exit::finish(commands::run(cli.command))
}
