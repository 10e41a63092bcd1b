//! `laissez trust ...`: a signed list of trusted issuers, from the signer's desk to the
//! field verifier's store.

use std::path::PathBuf;

use clap::{Args, Subcommand};

/// Trust-list commands.
#[derive(Debug, Subcommand)]
pub enum TrustCommand {
    /// Create a trust-list signer: signer.key.json (private JWK, mode 0600) and
    /// signer.pub.json (the key verifiers pin) in a folder; never overwrites.
    NewSigner(TrustNewSignerArgs),
    /// Describe a list (unsigned JSON: sequence, validity, issuers); `trust sign` signs it.
    Build(TrustBuildArgs),
    /// Sign a list description with the signer's key: a compact JWS (ES256) to distribute.
    Sign(TrustSignArgs),
    /// Verify a signed list with the pinned signer key (pinned by the first import) and store
    /// it in the verifier's store in place of the stored one; a list with a lower sequence
    /// than the stored one is refused (the same sequence is taken as a re-import).
    #[command(after_help = "\
Exit codes: 0 stored; 1 refused: a signature that does not verify with the pinned key, an
expired list, a rollback (sequence below the stored one), wrong PIN; 2 a file that is
not a trust list or a key, a store that cannot be opened.")]
    Import(TrustImportArgs),
    /// Show the stored list: sequence, validity and issuers.
    Show(TrustShowArgs),
}

/// Options of `laissez trust new-signer`.
#[derive(Debug, Args)]
pub struct TrustNewSignerArgs {
    /// The folder to write signer.key.json and signer.pub.json into (created if needed).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

/// Options of `laissez trust build`.
#[derive(Debug, Args)]
pub struct TrustBuildArgs {
    /// The list's sequence number: each new list must have a higher one.
    #[arg(long, value_name = "N")]
    pub sequence: u64,
    /// Days the list is valid from the moment it is signed.
    #[arg(long, value_name = "D", default_value_t = 30,
          value_parser = clap::value_parser!(u32).range(1..=3650))]
    pub valid_days: u32,
    /// A trusted issuer: its name and its certificate (PEM or DER) or public JWK file;
    /// repeat for several.
    #[arg(long = "issuer", value_name = "NAME=CERT_OR_JWK_FILE", required = true,
          value_parser = parse_issuer)]
    pub issuers: Vec<(String, PathBuf)>,
    /// An SD-JWT VC Type Metadata document (or Laissez's mdoc form keyed by docType) whose
    /// labels the verifier shows for that type; its exact bytes are kept, since a
    /// credential's `vct#integrity` covers them. Repeat for several (at most 64, 64 KiB each).
    #[arg(long = "type-metadata", value_name = "FILE")]
    pub type_metadata: Vec<PathBuf>,
    /// Where to write the unsigned description (JSON).
    #[arg(long, value_name = "LIST.json")]
    pub out: PathBuf,
}

/// Options of `laissez trust sign`.
#[derive(Debug, Args)]
pub struct TrustSignArgs {
    /// The signer folder made by `laissez trust new-signer`.
    #[arg(long, value_name = "DIR")]
    pub signer: PathBuf,
    /// The description written by `laissez trust build`.
    #[arg(long = "in", value_name = "LIST.json")]
    pub input: PathBuf,
    /// Where to write the signed list.
    #[arg(long, value_name = "TRUSTLIST.jwt")]
    pub out: PathBuf,
    /// Also write the signed list as QR codes (PNG frames of an animated sequence, or one
    /// code) in this folder, for verifiers to scan.
    #[arg(long, value_name = "DIR")]
    pub qr_dir: Option<PathBuf>,
}

/// Options of `laissez trust import`.
#[derive(Debug, Args)]
pub struct TrustImportArgs {
    /// The verifier's store (`laissez verifier init`); PIN from LAISSEZ_PIN.
    #[arg(long, value_name = "PATH")]
    pub db: PathBuf,
    /// The signer public key to pin (signer.pub.json): needed for the first list; later
    /// lists must be signed by the pinned key (giving another key is refused).
    #[arg(long, value_name = "signer.pub.json")]
    pub signer_key: Option<PathBuf>,
    /// The signed list: the file `trust sign` wrote, or images (PNG or JPEG) of its QR
    /// codes, frames in any order.
    #[arg(value_name = "TRUSTLIST.jwt|IMAGE", required = true)]
    pub list: Vec<PathBuf>,
}

/// Options of `laissez trust show`.
#[derive(Debug, Args)]
pub struct TrustShowArgs {
    /// The verifier's store; PIN from LAISSEZ_PIN.
    #[arg(long, value_name = "PATH")]
    pub db: PathBuf,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Parses `NAME=FILE` (a non-empty name; the file is everything after the first `=`).
fn parse_issuer(text: &str) -> Result<(String, PathBuf), String> {
    match text.split_once('=') {
        Some((name, file)) if !name.is_empty() && !file.is_empty() => {
            Ok((name.to_owned(), PathBuf::from(file)))
        }
        _ => Err("expected NAME=CERT_OR_JWK_FILE".into()),
    }
}
