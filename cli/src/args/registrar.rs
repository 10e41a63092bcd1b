//! Options of `laissez registrar`: a registrar's key and the registration certificates it
//! gives verifiers (ADR 0020), and the verifier's side (`verifier signing-key`,
//! `verifier install-certificate`).

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::DbArg;

/// Registrar commands.
#[derive(Debug, Subcommand)]
pub enum RegistrarCommand {
    /// Make a registrar: a P-256 key (private JWK, mode 0600), its identifier and name;
    /// prints the public key as a JWK for holders' trust lists.
    New(RegistrarNewArgs),
    /// Certify a verifier's request-signing key (`laissez verifier signing-key` prints it):
    /// its organisation, country, purposes and the claims it may ask for, for a time.
    Certify(RegistrarCertifyArgs),
    /// Check a registration certificate against a registrar's public key and identifier, as a
    /// holder does, and print what it certifies (JSON).
    #[command(after_help = "\
Exit codes: 0 the certificate verifies; 1 it does not (another registrar, a bad signature,
expired, not yet valid); 2 an unreadable file, a malformed or oversized certificate, an
algorithm other than ES256, a key file that is not a public P-256 JWK.")]
    Verify(RegistrarVerifyArgs),
}

/// Options of `laissez registrar verify`.
#[derive(Debug, Args)]
pub struct RegistrarVerifyArgs {
    /// The registrar's public key (a P-256 JWK, as `registrar new` writes it).
    #[arg(long, value_name = "FILE")]
    pub registrar_key: PathBuf,
    /// The registrar's identifier (the certificate's `iss` must be this).
    #[arg(long, value_name = "ID")]
    pub registrar_id: String,
    /// Check at this time (Unix seconds) instead of now.
    #[arg(long, value_name = "UNIX_SECONDS")]
    pub at: Option<i64>,
    /// The registration certificate.
    #[arg(value_name = "CERTIFICATE")]
    pub certificate: PathBuf,
}

/// Options of `laissez registrar new`.
#[derive(Debug, Args)]
pub struct RegistrarNewArgs {
    /// The folder to write the registrar into (created if needed; an existing key is never
    /// overwritten).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// The registrar's identifier (the certificates' `iss`), e.g. a URL.
    #[arg(long, value_name = "ID")]
    pub id: String,
    /// Its display name (default: the identifier).
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
}

/// Options of `laissez registrar certify`.
#[derive(Debug, Args)]
pub struct RegistrarCertifyArgs {
    /// The registrar's folder (from `laissez registrar new`).
    #[arg(long, value_name = "DIR")]
    pub registrar: PathBuf,
    /// The verifier's request-signing public key (a P-256 JWK).
    #[arg(long, value_name = "FILE")]
    pub verifier_key: PathBuf,
    /// The verifier's identifier (the certificate's `sub`; default: the organisation).
    #[arg(long, value_name = "ID")]
    pub verifier_id: Option<String>,
    /// The organisation's name, as holders will see it.
    #[arg(long, value_name = "NAME")]
    pub organisation: String,
    /// Its country, ISO 3166-1 alpha-2 (two capital letters).
    #[arg(long, value_name = "CC")]
    pub country: String,
    /// A registered purpose; repeat for several (at most 4).
    #[arg(long = "purpose", value_name = "TEXT", required = true)]
    pub purposes: Vec<String>,
    /// A credential type and the claims it may ask for: `TYPE=path,path`; repeat per type.
    #[arg(long = "claims", value_name = "TYPE=path,path", required = true)]
    pub claims: Vec<String>,
    /// How long the certificate is valid, days.
    #[arg(long, value_name = "N", default_value_t = 365,
          value_parser = clap::value_parser!(u32).range(1..=3650))]
    pub valid_days: u32,
    /// Where to write the certificate (CBOR: a CWT in a COSE_Sign1).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

/// Options of `laissez verifier signing-key`.
#[derive(Debug, Args)]
pub struct VerifierSigningKeyArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// Also write the public JWK to this file (for the registrar).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// Options of `laissez verifier install-certificate`.
#[derive(Debug, Args)]
pub struct VerifierInstallCertificateArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// The registration certificate (from `laissez registrar certify`).
    #[arg(value_name = "CERTIFICATE")]
    pub certificate: PathBuf,
}
