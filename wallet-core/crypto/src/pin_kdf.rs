//! The PIN key: Argon2id over the PIN, with parameters stored beside the wrapped data key.
//!
//! Defaults are chosen for mid-range phones (see docs/adr/0002-argon2id-parameters.md):
//! 64 MiB, 3 passes, 1 lane. Stored parameters are bounds-checked before use so a tampered
//! file cannot make the app allocate gigabytes or spin for minutes: the bounds are what a
//! 2 GB phone can still run (at most about 13 times the work of [`KdfParams::PHONE`]).

use argon2::{Algorithm, Argon2, Params, Version};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::secret::SecretKey;
use crate::error::{CryptoError, CryptoResult};

/// Smallest memory cost accepted, in KiB (Argon2's own floor for one lane is 8).
pub const MIN_MEMORY_KIB: u32 = 8;
/// Largest memory cost accepted, in KiB (256 MiB, four times [`KdfParams::PHONE`]): a 2 GB
/// phone gives one app a few hundred MiB before the system kills it, and a killed unlock
/// would look like a failed attempt.
pub const MAX_MEMORY_KIB: u32 = 256 * 1024;
/// Largest number of passes accepted (with [`MAX_MEMORY_KIB`], about 13 times the work of
/// [`KdfParams::PHONE`]: seconds, not minutes, on a low-end phone).
pub const MAX_ITERATIONS: u32 = 10;
/// Largest parallelism accepted (lanes split the memory; they add no work).
pub const MAX_LANES: u32 = 8;

/// Argon2id cost parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfParams {
    /// Memory cost in KiB.
    pub memory_kib: u32,
    /// Number of passes over memory.
    pub iterations: u32,
    /// Degree of parallelism.
    pub lanes: u32,
}

impl KdfParams {
    /// The production default for mid-range phones: 64 MiB, t = 3, p = 1.
    pub const PHONE: KdfParams = KdfParams {
        memory_kib: 64 * 1024,
        iterations: 3,
        lanes: 1,
    };

    /// Deliberately weak parameters for tests and benchmarks of everything but the KDF.
    /// Never use for a real wallet.
    pub const INSECURE_FAST: KdfParams = KdfParams {
        memory_kib: 64,
        iterations: 1,
        lanes: 1,
    };

    /// Checks the parameters are within the accepted bounds.
    pub fn validate(&self) -> CryptoResult<()> {
        let ok = (MIN_MEMORY_KIB..=MAX_MEMORY_KIB).contains(&self.memory_kib)
            && (1..=MAX_ITERATIONS).contains(&self.iterations)
            && (1..=MAX_LANES).contains(&self.lanes)
            && self.memory_kib >= 8 * self.lanes;
        if ok {
            Ok(())
        } else {
            Err(CryptoError::InvalidParameters(format!(
                "Argon2id parameters out of bounds (memory {}..={} KiB, passes 1..={}, lanes 1..={})",
                MIN_MEMORY_KIB, MAX_MEMORY_KIB, MAX_ITERATIONS, MAX_LANES
            )))
        }
    }
}

impl Default for KdfParams {
    fn default() -> Self {
        Self::PHONE
    }
}

/// Derives the 256-bit PIN key from `pin` and a per-wallet random `salt`.
pub fn derive_pin_key(pin: &[u8], salt: &[u8], params: KdfParams) -> CryptoResult<SecretKey> {
    params.validate()?;
    let argon_params = Params::new(params.memory_kib, params.iterations, params.lanes, Some(32))
        .map_err(|_| CryptoError::InvalidParameters("Argon2id parameters rejected".into()))?;
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, argon_params);
    let mut out = Zeroizing::new([0u8; 32]);
    argon
        .hash_password_into(pin, salt, out.as_mut())
        .map_err(|_| CryptoError::Argon2)?;
    Ok(SecretKey::from_bytes(*out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_inputs_same_key_and_pin_matters() {
        let p = KdfParams::INSECURE_FAST;
        let a = derive_pin_key(b"1234", &[1u8; 16], p).unwrap();
        assert_eq!(a, derive_pin_key(b"1234", &[1u8; 16], p).unwrap());
        assert_ne!(a, derive_pin_key(b"1235", &[1u8; 16], p).unwrap());
        assert_ne!(a, derive_pin_key(b"1234", &[2u8; 16], p).unwrap());
    }

    #[test]
    fn the_presets_fit_the_bounds_and_a_tampered_maximum_does_not() {
        KdfParams::PHONE.validate().unwrap();
        KdfParams::INSECURE_FAST.validate().unwrap();
        KdfParams {
            memory_kib: MAX_MEMORY_KIB,
            iterations: MAX_ITERATIONS,
            lanes: MAX_LANES,
        }
        .validate()
        .unwrap();
        // What a tampered file set before these bounds: 1 GiB and 16 passes.
        for p in [
            KdfParams {
                memory_kib: 1024 * 1024,
                iterations: 3,
                lanes: 1,
            },
            KdfParams {
                memory_kib: 64 * 1024,
                iterations: 16,
                lanes: 1,
            },
        ] {
            assert!(matches!(
                p.validate(),
                Err(CryptoError::InvalidParameters(_))
            ));
        }
    }

    #[test]
    fn out_of_bounds_parameters_are_refused() {
        for p in [
            KdfParams {
                memory_kib: MAX_MEMORY_KIB + 1,
                iterations: 1,
                lanes: 1,
            },
            KdfParams {
                memory_kib: 64,
                iterations: 0,
                lanes: 1,
            },
            KdfParams {
                memory_kib: 64,
                iterations: MAX_ITERATIONS + 1,
                lanes: 1,
            },
            KdfParams {
                memory_kib: 64,
                iterations: 1,
                lanes: 0,
            },
            KdfParams {
                memory_kib: 8,
                iterations: 1,
                lanes: 2,
            },
        ] {
            assert!(matches!(
                derive_pin_key(b"1234", &[0u8; 16], p),
                Err(CryptoError::InvalidParameters(_))
            ));
        }
    }
}
