//! mdoc (ISO/IEC 18013-5) credentials in the holder's wallet.

use super::error::{CredentialError, CredentialResult};
use super::format_parts::{ClaimEntry, ImportOptions, Parsed, Presentation};
use laissez_crypto::ecdsa::Es256Signer;
use laissez_formats::credential::PresentationBinding;
use laissez_formats::credential::display::{self, DisplayMetadata};
use laissez_formats::credential::{CredentialFormat, StoredCopy, StoredCredential};
use laissez_formats::mdoc::{
    self, CborValue, Disclosure, ElementRef, IssuedMdoc, SessionTranscript, TrustAnchors,
    cbor_to_json,
};

/// Checks an issued mdoc (issuer signature with its `x5chain` or the keys given, validity,
/// digests) and reads what the wallet keeps about it.
pub(crate) fn parse_issued(input: &[u8], options: &ImportOptions) -> CredentialResult<Parsed> {
    let issued = match IssuedMdoc::from_bytes(input) {
        Ok(issued) => issued,
        Err(err) => first_document(input).ok_or(err)?,
    };
    let mut anchors = TrustAnchors::new();
    for key in &options.issuer_keys {
        anchors.add_key(key.clone());
    }
    let verified = issued.verify(&anchors, options.now)?;
    let display = display_of(&issued);
    let issuer_name = display
        .as_ref()
        .and_then(|d| display::pick(&d.issuer_name, "en").map(str::to_owned))
        .or_else(|| verified.issuer.common_name().map(str::to_owned));
    let issuer_key = verified.issuer.key.clone();
    Ok(Parsed {
        stored: StoredCredential {
            format: CredentialFormat::Mdoc,
            credential_type: issued.doc_type().to_owned(),
            issuer_fingerprint: issuer_key.fingerprint(),
            issuer_key: issuer_key.public_bytes(),
            issuer_name,
            valid_from: Some(verified.validity.valid_from),
            valid_until: Some(verified.validity.valid_until),
            display,
            imported_at: options.now,
            copies: vec![StoredCopy {
                issued: issued.into_bytes(),
                holder_key_slot: 0,
                presented_at: None,
            }],
            type_metadata: None,
        },
        holder_key: verified.device_key,
        vct_integrity: None,
    })
}

/// Issuers such as pymdoccbor deliver a DeviceResponse-like `{version, documents: [{docType,
/// issuerSigned}], status}`: take its one document. Re-encoding the document is safe: every
/// signed or digested part (items, MSO, signature) is a byte string carried unchanged.
fn first_document(input: &[u8]) -> Option<IssuedMdoc> {
    let value: CborValue = ciborium::from_reader(input).ok()?;
    let CborValue::Map(entries) = value else {
        return None;
    };
    let documents = entries.into_iter().find_map(|(k, v)| match (k, v) {
        (CborValue::Text(k), CborValue::Array(docs)) if k == "documents" => Some(docs),
        _ => None,
    })?;
    let [document] = documents.as_slice() else {
        return None;
    };
    let mut bytes = Vec::new();
    ciborium::into_writer(document, &mut bytes).ok()?;
    IssuedMdoc::from_bytes(&bytes).ok()
}

/// The display metadata element, if the issuer included one (a JSON text).
fn display_of(issued: &IssuedMdoc) -> Option<DisplayMetadata> {
    let elements = issued.data_elements().ok()?;
    match elements.get(display::MDOC_NAMESPACE, display::MDOC_ELEMENT)? {
        CborValue::Text(json) if json.len() <= display::MAX_DISPLAY_BYTES => {
            DisplayMetadata::from_json(&serde_json::from_str(json).ok()?)
        }
        _ => None,
    }
}

/// Every element of an issued mdoc (one copy), as `namespace/identifier` paths (all
/// selectively disclosable).
pub(crate) fn claims(issued: &[u8]) -> CredentialResult<Vec<ClaimEntry>> {
    let issued = IssuedMdoc::from_bytes(issued)?;
    let elements = issued.data_elements()?;
    let mut entries = Vec::new();
    for (namespace, items) in elements.iter() {
        if namespace == display::MDOC_NAMESPACE {
            continue;
        }
        for (identifier, value) in items {
            entries.push(ClaimEntry {
                path: format!("{namespace}/{identifier}"),
                value: cbor_to_json(value),
                label: None,
                selectable: true,
            });
        }
    }
    Ok(entries)
}

/// Resolves `namespace/identifier` or a bare identifier (searched in every namespace).
fn element_ref(issued: &IssuedMdoc, claim: &str) -> CredentialResult<ElementRef> {
    if let Some((namespace, identifier)) = claim.rsplit_once('/') {
        let wanted = ElementRef::new(namespace, identifier);
        return if issued.contains(&wanted) {
            Ok(wanted)
        } else {
            Err(CredentialError::UnknownClaim(claim.to_owned()))
        };
    }
    let mut found = issued.elements().iter().filter(|e| e.identifier == claim);
    match (found.next(), found.next()) {
        (Some(one), None) => Ok(one.clone()),
        _ => Err(CredentialError::UnknownClaim(claim.to_owned())),
    }
}

/// A DeviceResponse disclosing `claims` (plus the issuer's display metadata, which is not
/// personal) from one issued copy, device-signed for the session.
pub(crate) fn present(
    issued: &[u8],
    claims: &[String],
    binding: &PresentationBinding,
    signer: &dyn Es256Signer,
) -> CredentialResult<Presentation> {
    let issued = IssuedMdoc::from_bytes(issued)?;
    let mut elements = claims
        .iter()
        .map(|c| element_ref(&issued, c))
        .collect::<CredentialResult<Vec<_>>>()?;
    let display_ref = ElementRef::new(display::MDOC_NAMESPACE, display::MDOC_ELEMENT);
    if issued.contains(&display_ref) {
        elements.push(display_ref);
    }
    let transcript = match binding {
        PresentationBinding::NonceAudience { nonce, audience } => {
            SessionTranscript::openid4vp(audience, nonce, None, audience)?
        }
        PresentationBinding::SessionTranscript(bytes) => SessionTranscript::from_bytes(bytes)?,
    };
    let bytes = mdoc::present(
        &[Disclosure {
            credential: &issued,
            elements: &elements,
            device_signer: signer,
        }],
        &transcript,
    )?;
    Ok(Presentation {
        format: CredentialFormat::Mdoc,
        bytes,
        session_transcript: Some(transcript.as_bytes().to_vec()),
    })
}
