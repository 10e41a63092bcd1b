//! `laissez`: the Laissez wallet from the command line.
//!
//! `laissez wallet` creates, inspects, recovers and rekeys a wallet file and imports, shows
//! and presents its credentials; `laissez store` puts, gets, finds, counts and deletes
//! encrypted records; `laissez issuer` makes an issuer and issues SD-JWT VC and mdoc
//! credentials; `laissez verify-presentation` checks one presentation; `laissez verifier`
//! creates the field verifier's store and `laissez trust` signs and imports its trust lists;
//! `laissez qr decode` reads QR codes from images; `laissez demo` walks through a wallet's
//! life with every step checked. The benchmarks are a separate binary, `laissez-bench`.
//! Run `laissez --help` for the tree, the secret variables and the exit codes.

mod args;
mod commands;
mod demo_records;
mod exit;
mod http_client;
mod input_files;
mod issuer_server;
mod offer_store;
mod output;
mod qr_files;
mod secrets_input;
mod unix_time;
mod verdict_output;
mod wallet_file;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = args::Cli::parse();
    exit::finish(commands::run(cli.command))
}
