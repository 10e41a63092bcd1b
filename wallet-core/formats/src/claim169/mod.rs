//! MOSIP Claim 169 identity QR codes (spec v1.2.x; ADR 0022).
//!
//! A Claim 169 QR text is `Base45(zlib(COSE))`: a tag-18 COSE_Sign1, or a tag-16
//! COSE_Encrypt0 (A256GCM) around one or around a bare CWT, whose payload is a CWT claims map
//! with the identity data under key 169. Reading one takes three separate steps:
//!
//! 1. [`decode`] (or [`decode_cbor`] after zlib): structure only, within hard limits
//!    ([`MAX_QR_TEXT_CHARS`], [`MAX_DECOMPRESSED_BYTES`], the CBOR reader's depth and item
//!    limits). An encrypted code needs its [`ContentKey`].
//! 2. [`Claim169Code::verify`] against an issuer's key (Ed25519 raw, P-256 point), by `ring`.
//!    A code with an empty signature is [`Claim169Error::Unsigned`], never verified.
//! 3. [`Claim169Code::check_time`] at a given `now` (`exp`, `nbf`).
//!
//! ```
//! # #[cfg(feature = "claim169-issue")]
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use laissez_crypto::issuer_key::{IssuerSigner, IssuerSigningKey, SignatureAlgorithm};
//! use laissez_formats::claim169::{self, CwtClaims, Identity, issue};
//!
//! let issuer = IssuerSigningKey::generate(SignatureAlgorithm::EdDsa)?;
//! let identity = Identity { full_name: Some("Amina".into()), ..Identity::default() };
//! let cwt = CwtClaims { expires_at: Some(1_800_000_000), ..CwtClaims::default() };
//! let protection = issue::Protection { signer: Some(&issuer), ..Default::default() };
//! let qr_text = issue::encode(&cwt, &identity, &protection)?;
//!
//! let code = claim169::decode(&qr_text, None)?;
//! code.verify(&issuer.issuer_key())?;
//! code.check_time(1_760_000_000)?;
//! assert_eq!(code.identity.full_name.as_deref(), Some("Amina"));
//! # Ok(()) }
//! # #[cfg(not(feature = "claim169-issue"))]
//! # fn main() {}
//! ```

mod biometric;
mod cbor;
mod code;
mod content_key;
mod cwt;
mod envelope;
mod error;
mod identity;
mod image_format;
#[cfg(feature = "claim169-issue")]
pub mod issue;
mod json;
mod limits;
mod transport;

pub use biometric::{Biometric, BiometricFormat, BiometricPart};
pub use code::Claim169Code;
pub use content_key::ContentKey;
pub use cwt::{CLAIM_169, CwtClaims};
pub use envelope::SignedPart;
pub use error::{Claim169Error, Claim169Result};
pub use identity::{
    BiometricField, FaceImage, FaceSource, Gender, Identity, MaritalStatus, UnknownField,
};
pub use image_format::ImageFormat;
pub use limits::{MAX_DECOMPRESSED_BYTES, MAX_QR_TEXT_CHARS};

/// Reads a Claim 169 QR text: Base45, zlib, COSE (decrypting with `key` if the code is a
/// COSE_Encrypt0), CWT and claim 169. Checks structure only: see the module documentation.
pub fn decode(qr_text: &str, key: Option<&ContentKey>) -> Claim169Result<Claim169Code> {
    decode_cbor(&transport::unwrap_text(qr_text)?, key)
}

/// Like [`decode`], from the inflated CBOR (a COSE structure, optionally in a CWT tag 61).
pub fn decode_cbor(cbor: &[u8], key: Option<&ContentKey>) -> Claim169Result<Claim169Code> {
    if cbor.len() > MAX_DECOMPRESSED_BYTES {
        return Err(Claim169Error::CborTooLarge);
    }
    let opened = envelope::open(cbor, key)?;
    let (cwt, identity) = cwt::parse(&opened.payload)?;
    Ok(Claim169Code {
        encryption: opened.encryption,
        signed: opened.signed,
        cwt,
        identity,
    })
}

/// Whether `text` may be a Claim 169 code, without decoding it all: Base45 whose bytes start
/// with a zlib header. For telling codes apart by content (a Claim 169 code has no prefix).
pub fn looks_like_code(text: &str) -> bool {
    let text = text.trim_end_matches(['\r', '\n']);
    if text.len() < 3 || text.len() > MAX_QR_TEXT_CHARS || !text.bytes().all(is_base45_char) {
        return false;
    }
    // All ASCII now, so byte 3 is a character boundary: the first three characters are the
    // first two bytes.
    base45::decode(&text[..3]).is_ok_and(|head| {
        head.len() == 2
            && head[0] & 0x0f == 8
            && (u16::from(head[0]) << 8 | u16::from(head[1])) % 31 == 0
    })
}

fn is_base45_char(byte: u8) -> bool {
    byte.is_ascii_digit() || byte.is_ascii_uppercase() || b" $%*+-./:".contains(&byte)
}

#[doc(hidden)]
/// Fuzzing entry: every stage on arbitrary input, with and without a key.
pub mod fuzzing {
    use super::*;

    /// Runs the QR text and CBOR paths on `data`, and the checks on what decodes.
    pub fn run(data: &[u8]) {
        let key = ContentKey::new(&[7u8; 32]);
        if let Ok(text) = std::str::from_utf8(data) {
            let _ = looks_like_code(text);
            if let Ok(code) = decode(text, key.as_ref()) {
                exercise(&code);
            }
        }
        if let Ok(code) = decode_cbor(data, key.as_ref()) {
            exercise(&code);
        }
        if let Ok(inflated) = transport::inflate(data) {
            let _ = decode_cbor(&inflated, None);
        }
    }

    fn exercise(code: &Claim169Code) {
        let _ = code.check_time(1_760_000_000);
        let _ = code.identity.face_image();
        if let Some(key) = laissez_crypto::issuer_key::IssuerKey::ed25519(&[9u8; 32]) {
            let _ = code.verify(&key);
        }
    }
}
