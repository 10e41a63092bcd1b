//! `laissez verify-presentation`: the field verifier's check of one presentation.

use std::path::PathBuf;

use super::SessionArgs;
use clap::Args;

/// Options of `laissez verify-presentation`.
#[derive(Debug, Args)]
pub struct VerifyPresentationArgs {
    /// The presentation: SD-JWT+KB text or an mdoc DeviceResponse (CBOR).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// A trusted issuer: certificate (PEM or DER) or public JWK (P-256, P-384 or Ed25519);
    /// repeat for several.
    #[arg(long = "trust-key", value_name = "KEY_OR_CERT", required = true)]
    pub trust_keys: Vec<PathBuf>,
    #[command(flatten)]
    pub session: SessionArgs,
    /// Check validity at this time (Unix seconds) instead of now.
    #[arg(long, value_name = "UNIX_SECONDS")]
    pub at: Option<i64>,
    /// Language of the issuer's claim labels (falls back to English).
    #[arg(long, value_name = "LANG", default_value = "en")]
    pub lang: String,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}
