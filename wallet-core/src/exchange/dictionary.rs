//! The preset deflate dictionary of the QR response (version 1): the names and fragments
//! every mdoc DeviceResponse and SD-JWT VC presentation repeat, so the first occurrence in a
//! response costs a few bits instead of its letters. Holder and verifier derive the same bytes
//! from these lists; changing them means a new response transport version.
//!
//! Later entries are cheaper to refer to (deflate distances), so the most common come last.

use std::sync::OnceLock;

use ciborium::Value;

/// The response transport version using [`v1`].
pub const VERSION: u64 = 1;

/// SD-JWT VC and Key Binding JWT fragments, as the JSON this library and most issuers write.
const JSON_FRAGMENTS: &[&str] = &[
    r#"","status":{"status_list":{"idx":"#,
    r#","uri":"https://"#,
    r#""kid":""#,
    r#"{"alg":"ES256","typ":"vc+sd-jwt","x5c":[""]}"#,
    r#"{"alg":"ES256","typ":"dc+sd-jwt","x5c":[""]}"#,
    r#"{"_sd":[""#,
    r#"","#,
    r#""],"_sd_alg":"sha-256","cnf":{"jwk":{"crv":"P-256","kty":"EC","x":""#,
    r#"","y":""#,
    r#""}},"exp":17"#,
    r#","iat":17"#,
    r#","iss":"urn:laissez:issuer:"#,
    r#"","vct":"urn:"#,
    r#"{"alg":"ES256","typ":"kb+jwt"}"#,
    r#"{"aud":"urn:laissez:verifier:"#,
    r#"","iat":17"#,
    r#","nonce":""#,
    r#"","sd_hash":""#,
];

/// mdoc structure names (CBOR text strings).
const MDOC_NAMES: &[&str] = &[
    "status_list",
    "idx",
    "uri",
    "expectedUpdate",
    "deviceMac",
    "version",
    "1.0",
    "documents",
    "status",
    "docType",
    "issuerSigned",
    "nameSpaces",
    "issuerAuth",
    "deviceSigned",
    "deviceAuth",
    "deviceSignature",
    "digestAlgorithm",
    "SHA-256",
    "valueDigests",
    "deviceKeyInfo",
    "deviceKey",
    "validityInfo",
    "signed",
    "validFrom",
    "validUntil",
    "digestID",
    "random",
    "elementIdentifier",
    "elementValue",
];

/// Common namespaces, document types and claim names (ISO mDL, EU PID, Laissez samples).
const CLAIM_NAMES: &[&str] = &[
    "org.iso.18013.5.1.mDL",
    "org.iso.18013.5.1",
    "eu.europa.ec.eudi.pid.1",
    "driving_privileges",
    "un_distinguishing_sign",
    "issuing_authority",
    "issuing_country",
    "issue_date",
    "expiry_date",
    "portrait",
    "resident_address",
    "resident_country",
    "age_over_18",
    "sex",
    "place_of_birth",
    "registration_id",
    "document_number",
    "birth_date",
    "nationality",
    "family_name",
    "given_name",
];

fn cbor_text(text: &str) -> Vec<u8> {
    let mut out = Vec::new();
    // Encoding a text string into a Vec cannot fail.
    let _ = ciborium::into_writer(&Value::Text(text.into()), &mut out);
    out
}

/// The version 1 dictionary.
pub fn v1() -> &'static [u8] {
    static DICTIONARY: OnceLock<Vec<u8>> = OnceLock::new();
    DICTIONARY.get_or_init(|| {
        let mut out = Vec::new();
        for name in CLAIM_NAMES {
            // Disclosures (`["salt","name",value]`) and mdoc elements both name claims.
            out.extend_from_slice(format!(r#"","{name}",""#).as_bytes());
            out.extend(cbor_text(name));
        }
        for fragment in JSON_FRAGMENTS {
            out.extend_from_slice(fragment.as_bytes());
        }
        // An embedded COSE protected header {1: -7} and the tag-24 wrapping of items.
        out.extend_from_slice(&[0x43, 0xa1, 0x01, 0x26, 0xd8, 0x18, 0x58]);
        for name in MDOC_NAMES {
            out.extend(cbor_text(name));
        }
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dictionary_is_stable_and_fits_a_deflate_window() {
        let dictionary = v1();
        assert!(dictionary.len() < 32 * 1024);
        // Its bytes are part of the wire format: changing them needs a new VERSION (and
        // this digest updated with it).
        let digest = ring::digest::digest(&ring::digest::SHA256, dictionary);
        assert_eq!(hex::encode(&digest.as_ref()[..8]), "eaa6f3f68c46bf90");
    }
}
