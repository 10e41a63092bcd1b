//! Verifying a DeviceResponse: issuer signature and trust, certificate and MSO validity,
//! docType, item digests, and device authentication over the expected SessionTranscript.
//!
//! Checks run in this order for each document, and the first failure is returned:
//! docType expected by the caller; issuer signature (key from `x5chain`, or a trust anchor
//! key when there is no `x5chain`); certificate validity and trust; MSO docType; MSO
//! validity; digests of every returned item; device signature or MAC.

use ciborium::Value;
use serde_json::Value as Json;

use crate::credential::StatusReference;
use crate::mdoc::cbor::json::cbor_to_json;
use crate::mdoc::cbor::node;
use crate::mdoc::device_auth::{self, ReaderPrivateKey};
use crate::mdoc::device_response::DeviceResponseView;
use crate::mdoc::document::{DeviceAuthView, DocumentView, IssuerSignedView};
use crate::mdoc::error::{MdocError, MdocResult, ValidityScope};
use crate::mdoc::mso::ValidityInfo;
use crate::mdoc::session_transcript::SessionTranscript;
use crate::mdoc::trust::{self, IssuerTrust, TrustAnchors};
use crate::x509::{Certificate, ValidityStatus};
use laissez_crypto::ecdsa::{HighS, VerifyingKey};
use laissez_crypto::issuer_key::IssuerKey;

/// What a verifier knows and expects.
#[derive(Debug, Clone, Copy)]
pub struct VerifyOptions<'a> {
    /// The verification time, Unix seconds.
    pub now: i64,
    /// The issuers trusted (certificates and keys). Empty: nothing is trusted.
    pub trust_anchors: &'a TrustAnchors,
    /// The SessionTranscript of this session, as the verifier computed it.
    pub session_transcript: &'a SessionTranscript,
    /// The docType asked for, if any; every document must have it.
    pub expected_doc_type: Option<&'a str>,
    /// The reader's ephemeral private key, needed only for documents that authenticate
    /// with `deviceMac`.
    pub reader_key: Option<&'a ReaderPrivateKey>,
    /// The holder's high-S `deviceSignature`: [`HighS::Refuse`] where a replay decision
    /// keys on it (the field verifier), [`HighS::Accept`] for other wallets' responses,
    /// which may not normalise `s`. The issuer signature accepts both forms.
    pub holder_high_s: HighS,
}

/// How the holder's device authenticated a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeviceAuthMethod {
    /// `deviceSignature` (COSE_Sign1, ES256).
    Signature,
    /// `deviceMac` (COSE_Mac0, HMAC-SHA256 with a key agreed with the reader).
    Mac,
}

/// The issuer of a verified document.
#[derive(Debug, Clone, PartialEq)]
pub struct IssuerInfo {
    /// Whether the issuer chains to a trust anchor. Always `Trusted` in the results of
    /// [`verify_device_response`].
    pub trust: IssuerTrust,
    /// Which trust anchor vouched for the issuer (its index in the [`TrustAnchors`] given),
    /// when trusted.
    pub anchor: Option<usize>,
    /// The key that signed the MSO (P-256, P-384 or Ed25519).
    pub key: IssuerKey,
    /// The document signer certificate (first of `x5chain`), if the document had one.
    pub certificate: Option<Certificate>,
}

impl IssuerInfo {
    /// The subject of the issuer certificate, e.g. `C=US, CN=utopia ds`.
    pub fn subject(&self) -> Option<String> {
        self.certificate.as_ref().map(Certificate::subject)
    }

    /// The common name of the issuer certificate.
    pub fn common_name(&self) -> Option<&str> {
        self.certificate.as_ref().and_then(Certificate::common_name)
    }
}

/// One disclosed data element.
///
/// `Debug` shows the identifier, not the value.
#[derive(Clone, PartialEq)]
pub struct DisclosedElement {
    /// The element identifier.
    pub identifier: String,
    /// The value, as CBOR.
    pub value: Value,
}

impl DisclosedElement {
    /// The value as JSON (bytes as base64url, dates as text; see `cbor_to_json`).
    pub fn to_json(&self) -> Json {
        cbor_to_json(&self.value)
    }
}

impl std::fmt::Debug for DisclosedElement {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DisclosedElement")
            .field("identifier", &self.identifier)
            .finish_non_exhaustive()
    }
}

/// The disclosed elements of one namespace, in the order received.
#[derive(Debug, Clone, PartialEq)]
pub struct DisclosedNamespace {
    /// The namespace.
    pub namespace: String,
    /// Its elements.
    pub elements: Vec<DisclosedElement>,
}

/// A document that passed verification.
#[derive(Debug, Clone, PartialEq)]
pub struct VerifiedDocument {
    /// The docType.
    pub doc_type: String,
    /// Who issued it.
    pub issuer: IssuerInfo,
    /// The MSO validity.
    pub validity: ValidityInfo,
    /// The holder's device key from the MSO.
    pub device_key: VerifyingKey,
    /// Issuer-signed elements (each checked against its digest).
    pub issuer_signed: Vec<DisclosedNamespace>,
    /// Device-signed elements: asserted by the holder's device only, not by the issuer
    /// (MSO `keyAuthorizations` are not checked).
    pub device_signed: Vec<DisclosedNamespace>,
    /// Where the issuer publishes the credential's status (MSO `status`), if anywhere.
    pub status: Option<StatusReference>,
    /// How the device authenticated; `None` for an issuer-only check
    /// ([`crate::mdoc::IssuedMdoc::verify`]).
    pub device_auth: Option<DeviceAuthMethod>,
}

impl VerifiedDocument {
    /// The issuer-signed value of one element.
    pub fn element(&self, namespace: &str, identifier: &str) -> Option<&Value> {
        find(&self.issuer_signed, namespace, identifier)
    }

    /// The device-signed value of one element.
    pub fn device_element(&self, namespace: &str, identifier: &str) -> Option<&Value> {
        find(&self.device_signed, namespace, identifier)
    }

    /// Issuer-signed elements as JSON: `{namespace: {identifier: value}}`.
    pub fn issuer_signed_json(&self) -> Json {
        to_json(&self.issuer_signed)
    }

    /// Device-signed elements as JSON: `{namespace: {identifier: value}}`.
    pub fn device_signed_json(&self) -> Json {
        to_json(&self.device_signed)
    }
}

fn find<'a>(namespaces: &'a [DisclosedNamespace], ns: &str, id: &str) -> Option<&'a Value> {
    namespaces
        .iter()
        .find(|n| n.namespace == ns)?
        .elements
        .iter()
        .find(|e| e.identifier == id)
        .map(|e| &e.value)
}

fn to_json(namespaces: &[DisclosedNamespace]) -> Json {
    Json::Object(
        namespaces
            .iter()
            .map(|ns| {
                let elements = ns
                    .elements
                    .iter()
                    .map(|e| (e.identifier.clone(), e.to_json()))
                    .collect();
                (ns.namespace.clone(), Json::Object(elements))
            })
            .collect(),
    )
}

/// Verifies every document of a DeviceResponse (see the module documentation for the
/// checks). Fails if the response status is not 0, if it has no document, or if any
/// document fails a check; otherwise returns the verified documents in order.
pub fn verify_device_response(
    bytes: &[u8],
    options: &VerifyOptions<'_>,
) -> MdocResult<Vec<VerifiedDocument>> {
    let root = node::decode(bytes)?;
    let response = DeviceResponseView::parse(&root)?;
    if response.status != 0 {
        return Err(MdocError::ResponseStatus(response.status));
    }
    if response.documents.is_empty() {
        return Err(MdocError::NoDocuments);
    }
    response
        .documents
        .iter()
        .map(|document| verify_document(document, options))
        .collect()
}

fn verify_document(
    document: &DocumentView<'_>,
    options: &VerifyOptions<'_>,
) -> MdocResult<VerifiedDocument> {
    if let Some(expected) = options.expected_doc_type {
        if expected != document.doc_type {
            return Err(MdocError::DocTypeMismatch {
                expected: expected.to_owned(),
                found: document.doc_type.clone(),
            });
        }
    }
    let mut verified = check_issuer_signed(
        &document.issuer_signed,
        &document.doc_type,
        options.trust_anchors,
        options.now,
        true,
    )?;

    let device_signed = document
        .device_signed
        .as_ref()
        .ok_or(MdocError::MissingDeviceAuth)?;
    let payload = device_auth::device_authentication_bytes(
        options.session_transcript,
        &document.doc_type,
        device_signed.namespaces_raw,
    )?;
    let device_key = &verified.device_key;
    verified.device_auth = Some(match &device_signed.auth {
        None => return Err(MdocError::MissingDeviceAuth),
        Some(DeviceAuthView::Signature(sign1)) => {
            device_auth::verify_signature(sign1, &payload, device_key, options.holder_high_s)?;
            DeviceAuthMethod::Signature
        }
        Some(DeviceAuthView::Mac(mac0)) => {
            let reader = options.reader_key.ok_or(MdocError::DeviceMacNotSupported)?;
            device_auth::verify_mac(
                mac0,
                &payload,
                device_key,
                reader,
                options.session_transcript,
            )?;
            DeviceAuthMethod::Mac
        }
    });
    verified.device_signed = device_signed
        .namespaces
        .iter()
        .map(|(namespace, elements)| DisclosedNamespace {
            namespace: namespace.clone(),
            elements: elements
                .iter()
                .map(|(identifier, value)| DisclosedElement {
                    identifier: identifier.clone(),
                    value: value.clone(),
                })
                .collect(),
        })
        .collect();
    Ok(verified)
}

/// The issuer-side checks, without device authentication; the trust decision is reported,
/// not enforced (for a holder importing a credential).
pub(crate) fn verify_issuer_signed(
    issuer_signed: &IssuerSignedView<'_>,
    doc_type: &str,
    anchors: &TrustAnchors,
    now: i64,
) -> MdocResult<VerifiedDocument> {
    check_issuer_signed(issuer_signed, doc_type, anchors, now, false)
}

fn time_check(status: ValidityStatus, scope: ValidityScope) -> MdocResult<()> {
    match status {
        ValidityStatus::Valid => Ok(()),
        ValidityStatus::Expired => Err(MdocError::Expired(scope)),
        ValidityStatus::NotYetValid => Err(MdocError::NotYetValid(scope)),
    }
}

/// The key that signed the MSO, the anchor that vouches for it (`None`: untrusted) and the
/// document signer certificate, if the document carried one.
type SignerTrust = (IssuerKey, Option<usize>, Option<Certificate>);

/// Finds the key that signed the MSO and decides trust.
fn issuer_key_and_trust(
    issuer_signed: &IssuerSignedView<'_>,
    anchors: &TrustAnchors,
    now: i64,
) -> MdocResult<SignerTrust> {
    let auth = &issuer_signed.issuer_auth;
    if let Some(leaf) = auth.chain.first() {
        if !auth.verifies_with(leaf.public_key()) {
            return Err(MdocError::BadIssuerSignature);
        }
        let found = trust::evaluate_chain(&auth.chain, anchors, now)?;
        if let Some(found) = found {
            check_countries(leaf, anchors, found.anchor)?;
        }
        return Ok((
            leaf.public_key().clone(),
            found.map(|f| f.anchor),
            Some(leaf.clone()),
        ));
    }
    // No x5chain: only a trust anchor's own key can be tried.
    let key = anchors
        .direct_keys()
        .map(|(_, key)| key)
        .find(|key| auth.verifies_with(key))
        .ok_or(MdocError::UntrustedIssuer)?
        .clone();
    let Some(anchor) = anchors.anchor_for_key(&key, now) else {
        // The key belongs only to anchor certificates outside their validity.
        if let Some((_, cert)) = anchors.certificates().find(|(_, c)| c.public_key() == &key) {
            time_check(cert.validity_at(now), ValidityScope::IssuerCertificate)?;
        }
        return Err(MdocError::UntrustedIssuer);
    };
    Ok((key, Some(anchor), None))
}

/// ISO 18013-5 7.2.1: a disclosed `issuing_country` is the document signer's country.
fn check_issuing_country(
    disclosed: &[DisclosedNamespace],
    signer: Option<&Certificate>,
) -> MdocResult<()> {
    let Some(signer_country) = signer.and_then(Certificate::country) else {
        return Ok(());
    };
    let element = disclosed
        .iter()
        .filter(|n| n.namespace == crate::mdoc::MDL_NAMESPACE)
        .flat_map(|n| &n.elements)
        .find(|e| e.identifier == "issuing_country");
    match element.map(|e| &e.value) {
        Some(Value::Text(country)) if country != signer_country => Err(MdocError::CountryMismatch),
        _ => Ok(()),
    }
}

/// ISO 18013-5 Annex B: a document signer's country is its IACA's.
fn check_countries(leaf: &Certificate, anchors: &TrustAnchors, anchor: usize) -> MdocResult<()> {
    let anchor_country = anchors
        .anchors()
        .get(anchor)
        .and_then(|a| a.certificate())
        .and_then(Certificate::country);
    match (leaf.country(), anchor_country) {
        (Some(signer), Some(root)) if signer != root => Err(MdocError::CountryMismatch),
        _ => Ok(()),
    }
}

fn check_issuer_signed(
    issuer_signed: &IssuerSignedView<'_>,
    doc_type: &str,
    anchors: &TrustAnchors,
    now: i64,
    require_trust: bool,
) -> MdocResult<VerifiedDocument> {
    let (key, anchor, certificate) = issuer_key_and_trust(issuer_signed, anchors, now)?;
    let trust = if anchor.is_some() {
        IssuerTrust::Trusted
    } else {
        IssuerTrust::Untrusted
    };
    if require_trust && trust != IssuerTrust::Trusted {
        return Err(MdocError::UntrustedIssuer);
    }
    let mso = &issuer_signed.issuer_auth.mso;
    if mso.doc_type != doc_type {
        return Err(MdocError::DocTypeMismatch {
            expected: doc_type.to_owned(),
            found: mso.doc_type.clone(),
        });
    }
    let validity = mso.validity_info;
    if now < validity.valid_from {
        return Err(MdocError::NotYetValid(ValidityScope::Credential));
    }
    if now > validity.valid_until {
        return Err(MdocError::Expired(ValidityScope::Credential));
    }

    let mut disclosed = Vec::with_capacity(issuer_signed.namespaces.len());
    for namespace in &issuer_signed.namespaces {
        let digests = mso.value_digests.get(&namespace.name);
        let mut elements = Vec::with_capacity(namespace.items.len());
        for item in &namespace.items {
            let name = || (namespace.name.clone(), item.item.element_identifier.clone());
            let expected = digests
                .and_then(|d| d.get(&item.item.digest_id))
                .ok_or_else(|| {
                    let (namespace, element) = name();
                    MdocError::MissingDigest { namespace, element }
                })?;
            if mso.digest_algorithm.digest(item.raw) != *expected {
                let (namespace, element) = name();
                return Err(MdocError::DigestMismatch { namespace, element });
            }
            elements.push(DisclosedElement {
                identifier: item.item.element_identifier.clone(),
                value: item.item.element_value.clone(),
            });
        }
        disclosed.push(DisclosedNamespace {
            namespace: namespace.name.clone(),
            elements,
        });
    }

    check_issuing_country(&disclosed, certificate.as_ref())?;
    Ok(VerifiedDocument {
        doc_type: doc_type.to_owned(),
        issuer: IssuerInfo {
            trust,
            anchor,
            key,
            certificate,
        },
        validity,
        device_key: mso.device_key.clone(),
        status: mso.status.clone(),
        issuer_signed: disclosed,
        device_signed: Vec::new(),
        device_auth: None,
    })
}
