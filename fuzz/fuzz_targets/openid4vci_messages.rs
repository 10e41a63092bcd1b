//! OpenID4VCI messages from the other side: offer links and offers, issuer and authorization
//! server metadata, token forms and responses, nonce and credential requests and responses,
//! key proof JWTs (wallet_core::openid4vci).
#![no_main]

use libfuzzer_sys::fuzz_target;
use wallet_core::openid4vci::credential::{CredentialRequest, CredentialResponse};
use wallet_core::openid4vci::metadata::IssuerMetadata;
use wallet_core::openid4vci::offer::{parse_link, parse_offer};
use wallet_core::openid4vci::token::{TokenRequest, TokenResponse};
use wallet_core::openid4vci::{labels, proof};

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = parse_link(text);
        let _ = proof::verify_proof(text, "https://issuer.example", 0);
    }
    if let Ok(offer) = parse_offer(data) {
        let _ = offer.validate(true);
        let _ = offer.to_link();
    }
    if let Ok(metadata) = serde_json::from_slice::<IssuerMetadata>(data) {
        let _ = metadata.validate("https://issuer.example", false);
        for (id, configuration) in &metadata.credential_configurations_supported {
            let _ = configuration.check_supported(id);
            let _ = labels::type_metadata_from(configuration, "urn:fuzz");
        }
    }
    let _ = TokenRequest::from_form(data);
    if let Ok(token) = serde_json::from_slice::<TokenResponse>(data) {
        let _ = token.validate();
    }
    let _ = CredentialRequest::from_body(data);
    if let Ok(response) = serde_json::from_slice::<CredentialResponse>(data) {
        let _ = response.credential_texts(2);
    }
});
