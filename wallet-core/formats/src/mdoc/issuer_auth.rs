//! `issuerAuth`: the COSE_Sign1 (ES256, ES384 or EdDSA) whose payload is MobileSecurityObjectBytes and whose
//! unprotected header carries the issuer certificate chain (`x5chain`, label 33).

use ciborium::Value;
use coset::iana::{self, EnumI64};
use coset::{
    AsCborValue, CborSerializable, CoseSign1, CoseSign1Builder, HeaderBuilder, ProtectedHeader,
    RegisteredLabelWithPrivate, SignatureContext, sig_structure_data,
};

use crate::cose_x5chain::{X5ChainError, x5chain_ders};
use crate::mdoc::cbor::node::{Kind, Node};
use crate::mdoc::cbor::preferred::{self, Rule};
use crate::mdoc::error::{Limit, MdocError, MdocResult};
use crate::mdoc::limits::MAX_CHAIN_LENGTH;
use crate::mdoc::mso::MobileSecurityObject;
use crate::x509::{Certificate, X509Error};
use laissez_crypto::ecdsa::{HighS, SignatureError, VerifyingKey};
#[cfg(feature = "issue")]
use laissez_crypto::issuer_key::IssuerSigner;
use laissez_crypto::issuer_key::{IssuerKey, SignatureAlgorithm};

/// The COSE tag of a COSE_Sign1, tolerated on input (mdoc uses it untagged).
const TAG_COSE_SIGN1: u64 = 18;

/// Signs MobileSecurityObjectBytes as an `issuerAuth` COSE_Sign1 value: protected header
/// `{1: alg}` (the signer's: -7 ES256, -35 ES384, -8 EdDSA), unprotected header
/// `{33: certificate}` when a certificate is given.
#[cfg(feature = "issue")]
pub(crate) fn sign(
    mso_bytes: Vec<u8>,
    signer: &dyn IssuerSigner,
    certificate_der: Option<&[u8]>,
) -> MdocResult<Value> {
    let protected = HeaderBuilder::new()
        .algorithm(crate::cose_alg::to_cose(signer.algorithm()))
        .build();
    let mut unprotected = HeaderBuilder::new();
    if let Some(der) = certificate_der {
        unprotected = unprotected.value(
            iana::HeaderParameter::X5Chain.to_i64(),
            Value::Bytes(der.to_vec()),
        );
    }
    let sign1 = CoseSign1Builder::new()
        .protected(protected)
        .unprotected(unprotected.build())
        .payload(mso_bytes)
        .try_create_signature(b"", |tbs| {
            signer.sign_message(tbs).map_err(|_| MdocError::Signing)
        })?
        .build();
    sign1
        .to_cbor_value()
        .map_err(|_| MdocError::Malformed("COSE_Sign1 encoding"))
}

/// Checks that a COSE header set says ES256 in the protected header (holder signatures).
pub(crate) fn require_es256(sign1: &CoseSign1) -> MdocResult<()> {
    match require_issuer_algorithm(sign1)? {
        SignatureAlgorithm::Es256 => Ok(()),
        other => Err(MdocError::UnsupportedAlgorithm(format!(
            "COSE algorithm {}",
            other.cose_id()
        ))),
    }
}

/// The issuer signature algorithm the protected header names: ES256, ES384 or EdDSA;
/// anything else (HMAC, RSA, ES512, …) is [`MdocError::UnsupportedAlgorithm`].
pub(crate) fn require_issuer_algorithm(sign1: &CoseSign1) -> MdocResult<SignatureAlgorithm> {
    let alg = sign1.protected.header.alg.as_ref();
    if let Some(alg) = crate::cose_alg::from_cose(alg) {
        return Ok(alg);
    }
    match alg {
        Some(other) => Err(MdocError::UnsupportedAlgorithm(format!(
            "COSE algorithm {}",
            alg_label(other)
        ))),
        None => Err(MdocError::UnsupportedAlgorithm(
            "COSE algorithm missing from the protected header".into(),
        )),
    }
}

fn alg_label(alg: &coset::Algorithm) -> String {
    match alg {
        RegisteredLabelWithPrivate::Assigned(a) => a.to_i64().to_string(),
        RegisteredLabelWithPrivate::PrivateUse(n) => n.to_string(),
        RegisteredLabelWithPrivate::Text(_) => "(text label)".into(),
    }
}

/// Checks that a COSE protected header, as signed, is in preferred serialization. The
/// Sig_structure and MAC_structure carry these bytes, so a second encoding of the same
/// header (`a1 01 38 06` for `{1: -7}`, ES256) would be a second signed form of one message.
/// An empty header (zero-length bstr) has nothing to check.
pub(crate) fn require_preferred_protected(
    protected: &ProtectedHeader,
    what: &'static str,
) -> MdocResult<()> {
    match protected.original_data.as_deref() {
        None | Some([]) => Ok(()),
        Some(bytes) => preferred::check(bytes, Rule::Preferred, what),
    }
}

/// Parses a COSE_Sign1 from its exact bytes (an optional tag 18 is stripped).
pub(crate) fn parse_sign1(node: &Node<'_>) -> MdocResult<CoseSign1> {
    let node = node.untag(TAG_COSE_SIGN1).unwrap_or(node);
    CoseSign1::from_slice(node.raw).or_else(|_| parse_sign1_dropping_undefined(node))
}

/// Some holders (@auth0/mdl 3.0.1) write `{4: undefined}` (a kid with no value) in the
/// unprotected header, which `coset` refuses. The unprotected header is not signed, so its
/// `undefined` entries are dropped and the other three parts are kept byte for byte.
fn parse_sign1_dropping_undefined(node: &Node<'_>) -> MdocResult<CoseSign1> {
    let malformed = || MdocError::Malformed("COSE_Sign1");
    let Kind::Array(parts) = &node.kind else {
        return Err(malformed());
    };
    let [protected, unprotected, payload, signature] = parts.as_slice() else {
        return Err(malformed());
    };
    let Kind::Map(entries) = &unprotected.kind else {
        return Err(malformed());
    };
    let kept: Vec<_> = entries
        .iter()
        .filter(|(_, v)| !matches!(v.kind, Kind::Undefined))
        .collect();
    if kept.len() == entries.len() {
        return Err(malformed());
    }
    let mut rebuilt = vec![0x84];
    rebuilt.extend_from_slice(protected.raw);
    // A map of fewer than 24 entries has a one-byte header.
    if kept.len() >= 24 {
        return Err(malformed());
    }
    rebuilt.push(0xa0 | kept.len() as u8);
    for (k, v) in kept {
        rebuilt.extend_from_slice(k.raw);
        rebuilt.extend_from_slice(v.raw);
    }
    rebuilt.extend_from_slice(payload.raw);
    rebuilt.extend_from_slice(signature.raw);
    CoseSign1::from_slice(&rebuilt).map_err(|_| malformed())
}

/// Checks the signature of a COSE_Sign1 with the given payload under `key` and the `high_s`
/// policy. Builds the Sig_structure from the protected header bytes as received.
pub(crate) fn check_signature(
    sign1: &CoseSign1,
    payload: &[u8],
    key: &VerifyingKey,
    high_s: HighS,
) -> Result<(), SignatureError> {
    let tbs = sig_structure_data(
        SignatureContext::CoseSign1,
        sign1.protected.clone(),
        None,
        b"",
        payload,
    );
    key.verify_with(&tbs, &sign1.signature, high_s)
}

/// Issuers' software often leaves `s` high (the ISO 18013-5 Annex D example does), and no
/// decision keys on the issuer signature's bytes, so both forms are accepted.
const ISSUER_HIGH_S: HighS = HighS::Accept;

/// A parsed `issuerAuth`.
#[derive(Debug, Clone)]
pub(crate) struct IssuerAuth {
    pub(crate) sign1: CoseSign1,
    /// The algorithm the protected header names.
    pub(crate) alg: SignatureAlgorithm,
    /// The certificates of `x5chain`, leaf (document signer) first; may be empty.
    pub(crate) chain: Vec<Certificate>,
    pub(crate) mso: MobileSecurityObject,
}

impl IssuerAuth {
    /// Parses `issuerAuth`: protected header in preferred serialization, ES256, ES384 or
    /// EdDSA, attached payload, MSO decoded.
    pub(crate) fn parse(node: &Node<'_>) -> MdocResult<Self> {
        let sign1 = parse_sign1(node)?;
        require_preferred_protected(&sign1.protected, "issuerAuth protected header")?;
        let alg = require_issuer_algorithm(&sign1)?;
        let payload = sign1
            .payload
            .as_deref()
            .ok_or(MdocError::Malformed("issuerAuth has no payload"))?;
        let mso = MobileSecurityObject::from_payload(payload)?;
        let chain = x5chain(&sign1)?;
        Ok(Self {
            sign1,
            alg,
            chain,
            mso,
        })
    }

    /// Whether the issuer signature verifies with `key` under the header's algorithm, which
    /// must be the key's (high-S accepted: [`ISSUER_HIGH_S`]).
    pub(crate) fn verifies_with(&self, key: &IssuerKey) -> bool {
        // `parse` made sure the payload is there.
        self.sign1
            .payload
            .as_deref()
            .is_some_and(|payload| match key {
                IssuerKey::P256(p256) if self.alg == SignatureAlgorithm::Es256 => {
                    check_signature(&self.sign1, payload, p256, ISSUER_HIGH_S).is_ok()
                }
                _ => {
                    let tbs = sig_structure_data(
                        SignatureContext::CoseSign1,
                        self.sign1.protected.clone(),
                        None,
                        b"",
                        payload,
                    );
                    key.verify(self.alg, &tbs, &self.sign1.signature).is_ok()
                }
            })
    }
}

/// The `x5chain` certificates (unprotected header, or protected), leaf first.
fn x5chain(sign1: &CoseSign1) -> MdocResult<Vec<Certificate>> {
    let ders = match x5chain_ders(sign1) {
        Ok(None) => return Ok(Vec::new()),
        Ok(Some(ders)) => ders,
        Err(X5ChainError::Twice) => return Err(MdocError::Malformed("x5chain appears twice")),
        Err(X5ChainError::EntryNotBytes) => {
            return Err(MdocError::Malformed("x5chain entry is not a byte string"));
        }
        Err(X5ChainError::NotAChain) => return Err(MdocError::Malformed("x5chain")),
    };
    if ders.len() > MAX_CHAIN_LENGTH {
        return Err(MdocError::TooLarge(Limit::CertificateChain));
    }
    ders.into_iter()
        .map(|der| {
            Certificate::from_der(der).map_err(|e| match e {
                X509Error::UnsupportedKey => MdocError::UnsupportedAlgorithm(
                    "x5chain certificate key (only EC P-256)".into(),
                ),
                _ => MdocError::Malformed("x5chain certificate"),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::mdoc::cbor::node;
    use crate::mdoc::cbor::write::encode_value;
    use laissez_crypto::ecdsa::SigningKey;

    #[test]
    fn refuses_other_algorithms() {
        let key = SigningKey::generate().unwrap();
        let sign1 = CoseSign1Builder::new()
            .protected(
                HeaderBuilder::new()
                    .algorithm(iana::Algorithm::ES384)
                    .build(),
            )
            .payload(vec![0xa0])
            .create_signature(b"", |_| vec![0; 96])
            .build();
        assert!(matches!(
            require_es256(&sign1),
            Err(MdocError::UnsupportedAlgorithm(m)) if m.contains("-35")
        ));
        // alg only in the unprotected header is not enough.
        let sign1 = CoseSign1Builder::new()
            .unprotected(
                HeaderBuilder::new()
                    .algorithm(iana::Algorithm::ES256)
                    .build(),
            )
            .payload(vec![0xa0])
            .build();
        assert!(require_es256(&sign1).is_err());
        // A correct one verifies, and tag 18 is tolerated.
        let value = sign(vec![0xa0], &key, None).unwrap();
        let tagged = encode_value(&Value::Tag(18, Box::new(value))).unwrap();
        let parsed = parse_sign1(&node::decode(&tagged).unwrap()).unwrap();
        assert!(check_signature(&parsed, &[0xa0], key.public_key(), HighS::Refuse).is_ok());
        assert!(check_signature(&parsed, &[0xa1], key.public_key(), HighS::Accept).is_err());
    }
}
