//! The offer (desk → phone, one QR code, [`MessageKind::IssuanceOffer`]): who issues, what,
//! how many copies, a nonce and an expiry, signed by the issuer's document-signer key as a
//! COSE_Sign1 whose unprotected header carries the signer's certificate chain (`x5chain`).
//!
//! The holder's reading ([`read_offer`]) checks the signature with the certificate it carries,
//! then the expiry, then whether that certificate leads to one of the holder's trusted issuers
//! ([`crate::verifier::TrustedIssuer`], the field verifier's own trust decision): the answer is
//! [`OfferTrust::Trusted`] (with the name the trust list or certificate gives) or
//! [`OfferTrust::Unknown`], never an unknown issuer dressed as a trusted one.

use coset::iana::EnumI64;
use coset::{
    CborSerializable, CoseSign1, RegisteredLabelWithPrivate, SignatureContext, sig_structure_data,
};
use serde::{Deserialize, Serialize};

use super::error::{IssuanceError, IssuanceResult};
use super::wire;
use crate::verifier::TrustedIssuer;
use crate::verifier::trusted_issuer::anchors_of;
use laissez_crypto::issuer_key::SignatureAlgorithm;
use laissez_formats::cose_x5chain::x5chain_ders;
use laissez_formats::credential::CredentialFormat;
use laissez_formats::x509::{Certificate, Purpose, evaluate_chain};
use laissez_qr::{Envelope, MessageKind};

/// Format version of the offer, proof and batch messages.
pub const FORMAT_VERSION: u64 = 1;
/// Most copies one offer may ask for.
pub const MAX_BATCH_SIZE: u32 = 16;
/// Shortest nonce accepted, bytes.
pub const MIN_NONCE_LEN: usize = 16;
/// Longest nonce accepted, bytes.
const MAX_NONCE_LEN: usize = 64;
/// Most certificates an offer's `x5chain` may carry.
const MAX_CHAIN: usize = 4;
/// Longest credential type or issuer identifier accepted, bytes.
const MAX_TEXT: usize = 512;
/// The COSE ES256 algorithm the holder signs its proofs with.
pub const HOLDER_ALG_ES256: i64 = -7;

/// One credential offered: its format and type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferedCredential {
    /// SD-JWT VC or mdoc.
    pub format: CredentialFormat,
    /// vct (SD-JWT VC) or docType (mdoc).
    pub credential_type: String,
}

/// What the desk expects back in the proof.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerExpectations {
    /// COSE algorithm of the proofs of possession: ES256 (-7), the only one this version uses.
    #[serde(rename = "alg")]
    pub holder_alg: i64,
    /// Longest proof the desk's scanner takes as one code, in characters.
    #[serde(rename = "max")]
    pub max_proof_chars: u32,
}

/// An offer as signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offer {
    /// The issuer identifier (its credentials' `iss`), which must be its certificate's.
    pub issuer_id: String,
    /// What is offered. This version offers exactly one credential per offer (ADR 0016).
    pub credentials: Vec<OfferedCredential>,
    /// How many one-time copies (holder keys) the desk will issue at most.
    pub batch_size: u32,
    /// The desk's random nonce (at least [`MIN_NONCE_LEN`] bytes).
    pub nonce: Vec<u8>,
    /// When it was made, Unix seconds.
    pub issued_at: i64,
    /// When it expires, Unix seconds.
    pub expires_at: i64,
    /// What the desk expects back.
    pub answer: AnswerExpectations,
}

impl Offer {
    /// The one credential offered.
    pub fn credential(&self) -> IssuanceResult<&OfferedCredential> {
        match self.credentials.as_slice() {
            [one] => Ok(one),
            _ => Err(IssuanceError::Malformed("offer: exactly one credential")),
        }
    }
}

/// The CBOR payload the offer's COSE_Sign1 signs.
#[derive(Serialize, Deserialize)]
struct OfferBody {
    v: u64,
    iss: String,
    /// `[format, type]` pairs; format as OpenID4VCI names it (`dc+sd-jwt`, `mso_mdoc`).
    cred: Vec<(String, String)>,
    n: u32,
    #[serde(with = "serde_bytes")]
    nonce: Vec<u8>,
    iat: i64,
    exp: i64,
    ans: AnswerExpectations,
}

/// The format identifier OpenID4VCI uses.
#[cfg(feature = "issue")]
fn format_id(format: CredentialFormat) -> &'static str {
    match format {
        CredentialFormat::SdJwt => "dc+sd-jwt",
        CredentialFormat::Mdoc => "mso_mdoc",
    }
}

fn format_of(id: &str) -> IssuanceResult<CredentialFormat> {
    match id {
        "dc+sd-jwt" => Ok(CredentialFormat::SdJwt),
        "mso_mdoc" => Ok(CredentialFormat::Mdoc),
        _ => Err(IssuanceError::Malformed("offer: unknown credential format")),
    }
}

impl OfferBody {
    #[cfg(feature = "issue")]
    fn of(offer: &Offer) -> Self {
        Self {
            v: FORMAT_VERSION,
            iss: offer.issuer_id.clone(),
            cred: offer
                .credentials
                .iter()
                .map(|c| (format_id(c.format).to_owned(), c.credential_type.clone()))
                .collect(),
            n: offer.batch_size,
            nonce: offer.nonce.clone(),
            iat: offer.issued_at,
            exp: offer.expires_at,
            ans: offer.answer.clone(),
        }
    }

    fn into_offer(self) -> IssuanceResult<Offer> {
        if self.v != FORMAT_VERSION {
            return Err(IssuanceError::UnsupportedVersion(self.v));
        }
        let credentials = self
            .cred
            .into_iter()
            .map(|(format, credential_type)| {
                if credential_type.is_empty() || credential_type.len() > MAX_TEXT {
                    return Err(IssuanceError::Malformed("offer: credential type"));
                }
                Ok(OfferedCredential {
                    format: format_of(&format)?,
                    credential_type,
                })
            })
            .collect::<IssuanceResult<Vec<_>>>()?;
        let offer = Offer {
            issuer_id: self.iss,
            credentials,
            batch_size: self.n,
            nonce: self.nonce,
            issued_at: self.iat,
            expires_at: self.exp,
            answer: self.ans,
        };
        offer.credential()?;
        if offer.batch_size == 0 || offer.batch_size > MAX_BATCH_SIZE {
            return Err(IssuanceError::Malformed("offer: batch size"));
        }
        if !(MIN_NONCE_LEN..=MAX_NONCE_LEN).contains(&offer.nonce.len()) {
            return Err(IssuanceError::Malformed("offer: nonce length"));
        }
        if offer.expires_at <= offer.issued_at {
            return Err(IssuanceError::Malformed("offer: expiry before issuance"));
        }
        if offer.issuer_id.is_empty() || offer.issuer_id.len() > MAX_TEXT {
            return Err(IssuanceError::Malformed("offer: issuer identifier"));
        }
        if offer.answer.holder_alg != HOLDER_ALG_ES256 {
            return Err(IssuanceError::UnsupportedAlgorithm);
        }
        Ok(offer)
    }
}

/// An offer parsed and its signature checked with the certificate it carries; nothing about
/// trust or expiry yet.
pub(crate) struct SignedOffer {
    pub offer: Offer,
    /// The signer's certificate first, then the rest of `x5chain`.
    pub chain: Vec<Certificate>,
}

/// The identifier SD-JWT VCs of the certificate's key carry: its URI subject alternative name,
/// else `urn:laissez:issuer:<key fingerprint>` (as [`crate::issuer::IssuerIdentity`] names it).
pub(crate) fn identifier_of(certificate: &Certificate) -> String {
    certificate
        .alt_names()
        .uris
        .first()
        .cloned()
        .unwrap_or_else(|| {
            format!(
                "urn:laissez:issuer:{}",
                certificate.public_key().fingerprint()
            )
        })
}

fn x5chain(sign1: &CoseSign1) -> IssuanceResult<Vec<Certificate>> {
    let ders = match x5chain_ders(sign1) {
        Ok(Some(ders)) if ders.len() <= MAX_CHAIN => ders,
        Ok(None) => return Err(IssuanceError::NoSignerCertificate),
        Ok(Some(_)) | Err(_) => return Err(IssuanceError::Malformed("offer: x5chain")),
    };
    ders.into_iter()
        .map(|der| {
            Certificate::from_der(der)
                .map_err(|_| IssuanceError::Malformed("offer: x5chain certificate"))
        })
        .collect()
}

/// Parses the offer's COSE_Sign1 and checks its signature with the certificate it carries.
pub(crate) fn parse_signed(bytes: &[u8]) -> IssuanceResult<SignedOffer> {
    let sign1 =
        CoseSign1::from_slice(bytes).map_err(|_| IssuanceError::Malformed("offer: COSE_Sign1"))?;
    let alg = match &sign1.protected.header.alg {
        Some(RegisteredLabelWithPrivate::Assigned(alg)) => {
            SignatureAlgorithm::from_cose_id(alg.to_i64())
                .ok_or(IssuanceError::UnsupportedAlgorithm)?
        }
        _ => return Err(IssuanceError::UnsupportedAlgorithm),
    };
    let chain = x5chain(&sign1)?;
    let signer = chain.first().ok_or(IssuanceError::NoSignerCertificate)?;
    let payload = sign1
        .payload
        .as_deref()
        .ok_or(IssuanceError::Malformed("offer: no payload"))?;
    let tbs = sig_structure_data(
        SignatureContext::CoseSign1,
        sign1.protected.clone(),
        None,
        b"",
        payload,
    );
    signer
        .public_key()
        .verify(alg, &tbs, &sign1.signature)
        .map_err(|_| IssuanceError::BadOfferSignature)?;
    let body: OfferBody = wire::decode(payload, "offer")?;
    let offer = body.into_offer()?;
    if offer.issuer_id != identifier_of(signer) {
        return Err(IssuanceError::Malformed(
            "offer: the issuer identifier is not its certificate's",
        ));
    }
    Ok(SignedOffer { offer, chain })
}

/// Whether the holder trusts the offer's issuer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OfferTrust {
    /// The signer's certificate leads to one of the holder's trusted issuers, which may issue
    /// the offered type.
    Trusted {
        /// The name to show: the trust list entry's, else the certificate's.
        name: String,
    },
    /// The signer's certificate leads to a trusted issuer that may not issue the offered type.
    /// Show it as not trusted.
    NotAllowedForType {
        /// The trusted issuer's name.
        name: String,
    },
    /// The signer is not among the holder's trusted issuers: show "unknown issuer", never a
    /// name as if it were vouched for.
    Unknown,
}

impl OfferTrust {
    /// Whether the issuer is trusted for what it offers.
    pub fn is_trusted(&self) -> bool {
        matches!(self, OfferTrust::Trusted { .. })
    }
}

/// An offer as the holder reads it, before consent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferView {
    /// What is offered.
    pub offer: Offer,
    /// Whether its issuer is trusted.
    pub trust: OfferTrust,
    /// The name the signer's certificate claims (its common name): only a claim when
    /// [`OfferView::trust`] is not [`OfferTrust::Trusted`].
    pub claimed_name: String,
    /// SHA-256 of the offer message's payload: what the proof binds to.
    pub offer_hash: [u8; 32],
    /// The offer message's payload (the COSE_Sign1), kept with the pending acceptance.
    pub bytes: Vec<u8>,
}

/// SHA-256 of an offer's COSE_Sign1 bytes.
pub fn offer_hash(bytes: &[u8]) -> [u8; 32] {
    let digest = ring::digest::digest(&ring::digest::SHA256, bytes);
    let mut out = [0u8; 32];
    out.copy_from_slice(digest.as_ref());
    out
}

/// Holder: reads an offer message against the issuers it trusts at `now` (Unix seconds).
/// Typed errors for a message that is not an offer, malformed, badly signed, expired, or whose
/// signer's certificate path is refused; an issuer not among `trusted` is
/// [`OfferTrust::Unknown`].
pub fn read_offer(
    message: &Envelope,
    trusted: &[TrustedIssuer],
    now: i64,
) -> IssuanceResult<OfferView> {
    if message.kind != MessageKind::IssuanceOffer {
        return Err(IssuanceError::WrongMessage("an issuance offer"));
    }
    let signed = parse_signed(&message.payload)?;
    if signed.offer.expires_at <= now {
        return Err(IssuanceError::OfferExpired);
    }
    let signer = signed
        .chain
        .first()
        .ok_or(IssuanceError::NoSignerCertificate)?;
    let claimed_name = signer.common_name().unwrap_or("issuer").to_owned();
    let anchors = anchors_of(trusted);
    let found = evaluate_chain(&signed.chain, &anchors, Purpose::Signing, now)
        .map_err(IssuanceError::IssuerCertificate)?;
    let trust = match found.and_then(|m| trusted.get(m.anchor)) {
        None => OfferTrust::Unknown,
        Some(entry) => {
            let name = entry.name.clone().unwrap_or_else(|| claimed_name.clone());
            let offered = signed.offer.credential()?;
            if entry.allows_type(Some(&offered.credential_type)) {
                OfferTrust::Trusted { name }
            } else {
                OfferTrust::NotAllowedForType { name }
            }
        }
    };
    Ok(OfferView {
        offer: signed.offer,
        trust,
        claimed_name,
        offer_hash: offer_hash(&message.payload),
        bytes: message.payload.clone(),
    })
}

/// Desk: signs `offer` as `issuer` (COSE_Sign1, the signer's chain in `x5chain`) into an offer
/// message.
#[cfg(feature = "issue")]
pub(crate) fn sign_offer(
    issuer: &crate::issuer::IssuerIdentity,
    offer: &Offer,
) -> IssuanceResult<Envelope> {
    use ciborium::Value;
    use coset::iana;
    use coset::{CoseSign1Builder, HeaderBuilder};
    use laissez_crypto::issuer_key::IssuerSigner as _;

    let alg = iana::Algorithm::from_i64(issuer.algorithm().cose_id())
        .ok_or(IssuanceError::UnsupportedAlgorithm)?;
    let payload = wire::encode(&OfferBody::of(offer))?;
    let chain = issuer.chain();
    let x5chain = match chain.as_slice() {
        [one] => Value::Bytes(one.clone()),
        many => Value::Array(many.iter().cloned().map(Value::Bytes).collect()),
    };
    let sign1 = CoseSign1Builder::new()
        .protected(HeaderBuilder::new().algorithm(alg).build())
        .unprotected(
            HeaderBuilder::new()
                .value(iana::HeaderParameter::X5Chain.to_i64(), x5chain)
                .build(),
        )
        .payload(payload)
        .try_create_signature(b"", |tbs| {
            issuer
                .key
                .sign_message(tbs)
                .map_err(|_| IssuanceError::Crypto("offer signature"))
        })?
        .build();
    let bytes = sign1
        .to_vec()
        .map_err(|_| IssuanceError::Malformed("offer: COSE_Sign1 encoding"))?;
    Ok(Envelope {
        kind: MessageKind::IssuanceOffer,
        payload: bytes,
    })
}
