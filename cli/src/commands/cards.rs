//! `laissez wallet card show|code|delete`, and the identity-card side of `wallet import` and
//! `wallet list`: MOSIP Claim 169 codes from printed ID cards, kept in the wallet beside its
//! credentials (issue 16, `wallet_core::wallet::claim169_cards`).

use std::io::Write;
use std::path::Path;

use serde::Serialize;
use serde_json::Value;
use wallet_core::claim169;
use wallet_core::qr::render::{ErrorCorrection, PngOptions, render};
use wallet_core::qr::scan::scan_image;
use wallet_core::store::{RecordId, WalletStore};
use wallet_core::wallet::claim169_cards::{self, CardError, CardIssuer, CardSummary};

use crate::args::{CardCodeArgs, CardCommand, CardIdArgs, CardShowArgs};
use crate::exit::{CliError, CliResult};
use crate::{input_files, output, unix_time, wallet_file};

/// The identity card's code in `path`, if the file holds one: a text file with the code, or
/// an image of it (a photo or scan of the card). `None` for anything else (a credential).
pub fn card_code_in(path: &Path) -> CliResult<Option<String>> {
    let bytes = input_files::read_bytes(path, "file")?;
    if let Ok(text) = std::str::from_utf8(&bytes) {
        let text = text.trim();
        return Ok(claim169::looks_like_code(text).then(|| text.to_owned()));
    }
    let Ok(codes) = scan_image(&bytes) else {
        return Ok(None);
    };
    Ok(codes
        .into_iter()
        .map(|code| code.text)
        .find(|text| claim169::looks_like_code(text)))
}

fn card_error(err: CardError) -> CliError {
    match err {
        CardError::Store(err) => err.into(),
        CardError::NotFound => CliError::BadInput("no identity card with that id".into()),
        e @ (CardError::Unreadable(_)
        | CardError::Unsigned
        | CardError::Encrypted
        | CardError::AlreadyKept) => CliError::BadInput(e.to_string()),
        other => CliError::Failed(other.to_string()),
    }
}

/// `wallet import` of an identity card's code: keeps it and prints its id.
pub fn import(db: &Path, code: &str, json: bool) -> CliResult {
    let mut store = wallet_file::open_unlocked(db)?;
    let card = claim169_cards::import(&mut store, code, unix_time::now()).map_err(card_error)?;
    if json {
        return output::print_json(&CardJson::from(&card));
    }
    writeln!(std::io::stdout(), "{}", card.id)?;
    writeln!(
        std::io::stderr(),
        "identity card kept: {}",
        card_line(&card)
    )?;
    Ok(())
}

/// A kept card in JSON output.
#[derive(Serialize)]
pub struct CardJson<'a> {
    id: String,
    format: &'static str,
    full_name: Option<&'a str>,
    id_number: Option<&'a str>,
    country: Option<&'a str>,
    issuer: IssuerJson<'a>,
    issued_at: Option<i64>,
    expires_at: Option<i64>,
    outside_validity: bool,
    has_face: bool,
    kept_at: i64,
}

/// A card's issuer in JSON: `{"state": "trusted", "name"}` or `{"state": "unverified",
/// "claimed"}`.
#[derive(Serialize)]
struct IssuerJson<'a> {
    state: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    claimed: Option<&'a str>,
}

impl<'a> From<&'a CardSummary> for CardJson<'a> {
    fn from(card: &'a CardSummary) -> Self {
        let issuer = match &card.issuer {
            CardIssuer::Trusted { name } => IssuerJson {
                state: "trusted",
                name: Some(name),
                claimed: None,
            },
            CardIssuer::Unverified { claimed } => IssuerJson {
                state: "unverified",
                name: None,
                claimed: claimed.as_deref(),
            },
        };
        Self {
            id: card.id.to_string(),
            format: "claim169",
            full_name: card.full_name.as_deref(),
            id_number: card.id_number.as_deref(),
            country: card.country.as_deref(),
            issuer,
            issued_at: card.issued_at,
            expires_at: card.expires_at,
            outside_validity: card.outside_validity,
            has_face: card.has_face,
            kept_at: card.kept_at,
        }
    }
}

/// One line of a card: name, number, country, validity, issuer as the trust list tells.
pub fn card_line(card: &CardSummary) -> String {
    let issuer = match &card.issuer {
        CardIssuer::Trusted { name } => format!("{name} (trusted)"),
        CardIssuer::Unverified {
            claimed: Some(claimed),
        } => format!("unverified issuer, claims to be \"{claimed}\""),
        CardIssuer::Unverified { claimed: None } => "unverified issuer".into(),
    };
    let until = card
        .expires_at
        .map_or_else(|| "no expiry".to_owned(), unix_time::utc_text);
    format!(
        "{}  {}  {}  until {}{}  {}",
        card.full_name.as_deref().unwrap_or("(no name)"),
        card.id_number.as_deref().unwrap_or("(no number)"),
        card.country.as_deref().unwrap_or("(no country)"),
        until,
        if card.outside_validity {
            " (EXPIRED)"
        } else {
            ""
        },
        issuer
    )
}

/// The kept cards, for `wallet list`.
pub fn list(store: &WalletStore) -> CliResult<Vec<CardSummary>> {
    claim169_cards::list(store, unix_time::now()).map_err(card_error)
}

/// Runs one `wallet card` subcommand.
pub fn run(command: CardCommand) -> CliResult {
    match command {
        CardCommand::Show(args) => show(&args),
        CardCommand::Code(args) => code(&args),
        CardCommand::Delete(args) => delete(&args),
    }
}

fn show(args: &CardShowArgs) -> CliResult {
    let id = RecordId::parse(&args.id)?;
    let store = wallet_file::open_unlocked(&args.db.db)?;
    let detail =
        claim169_cards::show(&store, id, &args.lang, unix_time::now()).map_err(card_error)?;
    drop(store);
    if let (Some(path), Some((bytes, _))) = (&args.face, &detail.face) {
        input_files::write_output(path, bytes, "face image")?;
    }
    if args.json {
        #[derive(Serialize)]
        struct ShowJson<'a> {
            #[serde(flatten)]
            card: CardJson<'a>,
            fields: Vec<FieldJson<'a>>,
            face_format: Option<&'a str>,
        }
        #[derive(Serialize)]
        struct FieldJson<'a> {
            path: &'a str,
            label: Option<&'a str>,
            value: &'a Value,
        }
        return output::print_json(&ShowJson {
            card: CardJson::from(&detail.summary),
            fields: detail
                .claims
                .iter()
                .map(|c| FieldJson {
                    path: &c.path,
                    label: c.label.as_deref(),
                    value: &c.value,
                })
                .collect(),
            face_format: detail.face.as_ref().and_then(|(_, format)| *format),
        });
    }
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", card_line(&detail.summary))?;
    for claim in &detail.claims {
        let value = match &claim.value {
            Value::String(text) => text.clone(),
            other => other.to_string(),
        };
        writeln!(
            out,
            "  {:<28} {}",
            claim.label.as_deref().unwrap_or(&claim.path),
            value
        )?;
    }
    match (&detail.face, &args.face) {
        (Some((bytes, format)), Some(path)) => writeln!(
            out,
            "  face image ({}, {} bytes) written to {}",
            format.unwrap_or("unknown format"),
            bytes.len(),
            path.display()
        )?,
        (Some((_, format)), None) => writeln!(
            out,
            "  face image ({}): --face FILE writes it",
            format.unwrap_or("unknown format")
        )?,
        (None, _) => writeln!(out, "  no face image")?,
    }
    Ok(())
}

fn code(args: &CardCodeArgs) -> CliResult {
    let id = RecordId::parse(&args.id)?;
    let mut store = wallet_file::open_unlocked(&args.db.db)?;
    let text = claim169_cards::show_code(&mut store, id, unix_time::now()).map_err(card_error)?;
    drop(store);
    let png = render(&text, ErrorCorrection::M)
        .and_then(|matrix| matrix.to_png(&PngOptions::default()))
        .map_err(|err| CliError::Failed(format!("drawing the card's code: {err}")))?;
    input_files::write_output(&args.out, &png, "QR image")?;
    writeln!(
        std::io::stderr(),
        "This shows the whole card as issued: every field, no choice of what to share, and \
         anyone who photographs it can show it."
    )?;
    writeln!(std::io::stdout(), "{}", args.out.display())?;
    Ok(())
}

fn delete(args: &CardIdArgs) -> CliResult {
    let id = RecordId::parse(&args.id)?;
    let mut store = wallet_file::open_unlocked(&args.db.db)?;
    claim169_cards::delete(&mut store, id).map_err(card_error)?;
    writeln!(std::io::stdout(), "deleted {id}")?;
    Ok(())
}
