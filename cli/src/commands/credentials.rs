//! `laissez wallet holder-key|import|list|show|delete|history|settings`: the holder's
//! credentials. (`wallet present` is in `present.rs`.)

use std::io::Write;

use serde::Serialize;
use serde_json::Value;
use wallet_core::credential::display::{self, DisplayMetadata};
use wallet_core::jose::P256Jwk;
use wallet_core::store::RecordId;
use wallet_core::store::WalletStore;
use wallet_core::wallet::credentials::LOW_COPIES_THRESHOLD;
use wallet_core::wallet::holder_keys;
use wallet_core::wallet::settings::{self, WalletSettings};
use wallet_core::wallet::{
    CopiesState, CredentialDetail, CredentialError, CredentialSummary, DisclosedVerifier,
    ImportOptions, IssuerTrust, credentials,
};

use crate::args::{
    DeleteArgs, HistoryArgs, HolderKeyArgs, ImportArgs, ListArgs, SettingsArgs, ShowArgs,
};
use crate::exit::{CliError, CliResult};
use crate::{input_files, output, unix_time, wallet_file};

/// `laissez wallet holder-key`.
pub fn holder_key(args: &HolderKeyArgs) -> CliResult {
    if let Some(count) = args.batch {
        return batch_holder_keys(args, count);
    }
    let mut store = wallet_file::open_unlocked(&args.db.db)?;
    let key = holder_keys::default_key(&mut store)?;
    drop(store);
    let jwk = P256Jwk::from_verifying_key(key.public_key.clone()).to_json();
    input_files::write_output(&args.out, format!("{jwk:#}\n").as_bytes(), "key file")?;
    writeln!(
        std::io::stdout(),
        "Holder key (slot {}) {} written to {}",
        key.slot,
        key.public_key.fingerprint(),
        args.out.display()
    )?;
    Ok(())
}

/// `laissez wallet holder-key --batch N`: N new derived keys, one per copy of a batch.
fn batch_holder_keys(args: &HolderKeyArgs, count: u32) -> CliResult {
    let mut store = wallet_file::open_unlocked(&args.db.db)?;
    let keys = (0..count)
        .map(|_| holder_keys::create_derived(&mut store))
        .collect::<Result<Vec<_>, _>>()?;
    drop(store);
    let jwks: Vec<Value> = keys
        .iter()
        .map(|k| P256Jwk::from_verifying_key(k.public_key.clone()).to_json())
        .collect();
    let text = format!("{:#}\n", Value::Array(jwks));
    input_files::write_output(&args.out, text.as_bytes(), "key file")?;
    let slots: Vec<String> = keys.iter().map(|k| k.slot.to_string()).collect();
    writeln!(
        std::io::stdout(),
        "{count} holder keys (slots {}) written to {}, one per copy of a batch",
        slots.join(","),
        args.out.display()
    )?;
    Ok(())
}

/// How many copies are left, and a warning when few or none are (for list, show, present).
pub fn copies_text(summary: &CredentialSummary) -> String {
    let (left, total) = (summary.copies_left, summary.copies_total);
    match summary.copies_state() {
        CopiesState::Single => "1 copy (presentations can be linked)".to_owned(),
        CopiesState::Plenty => format!("{left} of {total} copies left"),
        CopiesState::Low => format!(
            "{left} of {total} copies left: WARNING, at most {LOW_COPIES_THRESHOLD} left, ask \
             the issuer for new copies"
        ),
        CopiesState::Exhausted => format!(
            "0 of {total} copies left: WARNING, presenting is refused unless `laissez wallet \
             settings --reuse-copies on` (then presentations can be linked)"
        ),
    }
}

/// The warning to print after presenting `id`, when few or no copies are left.
pub fn copies_warning(store: &WalletStore, id: RecordId) -> CliResult<Option<String>> {
    let summary = credentials::list(store)?.into_iter().find(|s| s.id == id);
    Ok(summary
        .filter(|s| s.copies_state().warns())
        .map(|s| format!("{id}: {}", copies_text(&s))))
}

/// A credential summary in JSON output.
#[derive(Serialize)]
pub struct SummaryJson<'a> {
    id: String,
    format: &'static str,
    credential_type: &'a str,
    /// The name the credential claims for its issuer: unverified.
    issuer_name: Option<&'a str>,
    /// Whether the wallet's issuer trust list vouches for the issuer.
    issuer_trust: TrustJson<'a>,
    issuer_fingerprint: &'a str,
    valid_from: Option<i64>,
    valid_until: Option<i64>,
    imported_at: i64,
    display: Option<&'a DisplayMetadata>,
    copies_total: u32,
    copies_left: u32,
    /// "single", "plenty", "low" or "exhausted".
    copies_state: &'static str,
    copies_warning: bool,
}

impl<'a> From<&'a CredentialSummary> for SummaryJson<'a> {
    fn from(s: &'a CredentialSummary) -> Self {
        Self {
            id: s.id.to_string(),
            format: s.format.as_str(),
            credential_type: &s.credential_type,
            issuer_name: s.issuer_name.as_deref(),
            issuer_trust: TrustJson::from(&s.issuer_trust),
            issuer_fingerprint: &s.issuer_fingerprint,
            valid_from: s.valid_from,
            valid_until: s.valid_until,
            imported_at: s.imported_at,
            display: s.display.as_ref(),
            copies_total: s.copies_total,
            copies_left: s.copies_left,
            copies_state: match s.copies_state() {
                CopiesState::Single => "single",
                CopiesState::Plenty => "plenty",
                CopiesState::Low => "low",
                CopiesState::Exhausted => "exhausted",
            },
            copies_warning: s.copies_state().warns(),
        }
    }
}

/// `laissez wallet import`.
pub fn import(args: &ImportArgs) -> CliResult {
    // An identity card's code (a text file or an image of the card) is kept as a card.
    if let [file] = args.files.as_slice() {
        if let Some(code) = super::cards::card_code_in(file)? {
            return super::cards::import(&args.db.db, &code, args.json);
        }
    }
    // Inputs first: a missing or foreign file costs no PIN prompt.
    let copies = args
        .files
        .iter()
        .map(|path| input_files::read_bytes(path, "credential file"))
        .collect::<CliResult<Vec<_>>>()?;
    let issuer_keys = args
        .issuer_keys
        .iter()
        .map(|path| input_files::read_trusted_issuer(path).map(|t| t.key))
        .collect::<CliResult<Vec<_>>>()?;
    let type_metadata = args
        .type_metadata
        .as_deref()
        .map(|path| input_files::read_bytes(path, "type metadata file"))
        .transpose()?;
    let mut store = wallet_file::open_unlocked(&args.db.db)?;
    let options = ImportOptions {
        issuer_keys,
        now: unix_time::now(),
        type_metadata,
    };
    let summary = match credentials::import_batch(&mut store, &copies, &options) {
        Err(CredentialError::NotBoundToThisWallet) => {
            return Err(CliError::Negative(
                "the credential is bound to another wallet's holder key, so this wallet could \
                 never present it; ask the issuer to issue it to the key that `laissez wallet \
                 holder-key` writes for this wallet"
                    .into(),
            ));
        }
        Err(CredentialError::NoIssuerKey) => {
            return Err(CliError::BadInput(
                "the credential carries no issuer certificate; give the issuer's public key \
                 (JWK) or certificate with --issuer-key KEY_OR_CERT"
                    .into(),
            ));
        }
        result => result?,
    };
    if args.json {
        return output::print_json(&SummaryJson::from(&summary));
    }
    writeln!(std::io::stdout(), "{}", summary.id)?;
    if summary.copies_total > 1 {
        writeln!(std::io::stderr(), "{}", copies_text(&summary))?;
    }
    Ok(())
}

/// The issuer's trust in JSON output: `{"state": "trusted" | "not_allowed_for_type" |
/// "unknown", "name": the trust list's name}`.
#[derive(Serialize)]
pub struct TrustJson<'a> {
    state: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
}

impl<'a> From<&'a IssuerTrust> for TrustJson<'a> {
    fn from(trust: &'a IssuerTrust) -> Self {
        let (state, name) = match trust {
            IssuerTrust::Trusted { name } => ("trusted", Some(name.as_str())),
            IssuerTrust::NotAllowedForType { name } => {
                ("not_allowed_for_type", Some(name.as_str()))
            }
            IssuerTrust::Unknown => ("unknown", None),
        };
        Self { state, name }
    }
}

/// `wallet list --json`.
#[derive(Serialize)]
struct ListJson<'a> {
    credentials: Vec<SummaryJson<'a>>,
    identity_cards: Vec<super::cards::CardJson<'a>>,
}

/// The issuer as a person may read it: the trusted name, or "unverified issuer" with the
/// credential's own claim marked as a claim.
pub(crate) fn issuer_text(summary: &CredentialSummary) -> String {
    let key = &summary.issuer_fingerprint;
    let claimed = match &summary.issuer_name {
        Some(name) => format!(", claims to be \"{name}\""),
        None => String::new(),
    };
    match &summary.issuer_trust {
        IssuerTrust::Trusted { name } => format!("{name} (trusted, key {key})"),
        IssuerTrust::NotAllowedForType { name } => {
            format!("{name}, not trusted for this type (key {key})")
        }
        IssuerTrust::Unknown => format!("unverified issuer{claimed} (key {key})"),
    }
}

/// `laissez wallet list`.
pub fn list(args: &ListArgs) -> CliResult {
    let store = wallet_file::open_unlocked(&args.db.db)?;
    let all = credentials::list(&store)?;
    let cards = super::cards::list(&store)?;
    if args.json {
        return output::print_json(&ListJson {
            credentials: all.iter().map(SummaryJson::from).collect(),
            identity_cards: cards.iter().map(super::cards::CardJson::from).collect(),
        });
    }
    let mut out = std::io::stdout().lock();
    if all.is_empty() {
        writeln!(out, "no credentials")?;
    }
    for card in &cards {
        writeln!(
            out,
            "{}  card    {}",
            card.id,
            super::cards::card_line(card)
        )?;
    }
    for summary in &all {
        let until = summary
            .valid_until
            .map_or_else(|| "no expiry".to_owned(), unix_time::utc_text);
        writeln!(
            out,
            "{}  {:<6}  {}  until {}  {}  {}",
            summary.id,
            summary.format.as_str(),
            summary.credential_type,
            until,
            issuer_text(summary),
            copies_text(summary)
        )?;
    }
    Ok(())
}

/// One claim in `wallet show --json`.
#[derive(Serialize)]
struct ClaimJson<'a> {
    path: &'a str,
    label: Option<&'a str>,
    value: &'a Value,
    selectable: bool,
}

/// `wallet show --json`.
#[derive(Serialize)]
struct ShowJson<'a> {
    #[serde(flatten)]
    summary: SummaryJson<'a>,
    credential_name: Option<&'a str>,
    lang: &'a str,
    holder_key_slot: u32,
    holder_key_fingerprint: String,
    claims: Vec<ClaimJson<'a>>,
}

fn credential_name<'a>(summary: &'a CredentialSummary, lang: &str) -> Option<&'a str> {
    display::pick(&summary.display.as_ref()?.credential_name, lang)
}

/// `laissez wallet show`.
pub fn show(args: &ShowArgs) -> CliResult {
    let id = RecordId::parse(&args.id)?;
    let store = wallet_file::open_unlocked(&args.db.db)?;
    let detail = credentials::show(&store, id, &args.lang)?;
    drop(store);
    if args.json {
        return output::print_json(&ShowJson {
            summary: SummaryJson::from(&detail.summary),
            credential_name: credential_name(&detail.summary, &args.lang),
            lang: &args.lang,
            holder_key_slot: detail.holder_key.slot,
            holder_key_fingerprint: detail.holder_key.public_key.fingerprint(),
            claims: detail
                .claims
                .iter()
                .map(|c| ClaimJson {
                    path: &c.path,
                    label: c.label.as_deref(),
                    value: &c.value,
                    selectable: c.selectable,
                })
                .collect(),
        });
    }
    print_detail(&detail, &args.lang)
}

fn print_detail(detail: &CredentialDetail, lang: &str) -> CliResult {
    let s = &detail.summary;
    let mut out = std::io::stdout().lock();
    writeln!(out, "id            {}", s.id)?;
    writeln!(out, "format        {}", s.format.as_str())?;
    writeln!(out, "type          {}", s.credential_type)?;
    if let Some(name) = credential_name(s, lang) {
        writeln!(out, "name          {name}")?;
    }
    writeln!(out, "issuer        {}", issuer_text(s))?;
    let when = |t: Option<i64>| t.map_or_else(|| "-".to_owned(), unix_time::utc_text);
    writeln!(
        out,
        "valid         {} to {}",
        when(s.valid_from),
        when(s.valid_until)
    )?;
    writeln!(out, "imported      {}", unix_time::utc_text(s.imported_at))?;
    writeln!(out, "copies        {}", copies_text(s))?;
    writeln!(
        out,
        "holder key    slot {}, {}",
        detail.holder_key.slot,
        detail.holder_key.public_key.fingerprint()
    )?;
    writeln!(
        out,
        "claims        (* can be withheld; present them with --claims PATH,PATH)"
    )?;
    let path_width = detail
        .claims
        .iter()
        .map(|c| c.path.len())
        .max()
        .unwrap_or(0);
    let label_width = detail
        .claims
        .iter()
        .map(|c| c.label.as_deref().map_or(0, |l| l.chars().count()))
        .max()
        .unwrap_or(0);
    for claim in &detail.claims {
        let label = claim.label.as_deref().unwrap_or("");
        writeln!(
            out,
            "  {} {:<path_width$}  {label}{}  {}",
            if claim.selectable { '*' } else { ' ' },
            claim.path,
            " ".repeat(label_width - label.chars().count()),
            output::value_text(&claim.value)
        )?;
    }
    Ok(())
}

/// `laissez wallet delete`.
pub fn delete(args: &DeleteArgs) -> CliResult {
    let id = RecordId::parse(&args.id)?;
    let mut store = wallet_file::open_unlocked(&args.db.db)?;
    credentials::delete(&mut store, id)?;
    writeln!(std::io::stdout(), "deleted {id}")?;
    Ok(())
}

/// `wallet history --json`.
#[derive(Serialize)]
struct HistoryJson {
    disclosures: Vec<wallet_core::wallet::DisclosureEntry>,
}

/// `laissez wallet history`.
pub fn history(args: &HistoryArgs) -> CliResult {
    let store = wallet_file::open_unlocked(&args.db.db)?;
    let disclosures = credentials::disclosures(&store)?;
    drop(store);
    if args.json {
        return output::print_json(&HistoryJson { disclosures });
    }
    let mut out = std::io::stdout().lock();
    if disclosures.is_empty() {
        writeln!(out, "nothing disclosed yet")?;
    }
    for entry in &disclosures {
        let audience = entry.audience.as_deref().unwrap_or("(session transcript)");
        let to = match (&entry.verifier, &entry.verifier_name) {
            (
                Some(DisclosedVerifier::Verified {
                    organisation,
                    country,
                    registrar,
                    certificate_reference,
                }),
                _,
            ) => format!(
                "{organisation} ({country}), verified by {registrar}, certificate \
                 {certificate_reference} ({audience})"
            ),
            (
                Some(DisclosedVerifier::Unverified {
                    claimed_name,
                    reason,
                }),
                _,
            ) => format!("UNVERIFIED ({reason}), calls itself \"{claimed_name}\" ({audience})"),
            // Written before verifiers could be verified: the request's own words.
            (None, Some(name)) => format!("{name} ({audience})"),
            (None, None) => audience.to_owned(),
        };
        writeln!(
            out,
            "{}  {}  to {to}  {}",
            unix_time::utc_text(entry.at),
            entry.credential_id,
            entry.claims.join(",")
        )?;
    }
    Ok(())
}

/// `wallet settings --json`.
#[derive(Serialize)]
struct SettingsJson {
    reuse_copies: bool,
}

/// `laissez wallet settings`: shows the settings, changing the one given first.
pub fn settings(args: &SettingsArgs) -> CliResult {
    let mut store = wallet_file::open_unlocked(&args.db.db)?;
    let mut current = settings::load(&store)?;
    if let Some(choice) = &args.reuse_copies {
        current = WalletSettings {
            reuse_last_copy: choice == "on",
        };
        settings::save(&mut store, &current)?;
    }
    drop(store);
    if args.json {
        return output::print_json(&SettingsJson {
            reuse_copies: current.reuse_last_copy,
        });
    }
    writeln!(
        std::io::stdout(),
        "reuse-copies  {}",
        if current.reuse_last_copy {
            "on (when no copy is left, the last one is presented again: linkable)"
        } else {
            "off (when no copy is left, presenting is refused)"
        }
    )?;
    Ok(())
}
