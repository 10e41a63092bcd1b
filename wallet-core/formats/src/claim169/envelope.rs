//! The COSE layers of a code: an optional CWT tag (61), then a tag-18 COSE_Sign1, or a tag-16
//! COSE_Encrypt0 whose plaintext is a COSE_Sign1 or a bare CWT claims map. Opening checks
//! structure only; the signature is kept, with the exact bytes it covers, for
//! [`super::Claim169Code::verify`].

#[cfg(feature = "claim169-issue")]
use coset::EncryptionContext;
use coset::iana::EnumI64;
use coset::{CoseEncrypt0, CoseSign1, Header, RegisteredLabelWithPrivate, TaggedCborSerializable};

use crate::mdoc::cbor::node::{Kind, Node};

use super::cbor;
use super::content_key::ContentKey;
use super::error::{Claim169Error, Claim169Result};

/// CBOR tag of a CWT (RFC 8392 §6).
pub(crate) const TAG_CWT: u64 = 61;
/// CBOR tag of a COSE_Sign1.
pub(crate) const TAG_COSE_SIGN1: u64 = 18;
/// CBOR tag of a COSE_Encrypt0.
pub(crate) const TAG_COSE_ENCRYPT0: u64 = 16;
/// CBOR tags of COSE_Sign and COSE_Encrypt (not supported).
const TAG_COSE_SIGN: u64 = 98;
const TAG_COSE_ENCRYPT: u64 = 96;

/// The COSE_Sign1 of a code: its algorithm, key id, signature and the exact
/// `Sig_structure` bytes the signature covers.
#[derive(Clone, PartialEq, Eq)]
pub struct SignedPart {
    /// The `alg` header (protected, else unprotected), if an integer (RFC 9053: EdDSA -8,
    /// ES256 -7, ES384 -35). `None` when absent or a text label.
    pub algorithm: Option<i64>,
    /// The `kid` header (protected, else unprotected); empty when absent.
    pub key_id: Vec<u8>,
    /// The signature bytes; empty in an unsigned code.
    pub signature: Vec<u8>,
    /// The `Sig_structure` ("Signature1", protected header bytes as received, no external
    /// AAD, payload).
    pub(crate) to_be_signed: Vec<u8>,
}

impl std::fmt::Debug for SignedPart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignedPart")
            .field("algorithm", &self.algorithm)
            .field("key_id", &hex::encode(&self.key_id))
            .field("signature_len", &self.signature.len())
            .finish()
    }
}

/// What opening the COSE layers gives.
pub(crate) struct Opened {
    /// The COSE_Encrypt0 algorithm, if the code was encrypted.
    pub(crate) encryption: Option<i64>,
    /// The COSE_Sign1, unless the plaintext of an encrypted code was a bare CWT.
    pub(crate) signed: Option<SignedPart>,
    /// The CWT claims map, encoded.
    pub(crate) payload: Vec<u8>,
}

/// Opens the COSE layers of the inflated bytes of a code, decrypting with `key` if the code is
/// a COSE_Encrypt0.
pub(crate) fn open(bytes: &[u8], key: Option<&ContentKey>) -> Claim169Result<Opened> {
    let root = cbor::decode(bytes)?;
    let item = without_cwt_tag(&root);
    match tag_of(item) {
        Some(TAG_COSE_SIGN1) => {
            let (signed, payload) = sign1(item.raw)?;
            Ok(Opened {
                encryption: None,
                signed: Some(signed),
                payload,
            })
        }
        Some(TAG_COSE_ENCRYPT0) => {
            let (alg, plaintext) = encrypt0(item.raw, key)?;
            let inner_root = cbor::decode(&plaintext)?;
            let inner = without_cwt_tag(&inner_root);
            let (signed, payload) = match tag_of(inner) {
                Some(TAG_COSE_SIGN1) => {
                    let (signed, payload) = sign1(inner.raw)?;
                    (Some(signed), payload)
                }
                None if inner.as_map().is_some() => (None, inner.raw.to_vec()),
                Some(TAG_COSE_ENCRYPT0 | TAG_COSE_SIGN | TAG_COSE_ENCRYPT) => {
                    return Err(Claim169Error::UnsupportedCose);
                }
                _ => return Err(Claim169Error::NotCose),
            };
            Ok(Opened {
                encryption: Some(alg),
                signed,
                payload,
            })
        }
        Some(TAG_COSE_SIGN | TAG_COSE_ENCRYPT) => Err(Claim169Error::UnsupportedCose),
        _ => Err(Claim169Error::NotCose),
    }
}

fn without_cwt_tag<'n, 'a>(node: &'n Node<'a>) -> &'n Node<'a> {
    node.untag(TAG_CWT).unwrap_or(node)
}

fn tag_of(node: &Node<'_>) -> Option<u64> {
    match node.kind {
        Kind::Tag(tag, _) => Some(tag),
        _ => None,
    }
}

/// The integer `alg` of a COSE header pair (protected first).
fn algorithm(protected: &Header, unprotected: &Header) -> Option<i64> {
    match protected.alg.as_ref().or(unprotected.alg.as_ref())? {
        RegisteredLabelWithPrivate::Assigned(alg) => Some(alg.to_i64()),
        RegisteredLabelWithPrivate::PrivateUse(alg) => Some(*alg),
        RegisteredLabelWithPrivate::Text(_) => None,
    }
}

fn sign1(raw: &[u8]) -> Claim169Result<(SignedPart, Vec<u8>)> {
    let sign1 = CoseSign1::from_tagged_slice(raw)
        .map_err(|_| Claim169Error::MalformedCose("COSE_Sign1"))?;
    let payload = sign1
        .payload
        .clone()
        .ok_or(Claim169Error::MalformedCose("detached COSE_Sign1 payload"))?;
    let key_id = if sign1.protected.header.key_id.is_empty() {
        sign1.unprotected.key_id.clone()
    } else {
        sign1.protected.header.key_id.clone()
    };
    let signed = SignedPart {
        algorithm: algorithm(&sign1.protected.header, &sign1.unprotected),
        key_id,
        to_be_signed: sign1.tbs_data(b""),
        signature: sign1.signature,
    };
    Ok((signed, payload))
}

fn encrypt0(raw: &[u8], key: Option<&ContentKey>) -> Claim169Result<(i64, Vec<u8>)> {
    let encrypt0 = CoseEncrypt0::from_tagged_slice(raw)
        .map_err(|_| Claim169Error::MalformedCose("COSE_Encrypt0"))?;
    let alg = algorithm(&encrypt0.protected.header, &encrypt0.unprotected)
        .ok_or(Claim169Error::UnsupportedAlgorithm)?;
    let key = key.ok_or(Claim169Error::KeyRequired)?;
    let iv = if encrypt0.unprotected.iv.is_empty() {
        &encrypt0.protected.header.iv
    } else {
        &encrypt0.unprotected.iv
    };
    let plaintext = encrypt0.decrypt_ciphertext(
        b"",
        || Claim169Error::MalformedCose("no COSE_Encrypt0 ciphertext"),
        |ciphertext, aad| key.open(alg, iv, ciphertext, aad),
    )?;
    Ok((alg, plaintext))
}

/// A tagged COSE_Sign1 over `payload`, signed by `sign` (test encoder; an unsigned code when
/// `sign` gives no bytes).
#[cfg(feature = "claim169-issue")]
pub(crate) fn build_sign1(
    alg: i64,
    key_id: &[u8],
    payload: Vec<u8>,
    sign: impl FnOnce(&[u8]) -> Claim169Result<Vec<u8>>,
) -> Claim169Result<Vec<u8>> {
    let protected = coset::HeaderBuilder::new().algorithm(alg_of(alg)?).build();
    let mut unprotected = coset::HeaderBuilder::new();
    if !key_id.is_empty() {
        unprotected = unprotected.key_id(key_id.to_vec());
    }
    coset::CoseSign1Builder::new()
        .protected(protected)
        .unprotected(unprotected.build())
        .payload(payload)
        .try_create_signature(b"", sign)?
        .build()
        .to_tagged_vec()
        .map_err(|_| Claim169Error::Encode("COSE_Sign1"))
}

/// A tagged COSE_Encrypt0 of `plaintext` under `key`, the IV in the unprotected header
/// (test encoder).
#[cfg(feature = "claim169-issue")]
pub(crate) fn build_encrypt0(key: &ContentKey, plaintext: &[u8]) -> Claim169Result<Vec<u8>> {
    let protected = coset::HeaderBuilder::new()
        .algorithm(alg_of(key.cose_algorithm())?)
        .build();
    let protected_header = coset::ProtectedHeader {
        original_data: None,
        header: protected.clone(),
    };
    let aad = coset::enc_structure_data(EncryptionContext::CoseEncrypt0, protected_header, b"");
    let (iv, ciphertext) = key.seal(plaintext, &aad)?;
    let encrypt0 = coset::CoseEncrypt0Builder::new()
        .protected(protected)
        .unprotected(coset::HeaderBuilder::new().iv(iv.to_vec()).build())
        .ciphertext(ciphertext)
        .build();
    encrypt0
        .to_tagged_vec()
        .map_err(|_| Claim169Error::Encode("COSE_Encrypt0"))
}

#[cfg(feature = "claim169-issue")]
fn alg_of(alg: i64) -> Claim169Result<coset::iana::Algorithm> {
    coset::iana::Algorithm::from_i64(alg).ok_or(Claim169Error::UnsupportedAlgorithm)
}
