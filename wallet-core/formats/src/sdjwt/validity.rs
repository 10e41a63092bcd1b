//! Time checks on the Issuer-signed JWT: `iat`, `nbf`, `exp` (RFC 7519 NumericDate).

use serde_json::{Map, Value};

use super::error::{Part, SdJwtError, SdJwtResult};

/// The validity period a credential states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Validity {
    /// `iat`: when it was issued (Unix seconds).
    pub issued_at: Option<i64>,
    /// `nbf`: not valid before (Unix seconds).
    pub not_before: Option<i64>,
    /// `exp`: not valid from this time on (Unix seconds).
    pub expires_at: Option<i64>,
}

impl Validity {
    /// Reads `iat`, `nbf` and `exp` from `claims`; each must be a number when present
    /// (fractions are rounded down).
    pub fn from_claims(claims: &Map<String, Value>, part: Part) -> SdJwtResult<Self> {
        Ok(Self {
            issued_at: numeric_date(claims, "iat", part)?,
            not_before: numeric_date(claims, "nbf", part)?,
            expires_at: numeric_date(claims, "exp", part)?,
        })
    }

    /// Checks the period against `now`. `iat` and `nbf` may lie up to `skew_secs` in the
    /// future; `exp` is strict (`now >= exp` is expired, RFC 7519 s4.1.4).
    pub fn check(&self, now: i64, skew_secs: u32) -> SdJwtResult<()> {
        if let Some(exp) = self.expires_at {
            if now >= exp {
                return Err(SdJwtError::Expired);
            }
        }
        let latest_acceptable = now.saturating_add(i64::from(skew_secs));
        if self.not_before.is_some_and(|nbf| nbf > latest_acceptable)
            || self.issued_at.is_some_and(|iat| iat > latest_acceptable)
        {
            return Err(SdJwtError::NotYetValid);
        }
        Ok(())
    }
}

/// A NumericDate claim; `Malformed` when present but not a number in range.
pub(crate) fn numeric_date(
    claims: &Map<String, Value>,
    name: &str,
    part: Part,
) -> SdJwtResult<Option<i64>> {
    let Some(value) = claims.get(name) else {
        return Ok(None);
    };
    let Value::Number(number) = value else {
        return Err(SdJwtError::malformed(part, "a time claim is not a number"));
    };
    if let Some(seconds) = number.as_i64() {
        return Ok(Some(seconds));
    }
    match number.as_f64() {
        // i64::MAX as f64 rounds up to 2^63, so the upper bound is exclusive.
        Some(f) if f.is_finite() && f >= i64::MIN as f64 && f < i64::MAX as f64 =>
        {
            #[allow(clippy::cast_possible_truncation)]
            Ok(Some(f.floor() as i64))
        }
        _ => Err(SdJwtError::malformed(part, "a time claim is out of range")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn validity(value: Value) -> SdJwtResult<Validity> {
        Validity::from_claims(value.as_object().unwrap(), Part::IssuerJwt)
    }

    #[test]
    fn reads_and_checks() {
        let v = validity(json!({"iat": 100, "nbf": 100.7, "exp": 200})).unwrap();
        assert_eq!(v.not_before, Some(100));
        assert!(v.check(150, 0).is_ok());
        assert!(v.check(100, 0).is_ok());
        assert_eq!(v.check(200, 60), Err(SdJwtError::Expired));
        assert_eq!(v.check(199, 0), Ok(()));
        assert_eq!(v.check(99, 0), Err(SdJwtError::NotYetValid));
        assert_eq!(v.check(40, 60), Ok(()));
        assert_eq!(v.check(39, 60), Err(SdJwtError::NotYetValid));
        assert_eq!(validity(json!({})).unwrap(), Validity::default());
        assert!(
            validity(json!({}))
                .unwrap()
                .check(i64::MAX, u32::MAX)
                .is_ok()
        );
    }

    #[test]
    fn refuses_non_numbers() {
        assert!(validity(json!({"exp": "2030-01-01"})).is_err());
        assert!(validity(json!({"iat": null})).is_err());
        assert!(validity(json!({"exp": 1e300})).is_err());
        assert_eq!(
            validity(json!({"exp": u64::MAX})).unwrap_err(),
            SdJwtError::malformed(Part::IssuerJwt, "a time claim is out of range")
        );
    }
}
