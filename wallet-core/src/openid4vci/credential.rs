//! The credential endpoint (OpenID4VCI 1.0 s8): a request naming a configuration with one key
//! proof per copy, and the response with one credential per proof.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::MAX_BATCH;
use super::error::{Endpoint, ErrorCode, Oid4vciError, Oid4vciResult};

/// A credential request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CredentialRequest {
    /// The configuration asked for (this wallet always names one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credential_configuration_id: Option<String>,
    /// A credential identifier from `authorization_details` (not used by this wallet).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credential_identifier: Option<String>,
    /// The key proofs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proofs: Option<Proofs>,
    /// The single `proof` of earlier drafts: refused by the issuer (1.0 has `proofs` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proof: Option<Value>,
}

/// `proofs`: one proof type with its proofs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proofs {
    /// Key proof JWTs, one per key.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub jwt: Vec<String>,
}

impl CredentialRequest {
    /// A request for `configuration_id` with these proof JWTs.
    pub fn new(configuration_id: &str, proof_jwts: Vec<String>) -> Self {
        Self {
            credential_configuration_id: Some(configuration_id.to_owned()),
            credential_identifier: None,
            proofs: Some(Proofs { jwt: proof_jwts }),
            proof: None,
        }
    }

    /// Reads a request body (the issuer's side): the OAuth code to answer with on failure.
    pub fn from_body(body: &[u8]) -> Result<Self, (ErrorCode, &'static str)> {
        let request: Self = super::http::parse_json(Endpoint::Credential, body).map_err(|_| {
            (
                ErrorCode::InvalidCredentialRequest,
                "the body is not a credential request",
            )
        })?;
        if request.proof.is_some() {
            return Err((
                ErrorCode::InvalidCredentialRequest,
                "use proofs, not proof (OpenID4VCI 1.0)",
            ));
        }
        match (
            &request.credential_configuration_id,
            &request.credential_identifier,
        ) {
            (Some(_), None) => {}
            (None, Some(_)) => {
                return Err((
                    ErrorCode::UnknownCredentialIdentifier,
                    "credential identifiers are not issued by this issuer",
                ));
            }
            _ => {
                return Err((
                    ErrorCode::InvalidCredentialRequest,
                    "name exactly one of credential_configuration_id and credential_identifier",
                ));
            }
        }
        let count = request.proofs.as_ref().map_or(0, |p| p.jwt.len());
        if count == 0 {
            return Err((ErrorCode::InvalidProof, "proofs.jwt is missing or empty"));
        }
        if count > MAX_BATCH {
            return Err((ErrorCode::InvalidCredentialRequest, "too many proofs"));
        }
        Ok(request)
    }
}

/// A credential response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CredentialResponse {
    /// The credentials, one per proof.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credentials: Option<Vec<IssuedCredential>>,
    /// Set when issuance is deferred (not supported by this wallet).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_id: Option<String>,
    /// For the notification endpoint (not used).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notification_id: Option<String>,
}

/// One issued credential.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedCredential {
    /// The credential: SD-JWT VC compact text, or base64url of the mdoc `IssuerSigned`.
    pub credential: Value,
}

impl CredentialResponse {
    /// The credential strings, checked: not deferred, all strings, count as expected.
    pub fn credential_texts(&self, expected: usize) -> Oid4vciResult<Vec<&str>> {
        let Some(credentials) = &self.credentials else {
            return Err(if self.transaction_id.is_some() {
                Oid4vciError::Deferred
            } else {
                Oid4vciError::InvalidMessage {
                    endpoint: Endpoint::Credential,
                    reason: "neither credentials nor transaction_id".into(),
                }
            });
        };
        if credentials.len() != expected {
            return Err(Oid4vciError::CopyCount {
                expected,
                got: credentials.len(),
            });
        }
        credentials
            .iter()
            .enumerate()
            .map(|(index, c)| {
                c.credential.as_str().ok_or(Oid4vciError::WrongCopy {
                    index,
                    reason: "the credential is not a string".into(),
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_with_a_single_proof_or_no_proofs_are_refused() {
        let ok = CredentialRequest::new("pid", vec!["a.b.c".into()]);
        let body = serde_json::to_vec(&ok).unwrap();
        assert_eq!(CredentialRequest::from_body(&body).unwrap(), ok);
        let single =
            br#"{"credential_configuration_id":"pid","proof":{"proof_type":"jwt","jwt":"a.b.c"}}"#;
        assert_eq!(
            CredentialRequest::from_body(single).unwrap_err().0,
            ErrorCode::InvalidCredentialRequest
        );
        let none = br#"{"credential_configuration_id":"pid"}"#;
        assert_eq!(
            CredentialRequest::from_body(none).unwrap_err().0,
            ErrorCode::InvalidProof
        );
        assert_eq!(
            CredentialRequest::from_body(b"[1,2").unwrap_err().0,
            ErrorCode::InvalidCredentialRequest
        );
    }

    #[test]
    fn deferred_and_miscounted_responses_are_typed_errors() {
        let deferred = CredentialResponse {
            credentials: None,
            transaction_id: Some("t".into()),
            notification_id: None,
        };
        assert!(matches!(
            deferred.credential_texts(1),
            Err(Oid4vciError::Deferred)
        ));
        let one = CredentialResponse {
            credentials: Some(vec![IssuedCredential {
                credential: Value::String("x".into()),
            }]),
            transaction_id: None,
            notification_id: None,
        };
        assert!(matches!(
            one.credential_texts(2),
            Err(Oid4vciError::CopyCount {
                expected: 2,
                got: 1
            })
        ));
        assert_eq!(one.credential_texts(1).unwrap(), vec!["x"]);
    }
}
