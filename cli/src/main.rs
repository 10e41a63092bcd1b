//! `laissez`: the Laissez wallet from the command line.
//!
//! `laissez wallet` creates, inspects, recovers and rekeys a wallet file and imports, shows
//! and presents its credentials; `laissez store` puts, gets, finds, counts and deletes
//! encrypted records; `laissez issuer` makes an issuer and issues SD-JWT VC and mdoc
//! credentials; `laissez verify-presentation` checks one presentation; `laissez verifier`
//! creates the field verifier's store and `laissez trust` signs and imports its trust lists;
//! `laissez qr decode` reads QR codes from images; `laissez demo` walks through a wallet's
//! life with every step checked; `laissez bench` measures the store and the credential
//! operations.
//! Run `laissez --help` for the tree, the secret variables and the exit codes.

mod args;
mod bench_data;
mod commands;
mod demo_records;
mod exit;
mod input_files;
mod machine;
mod output;
mod qr_files;
mod sample_identity;
mod secrets_input;
mod stats;
mod unix_time;
mod verdict_output;
mod wallet_file;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = args::Cli::parse();
    exit::finish(commands::run(cli.command))
}
