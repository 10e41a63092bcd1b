//! COSE algorithm identifiers of issuer signatures (RFC 9053): ES256 (-7), ES384 (-35),
//! EdDSA (-8), mapped to and from [`SignatureAlgorithm`]. Everything else, HMAC and RSA
//! included, maps to nothing: the callers refuse it with their typed "unsupported algorithm".

use coset::iana::{self, EnumI64};
use coset::{Algorithm, RegisteredLabelWithPrivate};
use laissez_crypto::issuer_key::SignatureAlgorithm;

/// The algorithm a COSE `alg` header names, if it is one issuers may use.
pub(crate) fn from_cose(alg: Option<&Algorithm>) -> Option<SignatureAlgorithm> {
    match alg? {
        RegisteredLabelWithPrivate::Assigned(alg) => SignatureAlgorithm::from_cose_id(alg.to_i64()),
        _ => None,
    }
}

/// The COSE `alg` value of `alg` (for signing: issuing builds only).
#[cfg(any(feature = "issue", test))]
pub(crate) fn to_cose(alg: SignatureAlgorithm) -> iana::Algorithm {
    match alg {
        SignatureAlgorithm::Es256 => iana::Algorithm::ES256,
        SignatureAlgorithm::Es384 => iana::Algorithm::ES384,
        SignatureAlgorithm::EdDsa => iana::Algorithm::EdDSA,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_both_ways_and_refuses_the_rest() {
        for alg in SignatureAlgorithm::ALL {
            let cose = RegisteredLabelWithPrivate::Assigned(to_cose(alg));
            assert_eq!(from_cose(Some(&cose)), Some(alg));
            assert_eq!(to_cose(alg).to_i64(), alg.cose_id());
        }
        for other in [
            iana::Algorithm::HMAC_256_256,
            iana::Algorithm::ES512,
            iana::Algorithm::PS256,
            iana::Algorithm::RS256,
            iana::Algorithm::ES256K,
        ] {
            assert_eq!(
                from_cose(Some(&RegisteredLabelWithPrivate::Assigned(other))),
                None
            );
        }
        assert_eq!(
            from_cose(Some(&RegisteredLabelWithPrivate::PrivateUse(-65_537))),
            None
        );
        assert_eq!(
            from_cose(Some(&RegisteredLabelWithPrivate::Text("ES256".into()))),
            None
        );
        assert_eq!(from_cose(None), None);
    }
}
