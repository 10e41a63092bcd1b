//! Issuing credentials at a registration point: claims as JSON, the holder's public key,
//! a validity period and an optional status-list index; out comes an SD-JWT VC (compact text)
//! or an mdoc (CBOR), signed with the issuer's key and carrying its certificate.
//!
//! Credentials carry no labels: wallets and verifiers take them from type metadata
//! (`laissez_formats::credential::labels`). The claims of Laissez's own migrant types are
//! checked first (partial birth dates, ICAO 9303 nationality codes:
//! `laissez_formats::credential::identity_values`).

use serde_json::{Map, Value};

use super::error::IssuerError;
use super::identity::IssuerIdentity;
use super::status_allocator::StatusAllocator;
use laissez_crypto::ecdsa::VerifyingKey;
use laissez_formats::credential::CredentialFormat;
use laissez_formats::credential::identity_values;
use laissez_formats::credential::portrait;
use laissez_formats::mdoc::{self, DataElements, MDL_NAMESPACE, ValidityInfo};
use laissez_formats::sdjwt::{self, ClaimPath, DecoyPolicy, StatusReference};

/// The ISO mDL docType, whose data elements live in the namespace without the `.mDL`.
const MDL_DOC_TYPE: &str = "org.iso.18013.5.1.mDL";

/// What to issue.
#[derive(Debug, Clone)]
pub struct CredentialOrder {
    /// The format.
    pub format: CredentialFormat,
    /// vct (SD-JWT VC) or docType (mdoc).
    pub credential_type: String,
    /// The claims: a JSON object. For mdoc, either `{namespace: {element: value}}` (every key
    /// containing a dot and every value an object) or flat elements for the docType's
    /// namespace.
    pub claims: Map<String, Value>,
    /// The holder's key.
    pub holder_key: VerifyingKey,
    /// Days of validity from `now`.
    pub valid_days: u32,
    /// Status list entry (SD-JWT VC `status.status_list`).
    pub status: Option<StatusReference>,
    /// Issuance time, Unix seconds.
    pub now: i64,
    /// The holder's portrait, JPEG bytes ([`super::portrait::prepare_portrait`] makes them
    /// from a photo), signed in selectively disclosable: the mdoc element `portrait` (a
    /// `bstr`) of the docType's namespace, or the SD-JWT VC claim `picture` (a data URL).
    pub portrait: Option<Vec<u8>>,
}

/// Issues `order` as `issuer`.
pub fn issue_credential(
    issuer: &IssuerIdentity,
    order: &CredentialOrder,
) -> Result<Vec<u8>, IssuerError> {
    if order.valid_days == 0 || order.valid_days > 36_500 {
        return Err(IssuerError::InvalidInput(
            "validity must be 1 to 36,500 days".into(),
        ));
    }
    if order.credential_type.is_empty() {
        return Err(IssuerError::InvalidInput(
            "the credential type is empty".into(),
        ));
    }
    identity_values::check_claims(&order.credential_type, &order.claims)
        .map_err(|e| IssuerError::InvalidInput(e.to_string()))?;
    if let Some(jpeg) = &order.portrait {
        super::portrait::check_portrait(jpeg)?;
        let name = match order.format {
            CredentialFormat::SdJwt => portrait::SD_JWT_CLAIM,
            CredentialFormat::Mdoc => portrait::MDOC_ELEMENT,
        };
        let in_claims = order.claims.contains_key(name)
            || order
                .claims
                .values()
                .any(|v| v.as_object().is_some_and(|o| o.contains_key(name)));
        if in_claims {
            return Err(IssuerError::InvalidInput(format!(
                "the claims already hold '{name}': give the portrait once"
            )));
        }
    }
    match order.format {
        CredentialFormat::SdJwt => issue_sd_jwt(issuer, order).map(String::into_bytes),
        CredentialFormat::Mdoc => issue_mdoc(issuer, order),
    }
}

/// Issues one credential as a batch of one-time copies, one per holder key: each copy gets
/// fresh salts, decoys and signature (one [`issue_credential`] call each) and, with
/// `status`, its own status index drawn at random from that list's allocator and recorded
/// under the credential id, so revoking the credential revokes every copy (ADR 0017).
///
/// `order.holder_key` is replaced by each key in turn, `order.status` by each copy's index,
/// and `order.now` by the start of its UTC day (so the copies' timestamps are shared by the
/// issuer's whole day, not just by the batch; validity counts from there). Without an allocator, a status index in `order` is refused for more than one key:
/// one index shared by every copy would link them. The allocator changes only when every
/// copy was issued.
pub fn issue_batch(
    issuer: &IssuerIdentity,
    order: &CredentialOrder,
    holder_keys: &[VerifyingKey],
    status: Option<(&mut StatusAllocator, &str)>,
) -> Result<Vec<Vec<u8>>, IssuerError> {
    if holder_keys.is_empty() {
        return Err(IssuerError::InvalidInput(
            "a batch needs at least one holder key".into(),
        ));
    }
    let mut distinct = std::collections::HashSet::new();
    if !holder_keys.iter().all(|k| distinct.insert(k.to_sec1())) {
        return Err(IssuerError::InvalidInput(
            "every copy of a batch needs its own holder key".into(),
        ));
    }
    let (statuses, commit) = match status {
        Some((allocator, credential_id)) => {
            let mut tentative = allocator.clone();
            let drawn = tentative.allocate(credential_id, holder_keys.len())?;
            (
                drawn.into_iter().map(Some).collect(),
                Some((allocator, tentative)),
            )
        }
        None if order.status.is_some() && holder_keys.len() > 1 => {
            return Err(IssuerError::InvalidInput(
                "copies of a batch need their own status indexes: give a status allocator".into(),
            ));
        }
        None => (vec![order.status.clone(); holder_keys.len()], None),
    };
    // Copies issued in the same second would share their exact issuance time (SD-JWT `iat`,
    // the MSO's validity): every copy carries the start of the UTC day instead, which it
    // shares with everything the issuer issued that day.
    let day_start = order.now - order.now.rem_euclid(86_400);
    let mut copies = Vec::with_capacity(holder_keys.len());
    for (key, status) in holder_keys.iter().zip(statuses) {
        let copy = CredentialOrder {
            holder_key: key.clone(),
            status,
            now: day_start,
            ..order.clone()
        };
        copies.push(issue_credential(issuer, &copy)?);
    }
    if let Some((allocator, tentative)) = commit {
        *allocator = tentative;
    }
    Ok(copies)
}

fn until(order: &CredentialOrder) -> i64 {
    order.now + i64::from(order.valid_days) * 86_400
}

fn issue_sd_jwt(issuer: &IssuerIdentity, order: &CredentialOrder) -> Result<String, IssuerError> {
    let mut claims = order.claims.clone();
    if let Some(jpeg) = &order.portrait {
        claims.insert(
            portrait::SD_JWT_CLAIM.to_owned(),
            Value::String(portrait::data_url(jpeg)),
        );
    }
    // Every claim the person has can be withheld; nested members too (address.locality).
    let mut disclosable = Vec::new();
    for (name, value) in &claims {
        disclosable.push(ClaimPath::key(name.clone()));
        if let Value::Object(members) = value {
            for member in members.keys() {
                disclosable.push(
                    ClaimPath::key(name.clone()).child(sdjwt::PathSegment::Key(member.clone())),
                );
            }
        }
    }
    let mut request = sdjwt::IssueRequest::new(
        order.credential_type.clone(),
        issuer.identifier.clone(),
        order.now,
        claims,
    );
    request.holder_key = Some(order.holder_key.clone());
    request.expires_at = Some(until(order));
    request.status = order.status.clone();
    request.selectively_disclosable = disclosable;
    request.decoys = DecoyPolicy::between(1, 3);
    request.x5c = issuer.chain();
    let issued =
        sdjwt::issue(&request, &issuer.key).map_err(|e| IssuerError::Issue(e.to_string()))?;
    // The compact form of an issued SD-JWT ends with "~" (no key binding yet).
    Ok(issued.to_compact())
}

fn namespaced(order: &CredentialOrder) -> Vec<(String, Value)> {
    let all_namespaces = !order.claims.is_empty()
        && order
            .claims
            .iter()
            .all(|(k, v)| k.contains('.') && v.is_object());
    if all_namespaces {
        return order
            .claims
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
    }
    vec![(
        doc_type_namespace(order),
        Value::Object(order.claims.clone()),
    )]
}

/// The namespace of the docType's own elements (the mDL's is the docType without `.mDL`).
fn doc_type_namespace(order: &CredentialOrder) -> String {
    if order.credential_type == MDL_DOC_TYPE {
        MDL_NAMESPACE.to_owned()
    } else {
        order.credential_type.clone()
    }
}

fn date_keys(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(members) => {
            for (key, member) in members {
                let is_date = member.as_str().is_some_and(|s| {
                    s.len() == 10 && s.as_bytes()[4] == b'-' && s.as_bytes()[7] == b'-'
                });
                if is_date && key.contains("date") {
                    out.push(key.clone());
                }
                date_keys(member, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|i| date_keys(i, out)),
        _ => {}
    }
}

/// ISO 18013-5 7.2.1: an mdoc's `issuing_country` is its document signer's country, which
/// verifiers check; refuse to sign one they would refuse.
fn check_issuing_country(
    issuer: &IssuerIdentity,
    namespaces: &[(String, Value)],
) -> Result<(), IssuerError> {
    let claimed = namespaces
        .iter()
        .filter(|(namespace, _)| namespace == MDL_NAMESPACE)
        .find_map(|(_, object)| object.get("issuing_country"))
        .and_then(Value::as_str);
    let certified = laissez_formats::x509::Certificate::from_der(&issuer.certificate)
        .ok()
        .and_then(|c| c.country().map(str::to_owned));
    match (claimed, certified) {
        (Some(claimed), Some(certified)) if claimed != certified => {
            Err(IssuerError::InvalidInput(format!(
                "issuing_country {claimed} is not the issuer certificate's country {certified} \
                 (make the issuer with that country)"
            )))
        }
        _ => Ok(()),
    }
}

fn issue_mdoc(issuer: &IssuerIdentity, order: &CredentialOrder) -> Result<Vec<u8>, IssuerError> {
    let namespaces = namespaced(order);
    check_issuing_country(issuer, &namespaces)?;
    let mut elements = DataElements::new();
    for (namespace, object) in namespaces {
        let mut keys = Vec::new();
        date_keys(&object, &mut keys);
        let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
        elements
            .insert_json(&namespace, &object, &keys)
            .map_err(|e| IssuerError::InvalidInput(e.to_string()))?;
    }
    if let Some(jpeg) = &order.portrait {
        elements.insert(
            doc_type_namespace(order),
            portrait::MDOC_ELEMENT,
            mdoc::CborValue::Bytes(jpeg.clone()),
        );
    }
    let request = mdoc::IssueRequest {
        doc_type: order.credential_type.clone(),
        elements,
        device_key: order.holder_key.clone(),
        validity: ValidityInfo {
            signed: order.now,
            valid_from: order.now,
            valid_until: until(order),
            expected_update: None,
        },
        issuer_certificate: Some(issuer.certificate.clone()),
        status: order.status.clone(),
    };
    let issued =
        mdoc::issue(&request, &issuer.key).map_err(|e| IssuerError::Issue(e.to_string()))?;
    Ok(issued.into_bytes())
}
