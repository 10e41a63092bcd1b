//! Offline issuance over QR codes (ADR 0016) on a [`Wallet`]: the holder's issuer trust list,
//! reading an offer, accepting it (the proof code) and receiving the batch; the copies
//! setting (ADR 0017); and, with feature `test-issuer`, the desk's side on [`TestIssuer`].
//! Thin wrappers over `wallet_core::issuance` and `wallet_core::wallet::settings`.

use wallet_core::crypto::ecdsa::VerifyingKey;
use wallet_core::issuance::{self as core, OfferTrust as CoreTrust};
use wallet_core::qr::Envelope;
use wallet_core::verifier::trust_store;
use wallet_core::wallet::settings;

use crate::credential_error::CredentialError;
use crate::credentials::{CredentialFormat, CredentialSummary};
use crate::issuance_error::IssuanceError;
use crate::qr::{FrameOptions, QrFrame, QrMessage, QrMessageKind, display_frames};
use crate::trust::{TrustListImport, TrustListSummary, parse_signer_jwk, summary};
use crate::wallet::Wallet;

/// Whether the holder's wallet trusts an offer's issuer (by its installed issuer trust list).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum OfferTrust {
    /// A trusted issuer that may issue the offered type: show `name`.
    Trusted {
        /// The name from the trust list.
        name: String,
    },
    /// A trusted issuer that may not issue the offered type: show it as not trusted.
    NotAllowedForType {
        /// The trusted issuer's name.
        name: String,
    },
    /// Not among the wallet's trusted issuers (or no trust list installed): show "unknown
    /// issuer", never a name as if it were vouched for.
    Unknown,
}

impl From<CoreTrust> for OfferTrust {
    fn from(trust: CoreTrust) -> Self {
        match trust {
            CoreTrust::Trusted { name } => Self::Trusted { name },
            CoreTrust::NotAllowedForType { name } => Self::NotAllowedForType { name },
            CoreTrust::Unknown => Self::Unknown,
        }
    }
}

/// An offer as the holder reads it, before agreeing to it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct OfferView {
    /// Whether the issuer is trusted, and its name when it is.
    pub trust: OfferTrust,
    /// The name the issuer's certificate claims for itself. UNVERIFIED unless `trust` is
    /// `Trusted`: never show it as the issuer's name otherwise (anyone can claim any name).
    pub unverified_claimed_name: String,
    /// The offered credential's format.
    pub format: CredentialFormat,
    /// The offered credential's type (vct or docType).
    pub credential_type: String,
    /// How many one-time copies will be issued.
    pub batch_size: u32,
    /// When the desk made the offer, Unix seconds.
    pub issued_at: i64,
    /// When the offer stops being answerable, Unix seconds.
    pub expires_at: i64,
}

impl From<core::OfferView> for OfferView {
    fn from(view: core::OfferView) -> Self {
        let (format, credential_type) = view
            .offer
            .credentials
            .first()
            .map(|c| (c.format.into(), c.credential_type.clone()))
            // `read_offer` refuses an offer without a credential; never reached.
            .unwrap_or((CredentialFormat::SdJwt, String::new()));
        OfferView {
            trust: view.trust.into(),
            unverified_claimed_name: view.claimed_name,
            format,
            credential_type,
            batch_size: view.offer.batch_size,
            issued_at: view.offer.issued_at,
            expires_at: view.offer.expires_at,
        }
    }
}

/// A P-256 JWK (JSON text) as a key, for the first trust-list import.
fn signer_key(jwk: Option<&str>) -> Result<Option<VerifyingKey>, IssuanceError> {
    parse_signer_jwk(jwk).map_err(|reason| IssuanceError::InvalidSignerKey {
        reason: reason.into(),
    })
}

/// The envelope of `message` when it is of `kind`, else `WrongMessage`.
fn expect(message: &QrMessage, kind: QrMessageKind, what: &str) -> Result<Envelope, IssuanceError> {
    if message.kind == kind {
        Ok(message.to_envelope())
    } else {
        Err(IssuanceError::WrongMessage {
            expected: what.into(),
        })
    }
}

/// Offline issuance and the copies setting, on the holder's wallet.
#[uniffi::export]
impl Wallet {
    /// Installs a signed issuer trust list (compact JWS text, as a trust-list signer
    /// publishes it) in this wallet: the issuers whose offers `readOffer` shows as trusted.
    /// The first import pins the signer (give its public P-256 JWK in `signer_jwk`); later
    /// lists must be signed by the same key and never be older than the installed one.
    ///
    /// Errors: `NoPinnedSigner`, `SignerChanged`, `InvalidSignerKey`, `TrustListRejected`.
    #[uniffi::method(default(signer_jwk = None))]
    pub async fn import_issuer_trust_list(
        &self,
        signed_text: String,
        signer_jwk: Option<String>,
    ) -> Result<TrustListImport, IssuanceError> {
        let signer = signer_key(signer_jwk.as_deref())?;
        let now = self.now();
        self.with_store(move |s| {
            let installation =
                core::install_issuer_trust_list(s, &signed_text, signer.as_ref(), now)?;
            let installed = trust_store::installed(s)?.ok_or(IssuanceError::Internal {
                reason: "the installed trust list is gone".into(),
            })?;
            Ok(TrustListImport {
                list: summary(&installation.list, &installed.signer, now),
                replaced_sequence: installation.replaced,
            })
        })
        .await
    }

    /// Installs an issuer trust list scanned as a QR message (kind `TrustList`, as
    /// `trustListMessage` makes and a coordinator's phone shows it), as
    /// `importIssuerTrustList`. Another kind of message gives `WrongMessage`.
    #[uniffi::method(default(signer_jwk = None))]
    pub async fn import_issuer_trust_list_message(
        &self,
        message: QrMessage,
        signer_jwk: Option<String>,
    ) -> Result<TrustListImport, IssuanceError> {
        let text = trust_store::text_of(&message.to_envelope())?.to_owned();
        self.import_issuer_trust_list(text, signer_jwk).await
    }

    /// The holder's installed issuer trust list (the issuers whose offers and credentials are
    /// shown as trusted, and the registrars whose verifiers are shown as verified), if any.
    pub async fn issuer_trust_list(&self) -> Result<Option<TrustListSummary>, IssuanceError> {
        let now = self.now();
        self.with_store(move |s| {
            Ok(trust_store::installed(s)?
                .map(|installed| summary(&installed.list, &installed.signer, now)))
        })
        .await
    }

    /// Reads a scanned offer (kind `IssuanceOffer`) against the installed issuer trust list:
    /// what is offered, and whether its issuer is trusted (no list installed: `Unknown`).
    /// Changes nothing. Errors: `WrongMessage`, `OfferExpired`, `BadOfferSignature`,
    /// `IssuerCertificate`, `Malformed`…
    pub async fn read_offer(&self, message: QrMessage) -> Result<OfferView, IssuanceError> {
        let envelope = expect(&message, QrMessageKind::IssuanceOffer, "an issuance offer")?;
        let now = self.now();
        self.with_store(move |s| Ok(core::read_offer_trusted(s, &envelope, now)?.into()))
            .await
    }

    /// Accepts the offer after the person agreed (for an `Unknown` issuer, after an extra
    /// confirmation): makes one new holder key per copy, keeps the acceptance pending in the
    /// wallet, and returns the proof as the QR code(s) to show the desk. Errors as
    /// `readOffer`, plus the frame options' and the store's.
    #[uniffi::method(default(frame_options = None))]
    pub async fn accept_offer(
        &self,
        message: QrMessage,
        frame_options: Option<FrameOptions>,
    ) -> Result<Vec<QrFrame>, IssuanceError> {
        let envelope = expect(&message, QrMessageKind::IssuanceOffer, "an issuance offer")?;
        let now = self.now();
        self.with_store(move |s| {
            let view = core::read_offer_trusted(s, &envelope, now)?;
            let proof = core::accept_offer(s, &view, now)?;
            Ok(display_frames(&proof, frame_options)?)
        })
        .await
    }

    /// Receives the batch (kind `IssuedBatch`) answering an offer this wallet accepted:
    /// decrypts it, checks every copy and imports them all as one credential, or none. On
    /// any error the wallet is as it was. Errors: `NoPendingOffer`, `Undecryptable`,
    /// `CopyForUnknownKey`, `MissingCopies`, `NotTheOfferedCredential`,
    /// `CredentialRefused`…
    pub async fn receive_issuance(
        &self,
        message: QrMessage,
    ) -> Result<CredentialSummary, IssuanceError> {
        let envelope = expect(&message, QrMessageKind::IssuedBatch, "an issued batch")?;
        let now = self.now();
        self.with_store(move |s| Ok(core::receive(s, &envelope, now)?.into()))
            .await
    }

    /// Whether the copy presented last is presented again once every copy of a credential
    /// has been presented (such presentations can be linked). Off by default: presenting
    /// then fails with `NoCopiesLeft`.
    pub async fn reuse_last_copy(&self) -> Result<bool, CredentialError> {
        self.with_store(|s| Ok(settings::load(s)?.reuse_last_copy))
            .await
    }

    /// Turns the reuse of the last copy on or off (see `reuseLastCopy`).
    pub async fn set_reuse_last_copy(&self, enabled: bool) -> Result<(), CredentialError> {
        self.with_store(move |s| {
            let mut current = settings::load(s)?;
            current.reuse_last_copy = enabled;
            Ok(settings::save(s, &current)?)
        })
        .await
    }
}

#[cfg(feature = "test-issuer")]
mod desk {
    use serde_json::{Map, Value};
    use wallet_core::credential::CredentialFormat as CoreFormat;
    use wallet_core::issuance::OfferedCredential;
    use wallet_core::issuance::desk::{DeliveryRequest, OfferRequest, deliver, make_offer};

    use super::expect;
    use crate::credentials::CredentialFormat;
    use crate::issuance_error::IssuanceError;
    use crate::qr::{QrMessage, QrMessageKind};
    use crate::test_issuer::TestIssuer;

    /// The desk of offline issuance: offers and deliveries of this test issuer, with its
    /// offer ledger kept in memory.
    #[uniffi::export]
    impl TestIssuer {
        /// Makes a signed offer of `batch_size` copies (1 to 16) of a credential of
        /// `credential_type` in `format`, answerable for `valid_minutes` (1 to 1440). Show it as
        /// one QR code (`qrFrames`) for the holder's `Wallet.readOffer`.
        pub fn offer(
            &self,
            format: CredentialFormat,
            credential_type: String,
            batch_size: u32,
            valid_minutes: u32,
        ) -> Result<QrMessage, IssuanceError> {
            let request = OfferRequest {
                credential: OfferedCredential {
                    format: match format {
                        CredentialFormat::SdJwt => CoreFormat::SdJwt,
                        CredentialFormat::Mdoc => CoreFormat::Mdoc,
                        CredentialFormat::Claim169 => {
                            return Err(IssuanceError::InvalidInput {
                                reason: "identity card codes (Claim 169) are not issued here"
                                    .into(),
                            });
                        }
                    },
                    credential_type,
                },
                batch_size,
                valid_minutes,
            };
            let now = self.clock_now();
            let message = self.with_ledger(|ledger| {
                make_offer(self.identity(), ledger, &request, now).map_err(IssuanceError::from)
            })?;
            Ok(QrMessage {
                kind: QrMessageKind::IssuanceOffer,
                payload: message.payload,
            })
        }

        /// Answers a holder's proof (kind `IssuanceProof`) to one of this desk's offers: one
        /// copy per proved key, with `claims_json` (a JSON object, as `issueSdJwt` /
        /// `issueMdoc`), valid `valid_days`, with the person's portrait (a small JPEG) signed
        /// in when given. Returns the batch sealed to the holder: show it with `qrFrames`
        /// (animated). A proof is answered once (`OfferAlreadyUsed`).
        #[uniffi::method(default(portrait_jpeg = None))]
        pub fn deliver(
            &self,
            proof: QrMessage,
            claims_json: String,
            valid_days: u32,
            portrait_jpeg: Option<Vec<u8>>,
        ) -> Result<QrMessage, IssuanceError> {
            let envelope = expect(&proof, QrMessageKind::IssuanceProof, "an issuance proof")?;
            let claims: Map<String, Value> =
                serde_json::from_str(&claims_json).map_err(|_| IssuanceError::InvalidInput {
                    reason: "the claims are not a JSON object".into(),
                })?;
            let mut request = DeliveryRequest {
                claims: &claims,
                valid_days,
                status: None,
                portrait: portrait_jpeg,
            };
            let now = self.clock_now();
            let message = self.with_ledger(|ledger| {
                deliver(self.identity(), ledger, &envelope, &mut request, now)
                    .map_err(IssuanceError::from)
            })?;
            Ok(QrMessage {
                kind: QrMessageKind::IssuedBatch,
                payload: message.payload,
            })
        }
    }
}
