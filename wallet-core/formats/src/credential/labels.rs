//! Where the labels a holder or verifier shows for a credential come from, in this order:
//!
//! 1. a Type Metadata document supplied for the credential's type (the verifier's trust
//!    list, the document kept with the credential on the holder side), with `extends`
//!    resolved among the supplied documents. When the credential carries `vct#integrity`,
//!    the document must match it: otherwise no label at all is shown, and
//!    [`CredentialLabels::withheld`] says why — never a wrong label;
//! 2. the metadata built into Laissez ([`crate::type_metadata::builtin`]);
//! 3. for credentials issued before type metadata, the labels their issuer signed into them
//!    ([`super::display`]): they keep showing.

use super::CredentialFormat;
use super::display::{self, DisplayMetadata};
use crate::type_metadata::{
    ClaimPath, TypeMetadata, TypeMetadataDocument, TypeMetadataError, builtin, locale, resolve,
};

/// Which source the labels were taken from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelSource {
    /// A supplied Type Metadata document.
    Supplied,
    /// Laissez's built-in metadata.
    BuiltIn,
    /// The labels signed into the credential (`laissez_display`, before type metadata).
    Embedded,
}

/// The labels of one credential, chosen by the rules of this module.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CredentialLabels {
    format: Option<CredentialFormat>,
    metadata: Option<(LabelSource, TypeMetadata)>,
    embedded: Option<DisplayMetadata>,
    withheld: Option<TypeMetadataError>,
}

impl CredentialLabels {
    /// Chooses the labels of a credential of `format` and `credential_type` (`vct` or
    /// docType), carrying `vct_integrity` (SD-JWT `vct#integrity`, if any) and, for an old
    /// credential, `embedded` labels; `supplied` are the documents at hand.
    pub fn choose(
        format: CredentialFormat,
        credential_type: &str,
        vct_integrity: Option<&str>,
        supplied: &[TypeMetadataDocument],
        embedded: Option<DisplayMetadata>,
    ) -> Self {
        let mut labels = Self {
            format: Some(format),
            embedded,
            ..Self::default()
        };
        if let Some(document) = supplied.iter().find(|d| d.vct() == credential_type) {
            let checked = match vct_integrity {
                Some(sri) => document.check_integrity(sri),
                None => Ok(()),
            };
            match checked.and_then(|()| resolve(document, supplied)) {
                Ok(effective) => labels.metadata = Some((LabelSource::Supplied, effective)),
                Err(problem) => {
                    // Nothing rather than a label the issuer did not vouch for.
                    labels.withheld = Some(problem);
                    labels.embedded = None;
                }
            }
            return labels;
        }
        if let Some(built_in) = builtin::metadata(credential_type) {
            labels.metadata = Some((LabelSource::BuiltIn, built_in));
        }
        labels
    }

    /// Where the labels come from (`None`: there are none).
    pub fn source(&self) -> Option<LabelSource> {
        match (&self.metadata, &self.embedded) {
            (Some((source, _)), _) => Some(*source),
            (None, Some(_)) => Some(LabelSource::Embedded),
            (None, None) => None,
        }
    }

    /// Why a supplied document was not used, when it was refused (integrity mismatch,
    /// unavailable or circular `extends`, …): then no label is given.
    pub fn withheld(&self) -> Option<TypeMetadataError> {
        self.withheld
    }

    /// The effective type metadata used, if any.
    pub fn metadata(&self) -> Option<&TypeMetadata> {
        self.metadata.as_ref().map(|(_, m)| m)
    }

    /// The label of the claim at `path` (SD-JWT: members joined by `.`; mdoc:
    /// `namespace/element`) in `lang`.
    pub fn claim_label(&self, path: &str, lang: &str) -> Option<String> {
        if let Some((_, metadata)) = &self.metadata {
            return metadata
                .claim_label(&self.claim_path(path), lang)
                .map(str::to_owned);
        }
        self.embedded.as_ref()?.label(path, lang).map(str::to_owned)
    }

    /// The credential type's name in `lang`.
    pub fn type_name(&self, lang: &str) -> Option<String> {
        if let Some((_, metadata)) = &self.metadata {
            return metadata.display_name(lang).map(str::to_owned);
        }
        let embedded = self.embedded.as_ref()?;
        display::pick(&embedded.credential_name, lang).map(str::to_owned)
    }

    /// The issuer's name in `lang`: only old credentials carry one (type metadata names
    /// types, not issuers).
    pub fn issuer_name(&self, lang: &str) -> Option<String> {
        if self.metadata.is_some() {
            return None;
        }
        let embedded = self.embedded.as_ref()?;
        display::pick(&embedded.issuer_name, lang).map(str::to_owned)
    }

    /// Every label in the legacy [`DisplayMetadata`] shape (claim paths as strings, texts by
    /// locale), for screens that take all languages at once.
    pub fn to_display(&self) -> Option<DisplayMetadata> {
        let Some((_, metadata)) = &self.metadata else {
            return self.embedded.clone();
        };
        let mut out = DisplayMetadata::default();
        for entry in &metadata.display {
            out.credential_name
                .insert(entry.locale.clone(), entry.name.clone());
        }
        for claim in &metadata.claims {
            let Some(path) = self.path_text(&claim.path) else {
                continue;
            };
            let texts = claim
                .display
                .iter()
                .map(|l| (l.locale.clone(), l.label.clone()))
                .collect();
            out.claim_labels.insert(path, texts);
        }
        Some(out)
    }

    fn claim_path(&self, path: &str) -> ClaimPath {
        match self.format {
            Some(CredentialFormat::Mdoc) => match path.split_once('/') {
                Some((namespace, element)) => ClaimPath::of_names(&[namespace, element]),
                None => ClaimPath::of_names(&[path]),
            },
            _ => ClaimPath::of_names(&path.split('.').collect::<Vec<_>>()),
        }
    }

    fn path_text(&self, path: &ClaimPath) -> Option<String> {
        let names = path
            .0
            .iter()
            .map(|e| match e {
                crate::type_metadata::PathElement::Name(n) => Some(n.as_str()),
                _ => None,
            })
            .collect::<Option<Vec<_>>>()?;
        let separator = match self.format {
            Some(CredentialFormat::Mdoc) => "/",
            _ => ".",
        };
        Some(names.join(separator))
    }
}

/// The language subtag rule of [`locale`], re-exported for screens choosing a language.
pub use locale::language_of;

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::type_metadata::Integrity;

    const VCT: &str = "urn:example:x";

    fn doc() -> TypeMetadataDocument {
        TypeMetadataDocument::parse(
            br#"{"vct":"urn:example:x","display":[{"locale":"en","name":"X"}],"claims":[{"path":["a"],"display":[{"locale":"fr","label":"Ah"}]}]}"#,
        )
        .unwrap()
    }

    fn embedded() -> DisplayMetadata {
        let mut d = DisplayMetadata::default();
        d.claim_labels
            .insert("a".into(), [("en".into(), "Old A".into())].into());
        d.issuer_name.insert("en".into(), "Old issuer".into());
        d
    }

    #[test]
    fn supplied_then_builtin_then_embedded() {
        let doc = doc();
        let sri = Integrity::sha256_of(doc.bytes()).to_sri();
        let supplied = std::slice::from_ref(&doc);
        let labels = CredentialLabels::choose(
            CredentialFormat::SdJwt,
            VCT,
            Some(&sri),
            supplied,
            Some(embedded()),
        );
        assert_eq!(labels.source(), Some(LabelSource::Supplied));
        assert_eq!(labels.claim_label("a", "fr-FR"), Some("Ah".into()));
        assert_eq!(labels.type_name("fr"), Some("X".into()));
        assert_eq!(labels.issuer_name("en"), None);

        let labels =
            CredentialLabels::choose(CredentialFormat::SdJwt, VCT, None, &[], Some(embedded()));
        assert_eq!(labels.source(), Some(LabelSource::Embedded));
        assert_eq!(labels.claim_label("a", "fr"), Some("Old A".into()));
        assert_eq!(labels.issuer_name("fr"), Some("Old issuer".into()));

        let labels = CredentialLabels::choose(
            CredentialFormat::Mdoc,
            builtin::IOM_DOC_TYPE,
            None,
            supplied,
            None,
        );
        assert_eq!(labels.source(), Some(LabelSource::BuiltIn));
        assert_eq!(
            labels.claim_label("org.iom.registration.1/given_name", "ar"),
            Some("الاسم الأول".into())
        );
        let display = labels.to_display().unwrap();
        assert_eq!(
            display.label("org.iom.registration.1/given_name", "fr"),
            Some("Prénom")
        );
    }

    #[test]
    fn integrity_mismatch_withholds_every_label() {
        let wrong = Integrity::sha256_of(b"another document").to_sri();
        let labels = CredentialLabels::choose(
            CredentialFormat::SdJwt,
            VCT,
            Some(&wrong),
            &[doc()],
            Some(embedded()),
        );
        assert_eq!(
            labels.withheld(),
            Some(TypeMetadataError::IntegrityMismatch)
        );
        assert_eq!(labels.source(), None);
        assert_eq!(labels.claim_label("a", "fr"), None);
        assert_eq!(labels.type_name("en"), None);
        assert_eq!(labels.to_display(), None);
    }
}
