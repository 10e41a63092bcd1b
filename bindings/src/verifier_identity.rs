//! Who asks, as the holder's wallet established it (ADR 0021): the verifier's identity on the
//! consent screen and in the disclosure history. Wrappers over
//! `wallet_core::wallet::verifier_identity`; the decision is the core's.

use wallet_core::wallet::credentials::DisclosedVerifier as CoreDisclosed;
use wallet_core::wallet::verifier_identity::{
    UnverifiedReason as CoreReason, VerifierIdentity as CoreIdentity,
};

/// Who asks, as the wallet could establish it.
///
/// Show `Verified`'s fields as the verifier's identity. Show `Unverified` as a plain warning,
/// with the claimed name and purpose marked as not checked, and ask for an extra step before
/// answering (`Wallet.respond` refuses without an `UnverifiedAcknowledgement`).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum VerifierIdentity {
    /// A registrar on the wallet's trust list certified the key that signed this request.
    /// Everything here comes from the certificate and the trust list, never from the
    /// request's own text.
    Verified {
        /// The verifier's organisation, as certified.
        organisation: String,
        /// Its country (ISO 3166-1 alpha-2), as certified.
        country: String,
        /// What it is registered to ask for claims for.
        purposes: Vec<String>,
        /// Who certified it: the registrar's name from the wallet's trust list.
        registrar: String,
        /// The certificate's short reference (16 hex digits), for support and the history.
        certificate_reference: String,
        /// When the certificate stops being valid, Unix seconds.
        valid_until: i64,
    },
    /// Not checked: why, and what the request says of itself (unchecked).
    Unverified {
        /// Why the verifier could not be verified.
        reason: UnverifiedReason,
        /// The name the request gives itself: anyone can print any name.
        claimed_name: String,
        /// The purpose the request gives: not checked either.
        claimed_purpose: String,
    },
}

/// Why a verifier could not be verified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum UnverifiedReason {
    /// The request carries no registration certificate (it is not signed).
    NoCertificate,
    /// The certificate's registrar is not on the wallet's trust list.
    UnknownRegistrar,
    /// The certificate has expired.
    Expired,
    /// The certificate is not valid yet.
    NotYetValid,
    /// A signature does not verify: the registrar's over the certificate, or the verifier's
    /// over the request (altered, or relayed with another answer key).
    BadSignature,
    /// The certificate belongs to another verifier than the one that signed the request.
    CertificateForAnotherKey,
    /// The certificate could not be read.
    MalformedCertificate,
    /// The wallet's trust list names no registrar (none installed, expired, or without
    /// registrars), so no certificate can be checked.
    NoVerifierTrustList,
}

impl From<CoreReason> for UnverifiedReason {
    fn from(reason: CoreReason) -> Self {
        match reason {
            CoreReason::NoCertificate => Self::NoCertificate,
            CoreReason::UnknownRegistrar => Self::UnknownRegistrar,
            CoreReason::Expired => Self::Expired,
            CoreReason::NotYetValid => Self::NotYetValid,
            CoreReason::BadSignature => Self::BadSignature,
            CoreReason::CertificateForAnotherKey => Self::CertificateForAnotherKey,
            CoreReason::MalformedCertificate => Self::MalformedCertificate,
            CoreReason::NoVerifierTrustList => Self::NoVerifierTrustList,
        }
    }
}

impl From<CoreIdentity> for VerifierIdentity {
    fn from(identity: CoreIdentity) -> Self {
        match identity {
            CoreIdentity::Verified(v) => Self::Verified {
                organisation: v.organisation,
                country: v.country,
                purposes: v.purposes,
                registrar: v.registrar,
                certificate_reference: hex::encode(v.certificate_reference),
                valid_until: v.valid_until,
            },
            CoreIdentity::Unverified {
                reason,
                claimed_name,
                claimed_purpose,
            } => Self::Unverified {
                reason: reason.into(),
                claimed_name,
                claimed_purpose,
            },
        }
    }
}

/// The person saw the warning that one request's verifier is unverified and took the extra
/// step to answer anyway. Give it to `Wallet.respond` only after that step; it is bound to the
/// request it was made for (`RequestView.requestId`).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct UnverifiedAcknowledgement {
    /// The `requestId` of the `RequestView` whose warning the person saw.
    pub request_id: String,
}

/// Who a disclosure went to, as the wallet established it when the person consented.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum DisclosedVerifier {
    /// A verifier certified by a registrar on the wallet's trust list.
    Verified {
        /// The organisation, as certified.
        organisation: String,
        /// Its country, as certified.
        country: String,
        /// The registrar's name, from the wallet's trust list.
        registrar: String,
        /// The certificate's reference (16 hex digits).
        certificate_reference: String,
    },
    /// A verifier the wallet could not verify.
    Unverified {
        /// The name its request claimed (never checked).
        claimed_name: String,
        /// Why it was not verified (snake_case: `no_certificate`, `unknown_registrar`, ...).
        reason: String,
    },
}

impl From<CoreDisclosed> for DisclosedVerifier {
    fn from(disclosed: CoreDisclosed) -> Self {
        match disclosed {
            CoreDisclosed::Verified {
                organisation,
                country,
                registrar,
                certificate_reference,
            } => Self::Verified {
                organisation,
                country,
                registrar,
                certificate_reference,
            },
            CoreDisclosed::Unverified {
                claimed_name,
                reason,
            } => Self::Unverified {
                claimed_name,
                reason,
            },
        }
    }
}
