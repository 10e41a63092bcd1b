//! `laissez wallet card ...`: identity cards (MOSIP Claim 169 codes) kept in the wallet. They
//! are imported with `laissez wallet import` and listed by `laissez wallet list`.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::DbArg;

/// Subcommands of `laissez wallet card`.
#[derive(Debug, Subcommand)]
pub enum CardCommand {
    /// Show a kept card's fields with labels, its issuer as the trust list tells, its face.
    Show(CardShowArgs),
    /// Write the card's own QR code (the whole card, as issued) to show a verifier.
    Code(CardCodeArgs),
    /// Remove a kept card from the wallet.
    Delete(CardIdArgs),
}

/// Options of `laissez wallet card show`.
#[derive(Debug, Args)]
pub struct CardShowArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// The card's id (as import and list print it).
    #[arg(value_name = "ID")]
    pub id: String,
    /// Language of the labels: en, fr or ar (others fall back to English).
    #[arg(long, value_name = "LANG", default_value = "en")]
    pub lang: String,
    /// Write the card's face image (as the card carries it) to this file.
    #[arg(long, value_name = "FILE")]
    pub face: Option<PathBuf>,
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
}

/// Options of `laissez wallet card code`.
#[derive(Debug, Args)]
pub struct CardCodeArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// The card's id.
    #[arg(value_name = "ID")]
    pub id: String,
    /// Where to write the QR code (PNG).
    #[arg(long, value_name = "PNG")]
    pub out: PathBuf,
}

/// Options of `laissez wallet card delete`.
#[derive(Debug, Args)]
pub struct CardIdArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// The card's id.
    #[arg(value_name = "ID")]
    pub id: String,
}
