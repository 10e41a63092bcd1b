//! Options of the OpenID4VCI commands: `issuer serve`, `issuer offer-online`,
//! `wallet fetch-credential`.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Args;

use super::DbArg;

/// What `issuer serve` and `issuer offer-online` share: the issuer, its URL, what it offers,
/// its store.
#[derive(Debug, Args)]
pub struct OnlineIssuerArgs {
    /// The issuer folder made by `laissez issuer new`.
    #[arg(long, value_name = "DIR")]
    pub issuer: PathBuf,
    /// The issuer's own encrypted store of pending offers (created on first use). Its
    /// passphrase comes from LAISSEZ_ISSUER_PASSPHRASE or --passphrase-file.
    #[arg(long, value_name = "FILE")]
    pub store: PathBuf,
    /// A file whose first line is the store's passphrase.
    #[arg(long, value_name = "FILE")]
    pub passphrase_file: Option<PathBuf>,
    /// The credential issuer identifier (its base URL, as wallets reach it). Default:
    /// http://<listen address>.
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Credential configurations served: a JSON object {id: {format, credential_type,
    /// display, claim_labels, valid_days}}. Default: Laissez's registration credential in
    /// both formats (registration_sd_jwt, registration_mdoc).
    #[arg(long, value_name = "FILE")]
    pub configurations: Option<PathBuf>,
    /// Use deliberately weak Argon2id parameters for the store (tests only).
    #[arg(long, hide = true)]
    pub insecure_fast_kdf: bool,
}

/// Options of `laissez issuer serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub issuer: OnlineIssuerArgs,
    /// The address to listen on (port 0: any free port, printed at start).
    #[arg(long, value_name = "ADDR:PORT")]
    pub listen: SocketAddr,
    /// The most copies one credential request may ask for.
    #[arg(long, value_name = "N", default_value_t = 10,
          value_parser = clap::value_parser!(u32).range(2..=20))]
    pub batch_size: u32,
    /// Stop after this many seconds (tests and load runs); default: until Ctrl-C.
    #[arg(long, value_name = "SECS")]
    pub stop_after: Option<u64>,
}

/// Options of `laissez issuer offer-online`.
#[derive(Debug, Args)]
pub struct OfferOnlineArgs {
    #[command(flatten)]
    pub issuer: OnlineIssuerArgs,
    /// The claims to issue: a JSON object.
    #[arg(long, value_name = "CLAIMS.json")]
    pub claims: PathBuf,
    /// A configuration to offer (repeat for several). Default: every configuration served.
    #[arg(long = "configuration", value_name = "ID")]
    pub configurations_offered: Vec<String>,
    /// Minutes the pre-authorized code stays valid.
    #[arg(long, value_name = "MIN", default_value_t = 30,
          value_parser = clap::value_parser!(u32).range(1..=43_200))]
    pub valid_minutes: u32,
    /// Offer without a transaction code (anyone holding the link can take the credential).
    #[arg(long)]
    pub no_tx_code: bool,
    /// Write the offer link as a QR code (PNG) here.
    #[arg(long, value_name = "FILE.png")]
    pub qr: Option<PathBuf>,
    /// Put the offer in the link by reference (a short QR code) rather than by value.
    #[arg(long)]
    pub by_reference: bool,
    /// Print one JSON object {link, tx_code} instead of text ({offers: [...]} with --count).
    #[arg(long)]
    pub json: bool,
    /// Make this many offers of the same claims at once (load tests).
    #[arg(long, value_name = "N", default_value_t = 1,
          value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub count: u32,
}

/// Options of `laissez wallet fetch-credential`.
#[derive(Debug, Args)]
pub struct FetchCredentialArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// The offer link (`openid-credential-offer://…`), as scanned or pasted.
    #[arg(long, value_name = "LINK")]
    pub offer: String,
    /// The transaction code the issuer gave (when the offer asks for one).
    #[arg(long, value_name = "CODE")]
    pub tx_code: Option<String>,
    /// Copies to ask for (one new holder key each; presented once each).
    #[arg(long, value_name = "N", default_value_t = 5,
          value_parser = clap::value_parser!(u32).range(1..=20))]
    pub batch: u32,
    /// Accept an issuer on plain http:// (a desk on a local network, tests).
    #[arg(long)]
    pub allow_http: bool,
    /// An issuer key (public JWK) or certificate (PEM or DER) to check the copies' signatures
    /// with, for issuers whose credentials carry no certificate; repeat for several.
    #[arg(long = "issuer-key", value_name = "KEY_OR_CERT")]
    pub issuer_keys: Vec<std::path::PathBuf>,
    /// Seconds allowed per HTTP exchange.
    #[arg(long, value_name = "SECS", default_value_t = 30)]
    pub timeout: u64,
    /// Print the received credentials' summaries as JSON.
    #[arg(long)]
    pub json: bool,
}
