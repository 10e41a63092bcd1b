//! The labels an issuer's metadata gives (`credential_metadata.display` and `claims[].display`)
//! kept with the credential as a Type Metadata document (draft-ietf-oauth-sd-jwt-vc s4), so
//! the wallet shows them the way it shows every other credential's labels (ADR 0019).

use serde_json::{Map, Value, json};

use super::metadata::CredentialConfiguration;
use laissez_formats::type_metadata::TypeMetadataDocument;

/// The locale given to display entries that name none.
pub const DEFAULT_LOCALE: &str = "en";

fn locale_of(locale: Option<&str>) -> String {
    locale.unwrap_or(DEFAULT_LOCALE).to_owned()
}

/// A Type Metadata document (its exact bytes) for `credential_type` from the display data of
/// `configuration`, or `None` when the metadata has no labels or they do not make a valid
/// document (labels are optional: the wallet then uses its built-in metadata). Entries with
/// a repeated locale after the first are dropped.
pub fn type_metadata_from(
    configuration: &CredentialConfiguration,
    credential_type: &str,
) -> Option<Vec<u8>> {
    let mut display = Vec::new();
    let mut locales = Vec::new();
    for entry in configuration.display_entries() {
        let locale = locale_of(entry.locale.as_deref());
        if locales.contains(&locale) {
            continue;
        }
        let mut item = Map::new();
        item.insert("locale".into(), Value::String(locale.clone()));
        item.insert("name".into(), Value::String(entry.name.clone()));
        if let Some(description) = &entry.description {
            item.insert("description".into(), Value::String(description.clone()));
        }
        locales.push(locale);
        display.push(Value::Object(item));
    }
    let mut claims = Vec::new();
    for claim in configuration.claim_descriptions() {
        let mut labels = Vec::new();
        let mut claim_locales = Vec::new();
        for entry in claim.display.iter().flatten() {
            let (Some(name), locale) = (&entry.name, locale_of(entry.locale.as_deref())) else {
                continue;
            };
            if claim_locales.contains(&locale) {
                continue;
            }
            labels.push(json!({"locale": locale, "label": name}));
            claim_locales.push(locale);
        }
        if labels.is_empty() && claim.mandatory.is_none() {
            continue;
        }
        let mut item = Map::new();
        item.insert("path".into(), Value::Array(claim.path.clone()));
        if !labels.is_empty() {
            item.insert("display".into(), Value::Array(labels));
        }
        if let Some(mandatory) = claim.mandatory {
            item.insert("mandatory".into(), Value::Bool(mandatory));
        }
        claims.push(Value::Object(item));
    }
    if display.is_empty() && claims.is_empty() {
        return None;
    }
    let mut document = Map::new();
    document.insert("vct".into(), Value::String(credential_type.to_owned()));
    if !display.is_empty() {
        document.insert("display".into(), Value::Array(display));
    }
    if !claims.is_empty() {
        document.insert("claims".into(), Value::Array(claims));
    }
    let bytes = serde_json::to_vec(&Value::Object(document)).ok()?;
    TypeMetadataDocument::parse(&bytes).ok().map(|_| bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issuer_display_data_becomes_a_type_metadata_document() {
        let configuration: CredentialConfiguration = serde_json::from_value(json!({
            "format": "dc+sd-jwt", "vct": "urn:example:registration:1",
            "credential_metadata": {
                "display": [{"name": "Registration", "locale": "en"}, {"name": "Enregistrement", "locale": "fr"},
                            {"name": "Duplicate", "locale": "en"}],
                "claims": [{"path": ["given_name"], "display": [{"name": "Given name", "locale": "en"}, {"name": "Prénom", "locale": "fr"}]},
                           {"path": ["family_name"]}]
            }
        }))
        .unwrap();
        let bytes = type_metadata_from(&configuration, "urn:example:registration:1").unwrap();
        let document = TypeMetadataDocument::parse(&bytes).unwrap();
        let metadata = document.metadata();
        assert_eq!(metadata.display_name("fr"), Some("Enregistrement"));
        assert_eq!(metadata.display.len(), 2);
        let path = laissez_formats::type_metadata::ClaimPath::of_names(&["given_name"]);
        assert_eq!(metadata.claim_label(&path, "fr"), Some("Prénom"));
        assert_eq!(
            metadata.claims.len(),
            1,
            "claims without labels add nothing"
        );

        let bare: CredentialConfiguration =
            serde_json::from_value(json!({"format": "mso_mdoc", "doctype": "x"})).unwrap();
        assert_eq!(type_metadata_from(&bare, "x"), None);
    }
}
