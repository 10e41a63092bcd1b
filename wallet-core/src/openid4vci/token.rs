//! The token endpoint (OpenID4VCI 1.0 s6, RFC 6749 s4.1.3 and s5): the pre-authorized code
//! and the transaction code, as a form, for an access token.

use serde::{Deserialize, Serialize};

use super::error::{Endpoint, ErrorCode, Oid4vciError, Oid4vciResult};
use super::{PRE_AUTHORIZED_GRANT, url};

/// A token request of the pre-authorized code grant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRequest {
    /// The pre-authorized code from the offer.
    pub pre_authorized_code: String,
    /// The transaction code the person typed, when the offer asks for one.
    pub tx_code: Option<String>,
}

impl TokenRequest {
    /// The form body (`application/x-www-form-urlencoded`).
    pub fn to_form(&self) -> String {
        let mut pairs = vec![
            ("grant_type", PRE_AUTHORIZED_GRANT),
            ("pre-authorized_code", self.pre_authorized_code.as_str()),
        ];
        if let Some(code) = &self.tx_code {
            pairs.push(("tx_code", code.as_str()));
        }
        url::form(&pairs)
    }

    /// Reads a form body (the issuer's side). A form that is not one, names another grant
    /// type or lacks the code gives the OAuth error to answer with.
    pub fn from_form(body: &[u8]) -> Result<Self, (ErrorCode, &'static str)> {
        let text = std::str::from_utf8(body)
            .map_err(|_| (ErrorCode::InvalidRequest, "the body is not UTF-8"))?;
        let pairs =
            url::parse_form(text).ok_or((ErrorCode::InvalidRequest, "the body is not a form"))?;
        let get = |name: &str| {
            pairs
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
        };
        match get("grant_type").as_deref() {
            Some(PRE_AUTHORIZED_GRANT) => {}
            Some(_) => {
                return Err((
                    ErrorCode::UnsupportedGrantType,
                    "only the pre-authorized code grant is supported",
                ));
            }
            None => return Err((ErrorCode::InvalidRequest, "grant_type is missing")),
        }
        let pre_authorized_code = get("pre-authorized_code")
            .filter(|c| !c.is_empty())
            .ok_or((ErrorCode::InvalidRequest, "pre-authorized_code is missing"))?;
        Ok(Self {
            pre_authorized_code,
            tx_code: get("tx_code"),
        })
    }
}

/// A successful token response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenResponse {
    /// The access token (a secret).
    pub access_token: String,
    /// `Bearer` (DPoP is not supported).
    pub token_type: String,
    /// Lifetime, seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_in: Option<u64>,
}

impl TokenResponse {
    /// Checks the response: a non-empty Bearer token.
    pub fn validate(&self) -> Oid4vciResult<()> {
        if self.access_token.is_empty() || self.access_token.len() > 4096 {
            return Err(Oid4vciError::InvalidMessage {
                endpoint: Endpoint::Token,
                reason: "access_token is empty or too long".into(),
            });
        }
        if !self.token_type.eq_ignore_ascii_case("bearer") {
            return Err(Oid4vciError::InvalidMessage {
                endpoint: Endpoint::Token,
                reason: "token_type is not Bearer (DPoP is not supported)".into(),
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_requests_round_trip_and_bad_forms_are_oauth_errors() {
        let request = TokenRequest {
            pre_authorized_code: "a+b/c=".into(),
            tx_code: Some("493536".into()),
        };
        assert_eq!(
            TokenRequest::from_form(request.to_form().as_bytes()).unwrap(),
            request
        );
        assert_eq!(
            TokenRequest::from_form(b"grant_type=authorization_code&code=x")
                .unwrap_err()
                .0,
            ErrorCode::UnsupportedGrantType
        );
        assert_eq!(
            TokenRequest::from_form(b"{\"json\":1}").unwrap_err().0,
            ErrorCode::InvalidRequest
        );
        assert_eq!(
            TokenRequest::from_form(&[0xff, 0xfe]).unwrap_err().0,
            ErrorCode::InvalidRequest
        );
    }
}
