//! `laissez issuer ...`: a test or field issuer's key and certificate, and issuance.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};
use wallet_core::credential::CredentialFormat;
use wallet_core::crypto::issuer_key::SignatureAlgorithm;

/// Issuer commands: make an issuer, issue credentials with it.
#[derive(Debug, Subcommand)]
pub enum IssuerCommand {
    /// Create an issuer: an issuing authority (root, IACA) and a document signer under it
    /// (ES256, ES384 or EdDSA; --alg), or a new signer under an existing authority.
    New(IssuerNewArgs),
    /// Issue an SD-JWT VC or an mdoc to a holder's public key, or a batch of one-time copies
    /// to several (--holder-keys).
    Issue(IssueArgs),
    /// Publish a Token Status List signed by the issuer (JWT, or CWT with --cwt): which
    /// of its credentials are revoked or suspended. Verifiers cache it for offline checks.
    StatusList(StatusListArgs),
    /// Offline issuance: show a signed offer code for the phone in front of the desk.
    Offer(super::IssuerOfferArgs),
    /// Offline issuance: check the holder's proof code and write the batch of one-time
    /// copies, encrypted to the holder, as animated QR frames.
    Deliver(super::IssuerDeliverArgs),
    /// Serve OpenID4VCI 1.0 (pre-authorized code flow) over HTTP: issuer metadata, token,
    /// nonce and credential endpoints, batches of copies in both formats.
    Serve(super::ServeArgs),
    /// Make a pre-authorized OpenID4VCI offer for `issuer serve`: prints the
    /// openid-credential-offer:// link and the transaction code, writes the QR code.
    OfferOnline(super::OfferOnlineArgs),
}

/// Options of `laissez issuer status-list`.
#[derive(Debug, Args)]
pub struct StatusListArgs {
    /// The issuer folder made by `laissez issuer new`.
    #[arg(long, value_name = "DIR")]
    pub issuer: PathBuf,
    /// The list's URI, as credentials name it (--status-uri of `issuer issue`).
    #[arg(long, value_name = "URI")]
    pub uri: String,
    /// Entries in the list.
    #[arg(long, value_name = "N", default_value_t = 1_024,
          value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    pub size: u64,
    /// Indices of revoked credentials, comma-separated.
    #[arg(long, value_name = "I,...", value_delimiter = ',')]
    pub revoke: Vec<u64>,
    /// Indices of suspended credentials, comma-separated.
    #[arg(long, value_name = "I,...", value_delimiter = ',')]
    pub suspend: Vec<u64>,
    /// Ids of revoked credentials (as `issuer issue` printed them), comma-separated: every
    /// index of every copy, from the issuer folder's status-allocations.json.
    #[arg(long, value_name = "ID,...", value_delimiter = ',')]
    pub revoke_credential: Vec<String>,
    /// Ids of suspended credentials, comma-separated: every index of every copy.
    #[arg(long, value_name = "ID,...", value_delimiter = ',')]
    pub suspend_credential: Vec<String>,
    /// Hours verifiers may rely on it (its `exp`; `ttl` is a quarter of it).
    #[arg(long, value_name = "H", default_value_t = 168,
          value_parser = clap::value_parser!(u64).range(1..=87_600))]
    pub valid_hours: u64,
    /// Write the CWT form (CBOR) instead of the JWT.
    #[arg(long)]
    pub cwt: bool,
    /// Where to write the token.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

/// Options of `laissez issuer new`.
#[derive(Debug, Args)]
#[command(after_help = "\
Without --authority, a new issuing authority (the root, IACA) is made in OUT/authority:
iaca.key.json (its secret key: move it offline, it is needed only to certify another signer)
and iaca.cert.pem (the certificate verifiers trust). The signer in OUT (issuer.key.json,
issuer.cert.pem) signs credentials and status lists; credentials carry its certificate,
never the root's. Certificates follow ISO/IEC 18013-5 Annex B.")]
pub struct IssuerNewArgs {
    /// The folder to create (issuer.key.json, issuer.pub.json, issuer.cert.pem, iaca.cert.pem;
    /// an existing issuer there is never overwritten).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// The issuer's name, as the signer certificate's common name (the authority's is
    /// "NAME IACA").
    #[arg(long, value_name = "NAME", default_value = "Laissez test issuer")]
    pub name: String,
    /// An existing authority folder (iaca.key.json, iaca.cert.pem) to certify the new signer
    /// with, instead of making a new authority.
    #[arg(long, value_name = "DIR")]
    pub authority: Option<PathBuf>,
    /// Days a new authority's certificate is valid from now.
    #[arg(long, value_name = "N", default_value_t = 3650,
          value_parser = clap::value_parser!(u32).range(1..=36_500))]
    pub valid_days: u32,
    /// Days the signer's certificate is valid from now (Annex B: at most 457 recommended);
    /// credentials verify only while it is valid.
    #[arg(long, value_name = "N", default_value_t = 457,
          value_parser = clap::value_parser!(u32).range(1..=36_500))]
    pub signer_valid_days: u32,
    /// The issuing country (ISO 3166-1 alpha-2) of a new authority; mdoc verifiers match it
    /// against the document's issuing country. "XX" means unspecified.
    #[arg(long, value_name = "CC", default_value = "XX")]
    pub country: String,
    /// How to reach a new authority (an https: URL or mailto: address), written as the
    /// certificates' issuer alternative name.
    #[arg(long, value_name = "URI", default_value = wallet_core::issuer::authority::DEFAULT_CONTACT)]
    pub contact: String,
    /// The issuer identifier its SD-JWT VCs carry as `iss`, written as the signer
    /// certificate's subject alternative name (default: urn:laissez:issuer:<key fingerprint>).
    #[arg(long, value_name = "URI")]
    pub identifier: Option<String>,
    /// The signature algorithm of the signer's key (and of a new authority's), certificates,
    /// credentials and status lists.
    #[arg(long, value_name = "ALG", default_value = "ES256")]
    pub alg: AlgorithmArg,
}

/// An issuer signature algorithm on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AlgorithmArg {
    /// ECDSA P-256 with SHA-256.
    #[value(name = "ES256")]
    Es256,
    /// ECDSA P-384 with SHA-384.
    #[value(name = "ES384")]
    Es384,
    /// Ed25519.
    #[value(name = "EdDSA")]
    EdDsa,
}

impl From<AlgorithmArg> for SignatureAlgorithm {
    fn from(alg: AlgorithmArg) -> Self {
        match alg {
            AlgorithmArg::Es256 => SignatureAlgorithm::Es256,
            AlgorithmArg::Es384 => SignatureAlgorithm::Es384,
            AlgorithmArg::EdDsa => SignatureAlgorithm::EdDsa,
        }
    }
}

/// A credential format on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// ISO/IEC 18013-5 mdoc (IssuerSigned CBOR).
    Mdoc,
    /// IETF SD-JWT VC (compact text).
    #[value(name = "sd-jwt")]
    SdJwt,
}

impl From<FormatArg> for CredentialFormat {
    fn from(format: FormatArg) -> Self {
        match format {
            FormatArg::Mdoc => CredentialFormat::Mdoc,
            FormatArg::SdJwt => CredentialFormat::SdJwt,
        }
    }
}

/// Options of `laissez issuer issue`.
#[derive(Debug, Args)]
pub struct IssueArgs {
    /// The issuer folder made by `laissez issuer new`.
    #[arg(long, value_name = "DIR")]
    pub issuer: PathBuf,
    /// The credential format.
    #[arg(long, value_name = "FORMAT")]
    pub format: FormatArg,
    /// The docType (mdoc) or vct (SD-JWT VC), e.g. org.iom.registration.1.
    #[arg(long = "type", value_name = "DOCTYPE_OR_VCT")]
    pub credential_type: String,
    /// A JSON object of claims. For mdoc, flat elements go in the docType's namespace, or
    /// give {"namespace": {"element": value}} objects.
    #[arg(long, value_name = "CLAIMS.json")]
    pub claims: PathBuf,
    /// The holder's public key as a P-256 JWK (`laissez wallet holder-key` writes one).
    #[arg(long, value_name = "KEY.json", required_unless_present = "holder_keys")]
    pub holder_key: Option<PathBuf>,
    /// A JSON array of the holder's public keys (`laissez wallet holder-key --batch N`):
    /// issue one copy per key, each with its own salts, signature and status index.
    #[arg(long, value_name = "KEYS.json", conflicts_with = "holder_key")]
    pub holder_keys: Option<PathBuf>,
    /// How many copies to issue (with --holder-keys: its first N keys; all by default).
    #[arg(long, value_name = "N", requires = "holder_keys",
          value_parser = clap::value_parser!(u32).range(1..=64))]
    pub batch: Option<u32>,
    /// The credential's id in the issuer's status allocations (default: a random one,
    /// printed); `issuer status-list --revoke-credential ID` revokes every copy.
    #[arg(long, value_name = "ID", requires = "status_uri")]
    pub credential_id: Option<String>,
    /// Entries of the status list when its first index is drawn (--status-uri without
    /// --status-index); `issuer status-list --size` must match.
    #[arg(long, value_name = "N", default_value_t = 1_024,
          value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub status_size: u32,
    /// Days the credential is valid from now.
    #[arg(long, value_name = "N", default_value_t = 365,
          value_parser = clap::value_parser!(u32).range(1..=36_500))]
    pub valid_days: u32,
    /// The credential's index in a Token Status List (with --status-uri): the SD-JWT VC
    /// `status` claim or the mdoc MSO `status` entry. Without it, --status-uri draws a random
    /// free index per copy and records it in the issuer folder's status-allocations.json.
    #[arg(
        long,
        value_name = "I",
        requires = "status_uri",
        conflicts_with = "holder_keys"
    )]
    pub status_index: Option<u64>,
    /// The URI of that Status List Token.
    #[arg(long, value_name = "URI")]
    pub status_uri: Option<String>,
    /// Where to write the credential (SD-JWT as text, mdoc as raw CBOR bytes); with
    /// --holder-keys, a folder to write the copies into (copy-01.sd-jwt, copy-02.sd-jwt, ...
    /// or .mdoc).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// The holder's photo (JPEG or PNG): cropped around its centre, scaled to
    /// --portrait-size, encoded as JPEG and signed in as the mdoc element `portrait` or the
    /// SD-JWT VC claim `picture` (a data URL), selectively disclosable.
    #[arg(long, value_name = "PHOTO")]
    pub portrait: Option<PathBuf>,
    /// The portrait's size in pixels, WIDTHxHEIGHT (docs/BENCHMARKS.md, "Portrait").
    #[arg(long, value_name = "WxH", default_value = "80x100", requires = "portrait",
          value_parser = parse_size)]
    pub portrait_size: (u16, u16),
    /// The portrait's JPEG quality, 1 to 100.
    #[arg(long, value_name = "Q", default_value_t = 30, requires = "portrait",
          value_parser = clap::value_parser!(u8).range(1..=100))]
    pub portrait_quality: u8,
    /// Encode the portrait in colour (the default is greyscale: about a fifth smaller, so an
    /// answer with 3 claims and the portrait stays one QR code).
    #[arg(long, requires = "portrait")]
    pub portrait_colour: bool,
}

/// `96x120` → (96, 120).
fn parse_size(text: &str) -> Result<(u16, u16), String> {
    let (w, h) = text
        .split_once(['x', 'X', '×'])
        .ok_or_else(|| "expected WIDTHxHEIGHT, e.g. 96x120".to_owned())?;
    let number = |s: &str| {
        s.trim()
            .parse::<u16>()
            .map_err(|_| format!("'{s}' is not a number of pixels"))
    };
    Ok((number(w)?, number(h)?))
}
