//! Issuing an mdoc: salted items, their digests in an MSO, the MSO signed as `issuerAuth`.

use std::collections::BTreeMap;

use ciborium::Value;

use crate::credential::StatusReference;
use crate::mdoc::cbor::write::{Out, encode};
use crate::mdoc::data_elements::DataElements;
use crate::mdoc::error::{Limit, MdocError, MdocResult};
use crate::mdoc::issued::IssuedMdoc;
use crate::mdoc::issuer_auth;
use crate::mdoc::issuer_signed_item::IssuerSignedItem;
use crate::mdoc::limits::MAX_ELEMENTS;
use crate::mdoc::mso::{DigestAlgorithm, MSO_VERSION, MobileSecurityObject, ValidityInfo};
use crate::x509::Certificate;
use laissez_crypto::ecdsa::VerifyingKey;
use laissez_crypto::issuer_key::{IssuerKey, IssuerSigner};
use laissez_crypto::random;

/// Length of each item's random salt: the 16 bytes ISO/IEC 18013-5 requires at least (more
/// only lengthens every disclosed item).
pub const SALT_LEN: usize = 16;

/// What to issue.
#[derive(Debug, Clone)]
pub struct IssueRequest {
    /// The docType, e.g. `org.iso.18013.5.1.mDL` or `eu.europa.ec.eudi.pid.1`.
    pub doc_type: String,
    /// The data elements, by namespace.
    pub elements: DataElements,
    /// The holder's device key (goes into the MSO `deviceKeyInfo`).
    pub device_key: VerifyingKey,
    /// `signed`, `validFrom`, `validUntil` (and optionally `expectedUpdate`), Unix seconds.
    pub validity: ValidityInfo,
    /// The issuer's certificate (DER) for the `x5chain` header; it must certify the key
    /// that signs. Without it, verifiers need the issuer key itself as a trust anchor.
    pub issuer_certificate: Option<Vec<u8>>,
    /// Where the issuer publishes the credential's status (MSO `status`), if anywhere.
    pub status: Option<StatusReference>,
}

/// A uniformly random index below `bound` (rejection sampling over 32-bit draws).
fn random_below(bound: u32) -> MdocResult<u32> {
    let zone = u32::MAX - u32::MAX % bound;
    loop {
        let draw = u32::from_be_bytes(random::bytes::<4>().map_err(|_| MdocError::RandomFailure)?);
        if draw < zone {
            return Ok(draw % bound);
        }
    }
}

/// `0..n` in random order, so digest IDs reveal nothing about element order.
fn shuffled_ids(n: usize) -> MdocResult<Vec<u64>> {
    let mut ids: Vec<u64> = (0..n as u64).collect();
    for i in (1..n).rev() {
        let j =
            random_below(u32::try_from(i + 1).map_err(|_| MdocError::TooLarge(Limit::Elements))?)?;
        ids.swap(i, j as usize);
    }
    Ok(ids)
}

fn check(request: &IssueRequest, issuer_key: &IssuerKey) -> MdocResult<()> {
    if request.doc_type.is_empty() {
        return Err(MdocError::InvalidInput("empty docType"));
    }
    if request.elements.is_empty() {
        return Err(MdocError::InvalidInput("no data elements"));
    }
    if request.elements.len() > MAX_ELEMENTS {
        return Err(MdocError::TooLarge(Limit::Elements));
    }
    for (namespace, mut elements) in request.elements.iter() {
        if namespace.is_empty() || elements.any(|(id, _)| id.is_empty()) {
            return Err(MdocError::InvalidInput(
                "empty namespace or element identifier",
            ));
        }
    }
    let v = &request.validity;
    if v.valid_from > v.valid_until || v.signed > v.valid_until {
        return Err(MdocError::InvalidInput("validity ends before it starts"));
    }
    if let Some(der) = &request.issuer_certificate {
        if Certificate::from_der(der)?.public_key() != issuer_key {
            return Err(MdocError::InvalidInput(
                "the issuer certificate is not for the signing key",
            ));
        }
    }
    Ok(())
}

/// Issues a credential: every element gets a fresh 32-byte salt and a random digest ID,
/// is encoded as IssuerSignedItemBytes and digested (SHA-256) into the MSO, which `issuer`
/// signs (COSE_Sign1 with the issuer's algorithm: ES256, ES384 or EdDSA) with
/// `issuer_certificate` in `x5chain`.
pub fn issue(request: &IssueRequest, issuer: &dyn IssuerSigner) -> MdocResult<IssuedMdoc> {
    let issuer_key = issuer.issuer_key();
    check(request, &issuer_key)?;
    let algorithm = DigestAlgorithm::Sha256;

    let mut encoded: Vec<(&str, Vec<Vec<u8>>)> = Vec::new();
    let mut value_digests = BTreeMap::new();
    for (namespace, elements) in request.elements.iter() {
        let elements: Vec<(&str, &Value)> = elements.collect();
        let ids = shuffled_ids(elements.len())?;
        let mut items = Vec::with_capacity(elements.len());
        let mut digests = BTreeMap::new();
        for ((identifier, value), digest_id) in elements.into_iter().zip(ids) {
            let item = IssuerSignedItem {
                digest_id,
                random: random::bytes::<SALT_LEN>()
                    .map_err(|_| MdocError::RandomFailure)?
                    .to_vec(),
                element_identifier: identifier.to_owned(),
                element_value: value.clone(),
            };
            let bytes = item.to_embedded_bytes()?;
            digests.insert(digest_id, algorithm.digest(&bytes));
            items.push(bytes);
        }
        value_digests.insert(namespace.to_owned(), digests);
        encoded.push((namespace, items));
    }

    let mso = MobileSecurityObject {
        version: MSO_VERSION.into(),
        digest_algorithm: algorithm,
        value_digests,
        device_key: request.device_key.clone(),
        doc_type: request.doc_type.clone(),
        validity_info: request.validity,
        status: request.status.clone(),
    };
    let issuer_auth = issuer_auth::sign(
        mso.to_embedded_bytes()?,
        issuer,
        request.issuer_certificate.as_deref(),
    )?;

    let namespaces = encoded
        .iter()
        .map(|(namespace, items)| {
            (
                Out::Text(namespace),
                Out::Array(items.iter().map(|b| Out::Raw(b)).collect()),
            )
        })
        .collect();
    let issuer_signed = encode(&Out::Map(vec![
        (Out::Text("nameSpaces"), Out::Map(namespaces)),
        (Out::Text("issuerAuth"), Out::Value(issuer_auth)),
    ]))?;
    IssuedMdoc::from_bytes(&issuer_signed)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn shuffled_ids_are_a_permutation() {
        for n in [0, 1, 2, 17] {
            let mut ids = shuffled_ids(n).unwrap();
            ids.sort_unstable();
            assert_eq!(ids, (0..n as u64).collect::<Vec<_>>());
        }
        assert!(random_below(1).unwrap() == 0);
    }
}
