//! `laissez claim169 ...` (hidden, for tests and interop runs): make MOSIP Claim 169 test
//! codes with the test encoder, and decode and verify a code's text against a key.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};

/// Claim 169 test tools.
#[derive(Debug, Subcommand)]
pub enum Claim169Command {
    /// Make a signed test code with a fresh key: prints {"qr_text", "public_key_hex", "alg"}.
    Issue(Claim169IssueArgs),
    /// Decode a code's text (a file, `-` for stdin) and verify it with an issuer key.
    #[command(after_help = "\
Exit codes: 0 decoded, signature verified and inside its validity period; 1 decoded but not
verified (unsigned, wrong key, unsupported algorithm, expired, not yet valid); 2 not a
readable Claim 169 code, or bad options.")]
    Verify(Claim169VerifyArgs),
}

/// Signature algorithms of the test encoder.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Claim169Alg {
    /// Ed25519.
    #[value(name = "EdDSA")]
    EdDsa,
    /// ECDSA P-256 with SHA-256.
    #[value(name = "ES256")]
    Es256,
}

/// Options of `laissez claim169 issue`.
#[derive(Debug, Args)]
pub struct Claim169IssueArgs {
    /// The signature algorithm.
    #[arg(long, value_enum, default_value = "EdDSA")]
    pub alg: Claim169Alg,
    /// Claim 169 `id` (1).
    #[arg(long, default_value = "ID-LAISSEZ-001")]
    pub id: String,
    /// Claim 169 full name (4).
    #[arg(long, default_value = "Amina Yusuf Abdi")]
    pub full_name: String,
    /// Claim 169 full name in the secondary language (19) and that language (20).
    #[arg(long, num_args = 2, value_names = ["NAME", "LANG"])]
    pub secondary: Option<Vec<String>>,
    /// CWT issuer (iss).
    #[arg(long, default_value = "https://id.laissez.example")]
    pub iss: String,
    /// CWT issued-at and not-before (Unix seconds).
    #[arg(long, default_value_t = 1_700_000_000)]
    pub iat: i64,
    /// CWT expiry (Unix seconds).
    #[arg(long, default_value_t = 1_800_000_000)]
    pub exp: i64,
    /// Encrypt with this A256GCM key (64 hex digits) in a COSE_Encrypt0.
    #[arg(long, value_name = "HEX")]
    pub encrypt_key_hex: Option<String>,
}

/// Options of `laissez claim169 verify`.
#[derive(Debug, Args)]
pub struct Claim169VerifyArgs {
    /// The file holding the QR text (`-` for stdin).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The issuer's public key: Ed25519 raw (64 hex digits) or P-256 uncompressed (130).
    #[arg(long, value_name = "HEX")]
    pub public_key_hex: String,
    /// The A256GCM key of an encrypted code (64 hex digits).
    #[arg(long, value_name = "HEX")]
    pub decrypt_key_hex: Option<String>,
    /// The time to check validity at (Unix seconds); default now.
    #[arg(long, value_name = "UNIX")]
    pub at: Option<i64>,
    /// Print the decoded fields and the outcome as one JSON object.
    #[arg(long)]
    pub json: bool,
}
