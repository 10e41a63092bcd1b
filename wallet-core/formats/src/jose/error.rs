//! Errors of the JOSE layer.

/// What can be wrong with JOSE input or output.
///
/// Messages name the problem, never a claim value or key material.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JoseError {
    /// The input is not well-formed (base64url, JSON, structure, member types).
    #[error("malformed: {0}")]
    Malformed(&'static str),
    /// The input exceeds one of the limits in [`super::limits`].
    #[error("too large: {0}")]
    TooLarge(&'static str),
    /// The `alg` is not `ES256`, `ES384` or `EdDSA` (`none`, HMAC, RSA, …), or not the one the
    /// token or key allows (a Key Binding JWT: `ES256`). Carries the algorithm name,
    /// reduced to a short printable token.
    #[error("unsupported algorithm {0}")]
    UnsupportedAlgorithm(String),
    /// The header lists critical extensions (`crit`); none is understood here.
    #[error("unsupported critical header parameter")]
    UnsupportedCriticalHeader,
    /// A JWK of a key type or curve not accepted there (holders: EC P-256; issuers: also EC
    /// P-384 and OKP Ed25519), or not meant for signatures.
    #[error("unsupported key: {0}")]
    UnsupportedKey(&'static str),
    /// The signer failed to produce a signature.
    #[error("signing failed")]
    Signing,
}

/// Shortens an attacker-supplied algorithm name to something safe to show or log.
pub(crate) fn printable_alg(alg: &str) -> String {
    let ok = !alg.is_empty()
        && alg.len() <= 20
        && alg
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '_' | '.'));
    if ok {
        alg.to_owned()
    } else {
        "(unprintable)".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn algorithm_names_are_sanitised() {
        assert_eq!(printable_alg("HS256"), "HS256");
        assert_eq!(printable_alg(""), "(unprintable)");
        assert_eq!(printable_alg("a\nb"), "(unprintable)");
        assert_eq!(printable_alg(&"A".repeat(21)), "(unprintable)");
    }
}
