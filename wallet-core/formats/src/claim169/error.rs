//! What can go wrong reading, verifying or checking a Claim 169 code: one variant a cause, so a
//! verdict can name it. No message carries a claim value or key material.

/// A Claim 169 code that could not be read, verified or accepted at a given time.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Claim169Error {
    /// The QR text is longer than any QR code holds ([`super::MAX_QR_TEXT_CHARS`]).
    #[error("the QR text is too long for a Claim 169 code")]
    TextTooLong,
    /// The QR text is not Base45 (RFC 9285).
    #[error("the QR text is not Base45")]
    Base45,
    /// The Base45 bytes are not a zlib stream (Brotli, which spec 1.2.1 also allows, is not
    /// supported), or the stream is corrupt or truncated.
    #[error("the code's bytes are not a valid zlib stream")]
    Decompress,
    /// The zlib stream inflates past [`super::MAX_DECOMPRESSED_BYTES`] (a zlib bomb).
    #[error("the code inflates past the size limit")]
    DecompressedTooLarge,
    /// The inflated bytes are not one well-formed CBOR item.
    #[error("the code's content is not well-formed CBOR")]
    InvalidCbor,
    /// The CBOR nests deeper than the reader's limit.
    #[error("the code's CBOR nests too deeply")]
    CborTooDeep,
    /// The CBOR holds more items, or more bytes, than the reader's limits.
    #[error("the code's CBOR is too large")]
    CborTooLarge,
    /// Well-formed CBOR, but not a tag-18 COSE_Sign1 or a tag-16 COSE_Encrypt0.
    #[error("the code is not a COSE_Sign1 or COSE_Encrypt0 structure")]
    NotCose,
    /// A COSE structure this reader does not take: COSE_Sign or COSE_Encrypt (several
    /// signers or recipients), or COSE nested deeper than one COSE_Encrypt0 around one
    /// COSE_Sign1.
    #[error("unsupported COSE structure")]
    UnsupportedCose,
    /// A COSE structure with a malformed part (named).
    #[error("malformed COSE structure: {0}")]
    MalformedCose(&'static str),
    /// The signature or encryption algorithm is unknown or not supported (EdDSA, ES256 and
    /// ES384 sign; A256GCM and A128GCM encrypt).
    #[error("unknown or unsupported algorithm")]
    UnsupportedAlgorithm,
    /// The code is encrypted (COSE_Encrypt0) and no key was given.
    #[error("the code is encrypted and no decryption key was given")]
    KeyRequired,
    /// Decryption failed: wrong key, or changed ciphertext.
    #[error("decryption failed")]
    DecryptionFailed,
    /// The code carries no signature (an empty COSE_Sign1 signature, or a bare CWT inside a
    /// COSE_Encrypt0): nothing can be verified. Never reported as verified.
    #[error("the code is not signed")]
    Unsigned,
    /// The key given is for another algorithm than the one the code names.
    #[error("the key is for another algorithm than the code's")]
    KeyAlgorithmMismatch,
    /// The signature does not verify with the key given.
    #[error("the signature does not verify")]
    BadSignature,
    /// The COSE payload is not a CWT claims map, or a standard claim has the wrong type.
    #[error("invalid CWT: {0}")]
    InvalidCwt(&'static str),
    /// The CWT has no claim 169.
    #[error("the CWT has no claim 169")]
    MissingClaim169,
    /// Claim 169 is present but a field has the wrong type or an undefined value (named).
    #[error("invalid claim 169: {0}")]
    Claim169Invalid(&'static str),
    /// The CWT expired (`exp` at or before the time checked).
    #[error("the code has expired")]
    Expired,
    /// The CWT is not valid yet (`nbf` after the time checked).
    #[error("the code is not valid yet")]
    NotYetValid,
    /// The test encoder could not build a code (only with the `claim169-issue` feature).
    #[error("could not encode a Claim 169 code: {0}")]
    Encode(&'static str),
}

/// Result of the Claim 169 functions.
pub type Claim169Result<T> = Result<T, Claim169Error>;
