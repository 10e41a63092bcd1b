//! Which key verifies an Issuer-signed JWT that carries an `x5c` chain, and which trust
//! anchor vouches for it (SD-JWT VC, "Issuer-signed JWT Verification Key Validation",
//! X.509 certificates).
//!
//! The key is the leaf certificate's. The chain must reach an anchor by a path the
//! [`crate::x509::chain`] rules accept (no extended key usage is asked of the leaf: none is
//! defined for SD-JWT VC issuers). When the anchor is above the leaf, `iss` must name the
//! leaf: a `dns:` URI (RFC 4501) matches a `dNSName` entry, any other value a
//! `uniformResourceIdentifier` entry, exactly; an `https` URI whose host is a `dNSName` entry
//! also matches, as HAIP and earlier drafts of SD-JWT VC put it. When the leaf itself (or its
//! key) is the anchor, the verifier pinned that issuer and the name is not asked for, so
//! credentials from issuers with a self-signed certificate keep verifying.

use super::compact::SdJwt;
use super::error::{SdJwtError, SdJwtResult};
use crate::x509::{AltNames, Certificate, Purpose, TrustAnchors, evaluate_chain};
use laissez_crypto::issuer_key::IssuerKey;

/// An issuer found through its `x5c` chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainedIssuer {
    /// The leaf certificate's key: the only key the Issuer-signed JWT may verify with.
    pub key: IssuerKey,
    /// The index of the anchor in the [`TrustAnchors`] given.
    pub anchor: usize,
}

/// Follows the `x5c` header of `sd_jwt` to `anchors` at `now`. `Ok(None)`: no `x5c`, or a
/// chain that reaches no anchor (the caller may still try the anchors' own keys). The
/// signature itself is not checked here: verify with [`ChainedIssuer::key`] only.
pub fn chained_issuer(
    sd_jwt: &SdJwt,
    anchors: &TrustAnchors,
    now: i64,
) -> SdJwtResult<Option<ChainedIssuer>> {
    let jwt = sd_jwt.issuer_jwt();
    // The header parser bounds x5c (`jose::limits::MAX_X5C_CERTS`).
    let x5c = jwt.header().x5c();
    if x5c.is_empty() {
        return Ok(None);
    }
    let bundle = x5c
        .iter()
        .map(|der| Certificate::from_der(der))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| SdJwtError::BadIssuerCertificate)?;
    let Some(found) =
        evaluate_chain(&bundle, anchors, Purpose::Signing, now).map_err(SdJwtError::IssuerPath)?
    else {
        return Ok(None);
    };
    let Some(leaf) = bundle.first() else {
        return Ok(None);
    };
    if found.depth > 0 {
        let iss = jwt.claims().get("iss").and_then(|v| v.as_str());
        if !iss.is_some_and(|iss| iss_matches_alt_names(iss, leaf.alt_names())) {
            return Err(SdJwtError::IssuerNameMismatch);
        }
    }
    Ok(Some(ChainedIssuer {
        key: leaf.public_key().clone(),
        anchor: found.anchor,
    }))
}

/// Whether the issuer identifier `iss` names a certificate with `names` (see the module
/// documentation for the rules).
pub fn iss_matches_alt_names(iss: &str, names: &AltNames) -> bool {
    if let Some(dns) = iss.strip_prefix("dns:") {
        return names.dns_names.iter().any(|n| n.eq_ignore_ascii_case(dns));
    }
    if names.uris.iter().any(|uri| uri == iss) {
        return true;
    }
    let Some(rest) = iss.strip_prefix("https://") else {
        return false;
    };
    let host = rest.split(['/', '?', '#', ':']).next().unwrap_or_default();
    !host.is_empty() && names.dns_names.iter().any(|n| n.eq_ignore_ascii_case(host))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dns: &[&str], uris: &[&str]) -> AltNames {
        AltNames {
            dns_names: dns.iter().map(|s| (*s).to_owned()).collect(),
            uris: uris.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    #[test]
    fn iss_rules() {
        let n = names(&["issuer.example"], &["https://issuer.example/pid"]);
        assert!(iss_matches_alt_names("https://issuer.example/pid", &n));
        assert!(iss_matches_alt_names("dns:issuer.example", &n));
        assert!(iss_matches_alt_names("dns:ISSUER.example", &n));
        // HAIP: an https URI whose host is a dNSName.
        assert!(iss_matches_alt_names("https://issuer.example", &n));
        assert!(iss_matches_alt_names("https://issuer.example:8443/x", &n));
        assert!(!iss_matches_alt_names("https://issuer.example.evil", &n));
        assert!(!iss_matches_alt_names(
            "https://evil.example/issuer.example",
            &n
        ));
        assert!(!iss_matches_alt_names("http://issuer.example", &n));
        assert!(!iss_matches_alt_names(
            "https://issuer.example/other",
            &names(&[], &["https://issuer.example/pid"])
        ));
        assert!(!iss_matches_alt_names("dns:other.example", &n));
        assert!(!iss_matches_alt_names("", &n));
        assert!(!iss_matches_alt_names("https://", &n));
    }
}
