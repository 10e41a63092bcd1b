//! The holder's credential commands under `laissez wallet`: holder key, import, list, show,
//! delete, history, present. Each unlocks the wallet with the PIN.

use std::path::PathBuf;

use super::SessionArgs;
use clap::Args;

use super::DbArg;

/// Options of `laissez wallet holder-key`.
#[derive(Debug, Args)]
pub struct HolderKeyArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// Where to write the public JWK (with --batch, a JSON array of them).
    #[arg(long, value_name = "KEY.json")]
    pub out: PathBuf,
    /// Make N new holder keys, one per copy of a batch of one-time copies, and write them
    /// as a JSON array (for `laissez issuer issue --holder-keys`).
    #[arg(long, value_name = "N",
          value_parser = clap::value_parser!(u32).range(1..=64))]
    pub batch: Option<u32>,
}

/// Options of `laissez wallet import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// The credential as issued: SD-JWT VC text or mdoc IssuerSigned CBOR. Several files are
    /// the copies of ONE credential (a batch of one-time copies): all are imported or none.
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
    /// An issuer key (public JWK) or certificate (PEM or DER) to check the signature with,
    /// besides the certificate the credential carries; repeat for several.
    #[arg(long = "issuer-key", value_name = "KEY_OR_CERT")]
    pub issuer_keys: Vec<PathBuf>,
    /// The SD-JWT VC Type Metadata document of the credential's type (its exact bytes), kept
    /// with the credential for its labels; must match the credential's `vct#integrity` when
    /// it has one. Without it, built-in metadata applies (EU PID, age attestation, Laissez's
    /// own types).
    #[arg(long = "type-metadata", value_name = "FILE")]
    pub type_metadata: Option<PathBuf>,
    /// Print the imported credential's summary as one JSON object.
    #[arg(long)]
    pub json: bool,
}

/// Options of `laissez wallet list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// Print one JSON object (`credentials`: the summaries, oldest first).
    #[arg(long)]
    pub json: bool,
}

/// Options of `laissez wallet show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// The credential's id (as import and list print it).
    #[arg(value_name = "ID")]
    pub id: String,
    /// Language of the issuer's labels (BCP 47: en, fr, ar, ...; falls back to English).
    #[arg(long, value_name = "LANG", default_value = "en")]
    pub lang: String,
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
}

/// Options of `laissez wallet delete`.
#[derive(Debug, Args)]
pub struct DeleteArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// The credential's id.
    #[arg(value_name = "ID")]
    pub id: String,
}

/// Options of `laissez wallet history`.
#[derive(Debug, Args)]
pub struct HistoryArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// Print one JSON object (`disclosures`, oldest first).
    #[arg(long)]
    pub json: bool,
}

/// Options of `laissez wallet present`.
#[derive(Debug, Args)]
pub struct PresentArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// The credential's id.
    #[arg(value_name = "ID")]
    pub id: String,
    /// The claims to disclose, by path as `wallet show` lists them, separated by commas
    /// (given_name,address.locality; for mdoc namespace/element or a bare element).
    #[arg(long, value_name = "a,b,c", value_delimiter = ',', required = true)]
    pub claims: Vec<String>,
    #[command(flatten)]
    pub session: SessionArgs,
    /// mdoc only: also write the SessionTranscript bytes the presentation is bound to.
    #[arg(long, value_name = "T.cbor")]
    pub transcript_out: Option<PathBuf>,
    /// Where to write the presentation (SD-JWT+KB text, or DeviceResponse CBOR).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

/// Options of `laissez wallet settings`.
#[derive(Debug, Args)]
pub struct SettingsArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// When every copy of a batch has been presented, present the copy presented last again
    /// (on), or refuse until the issuer gives new copies (off, the default). Presentations
    /// of one copy can be linked by verifiers who compare notes.
    #[arg(long, value_name = "on|off", value_parser = ["on", "off"])]
    pub reuse_copies: Option<String>,
    /// Print the settings as one JSON object.
    #[arg(long)]
    pub json: bool,
}
