//! The credential offer (OpenID4VCI 1.0 s4.1): what the issuer offers and the pre-authorized
//! code grant, carried by value (`credential_offer=`) or by reference
//! (`credential_offer_uri=`) in an `openid-credential-offer://` link or QR code.

use serde::{Deserialize, Serialize};

use super::error::{Oid4vciError, Oid4vciResult};
use super::{MAX_BATCH, OFFER_SCHEME, url};

/// The largest offer accepted (by value or fetched).
pub const MAX_OFFER_LEN: usize = 16 * 1024;

/// A credential offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CredentialOffer {
    /// The credential issuer's identifier (an https URL).
    pub credential_issuer: String,
    /// Ids of offered configurations in the issuer's metadata.
    pub credential_configuration_ids: Vec<String>,
    /// The grants the issuer accepts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grants: Option<Grants>,
}

/// The grants of an offer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grants {
    /// The pre-authorized code grant.
    #[serde(
        rename = "urn:ietf:params:oauth:grant-type:pre-authorized_code",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub pre_authorized_code: Option<PreAuthorizedCodeGrant>,
    /// The authorization code grant (not supported by this wallet; kept to say so).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorization_code: Option<serde_json::Value>,
}

/// The pre-authorized code grant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreAuthorizedCodeGrant {
    /// The code (a secret: never logged).
    #[serde(rename = "pre-authorized_code")]
    pub pre_authorized_code: String,
    /// Present when a transaction code must be sent with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tx_code: Option<TxCodeSpec>,
    /// Which authorization server to use, when the issuer names several.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorization_server: Option<String>,
}

/// How the transaction code looks (s4.1.1): the wallet shows this when asking for it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TxCodeSpec {
    /// `numeric` (the default) or `text`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_mode: Option<String>,
    /// Its length.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub length: Option<u32>,
    /// A hint for the person (e.g. "sent by SMS").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl TxCodeSpec {
    /// Checks a code the person typed against the announced form.
    pub fn check(&self, code: &str) -> Oid4vciResult<()> {
        if let Some(length) = self.length {
            if code.chars().count() != length as usize {
                return Err(Oid4vciError::TxCodeForm(format!("{length} characters")));
            }
        }
        if self.input_mode.as_deref().unwrap_or("numeric") == "numeric"
            && !code.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(Oid4vciError::TxCodeForm("digits only".into()));
        }
        if code.is_empty() || code.len() > 64 {
            return Err(Oid4vciError::TxCodeForm("1 to 64 characters".into()));
        }
        Ok(())
    }
}

/// An offer link's content: the offer itself or where to fetch it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OfferReference {
    /// `credential_offer=`: the offer itself (not yet validated: see
    /// [`CredentialOffer::validate`]).
    ByValue(CredentialOffer),
    /// `credential_offer_uri=`: an https URL to GET it from.
    ByReference(String),
}

/// Reads an offer link: `openid-credential-offer://?credential_offer=…` or
/// `…?credential_offer_uri=…` (also accepted after any `https://…?` universal link).
pub fn parse_link(link: &str) -> Oid4vciResult<OfferReference> {
    let link = link.trim();
    if link.len() > MAX_OFFER_LEN * 3 {
        return Err(Oid4vciError::InvalidOffer("the link is too long".into()));
    }
    let query = if let Some(rest) = link.strip_prefix(OFFER_SCHEME) {
        rest.split_once('?').map_or("", |(_, q)| q)
    } else if link.starts_with("https://") || link.starts_with("haip-vci://") {
        link.split_once('?').map_or("", |(_, q)| q)
    } else {
        return Err(Oid4vciError::InvalidOffer(
            "not an openid-credential-offer:// link".into(),
        ));
    };
    let pairs = url::parse_form(query)
        .ok_or_else(|| Oid4vciError::InvalidOffer("the link's query is malformed".into()))?;
    let by_value = pairs.iter().find(|(n, _)| n == "credential_offer");
    let by_reference = pairs.iter().find(|(n, _)| n == "credential_offer_uri");
    match (by_value, by_reference) {
        (Some((_, json)), None) => parse_offer(json.as_bytes()).map(OfferReference::ByValue),
        (None, Some((_, uri))) => Ok(OfferReference::ByReference(uri.clone())),
        (Some(_), Some(_)) => Err(Oid4vciError::InvalidOffer(
            "the link has both credential_offer and credential_offer_uri".into(),
        )),
        (None, None) => Err(Oid4vciError::InvalidOffer(
            "the link has neither credential_offer nor credential_offer_uri".into(),
        )),
    }
}

/// Parses an offer's JSON (not yet validated).
pub fn parse_offer(bytes: &[u8]) -> Oid4vciResult<CredentialOffer> {
    if bytes.len() > MAX_OFFER_LEN {
        return Err(Oid4vciError::InvalidOffer("the offer is too long".into()));
    }
    super::http::parse_json(super::Endpoint::Offer, bytes)
}

impl CredentialOffer {
    /// Checks the offer: an acceptable issuer URL (`allow_http` for a desk on a local
    /// network), 1 to [`MAX_BATCH`] distinct non-empty configuration ids, and a
    /// pre-authorized code grant with a non-empty code.
    pub fn validate(&self, allow_http: bool) -> Oid4vciResult<&PreAuthorizedCodeGrant> {
        url::check(&self.credential_issuer, allow_http)
            .map_err(|e| Oid4vciError::InvalidOffer(format!("credential_issuer: {e}")))?;
        let ids = &self.credential_configuration_ids;
        if ids.is_empty() || ids.len() > MAX_BATCH {
            return Err(Oid4vciError::InvalidOffer(
                "credential_configuration_ids must list 1 to 20 ids".into(),
            ));
        }
        if ids
            .iter()
            .enumerate()
            .any(|(i, id)| id.is_empty() || ids[..i].contains(id))
        {
            return Err(Oid4vciError::InvalidOffer(
                "credential_configuration_ids has an empty or repeated id".into(),
            ));
        }
        let grant = self
            .grants
            .as_ref()
            .and_then(|g| g.pre_authorized_code.as_ref())
            .ok_or(Oid4vciError::NoPreAuthorizedGrant)?;
        if grant.pre_authorized_code.is_empty() || grant.pre_authorized_code.len() > 512 {
            return Err(Oid4vciError::InvalidOffer(
                "the pre-authorized code is empty or too long".into(),
            ));
        }
        if let Some(server) = &grant.authorization_server {
            url::check(server, allow_http)
                .map_err(|e| Oid4vciError::InvalidOffer(format!("authorization_server: {e}")))?;
        }
        Ok(grant)
    }

    /// The offer as a link by value: `openid-credential-offer://?credential_offer=…`.
    pub fn to_link(&self) -> String {
        let json = serde_json::to_string(self).unwrap_or_default();
        format!("{OFFER_SCHEME}?credential_offer={}", url::encode(&json))
    }
}

/// A link by reference: `openid-credential-offer://?credential_offer_uri=…`.
pub fn link_by_reference(offer_uri: &str) -> String {
    format!(
        "{OFFER_SCHEME}?credential_offer_uri={}",
        url::encode(offer_uri)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offer() -> CredentialOffer {
        CredentialOffer {
            credential_issuer: "https://issuer.example".into(),
            credential_configuration_ids: vec!["pid_sd_jwt".into()],
            grants: Some(Grants {
                pre_authorized_code: Some(PreAuthorizedCodeGrant {
                    pre_authorized_code: "abc".into(),
                    tx_code: Some(TxCodeSpec {
                        input_mode: Some("numeric".into()),
                        length: Some(6),
                        description: None,
                    }),
                    authorization_server: None,
                }),
                authorization_code: None,
            }),
        }
    }

    #[test]
    fn links_round_trip_by_value_and_by_reference() {
        let link = offer().to_link();
        assert!(link.starts_with("openid-credential-offer://?credential_offer=%7B"));
        assert_eq!(parse_link(&link).unwrap(), OfferReference::ByValue(offer()));
        let by_ref = link_by_reference("https://issuer.example/offers/1");
        assert_eq!(
            parse_link(&by_ref).unwrap(),
            OfferReference::ByReference("https://issuer.example/offers/1".into())
        );
        // The spec's own example shape, grant member name with a hyphen and an underscore.
        let spec = r#"{"credential_issuer":"https://credential-issuer.example.com","credential_configuration_ids":["UniversityDegreeCredential"],"grants":{"urn:ietf:params:oauth:grant-type:pre-authorized_code":{"pre-authorized_code":"oaKazRN8I0IbtZ0C7JuMn5","tx_code":{"length":4,"input_mode":"numeric","description":"Please provide the one-time code that was sent via e-mail"}}}}"#;
        let parsed = parse_offer(spec.as_bytes()).unwrap();
        let grant = parsed.validate(false).unwrap();
        assert_eq!(grant.tx_code.as_ref().and_then(|t| t.length), Some(4));
    }

    #[test]
    fn bad_offers_are_typed_errors() {
        for link in [
            "https://x.example/no-query",
            "mailto:someone",
            "openid-credential-offer://?credential_offer=%7Bnot-json",
            "openid-credential-offer://?credential_offer=%7B%7D",
            "openid-credential-offer://?credential_offer=1&credential_offer_uri=2",
            "openid-credential-offer://?credential_offer=%ff",
        ] {
            assert!(parse_link(link).is_err(), "{link}");
        }
        let mut no_grant = offer();
        no_grant.grants = None;
        assert!(matches!(
            no_grant.validate(false),
            Err(Oid4vciError::NoPreAuthorizedGrant)
        ));
        let mut http = offer();
        http.credential_issuer = "http://issuer.example".into();
        assert!(http.validate(false).is_err());
        assert!(http.validate(true).is_ok());
        let mut repeated = offer();
        repeated.credential_configuration_ids = vec!["a".into(), "a".into()];
        assert!(repeated.validate(false).is_err());
    }

    #[test]
    fn tx_codes_are_checked_against_their_announced_form() {
        let spec = TxCodeSpec {
            input_mode: None,
            length: Some(6),
            description: None,
        };
        assert!(spec.check("123456").is_ok());
        assert!(matches!(
            spec.check("12345"),
            Err(Oid4vciError::TxCodeForm(_))
        ));
        assert!(matches!(
            spec.check("12345a"),
            Err(Oid4vciError::TxCodeForm(_))
        ));
    }
}
