//! The trust list's optional top-level member `registrars`: the registrars whose certificates
//! of verifiers the holder's wallet believes (issue 15, ADR 0021). A registrar (a humanitarian
//! coordination body, a state authority) certifies a verifier's key with its organisation,
//! country, purposes and registered scope; the holder's wallet shows a verifier as verified
//! only when such a certificate comes from a registrar on this list.
//!
//! The same signed list, pinned signer and rollback check cover issuers and registrars; a
//! list without the member has no registrars (lists made before it still read):
//!
//! ```text
//! "registrars": [                       // optional
//!   {
//!     "id": "urn:example:registrar:1",  // what certificates name as their issuer
//!     "name": "Humanitarian registrar", // shown to the holder as who vouches
//!     "country": "NL",                  // ISO 3166-1 alpha-2
//!     "key": {"kty":"EC","crv":"P-256","x":"…","y":"…"},  // signs certificates (ES256)
//!     "valid_from": 1760000000,         // trusted from this time …
//!     "valid_until": 1791536000         // … until just before this one
//!   }
//! ]
//! ```
//!
//! At most [`MAX_REGISTRARS`], each id once; anything else refuses the whole list (Malformed
//! or TooLarge), so the installed list stays as it was.

use serde_json::{Map, Value};

use super::trust_list_metadata::MemberProblem;
use laissez_crypto::ecdsa::VerifyingKey;
use laissez_formats::jose::P256Jwk;

/// The member's name in the trust list payload.
pub const MEMBER: &str = "registrars";
/// Most registrars in one trust list.
pub const MAX_REGISTRARS: usize = 64;
/// Longest registrar id or name, in bytes of UTF-8.
pub const MAX_REGISTRAR_TEXT_LEN: usize = 256;

const MEMBERS: [&str; 6] = ["id", "name", "country", "key", "valid_from", "valid_until"];

/// A registrar the holder's wallet trusts to certify verifiers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustedRegistrar {
    /// Its identifier: what a registration certificate names as its issuer.
    pub id: String,
    /// Its display name, shown to the holder as who vouches for a verifier.
    pub name: String,
    /// Its country (ISO 3166-1 alpha-2).
    pub country: String,
    /// The P-256 key its certificates are signed with (ES256).
    pub key: VerifyingKey,
    /// Trusted from this time (Unix seconds, inclusive).
    pub valid_from: i64,
    /// Trusted until this time (Unix seconds, exclusive).
    pub valid_until: i64,
}

impl TrustedRegistrar {
    /// Whether the entry is in its validity period at `now`.
    pub fn applies_at(&self, now: i64) -> bool {
        self.valid_from <= now && now < self.valid_until
    }

    /// The rules every entry obeys, whether read or about to be signed.
    pub(crate) fn check(&self) -> Result<(), MemberProblem> {
        check_text(&self.id, "registrar id is blank or has control characters")?;
        check_text(
            &self.name,
            "registrar name is blank or has control characters",
        )?;
        if self.country.len() != 2 || !self.country.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(MemberProblem::Malformed(
                "registrar country is not two capital letters (ISO 3166-1 alpha-2)",
            ));
        }
        if self.valid_from >= self.valid_until {
            return Err(MemberProblem::Malformed(
                "registrar valid_from is not before valid_until",
            ));
        }
        Ok(())
    }

    #[cfg(feature = "issue")]
    fn to_json(&self) -> Value {
        serde_json::json!({
            "id": self.id,
            "name": self.name,
            "country": self.country,
            "key": P256Jwk::from_verifying_key(self.key.clone()).to_json(),
            "valid_from": self.valid_from,
            "valid_until": self.valid_until,
        })
    }

    fn from_json(value: &Value) -> Result<Self, MemberProblem> {
        let map = value.as_object().ok_or(MemberProblem::Malformed(
            "a registrar entry is not an object",
        ))?;
        if !map.keys().all(|k| MEMBERS.contains(&k.as_str())) {
            return Err(MemberProblem::Malformed(
                "a registrar entry has an unknown member",
            ));
        }
        let key = map
            .get("key")
            .ok_or(MemberProblem::Malformed("registrar key missing"))
            .and_then(|jwk| {
                P256Jwk::from_json(jwk)
                    .map_err(|_| MemberProblem::Malformed("registrar key is not a P-256 JWK"))
            })?
            .into_verifying_key();
        let entry = Self {
            id: string(map, "id", "registrar id missing or not a string")?,
            name: string(map, "name", "registrar name missing or not a string")?,
            country: string(map, "country", "registrar country missing or not a string")?,
            key,
            valid_from: time(map, "valid_from")?,
            valid_until: time(map, "valid_until")?,
        };
        entry.check()?;
        Ok(entry)
    }
}

fn check_text(text: &str, blank: &'static str) -> Result<(), MemberProblem> {
    if text.len() > MAX_REGISTRAR_TEXT_LEN {
        return Err(MemberProblem::TooLarge("registrar id or name"));
    }
    if text.trim().is_empty() || text.chars().any(char::is_control) {
        return Err(MemberProblem::Malformed(blank));
    }
    Ok(())
}

fn string(
    map: &Map<String, Value>,
    name: &str,
    wrong: &'static str,
) -> Result<String, MemberProblem> {
    match map.get(name) {
        Some(Value::String(text)) => Ok(text.clone()),
        _ => Err(MemberProblem::Malformed(wrong)),
    }
}

fn time(map: &Map<String, Value>, name: &str) -> Result<i64, MemberProblem> {
    map.get(name)
        .and_then(Value::as_i64)
        .ok_or(MemberProblem::Malformed(
            "a registrar time is missing or not an integer",
        ))
}

/// Reads the member's value.
pub(crate) fn from_json(value: &Value) -> Result<Vec<TrustedRegistrar>, MemberProblem> {
    let items = value
        .as_array()
        .ok_or(MemberProblem::Malformed("registrars is not an array"))?;
    if items.len() > MAX_REGISTRARS {
        return Err(MemberProblem::TooLarge("registrar count"));
    }
    let mut registrars = Vec::with_capacity(items.len());
    for item in items {
        push(&mut registrars, TrustedRegistrar::from_json(item)?)?;
    }
    Ok(registrars)
}

/// The member's value for `registrars` (`None` when there are none: the member is left out,
/// so a list without registrars reads exactly as before).
#[cfg(feature = "issue")]
pub(crate) fn to_json(registrars: &[TrustedRegistrar]) -> Option<Value> {
    (!registrars.is_empty())
        .then(|| Value::Array(registrars.iter().map(TrustedRegistrar::to_json).collect()))
}

/// Checks `registrar` and appends it, within the limits of this module (one entry per id).
pub(crate) fn push(
    registrars: &mut Vec<TrustedRegistrar>,
    registrar: TrustedRegistrar,
) -> Result<(), MemberProblem> {
    if registrars.len() >= MAX_REGISTRARS {
        return Err(MemberProblem::TooLarge("registrar count"));
    }
    registrar.check()?;
    if registrars.iter().any(|known| known.id == registrar.id) {
        return Err(MemberProblem::Malformed("a registrar id is listed twice"));
    }
    registrars.push(registrar);
    Ok(())
}
