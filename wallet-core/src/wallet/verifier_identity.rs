//! Who asks, as the holder's wallet could establish it (issue 15, ADR 0021).
//!
//! A verifier is [`VerifierIdentity::Verified`] only when a registration certificate from a
//! registrar on the holder's trust list ([`trusted_registrars`]), valid now, certifies the key
//! that signed the request; everything the consent screen then shows comes from the
//! certificate. Otherwise it is [`VerifierIdentity::Unverified`], with the reason and the
//! request's own free text, which screens must show as unchecked.
//!
//! Reading certificates and COSE signatures is not done here: [`identify`] takes what a reader
//! of signed requests found ([`RequestEvidence`]) and decides against the registrars the
//! holder trusts. Today's unsigned requests are [`RequestEvidence::Unsigned`].

use std::collections::BTreeMap;

use laissez_crypto::ecdsa::VerifyingKey;
use laissez_store::WalletStore;

use super::credentials::DisclosedVerifier;
use crate::exchange::VerifierRequest;
use crate::verifier::trust_list_registrars::TrustedRegistrar;
use crate::verifier::trust_store::{self, TrustStoreError};

/// Who asks, as the holder's wallet could establish it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VerifierIdentity {
    /// Checked: a registration certificate from a registrar on the holder's trust list, valid
    /// now, whose key signed this request. Everything shown comes from the certificate.
    Verified(VerifiedVerifier),
    /// Not checked: why, and the request's own free text, which must be shown as unchecked.
    Unverified {
        /// Why the verifier could not be verified.
        reason: UnverifiedReason,
        /// The name the request gives itself (unchecked).
        claimed_name: String,
        /// The purpose the request gives (unchecked).
        claimed_purpose: String,
    },
}

/// A verifier whose registration certificate checked out: what the certificate says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedVerifier {
    /// The verifier's organisation, as certified.
    pub organisation: String,
    /// The verifier's country (ISO 3166-1 alpha-2), as certified.
    pub country: String,
    /// The purposes it is registered for, as certified.
    pub purposes: Vec<String>,
    /// The registrar's display name, from the holder's trust list (not from the certificate).
    pub registrar: String,
    /// A short reference of the certificate (for the disclosure history and support).
    pub certificate_reference: [u8; 8],
    /// The registered scope: credential type → the claim paths the verifier may ask for.
    pub scope: BTreeMap<String, Vec<String>>,
    /// When the certificate stops being valid, Unix seconds.
    pub valid_until: i64,
}

impl VerifiedVerifier {
    /// Whether the registered scope covers `path` of `credential_type`.
    pub fn covers(&self, credential_type: &str, path: &str) -> bool {
        self.scope
            .get(credential_type)
            .is_some_and(|paths| paths.iter().any(|p| p == path))
    }
}

/// Why a verifier is not verified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnverifiedReason {
    /// The request carries no registration certificate (an unsigned request).
    NoCertificate,
    /// The certificate's registrar is not on the holder's trust list (or not trusted now).
    UnknownRegistrar,
    /// The certificate has expired.
    Expired,
    /// The certificate is not valid yet.
    NotYetValid,
    /// A signature does not verify: the registrar's over the certificate, or the verifier's
    /// over the request.
    BadSignature,
    /// The certificate certifies another key than the one that signed the request.
    CertificateForAnotherKey,
    /// The certificate could not be read.
    MalformedCertificate,
    /// The holder's trust list names no registrar (none installed, expired, or without
    /// registrars), so no certificate can be checked.
    NoVerifierTrustList,
}

impl UnverifiedReason {
    /// A stable snake_case code (`no_certificate`, `unknown_registrar`, ...), as the
    /// disclosure history records it.
    pub fn code(&self) -> &'static str {
        match self {
            UnverifiedReason::NoCertificate => "no_certificate",
            UnverifiedReason::UnknownRegistrar => "unknown_registrar",
            UnverifiedReason::Expired => "expired",
            UnverifiedReason::NotYetValid => "not_yet_valid",
            UnverifiedReason::BadSignature => "bad_signature",
            UnverifiedReason::CertificateForAnotherKey => "certificate_for_another_key",
            UnverifiedReason::MalformedCertificate => "malformed_certificate",
            UnverifiedReason::NoVerifierTrustList => "no_verifier_trust_list",
        }
    }
}

impl VerifierIdentity {
    /// What the disclosure history records of this identity.
    pub fn for_history(&self) -> DisclosedVerifier {
        match self {
            VerifierIdentity::Verified(verified) => DisclosedVerifier::Verified {
                organisation: verified.organisation.clone(),
                country: verified.country.clone(),
                registrar: verified.registrar.clone(),
                certificate_reference: hex::encode(verified.certificate_reference),
            },
            VerifierIdentity::Unverified {
                reason,
                claimed_name,
                ..
            } => DisclosedVerifier::Unverified {
                claimed_name: claimed_name.clone(),
                reason: reason.code().into(),
            },
        }
    }

    /// Whether the verifier was verified.
    pub fn is_verified(&self) -> bool {
        matches!(self, VerifierIdentity::Verified(_))
    }

    /// Whether asking for `path` of `credential_type` is within the verifier's registered
    /// scope: never for an unverified verifier (its whole request is unchecked).
    pub fn within_scope(&self, credential_type: &str, path: &str) -> bool {
        match self {
            VerifierIdentity::Verified(verified) => verified.covers(credential_type, path),
            VerifierIdentity::Unverified { .. } => false,
        }
    }
}

/// What a registration certificate states, as read from a signed request (not yet believed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateStatement {
    /// The registrar the certificate names as its issuer (a [`TrustedRegistrar::id`]).
    pub registrar_id: String,
    /// The verifier's organisation.
    pub organisation: String,
    /// The verifier's country (ISO 3166-1 alpha-2).
    pub country: String,
    /// The purposes it is registered for.
    pub purposes: Vec<String>,
    /// The registered scope: credential type → claim paths.
    pub scope: BTreeMap<String, Vec<String>>,
    /// Valid from, Unix seconds (inclusive).
    pub valid_from: i64,
    /// Valid until, Unix seconds (exclusive).
    pub valid_until: i64,
    /// A short reference of the certificate.
    pub reference: [u8; 8],
}

/// How the request's own signature checked out against the key the certificate certifies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestSignature {
    /// The certified key signed exactly this request.
    Verifies,
    /// The request was signed by another key than the certified one.
    ByAnotherKey,
    /// The signature does not verify (other bytes, damaged).
    DoesNotVerify,
}

/// A signed request's registration certificate, as a reader of signed requests presents it.
pub trait RequestCertificate {
    /// What the certificate states.
    fn statement(&self) -> &CertificateStatement;
    /// Whether the certificate's signature verifies with `registrar_key`.
    fn is_signed_by(&self, registrar_key: &VerifyingKey) -> bool;
    /// How the request's signature checked out against the certified key.
    fn request_signature(&self) -> RequestSignature;
}

/// What came with a request to identify its verifier.
#[derive(Clone, Copy)]
pub enum RequestEvidence<'a> {
    /// No certificate: today's unsigned request kind.
    Unsigned,
    /// A signed request whose certificate could not be read.
    MalformedCertificate,
    /// A signed request with a readable certificate.
    Certificate(&'a dyn RequestCertificate),
}

/// The registrars the holder trusts at `now`: those of the trust list installed in the
/// holder's store (the same list as its issuers, installed with [`trust_store::install`]);
/// none when no list is installed, it expired, or it names no registrar.
pub fn trusted_registrars(
    store: &WalletStore,
    now: i64,
) -> Result<Vec<TrustedRegistrar>, TrustStoreError> {
    Ok(trust_store::installed(store)?
        .map(|installed| installed.list.registrars_at(now))
        .unwrap_or_default())
}

/// Decides who asks: [`VerifierIdentity::Verified`] only when `evidence` holds a certificate
/// from one of `registrars` (the holder's, at `now`), signed by that registrar, valid at `now`,
/// whose key signed the request. The checks run in this order, the first failing one giving
/// the reason: no certificate, unreadable certificate, no registrar trusted at all, unknown
/// registrar, registrar's signature, validity period, request signature.
pub fn identify(
    request: &VerifierRequest,
    evidence: RequestEvidence<'_>,
    registrars: &[TrustedRegistrar],
    now: i64,
) -> VerifierIdentity {
    let unverified = |reason| VerifierIdentity::Unverified {
        reason,
        claimed_name: request.verifier_name.clone(),
        claimed_purpose: request.purpose.clone(),
    };
    let certificate = match evidence {
        RequestEvidence::Unsigned => return unverified(UnverifiedReason::NoCertificate),
        RequestEvidence::MalformedCertificate => {
            return unverified(UnverifiedReason::MalformedCertificate);
        }
        RequestEvidence::Certificate(certificate) => certificate,
    };
    if registrars.is_empty() {
        return unverified(UnverifiedReason::NoVerifierTrustList);
    }
    let statement = certificate.statement();
    let Some(registrar) = registrars
        .iter()
        .find(|r| r.id == statement.registrar_id && r.applies_at(now))
    else {
        return unverified(UnverifiedReason::UnknownRegistrar);
    };
    if !certificate.is_signed_by(&registrar.key) {
        return unverified(UnverifiedReason::BadSignature);
    }
    if now < statement.valid_from {
        return unverified(UnverifiedReason::NotYetValid);
    }
    if now >= statement.valid_until {
        return unverified(UnverifiedReason::Expired);
    }
    match certificate.request_signature() {
        RequestSignature::Verifies => {}
        RequestSignature::ByAnotherKey => {
            return unverified(UnverifiedReason::CertificateForAnotherKey);
        }
        RequestSignature::DoesNotVerify => return unverified(UnverifiedReason::BadSignature),
    }
    VerifierIdentity::Verified(VerifiedVerifier {
        organisation: statement.organisation.clone(),
        country: statement.country.clone(),
        purposes: statement.purposes.clone(),
        registrar: registrar.name.clone(),
        certificate_reference: statement.reference,
        scope: statement.scope.clone(),
        valid_until: statement.valid_until,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::exchange::{RequestedClaim, RequestedCredential};
    use laissez_crypto::ecdsa::SigningKey;

    const NOW: i64 = 1_790_000_000;

    fn request() -> VerifierRequest {
        VerifierRequest {
            nonce: [7; 16],
            verifier_key: SigningKey::generate().unwrap().public_key().clone(),
            verifier_name: "UNHCR registration".into(),
            purpose: "Registration".into(),
            credentials: vec![RequestedCredential {
                credential_type: "urn:test:id".into(),
                claims: vec![RequestedClaim {
                    path: "given_name".into(),
                    required: true,
                }],
            }],
            created_at: NOW - 10,
            expires_at: NOW + 300,
            known_certificates: Vec::new(),
        }
    }

    fn registrar(key: &VerifyingKey) -> TrustedRegistrar {
        TrustedRegistrar {
            id: "urn:registrar:1".into(),
            name: "Coordination body".into(),
            country: "NL".into(),
            key: key.clone(),
            valid_from: NOW - 100,
            valid_until: NOW + 100,
        }
    }

    struct Fake {
        statement: CertificateStatement,
        signer: VerifyingKey,
        request: RequestSignature,
    }

    impl RequestCertificate for Fake {
        fn statement(&self) -> &CertificateStatement {
            &self.statement
        }
        fn is_signed_by(&self, registrar_key: &VerifyingKey) -> bool {
            registrar_key == &self.signer
        }
        fn request_signature(&self) -> RequestSignature {
            self.request
        }
    }

    fn certificate(signer: &VerifyingKey) -> Fake {
        Fake {
            statement: CertificateStatement {
                registrar_id: "urn:registrar:1".into(),
                organisation: "Aid Org".into(),
                country: "GR".into(),
                purposes: vec!["Food distribution".into()],
                scope: BTreeMap::from([("urn:test:id".into(), vec!["given_name".into()])]),
                valid_from: NOW - 50,
                valid_until: NOW + 50,
                reference: [1, 2, 3, 4, 5, 6, 7, 8],
            },
            signer: signer.clone(),
            request: RequestSignature::Verifies,
        }
    }

    fn reason(identity: VerifierIdentity) -> Option<UnverifiedReason> {
        match identity {
            VerifierIdentity::Unverified {
                reason,
                claimed_name,
                claimed_purpose,
            } => {
                assert_eq!(claimed_name, "UNHCR registration");
                assert_eq!(claimed_purpose, "Registration");
                Some(reason)
            }
            VerifierIdentity::Verified(_) => None,
        }
    }

    #[test]
    fn a_good_certificate_is_verified_with_its_own_facts_never_the_request_text() {
        let key = SigningKey::generate().unwrap().public_key().clone();
        let cert = certificate(&key);
        let identity = identify(
            &request(),
            RequestEvidence::Certificate(&cert),
            &[registrar(&key)],
            NOW,
        );
        let VerifierIdentity::Verified(verified) = &identity else {
            panic!("not verified: {identity:?}");
        };
        assert_eq!(verified.organisation, "Aid Org");
        assert_eq!(verified.country, "GR");
        assert_eq!(verified.registrar, "Coordination body");
        assert_eq!(verified.purposes, vec!["Food distribution".to_owned()]);
        assert_eq!(verified.certificate_reference, [1, 2, 3, 4, 5, 6, 7, 8]);
        assert_eq!(verified.valid_until, NOW + 50);
        assert!(identity.within_scope("urn:test:id", "given_name"));
        assert!(!identity.within_scope("urn:test:id", "portrait"));
        assert!(!identity.within_scope("urn:other", "given_name"));
    }

    #[test]
    fn every_failure_has_its_reason() {
        let key = SigningKey::generate().unwrap().public_key().clone();
        let other = SigningKey::generate().unwrap().public_key().clone();
        let trusted = [registrar(&key)];
        let ask = |evidence, registrars: &[TrustedRegistrar], now| {
            reason(identify(&request(), evidence, registrars, now))
        };
        assert_eq!(
            ask(RequestEvidence::Unsigned, &trusted, NOW),
            Some(UnverifiedReason::NoCertificate)
        );
        // An unsigned request is NoCertificate whether or not the holder trusts registrars.
        assert_eq!(
            ask(RequestEvidence::Unsigned, &[], NOW),
            Some(UnverifiedReason::NoCertificate)
        );
        assert_eq!(
            ask(RequestEvidence::MalformedCertificate, &trusted, NOW),
            Some(UnverifiedReason::MalformedCertificate)
        );
        let good = certificate(&key);
        assert_eq!(
            ask(RequestEvidence::Certificate(&good), &[], NOW),
            Some(UnverifiedReason::NoVerifierTrustList)
        );
        let mut stranger = certificate(&key);
        stranger.statement.registrar_id = "urn:registrar:other".into();
        assert_eq!(
            ask(RequestEvidence::Certificate(&stranger), &trusted, NOW),
            Some(UnverifiedReason::UnknownRegistrar)
        );
        // A registrar outside its own period on the list is not trusted.
        let mut retired = registrar(&key);
        retired.valid_until = NOW;
        assert_eq!(
            ask(RequestEvidence::Certificate(&good), &[retired], NOW),
            Some(UnverifiedReason::UnknownRegistrar)
        );
        let forged = certificate(&other);
        assert_eq!(
            ask(RequestEvidence::Certificate(&forged), &trusted, NOW),
            Some(UnverifiedReason::BadSignature)
        );
        assert_eq!(
            ask(RequestEvidence::Certificate(&good), &trusted, NOW + 50),
            Some(UnverifiedReason::Expired)
        );
        assert_eq!(
            ask(RequestEvidence::Certificate(&good), &trusted, NOW - 51),
            Some(UnverifiedReason::NotYetValid)
        );
        let mut relayed = certificate(&key);
        relayed.request = RequestSignature::ByAnotherKey;
        assert_eq!(
            ask(RequestEvidence::Certificate(&relayed), &trusted, NOW),
            Some(UnverifiedReason::CertificateForAnotherKey)
        );
        let mut other_bytes = certificate(&key);
        other_bytes.request = RequestSignature::DoesNotVerify;
        assert_eq!(
            ask(RequestEvidence::Certificate(&other_bytes), &trusted, NOW),
            Some(UnverifiedReason::BadSignature)
        );
        assert_eq!(
            ask(RequestEvidence::Certificate(&good), &trusted, NOW),
            None
        );
    }

    #[test]
    fn nothing_is_within_the_scope_of_an_unverified_verifier() {
        let identity = identify(&request(), RequestEvidence::Unsigned, &[], NOW);
        assert!(!identity.is_verified());
        assert!(!identity.within_scope("urn:test:id", "given_name"));
    }
}
