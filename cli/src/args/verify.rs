//! `laissez verify-presentation`: the field verifier's check of one presentation.

use std::path::PathBuf;

use clap::Args;

/// Options of `laissez verify-presentation`.
#[derive(Debug, Args)]
pub struct VerifyPresentationArgs {
    /// The presentation: SD-JWT+KB text or an mdoc DeviceResponse (CBOR).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// A trusted issuer: certificate (PEM or DER) or public P-256 JWK; repeat for several.
    #[arg(long = "trust-key", value_name = "KEY_OR_CERT", required = true)]
    pub trust_keys: Vec<PathBuf>,
    /// The nonce this verifier gave the holder.
    #[arg(
        long,
        value_name = "N",
        required_unless_present = "transcript",
        conflicts_with = "transcript",
        requires = "audience"
    )]
    pub nonce: Option<String>,
    /// This verifier's identifier (SD-JWT `aud`; for mdoc the OpenID4VP client_id and
    /// response_uri).
    #[arg(
        long,
        value_name = "A",
        required_unless_present = "transcript",
        conflicts_with = "transcript",
        requires = "nonce"
    )]
    pub audience: Option<String>,
    /// mdoc only: the exact SessionTranscript CBOR bytes of the session.
    #[arg(long, value_name = "T.cbor")]
    pub transcript: Option<PathBuf>,
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
