//! The field verifier's trust: the signed trust list (from a file or a QR code, pinned to its
//! signer at the first import) and cached IETF Token Status Lists (JWT or CWT, imported while
//! online, used offline). Thin wrappers over `wallet_core::verifier::{trust_store,
//! status_cache}`.

use serde_json::Value;
use wallet_core::crypto::ecdsa::VerifyingKey;
use wallet_core::jose::P256Jwk;
use wallet_core::verifier::field_verifier::current_trust_list;
use wallet_core::verifier::status_cache;
use wallet_core::verifier::trust_list::TrustList;
use wallet_core::verifier::trust_store::{self, InstalledTrustList, TrustStoreError};

use crate::field_verifier::FieldVerifier;
use crate::qr::{QrMessage, QrMessageKind};
use crate::verifier_error::VerifierError;

/// One issuer the installed trust list accepts.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct TrustedIssuerEntry {
    /// The name shown in verdicts.
    pub name: String,
    /// Fingerprint of its key: an issuer's own (as in `Verdict.issuerFingerprint`), or for an
    /// authority its root's (verdicts then show the signer's key).
    pub key_fingerprint: String,
    /// Whether it is trusted as a certificate (else as a bare key).
    pub has_certificate: bool,
    /// Trusted from, Unix seconds.
    pub valid_from: i64,
    /// Trusted until (exclusive), Unix seconds.
    pub valid_until: i64,
    /// The credential types it is trusted for; empty for any.
    pub credential_types: Vec<String>,
    /// The issuing countries (ISO 3166-1 alpha-2) it may vouch for in mdocs; empty for any.
    pub countries: Vec<String>,
    /// Whether its certificate is a CA certificate: a root such as an IACA, or an
    /// intermediate, vouching for every document signer it certified (self-signed issuer
    /// certificates of older Laissez issuers are CA certificates too).
    pub is_authority: bool,
    /// How many of its document signers' certificates the list carries (answers then leave
    /// them out).
    pub known_signers: u32,
}

/// One registrar of verifiers the installed trust list names (ADR 0021): a holder's wallet
/// shows a verifier as verified only when one of these certified it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct TrustedRegistrarEntry {
    /// Its identifier, as its certificates name their issuer.
    pub id: String,
    /// The name shown as who vouches for a verifier.
    pub name: String,
    /// Its country (ISO 3166-1 alpha-2).
    pub country: String,
    /// Fingerprint of the key its certificates are signed with.
    pub key_fingerprint: String,
    /// Trusted from, Unix seconds.
    pub valid_from: i64,
    /// Trusted until (exclusive), Unix seconds.
    pub valid_until: i64,
}

/// The installed trust list.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct TrustListSummary {
    /// Its sequence: grows with every list; an older one is never accepted again.
    pub sequence: u64,
    /// When it was made, Unix seconds.
    pub issued_at: i64,
    /// When it stops vouching for anyone, Unix seconds.
    pub expires_at: i64,
    /// Whether it is usable now (by the verifier wallet's clock).
    pub current: bool,
    /// Fingerprint of the pinned signer's key.
    pub signer_fingerprint: String,
    /// The accepted issuers.
    pub issuers: Vec<TrustedIssuerEntry>,
    /// The registrars of verifiers it names (for holders' wallets; empty in most verifiers'
    /// lists).
    pub registrars: Vec<TrustedRegistrarEntry>,
}

/// What a trust list import did.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct TrustListImport {
    /// The list now installed.
    pub list: TrustListSummary,
    /// The sequence of the list it replaced (the same sequence for a re-import of the same
    /// list); absent for the first import.
    pub replaced_sequence: Option<u64>,
}

/// What a status list import did.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct StatusListImport {
    /// The list's URI (what credentials name in their status reference).
    pub uri: String,
    /// How many entries it holds.
    pub entries: u64,
    /// When the issuer made it, Unix seconds.
    pub issued_at: i64,
    /// The trusted issuer that signed it (it speaks for that issuer's credentials only).
    pub issuer_name: Option<String>,
    /// Whether it replaced a cached copy of the same list.
    pub replaced: bool,
}

pub(crate) fn summary(list: &TrustList, signer: &VerifyingKey, now: i64) -> TrustListSummary {
    TrustListSummary {
        sequence: list.sequence,
        issued_at: list.issued_at,
        expires_at: list.expires_at,
        current: list.is_current_at(now),
        signer_fingerprint: signer.fingerprint(),
        issuers: list
            .entries
            .iter()
            .map(|entry| TrustedIssuerEntry {
                name: entry.name.clone(),
                key_fingerprint: entry.key.fingerprint(),
                has_certificate: entry.certificate.is_some(),
                valid_from: entry.valid_from,
                valid_until: entry.valid_until,
                credential_types: entry.credential_types.clone(),
                countries: entry.countries.clone(),
                is_authority: entry
                    .certificate
                    .as_deref()
                    .and_then(|der| wallet_core::x509::Certificate::from_der(der).ok())
                    .is_some_and(|c| c.is_ca()),
                known_signers: u32::try_from(entry.signer_certificates.len()).unwrap_or(u32::MAX),
            })
            .collect(),
        registrars: list
            .registrars
            .iter()
            .map(|registrar| TrustedRegistrarEntry {
                id: registrar.id.clone(),
                name: registrar.name.clone(),
                country: registrar.country.clone(),
                key_fingerprint: registrar.key.fingerprint(),
                valid_from: registrar.valid_from,
                valid_until: registrar.valid_until,
            })
            .collect(),
    }
}

/// A trust-list signer's key given as a P-256 JWK (JSON text), or why it is not one. The
/// field verifier and the holder's issuer trust list both pin a signer this way.
pub(crate) fn parse_signer_jwk(jwk: Option<&str>) -> Result<Option<VerifyingKey>, &'static str> {
    jwk.map(|text| {
        let value: Value = serde_json::from_str(text).map_err(|_| "the signer key is not JSON")?;
        P256Jwk::from_json(&value)
            .map(P256Jwk::into_verifying_key)
            .map_err(|_| "the signer key is not a public P-256 JWK")
    })
    .transpose()
}

fn signer_key(jwk: Option<&str>) -> Result<Option<VerifyingKey>, VerifierError> {
    parse_signer_jwk(jwk).map_err(|reason| VerifierError::InvalidSignerKey {
        reason: reason.into(),
    })
}

/// The payload of a trust-list QR message: the signed list's text, UTF-8.
fn trust_list_text(message: &QrMessage) -> Result<String, VerifierError> {
    match trust_store::text_of(&message.to_envelope()) {
        Ok(text) => Ok(text.to_owned()),
        Err(TrustStoreError::NotATrustList) => Err(VerifierError::UnexpectedMessage {
            kind: message.kind.name().into(),
        }),
        Err(other) => Err(other.into()),
    }
}

/// A signed trust list as a QR message (kind `TrustList`, payload the signed text in UTF-8),
/// to show with `qrFrames` so verifiers import it with `importTrustListMessage`.
#[uniffi::export]
pub fn trust_list_message(signed_text: String) -> QrMessage {
    QrMessage {
        kind: QrMessageKind::TrustList,
        payload: trust_store::to_message(&signed_text).payload,
    }
}

/// The verifier's trust list and status lists.
#[uniffi::export]
impl FieldVerifier {
    /// Imports a signed trust list (the compact JWS text a trust-list signer publishes).
    ///
    /// The first import pins the signer: give its public key as a P-256 JWK in `signer_jwk`.
    /// Later imports are checked against the pinned key (`signer_jwk` may be left out; a
    /// different key gives `SignerChanged`) and must not be older than the installed list.
    ///
    /// Errors: `NoPinnedSigner`, `SignerChanged`, `InvalidSignerKey`, `TrustListRejected`
    /// (`bad_signature`, `expired`, `rollback`, `malformed`…).
    #[uniffi::method(default(signer_jwk = None))]
    pub async fn import_trust_list(
        &self,
        signed_text: String,
        signer_jwk: Option<String>,
    ) -> Result<TrustListImport, VerifierError> {
        let signer = signer_key(signer_jwk.as_deref())?;
        let now = self.wallet.now();
        self.wallet
            .with_store(move |s| {
                let installation = trust_store::install(s, &signed_text, signer.as_ref(), now)?;
                let InstalledTrustList { signer, .. } =
                    trust_store::installed(s)?.ok_or(VerifierError::NoTrustList)?;
                Ok(TrustListImport {
                    list: summary(&installation.list, &signer, now),
                    replaced_sequence: installation.replaced,
                })
            })
            .await
    }

    /// Imports a trust list scanned as a QR message (kind `TrustList`), as
    /// `importTrustList`. Another kind of message gives `UnexpectedMessage`.
    #[uniffi::method(default(signer_jwk = None))]
    pub async fn import_trust_list_message(
        &self,
        message: QrMessage,
        signer_jwk: Option<String>,
    ) -> Result<TrustListImport, VerifierError> {
        let text = trust_list_text(&message)?;
        self.import_trust_list(text, signer_jwk).await
    }

    /// The installed trust list, if any (an expired one too: see `current`).
    pub async fn trust_list(&self) -> Result<Option<TrustListSummary>, VerifierError> {
        let now = self.wallet.now();
        self.wallet
            .with_store(move |s| {
                Ok(trust_store::installed(s)?
                    .map(|installed| summary(&installed.list, &installed.signer, now)))
            })
            .await
    }

    /// Caches a Status List Token (JWT text as UTF-8 bytes, or CWT bytes) fetched while
    /// online. It must be signed by an issuer of the installed trust list, and it then speaks
    /// for that issuer's credentials only; an older copy of a cached list is refused.
    ///
    /// Errors: `NoTrustList`, `TrustListExpired`, `StatusListRejected` (`unknown_signer`,
    /// `older`, `expired`, `malformed`…).
    pub async fn import_status_list(
        &self,
        token: Vec<u8>,
    ) -> Result<StatusListImport, VerifierError> {
        let now = self.wallet.now();
        self.wallet
            .with_store(move |s| {
                let trusted = current_trust_list(s, now)?.issuers_at(now, None);
                let import = status_cache::import(s, &token, &trusted, now)?;
                Ok(StatusListImport {
                    uri: import.uri,
                    entries: import.entries,
                    issued_at: import.issued_at,
                    issuer_name: import.issuer_name,
                    replaced: import.replaced,
                })
            })
            .await
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use wallet_core::qr::MessageKind;

    #[test]
    fn trust_list_messages_round_trip_their_text() {
        let message = trust_list_message(" a.b.c\n".into());
        assert_eq!(message.kind.to_core(), MessageKind::TrustList);
        assert_eq!(trust_list_text(&message).unwrap(), "a.b.c");
        let other = QrMessage {
            kind: QrMessageKind::Backup,
            payload: vec![],
        };
        assert!(matches!(
            trust_list_text(&other),
            Err(VerifierError::UnexpectedMessage { .. })
        ));
        let not_text = QrMessage {
            kind: QrMessageKind::TrustList,
            payload: vec![0xff],
        };
        assert!(matches!(
            trust_list_text(&not_text),
            Err(VerifierError::TrustListRejected { .. })
        ));
    }
}
