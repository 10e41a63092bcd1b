//! Options of the QR exchange: the verifier's request and verdict, the holder's response,
//! and the verifier's status lists and log.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::DbArg;

/// Options of `laissez verifier request`.
#[derive(Debug, Args)]
pub struct VerifierRequestArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// The credential type asked for (SD-JWT `vct` or mdoc docType).
    #[arg(long = "type", value_name = "T")]
    pub credential_type: String,
    /// The claims asked for, comma-separated; a claim ending in `?` is optional.
    #[arg(long, value_name = "a,b,c?", value_delimiter = ',', required = true)]
    pub claims: Vec<String>,
    /// Who asks, as the holder will see it.
    #[arg(long, value_name = "NAME", default_value = "Laissez field verifier")]
    pub name: String,
    /// Why, as the holder will see it.
    #[arg(long, value_name = "TEXT", default_value = "Identity check")]
    pub purpose: String,
    /// How long the request can be answered, seconds (30 to 86,400).
    #[arg(long, value_name = "S", default_value_t = 300,
          value_parser = clap::value_parser!(i64).range(30..=86_400))]
    pub ttl: i64,
    /// Where to write the request QR code (PNG).
    #[arg(long, value_name = "request.png")]
    pub out: PathBuf,
    /// Carry only the registration certificate's 8-byte reference, for holders known to
    /// hold the certificate (a smaller code).
    #[arg(long, conflicts_with = "unsigned")]
    pub certificate_reference: bool,
    /// Do not sign, even with a certificate installed.
    #[arg(long)]
    pub unsigned: bool,
}

/// Which requested claims the holder agrees to send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ConsentChoice {
    /// Only the claims marked required.
    Required,
    /// Every requested claim the credential holds.
    All,
}

/// Options of `laissez wallet respond`.
#[derive(Debug, Args)]
pub struct RespondArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// The verifier's request QR code: a PNG or JPEG image.
    #[arg(long, value_name = "request.png")]
    pub request: PathBuf,
    /// Which claims to send.
    #[arg(long, value_enum, default_value = "required")]
    pub consent: ConsentChoice,
    /// Answer even though the verifier is UNVERIFIED (no registration certificate from a
    /// registrar on the wallet's trust list): its name and purpose are its own, unchecked
    /// words. Without it an unverified request is refused and nothing is sent.
    #[arg(long)]
    pub accept_unverified: bool,
    /// Send this claim even though it is beyond the verified verifier's registered scope;
    /// repeat for several. Without it such a claim is refused and nothing is sent.
    #[arg(long = "allow-beyond-scope", value_name = "CLAIM_PATH")]
    pub allow_beyond_scope: Vec<String>,
    /// Where to write the response QR code (PNG) when it fits one code. Optional with
    /// --frames-dir, where a single code is then written as `frame-01.png`.
    #[arg(
        long,
        value_name = "response.png",
        required_unless_present = "frames_dir"
    )]
    pub out: Option<PathBuf>,
    /// Folder for the frames of an animated response (`frame-01.png`…); without it, frames
    /// are written beside --out as `<name>-01.png`…. Each code is written once: with --out
    /// too, a single code goes to --out and nothing to this folder.
    #[arg(long, value_name = "DIR")]
    pub frames_dir: Option<PathBuf>,
}

/// Options of `laissez verifier verify`.
#[derive(Debug, Args)]
pub struct VerifierVerifyArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// Images of the response or static presentation: one code, or the frames of an
    /// animated one in any order.
    #[arg(value_name = "IMAGE", required = true)]
    pub images: Vec<PathBuf>,
    /// The language for claim labels.
    #[arg(long, value_name = "LANG", default_value = "en")]
    pub lang: String,
    /// Oldest status data to rely on, hours.
    #[arg(long, value_name = "H", default_value_t = 168,
          value_parser = clap::value_parser!(u64).range(1..=87_600))]
    pub max_status_age_hours: u64,
    /// Print one JSON array of verdicts instead of text.
    #[arg(long)]
    pub json: bool,
    /// Where to write the holder's portrait when a valid answer disclosed one
    /// (laissez-portrait-<time>-<n>.jpg; default: the system's temporary folder).
    #[arg(long, value_name = "DIR")]
    pub portrait_dir: Option<PathBuf>,
}

/// Options of `laissez verifier status`.
#[derive(Debug, Args)]
pub struct VerifierStatusArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// Status List Tokens (JWT text or CWT bytes) fetched while online.
    #[arg(value_name = "TOKEN", required = true)]
    pub tokens: Vec<PathBuf>,
}

/// Options of `laissez verifier log`.
#[derive(Debug, Args)]
pub struct VerifierLogArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// Write the log as JSON lines to this file instead of printing a summary.
    #[arg(long, value_name = "FILE")]
    pub export: Option<PathBuf>,
    /// First drop entries beyond these many (oldest first).
    #[arg(long, value_name = "N")]
    pub keep: Option<u64>,
    /// First drop entries older than these many days.
    #[arg(long, value_name = "D")]
    pub max_age_days: Option<u32>,
}

/// Options of `laissez verifier id`.
#[derive(Debug, Args)]
pub struct VerifierIdArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// Also draw the code as a QR image (PNG) to print.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// Options of `laissez wallet present-static`.
#[derive(Debug, Args)]
pub struct PresentStaticArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// The credential's id (as import and list print it).
    #[arg(value_name = "ID")]
    pub id: String,
    /// The claims to disclose, by path as `wallet show` lists them, separated by commas.
    #[arg(long, value_name = "a,b,c", value_delimiter = ',', required = true)]
    pub claims: Vec<String>,
    /// The verifier's identifier: its code as `laissez verifier id` prints it
    /// (XXXX-XXXX-XXXX-XXXX-XXXX), or an image (PNG or JPEG) of its QR code. Only that
    /// verifier accepts the presentation then; without it, any verifier does within the
    /// 2-minute window, and says it is not bound to it.
    #[arg(long, value_name = "CODE_OR_IMAGE")]
    pub verifier_id: Option<String>,
    /// Where to write the presentation QR code (PNG) when it fits one code. Optional with
    /// --frames-dir, where a single code is then written as `frame-01.png`.
    #[arg(
        long,
        value_name = "presentation.png",
        required_unless_present = "frames_dir"
    )]
    pub out: Option<PathBuf>,
    /// Folder for the frames of an animated presentation (`frame-01.png`…); without it,
    /// frames are written beside --out as `<name>-01.png`….
    #[arg(long, value_name = "DIR")]
    pub frames_dir: Option<PathBuf>,
}
