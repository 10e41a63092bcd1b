//! Display metadata that travelled with a credential, signed by its issuer: the issuer's name,
//! the credential's name and claim labels, each in several languages. Credentials no longer
//! carry it (labels come from type metadata, [`super::labels`]); those issued with it keep
//! showing it, and [`super::labels::CredentialLabels::to_display`] gives labels in this shape.
//!
//! In an SD-JWT VC it is the always-visible claim `laissez_display`; in an mdoc it is the
//! element `display` of the namespace `org.laissez.display.1`. Both hold the same JSON object.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// SD-JWT claim name of the display metadata.
pub const SD_JWT_CLAIM: &str = "laissez_display";
/// mdoc namespace of the display metadata.
pub const MDOC_NAMESPACE: &str = "org.laissez.display.1";
/// mdoc element identifier of the display metadata.
pub const MDOC_ELEMENT: &str = "display";
/// Largest display metadata accepted, in bytes of JSON.
pub const MAX_DISPLAY_BYTES: usize = 16 * 1024;

/// A text in several languages, keyed by BCP 47 language tag ("en", "fr", "ar").
pub type LocalizedText = BTreeMap<String, String>;

/// How a credential presents itself to people.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisplayMetadata {
    /// The issuer's name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub issuer_name: LocalizedText,
    /// The credential's name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub credential_name: LocalizedText,
    /// Labels of claims by claim path (e.g. "given_name", "address.locality").
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub claim_labels: BTreeMap<String, LocalizedText>,
}

/// Picks the text for `lang` by the rules of [`crate::type_metadata::locale`]: the exact
/// tag, then the same language, then English, else none.
pub fn pick<'a>(text: &'a LocalizedText, lang: &str) -> Option<&'a str> {
    let entries: Vec<(&String, &String)> = text.iter().collect();
    crate::type_metadata::locale::choose(&entries, lang, |(tag, _)| tag.as_str())
        .map(|(_, text)| text.as_str())
}

impl DisplayMetadata {
    /// Parses the JSON form, within the size limit; `None` if it is not display metadata.
    pub fn from_json(value: &serde_json::Value) -> Option<Self> {
        let size = serde_json::to_vec(value)
            .map(|v| v.len())
            .unwrap_or(usize::MAX);
        if size > MAX_DISPLAY_BYTES {
            return None;
        }
        serde_json::from_value(value.clone()).ok()
    }

    /// The JSON form.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }

    /// The label of a claim path in `lang`, if the issuer gave one. An mdoc path
    /// (`namespace/element`) falls back to the element's own label.
    pub fn label(&self, path: &str, lang: &str) -> Option<&str> {
        let element = path.rsplit('/').next().unwrap_or(path);
        self.claim_labels
            .get(path)
            .or_else(|| self.claim_labels.get(element))
            .and_then(|t| pick(t, lang))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_fallbacks() {
        let text: LocalizedText = [
            ("en".to_string(), "Name".to_string()),
            ("ar".to_string(), "الاسم".to_string()),
        ]
        .into_iter()
        .collect();
        assert_eq!(pick(&text, "ar"), Some("الاسم"));
        assert_eq!(pick(&text, "ar-SY"), Some("الاسم"));
        assert_eq!(pick(&text, "fr"), Some("Name"));
        assert_eq!(pick(&LocalizedText::new(), "fr"), None);
    }

    #[test]
    fn json_round_trip_and_size_limit() {
        let mut meta = DisplayMetadata::default();
        meta.issuer_name.insert("en".into(), "IOM".into());
        meta.claim_labels
            .insert("given_name".into(), [("fr".into(), "Prénom".into())].into());
        assert_eq!(
            DisplayMetadata::from_json(&meta.to_json()),
            Some(meta.clone())
        );
        assert_eq!(meta.label("given_name", "fr"), Some("Prénom"));
        let huge = serde_json::json!({ "issuer_name": { "en": "x".repeat(MAX_DISPLAY_BYTES) } });
        assert_eq!(DisplayMetadata::from_json(&huge), None);
    }
}
