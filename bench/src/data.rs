//! The benchmark's records: the same generator as the peer's script
//! (shared/bench/askar_bench.py), so both stores hold the same shape of data.
//!
//! Each value is a W3C-VC-like JSON document padded to exactly 1,500 bytes; each record has
//! three tags: `schema_id` = `schema-{i % 10}`, `issuer_did` = `did:example:issuer{i % 100}`,
//! `state` = `revoked` when `i % 4 == 0`, else `active`. With N records an issuer matches
//! N/100, a schema N/10, and schema AND revoked N/20 (even schemas only).

use wallet_core::store::{NewRecord, Tag};

/// The records' kind (Askar's category).
pub const KIND: &str = "credential";
/// Distinct `schema_id` values.
pub const SCHEMAS: usize = 10;
/// Distinct `issuer_did` values.
pub const ISSUERS: usize = 100;
/// The length every value is padded to.
pub const VALUE_LEN: usize = 1_500;

const BASE58: &[u8] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/// SplitMix64: small, fast, deterministic; enough for benchmark data and sampling.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..bound` (bound > 0; the tiny modulo bias does not matter here).
    pub fn below(&mut self, bound: usize) -> usize {
        (self.next_u64() % bound as u64) as usize
    }
}

fn document(i: usize, uuid: u128, holder: u64, proof_value: &str) -> String {
    let schema = i % SCHEMAS;
    let issuer = i % ISSUERS;
    format!(
        concat!(
            r#"{{"@context":["https://www.w3.org/2018/credentials/v1","#,
            r#""https://www.w3.org/2018/credentials/examples/v1"],"#,
            r#""id":"urn:uuid:{uuid:032x}","#,
            r#""type":["VerifiableCredential","ExampleCredential{schema}"],"#,
            r#""issuer":"did:example:issuer{issuer}","issuanceDate":"2024-01-01T00:00:00Z","#,
            r#""credentialSubject":{{"id":"did:example:holder{holder:016x}","#,
            r#""givenName":"Alice","familyName":"Example","birthDate":"1990-01-01","#,
            r#""address":{{"street":"1 Main St","city":"Springfield","country":"XX"}}}},"#,
            r#""proof":{{"type":"Ed25519Signature2020","created":"2024-01-01T00:00:00Z","#,
            r#""verificationMethod":"did:example:issuer{issuer}#key-1","#,
            r#""proofPurpose":"assertionMethod","proofValue":"{proof}"}}}}"#
        ),
        uuid = uuid,
        schema = schema,
        issuer = issuer,
        holder = holder,
        proof = proof_value,
    )
}

/// The value of record `i`: JSON padded with a base58 `proofValue` to [`VALUE_LEN`] bytes.
pub fn make_value(i: usize, rng: &mut SplitMix64) -> Vec<u8> {
    let uuid = (u128::from(rng.next_u64()) << 64) | u128::from(rng.next_u64());
    let holder = rng.next_u64();
    let base_len = document(i, uuid, holder, "").len();
    let pad = VALUE_LEN.saturating_sub(base_len);
    let mut proof = String::with_capacity(pad);
    if pad > 0 {
        proof.push('z');
        for _ in 1..pad {
            proof.push(char::from(BASE58[rng.below(BASE58.len())]));
        }
    }
    document(i, uuid, holder, &proof).into_bytes()
}

/// The tags of record `i`.
pub fn make_tags(i: usize) -> Vec<Tag> {
    vec![
        schema_tag(i % SCHEMAS),
        issuer_tag(i % ISSUERS),
        Tag::new("state", if i % 4 == 0 { "revoked" } else { "active" }),
    ]
}

/// `schema_id = schema-{s}`.
pub fn schema_tag(s: usize) -> Tag {
    Tag::new("schema_id", format!("schema-{s}"))
}

/// `issuer_did = did:example:issuer{k}`.
pub fn issuer_tag(k: usize) -> Tag {
    Tag::new("issuer_did", format!("did:example:issuer{k}"))
}

/// `n` records, deterministic for a given `n`.
pub fn make_records(n: usize) -> Vec<NewRecord> {
    let mut rng = SplitMix64::new(42);
    (0..n)
        .map(|i| NewRecord {
            kind: KIND.into(),
            tags: make_tags(i),
            body: make_value(i, &mut rng),
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn values_are_1500_bytes_of_json_and_tags_follow_the_peer() {
        let records = make_records(200);
        for (i, r) in records.iter().enumerate() {
            assert_eq!(r.body.len(), VALUE_LEN);
            let doc: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
            assert_eq!(
                doc["issuer"],
                format!("did:example:issuer{}", i % ISSUERS).as_str()
            );
            assert_eq!(r.tags.len(), 3);
        }
        assert_eq!(records[0].tags[2].value, "revoked");
        assert_eq!(records[1].tags[2].value, "active");
        assert_eq!(records[13].tags[0].value, "schema-3");
        assert_eq!(records[113].tags[1].value, "did:example:issuer13");
    }
}
