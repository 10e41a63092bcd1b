//! The CWT claims map (RFC 8392) of a code: the standard claims Claim 169 uses (iss, sub,
//! exp, nbf, iat), claim 169 itself, and the time check at a given `now`.

use crate::mdoc::cbor::node::{Kind, Node};

use super::cbor;
use super::error::{Claim169Error, Claim169Result};
use super::identity::{self, Identity};

/// CWT claim keys (RFC 8392 §4).
pub(crate) const ISS: i64 = 1;
pub(crate) const SUB: i64 = 2;
pub(crate) const EXP: i64 = 4;
pub(crate) const NBF: i64 = 5;
pub(crate) const IAT: i64 = 6;
/// The key of the identity data (IANA CWT registry).
pub const CLAIM_169: i64 = 169;

/// The standard CWT claims of a code. Times are seconds since the Unix epoch.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CwtClaims {
    /// `iss` (1): who issued the code.
    pub issuer: Option<String>,
    /// `sub` (2): whom the code is about.
    pub subject: Option<String>,
    /// `exp` (4): the code is not accepted at or after this time.
    pub expires_at: Option<i64>,
    /// `nbf` (5): the code is not accepted before this time.
    pub not_before: Option<i64>,
    /// `iat` (6): when the code was issued.
    pub issued_at: Option<i64>,
}

impl CwtClaims {
    /// Whether the code may be accepted at `now`: [`Claim169Error::Expired`] at or after
    /// `exp`, [`Claim169Error::NotYetValid`] before `nbf`. Absent claims set no bound.
    pub fn check_time(&self, now: i64) -> Claim169Result<()> {
        if self.expires_at.is_some_and(|exp| now >= exp) {
            return Err(Claim169Error::Expired);
        }
        if self.not_before.is_some_and(|nbf| now < nbf) {
            return Err(Claim169Error::NotYetValid);
        }
        Ok(())
    }
}

/// Reads the CWT claims map: the standard claims and claim 169. Other claims are ignored.
pub(crate) fn parse(payload: &[u8]) -> Claim169Result<(CwtClaims, Identity)> {
    let root = cbor::decode(payload)?;
    if root.as_map().is_none() {
        return Err(Claim169Error::InvalidCwt("the payload is not a map"));
    }
    let entries = cbor::int_map(&root).ok_or(Claim169Error::InvalidCwt("a claim occurs twice"))?;
    let mut claims = CwtClaims::default();
    let mut identity = None;
    for (key, value) in entries {
        match key {
            ISS => claims.issuer = Some(text(value, "iss is not text")?),
            SUB => claims.subject = Some(text(value, "sub is not text")?),
            EXP => claims.expires_at = Some(numeric_date(value, "exp is not a time")?),
            NBF => claims.not_before = Some(numeric_date(value, "nbf is not a time")?),
            IAT => claims.issued_at = Some(numeric_date(value, "iat is not a time")?),
            CLAIM_169 => identity = Some(claim_169(value)?),
            _ => {}
        }
    }
    let identity = identity.ok_or(Claim169Error::MissingClaim169)?;
    Ok((claims, identity))
}

/// Claim 169: a map, or (as in the specification's own worked example) a byte string holding
/// the encoded map.
fn claim_169(value: &Node<'_>) -> Claim169Result<Identity> {
    match &value.kind {
        Kind::Bytes(bytes) => {
            let inner = cbor::decode(bytes)?;
            identity::parse(&inner)
        }
        _ => identity::parse(value),
    }
}

fn text(node: &Node<'_>, what: &'static str) -> Claim169Result<String> {
    node.as_text()
        .map(str::to_owned)
        .ok_or(Claim169Error::InvalidCwt(what))
}

/// A NumericDate (RFC 8392 §2): an integer number of seconds. A float is taken if it is a
/// whole number in range; anything else is refused.
fn numeric_date(node: &Node<'_>, what: &'static str) -> Claim169Result<i64> {
    if let Some(seconds) = node.as_i64() {
        return Ok(seconds);
    }
    match node.kind {
        Kind::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => Ok(f as i64),
        _ => Err(Claim169Error::InvalidCwt(what)),
    }
}
