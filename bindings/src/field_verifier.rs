//! The field worker's verifier: a [`FieldVerifier`] on the verifier's own [`Wallet`] makes
//! requests to show as QR codes, verifies scanned responses and static presentations against
//! the installed trust list and cached status lists, and keeps an encrypted verification log.
//! Thin wrappers over `wallet_core::verifier::field_verifier`; trust and status lists are in
//! `trust.rs`.
//!
//! Why an object of its own rather than methods on `Wallet`: a verifier's store is an ordinary
//! wallet file (same PIN, recovery phrase and encryption), but its job is different and it
//! should be a different file from the person's own wallet. A separate object keeps the two
//! APIs apart in code completion and in the docs, while the wallet keeps the file, the PIN and
//! the lock: `FieldVerifier(wallet)` shares it (locking the wallet locks the verifier).

use std::sync::Arc;

use wallet_core::qr::MessageKind;
use wallet_core::verifier::field_verifier::{
    self as core, LogEntry, RetentionPolicy as CoreRetention, VerifyOptions,
};

use crate::exchange::RequestedCredential;
use crate::qr::{FrameOptions, QrFrame, QrMessage, display_frames_async};
use crate::verifier::{DisclosedClaim, Verdict};
use crate::verifier_error::VerifierError;
use crate::wallet::Wallet;

/// A request made by the verifier, to show to the holder.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct VerifierRequestCodes {
    /// The QR codes to show (one, or an animated sequence for a large request).
    pub frames: Vec<QrFrame>,
    /// When the request stops being answerable, Unix seconds (answers are still accepted for
    /// two minutes after, for slow scans).
    pub expires_at: i64,
    /// The reference (16 hex digits) of the registration certificate the request is signed
    /// with; null for an unsigned request (holders see an unverified verifier).
    pub certificate_reference: Option<String>,
}

/// One verification in the log: what was checked, when, and with what outcome, including
/// the disclosed claims (the log is encrypted like the wallet).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct VerificationLogEntry {
    /// When, Unix seconds.
    pub at: i64,
    /// `engaged` (an answer to a request) or `static` (a static presentation).
    pub flow: String,
    /// The verdict.
    pub valid: bool,
    /// The verdict's reason codes (`replay`, `revoked`, …); empty when valid.
    pub reason_codes: Vec<String>,
    /// docType or vct, when it could be read.
    pub credential_type: Option<String>,
    /// The issuer's name, when known.
    pub issuer_name: Option<String>,
    /// The disclosed claims (labels are not logged).
    pub claims: Vec<DisclosedClaim>,
    /// The reference (16 hex digits) of the registration certificate the answered request was
    /// signed with; null for static presentations and answers to unsigned requests.
    pub certificate_reference: Option<String>,
}

impl From<LogEntry> for VerificationLogEntry {
    fn from(e: LogEntry) -> Self {
        VerificationLogEntry {
            at: e.at,
            flow: e.flow,
            valid: e.valid,
            reason_codes: e.reasons,
            credential_type: e.credential_type,
            issuer_name: e.issuer,
            claims: e
                .claims
                .into_iter()
                .map(|(path, value)| DisclosedClaim {
                    path,
                    value_json: value.to_string(),
                    label: None,
                })
                .collect(),
            certificate_reference: e.certificate,
        }
    }
}

/// How long the verification log keeps entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct RetentionPolicy {
    /// Most entries kept (the oldest go first).
    pub max_entries: u64,
    /// Oldest entry kept, seconds.
    pub max_age_secs: i64,
}

impl From<CoreRetention> for RetentionPolicy {
    fn from(p: CoreRetention) -> Self {
        RetentionPolicy {
            max_entries: p.max_entries,
            max_age_secs: p.max_age_secs,
        }
    }
}

/// The core's default retention: 10,000 entries, 90 days.
#[uniffi::export]
pub fn default_retention_policy() -> RetentionPolicy {
    CoreRetention::default().into()
}

/// A field verifier working on its own wallet file (create it with `createWallet` like any
/// wallet, preferably not the person's own), which holds its pending requests, replay cache,
/// trust list, status lists and verification log, all encrypted.
///
/// Every method needs that wallet unlocked (else `VerifierError.Locked`) and takes the time
/// from its clock. Long work runs on the core's worker pool (`suspend` / `async`).
#[derive(uniffi::Object)]
pub struct FieldVerifier {
    pub(crate) wallet: Arc<Wallet>,
}

fn unexpected(message: &QrMessage) -> VerifierError {
    VerifierError::UnexpectedMessage {
        kind: message.kind.name().into(),
    }
}

#[uniffi::export]
impl FieldVerifier {
    /// A verifier on `wallet`, sharing its file, PIN and lock.
    #[uniffi::constructor]
    pub fn new(wallet: Arc<Wallet>) -> Arc<Self> {
        Arc::new(FieldVerifier { wallet })
    }

    /// Makes a request for `credentials`, with a fresh nonce and a one-time key (kept in the
    /// verifier's wallet to decrypt the answer), valid `ttl_secs` seconds (30 s to a day).
    ///
    /// With a registration certificate installed (`installCertificate`) the request is signed
    /// and carries the certificate, or only its reference when `certificate_by_reference`
    /// (shorter, for holders who answered this verifier before); holders then see the
    /// certificate's organisation, country and purposes. Without one it is unsigned, and
    /// holders see `verifier_name` and `purpose` (200 bytes at most) only as unchecked claims
    /// under an "unverified" warning. Returns the QR codes to show (`options`:
    /// `defaultFrameOptions()` when absent).
    ///
    /// Errors: `InvalidRequest`, `NoCertificate` (by reference without a certificate),
    /// `Locked`, `Storage`.
    #[uniffi::method(default(certificate_by_reference = false, options = None))]
    pub async fn create_request(
        &self,
        verifier_name: String,
        purpose: String,
        credentials: Vec<RequestedCredential>,
        ttl_secs: u32,
        certificate_by_reference: bool,
        options: Option<FrameOptions>,
    ) -> Result<VerifierRequestCodes, VerifierError> {
        let now = self.wallet.now();
        let requested = credentials.into_iter().map(Into::into).collect();
        let made = self
            .wallet
            .with_store(move |s| {
                Ok::<_, VerifierError>(core::create_request_as_registered(
                    s,
                    &verifier_name,
                    &purpose,
                    requested,
                    i64::from(ttl_secs),
                    now,
                    certificate_by_reference,
                )?)
            })
            .await?;
        let frames = display_frames_async::<VerifierError>(made.message, options).await?;
        Ok(VerifierRequestCodes {
            frames,
            expires_at: made.expires_at,
            certificate_reference: made.certificate_reference,
        })
    }

    /// Verifies a scanned answer (`EngagedResponse`, to a request this verifier made) or a
    /// `StaticPresentation`: decrypts it, checks every presentation against the installed
    /// trust list, the cached status lists and the replay cache, logs the outcome, and returns
    /// one verdict per presentation. Claim labels are in `lang` (BCP 47).
    ///
    /// `max_status_age_secs`: the oldest status data relied on (default 7 days); older data
    /// makes the status `Stale`, never revoked.
    ///
    /// A bad presentation (replayed, tampered, for another request, revoked…) is a verdict
    /// with reasons. Errors are for what prevents verifying at all: `UnexpectedMessage`,
    /// `NoTrustList`, `TrustListExpired`, `Tampered` (the verifier's own file was altered),
    /// `Locked`, `Storage`.
    #[uniffi::method(default(max_status_age_secs = None))]
    pub async fn verify(
        &self,
        message: QrMessage,
        lang: String,
        max_status_age_secs: Option<u64>,
    ) -> Result<Vec<Verdict>, VerifierError> {
        let envelope = message.to_envelope();
        if !matches!(
            envelope.kind,
            MessageKind::EngagedResponse | MessageKind::StaticPresentation
        ) {
            return Err(unexpected(&message));
        }
        let now = self.wallet.now();
        self.wallet
            .with_store(move |s| {
                let mut options = VerifyOptions::new(now, &lang);
                if let Some(max) = max_status_age_secs {
                    options.max_status_age_secs = max;
                }
                let verdicts = core::verify_message(s, &envelope, &options)?;
                Ok(verdicts.into_iter().map(Into::into).collect())
            })
            .await
    }

    /// Logs the text of a scanned code the scanner rejected (`ScanUpdate.Rejected`: it does not
    /// decompress or is not a well-formed message) as INVALID with reason `Tampered`, when what
    /// can still be read of it names one of this verifier's pending requests, and returns that
    /// verdict. Returns null for text that names none (it cannot be attributed, and is not
    /// logged). Call it for every rejected code while waiting for an answer, so the log shows
    /// tampering attempts.
    pub async fn log_unreadable_answer(
        &self,
        qr_text: String,
    ) -> Result<Option<Verdict>, VerifierError> {
        let now = self.wallet.now();
        self.wallet
            .with_store(move |s| Ok(core::log_unreadable_answer(s, &qr_text, now)?.map(Into::into)))
            .await
    }

    /// This verifier's identifier code (`XXXX-XXXX-XXXX-XXXX-XXXX`), to print on a poster or
    /// badge: holders who scan it bind their static presentations to this verifier only.
    /// Derived from the verifier wallet's words, so it stays the same after a restore.
    pub async fn verifier_id(&self) -> Result<String, VerifierError> {
        self.wallet
            .with_store(|s| Ok(core::verifier_id(s)?.code()))
            .await
    }

    /// The verification log, oldest first.
    pub async fn log_entries(&self) -> Result<Vec<VerificationLogEntry>, VerifierError> {
        self.wallet
            .with_store(|s| Ok(core::log_entries(s)?.into_iter().map(Into::into).collect()))
            .await
    }

    /// The verification log as JSON lines (one entry a line, oldest first), for export. It
    /// holds disclosed claim values: protect the exported file.
    pub async fn export_log(&self) -> Result<String, VerifierError> {
        self.wallet.with_store(|s| Ok(core::export_log(s)?)).await
    }

    /// Applies a retention policy to the log (`defaultRetentionPolicy()` when absent) and drops
    /// expired requests and old replay-cache entries. Returns how many records were removed.
    #[uniffi::method(default(policy = None))]
    pub async fn prune(&self, policy: Option<RetentionPolicy>) -> Result<u64, VerifierError> {
        let now = self.wallet.now();
        let policy = policy.map_or_else(CoreRetention::default, |p| CoreRetention {
            max_entries: p.max_entries,
            max_age_secs: p.max_age_secs,
        });
        self.wallet
            .with_store(move |s| Ok(core::prune(s, policy, now)?))
            .await
    }
}
