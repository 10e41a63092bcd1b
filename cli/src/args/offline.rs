//! Options of offline issuance over QR codes: the desk's offer and delivery, the holder's
//! acceptance and receipt (ADR 0016).

use std::path::PathBuf;

use clap::Args;

use super::DbArg;
use super::issuer::FormatArg;

/// Where a command writes its QR codes: PNG images and/or a text file (one code a line).
#[derive(Debug, Args)]
pub struct CodesOut {
    /// Where to write the code as a PNG when it fits one code; the frames of an animated
    /// sequence go beside it as `<name>-01.png`… (or into --frames-dir).
    #[arg(long, value_name = "FILE.png")]
    pub out_png: Option<PathBuf>,
    /// Folder for the frames of an animated sequence (`frame-01.png`…).
    #[arg(long, value_name = "DIR")]
    pub frames_dir: Option<PathBuf>,
    /// Where to write the QR text, one code a line (what a scanner reads).
    #[arg(long, value_name = "FILE.txt")]
    pub text: Option<PathBuf>,
}

/// Options of `laissez issuer offer`.
#[derive(Debug, Args)]
#[command(after_help = "\
The offer is signed by the issuer's document signer and carries its certificate; the desk
keeps the offer's nonce, expiry and hash (no personal data) in DIR/offers.json until a proof
answers it (`laissez issuer deliver`).")]
pub struct IssuerOfferArgs {
    /// The issuer folder made by `laissez issuer new`.
    #[arg(long, value_name = "DIR")]
    pub issuer: PathBuf,
    /// The credential format.
    #[arg(long, value_name = "FORMAT")]
    pub format: FormatArg,
    /// The docType (mdoc) or vct (SD-JWT VC).
    #[arg(long = "type", value_name = "DOCTYPE_OR_VCT")]
    pub credential_type: String,
    /// One-time copies to issue (one holder key each).
    #[arg(long, value_name = "N", default_value_t = 5,
          value_parser = clap::value_parser!(u32).range(1..=16))]
    pub count: u32,
    /// Minutes the offer can be answered.
    #[arg(long, value_name = "MIN", default_value_t = 15,
          value_parser = clap::value_parser!(u32).range(1..=1_440))]
    pub valid_minutes: u32,
    #[command(flatten)]
    pub codes: CodesOut,
}

/// Options of `laissez issuer deliver`.
#[derive(Debug, Args)]
pub struct IssuerDeliverArgs {
    /// The issuer folder that made the offer.
    #[arg(long, value_name = "DIR")]
    pub issuer: PathBuf,
    /// The holder's proof code: PNG/JPEG image(s) or a text file.
    #[arg(long, value_name = "FILE", required = true, num_args = 1..)]
    pub proof: Vec<PathBuf>,
    /// A JSON object of the person's claims (as for `laissez issuer issue`).
    #[arg(long, value_name = "CLAIMS.json")]
    pub claims: PathBuf,
    /// Days each copy is valid from now.
    #[arg(long, value_name = "N", default_value_t = 365,
          value_parser = clap::value_parser!(u32).range(1..=36_500))]
    pub valid_days: u32,
    /// A Token Status List URI: each copy gets a random free index of it, recorded in the
    /// issuer folder's status-allocations.json (as `issuer issue --status-uri`).
    #[arg(long, value_name = "URI")]
    pub status_uri: Option<String>,
    /// Entries of the status list when its first index is drawn.
    #[arg(long, value_name = "N", default_value_t = 1_024,
          value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub status_size: u32,
    /// The credential's id in the status allocations (default: a random one, printed);
    /// `issuer status-list --revoke-credential ID` revokes every copy.
    #[arg(long, value_name = "ID", requires = "status_uri")]
    pub credential_id: Option<String>,
    /// The person's photo (JPEG or PNG), signed into every copy as a small greyscale JPEG
    /// (80x100, quality 30: `issuer issue --portrait` has the size options).
    #[arg(long, value_name = "PHOTO")]
    pub portrait: Option<PathBuf>,
    #[command(flatten)]
    pub codes: CodesOut,
}

/// Options of `laissez wallet accept-offer`.
#[derive(Debug, Args)]
pub struct AcceptOfferArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// The desk's offer code: a PNG/JPEG image or a text file.
    #[arg(long, value_name = "FILE")]
    pub offer: PathBuf,
    /// A signed trust list (`laissez trust sign`) naming the issuers to trust, with
    /// --trust-signer.
    #[arg(long, value_name = "FILE", requires = "trust_signer")]
    pub trust_list: Option<PathBuf>,
    /// The trust list signer's public P-256 JWK.
    #[arg(long, value_name = "KEY.json", requires = "trust_list")]
    pub trust_signer: Option<PathBuf>,
    /// A trusted issuer: its authority's (IACA) or its own certificate, or its public JWK.
    /// Repeat for several.
    #[arg(long, value_name = "FILE")]
    pub trust_anchor: Vec<PathBuf>,
    /// Consent without asking (scripts).
    #[arg(long)]
    pub yes: bool,
    /// Also accept an offer from an issuer that is not trusted (shown as UNKNOWN).
    #[arg(long)]
    pub accept_unknown_issuer: bool,
    #[command(flatten)]
    pub codes: CodesOut,
}

/// Options of `laissez wallet receive`.
#[derive(Debug, Args)]
pub struct ReceiveArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// The desk's batch: its frame images in any order, or text files of its codes.
    #[arg(value_name = "FILE", required = true)]
    pub codes: Vec<PathBuf>,
}
