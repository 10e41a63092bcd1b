//! The field verifier's verdict on a MOSIP Claim 169 identity QR code (issue 16, ADR 0022):
//! the same [`Verdict`] shape as for presentations, format `claim169`.
//!
//! Trust: a trust-list entry vouches for Claim 169 codes when its credential types include
//! [`CLAIM169_CREDENTIAL_TYPE`] (or are empty: any type), its key verifies the code's
//! signature, and its countries (if it names any) include the code's country of issuance
//! (claim 169 key 23, compared as written: alpha-2 or alpha-3). Nothing else of the code
//! is trusted: an unsigned code, or one signed by a key not on the list, shows no claims.
//!
//! A Claim 169 code has no holder binding: whoever holds the card (or a photo of it) can show
//! it. A valid verdict therefore sets [`Verdict::possession_not_proven`] (apps say
//! "possession not proven: compare the photo") and [`Verdict::unbound`], and carries the face
//! image as the portrait when it is a JPEG.
//!
//! Reasons, from the existing set: an unsigned code is `bad_issuer_signature` (there is no
//! issuer signature to accept); a signature no trusted key makes is `unknown_issuer`; a
//! trusted key for another country is `issuer_not_allowed`; an encrypted code (the field
//! verifier holds no content key) or a broken one is `malformed`; an algorithm other than
//! EdDSA, ES256, ES384 is `unsupported_algorithm`; `expired`, `not_yet_valid` as the CWT says.

use laissez_formats::claim169::{self, Claim169Code, Claim169Error, Gender, MaritalStatus};
use laissez_formats::credential::portrait::Portrait;

use super::trusted_issuer::TrustedIssuer;
use super::verdict::{DisclosedClaim, IssuerInfo, Reason, Verdict};

/// The credential type a trust-list entry names to vouch for Claim 169 codes.
pub const CLAIM169_CREDENTIAL_TYPE: &str = "mosip:claim169";
/// The verdict format of a Claim 169 code.
pub const CLAIM169_FORMAT: &str = "claim169";

/// The verdict on the QR text of a Claim 169 code, against `trusted` (the trust list's
/// issuers at `now` for [`CLAIM169_CREDENTIAL_TYPE`]), with labels in `lang` (en, fr, ar;
/// others fall back to en).
pub fn claim169_verdict(qr_text: &str, trusted: &[TrustedIssuer], now: i64, lang: &str) -> Verdict {
    let code = match claim169::decode(qr_text, None) {
        Ok(code) => code,
        Err(error) => return rejected(reason_for(&error)),
    };
    let issuer = match signing_issuer(&code, trusted) {
        Ok(issuer) => issuer,
        Err(error) => return rejected(reason_for(&error)),
    };
    let key = issuer.key.clone();
    let mut verdict = Verdict::rejected(CLAIM169_FORMAT, Reason::Malformed);
    verdict.reasons.clear();
    verdict.credential_type = Some(CLAIM169_CREDENTIAL_TYPE.into());
    verdict.issuer = Some(IssuerInfo {
        name: issuer.name.clone(),
        key_fingerprint: key.fingerprint(),
    });
    if !issuer.allows_country(code.identity.country_of_issuance.as_deref()) {
        verdict.reasons.push(Reason::IssuerNotAllowed);
        return verdict;
    }
    if let Err(error) = code.check_time(now) {
        verdict.reasons.push(reason_for(&error));
        return verdict;
    }
    verdict.valid = true;
    verdict.unbound = true;
    verdict.possession_not_proven = true;
    verdict.claims = labelled_claims(&code, lang);
    if let Some(face) = code.identity.face_image() {
        verdict.set_portrait("face", Portrait::from_jpeg(face.bytes.to_vec()));
    }
    verdict
}

/// The issuer of `trusted` whose key verifies `code` (its countries not checked yet): what
/// the field verifier's verdict and the holder's kept cards both decide trust by.
pub fn signing_issuer<'a>(
    code: &Claim169Code,
    trusted: &'a [TrustedIssuer],
) -> Result<&'a TrustedIssuer, Claim169Error> {
    let keys: Vec<_> = trusted.iter().map(|issuer| issuer.key.clone()).collect();
    let key = code.verify_any(&keys)?;
    trusted
        .iter()
        .find(|issuer| &issuer.key == key)
        .ok_or(Claim169Error::BadSignature)
}

fn rejected(reason: Reason) -> Verdict {
    Verdict::rejected(CLAIM169_FORMAT, reason)
}

/// The verdict reason of a Claim 169 error.
pub fn reason_for(error: &Claim169Error) -> Reason {
    match error {
        Claim169Error::TextTooLong
        | Claim169Error::DecompressedTooLarge
        | Claim169Error::CborTooLarge
        | Claim169Error::CborTooDeep => Reason::TooLarge,
        Claim169Error::UnsupportedAlgorithm => Reason::UnsupportedAlgorithm,
        Claim169Error::Unsigned => Reason::BadIssuerSignature,
        Claim169Error::BadSignature | Claim169Error::KeyAlgorithmMismatch => Reason::UnknownIssuer,
        Claim169Error::Expired => Reason::Expired,
        Claim169Error::NotYetValid => Reason::NotYetValid,
        _ => Reason::Malformed,
    }
}

/// One field's path (the reference decoder's name) and its labels in en, fr, ar.
struct Field {
    path: &'static str,
    labels: [&'static str; 3],
}

const fn field(path: &'static str, en: &'static str, fr: &'static str, ar: &'static str) -> Field {
    Field {
        path,
        labels: [en, fr, ar],
    }
}

const FIELDS: [Field; 22] = [
    field("id", "ID number", "Numéro d'identité", "رقم الهوية"),
    field("fullName", "Full name", "Nom complet", "الاسم الكامل"),
    field("firstName", "First name", "Prénom", "الاسم الأول"),
    field("middleName", "Middle name", "Deuxième prénom", "الاسم الأوسط"),
    field("lastName", "Last name", "Nom de famille", "اسم العائلة"),
    field(
        "secondaryFullName",
        "Full name (second language)",
        "Nom complet (seconde langue)",
        "الاسم الكامل (اللغة الثانية)",
    ),
    field(
        "secondaryLanguage",
        "Second language",
        "Seconde langue",
        "اللغة الثانية",
    ),
    field(
        "dateOfBirth",
        "Date of birth",
        "Date de naissance",
        "تاريخ الميلاد",
    ),
    field("gender", "Gender", "Genre", "الجنس"),
    field("nationality", "Nationality", "Nationalité", "الجنسية"),
    field(
        "countryOfIssuance",
        "Country of issuance",
        "Pays de délivrance",
        "بلد الإصدار",
    ),
    field(
        "legalStatus",
        "Legal status",
        "Statut juridique",
        "الوضع القانوني",
    ),
    field(
        "maritalStatus",
        "Marital status",
        "Situation matrimoniale",
        "الحالة الاجتماعية",
    ),
    field("guardian", "Guardian", "Tuteur", "الوصي"),
    field("address", "Address", "Adresse", "العنوان"),
    field(
        "locationCode",
        "Location code",
        "Code de localisation",
        "رمز الموقع",
    ),
    field("phone", "Phone", "Téléphone", "الهاتف"),
    field("email", "Email", "Courriel", "البريد الإلكتروني"),
    field("language", "Language", "Langue", "اللغة"),
    field(
        "version",
        "Data version",
        "Version des données",
        "إصدار البيانات",
    ),
    field(
        "issuer",
        "Issued by (iss)",
        "Émis par (iss)",
        "جهة الإصدار (iss)",
    ),
    field("expiresAt", "Valid until", "Valable jusqu'au", "صالح حتى"),
];

fn language_index(lang: &str) -> usize {
    match lang.split(['-', '_']).next().unwrap_or_default() {
        "fr" => 1,
        "ar" => 2,
        _ => 0,
    }
}

fn gender_word(gender: Gender, lang: usize) -> &'static str {
    let words = match gender {
        Gender::Male => ["Male", "Masculin", "ذكر"],
        Gender::Female => ["Female", "Féminin", "أنثى"],
        Gender::Other => ["Other", "Autre", "آخر"],
    };
    words[lang]
}

fn marital_word(status: MaritalStatus, lang: usize) -> &'static str {
    let words = match status {
        MaritalStatus::Unmarried => ["Unmarried", "Célibataire", "أعزب"],
        MaritalStatus::Married => ["Married", "Marié(e)", "متزوج"],
        MaritalStatus::Divorced => ["Divorced", "Divorcé(e)", "مطلق"],
    };
    words[lang]
}

/// The code's demographic fields with labels, in the order of [`FIELDS`]; the enumerations
/// as words in `lang`; biometrics are not claims (the face is the portrait). Also what the
/// holder's wallet shows of a kept card.
pub fn labelled_claims(code: &Claim169Code, lang: &str) -> Vec<DisclosedClaim> {
    let lang = language_index(lang);
    let identity = &code.identity;
    let mut json = identity.to_json();
    if let Some(map) = json.as_object_mut() {
        if let Some(gender) = identity.gender {
            map.insert("gender".into(), gender_word(gender, lang).into());
        }
        if let Some(status) = identity.marital_status {
            map.insert("maritalStatus".into(), marital_word(status, lang).into());
        }
        if let Some(issuer) = &code.cwt.issuer {
            map.insert("issuer".into(), issuer.as_str().into());
        }
        if let Some(exp) = code.cwt.expires_at {
            map.insert("expiresAt".into(), exp.into());
        }
    }
    FIELDS
        .iter()
        .filter_map(|field| {
            let value = json.get(field.path)?.clone();
            Some(DisclosedClaim {
                path: field.path.into(),
                value,
                label: Some(field.labels[lang].into()),
            })
        })
        .collect()
}
