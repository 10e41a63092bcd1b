//! The bridge between a signed request as opened ([`crate::exchange::signed_request`], ADR
//! 0020) and the holder's decision about who asks ([`super::verifier_identity::identify`], ADR
//! 0021): what the request's registration certificate states, whether a registrar's key
//! signed it, and how the request's own signature checked out.

use std::collections::BTreeMap;

use laissez_crypto::ecdsa::VerifyingKey;
use laissez_formats::registration::{self, NOT_BEFORE_SKEW_SECS, Registration};

use super::verifier_identity::{
    CertificateStatement, RequestCertificate, RequestEvidence, RequestSignature,
};
use crate::exchange::signed_request::{SignatureCheck, SignerEvidence};

/// A signed request's certificate, read (not yet believed), with its request's signature check.
pub struct OpenedCertificate {
    bytes: Vec<u8>,
    statement: CertificateStatement,
    signature: RequestSignature,
}

/// What `evidence` gives [`super::verifier_identity::identify`]: a readable certificate, an
/// unreadable one, or none (a reference to a certificate this holder does not hold counts as
/// none: nothing can be checked).
pub fn opened_certificate(
    evidence: &SignerEvidence,
) -> Result<OpenedCertificate, RequestEvidence<'static>> {
    let signature = match &evidence.signature {
        SignatureCheck::Valid => RequestSignature::Verifies,
        SignatureCheck::BadSignature => RequestSignature::DoesNotVerify,
        SignatureCheck::CertificateForAnotherKey => RequestSignature::ByAnotherKey,
        SignatureCheck::UnreadableCertificate(_) => {
            return Err(RequestEvidence::MalformedCertificate);
        }
        SignatureCheck::UnknownReference => return Err(RequestEvidence::Unsigned),
    };
    let Some(bytes) = evidence.certificate.clone() else {
        return Err(RequestEvidence::Unsigned);
    };
    let claims =
        registration::read_unverified(&bytes).map_err(|_| RequestEvidence::MalformedCertificate)?;
    Ok(OpenedCertificate {
        statement: statement_of(&bytes, claims),
        bytes,
        signature,
    })
}

fn statement_of(bytes: &[u8], claims: Registration) -> CertificateStatement {
    let mut scope: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for entry in claims.scope {
        scope
            .entry(entry.credential_type)
            .or_default()
            .extend(entry.claims);
    }
    CertificateStatement {
        registrar_id: claims.registrar_id,
        organisation: claims.organisation,
        country: claims.country,
        purposes: claims.purposes,
        scope,
        // The same allowance for a phone clock running behind as the certificate check's.
        valid_from: claims.not_before.saturating_sub(NOT_BEFORE_SKEW_SECS),
        valid_until: claims.not_after,
        reference: registration::reference(bytes),
    }
}

impl OpenedCertificate {
    /// The certificate's bytes.
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }
}

impl RequestCertificate for OpenedCertificate {
    fn statement(&self) -> &CertificateStatement {
        &self.statement
    }

    fn is_signed_by(&self, registrar_key: &VerifyingKey) -> bool {
        registration::is_signed_by(&self.bytes, registrar_key)
    }

    fn request_signature(&self) -> RequestSignature {
        self.signature
    }
}
