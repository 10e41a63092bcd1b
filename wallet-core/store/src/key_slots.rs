//! Key slots: the data key wrapped once per way of unlocking (PIN, recovery phrase).
//!
//! Each slot row carries a SHA-256 checksum over its own bytes. When a slot fails to open,
//! the checksum tells the two cases apart: checksum fine means the secret was wrong (wrong
//! PIN, another wallet's phrase); checksum broken means the file is damaged.

use ring::digest::{SHA256, digest};
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use crate::error::{StoreError, StoreResult};
use laissez_crypto::aead::{OpenFailure, SealingKey};
use laissez_crypto::pin_kdf::KdfParams;
use laissez_crypto::secret::SecretKey;

/// Slot name of the PIN-wrapped data key.
pub const PIN_SLOT: &str = "pin";
/// Slot name of the recovery-phrase-wrapped data key.
pub const RECOVERY_SLOT: &str = "recovery";

/// How the PIN slot's key-encryption key is made when a platform key protects the wallet.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum PinScheme {
    /// Files written before the hardware answered challenges: the PIN wrap (under Argon2id
    /// alone) was wrapped again by the platform key. Read for migration only; absent field.
    #[default]
    PlatformWrap,
    /// `KEK = HKDF(Argon2id(PIN) || hardware answer)`; a plain wrap under it
    /// (`laissez_crypto::pin_challenge`). Without a platform key the KEK is Argon2id(PIN).
    Challenge,
}

impl PinScheme {
    fn is_platform_wrap(&self) -> bool {
        *self == PinScheme::PlatformWrap
    }
}

/// What is stored in clear beside a wrapped key.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlotParams {
    /// Argon2id parameters (PIN slot only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kdf: Option<KdfParams>,
    /// Argon2id salt (PIN slot only).
    #[serde(default, with = "serde_bytes")]
    pub salt: Vec<u8>,
    /// Set when a platform key takes part in unlocking with the PIN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform_key_id: Option<String>,
    /// How the platform key takes part (PIN slot only). Files from before this field hold
    /// the old scheme, which is its default.
    #[serde(default, skip_serializing_if = "PinScheme::is_platform_wrap")]
    pub scheme: PinScheme,
    /// The platform key's check value (`laissez_crypto::pin_challenge::key_check`): tells a
    /// replaced hardware key from a wrong PIN.
    #[serde(default, with = "serde_bytes", skip_serializing_if = "Vec::is_empty")]
    pub key_check: Vec<u8>,
}

/// A slot as read from the file, checksum verified.
pub struct StoredSlot {
    /// Its parameters.
    pub params: SlotParams,
    /// The wrapped data key (platform-wrapped on top in the old [`PinScheme::PlatformWrap`]).
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

/// Wraps the data key under `kek` for `slot`.
pub fn wrap(
    kek: &SecretKey,
    dek: &SecretKey,
    wallet_id: &[u8],
    slot: &str,
) -> StoreResult<Vec<u8>> {
    Ok(SealingKey::new(kek)?.seal(dek.as_bytes(), &slot_aad(wallet_id, slot))?)
}

/// Opens a wrap made by [`wrap`] with `kek`. `Ok(None)` means the secret was wrong.
pub fn open(
    kek: &SecretKey,
    wrapped: &[u8],
    wallet_id: &[u8],
    slot: &str,
) -> StoreResult<Option<SecretKey>> {
    match SealingKey::new(kek)?.open(wrapped, &slot_aad(wallet_id, slot)) {
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
