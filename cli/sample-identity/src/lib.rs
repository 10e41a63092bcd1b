//! The identity credential `laissez demo` and `laissez-bench` issue: six claims of an IOM
//! registration. It carries no labels: wallets and verifiers label it from Laissez's built-in
//! type metadata (en, fr, ar). For measurements and tests of credentials issued before type
//! metadata, [`order`] can still sign the old labels into it (`laissez_display`).
//!
//! One copy for both, so the benchmarks time exactly the credential the demo shows, and the
//! user's `laissez` binary carries no benchmark code.

use serde_json::{Map, Value, json};
use wallet_core::credential::CredentialFormat;
use wallet_core::credential::StatusReference;
use wallet_core::credential::display::{self, DisplayMetadata, LocalizedText};
use wallet_core::crypto::ecdsa::VerifyingKey;
use wallet_core::issuer::CredentialOrder;

/// The SD-JWT VC `vct`.
pub const SD_JWT_VCT: &str = "urn:laissez:iom:registration:1";
/// The mdoc docType (its elements live in the namespace of the same name).
pub const MDOC_DOC_TYPE: &str = "org.iom.registration.1";
/// The issuer's status list the sample credentials are entered in.
pub const STATUS_URI: &str = "https://status.iom.example/agadez/1";
/// Days the sample credential is valid.
pub const VALID_DAYS: u32 = 365;

/// The claims presented: three of the six.
pub const PRESENTED: [&str; 3] = ["given_name", "family_name", "nationality"];
/// Values of the claims that are withheld: they must not appear in a presentation.
pub const WITHHELD_VALUES: [&str; 3] = ["1994-03-12", "IOM-2026-004217", "Khartoum"];

/// Each claim, its value, and its label in en, fr and ar.
const CLAIMS: [(&str, &str, [&str; 3]); 6] = [
    ("given_name", "Amina", ["Given name", "Prénom", "الاسم الأول"]),
    (
        "family_name",
        "Yusuf",
        ["Family name", "Nom", "اسم العائلة"],
    ),
    (
        "birth_date",
        "1994-03-12",
        ["Date of birth", "Date de naissance", "تاريخ الميلاد"],
    ),
    (
        "nationality",
        "SD",
        ["Nationality", "Nationalité", "الجنسية"],
    ),
    (
        "registration_id",
        "IOM-2026-004217",
        [
            "Registration number",
            "Numéro d'enregistrement",
            "رقم التسجيل",
        ],
    ),
    (
        "place_of_birth",
        "Khartoum",
        ["Place of birth", "Lieu de naissance", "مكان الميلاد"],
    ),
];

const LANGS: [&str; 3] = ["en", "fr", "ar"];

fn localized(texts: [&str; 3]) -> LocalizedText {
    LANGS
        .iter()
        .zip(texts)
        .map(|(lang, text)| ((*lang).to_owned(), text.to_owned()))
        .collect()
}

/// The six claims as a JSON object.
pub fn claims() -> Map<String, Value> {
    CLAIMS
        .iter()
        .map(|(name, value, _)| ((*name).to_owned(), json!(value)))
        .collect()
}

/// The labels credentials issued before type metadata carried, in en, fr and ar.
pub fn legacy_display() -> DisplayMetadata {
    DisplayMetadata {
        issuer_name: localized([
            "IOM Agadez field office",
            "Bureau de l'OIM à Agadez",
            "مكتب المنظمة الدولية للهجرة في أغاديس",
        ]),
        credential_name: localized(["IOM registration", "Enregistrement OIM", "تسجيل المنظمة"]),
        claim_labels: CLAIMS
            .iter()
            .map(|(name, _, labels)| ((*name).to_owned(), localized(*labels)))
            .collect(),
    }
}

/// The credential type for a format.
pub fn credential_type(format: CredentialFormat) -> &'static str {
    match format {
        CredentialFormat::SdJwt => SD_JWT_VCT,
        CredentialFormat::Mdoc => MDOC_DOC_TYPE,
    }
}

/// The order for the sample credential in `format`, to `holder_key`, issued at `now`. With
/// `legacy_labels`, the labels are signed into it as before type metadata (the SD-JWT claim
/// `laissez_display`, the mdoc namespace `org.laissez.display.1`): only to measure or test
/// such credentials.
pub fn order(
    format: CredentialFormat,
    holder_key: &VerifyingKey,
    now: i64,
    legacy_labels: bool,
) -> CredentialOrder {
    let mut claims = claims();
    if legacy_labels {
        let labels = legacy_display().to_json();
        match format {
            CredentialFormat::SdJwt => {
                claims.insert(display::SD_JWT_CLAIM.into(), labels);
            }
            CredentialFormat::Mdoc => {
                let mut namespaced = Map::new();
                namespaced.insert(MDOC_DOC_TYPE.into(), Value::Object(claims));
                namespaced.insert(
                    display::MDOC_NAMESPACE.into(),
                    json!({ display::MDOC_ELEMENT: labels.to_string() }),
                );
                claims = namespaced;
            }
        }
    }
    CredentialOrder {
        format,
        credential_type: credential_type(format).to_owned(),
        claims,
        holder_key: holder_key.clone(),
        valid_days: VALID_DAYS,
        status: None,
        now,
        portrait: None,
    }
}

/// The sample credential's entry in [`STATUS_URI`], by format.
pub fn status(format: CredentialFormat) -> StatusReference {
    StatusReference {
        index: match format {
            CredentialFormat::SdJwt => 7,
            CredentialFormat::Mdoc => 8,
        },
        uri: STATUS_URI.into(),
    }
}

/// The claims to present, as strings.
pub fn presented() -> Vec<String> {
    PRESENTED.iter().map(|c| (*c).to_owned()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_claim_has_a_label_in_every_language() {
        let display = legacy_display();
        assert_eq!(claims().len(), 6);
        for (name, _, _) in CLAIMS {
            for lang in LANGS {
                assert!(display.label(name, lang).is_some(), "{name} {lang}");
            }
        }
        assert_eq!(display.label("given_name", "fr"), Some("Prénom"));
        let withheld: Vec<&str> = CLAIMS
            .iter()
            .filter(|(name, _, _)| !PRESENTED.contains(name))
            .map(|(_, value, _)| *value)
            .collect();
        assert_eq!(withheld, WITHHELD_VALUES);
    }

    #[test]
    fn built_in_metadata_gives_the_same_labels() {
        use wallet_core::credential::labels::CredentialLabels;
        let legacy = legacy_display();
        for format in [CredentialFormat::SdJwt, CredentialFormat::Mdoc] {
            let labels = CredentialLabels::choose(format, credential_type(format), None, &[], None);
            for (name, _, _) in CLAIMS {
                let path = match format {
                    CredentialFormat::SdJwt => name.to_owned(),
                    CredentialFormat::Mdoc => format!("{MDOC_DOC_TYPE}/{name}"),
                };
                for lang in LANGS {
                    assert_eq!(
                        labels.claim_label(&path, lang).as_deref(),
                        legacy.label(name, lang),
                        "{name} {lang}"
                    );
                }
            }
        }
    }
}
