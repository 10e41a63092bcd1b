//! A registrar's folder (ADR 0020): the P-256 key that signs verifier registration
//! certificates, its identifier and display name. Files: `registrar-key.jwk` (private JWK,
//! mode 0600), `registrar.pub.jwk` (the public JWK holders' trust lists carry) and
//! `registrar.json` (`{"id": ..., "name": ...}`).

use std::path::Path;

use serde_json::json;
use zeroize::Zeroizing;

use super::error::{IssuerError, io};
use super::key_file::{signing_key_from_jwk, write_secret};
use laissez_crypto::ecdsa::SigningKey;
use laissez_formats::jose::{P256Jwk, base64url};
use laissez_formats::registration::{self, Registration, TrustedRegistrar};

/// The registrar's private key file.
pub const REGISTRAR_KEY_FILE: &str = "registrar-key.jwk";
/// The registrar's public key file (a JWK), for holders' trust lists.
pub const REGISTRAR_PUBLIC_KEY_FILE: &str = "registrar.pub.jwk";
/// The registrar's identifier and name.
pub const REGISTRAR_INFO_FILE: &str = "registrar.json";

/// A registrar: who it is and the key it certifies verifiers with.
pub struct Registrar {
    /// Its identifier (the certificates' `iss`).
    pub id: String,
    /// Its display name.
    pub name: String,
    /// Its signing key.
    pub key: SigningKey,
}

impl Registrar {
    /// A new registrar with a fresh key.
    pub fn generate(id: &str, name: &str) -> Result<Self, IssuerError> {
        if id.is_empty() || id.len() > registration::MAX_IDENTIFIER {
            return Err(IssuerError::InvalidInput(format!(
                "a registrar identifier has 1 to {} bytes",
                registration::MAX_IDENTIFIER
            )));
        }
        Ok(Self {
            id: id.into(),
            name: name.into(),
            key: SigningKey::generate().map_err(|e| IssuerError::Issue(e.to_string()))?,
        })
    }

    /// What a holder's trust list says of this registrar.
    pub fn trusted(&self) -> TrustedRegistrar {
        TrustedRegistrar {
            id: self.id.clone(),
            key: self.key.public_key().clone(),
        }
    }

    /// The public key as a JWK (with `kid`: the key id certificates carry, base64url).
    pub fn public_jwk(&self) -> serde_json::Value {
        let mut jwk = P256Jwk::from_verifying_key(self.key.public_key().clone()).to_json();
        if let Some(map) = jwk.as_object_mut() {
            map.insert(
                "kid".into(),
                base64url::encode(&registration::key_id(self.key.public_key())).into(),
            );
        }
        jwk
    }

    /// Signs a registration certificate; its `iss` is this registrar's identifier.
    pub fn certify(&self, registration: &Registration) -> Result<Vec<u8>, IssuerError> {
        let registration = Registration {
            registrar_id: self.id.clone(),
            ..registration.clone()
        };
        registration::certify(&registration, &self.key)
            .map_err(|e| IssuerError::InvalidInput(e.to_string()))
    }

    /// Writes the folder (created if needed); refuses to overwrite a key.
    pub fn save(&self, dir: &Path) -> Result<(), IssuerError> {
        std::fs::create_dir_all(dir).map_err(io("directory"))?;
        let key_path = dir.join(REGISTRAR_KEY_FILE);
        if key_path.exists() {
            return Err(IssuerError::AlreadyExists);
        }
        let public = self.key.public_key();
        let private = Zeroizing::new(
            json!({
                "kty": "EC",
                "crv": "P-256",
                "x": base64url::encode(public.x()),
                "y": base64url::encode(public.y()),
                "d": base64url::encode(self.key.scalar()),
            })
            .to_string(),
        );
        write_secret(&key_path, &private).map_err(io(REGISTRAR_KEY_FILE))?;
        std::fs::write(
            dir.join(REGISTRAR_PUBLIC_KEY_FILE),
            format!("{:#}\n", self.public_jwk()),
        )
        .map_err(io(REGISTRAR_PUBLIC_KEY_FILE))?;
        std::fs::write(
            dir.join(REGISTRAR_INFO_FILE),
            format!("{:#}\n", json!({"id": self.id, "name": self.name})),
        )
        .map_err(io(REGISTRAR_INFO_FILE))?;
        Ok(())
    }

    /// Reads a folder written by [`Registrar::save`].
    pub fn load(dir: &Path) -> Result<Self, IssuerError> {
        let text = Zeroizing::new(
            std::fs::read_to_string(dir.join(REGISTRAR_KEY_FILE))
                .map_err(io(REGISTRAR_KEY_FILE))?,
        );
        let key = signing_key_from_jwk(&text)?;
        let info: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(dir.join(REGISTRAR_INFO_FILE))
                .map_err(io(REGISTRAR_INFO_FILE))?,
        )
        .map_err(|_| IssuerError::InvalidInput(format!("{REGISTRAR_INFO_FILE} is not JSON")))?;
        let field = |name: &str| {
            info.get(name)
                .and_then(serde_json::Value::as_str)
                .map(str::to_owned)
                .ok_or_else(|| {
                    IssuerError::InvalidInput(format!("{REGISTRAR_INFO_FILE} has no \"{name}\""))
                })
        };
        Ok(Self {
            id: field("id")?,
            name: field("name")?,
            key,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use laissez_formats::registration::ScopeEntry;

    #[test]
    fn a_saved_registrar_loads_and_its_certificates_verify() {
        let dir = tempfile::tempdir().unwrap();
        let registrar = Registrar::generate("https://registrar.example", "Registrar").unwrap();
        registrar.save(dir.path()).unwrap();
        assert!(matches!(
            registrar.save(dir.path()),
            Err(IssuerError::AlreadyExists)
        ));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(REGISTRAR_KEY_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let loaded = Registrar::load(dir.path()).unwrap();
        assert_eq!(loaded.id, registrar.id);
        assert_eq!(loaded.key.public_key(), registrar.key.public_key());
        let verifier = SigningKey::generate().unwrap();
        let certificate = loaded
            .certify(&Registration {
                registrar_id: String::new(),
                verifier_id: "desk".into(),
                organisation: "Desk".into(),
                country: "KE".into(),
                purposes: vec!["Aid".into()],
                scope: vec![ScopeEntry {
                    credential_type: "t".into(),
                    claims: vec!["a".into()],
                }],
                verifier_key: verifier.public_key().clone(),
                issued_at: 0,
                not_before: 0,
                not_after: 100,
            })
            .unwrap();
        let verified = registration::verify(&certificate, &[registrar.trusted()], 50).unwrap();
        assert_eq!(verified.registrar_id, "https://registrar.example");
        let public: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(dir.path().join(REGISTRAR_PUBLIC_KEY_FILE)).unwrap(),
        )
        .unwrap();
        assert!(public.get("d").is_none());
        assert_eq!(
            P256Jwk::from_json(&public).unwrap().into_verifying_key(),
            *registrar.key.public_key()
        );
    }
}
