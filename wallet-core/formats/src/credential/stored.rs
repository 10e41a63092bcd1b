//! How a credential is kept in the encrypted store: one record of kind `credential` whose body
//! holds the credential exactly as issued plus what the wallet learnt when importing it.

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

/// The body of a credential record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredCredential {
    /// The format.
    pub format: CredentialFormat,
    /// The credential exactly as issued (IssuerSigned CBOR for mdoc, compact text for SD-JWT).
    #[serde(with = "serde_bytes")]
    pub issued: Vec<u8>,
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
    /// Slot of the holder key the credential is bound to.
    pub holder_key_slot: u32,
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

    #[test]
    fn expiry_buckets() {
        assert_eq!(expiry_bucket(0), "1970-01");
        assert_eq!(expiry_bucket(951_782_400), "2000-02"); // 2000-02-29
        assert_eq!(expiry_bucket(1_798_761_599), "2026-12"); // 2026-12-31T23:59:59Z
        assert_eq!(expiry_bucket(1_798_761_600), "2027-01");
    }
}
