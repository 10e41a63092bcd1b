//! Presenting: a DeviceResponse that discloses only the chosen items of stored credentials,
//! bound to the session by a device signature.

use ciborium::Value;

use crate::mdoc::cbor::write::{Out, embed, encode, encode_value};
use crate::mdoc::data_elements::ElementRef;
use crate::mdoc::device_auth;
use crate::mdoc::device_response::DEVICE_RESPONSE_VERSION;
use crate::mdoc::error::{Limit, MdocError, MdocResult};
use crate::mdoc::issued::IssuedMdoc;
use crate::mdoc::limits::MAX_DOCUMENTS;
use crate::mdoc::session_transcript::SessionTranscript;
use laissez_crypto::ecdsa::Es256Signer;

/// DeviceResponse status: OK.
const STATUS_OK: u64 = 0;

/// One credential to present: which of its elements to disclose, and the holder key that
/// signs (it must be the MSO's device key).
pub struct Disclosure<'a> {
    /// The stored credential.
    pub credential: &'a IssuedMdoc,
    /// The elements to disclose; all must be in the credential. Order does not matter;
    /// repeats are ignored. Empty discloses nothing but still proves possession.
    pub elements: &'a [ElementRef],
    /// The holder's device key.
    pub device_signer: &'a dyn Es256Signer,
}

/// Builds a DeviceResponse (version "1.0", status 0) with one document per disclosure:
/// `issuerSigned` holds only the chosen IssuerSignedItemBytes (exactly as issued) and the
/// issuer's `issuerAuth`; `deviceSigned` holds empty device namespaces and a
/// `deviceSignature` (COSE_Sign1 ES256, detached) over DeviceAuthenticationBytes for
/// `transcript`.
pub fn present(
    disclosures: &[Disclosure<'_>],
    transcript: &SessionTranscript,
) -> MdocResult<Vec<u8>> {
    if disclosures.is_empty() {
        return Err(MdocError::InvalidInput("nothing to present"));
    }
    if disclosures.len() > MAX_DOCUMENTS {
        return Err(MdocError::TooLarge(Limit::Documents));
    }
    // DeviceNameSpacesBytes for an empty DeviceNameSpaces map.
    let device_namespaces = encode_value(&embed(encode_value(&Value::Map(Vec::new()))?))?;

    let mut views = Vec::with_capacity(disclosures.len());
    let mut signatures = Vec::with_capacity(disclosures.len());
    for disclosure in disclosures {
        let credential = disclosure.credential;
        if disclosure.device_signer.verifying_key() != credential.mso().device_key {
            return Err(MdocError::DeviceKeyMismatch);
        }
        if let Some(missing) = disclosure.elements.iter().find(|e| !credential.contains(e)) {
            return Err(MdocError::ElementNotFound {
                namespace: missing.namespace.clone(),
                element: missing.identifier.clone(),
            });
        }
        let payload = device_auth::device_authentication_bytes(
            transcript,
            credential.doc_type(),
            &device_namespaces,
        )?;
        signatures.push(device_auth::sign(&payload, disclosure.device_signer)?);
        views.push(credential.view()?);
    }

    let mut documents = Vec::with_capacity(views.len());
    for ((view, disclosure), signature) in views.iter().zip(disclosures).zip(signatures) {
        let chosen = |ns: &str, id: &str| {
            disclosure
                .elements
                .iter()
                .any(|e| e.namespace == ns && e.identifier == id)
        };
        let namespaces: Vec<(Out<'_>, Out<'_>)> = view
            .issuer_signed
            .namespaces
            .iter()
            .filter_map(|ns| {
                let items: Vec<Out<'_>> = ns
                    .items
                    .iter()
                    .filter(|item| chosen(&ns.name, &item.item.element_identifier))
                    .map(|item| Out::Raw(item.raw))
                    .collect();
                (!items.is_empty()).then(|| (Out::Text(&ns.name), Out::Array(items)))
            })
            .collect();
        let mut issuer_signed = Vec::new();
        if !namespaces.is_empty() {
            issuer_signed.push((Out::Text("nameSpaces"), Out::Map(namespaces)));
        }
        issuer_signed.push((
            Out::Text("issuerAuth"),
            Out::Raw(view.issuer_signed.issuer_auth_raw),
        ));
        let device_signed = Out::Map(vec![
            (Out::Text("nameSpaces"), Out::Raw(&device_namespaces)),
            (
                Out::Text("deviceAuth"),
                Out::Map(vec![(Out::Text("deviceSignature"), Out::Value(signature))]),
            ),
        ]);
        documents.push(Out::Map(vec![
            (Out::Text("docType"), Out::Text(&view.doc_type)),
            (Out::Text("issuerSigned"), Out::Map(issuer_signed)),
            (Out::Text("deviceSigned"), device_signed),
        ]));
    }
    encode(&Out::Map(vec![
        (Out::Text("version"), Out::Text(DEVICE_RESPONSE_VERSION)),
        (Out::Text("documents"), Out::Array(documents)),
        (
            Out::Text("status"),
            Out::Value(Value::Integer(STATUS_OK.into())),
        ),
    ]))
}
