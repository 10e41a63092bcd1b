//! IETF Token Status List (draft-ietf-oauth-status-list-20): revocation and suspension data
//! a verifier imports while online and consults offline.
//!
//! - A Status List is a byte array of statuses of 1, 2, 4 or 8 bits each, packed from the
//!   least significant bit of each byte up, compressed with DEFLATE in the ZLIB format
//!   (draft s4.1).
//! - A Status List Token signs one: a JWT with `typ: statuslist+jwt` and claims `sub` (the
//!   list's URI), `iat`, optional `exp` and `ttl`, and `status_list: {bits, lst}` where `lst`
//!   is base64url (draft s5.1); or a CWT, a tagged COSE_Sign1 with protected `typ` (16)
//!   `application/statuslist+cwt` and claims 2 (sub), 6 (iat), 4 (exp), 65534 (ttl) and
//!   65533 (status list, `lst` a byte string) (draft s5.2).
//!
//! [`StatusList::from_jwt`] and [`StatusList::from_cwt`] verify a token with the key the
//! caller gives (the status issuer's) and nothing else; ES256, ES384 and EdDSA are accepted,
//! each only under a key of its own kind (HAIP lets status issuers use any of them). Parsing is
//! bounded: tokens longer than [`MAX_STATUS_LIST_TOKEN_LEN`] are refused before decoding and
//! decompression stops at [`MAX_STATUS_LIST_BYTES`] (a compression bomb is refused, not
//! expanded). [`StatusListBuilder`] makes both forms, for issuers and tests.
//!
//! [`StatusCheck::evaluate`] turns a cached list, its fetch time and a credential's
//! [`StatusReference`] into a [`StatusOutcome`] that says how old the data is, and never
//! says "revoked" because data is missing or out of date.

use std::io::Write;

use ciborium::Value as Cbor;
use coset::{
    CoseSign1, CoseSign1Builder, HeaderBuilder, Label, SignatureContext, TaggedCborSerializable,
    sig_structure_data,
};
use flate2::{Compression, Decompress, FlushDecompress, Status};
use serde_json::{Map, Value, json};

use crate::jose::JwsHeader;
use crate::jose::base64url;
use crate::jose::json;
use crate::jose::{CompactFailure, VerifiedCompact, verify_compact};
use crate::sdjwt::StatusReference;
use laissez_crypto::ecdsa::HighS;
use laissez_crypto::issuer_key::{IssuerKey, IssuerSigner};

/// The JWT `typ` of a Status List Token (draft s5.1).
pub const STATUS_LIST_JWT_TYP: &str = "statuslist+jwt";
/// The CWT `typ` (COSE header 16) of a Status List Token (draft s5.2).
pub const STATUS_LIST_CWT_TYP: &str = "application/statuslist+cwt";
/// CWT claim key of the time to live (draft s5.2).
pub const CWT_CLAIM_TTL: i64 = 65534;
/// CWT claim key of the status list (draft s5.2).
pub const CWT_CLAIM_STATUS_LIST: i64 = 65533;
/// Longest Status List Token accepted, JWT or CWT, in bytes: 1 MiB (several million
/// entries at the revocation rates the draft's size comparison considers).
pub const MAX_STATUS_LIST_TOKEN_LEN: usize = 1 << 20;
/// Largest decompressed status byte array accepted: 16 MiB (128 Mi 1-bit entries).
pub const MAX_STATUS_LIST_BYTES: usize = 16 << 20;
/// Longest list URI (`sub`) accepted, in bytes.
pub const MAX_STATUS_LIST_URI_LEN: usize = 2048;
/// How far in the future `iat` (and `nbf`) may lie: 5 minutes of clock difference.
pub const STATUS_LIST_CLOCK_SKEW_SECS: i64 = 300;

/// The first byte of a COSE_Mac0_Tagged (tag 17), which the draft allows and this code
/// refuses: a MAC needs a shared secret, not an issuer's public key.
const TAG_COSE_MAC0_BYTE: u8 = 0xd1;
/// The COSE `typ` header parameter (RFC 9596).
const COSE_HEADER_TYP: i64 = 16;
/// COSE header `x5chain` (RFC 9360).
const COSE_HEADER_X5CHAIN: i64 = 33;
/// Most certificates read from a CWT's `x5chain`.
const MAX_CHAIN_CERTIFICATES: usize = 10;
/// Status list tokens are signed by issuers' own software (often not normalising `s`), and
/// nothing keys on their signature bytes: the cache compares lists by `iat` and content.
const STATUS_LIST_HIGH_S: HighS = HighS::Accept;
const CWT_CLAIM_SUB: i64 = 2;
const CWT_CLAIM_EXP: i64 = 4;
const CWT_CLAIM_NBF: i64 = 5;
const CWT_CLAIM_IAT: i64 = 6;
/// Deepest CBOR nesting read in a CWT payload.
const MAX_CBOR_DEPTH: usize = 16;

/// Why a status list or token was refused, or a lookup or build failed.
///
/// Messages name the problem, never a value from the token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StatusListError {
    /// Not well formed: structure, encoding, a claim missing or of the wrong type, a zlib
    /// stream that is corrupt, truncated or followed by other bytes.
    #[error("malformed status list: {0}")]
    Malformed(&'static str),
    /// Beyond [`MAX_STATUS_LIST_TOKEN_LEN`], [`MAX_STATUS_LIST_BYTES`] or another limit.
    #[error("status list too large: {0}")]
    TooLarge(&'static str),
    /// Another algorithm than ES256 (or a MACed CWT).
    #[error("unsupported signature algorithm")]
    UnsupportedAlgorithm,
    /// The signature does not verify with the given issuer key.
    #[error("status list signature does not verify")]
    BadSignature,
    /// The token's `typ` is not that of a Status List Token.
    #[error("not a status list token (wrong typ)")]
    WrongType,
    /// `bits` is not 1, 2, 4 or 8.
    #[error("unsupported status size of {0} bits")]
    UnsupportedBits(u64),
    /// The index is beyond the end of the list.
    #[error("index {index} is out of range (list of {len} entries)")]
    IndexOutOfRange {
        /// The index asked for.
        index: u64,
        /// How many entries the list holds.
        len: u64,
    },
    /// A status value that does not fit in the list's `bits`.
    #[error("status value {value} does not fit in {bits} bits")]
    ValueTooLarge {
        /// The value.
        value: u8,
        /// The list's bits per entry.
        bits: u8,
    },
    /// The token's `exp` has passed.
    #[error("status list token expired")]
    Expired,
    /// The token's `iat` or `nbf` lies in the future.
    #[error("status list token not yet valid")]
    NotYetValid,
    /// The signer failed.
    #[error("signing the status list failed")]
    Signing,
}

/// One entry's status (draft s7.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StatusValue {
    /// 0x00 VALID.
    Valid,
    /// 0x01 INVALID: revoked for good.
    Invalid,
    /// 0x02 SUSPENDED: temporarily invalid.
    Suspended,
    /// Any other value (0x03 and 0x0C-0x0F are application specific, the rest reserved).
    Other(u8),
}

impl StatusValue {
    /// The value's meaning.
    pub fn from_u8(value: u8) -> Self {
        match value {
            0 => Self::Valid,
            1 => Self::Invalid,
            2 => Self::Suspended,
            other => Self::Other(other),
        }
    }

    /// The encoded value.
    pub fn to_u8(self) -> u8 {
        match self {
            Self::Valid => 0,
            Self::Invalid => 1,
            Self::Suspended => 2,
            Self::Other(other) => other,
        }
    }
}

/// A verified Status List Token, decompressed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusList {
    /// The list's URI (`sub`): credentials name it in `status.status_list.uri`.
    pub uri: String,
    /// Bits per entry: 1, 2, 4 or 8.
    pub bits: u8,
    /// `iat`: when the issuer produced this state of the list (Unix seconds).
    pub issued_at: i64,
    /// `exp`: when the issuer says it must no longer be relied on (Unix seconds).
    pub expires_at: Option<i64>,
    /// `ttl`: how long a copy may be cached after it was fetched, seconds.
    pub ttl: Option<u64>,
    /// The decompressed status bytes.
    pub bytes: Vec<u8>,
}

impl StatusList {
    /// Verifies a Status List Token in either form: a CWT when it starts with a COSE tag
    /// (byte `0xd2`, COSE_Sign1; `0xd1`, COSE_Mac0, is refused), a JWT otherwise
    /// (surrounding whitespace ignored).
    pub fn from_token(
        token: &[u8],
        issuer_key: impl Into<IssuerKey>,
        now: i64,
    ) -> Result<Self, StatusListError> {
        let issuer_key: &IssuerKey = &issuer_key.into();
        if matches!(token.first(), Some(&(TAG_COSE_MAC0_BYTE | 0xd2))) {
            return Self::from_cwt(token, issuer_key, now);
        }
        let text = std::str::from_utf8(token)
            .map_err(|_| StatusListError::Malformed("neither a CWT nor JWT text"))?;
        Self::from_jwt(text, issuer_key, now)
    }

    /// The certificates a Status List Token carries, signer first, unverified: the JWT's
    /// `x5c` header or the CWT's `x5chain` (33, protected or unprotected header). Empty when
    /// it carries none. The caller finds the signer's key by following them to a trust
    /// anchor, then verifies the token with that key.
    pub fn token_certificates(token: &[u8]) -> Result<Vec<Vec<u8>>, StatusListError> {
        if token.len() > MAX_STATUS_LIST_TOKEN_LEN {
            return Err(StatusListError::TooLarge("token length"));
        }
        if matches!(token.first(), Some(&(TAG_COSE_MAC0_BYTE | 0xd2))) {
            let sign1 = CoseSign1::from_tagged_slice(token)
                .map_err(|_| StatusListError::Malformed("not a tagged COSE_Sign1"))?;
            let x5chain = [&sign1.protected.header.rest, &sign1.unprotected.rest]
                .into_iter()
                .flatten()
                .find(|(label, _)| *label == Label::Int(COSE_HEADER_X5CHAIN))
                .map(|(_, value)| value.clone());
            return match x5chain {
                None => Ok(Vec::new()),
                Some(Cbor::Bytes(der)) => Ok(vec![der]),
                Some(Cbor::Array(items)) if items.len() <= MAX_CHAIN_CERTIFICATES => items
                    .into_iter()
                    .map(|item| match item {
                        Cbor::Bytes(der) => Ok(der),
                        _ => Err(StatusListError::Malformed("x5chain holds a non-bstr")),
                    })
                    .collect(),
                Some(_) => Err(StatusListError::Malformed("x5chain is not a bstr or array")),
            };
        }
        let text = std::str::from_utf8(token)
            .map_err(|_| StatusListError::Malformed("neither a CWT nor JWT text"))?;
        let header_b64 = text.trim_ascii().split('.').next().unwrap_or_default();
        let header_bytes = base64url::decode(header_b64)
            .map_err(|_| StatusListError::Malformed("JWT header is not base64url"))?;
        let header_map = json::parse_object(&header_bytes)
            .map_err(|_| StatusListError::Malformed("JWT header is not a strict JSON object"))?;
        let header = JwsHeader::from_json(&header_map)
            .map_err(|_| StatusListError::Malformed("JWT header refused"))?;
        Ok(header.x5c().to_vec())
    }

    /// Verifies a Status List Token in JWT form (draft s5.1) with `issuer_key`: size, JWS
    /// structure, header (`alg` the key's, no `crit`), the signature, `typ` (`statuslist+jwt`,
    /// or with the `application/` prefix), then the claims, and that `now` is before `exp`
    /// and not before `iat`/`nbf` (with [`STATUS_LIST_CLOCK_SKEW_SECS`]). Other claims are
    /// allowed and ignored.
    pub fn from_jwt(
        text: &str,
        issuer_key: impl Into<IssuerKey>,
        now: i64,
    ) -> Result<Self, StatusListError> {
        let issuer_key: &IssuerKey = &issuer_key.into();
        if text.len() > MAX_STATUS_LIST_TOKEN_LEN {
            return Err(StatusListError::TooLarge("token length"));
        }
        let text = text.trim_ascii();
        let VerifiedCompact {
            header,
            payload_b64,
        } = verify_compact(text, issuer_key, STATUS_LIST_HIGH_S).map_err(
            |failure| match failure {
                CompactFailure::Malformed(what) => StatusListError::Malformed(what),
                CompactFailure::UnsupportedAlgorithm => StatusListError::UnsupportedAlgorithm,
                CompactFailure::BadSignature | CompactFailure::NonCanonicalSignature => {
                    StatusListError::BadSignature
                }
            },
        )?;
        let typ_ok = header.typ().is_some_and(|typ| {
            let typ = strip_prefix_ignore_case(typ, "application/");
            typ.eq_ignore_ascii_case(STATUS_LIST_JWT_TYP)
        });
        if !typ_ok {
            return Err(StatusListError::WrongType);
        }
        let payload = base64url::decode(payload_b64)
            .map_err(|_| StatusListError::Malformed("JWT payload is not base64url"))?;
        let claims = json::parse_object(&payload)
            .map_err(|_| StatusListError::Malformed("JWT payload is not a strict JSON object"))?;
        let uri = match claims.get("sub") {
            Some(Value::String(sub)) => sub.clone(),
            _ => return Err(StatusListError::Malformed("sub missing or not a string")),
        };
        let issued_at =
            json_time(&claims, "iat")?.ok_or(StatusListError::Malformed("iat missing"))?;
        let expires_at = json_time(&claims, "exp")?;
        let not_before = json_time(&claims, "nbf")?;
        let ttl = match claims.get("ttl") {
            None => None,
            Some(value) => Some(positive_ttl(json_number(value)?)?),
        };
        let status_list = claims.get("status_list").and_then(Value::as_object).ok_or(
            StatusListError::Malformed("status_list missing or not an object"),
        )?;
        let bits = match status_list.get("bits") {
            Some(Value::Number(n)) => n.as_u64().ok_or(StatusListError::Malformed(
                "bits is not an unsigned integer",
            ))?,
            _ => return Err(StatusListError::Malformed("bits missing or not a number")),
        };
        let lst = match status_list.get("lst") {
            Some(Value::String(lst)) => base64url::decode(lst)
                .map_err(|_| StatusListError::Malformed("lst is not base64url"))?,
            _ => return Err(StatusListError::Malformed("lst missing or not a string")),
        };
        if status_list
            .get("aggregation_uri")
            .is_some_and(|v| !v.is_string())
        {
            return Err(StatusListError::Malformed(
                "aggregation_uri is not a string",
            ));
        }
        Self::assemble(
            Claims {
                uri,
                bits,
                lst,
                issued_at,
                expires_at,
                not_before,
                ttl,
            },
            now,
        )
    }

    /// Verifies a Status List Token in CWT form (draft s5.2) with `issuer_key`: size, a
    /// COSE_Sign1 with tag 18 (untagged, MACed or CWT-tagged tokens are refused), `alg`
    /// the key's (ES256 -7, ES384 -35, EdDSA -8) and `typ` (16) `application/statuslist+cwt` in the protected header, no
    /// `crit`, the signature, then the claims and times as for [`StatusList::from_jwt`].
    pub fn from_cwt(
        bytes: &[u8],
        issuer_key: impl Into<IssuerKey>,
        now: i64,
    ) -> Result<Self, StatusListError> {
        let issuer_key: &IssuerKey = &issuer_key.into();
        if bytes.len() > MAX_STATUS_LIST_TOKEN_LEN {
            return Err(StatusListError::TooLarge("token length"));
        }
        if bytes.first() == Some(&TAG_COSE_MAC0_BYTE) {
            return Err(StatusListError::UnsupportedAlgorithm);
        }
        let sign1 = CoseSign1::from_tagged_slice(bytes)
            .map_err(|_| StatusListError::Malformed("not a tagged COSE_Sign1"))?;
        let protected = &sign1.protected.header;
        let alg = crate::cose_alg::from_cose(protected.alg.as_ref())
            .filter(|alg| *alg == issuer_key.algorithm())
            .ok_or(StatusListError::UnsupportedAlgorithm)?;
        if !protected.crit.is_empty() {
            return Err(StatusListError::Malformed("unsupported critical header"));
        }
        let payload = sign1
            .payload
            .as_deref()
            .ok_or(StatusListError::Malformed("detached payload"))?;
        if sign1.signature.len() != alg.signature_len() {
            return Err(StatusListError::BadSignature);
        }
        let tbs = sig_structure_data(
            SignatureContext::CoseSign1,
            sign1.protected.clone(),
            None,
            b"",
            payload,
        );
        let verified = match issuer_key {
            IssuerKey::P256(key) => key.verify_with(&tbs, &sign1.signature, STATUS_LIST_HIGH_S),
            _ => issuer_key.verify(alg, &tbs, &sign1.signature),
        };
        if verified.is_err() {
            return Err(StatusListError::BadSignature);
        }
        let typ_label = Label::Int(COSE_HEADER_TYP);
        let typ = protected
            .rest
            .iter()
            .find(|(label, _)| *label == typ_label)
            .map(|(_, value)| value);
        if !matches!(typ, Some(Cbor::Text(t)) if t == STATUS_LIST_CWT_TYP) {
            return Err(StatusListError::WrongType);
        }
        let mut rest = payload;
        let claims: Cbor =
            ciborium::de::from_reader_with_recursion_limit(&mut rest, MAX_CBOR_DEPTH)
                .map_err(|_| StatusListError::Malformed("CWT claims are not CBOR"))?;
        if !rest.is_empty() {
            return Err(StatusListError::Malformed("bytes follow the CWT claims"));
        }
        let claims = cbor_map(&claims, "CWT claims are not a map")?;
        let claim = |key: i64| {
            claims
                .iter()
                .find(|(k, _)| k.as_integer() == Some(key.into()))
                .map(|(_, v)| v)
        };
        let uri = match claim(CWT_CLAIM_SUB) {
            Some(Cbor::Text(sub)) => sub.clone(),
            _ => return Err(StatusListError::Malformed("sub missing or not text")),
        };
        let issued_at = claim(CWT_CLAIM_IAT)
            .map(cbor_time)
            .transpose()?
            .ok_or(StatusListError::Malformed("iat missing"))?;
        let expires_at = claim(CWT_CLAIM_EXP).map(cbor_time).transpose()?;
        let not_before = claim(CWT_CLAIM_NBF).map(cbor_time).transpose()?;
        let ttl = match claim(CWT_CLAIM_TTL) {
            None => None,
            Some(Cbor::Integer(i)) => {
                Some(positive_ttl(u64::try_from(*i).map_err(|_| {
                    StatusListError::Malformed("ttl is not a positive integer")
                })?)?)
            }
            Some(_) => return Err(StatusListError::Malformed("ttl is not an integer")),
        };
        let status_list = cbor_map(
            claim(CWT_CLAIM_STATUS_LIST)
                .ok_or(StatusListError::Malformed("status list claim missing"))?,
            "status list is not a map",
        )?;
        let member = |name: &str| {
            status_list
                .iter()
                .find(|(k, _)| k.as_text() == Some(name))
                .map(|(_, v)| v)
        };
        let bits = match member("bits") {
            Some(Cbor::Integer(i)) => u64::try_from(*i)
                .map_err(|_| StatusListError::Malformed("bits is not an unsigned integer"))?,
            _ => return Err(StatusListError::Malformed("bits missing or not an integer")),
        };
        let lst = match member("lst") {
            Some(Cbor::Bytes(lst)) => lst.clone(),
            _ => {
                return Err(StatusListError::Malformed(
                    "lst missing or not a byte string",
                ));
            }
        };
        if member("aggregation_uri").is_some_and(|v| !v.is_text()) {
            return Err(StatusListError::Malformed("aggregation_uri is not text"));
        }
        Self::assemble(
            Claims {
                uri,
                bits,
                lst,
                issued_at,
                expires_at,
                not_before,
                ttl,
            },
            now,
        )
    }

    /// Checks what both forms share and decompresses the list.
    fn assemble(claims: Claims, now: i64) -> Result<Self, StatusListError> {
        check_uri(&claims.uri)?;
        let bits = checked_bits(claims.bits)?;
        if claims.expires_at.is_some_and(|exp| exp <= claims.issued_at) {
            return Err(StatusListError::Malformed("exp is not after iat"));
        }
        if claims.expires_at.is_some_and(|exp| now >= exp) {
            return Err(StatusListError::Expired);
        }
        let latest = now.saturating_add(STATUS_LIST_CLOCK_SKEW_SECS);
        if claims.issued_at > latest || claims.not_before.is_some_and(|nbf| nbf > latest) {
            return Err(StatusListError::NotYetValid);
        }
        let bytes = decompress(&claims.lst)?;
        if bytes.is_empty() {
            return Err(StatusListError::Malformed("the status list is empty"));
        }
        Ok(Self {
            uri: claims.uri,
            bits,
            issued_at: claims.issued_at,
            expires_at: claims.expires_at,
            ttl: claims.ttl,
            bytes,
        })
    }

    /// How many entries the list holds (padding included: a list holds a whole number of
    /// bytes).
    pub fn len(&self) -> u64 {
        entry_count(self.bytes.len(), self.bits)
    }

    /// Whether the list holds no entry.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The status at `index`: [`StatusListError::IndexOutOfRange`] beyond the end (never a
    /// panic), [`StatusListError::UnsupportedBits`] for a hand-made list with bad `bits`.
    pub fn status(&self, index: u64) -> Result<StatusValue, StatusListError> {
        read_entry(&self.bytes, self.bits, index).map(StatusValue::from_u8)
    }
}

/// The claims both token forms carry, before the checks they share.
struct Claims {
    uri: String,
    bits: u64,
    lst: Vec<u8>,
    issued_at: i64,
    expires_at: Option<i64>,
    not_before: Option<i64>,
    ttl: Option<u64>,
}

/// Makes a Status List and its tokens (for issuers, tools and tests; with the `issue`
/// feature).
#[cfg(feature = "issue")]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusListBuilder {
    bits: u8,
    size: u64,
    bytes: Vec<u8>,
}

#[cfg(feature = "issue")]
impl StatusListBuilder {
    /// A list of `size` entries of `bits` bits each (1, 2, 4 or 8), all VALID (0).
    pub fn new(bits: u8, size: u64) -> Result<Self, StatusListError> {
        let bits = checked_bits(u64::from(bits))?;
        if size == 0 {
            return Err(StatusListError::Malformed("a status list needs an entry"));
        }
        let len = size
            .checked_mul(u64::from(bits))
            .map(|total_bits| total_bits.div_ceil(8))
            .and_then(|len| usize::try_from(len).ok())
            .filter(|len| *len <= MAX_STATUS_LIST_BYTES)
            .ok_or(StatusListError::TooLarge("status list size"))?;
        Ok(Self {
            bits,
            size,
            bytes: vec![0; len],
        })
    }

    /// Bits per entry.
    pub fn bits(&self) -> u8 {
        self.bits
    }

    /// The number of entries asked for in [`StatusListBuilder::new`].
    pub fn size(&self) -> u64 {
        self.size
    }

    /// The uncompressed status bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Sets the status at `index` to `value`, which must fit in `bits`.
    pub fn set(&mut self, index: u64, value: u8) -> Result<(), StatusListError> {
        if index >= self.size {
            return Err(StatusListError::IndexOutOfRange {
                index,
                len: self.size,
            });
        }
        let mask = mask(self.bits);
        if value > mask {
            return Err(StatusListError::ValueTooLarge {
                value,
                bits: self.bits,
            });
        }
        let (byte, shift) = position(self.bits, index)
            .filter(|(byte, _)| *byte < self.bytes.len())
            .ok_or(StatusListError::IndexOutOfRange {
                index,
                len: self.size,
            })?;
        self.bytes[byte] = (self.bytes[byte] & !(mask << shift)) | (value << shift);
        Ok(())
    }

    /// The status at `index`.
    pub fn get(&self, index: u64) -> Result<StatusValue, StatusListError> {
        if index >= self.size {
            return Err(StatusListError::IndexOutOfRange {
                index,
                len: self.size,
            });
        }
        read_entry(&self.bytes, self.bits, index).map(StatusValue::from_u8)
    }

    /// The ZLIB-compressed byte array (`lst` before any base64url), at the best
    /// compression level as the draft recommends.
    pub fn compressed(&self) -> Result<Vec<u8>, StatusListError> {
        let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), Compression::best());
        encoder
            .write_all(&self.bytes)
            .map_err(|_| StatusListError::Malformed("compression failed"))?;
        encoder
            .finish()
            .map_err(|_| StatusListError::Malformed("compression failed"))
    }

    /// The list as a verifier would hold it after reading a token with these claims.
    pub fn to_status_list(
        &self,
        uri: &str,
        issued_at: i64,
        expires_at: Option<i64>,
        ttl: Option<u64>,
    ) -> StatusList {
        StatusList {
            uri: uri.to_owned(),
            bits: self.bits,
            issued_at,
            expires_at,
            ttl,
            bytes: self.bytes.clone(),
        }
    }

    /// Signs a Status List Token in JWT form: header `{"alg":…,"typ":"statuslist+jwt"}` with
    /// the signer's algorithm, claims `sub`, `iat`, `exp` and `ttl` when given, `status_list`.
    pub fn to_jwt(
        &self,
        uri: &str,
        issued_at: i64,
        expires_at: Option<i64>,
        ttl: Option<u64>,
        signer: &dyn IssuerSigner,
    ) -> Result<String, StatusListError> {
        self.to_jwt_with_chain(uri, issued_at, expires_at, ttl, signer, &[])
    }

    /// [`StatusListBuilder::to_jwt`] with the signer's certificates in `x5c` (signer first,
    /// never the root), so verifiers find the signer through its chain (HAIP).
    pub fn to_jwt_with_chain(
        &self,
        uri: &str,
        issued_at: i64,
        expires_at: Option<i64>,
        ttl: Option<u64>,
        signer: &dyn IssuerSigner,
        chain: &[Vec<u8>],
    ) -> Result<String, StatusListError> {
        check_token_claims(uri, issued_at, expires_at, ttl)?;
        let mut claims = Map::new();
        claims.insert("sub".into(), Value::String(uri.to_owned()));
        claims.insert("iat".into(), json!(issued_at));
        if let Some(exp) = expires_at {
            claims.insert("exp".into(), json!(exp));
        }
        if let Some(ttl) = ttl {
            claims.insert("ttl".into(), json!(ttl));
        }
        claims.insert(
            "status_list".into(),
            json!({"bits": self.bits, "lst": base64url::encode(&self.compressed()?)}),
        );
        let mut header = JwsHeader::new(signer.algorithm()).with_typ(STATUS_LIST_JWT_TYP);
        if !chain.is_empty() {
            header = header.with_x5c(chain.to_vec());
        }
        let header_json = serde_json::to_vec(&header.to_json())
            .map_err(|_| StatusListError::Malformed("header does not serialise"))?;
        let payload = serde_json::to_vec(&claims)
            .map_err(|_| StatusListError::Malformed("claims do not serialise"))?;
        let mut text = base64url::encode(&header_json);
        text.push('.');
        text.push_str(&base64url::encode(&payload));
        // 128 characters: a 96-byte (ES384) signature in base64url, the longest.
        if text.len() + 1 + 128 > MAX_STATUS_LIST_TOKEN_LEN {
            return Err(StatusListError::TooLarge("token length"));
        }
        let signature = signer
            .sign_message(text.as_bytes())
            .map_err(|_| StatusListError::Signing)?;
        text.push('.');
        text.push_str(&base64url::encode(&signature));
        Ok(text)
    }

    /// Signs a Status List Token in CWT form: COSE_Sign1 with tag 18, protected header
    /// `{1: alg, 16: "application/statuslist+cwt"}` (alg the signer's: -7, -35 or -8), claims `{2: sub, 6: iat, 4: exp,
    /// 65534: ttl, 65533: {"bits": …, "lst": h'…'}}` (exp and ttl when given).
    pub fn to_cwt(
        &self,
        uri: &str,
        issued_at: i64,
        expires_at: Option<i64>,
        ttl: Option<u64>,
        signer: &dyn IssuerSigner,
    ) -> Result<Vec<u8>, StatusListError> {
        self.to_cwt_with_chain(uri, issued_at, expires_at, ttl, signer, &[])
    }

    /// [`StatusListBuilder::to_cwt`] with the signer's certificates in the protected
    /// `x5chain` header (33: one bstr, or an array for several), signer first.
    pub fn to_cwt_with_chain(
        &self,
        uri: &str,
        issued_at: i64,
        expires_at: Option<i64>,
        ttl: Option<u64>,
        signer: &dyn IssuerSigner,
        chain: &[Vec<u8>],
    ) -> Result<Vec<u8>, StatusListError> {
        check_token_claims(uri, issued_at, expires_at, ttl)?;
        let mut claims = vec![
            (Cbor::from(CWT_CLAIM_SUB), Cbor::Text(uri.to_owned())),
            (Cbor::from(CWT_CLAIM_IAT), Cbor::from(issued_at)),
        ];
        if let Some(exp) = expires_at {
            claims.push((Cbor::from(CWT_CLAIM_EXP), Cbor::from(exp)));
        }
        if let Some(ttl) = ttl {
            claims.push((Cbor::from(CWT_CLAIM_TTL), Cbor::from(ttl)));
        }
        claims.push((
            Cbor::from(CWT_CLAIM_STATUS_LIST),
            Cbor::Map(vec![
                (Cbor::Text("bits".into()), Cbor::from(self.bits)),
                (Cbor::Text("lst".into()), Cbor::Bytes(self.compressed()?)),
            ]),
        ));
        let mut payload = Vec::new();
        ciborium::ser::into_writer(&Cbor::Map(claims), &mut payload)
            .map_err(|_| StatusListError::Malformed("claims do not encode"))?;
        let mut protected = HeaderBuilder::new()
            .algorithm(crate::cose_alg::to_cose(signer.algorithm()))
            .value(COSE_HEADER_TYP, Cbor::Text(STATUS_LIST_CWT_TYP.into()));
        match chain {
            [] => {}
            [one] => protected = protected.value(COSE_HEADER_X5CHAIN, Cbor::Bytes(one.clone())),
            many => {
                protected = protected.value(
                    COSE_HEADER_X5CHAIN,
                    Cbor::Array(many.iter().cloned().map(Cbor::Bytes).collect()),
                );
            }
        }
        let protected = protected.build();
        let sign1 = CoseSign1Builder::new()
            .protected(protected)
            .payload(payload)
            .try_create_signature(b"", |tbs| {
                signer
                    .sign_message(tbs)
                    .map_err(|_| StatusListError::Signing)
            })?
            .build();
        let out = sign1
            .to_tagged_vec()
            .map_err(|_| StatusListError::Malformed("COSE_Sign1 does not encode"))?;
        if out.len() > MAX_STATUS_LIST_TOKEN_LEN {
            return Err(StatusListError::TooLarge("token length"));
        }
        Ok(out)
    }
}

/// What a credential's status is, as far as the cached data can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StatusState {
    /// The list is fresh and says VALID.
    Valid,
    /// The list is fresh and says INVALID: the issuer revoked the credential.
    Revoked,
    /// The list is fresh and says SUSPENDED.
    Suspended,
    /// No statement can be made: no list for the credential's URI, the index is beyond the
    /// list (the draft says to reject the credential then), or an application-specific value.
    Unknown,
    /// A list is held but is past its `exp`, past its fetch time plus `ttl`, or older than
    /// the verifier's maximum age: what it said is in [`StatusOutcome::listed`].
    Stale,
}

/// The result of a status check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusOutcome {
    /// The verdict on the status.
    pub state: StatusState,
    /// How old the status data is: `now - iat` of the list used, in seconds (0 if `iat`
    /// lies ahead of the clock); `None` when no list applies.
    pub age_secs: Option<i64>,
    /// The value the list holds for the credential, fresh or not; `None` without a list
    /// for its URI or when the index is beyond the list. Lets a UI say "stale; last known:
    /// revoked" without the state ever claiming more than the data supports.
    pub listed: Option<StatusValue>,
}

/// Judges a credential's status from cached lists: see [`StatusCheck::evaluate`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StatusCheck;

impl StatusCheck {
    /// The status of the credential `reference` points to, using `list` (the cached list
    /// for that URI, if any) fetched at `fetched_at` (Unix seconds; when unknown, the
    /// list's `iat` stands in, the earliest it can have been fetched), at time `now`,
    /// accepting data at most `max_age_secs` old.
    ///
    /// - no list, or a list for another URI: [`StatusState::Unknown`];
    /// - the list past `exp`, past `fetched_at + ttl`, or `now - iat > max_age_secs`:
    ///   [`StatusState::Stale`], whatever it says;
    /// - otherwise the listed value: VALID, INVALID (revoked), SUSPENDED; an index beyond
    ///   the list or another value gives [`StatusState::Unknown`].
    ///
    /// Missing or old data therefore never reads as revoked.
    pub fn evaluate(
        list: Option<&StatusList>,
        fetched_at: Option<i64>,
        reference: &StatusReference,
        now: i64,
        max_age_secs: u64,
    ) -> StatusOutcome {
        let Some(list) = list.filter(|list| list.uri == reference.uri) else {
            return StatusOutcome {
                state: StatusState::Unknown,
                age_secs: None,
                listed: None,
            };
        };
        let age = now.saturating_sub(list.issued_at).max(0);
        let listed = list.status(reference.index).ok();
        let resolved_at = fetched_at.unwrap_or(list.issued_at);
        let ttl_passed = list.ttl.is_some_and(|ttl| {
            let ttl = i64::try_from(ttl).unwrap_or(i64::MAX);
            resolved_at.saturating_add(ttl) < now
        });
        let expired = list.expires_at.is_some_and(|exp| now >= exp);
        let too_old = u64::try_from(age).is_ok_and(|age| age > max_age_secs);
        let state = if expired || ttl_passed || too_old {
            StatusState::Stale
        } else {
            match listed {
                Some(StatusValue::Valid) => StatusState::Valid,
                Some(StatusValue::Invalid) => StatusState::Revoked,
                Some(StatusValue::Suspended) => StatusState::Suspended,
                Some(StatusValue::Other(_)) | None => StatusState::Unknown,
            }
        };
        StatusOutcome {
            state,
            age_secs: Some(age),
            listed,
        }
    }
}

/// Decompresses a ZLIB stream (RFC 1950) into at most [`MAX_STATUS_LIST_BYTES`], growing
/// the output as it goes: a small bomb never gets a large buffer.
fn decompress(input: &[u8]) -> Result<Vec<u8>, StatusListError> {
    let mut inflater = Decompress::new(true);
    let mut out: Vec<u8> = Vec::with_capacity(input.len().saturating_mul(4).clamp(64, 1 << 16));
    loop {
        if out.len() == out.capacity() {
            grow(&mut out)?;
        }
        let consumed = usize::try_from(inflater.total_in()).unwrap_or(usize::MAX);
        let rest = input.get(consumed..).unwrap_or_default();
        let before = (inflater.total_in(), out.len());
        let status = inflater
            .decompress_vec(rest, &mut out, FlushDecompress::None)
            .map_err(|_| StatusListError::Malformed("lst is not a valid ZLIB stream"))?;
        if out.len() > MAX_STATUS_LIST_BYTES {
            return Err(StatusListError::TooLarge("decompressed status list"));
        }
        if status == Status::StreamEnd {
            break;
        }
        if before == (inflater.total_in(), out.len()) {
            if usize::try_from(inflater.total_in()).ok() == Some(input.len()) {
                return Err(StatusListError::Malformed("lst is a truncated ZLIB stream"));
            }
            // Input is left but the inflater wants more room than is spare.
            grow(&mut out)?;
        }
    }
    if usize::try_from(inflater.total_in()).ok() != Some(input.len()) {
        return Err(StatusListError::Malformed("bytes follow the ZLIB stream"));
    }
    Ok(out)
}

/// Doubles the room in `out`, up to one byte past [`MAX_STATUS_LIST_BYTES`] (enough to
/// know the limit was exceeded).
fn grow(out: &mut Vec<u8>) -> Result<(), StatusListError> {
    if out.capacity() > MAX_STATUS_LIST_BYTES {
        return Err(StatusListError::TooLarge("decompressed status list"));
    }
    let target = out
        .capacity()
        .saturating_mul(2)
        .clamp(64, MAX_STATUS_LIST_BYTES + 1);
    out.reserve_exact(target - out.len());
    Ok(())
}

fn checked_bits(bits: u64) -> Result<u8, StatusListError> {
    match bits {
        1 | 2 | 4 | 8 => Ok(bits as u8),
        other => Err(StatusListError::UnsupportedBits(other)),
    }
}

fn mask(bits: u8) -> u8 {
    // bits is 1, 2, 4 or 8.
    (((1u16) << bits) - 1) as u8
}

/// The byte and the shift within it of entry `index`: entries fill each byte from the
/// least significant bit up (draft s4.1).
fn position(bits: u8, index: u64) -> Option<(usize, u8)> {
    let first_bit = index.checked_mul(u64::from(bits))?;
    let byte = usize::try_from(first_bit / 8).ok()?;
    Some((byte, (first_bit % 8) as u8))
}

fn entry_count(len: usize, bits: u8) -> u64 {
    match bits {
        1 | 2 | 4 | 8 => (len as u64).saturating_mul(8) / u64::from(bits),
        _ => 0,
    }
}

fn read_entry(bytes: &[u8], bits: u8, index: u64) -> Result<u8, StatusListError> {
    let bits = checked_bits(u64::from(bits))?;
    let out_of_range = StatusListError::IndexOutOfRange {
        index,
        len: entry_count(bytes.len(), bits),
    };
    let (byte, shift) = position(bits, index).ok_or(out_of_range.clone())?;
    let value = bytes.get(byte).ok_or(out_of_range)?;
    Ok((value >> shift) & mask(bits))
}

fn check_uri(uri: &str) -> Result<(), StatusListError> {
    if uri.len() > MAX_STATUS_LIST_URI_LEN {
        return Err(StatusListError::TooLarge("list URI"));
    }
    if uri.is_empty() || uri.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(StatusListError::Malformed(
            "the list URI is empty or not a URI",
        ));
    }
    Ok(())
}

#[cfg(feature = "issue")]
fn check_token_claims(
    uri: &str,
    issued_at: i64,
    expires_at: Option<i64>,
    ttl: Option<u64>,
) -> Result<(), StatusListError> {
    check_uri(uri)?;
    if expires_at.is_some_and(|exp| exp <= issued_at) {
        return Err(StatusListError::Malformed("exp is not after iat"));
    }
    if let Some(ttl) = ttl {
        positive_ttl(ttl)?;
    }
    Ok(())
}

fn positive_ttl(ttl: u64) -> Result<u64, StatusListError> {
    if ttl == 0 || i64::try_from(ttl).is_err() {
        return Err(StatusListError::Malformed("ttl is not a positive number"));
    }
    Ok(ttl)
}

/// A JSON number as whole seconds, fractions rounded down (RFC 7519 NumericDate).
fn json_number(value: &Value) -> Result<u64, StatusListError> {
    let number = value
        .as_number()
        .ok_or(StatusListError::Malformed("a number claim is not a number"))?;
    if let Some(n) = number.as_u64() {
        return Ok(n);
    }
    match number.as_f64() {
        Some(f) if f.is_finite() && (0.0..9.2e18).contains(&f) => Ok(f.floor() as u64),
        _ => Err(StatusListError::Malformed("a number claim is out of range")),
    }
}

/// A NumericDate claim (fractions rounded down), `None` when absent.
fn json_time(claims: &Map<String, Value>, name: &str) -> Result<Option<i64>, StatusListError> {
    let Some(value) = claims.get(name) else {
        return Ok(None);
    };
    let number = value
        .as_number()
        .ok_or(StatusListError::Malformed("a time claim is not a number"))?;
    if let Some(seconds) = number.as_i64() {
        return Ok(Some(seconds));
    }
    match number.as_f64() {
        Some(f) if f.is_finite() && (-9.2e18..9.2e18).contains(&f) => Ok(Some(f.floor() as i64)),
        _ => Err(StatusListError::Malformed("a time claim is out of range")),
    }
}

/// A CWT NumericDate (RFC 8392 s2): an integer, or a float rounded down.
fn cbor_time(value: &Cbor) -> Result<i64, StatusListError> {
    match value {
        Cbor::Integer(i) => i64::try_from(*i)
            .map_err(|_| StatusListError::Malformed("a time claim is out of range")),
        Cbor::Float(f) if f.is_finite() && (-9.2e18..9.2e18).contains(f) => Ok(f.floor() as i64),
        _ => Err(StatusListError::Malformed("a time claim is not a number")),
    }
}

/// A CBOR map whose keys are all different.
fn cbor_map<'v>(
    value: &'v Cbor,
    problem: &'static str,
) -> Result<&'v [(Cbor, Cbor)], StatusListError> {
    let entries = value.as_map().ok_or(StatusListError::Malformed(problem))?;
    for (i, (key, _)) in entries.iter().enumerate() {
        if entries[..i].iter().any(|(earlier, _)| earlier == key) {
            return Err(StatusListError::Malformed("a CBOR map has a duplicate key"));
        }
    }
    Ok(entries)
}

fn strip_prefix_ignore_case<'t>(text: &'t str, prefix: &str) -> &'t str {
    match text.get(..prefix.len()) {
        Some(head) if head.eq_ignore_ascii_case(prefix) => &text[prefix.len()..],
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn zlib(bytes: &[u8]) -> Vec<u8> {
        let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), Compression::best());
        encoder.write_all(bytes).unwrap();
        encoder.finish().unwrap()
    }

    #[test]
    fn decompress_is_strict_and_bounded() {
        let data = vec![7u8; 100_000];
        assert_eq!(decompress(&zlib(&data)).unwrap(), data);
        let packed = zlib(&data);
        assert!(matches!(
            decompress(&packed[..packed.len() - 3]),
            Err(StatusListError::Malformed(_))
        ));
        let mut trailing = packed.clone();
        trailing.push(0);
        assert!(matches!(
            decompress(&trailing),
            Err(StatusListError::Malformed(_))
        ));
        let mut corrupt = packed;
        let last = corrupt.len() - 1;
        corrupt[last] ^= 1; // Adler-32 checksum
        assert!(matches!(
            decompress(&corrupt),
            Err(StatusListError::Malformed(_))
        ));
        assert!(matches!(
            decompress(&zlib(&vec![0u8; MAX_STATUS_LIST_BYTES + 1])),
            Err(StatusListError::TooLarge(_))
        ));
        assert_eq!(
            decompress(&zlib(&vec![0u8; MAX_STATUS_LIST_BYTES]))
                .unwrap()
                .len(),
            MAX_STATUS_LIST_BYTES
        );
        assert!(matches!(
            decompress(b""),
            Err(StatusListError::Malformed(_))
        ));
    }

    #[test]
    fn bit_positions() {
        assert_eq!(position(1, 9), Some((1, 1)));
        assert_eq!(position(2, 5), Some((1, 2)));
        assert_eq!(position(4, 3), Some((1, 4)));
        assert_eq!(position(8, 3), Some((3, 0)));
        assert_eq!(position(8, u64::MAX), None);
        assert_eq!(mask(8), 0xff);
        assert_eq!(mask(1), 1);
    }
}
