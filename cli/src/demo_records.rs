//! The sample records `laissez demo` stores: what a person on the move might hold.

use wallet_core::store::{NewRecord, Tag};

/// One sample record.
#[derive(Debug)]
pub struct SampleRecord {
    /// What the demo calls it.
    pub label: &'static str,
    /// Its kind.
    pub kind: &'static str,
    /// Its tags, name and value.
    pub tags: &'static [(&'static str, &'static str)],
    /// Its JSON body.
    pub body: &'static str,
}

impl SampleRecord {
    /// The record to insert.
    pub fn new_record(&self) -> NewRecord {
        NewRecord {
            kind: self.kind.into(),
            tags: self.tags.iter().map(|(n, v)| Tag::new(*n, *v)).collect(),
            body: self.body.as_bytes().to_vec(),
        }
    }
}

/// The kind of the attestations: plain JSON documents, not signed credentials (the kind
/// `credential` belongs to the wallet's credential layer).
pub const ATTESTATION: &str = "attestation";

/// The demo's records: three attestations from three issuers and a private note.
pub const SAMPLES: &[SampleRecord] = &[
    SampleRecord {
        label: "IOM registration",
        kind: ATTESTATION,
        tags: &[
            ("issuer", "iom.int"),
            ("type", "registration"),
            ("country", "NE"),
        ],
        body: r#"{"type":"IomRegistration","issuer":"International Organization for Migration","registration_number":"IOM-2026-004217","given_name":"Amina","family_name":"Yusuf","birth_date":"1994-03-12","nationality":"SDN","registered_at":"Agadez transit centre","date":"2026-02-03"}"#,
    },
    SampleRecord {
        label: "clinic card",
        kind: ATTESTATION,
        tags: &[
            ("issuer", "clinique-espoir"),
            ("type", "health-card"),
            ("country", "NE"),
        ],
        body: r#"{"type":"ClinicCard","issuer":"Clinique Espoir, Agadez","patient_id":"CE-55810","given_name":"Amina","family_name":"Yusuf","vaccinations":[{"name":"measles","date":"2025-11-02"},{"name":"tetanus","date":"2026-01-15"}],"blood_type":"O+"}"#,
    },
    SampleRecord {
        label: "food aid entitlement",
        kind: ATTESTATION,
        tags: &[
            ("issuer", "red-crescent"),
            ("type", "aid-entitlement"),
            ("country", "NE"),
        ],
        body: r#"{"type":"AidEntitlement","issuer":"Red Crescent Niger","holder":"Amina Yusuf","household_size":4,"entitlement":"monthly food basket","valid_until":"2026-12-31"}"#,
    },
    SampleRecord {
        label: "private note",
        kind: "note",
        tags: &[("topic", "appointment")],
        body: r#"{"text":"Clinic appointment on Tuesday at 9:00, bring the vaccination card"}"#,
    },
];

/// Strings from the samples that must never appear in the wallet file or its WAL: long
/// enough (5 bytes or more) that ciphertext cannot contain them by chance.
pub const MUST_NOT_LEAK: &[&str] = &[
    "Amina",
    "Yusuf",
    "IOM-2026-004217",
    "International Organization",
    "Clinique Espoir",
    "measles",
    "Red Crescent",
    "appointment",
    "iom.int",
    "registration",
    "clinique-espoir",
    "health-card",
    "red-crescent",
    "aid-entitlement",
    "credential",
    "attestation",
];
