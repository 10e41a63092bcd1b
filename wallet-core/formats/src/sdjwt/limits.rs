//! Size limits on SD-JWT input, and the default time allowances of verification.
//!
//! The JOSE limits apply too: each JWT is at most [`MAX_JWT_LEN`] bytes and every JSON
//! document (and the rebuilt claims) at most [`MAX_JSON_DEPTH`] deep.

pub use crate::jose::limits::{MAX_JSON_DEPTH, MAX_JWT_LEN};

/// Longest SD-JWT (issuer JWT, disclosures and Key Binding JWT with separators) accepted,
/// in bytes: 1 MiB.
pub const MAX_SD_JWT_LEN: usize = 1024 * 1024;

/// Most Disclosures accepted in one SD-JWT: 1,000.
pub const MAX_DISCLOSURES: usize = 1000;

/// Longest single Disclosure accepted (base64url text), in bytes: 64 KiB.
pub const MAX_DISCLOSURE_LEN: usize = 64 * 1024;

/// Default allowance for clocks that disagree, in seconds: 60. It is granted only where a
/// time lies in the *future* (`iat`, `nbf`, the Key Binding JWT's `iat`) and to the Key
/// Binding JWT's age. `exp` is enforced strictly: an expired credential is never accepted
/// because of skew.
pub const DEFAULT_CLOCK_SKEW_SECS: u32 = 60;

/// Default largest age of a Key Binding JWT at verification, in seconds: 300. A holder
/// signs it when showing the QR code; the verifier scans within moments.
pub const DEFAULT_MAX_KEY_BINDING_AGE_SECS: u32 = 300;
