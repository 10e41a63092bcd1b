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
    /// Describe a list (unsigned JSON: sequence, validity, issuers with the credential types
    /// and countries they may vouch for, registrars of verifiers), from --issuer files,
    /// --anchors files of `trust import-vical`/`import-lote` and --registrar-* options;
    /// `trust sign` signs it.
    Build(TrustBuildArgs),
    /// Sign a list description with the signer's key: a compact JWS (ES256) to distribute.
    Sign(TrustSignArgs),
    /// Verify a signed list with the pinned signer key (pinned by the first import) and store
    /// it in the verifier's store (or a holder's wallet) in place of the stored one; a list with a lower sequence
    /// than the stored one is refused (the same sequence is taken as a re-import).
    #[command(after_help = "\
Exit codes: 0 stored; 1 refused: a signature that does not verify with the pinned key, an
expired list, a rollback (sequence below the stored one), wrong PIN; 2 a file that is
not a trust list or a key, a store that cannot be opened.")]
    Import(TrustImportArgs),
    /// Show the stored list: sequence, validity, issuers and registrars.
    Show(TrustShowArgs),
    /// Import the IACA certificates of an ISO/IEC 18013-5 VICAL as trust anchors: verify its
    /// signature and its provider certificate under the provider root you give, check it is
    /// current, keep the entries for the doctypes and countries asked, and write an anchors
    /// file for `trust build --anchors`.
    #[command(after_help = "\
Entries whose certificate Laissez cannot use (P-521, brainpool or RSA keys, non-DER
extensions, expired at the time) are listed as skipped, with the reason, and left out.
Exit codes: 0 written; 1 refused: a signature that does not verify, a provider not under
the given root, a stale (nextUpdate passed) or future list, no entry left; 2 a file that is
not a VICAL or a certificate, an unsupported algorithm.")]
    ImportVical(TrustImportVicalArgs),
    /// Import the service certificates of an ETSI TS 119 602 List of Trusted Entities as
    /// trust anchors: verify its signature with the signer certificate you pin, check the
    /// payload against ETSI's JSON schema and that it is current, and write an anchors file
    /// for `trust build --anchors`.
    #[command(after_help = "\
Signed forms: compact JAdES (RS256/384/512, PS256/384/512, ES256, ES384), and the WE BUILD
'signature' member form (the signature covers the document as Python's json.dumps writes it
with sorted keys and ASCII escapes; a document with a non-integer number is refused).
Certificates whose key Laissez does not verify with (P-256, P-384, Ed25519) are skipped.
Exit codes: 0 written; 1 refused: a signature that does not verify, another signer than the
pinned one, a stale (NextUpdate passed) or future list, no usable certificate; 2 a file that
is not a signed LoTE, a payload failing the schema, an unsupported algorithm or form.")]
    ImportLote(TrustImportLoteArgs),
}

/// Options of `laissez trust import-vical`.
#[derive(Debug, Args)]
pub struct TrustImportVicalArgs {
    /// The signed VICAL (COSE_Sign1 CBOR, as published).
    #[arg(value_name = "VICAL.cbor")]
    pub vical: PathBuf,
    /// The VICAL provider's root certificate (PEM or DER), obtained from the provider out of
    /// band: the VICAL's signer certificate must chain to it.
    #[arg(long, value_name = "ROOT.pem")]
    pub provider_root: PathBuf,
    /// Keep only IACAs listing this docType (e.g. org.iso.18013.5.1.mDL); repeat for
    /// several; none = every docType. The anchors are limited to the docTypes kept.
    #[arg(long = "doctype", value_name = "DOCTYPE")]
    pub doc_types: Vec<String>,
    /// Keep only IACAs of this issuing country (ISO 3166-1 alpha-2, e.g. US); repeat for
    /// several; none = every country.
    #[arg(long = "country", value_name = "CC")]
    pub countries: Vec<String>,
    /// Check the list at this time (Unix seconds) instead of now: for an archived list
    /// whose nextUpdate has passed. The anchors' certificates must be valid then too.
    #[arg(long, value_name = "UNIX_TIME")]
    pub at: Option<i64>,
    /// Where to write the anchors (JSON).
    #[arg(long, value_name = "ANCHORS.json")]
    pub out: PathBuf,
}

/// Options of `laissez trust import-lote`.
#[derive(Debug, Args)]
pub struct TrustImportLoteArgs {
    /// The signed list, as published: a compact JAdES JWS, or a JSON document with a WE
    /// BUILD `signature` member.
    #[arg(value_name = "LOTE_FILE")]
    pub lote: PathBuf,
    /// The list signer's certificate (PEM or DER), pinned: obtained from the scheme operator
    /// out of band; the list must be signed with its key (and name it in x5c, if any). RSA,
    /// P-256 or P-384.
    #[arg(long, value_name = "SIGNER.pem")]
    pub signer: PathBuf,
    /// The credential types (SD-JWT vct or mdoc docType) the anchors may vouch for; repeat
    /// for several; none = any.
    #[arg(long = "credential-type", value_name = "TYPE")]
    pub credential_types: Vec<String>,
    /// Check the list at this time (Unix seconds) instead of now.
    #[arg(long, value_name = "UNIX_TIME")]
    pub at: Option<i64>,
    /// Where to write the anchors (JSON).
    #[arg(long, value_name = "ANCHORS.json")]
    pub out: PathBuf,
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
    /// repeat for several. At least one --issuer or --anchors is needed.
    #[arg(long = "issuer", value_name = "NAME=CERT_OR_JWK_FILE",
          required_unless_present = "anchors", value_parser = parse_issuer)]
    pub issuers: Vec<(String, PathBuf)>,
    /// Limit the --issuer NAME to vouching for this credential type (SD-JWT vct, mdoc
    /// docType, or `mosip:claim169` for MOSIP Claim 169 identity codes); repeat for several
    /// types or issuers. An issuer without one vouches for any type.
    #[arg(long = "issuer-type", value_name = "NAME=TYPE", value_parser = parse_limit)]
    pub issuer_types: Vec<(String, String)>,
    /// Limit the --issuer NAME to credentials of this issuing country, compared as written:
    /// ISO 3166-1 alpha-2 (KE: an mdoc's issuing_country) or alpha-3 (KEN: some Claim 169
    /// cards' country of issuance; give both to accept both); repeat for several countries or
    /// issuers. An issuer without one vouches for any country.
    #[arg(long = "issuer-country", value_name = "NAME=CC", value_parser = parse_limit)]
    pub issuer_countries: Vec<(String, String)>,
    /// An SD-JWT VC Type Metadata document (or Laissez's mdoc form keyed by docType) whose
    /// labels the verifier shows for that type; its exact bytes are kept, since a
    /// credential's `vct#integrity` covers them. Repeat for several (at most 64, 64 KiB each).
    #[arg(long = "type-metadata", value_name = "FILE")]
    pub type_metadata: Vec<PathBuf>,
    /// An anchors file written by `trust import-vical` or `trust import-lote`: each of its
    /// entries becomes an issuer, with its credential types and countries; repeat for
    /// several.
    #[arg(long = "anchors", value_name = "ANCHORS.json")]
    pub anchors: Vec<PathBuf>,
    /// A document signer's certificate verifiers should hold, so that holders leave it out of
    /// their answers (which then stay one QR code): NAME is the issuer (from --issuer or an
    /// anchors file) whose key issued it; repeat for several. Never trusted on its own.
    #[arg(long = "signer", value_name = "NAME=CERT_FILE", value_parser = parse_issuer)]
    pub signers: Vec<(String, PathBuf)>,
    /// A registrar of verifiers, for holders' wallets: the file of its P-256 public JWK (the
    /// key its registration certificates are signed with). Repeat for several, each with its
    /// own --registrar-id, --registrar-name and --registrar-country, in the same order.
    #[arg(long = "registrar-key", value_name = "JWK_FILE")]
    pub registrar_keys: Vec<PathBuf>,
    /// The registrar's identifier (what its certificates name as their issuer).
    #[arg(long = "registrar-id", value_name = "ID")]
    pub registrar_ids: Vec<String>,
    /// The registrar's name, shown to holders as who vouches for a verifier.
    #[arg(long = "registrar-name", value_name = "NAME")]
    pub registrar_names: Vec<String>,
    /// The registrar's country (ISO 3166-1 alpha-2, e.g. NL).
    #[arg(long = "registrar-country", value_name = "CC")]
    pub registrar_countries: Vec<String>,
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
    /// The verifier's store (`laissez verifier init`), or a holder's wallet (`laissez wallet
    /// init`: its issuers vouch for offers, its registrars for verifiers); PIN from
    /// LAISSEZ_PIN.
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

/// Parses `NAME=VALUE` for --issuer-type and --issuer-country (both non-empty; the value is
/// everything after the first `=`).
fn parse_limit(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((name, value)) if !name.is_empty() && !value.is_empty() => {
            Ok((name.to_owned(), value.to_owned()))
        }
        _ => Err("expected NAME=VALUE, NAME an --issuer's name".into()),
    }
}
