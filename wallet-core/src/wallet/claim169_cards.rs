//! Identity cards the person already carries, kept in the wallet (issue 16, ADR 0022): the
//! QR text of a MOSIP Claim 169 code scanned from a printed card or a photo, stored encrypted
//! as its own record kind beside the credentials issued to this wallet.
//!
//! Why not a credential: a Claim 169 code has no holder binding and no selective disclosure.
//! It is shown as it is, the issuer's own code, whole; whoever holds the card (or a photo of
//! it) can show it, so a verifier's verdict on it says "possession not proven: compare the
//! photo". Keeping it apart from the holder-bound credentials keeps that difference out of
//! every presentation path.
//!
//! Trust: whether the card's issuer is trusted is decided, each time it is listed or shown,
//! against the issuers of the holder's installed trust list that vouch for
//! [`CLAIM169_CREDENTIAL_TYPE`]; otherwise the claimed issuer (`iss`) is only the card's own
//! word. A card is imported only when it decodes, is signed, and is not encrypted (the holder
//! holds no content key); an expired card is kept and shown as expired.

use laissez_formats::claim169::{self, Claim169Code, Claim169Error, ImageFormat};
use laissez_store::{NewRecord, RecordId, StoreError, Tag, WalletStore};
use serde::{Deserialize, Serialize};

use super::credentials;
use crate::verifier::DisclosedClaim;
use crate::verifier::claim169_verdict::{
    CLAIM169_CREDENTIAL_TYPE, labelled_claims, signing_issuer,
};
use crate::verifier::trust_store::{self, TrustStoreError};

/// Record kind of kept Claim 169 cards.
pub const CARD_KIND: &str = "claim169_card";
/// Tag with the first 16 bytes of SHA-256 of the QR text (hex), to refuse a second import.
const DIGEST_TAG: &str = "digest";
/// The audience the disclosure history records when a card's code is shown.
pub const SHOWN_CARD_AUDIENCE: &str = "urn:laissez:claim169-card";
const MAX_CARDS: usize = 256;

/// Why a card could not be kept or used.
#[derive(Debug, thiserror::Error)]
pub enum CardError {
    /// The text is not a readable Claim 169 code.
    #[error("not a readable Claim 169 code: {0}")]
    Unreadable(#[source] Claim169Error),
    /// The code carries no signature: nothing about it could ever be checked.
    #[error("the Claim 169 code is not signed: it cannot be verified by anyone")]
    Unsigned,
    /// The code is encrypted with a key only its issuer's verifiers hold.
    #[error("the Claim 169 code is encrypted: only verifiers holding the issuer's key can read it")]
    Encrypted,
    /// This card is in the wallet already.
    #[error("this card is in the wallet already")]
    AlreadyKept,
    /// No card with that id.
    #[error("card not found")]
    NotFound,
    /// The stored card no longer reads (the record was damaged).
    #[error("the stored card is damaged")]
    Damaged,
    /// The wallet's trust list could not be read.
    #[error(transparent)]
    TrustList(#[from] TrustStoreError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Result of this module.
pub type CardResult<T> = Result<T, CardError>;

/// Whether the holder's trust list vouches for a card's issuer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CardIssuer {
    /// An issuer on the holder's trust list, for Claim 169 codes (and the card's country,
    /// when the entry names countries), signed this card: its name from the list.
    Trusted {
        /// The trusted entry's name.
        name: String,
    },
    /// No issuer on the list signed it (or none is installed): `claimed` is the code's own
    /// `iss`, unchecked.
    Unverified {
        /// The issuer the code names itself, if any (not checked).
        claimed: Option<String>,
    },
}

/// A kept card, for lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardSummary {
    /// The record id.
    pub id: RecordId,
    /// The holder's full name on the card, if it has one.
    pub full_name: Option<String>,
    /// The card's ID number, if it has one.
    pub id_number: Option<String>,
    /// Country of issuance as written on the card, if any.
    pub country: Option<String>,
    /// Who issued it, as far as the holder's trust list tells.
    pub issuer: CardIssuer,
    /// `iat`, Unix seconds.
    pub issued_at: Option<i64>,
    /// `exp`, Unix seconds.
    pub expires_at: Option<i64>,
    /// Whether it has expired (or is not valid yet) now.
    pub outside_validity: bool,
    /// Whether the card carries a face image.
    pub has_face: bool,
    /// When it was put in the wallet, Unix seconds.
    pub kept_at: i64,
}

/// A kept card, for its own screen.
#[derive(Debug, Clone, PartialEq)]
pub struct CardDetail {
    /// What the list shows.
    pub summary: CardSummary,
    /// Its demographic fields with labels in the asked language (values as on the card).
    pub claims: Vec<DisclosedClaim>,
    /// The face image's bytes and format (`jpeg`, `jpeg2000`, `avif`, `webp`, `png`, `tiff`,
    /// `wsq`), if any.
    pub face: Option<(Vec<u8>, Option<&'static str>)>,
}

#[derive(Serialize, Deserialize)]
struct StoredCard {
    qr_text: String,
    kept_at: i64,
}

fn digest(qr_text: &str) -> String {
    hex::encode(&ring::digest::digest(&ring::digest::SHA256, qr_text.as_bytes()).as_ref()[..16])
}

/// Reads and checks a scanned code for keeping: readable, signed, not encrypted.
fn readable(qr_text: &str) -> CardResult<Claim169Code> {
    let code = match claim169::decode(qr_text, None) {
        Ok(code) => code,
        Err(Claim169Error::KeyRequired) => return Err(CardError::Encrypted),
        Err(other) => return Err(CardError::Unreadable(other)),
    };
    if !code.is_signed() {
        return Err(CardError::Unsigned);
    }
    Ok(code)
}

/// Keeps the card whose QR text is `qr_text` (as scanned: trailing line breaks ignored),
/// encrypted, and returns its summary.
pub fn import(store: &mut WalletStore, qr_text: &str, now: i64) -> CardResult<CardSummary> {
    let qr_text = qr_text.trim_end_matches(['\r', '\n']);
    let code = readable(qr_text)?;
    let digest = digest(qr_text);
    if !store
        .find(CARD_KIND, &[Tag::new(DIGEST_TAG, &digest)], 1, None)?
        .records
        .is_empty()
    {
        return Err(CardError::AlreadyKept);
    }
    if store.count(CARD_KIND, &[])? >= MAX_CARDS as u64 {
        return Err(CardError::Store(StoreError::InvalidInput(format!(
            "a wallet keeps at most {MAX_CARDS} cards"
        ))));
    }
    let body = serde_json::to_vec(&StoredCard {
        qr_text: qr_text.into(),
        kept_at: now,
    })
    .map_err(|_| CardError::Damaged)?;
    let id = store.put(&NewRecord {
        kind: CARD_KIND.into(),
        tags: vec![Tag::new(DIGEST_TAG, &digest)],
        body,
    })?;
    let trusted = trusted_issuers(store, now)?;
    Ok(summarise(id, &code, now, now, &trusted))
}

fn load(store: &WalletStore, id: RecordId) -> CardResult<StoredCard> {
    let record = store.get(id).map_err(|err| match err {
        StoreError::RecordNotFound => CardError::NotFound,
        other => CardError::Store(other),
    })?;
    if record.kind != CARD_KIND {
        return Err(CardError::NotFound);
    }
    serde_json::from_slice(&record.body).map_err(|_| CardError::Damaged)
}

fn trusted_issuers(
    store: &WalletStore,
    now: i64,
) -> CardResult<Vec<crate::verifier::TrustedIssuer>> {
    let mut issuers = trust_store::installed_issuers(store, now)?;
    issuers.retain(|issuer| issuer.allows_type(Some(CLAIM169_CREDENTIAL_TYPE)));
    Ok(issuers)
}

fn judge(code: &Claim169Code, trusted: &[crate::verifier::TrustedIssuer]) -> CardIssuer {
    match signing_issuer(code, trusted) {
        Ok(issuer) if issuer.allows_country(code.identity.country_of_issuance.as_deref()) => {
            CardIssuer::Trusted {
                name: issuer
                    .name
                    .clone()
                    .unwrap_or_else(|| issuer.key.fingerprint()),
            }
        }
        _ => CardIssuer::Unverified {
            claimed: code.cwt.issuer.clone(),
        },
    }
}

fn summarise(
    id: RecordId,
    code: &Claim169Code,
    kept_at: i64,
    now: i64,
    trusted: &[crate::verifier::TrustedIssuer],
) -> CardSummary {
    let identity = &code.identity;
    CardSummary {
        id,
        full_name: identity.full_name.clone(),
        id_number: identity.id.clone(),
        country: identity.country_of_issuance.clone(),
        issuer: judge(code, trusted),
        issued_at: code.cwt.issued_at,
        expires_at: code.cwt.expires_at,
        outside_validity: code.check_time(now).is_err(),
        has_face: identity.face_image().is_some(),
        kept_at,
    }
}

/// The kept cards, oldest first.
pub fn list(store: &WalletStore, now: i64) -> CardResult<Vec<CardSummary>> {
    let trusted = trusted_issuers(store, now)?;
    let page = store.find(CARD_KIND, &[], MAX_CARDS as u32, None)?;
    let mut out = Vec::with_capacity(page.records.len());
    for record in page.records {
        let card: StoredCard =
            serde_json::from_slice(&record.body).map_err(|_| CardError::Damaged)?;
        let code = readable(&card.qr_text).map_err(|_| CardError::Damaged)?;
        out.push(summarise(record.id, &code, card.kept_at, now, &trusted));
    }
    out.sort_by_key(|card| card.kept_at);
    Ok(out)
}

/// One kept card with its labelled fields (`lang`: en, fr or ar) and its face image.
pub fn show(store: &WalletStore, id: RecordId, lang: &str, now: i64) -> CardResult<CardDetail> {
    let card = load(store, id)?;
    let code = readable(&card.qr_text).map_err(|_| CardError::Damaged)?;
    let trusted = trusted_issuers(store, now)?;
    Ok(CardDetail {
        summary: summarise(id, &code, card.kept_at, now, &trusted),
        claims: labelled_claims(&code, lang),
        face: code
            .identity
            .face_image()
            .map(|face| (face.bytes.to_vec(), face.format().map(format_name))),
    })
}

/// The card's own QR text, to show a verifier as it is (every field on the card, no
/// selective disclosure); records in the disclosure history that the whole card was shown.
pub fn show_code(store: &mut WalletStore, id: RecordId, now: i64) -> CardResult<String> {
    let card = load(store, id)?;
    let code = readable(&card.qr_text).map_err(|_| CardError::Damaged)?;
    let shown: Vec<String> = labelled_claims(&code, "en")
        .into_iter()
        .map(|claim| claim.path)
        .collect();
    credentials::record_shown(store, id, &shown, SHOWN_CARD_AUDIENCE, now).map_err(
        |err| match err {
            super::CredentialError::Store(err) => CardError::Store(err),
            _ => CardError::Damaged,
        },
    )?;
    Ok(card.qr_text)
}

fn format_name(format: ImageFormat) -> &'static str {
    match format {
        ImageFormat::Png => "png",
        ImageFormat::Jpeg => "jpeg",
        ImageFormat::Jpeg2000 => "jpeg2000",
        ImageFormat::Avif => "avif",
        ImageFormat::WebP => "webp",
        ImageFormat::Tiff => "tiff",
        ImageFormat::Wsq => "wsq",
    }
}

/// Removes a kept card.
pub fn delete(store: &mut WalletStore, id: RecordId) -> CardResult<()> {
    load(store, id)?;
    store.delete(id)?;
    Ok(())
}
