//! The extensions that say what a certificate may be used for (RFC 5280 §4.2.1.3, §4.2.1.9,
//! §4.2.1.12), read once when the certificate is parsed and checked by [`super::path`].

use x509_parser::certificate::X509Certificate;
use x509_parser::oid_registry::{
    OID_X509_EXT_BASIC_CONSTRAINTS, OID_X509_EXT_EXTENDED_KEY_USAGE, OID_X509_EXT_ISSUER_ALT_NAME,
    OID_X509_EXT_KEY_USAGE, OID_X509_EXT_SUBJECT_ALT_NAME,
};

use super::error::X509Error;

/// The mdoc document signer extended key usage, ISO/IEC 18013-5 Annex B (`id-mdl-kp-mdlDS`).
pub const EKU_MDOC_DOCUMENT_SIGNER: &str = "1.0.18013.5.1.2";
/// The mdoc reader authentication extended key usage, ISO/IEC 18013-5 Annex B.
pub const EKU_MDOC_READER_AUTH: &str = "1.0.18013.5.1.6";

/// basicConstraints, keyUsage and extendedKeyUsage of one certificate. An absent extension
/// is `None`: the checks tell "absent" (RFC 5280 then allows every use for keyUsage and
/// extendedKeyUsage, and no CA) from "present without this bit".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    /// basicConstraints: `Some(path_len)` when `cA` is true (`path_len` the optional
    /// pathLenConstraint), `None` when the extension is absent or `cA` is false.
    pub ca: Option<Option<u32>>,
    /// keyUsage, when present.
    pub key_usage: Option<KeyUsage>,
    /// extendedKeyUsage as dotted OIDs, when present (`anyExtendedKeyUsage` included as
    /// `2.5.29.37.0`).
    pub extended_key_usage: Option<Vec<String>>,
    /// Whether a critical extension is one the path checks do not process (name constraints,
    /// policies, anything unknown): RFC 5280 §4.2 then requires refusing the certificate.
    pub unknown_critical_extension: bool,
}

/// The keyUsage bits the path checks read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyUsage {
    /// `digitalSignature`: may sign data (an MSO, a JWS).
    pub digital_signature: bool,
    /// `keyCertSign`: may sign certificates.
    pub key_cert_sign: bool,
}

impl Profile {
    pub(crate) fn read(cert: &X509Certificate<'_>) -> Result<Self, X509Error> {
        let ca = cert
            .basic_constraints()
            .map_err(|_| X509Error::Malformed("invalid basic constraints"))?
            .filter(|bc| bc.value.ca)
            .map(|bc| bc.value.path_len_constraint);
        let key_usage = cert
            .key_usage()
            .map_err(|_| X509Error::Malformed("invalid key usage"))?
            .map(|ku| KeyUsage {
                digital_signature: ku.value.digital_signature(),
                key_cert_sign: ku.value.key_cert_sign(),
            });
        let extended_key_usage = cert
            .extended_key_usage()
            .map_err(|_| X509Error::Malformed("invalid extended key usage"))?
            .map(|eku| {
                let mut oids: Vec<String> = eku
                    .value
                    .other
                    .iter()
                    .map(|oid| oid.to_id_string())
                    .collect();
                if eku.value.any {
                    oids.push(ANY_EXTENDED_KEY_USAGE.to_owned());
                }
                oids
            });
        let processed = [
            OID_X509_EXT_BASIC_CONSTRAINTS,
            OID_X509_EXT_KEY_USAGE,
            OID_X509_EXT_EXTENDED_KEY_USAGE,
            OID_X509_EXT_SUBJECT_ALT_NAME,
            OID_X509_EXT_ISSUER_ALT_NAME,
        ];
        let unknown_critical_extension = cert
            .extensions()
            .iter()
            .any(|ext| ext.critical && !processed.contains(&ext.oid));
        Ok(Self {
            ca,
            key_usage,
            extended_key_usage,
            unknown_critical_extension,
        })
    }

    /// Whether basicConstraints says `cA`.
    pub fn is_ca(&self) -> bool {
        self.ca.is_some()
    }

    /// Whether the certificate may sign certificates: a CA whose keyUsage (if any) has
    /// keyCertSign.
    pub(crate) fn may_sign_certificates(&self) -> bool {
        self.key_usage.is_none_or(|ku| ku.key_cert_sign)
    }

    /// Whether keyUsage (if any) allows signing data.
    pub(crate) fn may_sign_data(&self) -> bool {
        self.key_usage.is_none_or(|ku| ku.digital_signature)
    }

    /// Whether extendedKeyUsage is present and names `oid`. `anyExtendedKeyUsage` does not
    /// count: ISO 18013-5 requires the document signer EKU itself.
    pub(crate) fn has_extended_key_usage(&self, oid: &str) -> bool {
        self.extended_key_usage
            .as_ref()
            .is_some_and(|oids| oids.iter().any(|o| o == oid))
    }
}

/// `anyExtendedKeyUsage` (RFC 5280 §4.2.1.12).
const ANY_EXTENDED_KEY_USAGE: &str = "2.5.29.37.0";
