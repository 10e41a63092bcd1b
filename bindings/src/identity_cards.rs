//! Identity cards the person already carries (MOSIP Claim 169 codes printed on national ID
//! cards), kept in the wallet beside its credentials, and read by the field verifier. Thin
//! wrappers over `wallet_core::wallet::claim169_cards` and
//! `wallet_core::verifier::field_verifier::verify_claim169` (ADR 0022).
//!
//! A card's code has no holder binding and no selective disclosure: showing it shows every
//! field on the card, and whoever has the card or a photo of it can show it. Apps say both
//! plainly before showing one.

use wallet_core::claim169;
use wallet_core::store::RecordId;
use wallet_core::verifier::field_verifier::{self, VerifyOptions};
use wallet_core::wallet::claim169_cards::{self as core, CardIssuer, CardSummary};

use crate::field_verifier::FieldVerifier;
use crate::identity_card_error::IdentityCardError;
use crate::qr::{QrFrame, frame_of};
use crate::verifier::{DisclosedClaim, Verdict};
use crate::verifier_error::VerifierError;
use crate::wallet::Wallet;

/// Who issued a kept card, as far as the wallet's trust list tells.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum IdentityCardIssuer {
    /// An issuer on the wallet's trust list (for Claim 169 codes, and the card's country)
    /// signed it: its name from the list.
    Trusted {
        /// The trusted entry's name.
        name: String,
    },
    /// No issuer on the list signed it: show "unverified issuer", and the claimed issuer only
    /// as the card's own word.
    Unverified {
        /// The issuer the code names itself (`iss`), not checked.
        claimed_issuer: Option<String>,
    },
}

/// A kept identity card, for lists.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct IdentityCard {
    /// Its id in the wallet.
    pub id: String,
    /// The full name on the card, if any.
    pub full_name: Option<String>,
    /// The card's ID number, if any.
    pub id_number: Option<String>,
    /// The country of issuance as written on the card, if any.
    pub country: Option<String>,
    /// Who issued it, as far as the trust list tells.
    pub issuer: IdentityCardIssuer,
    /// When it was issued, Unix seconds.
    pub issued_at: Option<i64>,
    /// When it expires, Unix seconds.
    pub expires_at: Option<i64>,
    /// Whether it is expired (or not valid yet) by the wallet's clock: verifiers refuse it.
    pub outside_validity: bool,
    /// Whether it carries a face image.
    pub has_face: bool,
    /// When it was put in the wallet, Unix seconds.
    pub kept_at: i64,
}

impl From<CardSummary> for IdentityCard {
    fn from(card: CardSummary) -> Self {
        IdentityCard {
            id: card.id.to_string(),
            full_name: card.full_name,
            id_number: card.id_number,
            country: card.country,
            issuer: match card.issuer {
                CardIssuer::Trusted { name } => IdentityCardIssuer::Trusted { name },
                CardIssuer::Unverified { claimed } => IdentityCardIssuer::Unverified {
                    claimed_issuer: claimed,
                },
            },
            issued_at: card.issued_at,
            expires_at: card.expires_at,
            outside_validity: card.outside_validity,
            has_face: card.has_face,
            kept_at: card.kept_at,
        }
    }
}

/// A card's face image, as the code carries it.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
pub struct CardFace {
    /// The image file (decode it with the platform's image API).
    pub bytes: Vec<u8>,
    /// Its format, when known: `jpeg`, `jpeg2000`, `avif`, `webp`, `png`, `tiff`, `wsq`.
    pub format: Option<String>,
}

impl std::fmt::Debug for CardFace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CardFace")
            .field("bytes", &self.bytes.len())
            .field("format", &self.format)
            .finish()
    }
}

/// A kept card with its fields, for its own screen.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct IdentityCardDetail {
    /// What the list shows.
    pub card: IdentityCard,
    /// Every field on the card, labelled in the asked language (values as JSON text).
    pub fields: Vec<DisclosedClaim>,
    /// The face image, if any.
    pub face: Option<CardFace>,
}

fn card_id(id: &str) -> Result<RecordId, IdentityCardError> {
    RecordId::parse(id).map_err(|_| IdentityCardError::NotFound)
}

/// Whether `text` (a scanned code's text) looks like an identity card's Claim 169 code, so a
/// scanner that saw a code that is not a Laissez message (`ScanUpdate.NotLaissez`) can hand it
/// to `Wallet.importIdentityCard` or `FieldVerifier.verifyClaim169`.
#[uniffi::export]
pub fn is_identity_card_code(text: String) -> bool {
    claim169::looks_like_code(&text)
}

/// Identity cards kept in the holder's wallet. Every method needs the wallet unlocked.
#[uniffi::export]
impl Wallet {
    /// Keeps the identity card whose code was scanned (`qr_text`, from a printed card or a
    /// photo of it), encrypted. Errors: `Unreadable`, `Unsigned`, `Encrypted`, `AlreadyKept`.
    pub async fn import_identity_card(
        &self,
        qr_text: String,
    ) -> Result<IdentityCard, IdentityCardError> {
        let now = self.now();
        self.with_store(move |s| Ok(core::import(s, &qr_text, now)?.into()))
            .await
    }

    /// The kept identity cards, oldest first.
    pub async fn identity_cards(&self) -> Result<Vec<IdentityCard>, IdentityCardError> {
        let now = self.now();
        self.with_store(move |s| Ok(core::list(s, now)?.into_iter().map(Into::into).collect()))
            .await
    }

    /// One kept card with its fields labelled in `lang` (en, fr, ar) and its face image.
    pub async fn identity_card(
        &self,
        id: String,
        lang: String,
    ) -> Result<IdentityCardDetail, IdentityCardError> {
        let now = self.now();
        let id = card_id(&id)?;
        self.with_store(move |s| {
            let detail = core::show(s, id, &lang, now)?;
            Ok(IdentityCardDetail {
                card: detail.summary.into(),
                fields: detail.claims.into_iter().map(Into::into).collect(),
                face: detail.face.map(|(bytes, format)| CardFace {
                    bytes,
                    format: format.map(str::to_owned),
                }),
            })
        })
        .await
    }

    /// The card's own code, to show a verifier as it is: every field on the card, no
    /// selective disclosure (say so before showing it). Records in the disclosure history
    /// that the whole card was shown. `png_scale`: also a PNG at that many pixels a module.
    #[uniffi::method(default(png_scale = None))]
    pub async fn show_identity_card_code(
        &self,
        id: String,
        png_scale: Option<u32>,
    ) -> Result<QrFrame, IdentityCardError> {
        let now = self.now();
        let id = card_id(&id)?;
        let text = self
            .with_store(move |s| Ok::<_, IdentityCardError>(core::show_code(s, id, now)?))
            .await?;
        Ok(frame_of(text, png_scale)?)
    }

    /// Removes a kept card.
    pub async fn delete_identity_card(&self, id: String) -> Result<(), IdentityCardError> {
        let id = card_id(&id)?;
        self.with_store(move |s| Ok(core::delete(s, id)?)).await
    }
}

/// The field verifier's reading of identity cards.
#[uniffi::export]
impl FieldVerifier {
    /// Verifies an identity card's code (`qr_text`, see `isIdentityCardCode`) against the
    /// installed trust list's issuers for Claim 169 codes and their countries, logs it, and
    /// returns its verdict: format `Claim169`, claims labelled in `lang`, the face as the
    /// portrait, and `possessionNotProven` (compare the photo with the person). An unsigned
    /// code, a key not on the list, an expired code: a verdict with reasons and no claims.
    ///
    /// Errors: `UnexpectedMessage` (not an identity card's code), `NoTrustList`,
    /// `TrustListExpired`, `Tampered`, `Locked`, `Storage`.
    pub async fn verify_claim169(
        &self,
        qr_text: String,
        lang: String,
    ) -> Result<Verdict, VerifierError> {
        if !claim169::looks_like_code(&qr_text) {
            return Err(VerifierError::UnexpectedMessage {
                kind: "not an identity card code".into(),
            });
        }
        let now = self.wallet.now();
        self.wallet
            .with_store(move |s| {
                let options = VerifyOptions::new(now, &lang);
                Ok(field_verifier::verify_claim169(s, &qr_text, &options)?.into())
            })
            .await
    }
}
