//! The Mobile Security Object (MSO): the issuer-signed list of item digests, the holder's
//! device key, the docType and the validity period. It travels as
//! MobileSecurityObjectBytes = `#6.24(bstr .cbor MobileSecurityObject)`, the payload of
//! `issuerAuth`.

use std::collections::BTreeMap;

use ciborium::Value;
use ring::digest;

use crate::credential::MAX_STATUS_URI_LEN;
use crate::credential::StatusReference;
use crate::mdoc::cbor::node::{self, Node};
use crate::mdoc::cbor::preferred::{self, Rule};
use crate::mdoc::cbor::write::{embed, encode_value};
use crate::mdoc::cose_key;
use crate::mdoc::error::{Limit, MdocError, MdocResult};
use crate::mdoc::limits::MAX_ELEMENTS;
use crate::mdoc::tdate;
use laissez_crypto::ecdsa::VerifyingKey;

/// The MSO version written when issuing.
pub const MSO_VERSION: &str = "1.0";
/// CBOR tag of an RFC 3339 date-time string (`tdate`).
const TAG_TDATE: u64 = 0;
/// CBOR tag of a number of seconds since the epoch, accepted when reading.
const TAG_EPOCH: u64 = 1;

/// The digest algorithm of `valueDigests`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DigestAlgorithm {
    /// `"SHA-256"`, the one written when issuing.
    Sha256,
    /// `"SHA-384"`.
    Sha384,
    /// `"SHA-512"`.
    Sha512,
}

impl DigestAlgorithm {
    /// The name used in the MSO.
    pub fn name(self) -> &'static str {
        match self {
            DigestAlgorithm::Sha256 => "SHA-256",
            DigestAlgorithm::Sha384 => "SHA-384",
            DigestAlgorithm::Sha512 => "SHA-512",
        }
    }

    fn from_name(name: &str) -> Option<Self> {
        [Self::Sha256, Self::Sha384, Self::Sha512]
            .into_iter()
            .find(|a| a.name() == name)
    }

    /// The digest of `bytes`.
    pub fn digest(self, bytes: &[u8]) -> Vec<u8> {
        let algorithm = match self {
            DigestAlgorithm::Sha256 => &digest::SHA256,
            DigestAlgorithm::Sha384 => &digest::SHA384,
            DigestAlgorithm::Sha512 => &digest::SHA512,
        };
        digest::digest(algorithm, bytes).as_ref().to_vec()
    }
}

/// The MSO `validityInfo`, in Unix seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ValidityInfo {
    /// When the MSO was signed.
    pub signed: i64,
    /// Start of validity.
    pub valid_from: i64,
    /// End of validity.
    pub valid_until: i64,
    /// When the issuer expects to re-issue, if stated.
    pub expected_update: Option<i64>,
}

/// A decoded Mobile Security Object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MobileSecurityObject {
    /// `version`.
    pub version: String,
    /// `digestAlgorithm`.
    pub digest_algorithm: DigestAlgorithm,
    /// `valueDigests`: namespace → digestID → digest.
    pub value_digests: BTreeMap<String, BTreeMap<u64, Vec<u8>>>,
    /// `deviceKeyInfo.deviceKey`: the holder key that must authenticate presentations.
    pub device_key: VerifyingKey,
    /// `docType`.
    pub doc_type: String,
    /// `validityInfo`.
    pub validity_info: ValidityInfo,
    /// `status.status_list` (ISO/IEC 18013-5 second edition), if the issuer publishes one.
    pub status: Option<StatusReference>,
}

#[cfg(feature = "issue")]
fn tdate_value(unix: i64) -> MdocResult<Value> {
    Ok(Value::Tag(
        TAG_TDATE,
        Box::new(Value::Text(tdate::format_tdate(unix)?)),
    ))
}

fn read_tdate(node: &Node<'_>) -> MdocResult<i64> {
    if let Some(text) = node.untag(TAG_TDATE).and_then(Node::as_text) {
        return tdate::parse_tdate(text);
    }
    node.untag(TAG_EPOCH)
        .and_then(Node::as_i64)
        .ok_or(MdocError::Malformed("validityInfo time is not a tdate"))
}

impl MobileSecurityObject {
    /// MobileSecurityObjectBytes: the MSO encoded and embedded as `#6.24(bstr)`.
    #[cfg(feature = "issue")]
    pub(crate) fn to_embedded_bytes(&self) -> MdocResult<Vec<u8>> {
        let digests = self
            .value_digests
            .iter()
            .map(|(namespace, digests)| {
                let entries = digests
                    .iter()
                    .map(|(id, d)| (Value::Integer((*id).into()), Value::Bytes(d.clone())))
                    .collect();
                (Value::Text(namespace.clone()), Value::Map(entries))
            })
            .collect();
        let v = &self.validity_info;
        let mut validity = vec![
            (Value::Text("signed".into()), tdate_value(v.signed)?),
            (Value::Text("validFrom".into()), tdate_value(v.valid_from)?),
            (
                Value::Text("validUntil".into()),
                tdate_value(v.valid_until)?,
            ),
        ];
        if let Some(update) = v.expected_update {
            validity.push((Value::Text("expectedUpdate".into()), tdate_value(update)?));
        }
        let mut entries = vec![
            (
                Value::Text("version".into()),
                Value::Text(self.version.clone()),
            ),
            (
                Value::Text("digestAlgorithm".into()),
                Value::Text(self.digest_algorithm.name().into()),
            ),
            (Value::Text("valueDigests".into()), Value::Map(digests)),
            (
                Value::Text("deviceKeyInfo".into()),
                Value::Map(vec![(
                    Value::Text("deviceKey".into()),
                    cose_key::to_cose_key(&self.device_key)?,
                )]),
            ),
            (
                Value::Text("docType".into()),
                Value::Text(self.doc_type.clone()),
            ),
            (Value::Text("validityInfo".into()), Value::Map(validity)),
        ];
        if let Some(status) = &self.status {
            entries.push((Value::Text("status".into()), status_value(status)));
        }
        encode_value(&embed(encode_value(&Value::Map(entries))?))
    }

    /// Reads the `issuerAuth` payload: MobileSecurityObjectBytes (`#6.24(bstr)`). A bare
    /// MSO map, written by some early implementations, is accepted too.
    ///
    /// Indefinite lengths are refused; longer lengths are not, since a published issuer
    /// library (@auth0/mdl) writes two-byte map lengths, and the issuer's signature fixes
    /// these bytes anyway.
    pub(crate) fn from_payload(payload: &[u8]) -> MdocResult<Self> {
        const WHAT: &str = "MobileSecurityObjectBytes";
        let outer = node::decode(payload)?;
        preferred::check(payload, Rule::DefiniteLengths, WHAT)?;
        match outer.embedded_cbor() {
            Some(content) => {
                let mso = node::decode(content)?;
                preferred::check(content, Rule::DefiniteLengths, WHAT)?;
                Self::from_node(&mso)
            }
            None => Self::from_node(&outer),
        }
    }

    fn from_node(mso: &Node<'_>) -> MdocResult<Self> {
        if mso.as_map().is_none() {
            return Err(MdocError::Malformed("MobileSecurityObject is not a map"));
        }
        let text = |key: &str, what: &'static str| -> MdocResult<String> {
            Ok(mso
                .require(key, what)?
                .as_text()
                .ok_or(MdocError::Malformed(what))?
                .to_owned())
        };
        let version = text("version", "MSO version")?;
        if !version.starts_with("1.") {
            return Err(MdocError::UnsupportedVersion);
        }
        let algorithm_name = text("digestAlgorithm", "MSO digestAlgorithm")?;
        let digest_algorithm = DigestAlgorithm::from_name(&algorithm_name).ok_or_else(|| {
            MdocError::UnsupportedAlgorithm(format!("digest algorithm {algorithm_name:.16}"))
        })?;
        let doc_type = text("docType", "MSO docType")?;

        let mut value_digests = BTreeMap::new();
        let mut count = 0usize;
        let digests = mso
            .require("valueDigests", "MSO valueDigests missing")?
            .as_map()
            .ok_or(MdocError::Malformed("MSO valueDigests"))?;
        for (namespace, entries) in digests {
            let namespace = namespace
                .as_text()
                .ok_or(MdocError::Malformed("MSO valueDigests namespace"))?;
            let entries = entries
                .as_map()
                .ok_or(MdocError::Malformed("MSO DigestIDs"))?;
            let mut ids = BTreeMap::new();
            for (id, digest) in entries {
                count += 1;
                if count > MAX_ELEMENTS {
                    return Err(MdocError::TooLarge(Limit::Elements));
                }
                let id = id.as_u64().ok_or(MdocError::Malformed("MSO DigestID"))?;
                let digest = digest
                    .as_bytes()
                    .ok_or(MdocError::Malformed("MSO Digest"))?;
                if ids.insert(id, digest.to_vec()).is_some() {
                    return Err(MdocError::Malformed("MSO repeats a DigestID"));
                }
            }
            if value_digests.insert(namespace.to_owned(), ids).is_some() {
                return Err(MdocError::Malformed("MSO repeats a namespace"));
            }
        }

        let device_key = mso
            .require("deviceKeyInfo", "MSO deviceKeyInfo missing")?
            .require("deviceKey", "MSO deviceKey missing")?
            .to_value()?;
        let device_key = cose_key::from_cose_key(device_key)?;

        let validity = mso.require("validityInfo", "MSO validityInfo missing")?;
        let time = |key: &str, what: &'static str| read_tdate(validity.require(key, what)?);
        let validity_info = ValidityInfo {
            signed: time("signed", "validityInfo.signed missing")?,
            valid_from: time("validFrom", "validityInfo.validFrom missing")?,
            valid_until: time("validUntil", "validityInfo.validUntil missing")?,
            expected_update: validity
                .get("expectedUpdate")?
                .map(read_tdate)
                .transpose()?,
        };
        let status = mso.get("status")?.map(read_status).transpose()?.flatten();
        Ok(Self {
            version,
            digest_algorithm,
            value_digests,
            device_key,
            doc_type,
            validity_info,
            status,
        })
    }
}

#[cfg(feature = "issue")]
fn status_value(status: &StatusReference) -> Value {
    Value::Map(vec![(
        Value::Text("status_list".into()),
        Value::Map(vec![
            (
                Value::Text("idx".into()),
                Value::Integer(status.index.into()),
            ),
            (Value::Text("uri".into()), Value::Text(status.uri.clone())),
        ]),
    )])
}

/// The MSO `status` entry; `None` for another status mechanism (not an error: the
/// credential is still valid, its status just cannot be checked here).
fn read_status(status: &Node<'_>) -> MdocResult<Option<StatusReference>> {
    if status.as_map().is_none() {
        return Err(MdocError::Malformed("MSO status is not a map"));
    }
    let Some(list) = status.get("status_list")? else {
        return Ok(None);
    };
    let index = list
        .require("idx", "MSO status_list.idx missing")?
        .as_u64()
        .ok_or(MdocError::Malformed("MSO status_list.idx"))?;
    let uri = list
        .require("uri", "MSO status_list.uri missing")?
        .as_text()
        .filter(|uri| !uri.is_empty() && uri.len() <= MAX_STATUS_URI_LEN)
        .ok_or(MdocError::Malformed("MSO status_list.uri"))?;
    Ok(Some(StatusReference {
        index,
        uri: uri.to_owned(),
    }))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use laissez_crypto::ecdsa::SigningKey;
    use proptest::prelude::*;

    fn sample(digests: BTreeMap<String, BTreeMap<u64, Vec<u8>>>, t: i64) -> MobileSecurityObject {
        MobileSecurityObject {
            version: MSO_VERSION.into(),
            digest_algorithm: DigestAlgorithm::Sha256,
            value_digests: digests,
            device_key: SigningKey::derive(&[3; 32]).unwrap().public_key().clone(),
            doc_type: "org.iso.18013.5.1.mDL".into(),
            validity_info: ValidityInfo {
                signed: t,
                valid_from: t,
                valid_until: t + 86_400,
                expected_update: Some(t + 3600),
            },
            status: None,
        }
    }

    #[test]
    fn status_round_trips_and_other_mechanisms_are_ignored() {
        let mut mso = sample(BTreeMap::new(), 0);
        mso.status = Some(StatusReference {
            index: 4_711,
            uri: "https://status.example/lists/1".into(),
        });
        let bytes = mso.to_embedded_bytes().unwrap();
        assert_eq!(MobileSecurityObject::from_payload(&bytes).unwrap(), mso);

        let with_status = |status: Value| {
            let content = node::decode(&bytes)
                .unwrap()
                .embedded_cbor()
                .unwrap()
                .to_vec();
            let mut map: Value = ciborium::from_reader(content.as_slice()).unwrap();
            if let Value::Map(entries) = &mut map {
                entries.retain(|(k, _)| k.as_text() != Some("status"));
                entries.push((Value::Text("status".into()), status));
            }
            encode_value(&map).unwrap()
        };
        let other = with_status(Value::Map(vec![(
            Value::Text("identifier_list".into()),
            Value::Map(vec![]),
        )]));
        assert_eq!(
            MobileSecurityObject::from_payload(&other).unwrap().status,
            None
        );
        for bad in [
            Value::Integer(1.into()),
            Value::Map(vec![(
                Value::Text("status_list".into()),
                Value::Map(vec![]),
            )]),
            Value::Map(vec![(
                Value::Text("status_list".into()),
                Value::Map(vec![
                    (Value::Text("idx".into()), Value::Integer((-1).into())),
                    (Value::Text("uri".into()), Value::Text("u".into())),
                ]),
            )]),
        ] {
            assert!(MobileSecurityObject::from_payload(&with_status(bad)).is_err());
        }
    }

    #[test]
    fn refuses_unknown_digest_and_version() {
        let mso = sample(BTreeMap::new(), 0);
        let bytes = mso.to_embedded_bytes().unwrap();
        assert_eq!(MobileSecurityObject::from_payload(&bytes).unwrap(), mso);
        let patched = |from: &[u8], to: &[u8]| {
            let content = node::decode(&bytes)
                .unwrap()
                .embedded_cbor()
                .unwrap()
                .to_vec();
            let at = content.windows(from.len()).position(|w| w == from).unwrap();
            let mut content2 = content.clone();
            content2.splice(at..at + from.len(), to.iter().copied());
            encode_value(&embed(content2)).unwrap()
        };
        assert!(matches!(
            MobileSecurityObject::from_payload(&patched(b"SHA-256", b"SHA-001")),
            Err(MdocError::UnsupportedAlgorithm(_))
        ));
        assert_eq!(
            MobileSecurityObject::from_payload(&patched(b"1.0", b"2.0")),
            Err(MdocError::UnsupportedVersion)
        );
    }

    proptest! {
        #[test]
        fn mso_round_trip(
            digests in proptest::collection::btree_map(
                "[a-z.]{1,20}",
                proptest::collection::btree_map(any::<u64>(), proptest::collection::vec(any::<u8>(), 32), 0..5),
                0..3,
            ),
            t in 0i64..4_000_000_000,
        ) {
            let mso = sample(digests, t);
            let bytes = mso.to_embedded_bytes().unwrap();
            prop_assert_eq!(MobileSecurityObject::from_payload(&bytes).unwrap(), mso);
        }
    }
}
