//! The command tree, as clap parses it. No behaviour here: only names, docs and value syntax.

mod backup;
mod cards;
mod claim169;
mod credentials;
mod exchange;
mod issuer;
pub mod offline;
mod online;
mod qr;
mod registrar;
mod trust;
mod verify;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use wallet_core::store::{MAX_PAGE_SIZE, Tag};

pub use backup::{BackupArgs, RestoreArgs};
pub use cards::{CardCodeArgs, CardCommand, CardIdArgs, CardShowArgs};
pub use claim169::{Claim169Alg, Claim169Command, Claim169IssueArgs, Claim169VerifyArgs};
pub use credentials::{
    DeleteArgs, HistoryArgs, HolderKeyArgs, ImportArgs, ListArgs, PresentArgs, SettingsArgs,
    ShowArgs,
};
pub use exchange::{
    ConsentChoice, PresentStaticArgs, RespondArgs, VerifierIdArgs, VerifierLogArgs,
    VerifierRequestArgs, VerifierStatusArgs, VerifierVerifyArgs,
};
pub use issuer::{IssueArgs, IssuerCommand, IssuerNewArgs, StatusListArgs};
pub use offline::{AcceptOfferArgs, IssuerDeliverArgs, IssuerOfferArgs, ReceiveArgs};
pub use online::{FetchCredentialArgs, OfferOnlineArgs, OnlineIssuerArgs, ServeArgs};
pub use qr::{QrCommand, QrDecodeArgs};
pub use registrar::{
    RegistrarCertifyArgs, RegistrarCommand, RegistrarNewArgs, RegistrarVerifyArgs,
    VerifierInstallCertificateArgs, VerifierSigningKeyArgs,
};
pub use trust::{
    TrustBuildArgs, TrustCommand, TrustImportArgs, TrustImportLoteArgs, TrustImportVicalArgs,
    TrustNewSignerArgs, TrustShowArgs, TrustSignArgs,
};
pub use verify::VerifyPresentationArgs;

const AFTER_HELP: &str = "\
Secrets are never taken as arguments:
  LAISSEZ_PIN       the wallet's PIN (otherwise asked on the terminal, without echo)
  LAISSEZ_NEW_PIN   the new PIN for change-pin and recover (otherwise asked twice)
  LAISSEZ_MNEMONIC  the 24-word recovery phrase for recover (otherwise asked, without echo)
With no terminal and no variable set, laissez stops with exit code 2 instead of waiting.

Exit codes:
  0  success; a valid presentation
  1  a negative answer: wrong PIN, PIN locked out, record not found, phrase of another
     wallet, credential bound to another wallet's key, an INVALID presentation, a trust
     list refused (signature, expiry, rollback), an image without a QR code
  2  bad input or usage: bad arguments, invalid PIN or phrase, missing file, not a wallet,
     damaged wallet, wallet from a newer version, no way to ask for a secret; a file that is
     not a credential, key, certificate, claims object or presentation; a credential that
     does not verify or is already in the wallet
  3  failure of the machine or of a self-check: disk, busy file, a demo step that did not
     check out
  4  the field verifier's file was tampered with (verifier commands)";

/// Laissez: an offline identity wallet, from the command line.
#[derive(Debug, Parser)]
#[command(name = "laissez", version, after_help = AFTER_HELP)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The top-level commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create, inspect and recover a wallet file; import, show and present its credentials.
    #[command(subcommand)]
    Wallet(WalletCommand),
    /// Put, read, find, count and delete encrypted records in a wallet.
    #[command(subcommand)]
    Store(StoreCommand),
    /// Make a test or field issuer and issue SD-JWT VC and mdoc credentials with it.
    #[command(subcommand)]
    Issuer(IssuerCommand),
    /// Verify one presentation against trusted issuers and a nonce: VALID or INVALID, why.
    #[command(after_help = "\
Exit codes: 0 VALID; 1 INVALID (the reasons' codes are printed); 2 the check could not be
asked: an unreadable file, a trust file that is neither a certificate nor a public JWK, a
file that is not a presentation at all, missing or conflicting options.")]
    VerifyPresentation(VerifyPresentationArgs),
    /// The field verifier's own encrypted store.
    #[command(subcommand)]
    Verifier(VerifierCommand),
    /// Make, sign, import and show signed lists of trusted issuers.
    #[command(subcommand)]
    Trust(TrustCommand),
    /// Make a registrar and certify verifiers' request-signing keys (ADR 0020).
    #[command(subcommand)]
    Registrar(RegistrarCommand),
    /// Read QR codes from image files.
    #[command(subcommand)]
    Qr(QrCommand),
    /// MOSIP Claim 169 test tools: make signed test codes, decode and verify one (hidden:
    /// for tests and interop runs).
    #[command(subcommand, hide = true)]
    Claim169(Claim169Command),
    /// Walk through a wallet's life: store, lock, recover, rekey, then issue, import,
    /// present and verify credentials in both formats.
    Demo(DemoArgs),
}

/// The wallet file every wallet and store command works on.
#[derive(Debug, Args)]
pub struct DbArg {
    /// The wallet file (SQLite; `-wal` and `-shm` files appear beside it).
    #[arg(long, value_name = "PATH")]
    pub db: PathBuf,
}

/// What a presentation is bound to: a verifier's nonce and identifier, or (mdoc) the exact
/// SessionTranscript bytes of a session. Shared by `wallet present` and `verify-presentation`.
#[derive(Debug, Args)]
pub struct SessionArgs {
    /// The verifier's nonce.
    #[arg(
        long,
        value_name = "N",
        required_unless_present = "transcript",
        conflicts_with = "transcript",
        requires = "audience"
    )]
    pub nonce: Option<String>,
    /// The verifier's identifier (SD-JWT `aud`; for mdoc the OpenID4VP client_id and
    /// response_uri).
    #[arg(
        long,
        value_name = "A",
        required_unless_present = "transcript",
        conflicts_with = "transcript",
        requires = "nonce"
    )]
    pub audience: Option<String>,
    /// mdoc only: the exact SessionTranscript CBOR bytes of the session, instead of a nonce
    /// and an audience.
    #[arg(long, value_name = "T.cbor")]
    pub transcript: Option<PathBuf>,
}

/// The hidden switch to weak Argon2id parameters, so tests run fast.
#[derive(Debug, Args)]
pub struct KdfArg {
    /// Use deliberately weak Argon2id parameters (tests only; never for a real wallet).
    #[arg(long, hide = true)]
    pub insecure_fast_kdf: bool,
}

/// Wallet life-cycle commands.
#[derive(Debug, Subcommand)]
pub enum WalletCommand {
    /// Create a new wallet protected by a PIN and show its 24-word recovery phrase once.
    Init {
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        kdf: KdfArg,
    },
    /// Show what can be known about a wallet without its PIN (no unlock).
    Info {
        #[command(flatten)]
        db: DbArg,
        /// Print one JSON object instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Replace the PIN (asks for the current PIN, then the new one twice).
    ChangePin {
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        kdf: KdfArg,
    },
    /// Get back in with the 24-word recovery phrase and set a new PIN (forgotten PIN, lockout).
    Recover {
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        kdf: KdfArg,
    },
    /// Replace the data key: re-encrypt and re-index every record in one transaction.
    Rekey {
        #[command(flatten)]
        db: DbArg,
    },
    /// Write the wallet's default holder key as a public JWK, for an issuer to bind to.
    HolderKey(HolderKeyArgs),
    /// Check an issued credential (issuer signature, validity, holder key) and store it; or
    /// keep an identity card's code (MOSIP Claim 169: a text file, or an image of the card).
    Import(ImportArgs),
    /// List the credentials and identity cards in the wallet.
    List(ListArgs),
    /// Show, write the code of, or delete a kept identity card.
    #[command(subcommand)]
    Card(CardCommand),
    /// Show a credential's claims with the issuer's labels, and which can be withheld.
    Show(ShowArgs),
    /// Delete a credential from the wallet.
    Delete(DeleteArgs),
    /// Show the disclosure history: which claims were shown, to whom, when.
    History(HistoryArgs),
    /// Present chosen claims of a credential, bound to a verifier's nonce and audience.
    Present(PresentArgs),
    /// Show or change the wallet's settings (reusing the last copy of a batch).
    Settings(SettingsArgs),
    /// Answer a verifier's request QR code: show who asks for what, send the consented
    /// claims as an encrypted response QR code (or animated frames).
    #[command(after_help = "\
Exit codes: 0 a response was written; 1 the wallet holds no credential that can answer, or
the PIN was refused; 2 an unreadable image, a QR code that is not a request, an expired
request.")]
    Respond(RespondArgs),
    /// Read a registration desk's offer code, show who offers what (trusted issuer or
    /// UNKNOWN), and after consent write the proof code: new holder keys for the batch, each
    /// with a proof of possession, and a key for the encrypted answer.
    AcceptOffer(AcceptOfferArgs),
    /// Read the desk's encrypted batch (frames in any order), check every copy and import
    /// them all as one credential, or none.
    Receive(ReceiveArgs),
    /// Show chosen claims as a static presentation QR code (or animated frames), for a
    /// verifier that cannot show a request: bound to the current 2-minute window, and to the
    /// verifier whose identifier is given (scanned from its poster or badge).
    #[command(after_help = "\
Without --verifier-id, any verifier accepts the code within its window and says it is not
bound to it: whoever photographs it could show it elsewhere. It is not encrypted: a photo of
it shows the disclosed claims. Prefer `wallet respond` when the verifier can show a request.
Exit codes: 0 a presentation was written; 1 no such credential, or the PIN was refused; 2 a
claim the credential does not hold, a malformed verifier id or an image without one.")]
    PresentStatic(PresentStaticArgs),
    /// Write an encrypted backup of the whole wallet (credentials, holder keys, history,
    /// records; never the PIN), to a file or as animated QR frames.
    Backup(BackupArgs),
    /// Restore a backup with the 24 words: into a new wallet (new PIN) or merged into one made
    /// from the same words. All or nothing.
    #[command(after_help = "\
The 24 words come from LAISSEZ_MNEMONIC (else a prompt), the new PIN from LAISSEZ_NEW_PIN.
Exit codes: 0 restored; 1 the words belong to another wallet, or a wrong PIN; 2 an invalid
phrase, a damaged, truncated or newer-format backup, frames missing or of two backups.")]
    Restore(RestoreArgs),
    /// Receive a credential online over OpenID4VCI 1.0 (pre-authorized code): resolve the
    /// offer, send the transaction code, prove a batch of new holder keys, import the copies.
    #[command(after_help = "\
Exit codes: 0 imported; 1 the issuer refused (wrong transaction code, expired offer), or a
wrong PIN; 2 a malformed offer or answer, HTTP errors, redirects, timeouts, oversized bodies.
Nothing is written unless every copy arrived and was imported.")]
    FetchCredential(FetchCredentialArgs),
}

/// Field verifier commands.
#[derive(Debug, Subcommand)]
pub enum VerifierCommand {
    /// Create the verifier's encrypted store (as `wallet init` does: a PIN, and a 24-word
    /// recovery phrase shown once).
    Init {
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        kdf: KdfArg,
    },
    /// Make a request QR code: a fresh nonce and key, who asks, for which claims, until when;
    /// signed with the verifier's request-signing key when a registration certificate is
    /// installed.
    Request(VerifierRequestArgs),
    /// Print the verifier's request-signing public key (a P-256 JWK) for the registrar to
    /// certify.
    SigningKey(VerifierSigningKeyArgs),
    /// Install the registration certificate a registrar made for this verifier's
    /// request-signing key: from then on, its requests are signed and carry it.
    InstallCertificate(VerifierInstallCertificateArgs),
    /// Read a response or static presentation from QR images and give the verdict, checked
    /// against the imported trust list, the cached status lists and the replay cache.
    #[command(after_help = "\
Exit codes: 0 every presentation VALID; 1 one is INVALID (reasons printed), or no trust list
is usable; 2 unreadable images, no Laissez message in them, an incomplete animation (an
altered answer that still names one of this verifier's requests is logged INVALID, reason
tampered, first); 4 the verifier's file was tampered with (a trust list, status list, replay
entry or pending request put back, removed or added without its key).")]
    Verify(VerifierVerifyArgs),
    /// Cache Status List Tokens (fetched while online) for offline revocation checks; each
    /// must be signed by an issuer on the trust list.
    Status(VerifierStatusArgs),
    /// Show, prune or export the verification log.
    Log(VerifierLogArgs),
    /// Print this verifier's identifier code, for a poster or badge: holders who scan or type
    /// it bind their static presentations to this verifier only.
    Id(VerifierIdArgs),
}

/// Record commands (each unlocks the wallet with the PIN).
#[derive(Debug, Subcommand)]
pub enum StoreCommand {
    /// Store a new encrypted record and print its id.
    Put {
        #[command(flatten)]
        db: DbArg,
        /// The record's kind (e.g. `attestation`); queries are always within one kind. The
        /// kinds `credential`, `holder_key` and `disclosure` belong to `laissez wallet`.
        #[arg(long, value_name = "KIND")]
        kind: String,
        /// A searchable tag, NAME=VALUE; repeat for several.
        #[arg(long = "tag", value_name = "NAME=VALUE", value_parser = parse_tag)]
        tags: Vec<Tag>,
        /// The file holding the record's body (`-` for standard input).
        #[arg(long, value_name = "FILE")]
        body_file: PathBuf,
    },
    /// Print a record's body (raw bytes), or the whole record as JSON.
    Get {
        #[command(flatten)]
        db: DbArg,
        /// The record's id (32 hexadecimal digits, as `put` printed it).
        #[arg(value_name = "ID")]
        id: String,
        /// Print id, kind, tags, times and the body (base64) as one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// List the records of a kind carrying every given tag, one page at a time.
    Find {
        #[command(flatten)]
        db: DbArg,
        /// The kind to search.
        #[arg(long, value_name = "KIND")]
        kind: String,
        /// A tag every result must carry, NAME=VALUE; repeat for several (AND).
        #[arg(long = "tag", value_name = "NAME=VALUE", value_parser = parse_tag)]
        tags: Vec<Tag>,
        /// Most records on this page.
        #[arg(long, value_name = "N", default_value_t = 50,
              value_parser = clap::value_parser!(u32).range(1..=i64::from(MAX_PAGE_SIZE)))]
        limit: u32,
        /// Start after this cursor (printed as `next` by the previous page).
        #[arg(long, value_name = "CURSOR")]
        after: Option<String>,
        /// Print one JSON object (records with id, tags and times; next cursor).
        #[arg(long)]
        json: bool,
    },
    /// Print how many records of a kind carry every given tag.
    Count {
        #[command(flatten)]
        db: DbArg,
        /// The kind to count.
        #[arg(long, value_name = "KIND")]
        kind: String,
        /// A tag every counted record must carry, NAME=VALUE; repeat for several (AND).
        #[arg(long = "tag", value_name = "NAME=VALUE", value_parser = parse_tag)]
        tags: Vec<Tag>,
    },
    /// Delete a record and its tag index entries (freed pages are zeroed on disk).
    Delete {
        #[command(flatten)]
        db: DbArg,
        /// The record's id (32 hexadecimal digits).
        #[arg(value_name = "ID")]
        id: String,
    },
}

/// Options of `laissez demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Keep the demo wallet in this folder (created if needed) instead of a temporary one.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    #[command(flatten)]
    pub kdf: KdfArg,
}

/// Parses `NAME=VALUE` (the value may be empty and may contain `=`).
pub fn parse_tag(text: &str) -> Result<Tag, String> {
    match text.split_once('=') {
        Some((name, value)) if !name.is_empty() => Ok(Tag::new(name, value)),
        _ => Err("expected NAME=VALUE with a non-empty NAME".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn command_tree_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn tags_split_at_the_first_equals_sign() {
        assert_eq!(parse_tag("a=b=c"), Ok(Tag::new("a", "b=c")));
        assert_eq!(parse_tag("a="), Ok(Tag::new("a", "")));
        assert!(parse_tag("=b").is_err());
        assert!(parse_tag("ab").is_err());
    }
}
