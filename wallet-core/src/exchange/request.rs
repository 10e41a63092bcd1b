//! The verifier's request: who asks, why, for which claims (each required or optional), with
//! a fresh nonce, an ephemeral P-256 key to encrypt the answer to, and an expiry.
//!
//! CBOR map with small integer keys (it must fit a QR code):
//! `{1: nonce (16 B), 2: verifier key (compressed SEC1, 33 B), 3: verifier name, 4: purpose,
//!   5: [[credential type, [[claim path, required], ...]], ...], 6: created, 7: expires}`.

use ciborium::Value;
use p256::elliptic_curve::sec1::ToEncodedPoint;

use super::cert_ref::{CertRef, MAX_KNOWN_CERTIFICATES};
use super::error::{ExchangeError, ExchangeResult};
use laissez_crypto::ecdsa::VerifyingKey;

/// Longest verifier name or purpose, in bytes.
pub const MAX_TEXT: usize = 200;
/// Most credentials one request may ask for.
pub const MAX_CREDENTIALS: usize = 8;
/// Most claims per requested credential.
pub const MAX_CLAIMS: usize = 64;
/// Longest claim path or credential type, in bytes.
pub const MAX_PATH: usize = 128;
/// Largest encoded request, in bytes.
pub const MAX_REQUEST_BYTES: usize = 8 * 1024;

/// One claim the verifier asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestedClaim {
    /// Claim path (`given_name`, `address.locality`, `namespace/element`).
    pub path: String,
    /// Whether the verifier cannot proceed without it.
    pub required: bool,
}

impl RequestedClaim {
    /// Whether this claim is the holder's portrait (SD-JWT VC `picture`, mdoc
    /// `namespace/portrait`): consent screens say "your photo will be shared".
    pub fn is_portrait(&self) -> bool {
        laissez_formats::credential::portrait::is_portrait_path(&self.path)
    }
}

/// One credential the verifier asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestedCredential {
    /// vct or docType.
    pub credential_type: String,
    /// The claims.
    pub claims: Vec<RequestedClaim>,
}

/// A verifier's request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifierRequest {
    /// Fresh random nonce.
    pub nonce: [u8; 16],
    /// The verifier's ephemeral key: the response is encrypted to it.
    pub verifier_key: VerifyingKey,
    /// Who asks (shown to the holder).
    pub verifier_name: String,
    /// Why (shown to the holder).
    pub purpose: String,
    /// What.
    pub credentials: Vec<RequestedCredential>,
    /// When it was made, Unix seconds.
    pub created_at: i64,
    /// When it stops being answerable, Unix seconds.
    pub expires_at: i64,
    /// References of the certificates the verifier already holds (its trust list): the
    /// holder may leave those out of the response ([`super::compact`]). At most
    /// [`MAX_KNOWN_CERTIFICATES`]; empty when not sent.
    pub known_certificates: Vec<CertRef>,
}

fn text(value: &str, what: &'static str, max: usize) -> ExchangeResult<Value> {
    if value.len() > max {
        return Err(ExchangeError::TooLarge(what));
    }
    Ok(Value::Text(value.to_owned()))
}

fn compressed(key: &VerifyingKey) -> ExchangeResult<Vec<u8>> {
    let point = p256::PublicKey::from_sec1_bytes(&key.to_sec1())
        .map_err(|_| ExchangeError::Malformed("verifier key"))?;
    Ok(point.to_encoded_point(true).as_bytes().to_vec())
}

impl VerifierRequest {
    /// The request's CBOR bytes: what the QR carries and what presentations are bound to.
    pub fn encode(&self) -> ExchangeResult<Vec<u8>> {
        if self.credentials.is_empty() || self.credentials.len() > MAX_CREDENTIALS {
            return Err(ExchangeError::Malformed("credential list (1 to 8)"));
        }
        let mut credentials = Vec::with_capacity(self.credentials.len());
        for credential in &self.credentials {
            if credential.claims.len() > MAX_CLAIMS {
                return Err(ExchangeError::TooLarge("claims"));
            }
            let claims = credential
                .claims
                .iter()
                .map(|c| {
                    Ok(Value::Array(vec![
                        text(&c.path, "claim path", MAX_PATH)?,
                        Value::Bool(c.required),
                    ]))
                })
                .collect::<ExchangeResult<Vec<_>>>()?;
            credentials.push(Value::Array(vec![
                text(&credential.credential_type, "credential type", MAX_PATH)?,
                Value::Array(claims),
            ]));
        }
        if self.known_certificates.len() > MAX_KNOWN_CERTIFICATES {
            return Err(ExchangeError::TooLarge("known certificates"));
        }
        let mut entries = vec![
            (1.into(), Value::Bytes(self.nonce.to_vec())),
            (2.into(), Value::Bytes(compressed(&self.verifier_key)?)),
            (
                3.into(),
                text(&self.verifier_name, "verifier name", MAX_TEXT)?,
            ),
            (4.into(), text(&self.purpose, "purpose", MAX_TEXT)?),
            (5.into(), Value::Array(credentials)),
            (6.into(), Value::Integer(self.created_at.into())),
            (7.into(), Value::Integer(self.expires_at.into())),
        ];
        if !self.known_certificates.is_empty() {
            let refs = self
                .known_certificates
                .iter()
                .map(|r| Value::Bytes(r.to_vec()))
                .collect();
            entries.push((8.into(), Value::Array(refs)));
        }
        let mut out = Vec::new();
        ciborium::into_writer(&Value::Map(entries), &mut out)
            .map_err(|_| ExchangeError::Malformed("request encoding"))?;
        if out.len() > MAX_REQUEST_BYTES {
            return Err(ExchangeError::TooLarge("request"));
        }
        Ok(out)
    }

    /// Parses request bytes, checking every field and limit.
    pub fn decode(bytes: &[u8]) -> ExchangeResult<Self> {
        if bytes.len() > MAX_REQUEST_BYTES {
            return Err(ExchangeError::TooLarge("request"));
        }
        let value: Value =
            ciborium::from_reader(bytes).map_err(|_| ExchangeError::Malformed("request CBOR"))?;
        let Value::Map(entries) = value else {
            return Err(ExchangeError::Malformed("request is not a map"));
        };
        let field = |key: i64| {
            entries
                .iter()
                .find(|(k, _)| matches!(k, Value::Integer(i) if i128::from(*i) == i128::from(key)))
                .map(|(_, v)| v)
                .ok_or(ExchangeError::Malformed("request field missing"))
        };
        let nonce: [u8; 16] = match field(1)? {
            Value::Bytes(b) => b
                .as_slice()
                .try_into()
                .map_err(|_| ExchangeError::Malformed("nonce"))?,
            _ => return Err(ExchangeError::Malformed("nonce")),
        };
        let verifier_key = match field(2)? {
            Value::Bytes(b) => {
                VerifyingKey::from_sec1(b).ok_or(ExchangeError::Malformed("verifier key"))?
            }
            _ => return Err(ExchangeError::Malformed("verifier key")),
        };
        let read_text = |v: &Value, what: &'static str, max: usize| match v {
            Value::Text(t) if t.len() <= max => Ok(t.clone()),
            Value::Text(_) => Err(ExchangeError::TooLarge(what)),
            _ => Err(ExchangeError::Malformed(what)),
        };
        let read_int = |v: &Value, what: &'static str| match v {
            Value::Integer(i) => i64::try_from(*i).map_err(|_| ExchangeError::Malformed(what)),
            _ => Err(ExchangeError::Malformed(what)),
        };
        let Value::Array(raw_credentials) = field(5)? else {
            return Err(ExchangeError::Malformed("credential list"));
        };
        if raw_credentials.is_empty() || raw_credentials.len() > MAX_CREDENTIALS {
            return Err(ExchangeError::Malformed("credential list (1 to 8)"));
        }
        let mut credentials = Vec::with_capacity(raw_credentials.len());
        for raw in raw_credentials {
            let Value::Array(pair) = raw else {
                return Err(ExchangeError::Malformed("requested credential"));
            };
            let [kind, Value::Array(raw_claims)] = pair.as_slice() else {
                return Err(ExchangeError::Malformed("requested credential"));
            };
            if raw_claims.len() > MAX_CLAIMS {
                return Err(ExchangeError::TooLarge("claims"));
            }
            let claims = raw_claims
                .iter()
                .map(|c| match c {
                    Value::Array(items) => match items.as_slice() {
                        [path, Value::Bool(required)] => Ok(RequestedClaim {
                            path: read_text(path, "claim path", MAX_PATH)?,
                            required: *required,
                        }),
                        _ => Err(ExchangeError::Malformed("requested claim")),
                    },
                    _ => Err(ExchangeError::Malformed("requested claim")),
                })
                .collect::<ExchangeResult<Vec<_>>>()?;
            credentials.push(RequestedCredential {
                credential_type: read_text(kind, "credential type", MAX_PATH)?,
                claims,
            });
        }
        let known_certificates = match field(8) {
            Err(_) => Vec::new(),
            Ok(Value::Array(refs)) if refs.len() <= MAX_KNOWN_CERTIFICATES => refs
                .iter()
                .map(|r| match r {
                    Value::Bytes(b) => CertRef::try_from(b.as_slice())
                        .map_err(|_| ExchangeError::Malformed("certificate reference")),
                    _ => Err(ExchangeError::Malformed("certificate reference")),
                })
                .collect::<ExchangeResult<_>>()?,
            Ok(Value::Array(_)) => return Err(ExchangeError::TooLarge("known certificates")),
            Ok(_) => return Err(ExchangeError::Malformed("known certificates")),
        };
        Ok(Self {
            nonce,
            verifier_key,
            verifier_name: read_text(field(3)?, "verifier name", MAX_TEXT)?,
            purpose: read_text(field(4)?, "purpose", MAX_TEXT)?,
            credentials,
            created_at: read_int(field(6)?, "created")?,
            expires_at: read_int(field(7)?, "expires")?,
            known_certificates,
        })
    }

    /// Whether it can still be answered at `now` (a minute of clock skew allowed).
    pub fn check_time(&self, now: i64) -> ExchangeResult<()> {
        const SKEW: i64 = 60;
        if now + SKEW < self.created_at || now >= self.expires_at {
            return Err(ExchangeError::RequestExpired);
        }
        Ok(())
    }
}

/// SHA-256 of the request bytes: the transcript every response is bound to.
pub fn request_hash(request_bytes: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    out.copy_from_slice(ring::digest::digest(&ring::digest::SHA256, request_bytes).as_ref());
    out
}
