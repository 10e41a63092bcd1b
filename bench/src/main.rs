//! `laissez-bench`: Laissez's scenario benchmarks, kept out of the user's `laissez` binary.
//!
//! `laissez-bench store` times the encrypted store beside plain SQLite; `credentials` times
//! issue, import, present and verify; `chains` verification through a certificate chain and
//! signed trust list sizes; `exchange` the engaged QR exchange; `frames` animated
//! QR transfers under loss; `backup` backup and restore of a large wallet; `qr-scan` the QR
//! scanner on camera-like frames. Each checks its results, so a fast wrong answer fails the
//! run instead of becoming a number. docs/BENCHMARKS.md has the figures and how to read them.

mod args;
mod commands;
mod data;
mod error;
mod machine;
mod output;
mod stats;
mod wallets;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = args::Cli::parse();
    error::finish(commands::run(cli.command))
}
