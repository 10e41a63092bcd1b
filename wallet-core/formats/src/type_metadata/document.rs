//! One Type Metadata document: `vct`, `name`, `description`, `extends` (with
//! `extends#integrity`), `display` per locale and `claims` with `path`, per-locale `display`
//! labels, `sd` and `mandatory` (draft-ietf-oauth-sd-jwt-vc section 4).
//!
//! Parsing is strict where Laissez relies on a member (types, lengths, counts, duplicate
//! paths and locales, duplicate JSON member names) and lenient where the draft leaves room
//! for extensions: members Laissez does not use (`rendering`, `svg_id`, `schema`, …) are
//! ignored, except that every `uri#integrity` must be well-formed SRI metadata.

use serde_json::{Map, Value};

use super::integrity::Integrity;
use super::locale;
use super::{
    MAX_CLAIMS, MAX_DESCRIPTION_LEN, MAX_DISPLAY_ENTRIES, MAX_DOCUMENT_LEN, MAX_PATH_LEN,
    MAX_TEXT_LEN, TypeMetadataError,
};
use crate::jose::json;

/// One element of a claim path: a member name, an array index, or every element of an
/// array (`null`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PathElement {
    /// An object member.
    Name(String),
    /// One array element.
    Index(u64),
    /// Every array element (`null` in JSON).
    All,
}

/// A claim path (draft section 4.6.1): a non-empty list of [`PathElement`]s.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ClaimPath(pub Vec<PathElement>);

impl ClaimPath {
    /// The path of object members `names` (`["address", "locality"]`; for an mdoc
    /// `[namespace, element]`).
    pub fn of_names(names: &[&str]) -> Self {
        Self(
            names
                .iter()
                .map(|n| PathElement::Name((*n).to_owned()))
                .collect(),
        )
    }

    fn from_json(value: &Value) -> Result<Self, TypeMetadataError> {
        let items = value
            .as_array()
            .ok_or(TypeMetadataError::Malformed("a claim path is not an array"))?;
        if items.is_empty() {
            return Err(TypeMetadataError::Malformed("a claim path is empty"));
        }
        if items.len() > MAX_PATH_LEN {
            return Err(TypeMetadataError::TooLarge("claim path length"));
        }
        items
            .iter()
            .map(|item| match item {
                Value::String(name) => {
                    check_text(name, MAX_TEXT_LEN, "claim path element")?;
                    Ok(PathElement::Name(name.clone()))
                }
                Value::Null => Ok(PathElement::All),
                Value::Number(n) => {
                    n.as_u64()
                        .map(PathElement::Index)
                        .ok_or(TypeMetadataError::Malformed(
                            "a claim path index is not a non-negative integer",
                        ))
                }
                _ => Err(TypeMetadataError::Malformed(
                    "a claim path element is not a string, null or an index",
                )),
            })
            .collect::<Result<_, _>>()
            .map(Self)
    }

    /// The JSON form (strings, `null`s and indices).
    pub fn to_json(&self) -> Value {
        Value::Array(
            self.0
                .iter()
                .map(|e| match e {
                    PathElement::Name(name) => Value::String(name.clone()),
                    PathElement::Index(i) => Value::from(*i),
                    PathElement::All => Value::Null,
                })
                .collect(),
        )
    }
}

/// How a claim may be disclosed (`sd`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SdRule {
    /// Always selectively disclosable.
    Always,
    /// The issuer decides (the default).
    Allowed,
    /// Never selectively disclosable.
    Never,
}

/// The type's name and description in one locale.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeDisplay {
    /// A BCP 47 language tag (`en-US`, `ar`).
    pub locale: String,
    /// The credential type's name for people.
    pub name: String,
    /// A description, if given.
    pub description: Option<String>,
}

/// A claim's label and description in one locale.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimLabel {
    /// A BCP 47 language tag.
    pub locale: String,
    /// The label.
    pub label: String,
    /// A description, if given.
    pub description: Option<String>,
}

/// What the document says about one claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimMetadata {
    /// Which claim(s).
    pub path: ClaimPath,
    /// Labels per locale.
    pub display: Vec<ClaimLabel>,
    /// How it may be disclosed, if said.
    pub sd: Option<SdRule>,
    /// Whether the claim must be present.
    pub mandatory: bool,
}

/// The content of a Type Metadata document that Laissez uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeMetadata {
    /// The credential type described (SD-JWT `vct`; for an mdoc, its docType).
    pub vct: String,
    /// A name for developers.
    pub name: Option<String>,
    /// A description for developers.
    pub description: Option<String>,
    /// The type this one extends.
    pub extends: Option<String>,
    /// The integrity the extended document must have.
    pub extends_integrity: Option<Integrity>,
    /// The type's name per locale.
    pub display: Vec<TypeDisplay>,
    /// Claim metadata.
    pub claims: Vec<ClaimMetadata>,
}

impl TypeMetadata {
    /// The type's display name for `wanted` locale (see [`locale`] for the fallbacks).
    pub fn display_name(&self, wanted: &str) -> Option<&str> {
        locale::choose(&self.display, wanted, |d| &d.locale).map(|d| d.name.as_str())
    }

    /// The metadata of the claim at exactly `path`, if any.
    pub fn claim(&self, path: &ClaimPath) -> Option<&ClaimMetadata> {
        self.claims.iter().find(|c| &c.path == path)
    }

    /// The label of the claim at `path` for `wanted` locale, if the document gives one.
    pub fn claim_label(&self, path: &ClaimPath, wanted: &str) -> Option<&str> {
        let claim = self.claim(path)?;
        locale::choose(&claim.display, wanted, |l| &l.locale).map(|l| l.label.as_str())
    }

    /// Parses the JSON object of a Type Metadata document.
    fn from_map(map: &Map<String, Value>) -> Result<Self, TypeMetadataError> {
        let vct = required_text(map, "vct")?;
        let extends = optional_text(map, "extends", MAX_TEXT_LEN)?;
        let extends_integrity = optional_text(map, "extends#integrity", MAX_TEXT_LEN)?
            .map(|text| Integrity::parse(&text))
            .transpose()?;
        if extends_integrity.is_some() && extends.is_none() {
            return Err(TypeMetadataError::Malformed(
                "extends#integrity without extends",
            ));
        }
        let display = entries(map.get("display"), "display")?
            .iter()
            .map(|entry| {
                check_rendering(entry)?;
                Ok(TypeDisplay {
                    locale: required_locale(entry)?,
                    name: required_text(entry, "name")?,
                    description: optional_text(entry, "description", MAX_DESCRIPTION_LEN)?,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        refuse_duplicate_locales(&display, |d| &d.locale)?;
        let claims = match map.get("claims") {
            None => Vec::new(),
            Some(Value::Array(items)) => {
                if items.len() > MAX_CLAIMS {
                    return Err(TypeMetadataError::TooLarge("claim count"));
                }
                items
                    .iter()
                    .map(claim_from_json)
                    .collect::<Result<Vec<_>, _>>()?
            }
            Some(_) => return Err(TypeMetadataError::Malformed("claims is not an array")),
        };
        for (i, claim) in claims.iter().enumerate() {
            if claims[..i].iter().any(|c| c.path == claim.path) {
                return Err(TypeMetadataError::Malformed("a claim path is listed twice"));
            }
        }
        Ok(Self {
            vct,
            name: optional_text(map, "name", MAX_TEXT_LEN)?,
            description: optional_text(map, "description", MAX_DESCRIPTION_LEN)?,
            extends,
            extends_integrity,
            display,
            claims,
        })
    }
}

/// A Type Metadata document: its exact bytes (what integrity values cover) and its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeMetadataDocument {
    bytes: Vec<u8>,
    metadata: TypeMetadata,
}

impl TypeMetadataDocument {
    /// Parses a document from its exact bytes, within [`MAX_DOCUMENT_LEN`](super::MAX_DOCUMENT_LEN).
    pub fn parse(bytes: &[u8]) -> Result<Self, TypeMetadataError> {
        if bytes.len() > MAX_DOCUMENT_LEN {
            return Err(TypeMetadataError::TooLarge("document length"));
        }
        let map = json::parse_object(bytes)
            .map_err(|_| TypeMetadataError::Malformed("not a strict JSON object"))?;
        Ok(Self {
            bytes: bytes.to_vec(),
            metadata: TypeMetadata::from_map(&map)?,
        })
    }

    /// The document's bytes, exactly as given.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// What the document says.
    pub fn metadata(&self) -> &TypeMetadata {
        &self.metadata
    }

    /// The type it describes.
    pub fn vct(&self) -> &str {
        &self.metadata.vct
    }

    /// Checks the document's bytes against an integrity string (`vct#integrity`).
    pub fn check_integrity(&self, sri: &str) -> Result<(), TypeMetadataError> {
        Integrity::parse(sri)?.check(&self.bytes)
    }
}

fn claim_from_json(value: &Value) -> Result<ClaimMetadata, TypeMetadataError> {
    let map = value.as_object().ok_or(TypeMetadataError::Malformed(
        "a claim entry is not an object",
    ))?;
    let path = ClaimPath::from_json(
        map.get("path")
            .ok_or(TypeMetadataError::Malformed("a claim entry has no path"))?,
    )?;
    let display = entries(map.get("display"), "claim display")?
        .iter()
        .map(|entry| {
            Ok(ClaimLabel {
                locale: required_locale(entry)?,
                label: required_text(entry, "label")?,
                description: optional_text(entry, "description", MAX_DESCRIPTION_LEN)?,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    refuse_duplicate_locales(&display, |l| &l.locale)?;
    let sd = match map.get("sd") {
        None => None,
        Some(Value::String(rule)) => Some(match rule.as_str() {
            "always" => SdRule::Always,
            "allowed" => SdRule::Allowed,
            "never" => SdRule::Never,
            _ => {
                return Err(TypeMetadataError::Malformed(
                    "sd is not always, allowed or never",
                ));
            }
        }),
        Some(_) => return Err(TypeMetadataError::Malformed("sd is not a string")),
    };
    let mandatory = match map.get("mandatory") {
        None => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err(TypeMetadataError::Malformed("mandatory is not a boolean")),
    };
    Ok(ClaimMetadata {
        path,
        display,
        sd,
        mandatory,
    })
}

/// The objects of a `display` array (absent: none).
fn entries<'a>(
    value: Option<&'a Value>,
    what: &'static str,
) -> Result<Vec<&'a Map<String, Value>>, TypeMetadataError> {
    let Some(value) = value else {
        return Ok(Vec::new());
    };
    let items = value.as_array().ok_or(TypeMetadataError::Malformed(what))?;
    if items.len() > MAX_DISPLAY_ENTRIES {
        return Err(TypeMetadataError::TooLarge("display entries"));
    }
    items
        .iter()
        .map(|item| item.as_object().ok_or(TypeMetadataError::Malformed(what)))
        .collect()
}

/// Every `uri#integrity` under a display entry's `rendering` must be SRI metadata: Laissez
/// draws no images, but a document with a broken one is reported, not half-trusted.
fn check_rendering(entry: &Map<String, Value>) -> Result<(), TypeMetadataError> {
    fn walk(value: &Value) -> Result<(), TypeMetadataError> {
        match value {
            Value::Object(map) => {
                for (name, member) in map {
                    if name == "uri#integrity" {
                        let text = member.as_str().ok_or(TypeMetadataError::BadIntegrity(
                            "uri#integrity is not a string",
                        ))?;
                        Integrity::parse(text)?;
                    } else {
                        walk(member)?;
                    }
                }
                Ok(())
            }
            Value::Array(items) => items.iter().try_for_each(walk),
            _ => Ok(()),
        }
    }
    entry.get("rendering").map_or(Ok(()), walk)
}

fn refuse_duplicate_locales<T>(
    items: &[T],
    locale_of: impl Fn(&T) -> &str,
) -> Result<(), TypeMetadataError> {
    for (i, item) in items.iter().enumerate() {
        let tag = locale_of(item);
        if items[..i]
            .iter()
            .any(|other| locale_of(other).eq_ignore_ascii_case(tag))
        {
            return Err(TypeMetadataError::Malformed("a locale is listed twice"));
        }
    }
    Ok(())
}

fn required_locale(map: &Map<String, Value>) -> Result<String, TypeMetadataError> {
    let tag = required_text(map, "locale")?;
    if tag.len() > 35 || !tag.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        return Err(TypeMetadataError::Malformed(
            "a locale is not a language tag",
        ));
    }
    Ok(tag)
}

fn required_text(
    map: &Map<String, Value>,
    name: &'static str,
) -> Result<String, TypeMetadataError> {
    optional_text(map, name, MAX_TEXT_LEN)?.ok_or(TypeMetadataError::Malformed(name))
}

fn optional_text(
    map: &Map<String, Value>,
    name: &'static str,
    max: usize,
) -> Result<Option<String>, TypeMetadataError> {
    match map.get(name) {
        None => Ok(None),
        Some(Value::String(text)) => {
            check_text(text, max, name)?;
            Ok(Some(text.clone()))
        }
        Some(_) => Err(TypeMetadataError::Malformed(name)),
    }
}

fn check_text(text: &str, max: usize, what: &'static str) -> Result<(), TypeMetadataError> {
    if text.len() > max {
        return Err(TypeMetadataError::TooLarge(what));
    }
    if text.trim().is_empty() || text.chars().any(|c| c.is_control() && c != '\n') {
        return Err(TypeMetadataError::Malformed(what));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn parse(text: &str) -> Result<TypeMetadataDocument, TypeMetadataError> {
        TypeMetadataDocument::parse(text.as_bytes())
    }

    #[test]
    fn labels_and_names_by_locale() {
        let doc = parse(
            r#"{"vct":"urn:x","display":[{"locale":"en-US","name":"X"},{"locale":"fr","name":"Ixe"}],
               "claims":[{"path":["a",null,0],"display":[{"locale":"en","label":"A"},{"locale":"ar","label":"أ"}],"sd":"always","mandatory":true}]}"#,
        )
        .unwrap();
        let meta = doc.metadata();
        assert_eq!(meta.display_name("fr-CA"), Some("Ixe"));
        assert_eq!(meta.display_name("de"), Some("X"));
        let path = ClaimPath(vec![
            PathElement::Name("a".into()),
            PathElement::All,
            PathElement::Index(0),
        ]);
        assert_eq!(meta.claim_label(&path, "ar-SY"), Some("أ"));
        assert_eq!(meta.claim_label(&path, "de"), Some("A"));
        assert_eq!(meta.claim(&path).unwrap().sd, Some(SdRule::Always));
        assert!(meta.claim(&path).unwrap().mandatory);
        assert_eq!(path.to_json(), serde_json::json!(["a", null, 0]));
    }

    #[test]
    fn malformed_documents_are_typed() {
        let cases = [
            "[]",
            "{}",
            r#"{"vct":1}"#,
            r#"{"vct":" "}"#,
            r#"{"vct":"x","vct":"y"}"#,
            r#"{"vct":"x","claims":{}}"#,
            r#"{"vct":"x","claims":[{"display":[]}]}"#,
            r#"{"vct":"x","claims":[{"path":[]}]}"#,
            r#"{"vct":"x","claims":[{"path":[true]}]}"#,
            r#"{"vct":"x","claims":[{"path":[-1]}]}"#,
            r#"{"vct":"x","claims":[{"path":["a"]},{"path":["a"]}]}"#,
            r#"{"vct":"x","claims":[{"path":["a"],"sd":"sometimes"}]}"#,
            r#"{"vct":"x","claims":[{"path":["a"],"mandatory":"yes"}]}"#,
            r#"{"vct":"x","claims":[{"path":["a"],"display":[{"label":"A"}]}]}"#,
            r#"{"vct":"x","claims":[{"path":["a"],"display":[{"locale":"en","label":"A"},{"locale":"EN","label":"B"}]}]}"#,
            r#"{"vct":"x","display":[{"locale":"en us","name":"X"}]}"#,
            r#"{"vct":"x","display":[{"locale":"en"}]}"#,
            r#"{"vct":"x","extends#integrity":"sha256-vJKakJAQkDYkIhGrT1M3nxRuSj9udH0l1PXB06QHto8="}"#,
        ];
        for case in cases {
            assert!(
                matches!(parse(case), Err(TypeMetadataError::Malformed(_))),
                "{case}"
            );
        }
        assert!(matches!(
            parse(
                r#"{"vct":"x","display":[{"locale":"en","name":"X","rendering":{"simple":{"logo":{"uri#integrity":"sha256-AA"}}}}]}"#
            ),
            Err(TypeMetadataError::BadIntegrity(_))
        ));
    }

    #[test]
    fn limits_are_typed() {
        let long = format!(r#"{{"vct":"x","name":"{}"}}"#, "n".repeat(MAX_DOCUMENT_LEN));
        assert_eq!(
            parse(&long),
            Err(TypeMetadataError::TooLarge("document length"))
        );
        let claims: Vec<String> = (0..=MAX_CLAIMS)
            .map(|i| format!(r#"{{"path":["c{i}"]}}"#))
            .collect();
        let many = format!(r#"{{"vct":"x","claims":[{}]}}"#, claims.join(","));
        assert_eq!(
            parse(&many),
            Err(TypeMetadataError::TooLarge("claim count"))
        );
        let deep = format!(
            r#"{{"vct":"x","claims":[{{"path":[{}]}}]}}"#,
            vec!["\"a\""; MAX_PATH_LEN + 1].join(",")
        );
        assert_eq!(
            parse(&deep),
            Err(TypeMetadataError::TooLarge("claim path length"))
        );
    }
}
