//! Turns records into sealed rows and blind indexes, and back.
//!
//! The associated data of every sealed record binds the wallet id, the record id, the blind
//! index of its kind and the record format version, so a ciphertext moved to another row,
//! another kind or another wallet fails to open.

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::record_types::{Record, RecordId, Tag};
use crate::error::{StoreError, StoreResult};
use laissez_crypto::aead::SealingKey;
use laissez_crypto::blind_index::{BlindIndexer, INDEX_LEN};
use laissez_crypto::derive::{INDEX_KEY, RECORD_KEY, hkdf_key};
use laissez_crypto::secret::SecretKey;

/// Version of the record plaintext format, bound into every record's associated data.
pub const RECORD_FORMAT_VERSION: u8 = 1;

/// The plaintext inside a sealed record. Short field names keep records small.
#[derive(Serialize, Deserialize)]
struct RecordPlain {
    k: String,
    t: Vec<(String, String)>,
    #[serde(with = "serde_bytes")]
    b: Vec<u8>,
    c: i64,
    u: i64,
}

impl Drop for RecordPlain {
    fn drop(&mut self) {
        use zeroize::Zeroize;
        self.b.zeroize();
        for (name, value) in &mut self.t {
            name.zeroize();
            value.zeroize();
        }
        self.k.zeroize();
    }
}

/// The keys for records, derived from the data key.
pub struct RecordCipher {
    sealing: SealingKey,
    indexer: BlindIndexer,
    wallet_id: [u8; 16],
}

impl RecordCipher {
    /// Derives the record and index keys from the data key.
    pub fn new(dek: &SecretKey, wallet_id: [u8; 16]) -> StoreResult<Self> {
        let record_key = hkdf_key(dek.as_bytes(), &wallet_id, RECORD_KEY, b"")?;
        let index_key = hkdf_key(dek.as_bytes(), &wallet_id, INDEX_KEY, b"")?;
        Ok(Self {
            sealing: SealingKey::new(&record_key)?,
            indexer: BlindIndexer::new(&index_key),
            wallet_id,
        })
    }

    /// The blind index of a kind.
    pub fn kind_index(&self, kind: &str) -> [u8; INDEX_LEN] {
        self.indexer.index(b"kind", &[kind.as_bytes()])
    }

    /// The blind index of a tag within a kind.
    pub fn tag_index(&self, kind: &str, tag: &Tag) -> [u8; INDEX_LEN] {
        self.indexer.index(
            b"tag",
            &[kind.as_bytes(), tag.name.as_bytes(), tag.value.as_bytes()],
        )
    }

    fn aad(&self, id: &RecordId, kind_index: &[u8]) -> Vec<u8> {
        let mut aad = Vec::with_capacity(16 + 1 + 16 + 16 + INDEX_LEN);
        aad.extend_from_slice(b"laissez/record/");
        aad.push(RECORD_FORMAT_VERSION);
        aad.extend_from_slice(&self.wallet_id);
        aad.extend_from_slice(id.as_bytes());
        aad.extend_from_slice(kind_index);
        aad
    }

    fn meta_aad(&self, name: &str) -> Vec<u8> {
        [
            b"laissez/meta/".as_slice(),
            name.as_bytes(),
            b"/",
            &self.wallet_id,
        ]
        .concat()
    }

    /// Seals a wallet-level secret (the canary, the seed) for the `wallet_meta` table.
    pub fn seal_meta(&self, name: &str, plaintext: &[u8]) -> StoreResult<Vec<u8>> {
        Ok(self.sealing.seal(plaintext, &self.meta_aad(name))?)
    }

    /// Opens what [`RecordCipher::seal_meta`] sealed; `None` when it does not authenticate.
    pub fn open_meta(&self, name: &str, sealed: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
        self.sealing.open(sealed, &self.meta_aad(name)).ok()
    }

    /// Seals a record for the `records` table.
    pub fn seal(
        &self,
        id: &RecordId,
        kind: &str,
        tags: &[Tag],
        body: &[u8],
        created_at: i64,
        updated_at: i64,
    ) -> StoreResult<Vec<u8>> {
        let plain = RecordPlain {
            k: kind.to_owned(),
            t: tags
                .iter()
                .map(|t| (t.name.clone(), t.value.clone()))
                .collect(),
            b: body.to_vec(),
            c: created_at,
            u: updated_at,
        };
        let mut encoded = Zeroizing::new(Vec::with_capacity(body.len() + 64));
        ciborium::into_writer(&plain, &mut *encoded)
            .map_err(|_| StoreError::Storage("could not encode a record".into()))?;
        Ok(self
            .sealing
            .seal(&encoded, &self.aad(id, &self.kind_index(kind)))?)
    }

    /// Opens a sealed row; any failure is an integrity error for that record alone.
    pub fn open(&self, id: RecordId, kind_index: &[u8], sealed: &[u8]) -> StoreResult<Record> {
        let integrity = || StoreError::RecordIntegrity { id: id.to_string() };
        let encoded = self
            .sealing
            .open(sealed, &self.aad(&id, kind_index))
            .map_err(|_| integrity())?;
        let mut plain: RecordPlain =
            ciborium::from_reader(encoded.as_slice()).map_err(|_| integrity())?;
        if self.kind_index(&plain.k) != kind_index {
            return Err(integrity());
        }
        Ok(Record {
            id,
            kind: std::mem::take(&mut plain.k),
            tags: std::mem::take(&mut plain.t)
                .into_iter()
                .map(|(name, value)| Tag { name, value })
                .collect(),
            body: Zeroizing::new(std::mem::take(&mut plain.b)),
            created_at: plain.c,
            updated_at: plain.u,
        })
    }
}
