//! How a credential is kept in the encrypted store: one record of kind `credential` whose body
//! holds every copy of the credential exactly as issued (a batch of one-time copies, each
//! bound to its own holder key, or a single copy) plus what the wallet learnt when importing
//! it (ADR 0017).

use serde::{Deserialize, Serialize};

use super::display::DisplayMetadata;

/// Record kind of credentials.
pub const CREDENTIAL_KIND: &str = "credential";
/// Tag with the format ("mdoc" or "sd-jwt").
pub const FORMAT_TAG: &str = "format";
/// Tag with the docType or vct.
pub const TYPE_TAG: &str = "type";
/// Tag with the issuer key's fingerprint.
pub const ISSUER_TAG: &str = "issuer";
/// Tag with the expiry bucket (year and month, "2027-05"), for "expiring soon" lists.
pub const EXPIRY_TAG: &str = "expires";

/// The two credential formats of the EU wallet architecture.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CredentialFormat {
    /// ISO/IEC 18013-5 mdoc.
    #[serde(rename = "mdoc")]
    Mdoc,
    /// IETF SD-JWT VC.
    #[serde(rename = "sd-jwt")]
    SdJwt,
}

impl CredentialFormat {
    /// The format's short name, as used in tags, files and the CLI.
    pub fn as_str(&self) -> &'static str {
        match self {
            CredentialFormat::Mdoc => "mdoc",
            CredentialFormat::SdJwt => "sd-jwt",
        }
    }
}

/// One copy of a credential: the same claims as its siblings, with its own salts, signature,
/// status index and holder key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredCopy {
    /// The copy exactly as issued (IssuerSigned CBOR for mdoc, compact text for SD-JWT).
    #[serde(with = "serde_bytes")]
    pub issued: Vec<u8>,
    /// Slot of the holder key this copy is bound to.
    pub holder_key_slot: u32,
    /// When this copy was last presented, Unix seconds; `None` while it is unused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub presented_at: Option<i64>,
}

/// The body of a credential record.
///
/// Records written before batches hold one copy as the two fields `issued` and
/// `holder_key_slot`; they decode into a credential with that one copy, unpresented.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "CredentialRecordBody")]
pub struct StoredCredential {
    /// The format.
    pub format: CredentialFormat,
    /// Every copy, in the order issued; never empty (decoding refuses an empty list).
    pub copies: Vec<StoredCopy>,
    /// docType or vct.
    pub credential_type: String,
    /// The issuer's public key fingerprint.
    pub issuer_fingerprint: String,
    /// The issuer's public key that verified the credential: the uncompressed SEC1 point for
    /// P-256 and P-384, the 32 raw bytes for Ed25519 (`IssuerKey::public_bytes`).
    #[serde(with = "serde_bytes")]
    pub issuer_key: Vec<u8>,
    /// The issuer's name if the credential or its certificate gave one.
    pub issuer_name: Option<String>,
    /// Validity start, Unix seconds.
    pub valid_from: Option<i64>,
    /// Validity end, Unix seconds.
    pub valid_until: Option<i64>,
    /// Display metadata carried by the credential, if any (credentials issued before type
    /// metadata).
    pub display: Option<DisplayMetadata>,
    /// When it was imported, Unix seconds.
    pub imported_at: i64,
    /// The Type Metadata document kept with the credential at import, its exact bytes
    /// (checked against `vct#integrity` when the credential has one). Absent in records
    /// written before type metadata.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "optional_bytes"
    )]
    pub type_metadata: Option<Vec<u8>>,
}

impl StoredCredential {
    /// The first copy: the one the claims are shown from (every copy carries the same).
    pub fn first_copy(&self) -> Option<&StoredCopy> {
        self.copies.first()
    }

    /// How many copies it has.
    pub fn copies_total(&self) -> u32 {
        u32::try_from(self.copies.len()).unwrap_or(u32::MAX)
    }

    /// How many copies have never been presented.
    pub fn copies_left(&self) -> u32 {
        let left = self
            .copies
            .iter()
            .filter(|c| c.presented_at.is_none())
            .count();
        u32::try_from(left).unwrap_or(u32::MAX)
    }
}

/// What a credential record's body may hold: the fields of today's records, and the two of
/// records written before batches (`issued`, `holder_key_slot`: their one copy).
#[derive(Deserialize)]
struct CredentialRecordBody {
    format: CredentialFormat,
    #[serde(default)]
    copies: Option<Vec<StoredCopy>>,
    #[serde(default, with = "optional_bytes")]
    issued: Option<Vec<u8>>,
    #[serde(default)]
    holder_key_slot: Option<u32>,
    credential_type: String,
    issuer_fingerprint: String,
    #[serde(with = "serde_bytes")]
    issuer_key: Vec<u8>,
    issuer_name: Option<String>,
    valid_from: Option<i64>,
    valid_until: Option<i64>,
    display: Option<DisplayMetadata>,
    imported_at: i64,
    #[serde(default, with = "optional_bytes")]
    type_metadata: Option<Vec<u8>>,
}

impl TryFrom<CredentialRecordBody> for StoredCredential {
    type Error = &'static str;

    fn try_from(body: CredentialRecordBody) -> Result<Self, Self::Error> {
        let copies = match (body.copies, body.issued) {
            (Some(copies), None) => copies,
            (None, Some(issued)) => vec![StoredCopy {
                issued,
                holder_key_slot: body.holder_key_slot.unwrap_or(0),
                presented_at: None,
            }],
            (Some(_), Some(_)) => return Err("a credential record holds copies twice"),
            (None, None) => return Err("a credential record holds no copy"),
        };
        if copies.is_empty() {
            return Err("a credential record holds no copy");
        }
        Ok(StoredCredential {
            format: body.format,
            copies,
            credential_type: body.credential_type,
            issuer_fingerprint: body.issuer_fingerprint,
            issuer_key: body.issuer_key,
            issuer_name: body.issuer_name,
            valid_from: body.valid_from,
            valid_until: body.valid_until,
            display: body.display,
            imported_at: body.imported_at,
            type_metadata: body.type_metadata,
        })
    }
}

/// `Option<Vec<u8>>` as a CBOR byte string.
mod optional_bytes {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(value: &Option<Vec<u8>>, s: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(bytes) => s.serialize_some(serde_bytes::Bytes::new(bytes)),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<u8>>, D::Error> {
        Ok(Option::<serde_bytes::ByteBuf>::deserialize(d)?.map(serde_bytes::ByteBuf::into_vec))
    }
}

/// The expiry bucket tag value of a Unix time ("YYYY-MM").
pub fn expiry_bucket(unix: i64) -> String {
    let date = laissez_crypto::clock::utc_date_time(unix);
    format!("{:04}-{:02}", date.year, date.month)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The record body as written before batches (issue 13), field for field.
    #[derive(Serialize)]
    struct RecordBeforeBatches {
        format: CredentialFormat,
        #[serde(with = "serde_bytes")]
        issued: Vec<u8>,
        credential_type: String,
        issuer_fingerprint: String,
        #[serde(with = "serde_bytes")]
        issuer_key: Vec<u8>,
        issuer_name: Option<String>,
        holder_key_slot: u32,
        valid_from: Option<i64>,
        valid_until: Option<i64>,
        display: Option<DisplayMetadata>,
        imported_at: i64,
        #[serde(skip_serializing_if = "Option::is_none", with = "optional_bytes")]
        type_metadata: Option<Vec<u8>>,
    }

    fn old_record(type_metadata: Option<Vec<u8>>) -> RecordBeforeBatches {
        RecordBeforeBatches {
            format: CredentialFormat::SdJwt,
            issued: b"eyJhbGciOiJFUzI1NiJ9.e30.c2ln~".to_vec(),
            credential_type: "urn:example:id".into(),
            issuer_fingerprint: "ab12".into(),
            issuer_key: vec![4; 65],
            issuer_name: Some("Registration desk".into()),
            holder_key_slot: 3,
            valid_from: Some(1_700_000_000),
            valid_until: None,
            display: None,
            imported_at: 1_700_000_100,
            type_metadata,
        }
    }

    fn cbor<T: Serialize>(value: &T) -> Vec<u8> {
        let mut out = Vec::new();
        ciborium::into_writer(value, &mut out).unwrap();
        out
    }

    #[test]
    fn records_written_before_batches_read_as_one_unpresented_copy() {
        for metadata in [None, Some(b"{\"vct\":\"urn:example:id\"}".to_vec())] {
            let old = old_record(metadata.clone());
            let decoded: StoredCredential = ciborium::from_reader(cbor(&old).as_slice()).unwrap();
            assert_eq!(
                decoded.copies,
                vec![StoredCopy {
                    issued: old.issued.clone(),
                    holder_key_slot: 3,
                    presented_at: None,
                }]
            );
            assert_eq!((decoded.copies_total(), decoded.copies_left()), (1, 1));
            assert_eq!(decoded.credential_type, "urn:example:id");
            assert_eq!(decoded.issuer_name.as_deref(), Some("Registration desk"));
            assert_eq!(decoded.imported_at, 1_700_000_100);
            assert_eq!(decoded.type_metadata, metadata);
            // Written again, it is a record of today's shape and reads back the same.
            let again: StoredCredential = ciborium::from_reader(cbor(&decoded).as_slice()).unwrap();
            assert_eq!(again, decoded);
        }
    }

    #[test]
    fn copies_and_their_presented_state_round_trip() {
        let old = old_record(None);
        let mut stored: StoredCredential = ciborium::from_reader(cbor(&old).as_slice()).unwrap();
        stored.copies.push(StoredCopy {
            issued: b"second".to_vec(),
            holder_key_slot: 4,
            presented_at: Some(1_700_000_500),
        });
        let back: StoredCredential = ciborium::from_reader(cbor(&stored).as_slice()).unwrap();
        assert_eq!(back, stored);
        assert_eq!((back.copies_total(), back.copies_left()), (2, 1));
        assert_eq!(back.first_copy().map(|c| c.holder_key_slot), Some(3));
    }

    #[test]
    fn a_record_without_copies_is_refused() {
        let old = old_record(None);
        let mut stored: StoredCredential = ciborium::from_reader(cbor(&old).as_slice()).unwrap();
        stored.copies.clear();
        assert!(ciborium::from_reader::<StoredCredential, _>(cbor(&stored).as_slice()).is_err());
    }

    #[test]
    fn expiry_buckets() {
        assert_eq!(expiry_bucket(0), "1970-01");
        assert_eq!(expiry_bucket(951_782_400), "2000-02"); // 2000-02-29
        assert_eq!(expiry_bucket(1_798_761_599), "2026-12"); // 2026-12-31T23:59:59Z
        assert_eq!(expiry_bucket(1_798_761_600), "2027-01");
    }
}
