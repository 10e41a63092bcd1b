//! Key slots: the data key wrapped once per way of unlocking (PIN, recovery phrase).
//!
//! Each slot row carries a SHA-256 checksum over its own bytes. When a slot fails to open,
//! the checksum tells the two cases apart: checksum fine means the secret was wrong (wrong
//! PIN, another wallet's phrase); checksum broken means the file is damaged.

use ring::digest::{SHA256, digest};
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use crate::error::{StoreError, StoreResult};
use crate::platform_key::{PlatformKeyError, PlatformKeyProtector};
use laissez_crypto::aead::{OpenFailure, SealingKey};
use laissez_crypto::pin_kdf::KdfParams;
use laissez_crypto::secret::SecretKey;

/// Slot name of the PIN-wrapped data key.
pub const PIN_SLOT: &str = "pin";
/// Slot name of the recovery-phrase-wrapped data key.
pub const RECOVERY_SLOT: &str = "recovery";

/// What is stored in clear beside a wrapped key.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlotParams {
    /// Argon2id parameters (PIN slot only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kdf: Option<KdfParams>,
    /// Argon2id salt (PIN slot only).
    #[serde(default, with = "serde_bytes")]
    pub salt: Vec<u8>,
    /// Set when the wrap is additionally wrapped by a platform key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform_key_id: Option<String>,
}

/// A slot as read from the file, checksum verified.
pub struct StoredSlot {
    /// Its parameters.
    pub params: SlotParams,
    /// The wrapped data key (possibly platform-wrapped on top).
    pub wrapped: Vec<u8>,
}

/// Covers the wallet id too: it is part of the wrap's associated data, so a damaged id must
/// read as damage, not as a wrong PIN.
fn checksum(wallet_id: &[u8], slot: &str, params: &[u8], wrapped: &[u8]) -> Vec<u8> {
    let mut buf =
        Vec::with_capacity(wallet_id.len() + slot.len() + params.len() + wrapped.len() + 16);
    for part in [wallet_id, slot.as_bytes(), params, wrapped] {
        buf.extend_from_slice(&(part.len() as u32).to_be_bytes());
        buf.extend_from_slice(part);
    }
    digest(&SHA256, &buf).as_ref().to_vec()
}

fn slot_aad(wallet_id: &[u8], slot: &str) -> Vec<u8> {
    [
        b"laissez/v1/slot/".as_slice(),
        slot.as_bytes(),
        b"/",
        wallet_id,
    ]
    .concat()
}

/// Wraps the data key under `kek` for `slot`, platform-wrapping on top when asked.
pub fn wrap(
    kek: &SecretKey,
    dek: &SecretKey,
    wallet_id: &[u8],
    slot: &str,
    platform: Option<&dyn PlatformKeyProtector>,
) -> StoreResult<Vec<u8>> {
    let inner = SealingKey::new(kek)?.seal(dek.as_bytes(), &slot_aad(wallet_id, slot))?;
    match platform {
        None => Ok(inner),
        Some(protector) => Ok(protector.wrap(&inner)?),
    }
}

/// Unwraps a slot's data key with `kek`. `Ok(None)` means the secret was wrong.
pub fn unwrap(
    kek: &SecretKey,
    stored: &StoredSlot,
    wallet_id: &[u8],
    slot: &str,
    platform: Option<&dyn PlatformKeyProtector>,
) -> StoreResult<Option<SecretKey>> {
    let inner = remove_platform_layer(stored, platform)?;
    open_inner(kek, &inner, wallet_id, slot)
}

/// The slot's wrap with the platform layer removed (when it has one). This step does not
/// involve the PIN, so its failures are not wrong guesses.
pub fn remove_platform_layer(
    stored: &StoredSlot,
    platform: Option<&dyn PlatformKeyProtector>,
) -> StoreResult<zeroize::Zeroizing<Vec<u8>>> {
    match (&stored.params.platform_key_id, platform) {
        (None, _) => Ok(zeroize::Zeroizing::new(stored.wrapped.clone())),
        (Some(_), None) => Err(StoreError::PlatformKey(PlatformKeyError::NotGiven(
            "this wallet is protected by a platform key; open it with one",
        ))),
        (Some(expected), Some(protector)) => {
            if protector.key_id() != *expected {
                return Err(StoreError::PlatformKey(PlatformKeyError::NotGiven(
                    "the platform key given is not the one protecting this wallet",
                )));
            }
            Ok(zeroize::Zeroizing::new(protector.unwrap(&stored.wrapped)?))
        }
    }
}

/// Opens what [`remove_platform_layer`] returned with `kek`. `Ok(None)` means the secret
/// was wrong.
pub fn open_inner(
    kek: &SecretKey,
    inner: &[u8],
    wallet_id: &[u8],
    slot: &str,
) -> StoreResult<Option<SecretKey>> {
    match SealingKey::new(kek)?.open(inner, &slot_aad(wallet_id, slot)) {
        Ok(plain) => SecretKey::from_slice(&plain).map(Some).ok_or_else(|| {
            StoreError::Corrupted("a key slot holds a key of the wrong size".into())
        }),
        Err(OpenFailure::Unauthentic) => Ok(None),
        Err(OpenFailure::Malformed) => Err(StoreError::Corrupted(format!(
            "the {slot} key slot is malformed"
        ))),
    }
}

/// Writes (or replaces) a slot.
pub fn save(
    conn: &Connection,
    wallet_id: &[u8],
    slot: &str,
    params: &SlotParams,
    wrapped: &[u8],
) -> StoreResult<()> {
    let mut encoded = Vec::new();
    ciborium::into_writer(params, &mut encoded)
        .map_err(|_| StoreError::Storage("could not encode key slot parameters".into()))?;
    conn.execute(
        "INSERT OR REPLACE INTO key_slots (slot, params, wrapped, checksum) VALUES (?1, ?2, ?3, ?4)",
        params![slot, encoded, wrapped, checksum(wallet_id, slot, &encoded, wrapped)],
    )?;
    Ok(())
}

/// Reads a slot and verifies its checksum.
pub fn load(conn: &Connection, wallet_id: &[u8], slot: &str) -> StoreResult<StoredSlot> {
    let row: Option<(Vec<u8>, Vec<u8>, Vec<u8>)> = conn
        .query_row(
            "SELECT params, wrapped, checksum FROM key_slots WHERE slot = ?1",
            [slot],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let (encoded, wrapped, stored_sum) =
        row.ok_or_else(|| StoreError::Corrupted(format!("the {slot} key slot is missing")))?;
    if checksum(wallet_id, slot, &encoded, &wrapped) != stored_sum {
        return Err(StoreError::Corrupted(format!(
            "the {slot} key slot is damaged"
        )));
    }
    let params: SlotParams = ciborium::from_reader(encoded.as_slice())
        .map_err(|_| StoreError::Corrupted(format!("the {slot} key slot is unreadable")))?;
    Ok(StoredSlot { params, wrapped })
}
