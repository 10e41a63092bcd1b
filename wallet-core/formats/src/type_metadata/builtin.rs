//! Type metadata shipped in the core, so a wallet or verifier labels these types with no
//! document supplied: the EU PID (SD-JWT VC `urn:eudi:pid:1`, mdoc `eu.europa.ec.eudi.pid.1`,
//! attributes and encodings of the PID Rulebook, ARF Annex 3.01), the EU age verification
//! attestation (mdoc `eu.europa.ec.av.1`) and Laissez's own migrant credential types
//! (`urn:laissez:iom:registration:1`, `org.iom.registration.1`), labelled in English, French
//! and Arabic.
//!
//! Kept as tables and built on demand (no global state, a few kilobytes in the phone
//! library). They are Laissez's own labels, not an issuer's document: `vct#integrity` never
//! applies to them (docs/adr/0013-type-metadata.md).

use super::document::{
    ClaimLabel, ClaimMetadata, ClaimPath, PathElement, TypeDisplay, TypeMetadata,
};

/// The SD-JWT VC type of the EU PID.
pub const PID_VCT: &str = "urn:eudi:pid:1";
/// The mdoc docType (and namespace) of the EU PID.
pub const PID_DOC_TYPE: &str = "eu.europa.ec.eudi.pid.1";
/// The mdoc docType (and namespace) of the EU age verification attestation.
pub const AGE_DOC_TYPE: &str = "eu.europa.ec.av.1";
/// The SD-JWT VC type of Laissez's migrant registration credential.
pub const IOM_VCT: &str = "urn:laissez:iom:registration:1";
/// The mdoc docType (and namespace) of Laissez's migrant registration credential.
pub const IOM_DOC_TYPE: &str = "org.iom.registration.1";
/// Every type with built-in metadata.
pub const TYPES: [&str; 5] = [PID_VCT, PID_DOC_TYPE, AGE_DOC_TYPE, IOM_VCT, IOM_DOC_TYPE];

/// The locales of the built-in labels, in the order of the label triples below.
const LOCALES: [&str; 3] = ["en", "fr", "ar"];
type Labels = [&'static str; 3];

/// One PID attribute: its SD-JWT VC path (`.` between members), its mdoc element identifier
/// (empty: none), its labels.
const PID: [(&str, &str, Labels); 34] = [
    (
        "family_name",
        "family_name",
        ["Family name", "Nom", "اسم العائلة"],
    ),
    (
        "given_name",
        "given_name",
        ["Given names", "Prénoms", "الأسماء الأولى"],
    ),
    (
        "birthdate",
        "birth_date",
        ["Date of birth", "Date de naissance", "تاريخ الميلاد"],
    ),
    (
        "place_of_birth",
        "place_of_birth",
        ["Place of birth", "Lieu de naissance", "مكان الميلاد"],
    ),
    (
        "place_of_birth.locality",
        "",
        [
            "Place of birth: locality",
            "Lieu de naissance : localité",
            "مكان الميلاد: المدينة",
        ],
    ),
    (
        "place_of_birth.region",
        "",
        [
            "Place of birth: region",
            "Lieu de naissance : région",
            "مكان الميلاد: المنطقة",
        ],
    ),
    (
        "place_of_birth.country",
        "",
        [
            "Place of birth: country",
            "Lieu de naissance : pays",
            "مكان الميلاد: البلد",
        ],
    ),
    (
        "nationalities",
        "nationality",
        ["Nationalities", "Nationalités", "الجنسيات"],
    ),
    ("address", "", ["Address", "Adresse", "العنوان"]),
    (
        "address.formatted",
        "resident_address",
        ["Resident address", "Adresse de résidence", "عنوان الإقامة"],
    ),
    (
        "address.country",
        "resident_country",
        ["Country of residence", "Pays de résidence", "بلد الإقامة"],
    ),
    (
        "address.region",
        "resident_state",
        [
            "State or region of residence",
            "État ou région de résidence",
            "ولاية أو منطقة الإقامة",
        ],
    ),
    (
        "address.locality",
        "resident_city",
        ["City of residence", "Ville de résidence", "مدينة الإقامة"],
    ),
    (
        "address.postal_code",
        "resident_postal_code",
        ["Postal code", "Code postal", "الرمز البريدي"],
    ),
    (
        "address.street_address",
        "resident_street",
        ["Street", "Rue", "الشارع"],
    ),
    (
        "address.house_number",
        "resident_house_number",
        ["House number", "Numéro de maison", "رقم المنزل"],
    ),
    (
        "personal_administrative_number",
        "personal_administrative_number",
        [
            "Personal administrative number",
            "Numéro administratif personnel",
            "الرقم الإداري الشخصي",
        ],
    ),
    (
        "picture",
        "portrait",
        ["Portrait", "Photo", "الصورة الشخصية"],
    ),
    (
        "birth_family_name",
        "family_name_birth",
        [
            "Family name at birth",
            "Nom de naissance",
            "اسم العائلة عند الولادة",
        ],
    ),
    (
        "birth_given_name",
        "given_name_birth",
        [
            "Given names at birth",
            "Prénoms de naissance",
            "الأسماء الأولى عند الولادة",
        ],
    ),
    ("sex", "sex", ["Sex", "Sexe", "الجنس"]),
    (
        "email",
        "email_address",
        ["Email address", "Adresse électronique", "البريد الإلكتروني"],
    ),
    (
        "phone_number",
        "mobile_phone_number",
        [
            "Mobile phone number",
            "Numéro de téléphone mobile",
            "رقم الهاتف المحمول",
        ],
    ),
    (
        "date_of_expiry",
        "expiry_date",
        ["Expiry date", "Date d'expiration", "تاريخ انتهاء الصلاحية"],
    ),
    (
        "issuing_authority",
        "issuing_authority",
        ["Issuing authority", "Autorité de délivrance", "جهة الإصدار"],
    ),
    (
        "issuing_country",
        "issuing_country",
        ["Issuing country", "Pays de délivrance", "بلد الإصدار"],
    ),
    (
        "document_number",
        "document_number",
        ["Document number", "Numéro du document", "رقم الوثيقة"],
    ),
    (
        "issuing_jurisdiction",
        "issuing_jurisdiction",
        [
            "Issuing jurisdiction",
            "Juridiction de délivrance",
            "الولاية القضائية المصدرة",
        ],
    ),
    (
        "date_of_issuance",
        "issuance_date",
        ["Issuance date", "Date de délivrance", "تاريخ الإصدار"],
    ),
    (
        "age_in_years",
        "age_in_years",
        ["Age in years", "Âge en années", "العمر بالسنوات"],
    ),
    (
        "age_birth_year",
        "age_birth_year",
        ["Year of birth", "Année de naissance", "سنة الميلاد"],
    ),
    (
        "age_equal_or_over",
        "",
        ["Age thresholds", "Seuils d'âge", "حدود العمر"],
    ),
    (
        "trust_anchor",
        "trust_anchor",
        ["Trust anchor", "Ancre de confiance", "مرجع الثقة"],
    ),
    (
        "attestation_legal_category",
        "",
        [
            "Attestation legal category",
            "Catégorie juridique de l'attestation",
            "الفئة القانونية للشهادة",
        ],
    ),
];

/// The ages of the `age_over_NN` attributes labelled (PID and age attestation).
const AGES: [u8; 15] = [12, 13, 14, 15, 16, 18, 21, 23, 25, 27, 28, 40, 60, 65, 67];

/// Laissez's migrant registration: claim name (SD-JWT member, mdoc element) and labels.
const IOM: [(&str, Labels); 6] = [
    ("given_name", ["Given name", "Prénom", "الاسم الأول"]),
    ("family_name", ["Family name", "Nom", "اسم العائلة"]),
    (
        "birth_date",
        ["Date of birth", "Date de naissance", "تاريخ الميلاد"],
    ),
    ("nationality", ["Nationality", "Nationalité", "الجنسية"]),
    (
        "registration_id",
        [
            "Registration number",
            "Numéro d'enregistrement",
            "رقم التسجيل",
        ],
    ),
    (
        "place_of_birth",
        ["Place of birth", "Lieu de naissance", "مكان الميلاد"],
    ),
];

/// The portrait of Laissez's migrant registration: SD-JWT VC claim `picture` (a data URL, as
/// the PID's), mdoc element `portrait` (a JPEG `bstr`): docs/adr/0018-signed-portrait.md.
const IOM_PORTRAIT: (&str, &str, Labels) = (
    "picture",
    "portrait",
    ["Portrait", "Photo", "الصورة الشخصية"],
);

const PID_NAME: Labels = [
    "Person identification data",
    "Données d'identification personnelle",
    "بيانات التعريف الشخصية",
];
const AGE_NAME: Labels = [
    "Age verification",
    "Vérification de l'âge",
    "التحقق من العمر",
];
const IOM_NAME: Labels = [
    "IOM registration",
    "Enregistrement OIM",
    "تسجيل المنظمة الدولية للهجرة",
];

/// The built-in metadata for `credential_type` (an SD-JWT `vct` or an mdoc docType), if
/// Laissez ships one.
pub fn metadata(credential_type: &str) -> Option<TypeMetadata> {
    let (name, claims) = match credential_type {
        PID_VCT => (PID_NAME, pid_sd_jwt_claims()),
        PID_DOC_TYPE => (PID_NAME, pid_mdoc_claims()),
        AGE_DOC_TYPE => (AGE_NAME, age_over_claims(&[AGE_DOC_TYPE])),
        IOM_VCT => (
            IOM_NAME,
            IOM.iter()
                .map(|(n, l)| claim(ClaimPath::of_names(&[n]), *l))
                .chain([claim(
                    ClaimPath::of_names(&[IOM_PORTRAIT.0]),
                    IOM_PORTRAIT.2,
                )])
                .collect(),
        ),
        IOM_DOC_TYPE => (
            IOM_NAME,
            IOM.iter()
                .map(|(n, l)| claim(ClaimPath::of_names(&[IOM_DOC_TYPE, n]), *l))
                .chain([claim(
                    ClaimPath::of_names(&[IOM_DOC_TYPE, IOM_PORTRAIT.1]),
                    IOM_PORTRAIT.2,
                )])
                .collect(),
        ),
        _ => return None,
    };
    Some(TypeMetadata {
        vct: credential_type.to_owned(),
        name: None,
        description: None,
        extends: None,
        extends_integrity: None,
        display: LOCALES
            .iter()
            .zip(name)
            .map(|(locale, name)| TypeDisplay {
                locale: (*locale).to_owned(),
                name: name.to_owned(),
                description: None,
            })
            .collect(),
        claims,
    })
}

fn pid_sd_jwt_claims() -> Vec<ClaimMetadata> {
    let mut claims: Vec<ClaimMetadata> = PID
        .iter()
        .map(|(path, _, labels)| {
            let names: Vec<&str> = path.split('.').collect();
            claim(ClaimPath::of_names(&names), *labels)
        })
        .collect();
    claims.push(claim(
        ClaimPath(vec![
            PathElement::Name("nationalities".into()),
            PathElement::All,
        ]),
        ["Nationality", "Nationalité", "الجنسية"],
    ));
    for age in AGES {
        claims.push(ClaimMetadata {
            path: ClaimPath::of_names(&["age_equal_or_over", &age.to_string()]),
            ..age_claim(age)
        });
    }
    claims
}

fn pid_mdoc_claims() -> Vec<ClaimMetadata> {
    let mut claims: Vec<ClaimMetadata> = PID
        .iter()
        .filter(|(_, element, _)| !element.is_empty())
        .map(|(_, element, labels)| claim(ClaimPath::of_names(&[PID_DOC_TYPE, element]), *labels))
        .collect();
    claims.extend(age_over_claims(&[PID_DOC_TYPE]));
    claims
}

/// `age_over_NN` elements under `prefix` (the namespace).
fn age_over_claims(prefix: &[&str]) -> Vec<ClaimMetadata> {
    AGES.iter()
        .map(|age| {
            let element = format!("age_over_{age}");
            let mut names = prefix.to_vec();
            names.push(&element);
            ClaimMetadata {
                path: ClaimPath::of_names(&names),
                ..age_claim(*age)
            }
        })
        .collect()
}

fn age_claim(age: u8) -> ClaimMetadata {
    let texts = [
        format!("Aged {age} or over"),
        format!("{age} ans ou plus"),
        format!("العمر {age} سنة أو أكثر"),
    ];
    ClaimMetadata {
        path: ClaimPath(Vec::new()),
        display: LOCALES
            .iter()
            .zip(texts)
            .map(|(locale, label)| ClaimLabel {
                locale: (*locale).to_owned(),
                label,
                description: None,
            })
            .collect(),
        sd: None,
        mandatory: false,
    }
}

fn claim(path: ClaimPath, labels: Labels) -> ClaimMetadata {
    ClaimMetadata {
        path,
        display: LOCALES
            .iter()
            .zip(labels)
            .map(|(locale, label)| ClaimLabel {
                locale: (*locale).to_owned(),
                label: label.to_owned(),
                description: None,
            })
            .collect(),
        sd: None,
        mandatory: false,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn every_type_labels_every_claim_in_every_locale() {
        for vct in TYPES {
            let meta = metadata(vct).unwrap();
            assert_eq!(meta.vct, vct);
            for locale in LOCALES {
                assert!(meta.display_name(locale).is_some(), "{vct} {locale}");
                for claim in &meta.claims {
                    assert!(
                        meta.claim_label(&claim.path, locale).is_some(),
                        "{vct} {locale}"
                    );
                }
            }
            for (i, claim) in meta.claims.iter().enumerate() {
                assert!(
                    !meta.claims[..i].iter().any(|c| c.path == claim.path),
                    "{vct}"
                );
            }
        }
        assert!(metadata("urn:other").is_none());
        let pid = metadata(PID_VCT).unwrap();
        assert_eq!(
            pid.claim_label(&ClaimPath::of_names(&["family_name"]), "fr"),
            Some("Nom")
        );
        assert_eq!(
            pid.claim_label(&ClaimPath::of_names(&["age_equal_or_over", "18"]), "ar"),
            Some("العمر 18 سنة أو أكثر")
        );
        let mdoc = metadata(PID_DOC_TYPE).unwrap();
        assert_eq!(
            mdoc.claim_label(&ClaimPath::of_names(&[PID_DOC_TYPE, "birth_date"]), "en-GB"),
            Some("Date of birth")
        );
        for (vct, path) in [
            (IOM_VCT, vec!["picture"]),
            (IOM_DOC_TYPE, vec![IOM_DOC_TYPE, "portrait"]),
            (PID_VCT, vec!["picture"]),
            (PID_DOC_TYPE, vec![PID_DOC_TYPE, "portrait"]),
        ] {
            let meta = metadata(vct).unwrap();
            let path = ClaimPath::of_names(&path);
            assert_eq!(meta.claim_label(&path, "en"), Some("Portrait"), "{vct}");
            assert_eq!(meta.claim_label(&path, "fr"), Some("Photo"), "{vct}");
            assert_eq!(
                meta.claim_label(&path, "ar"),
                Some("الصورة الشخصية"),
                "{vct}"
            );
        }
        let age = metadata(AGE_DOC_TYPE).unwrap();
        assert_eq!(
            age.claim_label(&ClaimPath::of_names(&[AGE_DOC_TYPE, "age_over_18"]), "fr"),
            Some("18 ans ou plus")
        );
    }
}
