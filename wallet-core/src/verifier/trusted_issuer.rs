//! An issuer the field verifier accepts, as read from a key or certificate file.

use serde_json::Value;

use laissez_crypto::issuer_key::IssuerKey;
use laissez_formats::jose::IssuerJwk;
use laissez_formats::x509::{Certificate, TrustAnchors};

/// An issuer the verifier accepts: a key, or a certificate (its key, and as a chain anchor).
#[derive(Debug, Clone, PartialEq)]
pub struct TrustedIssuer {
    /// The name to show for it.
    pub name: Option<String>,
    /// Its public key: P-256, P-384 or Ed25519.
    pub key: IssuerKey,
    /// Its certificate, when trusted as one: a root (IACA), an intermediate or the issuer's
    /// own certificate. It also anchors certificate chains.
    pub certificate: Option<Certificate>,
    /// The credential types (vct, docType) it may vouch for; empty = any.
    pub credential_types: Vec<String>,
    /// The issuing countries (ISO 3166-1 alpha-2) it may vouch for in mdocs; empty = any.
    pub countries: Vec<String>,
}

/// Why a trusted-issuer file was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not an issuer key or certificate: {0}")]
pub struct TrustedIssuerError(pub &'static str);

impl TrustedIssuer {
    /// Whether this issuer may vouch for `credential_type` (`None`: not known yet).
    pub fn allows_type(&self, credential_type: Option<&str>) -> bool {
        self.credential_types.is_empty()
            || credential_type.is_some_and(|t| self.credential_types.iter().any(|c| c == t))
    }

    /// Whether this issuer may vouch for an mdoc of `country` (`None`: the document names
    /// none, which an issuer limited to some countries does not accept).
    pub fn allows_country(&self, country: Option<&str>) -> bool {
        self.countries.is_empty()
            || country.is_some_and(|c| self.countries.iter().any(|allowed| allowed == c))
    }

    /// Reads a PEM or DER certificate, or a public JWK (EC P-256 or P-384, OKP Ed25519).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, TrustedIssuerError> {
        if let Ok(certificate) = Certificate::from_der_or_pem(bytes) {
            if !certificate.public_key().is_valid_point() {
                return Err(TrustedIssuerError(
                    "the certificate's key is not a point of its curve",
                ));
            }
            return Ok(Self {
                name: certificate.common_name().map(str::to_owned),
                key: certificate.public_key().clone(),
                certificate: Some(certificate),
                credential_types: Vec::new(),
                countries: Vec::new(),
            });
        }
        let json: Value = serde_json::from_slice(bytes)
            .map_err(|_| TrustedIssuerError("neither a certificate nor JSON"))?;
        let jwk = IssuerJwk::from_json(&json)
            .map_err(|_| TrustedIssuerError("not a P-256, P-384 or Ed25519 JWK"))?;
        if !jwk.issuer_key().is_valid_point() {
            return Err(TrustedIssuerError("the key is not a point of its curve"));
        }
        Ok(Self {
            name: None,
            key: jwk.into_issuer_key(),
            certificate: None,
            credential_types: Vec::new(),
            countries: Vec::new(),
        })
    }
}

/// The trust anchors of `trusted`, one per issuer and in the same order, so an anchor index
/// is an index into `trusted`.
pub(crate) fn anchors_of(trusted: &[TrustedIssuer]) -> TrustAnchors {
    let mut anchors = TrustAnchors::new();
    for issuer in trusted {
        match &issuer.certificate {
            Some(cert) => anchors.add_certificate(cert.clone()),
            None => anchors.add_key(issuer.key.clone()),
        };
    }
    anchors
}

#[cfg(test)]
mod tests {
    use super::*;
    use laissez_crypto::issuer_key::{IssuerSigningKey, SignatureAlgorithm};

    #[test]
    fn a_p384_key_off_its_curve_is_refused_when_read() {
        let key = IssuerSigningKey::generate(SignatureAlgorithm::Es384).unwrap();
        let jwk = IssuerJwk::from_issuer_key(key.public_key()).to_json();
        let good = TrustedIssuer::from_bytes(jwk.to_string().as_bytes()).unwrap();
        assert_eq!(good.key, key.public_key());
        // Flip a bit of `y`: still 48 bytes, no longer on P-384.
        let mut bent = jwk.clone();
        let mut y = laissez_formats::jose::base64url::decode(jwk["y"].as_str().unwrap()).unwrap();
        y[47] ^= 1;
        bent["y"] = Value::String(laissez_formats::jose::base64url::encode(&y));
        assert_eq!(
            TrustedIssuer::from_bytes(bent.to_string().as_bytes()),
            Err(TrustedIssuerError("the key is not a point of its curve"))
        );
    }
}
