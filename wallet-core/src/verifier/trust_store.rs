//! The trust list installed in a field verifier's store, and the signer key it pins.
//!
//! The list is one record of kind [`TRUST_LIST_KIND`] whose body is the signed text, tagged
//! with its sequence, issue time and the signer's key. The first import pins that signer;
//! later lists (from a file or a QR code) must be signed by the same key and carry a
//! sequence at least as high, so an old list can never come back into use.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::security_state::{self, SecurityStateError};
use super::trust_list::{TrustList, TrustListError, check_newer};
use laissez_crypto::ecdsa::{HighS, VerifyingKey};
use laissez_qr::{Envelope, MessageKind};
use laissez_store::StoreError;
use laissez_store::{MAX_PAGE_SIZE, NewRecord, Record, Tag, WalletStore};

pub use super::record_kinds::TRUST_LIST_KIND;

/// Why a trust list could not be installed or read back.
#[derive(Debug, thiserror::Error)]
pub enum TrustStoreError {
    /// The verifier's store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The list was refused (signature, expiry, rollback...).
    #[error(transparent)]
    TrustList(#[from] TrustListError),
    /// No signer is pinned yet, and none was given.
    #[error("no trust-list signer is pinned yet: import the first list with the signer's key")]
    NoPinnedSigner,
    /// The list is signed by a key other than the pinned signer.
    #[error(
        "the list is signed for another signer than the pinned one ({pinned}); \
         a new signer needs a new verifier store"
    )]
    SignerChanged {
        /// Fingerprint of the pinned signer.
        pinned: String,
    },
    /// The stored list record is damaged.
    #[error("the stored trust list is damaged")]
    Damaged,
    /// A QR message that does not carry a trust list.
    #[error("this QR code does not carry a trust list")]
    NotATrustList,
    /// The verifier's file was changed behind its back (a list put back or removed).
    #[error(transparent)]
    Tampered(SecurityStateError),
}

impl From<SecurityStateError> for TrustStoreError {
    fn from(err: SecurityStateError) -> Self {
        match err {
            SecurityStateError::Store(err) => Self::Store(err),
            tampered @ SecurityStateError::Tampered { .. } => Self::Tampered(tampered),
        }
    }
}

/// The installed list and the signer it was verified with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstalledTrustList {
    /// The list.
    pub list: TrustList,
    /// The pinned signer.
    pub signer: VerifyingKey,
}

/// What an installation did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Installation {
    /// The list now installed.
    pub list: TrustList,
    /// The sequence of the list it replaced, if any.
    pub replaced: Option<u64>,
}

/// A signed list as a QR message: kind `TrustList`, payload the signed text (UTF-8), to show
/// as codes ([`laissez_qr::frames::encode_for_display`]) for verifiers to scan.
pub fn to_message(signed_text: &str) -> Envelope {
    Envelope {
        kind: MessageKind::TrustList,
        payload: signed_text.trim_ascii().as_bytes().to_vec(),
    }
}

/// The signed text a scanned `TrustList` message carries.
pub fn text_of(message: &Envelope) -> Result<&str, TrustStoreError> {
    if message.kind != MessageKind::TrustList {
        return Err(TrustStoreError::NotATrustList);
    }
    std::str::from_utf8(&message.payload).map_err(|_| {
        TrustStoreError::TrustList(TrustListError::Malformed(
            "the trust list is not UTF-8 text",
        ))
    })
}

/// Stored list records with their sequences and signers, lowest sequence first.
fn stored(records: Vec<Record>) -> Result<Vec<(u64, VerifyingKey, Record)>, TrustStoreError> {
    let mut lists = Vec::with_capacity(records.len());
    for record in records {
        let sequence = record.tag("sequence").and_then(|v| v.parse::<u64>().ok());
        let signer = record
            .tag("signer")
            .and_then(|text| URL_SAFE_NO_PAD.decode(text).ok())
            .and_then(|sec1| VerifyingKey::from_sec1(&sec1));
        let (Some(sequence), Some(signer)) = (sequence, signer) else {
            return Err(TrustStoreError::Damaged);
        };
        lists.push((sequence, signer, record));
    }
    lists.sort_by_key(|(sequence, _, _)| *sequence);
    Ok(lists)
}

fn stored_in(store: &WalletStore) -> Result<Vec<(u64, VerifyingKey, Record)>, TrustStoreError> {
    stored(
        store
            .find(TRUST_LIST_KIND, &[], MAX_PAGE_SIZE, None)?
            .records,
    )
}

/// The pinned signer, if a list was ever installed.
pub fn pinned_signer(store: &WalletStore) -> Result<Option<VerifyingKey>, TrustStoreError> {
    security_state::check(store)?;
    Ok(stored_in(store)?.pop().map(|(_, signer, _)| signer))
}

/// Verifies `text` with the pinned signer (or, for the first list, with `signer`), refuses a
/// rollback, and installs it in place of the stored list.
///
/// A `signer` that differs from the pinned one is refused: rotating the signer means a new
/// verifier store. The new list replaces the old one in one transaction, with the security
/// manifest ([`security_state`]).
pub fn install(
    store: &mut WalletStore,
    text: &str,
    signer: Option<&VerifyingKey>,
    now: i64,
) -> Result<Installation, TrustStoreError> {
    security_state::write(store, |writer| install_in(writer, text, signer, now))
}

fn install_in(
    writer: &mut security_state::ProtectedWriter<'_, '_>,
    text: &str,
    signer: Option<&VerifyingKey>,
    now: i64,
) -> Result<Installation, TrustStoreError> {
    let old = stored(writer.all(TRUST_LIST_KIND)?)?;
    let pinned = old.last().map(|(_, signer, _)| signer.clone());
    let key = match (&pinned, signer) {
        (Some(pinned), Some(given)) if pinned != given => {
            return Err(TrustStoreError::SignerChanged {
                pinned: pinned.fingerprint(),
            });
        }
        (Some(pinned), _) => pinned.clone(),
        (None, Some(given)) => given.clone(),
        (None, None) => return Err(TrustStoreError::NoPinnedSigner),
    };
    let list = TrustList::verify(text, &key, now)?;
    let installed = old.last().map(|(sequence, _, _)| *sequence);
    check_newer(installed, list.sequence)?;
    writer.put(&NewRecord {
        kind: TRUST_LIST_KIND.into(),
        tags: vec![
            Tag::new("sequence", list.sequence.to_string()),
            Tag::new("issued_at", list.issued_at.to_string()),
            Tag::new("signer", URL_SAFE_NO_PAD.encode(key.to_sec1())),
        ],
        body: text.trim_ascii().as_bytes().to_vec(),
    })?;
    for (_, _, record) in old {
        writer.delete(record.id)?;
    }
    Ok(Installation {
        list,
        replaced: installed,
    })
}

/// The installed list, re-verified with its pinned signer as of its own issue time (an
/// expired list is returned: callers see [`TrustList::is_current_at`] and report it).
pub fn installed(store: &WalletStore) -> Result<Option<InstalledTrustList>, TrustStoreError> {
    security_state::check(store)?;
    read_installed(store)
}

/// The issuers of the installed list at `now`, for any credential type; none when no list
/// is installed or it expired. (The holder's issuer trust: offers and its own credentials.)
pub fn installed_issuers(
    store: &WalletStore,
    now: i64,
) -> Result<Vec<crate::verifier::TrustedIssuer>, TrustStoreError> {
    Ok(installed(store)?
        .map(|installed| installed.list.issuers_at(now, None))
        .unwrap_or_default())
}

/// [`installed`] for a caller that has just checked the security manifest.
pub(crate) fn read_installed(
    store: &WalletStore,
) -> Result<Option<InstalledTrustList>, TrustStoreError> {
    let Some((_, signer, record)) = stored_in(store)?.pop() else {
        return Ok(None);
    };
    let issued_at = record
        .tag("issued_at")
        .and_then(|text| text.parse::<i64>().ok())
        .ok_or(TrustStoreError::Damaged)?;
    let text = std::str::from_utf8(&record.body).map_err(|_| TrustStoreError::Damaged)?;
    // Authenticated by the store; installed perhaps before signatures were made low-S.
    let list = TrustList::verify_with(text, &signer, issued_at, HighS::Accept)
        .map_err(|_| TrustStoreError::Damaged)?;
    Ok(Some(InstalledTrustList { list, signer }))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use laissez_crypto::ecdsa::SigningKey;
    use laissez_crypto::pin_kdf::KdfParams;
    use laissez_store::StoreOptions;

    const NOW: i64 = 1_790_000_000;

    fn store(dir: &tempfile::TempDir) -> WalletStore {
        let options = StoreOptions {
            pin_kdf: KdfParams::INSECURE_FAST,
            ..StoreOptions::default()
        };
        WalletStore::create(dir.path().join("v.db"), "1234", options)
            .unwrap()
            .0
    }

    fn signed(sequence: u64, signer: &SigningKey) -> String {
        let issuer = SigningKey::generate().unwrap();
        let mut list = TrustList::new(sequence, NOW, 30);
        list.add_issuer_key(
            "Issuer",
            issuer.public_key().clone(),
            NOW - 60,
            NOW + 86_400,
        )
        .unwrap();
        list.sign(signer).unwrap()
    }

    #[test]
    fn first_import_pins_the_signer_and_later_ones_must_match() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = store(&dir);
        let signer = SigningKey::generate().unwrap();
        let other = SigningKey::generate().unwrap();
        assert!(matches!(
            install(&mut store, &signed(1, &signer), None, NOW),
            Err(TrustStoreError::NoPinnedSigner)
        ));
        let first = install(
            &mut store,
            &signed(1, &signer),
            Some(signer.public_key()),
            NOW,
        );
        assert_eq!(first.unwrap().replaced, None);
        // Without a key: the pinned one is used (the QR import path).
        let second = install(&mut store, &signed(2, &signer), None, NOW).unwrap();
        assert_eq!(second.replaced, Some(1));
        assert!(matches!(
            install(
                &mut store,
                &signed(3, &other),
                Some(other.public_key()),
                NOW
            ),
            Err(TrustStoreError::SignerChanged { .. })
        ));
        assert!(matches!(
            install(&mut store, &signed(3, &other), None, NOW),
            Err(TrustStoreError::TrustList(TrustListError::BadSignature))
        ));
        assert!(matches!(
            install(&mut store, &signed(1, &signer), None, NOW),
            Err(TrustStoreError::TrustList(TrustListError::Rollback { .. }))
        ));
        let now_installed = installed(&store).unwrap().unwrap();
        assert_eq!(now_installed.list.sequence, 2);
        assert_eq!(&now_installed.signer, signer.public_key());
        assert_eq!(store.count(TRUST_LIST_KIND, &[]).unwrap(), 1);
    }

    #[test]
    fn a_list_travels_in_a_qr_message_and_installs_from_it() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = store(&dir);
        let signer = SigningKey::generate().unwrap();
        let text = signed(1, &signer);
        let message = to_message(&format!("{text}\n"));
        // Through the QR text, as a camera would carry it.
        let scanned =
            laissez_qr::envelope::decode(&laissez_qr::envelope::encode(&message).unwrap()).unwrap();
        let read = text_of(&scanned).unwrap();
        assert_eq!(read, text);
        install(&mut store, read, Some(signer.public_key()), NOW).unwrap();
        let other = Envelope {
            kind: MessageKind::Backup,
            payload: text.into_bytes(),
        };
        assert!(matches!(
            text_of(&other),
            Err(TrustStoreError::NotATrustList)
        ));
        let garbled = Envelope {
            kind: MessageKind::TrustList,
            payload: vec![0xff, 0xfe],
        };
        assert!(matches!(
            text_of(&garbled),
            Err(TrustStoreError::TrustList(_))
        ));
    }

    #[test]
    fn an_empty_store_has_no_list_and_no_pin() {
        let dir = tempfile::tempdir().unwrap();
        let store = store(&dir);
        assert!(installed(&store).unwrap().is_none());
        assert!(pinned_signer(&store).unwrap().is_none());
    }
}
