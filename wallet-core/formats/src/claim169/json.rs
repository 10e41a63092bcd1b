//! Claim 169 as JSON, with the field names of the reference decoder (idpass/claim-169's
//! `schema/claim169.schema.json`: camelCase, biometric data in standard base64), for
//! `laissez qr decode --json`, interop checks and tests.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value, json};

use super::biometric::Biometric;
use super::cwt::CwtClaims;
use super::identity::Identity;

impl Identity {
    /// The identity data as JSON (reference decoder's names; absent fields left out; unknown
    /// keys under `unknownFields` as hex CBOR by key).
    pub fn to_json(&self) -> Value {
        let mut out = Map::new();
        let mut put = |name: &str, value: Option<Value>| {
            if let Some(value) = value {
                out.insert(name.to_owned(), value);
            }
        };
        let text = |value: &Option<String>| value.as_ref().map(|v| Value::from(v.as_str()));
        put("id", text(&self.id));
        put("version", text(&self.version));
        put("language", text(&self.language));
        put("fullName", text(&self.full_name));
        put("firstName", text(&self.first_name));
        put("middleName", text(&self.middle_name));
        put("lastName", text(&self.last_name));
        put("dateOfBirth", text(&self.date_of_birth));
        put("gender", self.gender.map(|g| g.number().into()));
        put("address", text(&self.address));
        put("email", text(&self.email));
        put("phone", text(&self.phone));
        put("nationality", text(&self.nationality));
        put(
            "maritalStatus",
            self.marital_status.map(|m| m.number().into()),
        );
        put("guardian", text(&self.guardian));
        put(
            "photo",
            self.photo.as_ref().map(|p| STANDARD.encode(p).into()),
        );
        put(
            "photoFormat",
            self.photo_format
                .and_then(|format| format.photo_format())
                .map(Value::from),
        );
        if !self.best_quality_fingers.is_empty() {
            put("bestQualityFingers", Some(json!(self.best_quality_fingers)));
        }
        put("secondaryFullName", text(&self.secondary_full_name));
        put("secondaryLanguage", text(&self.secondary_language));
        put("locationCode", text(&self.location_code));
        put("legalStatus", text(&self.legal_status));
        put("countryOfIssuance", text(&self.country_of_issuance));
        for field in &self.biometrics {
            let entries = field.entries.iter().map(biometric_json).collect();
            put(field.part.name(), Some(Value::Array(entries)));
        }
        if !self.unknown.is_empty() {
            let unknown: Map<String, Value> = self
                .unknown
                .iter()
                .map(|field| (field.key.to_string(), hex::encode(&field.cbor).into()))
                .collect();
            put("unknownFields", Some(Value::Object(unknown)));
        }
        Value::Object(out)
    }
}

fn biometric_json(entry: &Biometric) -> Value {
    let mut out = Map::new();
    out.insert("data".into(), STANDARD.encode(&entry.data).into());
    if let Some(format) = entry.format {
        out.insert("format".into(), format.number().into());
    }
    if let Some(sub_format) = entry.sub_format {
        out.insert("subFormat".into(), sub_format.into());
    }
    if let Some(issuer) = &entry.issuer {
        out.insert("issuer".into(), issuer.as_str().into());
    }
    Value::Object(out)
}

impl CwtClaims {
    /// The CWT claims as JSON (`issuer`, `subject`, `expiresAt`, `notBefore`, `issuedAt`).
    pub fn to_json(&self) -> Value {
        let mut out = Map::new();
        for (name, value) in [("issuer", &self.issuer), ("subject", &self.subject)] {
            if let Some(value) = value {
                out.insert(name.into(), value.as_str().into());
            }
        }
        for (name, value) in [
            ("expiresAt", self.expires_at),
            ("notBefore", self.not_before),
            ("issuedAt", self.issued_at),
        ] {
            if let Some(value) = value {
                out.insert(name.into(), value.into());
            }
        }
        Value::Object(out)
    }
}
