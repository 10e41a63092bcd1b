//! The PIN slot's key-encryption key: Argon2id of the PIN alone, or bound to the platform
//! key's answer for that PIN (`laissez_crypto::pin_challenge`), so that every guess needs
//! the phone's secure hardware.

use super::key_slots::{PinScheme, SlotParams};
use crate::error::{StoreError, StoreResult};
use crate::platform_key::{PlatformKeyError, PlatformKeyProtector};
use laissez_crypto::pin_challenge::{self, MIN_ANSWER_LEN};
use laissez_crypto::pin_kdf::{KdfParams, derive_pin_key};
use laissez_crypto::random;
use laissez_crypto::secret::SecretKey;

/// A PIN slot ready to be written: its KEK and what is stored beside the wrap.
pub struct PinSlotPlan {
    /// The key that wraps the data key in the PIN slot.
    pub kek: SecretKey,
    /// Salt, Argon2id parameters, platform key id, scheme.
    pub params: SlotParams,
}

/// The platform key a PIN slot needs, checked against the one given: missing or another
/// key is refused here, before any attempt is counted (it says nothing about the PIN).
pub fn platform_for<'a>(
    params: &SlotParams,
    given: Option<&'a dyn PlatformKeyProtector>,
) -> StoreResult<Option<&'a dyn PlatformKeyProtector>> {
    match (&params.platform_key_id, given) {
        (None, _) => Ok(None),
        (Some(_), None) => Err(StoreError::PlatformKey(PlatformKeyError::NotGiven(
            "this wallet is protected by a platform key; open it with one",
        ))),
        (Some(expected), Some(protector)) if protector.key_id() != *expected => {
            Err(StoreError::PlatformKey(PlatformKeyError::NotGiven(
                "the platform key given is not the one protecting this wallet",
            )))
        }
        (Some(_), Some(protector)) => Ok(Some(protector)),
    }
}

/// The KEK for `pin_key` (the Argon2id output): one hardware call.
pub fn hardware_kek(
    pin_key: &SecretKey,
    protector: &dyn PlatformKeyProtector,
) -> StoreResult<SecretKey> {
    let challenge = pin_challenge::challenge(pin_key)?;
    let answer = zeroize::Zeroizing::new(protector.respond(&challenge)?);
    if answer.len() < MIN_ANSWER_LEN {
        return Err(StoreError::PlatformKey(PlatformKeyError::Other(format!(
            "the platform key answered {} bytes; at least {MIN_ANSWER_LEN} are needed",
            answer.len()
        ))));
    }
    Ok(pin_challenge::kek(pin_key, &answer)?)
}

/// The check value of `protector`'s key: one hardware call, on a fixed challenge.
pub fn key_check(protector: &dyn PlatformKeyProtector) -> StoreResult<Vec<u8>> {
    let answer =
        zeroize::Zeroizing::new(protector.respond(&pin_challenge::key_check_challenge()?)?);
    Ok(pin_challenge::key_check(&answer).to_vec())
}

/// Whether `protector` is the key recorded in `params` (a slot without a check value, from
/// an older version, is taken to match).
pub fn is_same_key(params: &SlotParams, protector: &dyn PlatformKeyProtector) -> StoreResult<bool> {
    if params.key_check.is_empty() {
        return Ok(true);
    }
    Ok(key_check(protector)? == params.key_check)
}

/// A new PIN slot for `pin` with a fresh salt: Argon2id, then the hardware's answer when
/// `platform` is given.
pub fn new_pin_slot(
    pin: &str,
    kdf: KdfParams,
    platform: Option<&dyn PlatformKeyProtector>,
) -> StoreResult<PinSlotPlan> {
    let salt = random::bytes::<16>()?;
    let pin_key = derive_pin_key(pin.as_bytes(), &salt, kdf)?;
    let (kek, key_check) = match platform {
        None => (pin_key, Vec::new()),
        Some(protector) => (hardware_kek(&pin_key, protector)?, key_check(protector)?),
    };
    let params = SlotParams {
        kdf: Some(kdf),
        salt: salt.to_vec(),
        platform_key_id: platform.map(|p| p.key_id()),
        scheme: PinScheme::Challenge,
        key_check,
    };
    Ok(PinSlotPlan { kek, params })
}

/// Moves an old-scheme slot to challenges, keeping its salt and Argon2id output: the KEK
/// becomes the hardware-bound one.
pub fn migrated_pin_slot(
    params: &SlotParams,
    pin_key: &SecretKey,
    protector: &dyn PlatformKeyProtector,
) -> StoreResult<PinSlotPlan> {
    Ok(PinSlotPlan {
        kek: hardware_kek(pin_key, protector)?,
        params: SlotParams {
            scheme: PinScheme::Challenge,
            key_check: key_check(protector)?,
            ..params.clone()
        },
    })
}
