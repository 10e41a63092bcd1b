//! Credential issuer metadata (OpenID4VCI 1.0 s12.2) and the authorization server metadata
//! the token endpoint comes from (RFC 8414). Members this wallet does not use are ignored, as
//! the spec asks.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::error::{Endpoint, Oid4vciError, Oid4vciResult};
use super::{FORMAT_MDOC, FORMAT_SD_JWT, url};

/// The well-known name of credential issuer metadata.
pub const ISSUER_WELL_KNOWN: &str = "openid-credential-issuer";
/// The well-known name of OAuth authorization server metadata.
pub const AUTHORIZATION_SERVER_WELL_KNOWN: &str = "oauth-authorization-server";

/// Credential issuer metadata.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IssuerMetadata {
    /// The issuer's identifier; must equal the offer's.
    pub credential_issuer: String,
    /// Authorization servers; absent means the issuer is its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorization_servers: Option<Vec<String>>,
    /// The credential endpoint.
    pub credential_endpoint: String,
    /// The nonce endpoint (needed for key proofs with a nonce).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nonce_endpoint: Option<String>,
    /// The deferred credential endpoint (not used).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deferred_credential_endpoint: Option<String>,
    /// Batch issuance: how many proofs one request may carry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch_credential_issuance: Option<BatchIssuance>,
    /// The issuer's name and logo per locale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display: Option<Vec<IssuerDisplay>>,
    /// What the issuer issues, by configuration id.
    pub credential_configurations_supported: BTreeMap<String, CredentialConfiguration>,
}

/// `batch_credential_issuance`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchIssuance {
    /// The most key proofs in one credential request (2 or more).
    pub batch_size: u32,
}

/// The issuer's name in one locale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuerDisplay {
    /// The name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A BCP 47 language tag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
}

/// One credential configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CredentialConfiguration {
    /// `dc+sd-jwt` or `mso_mdoc` (others are refused).
    pub format: String,
    /// The OAuth scope (not used in the pre-authorized flow).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// How copies are bound to keys: `jwk` (SD-JWT `cnf`) or `cose_key` (mdoc).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cryptographic_binding_methods_supported: Option<Vec<String>>,
    /// The issuer's signature algorithms (names for SD-JWT, COSE numbers for mdoc).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credential_signing_alg_values_supported: Option<Vec<Value>>,
    /// Key proof types and their algorithms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proof_types_supported: Option<BTreeMap<String, ProofTypeMetadata>>,
    /// Display data and claims (1.0 final).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credential_metadata: Option<CredentialMetadata>,
    /// Display data of earlier drafts (top level), read when `credential_metadata` is absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display: Option<Vec<CredentialDisplay>>,
    /// The SD-JWT VC type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vct: Option<String>,
    /// The mdoc docType.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doctype: Option<String>,
}

/// One proof type's metadata.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProofTypeMetadata {
    /// The JWS algorithms accepted for proofs.
    pub proof_signing_alg_values_supported: Vec<String>,
}

/// `credential_metadata`: display data and claims.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CredentialMetadata {
    /// The credential's name per locale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display: Option<Vec<CredentialDisplay>>,
    /// Claims with their labels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claims: Option<Vec<ClaimDescription>>,
}

/// A credential's name in one locale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CredentialDisplay {
    /// The name.
    pub name: String,
    /// A BCP 47 language tag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// A description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// One claim's description.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimDescription {
    /// Its path (strings, indices, `null`; for mdoc `[namespace, element]`).
    pub path: Vec<Value>,
    /// Whether the issuer always includes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mandatory: Option<bool>,
    /// Its label per locale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display: Option<Vec<ClaimDisplay>>,
}

/// A claim's label in one locale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimDisplay {
    /// The label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A BCP 47 language tag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
}

impl CredentialConfiguration {
    /// The credential type: `vct` for `dc+sd-jwt`, `doctype` for `mso_mdoc`.
    pub fn credential_type(&self) -> Option<&str> {
        match self.format.as_str() {
            FORMAT_SD_JWT => self.vct.as_deref(),
            FORMAT_MDOC => self.doctype.as_deref(),
            _ => None,
        }
    }

    /// The display entries, wherever the metadata put them.
    pub fn display_entries(&self) -> &[CredentialDisplay] {
        self.credential_metadata
            .as_ref()
            .and_then(|m| m.display.as_deref())
            .or(self.display.as_deref())
            .unwrap_or(&[])
    }

    /// The claim descriptions.
    pub fn claim_descriptions(&self) -> &[ClaimDescription] {
        self.credential_metadata
            .as_ref()
            .and_then(|m| m.claims.as_deref())
            .unwrap_or(&[])
    }

    /// Checks that this wallet can receive it: a known format with its type, and `jwt`
    /// proofs with ES256 (or no proof types, which the wallet then cannot bind: refused).
    pub fn check_supported(&self, id: &str) -> Oid4vciResult<()> {
        let unsupported = |reason: &str| Oid4vciError::UnsupportedConfiguration {
            id: super::error::printable(id, 64),
            reason: reason.into(),
        };
        if self.format != FORMAT_SD_JWT && self.format != FORMAT_MDOC {
            return Err(unsupported("format is neither dc+sd-jwt nor mso_mdoc"));
        }
        if self.credential_type().is_none_or(str::is_empty) {
            return Err(unsupported("no vct or doctype"));
        }
        let jwt = self
            .proof_types_supported
            .as_ref()
            .and_then(|p| p.get("jwt"))
            .ok_or_else(|| unsupported("no jwt key proofs"))?;
        if !jwt
            .proof_signing_alg_values_supported
            .iter()
            .any(|a| a == "ES256")
        {
            return Err(unsupported("jwt key proofs without ES256"));
        }
        Ok(())
    }
}

impl IssuerMetadata {
    /// Checks the metadata fetched for `issuer`: same identifier, acceptable endpoint URLs.
    pub fn validate(&self, issuer: &str, allow_http: bool) -> Oid4vciResult<()> {
        let invalid = |reason: String| Oid4vciError::InvalidMessage {
            endpoint: Endpoint::IssuerMetadata,
            reason,
        };
        if self.credential_issuer != issuer {
            return Err(invalid(
                "credential_issuer is not the offer's issuer".into(),
            ));
        }
        url::check(&self.credential_endpoint, allow_http)
            .map_err(|e| invalid(format!("credential_endpoint: {e}")))?;
        if let Some(nonce) = &self.nonce_endpoint {
            url::check(nonce, allow_http).map_err(|e| invalid(format!("nonce_endpoint: {e}")))?;
        }
        for server in self.authorization_servers.iter().flatten() {
            url::check(server, allow_http)
                .map_err(|e| invalid(format!("authorization_servers: {e}")))?;
        }
        Ok(())
    }

    /// The most proofs one request may carry (1 without `batch_credential_issuance`).
    pub fn batch_size(&self) -> usize {
        self.batch_credential_issuance
            .as_ref()
            .map_or(1, |b| b.batch_size as usize)
    }
}

/// Authorization server metadata (RFC 8414), the member this flow needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorizationServerMetadata {
    /// The server's identifier.
    pub issuer: String,
    /// The token endpoint.
    pub token_endpoint: String,
    /// Whether the pre-authorized grant may be used without a client id.
    #[serde(
        rename = "pre-authorized_grant_anonymous_access_supported",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub pre_authorized_grant_anonymous_access_supported: Option<bool>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn final_and_draft_display_locations_are_both_read() {
        let json = serde_json::json!({
            "credential_issuer": "https://issuer.example",
            "credential_endpoint": "https://issuer.example/credential",
            "nonce_endpoint": "https://issuer.example/nonce",
            "credential_configurations_supported": {
                "pid": {
                    "format": "dc+sd-jwt", "vct": "urn:eudi:pid:1",
                    "proof_types_supported": {"jwt": {"proof_signing_alg_values_supported": ["ES256"]}},
                    "credential_metadata": {"display": [{"name": "PID", "locale": "en"}],
                        "claims": [{"path": ["given_name"], "display": [{"name": "Given name", "locale": "en"}]}]}
                },
                "mdl": {
                    "format": "mso_mdoc", "doctype": "org.iso.18013.5.1.mDL",
                    "credential_signing_alg_values_supported": [-7],
                    "proof_types_supported": {"jwt": {"proof_signing_alg_values_supported": ["ES384"]}},
                    "display": [{"name": "Driving licence"}]
                },
                "ldp": {"format": "ldp_vc"}
            },
            "unknown_member": true
        });
        let metadata: IssuerMetadata = serde_json::from_value(json).unwrap();
        metadata.validate("https://issuer.example", false).unwrap();
        let pid = &metadata.credential_configurations_supported["pid"];
        assert_eq!(pid.display_entries()[0].name, "PID");
        assert_eq!(pid.claim_descriptions().len(), 1);
        pid.check_supported("pid").unwrap();
        let mdl = &metadata.credential_configurations_supported["mdl"];
        assert_eq!(mdl.display_entries()[0].name, "Driving licence");
        assert!(mdl.check_supported("mdl").is_err(), "no ES256 proofs");
        let ldp = &metadata.credential_configurations_supported["ldp"];
        assert!(ldp.check_supported("ldp").is_err());
        assert!(metadata.validate("https://other.example", false).is_err());
    }
}
