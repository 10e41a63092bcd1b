//! The backup file format, version 1. Nothing personal is readable without the 24 words.
//!
//! ```text
//! "LZBK"            4 bytes, magic
//! version           1 byte (1)
//! header length     2 bytes, big endian
//! header            CBOR map, clear but authenticated:
//!                     1: created at (Unix seconds)
//!                     2: record counts {1: credentials, 2: holder keys, 3: disclosures, 4: other}
//!                     3: key check (8 bytes: tells "other 24 words" from "damaged")
//! sealed            AES-256-GCM of deflate(CBOR records) under the backup key, AAD = all of
//!                   the above: 1 byte algorithm (1), 12-byte random nonce, ciphertext, tag
//! ```
//!
//! Records: CBOR array of `[kind, [[tag name, tag value]...], body bytes, created at]`, oldest
//! first. The backup key and the key check are derived from the BIP39 seed with HKDF-SHA256
//! (labels `laissez/v1/backup-key` and `laissez/v1/backup-check`).

use ciborium::Value;

use super::error::{BackupError, BackupResult};

/// The magic bytes.
pub const MAGIC: &[u8; 4] = b"LZBK";
/// The format version written and read.
pub const VERSION: u8 = 1;
/// Largest header accepted.
const MAX_HEADER: usize = 1_024;
/// Largest backup accepted (about 40,000 credentials).
pub const MAX_BACKUP_BYTES: usize = 128 * 1024 * 1024;

/// How many records of each sort a backup holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RecordCounts {
    /// Credentials.
    pub credentials: u64,
    /// Holder key records (the keys themselves are re-derived from the 24 words).
    pub holder_keys: u64,
    /// Disclosure history entries.
    pub disclosures: u64,
    /// Everything else (notes, attestations, a verifier's lists and log).
    pub other: u64,
}

impl RecordCounts {
    /// All records.
    pub fn total(&self) -> u64 {
        self.credentials + self.holder_keys + self.disclosures + self.other
    }
}

/// What a backup says about itself without the 24 words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupHeader {
    /// Format version.
    pub version: u8,
    /// When it was made, Unix seconds.
    pub created_at: i64,
    /// What it holds.
    pub counts: RecordCounts,
    /// Key check value.
    pub key_check: [u8; 8],
}

/// A parsed backup: header, the bytes it authenticates and the sealed records.
pub struct Parsed<'a> {
    /// The header.
    pub header: BackupHeader,
    /// Everything before the sealed part (the AEAD's associated data).
    pub aad: &'a [u8],
    /// The sealed records.
    pub sealed: &'a [u8],
}

fn int(v: i64) -> Value {
    Value::Integer(v.into())
}

/// The clear part: magic, version, header.
pub fn prefix(header: &BackupHeader) -> BackupResult<Vec<u8>> {
    let c = &header.counts;
    let map = Value::Map(vec![
        (int(1), int(header.created_at)),
        (
            int(2),
            Value::Map(vec![
                (int(1), Value::Integer(c.credentials.into())),
                (int(2), Value::Integer(c.holder_keys.into())),
                (int(3), Value::Integer(c.disclosures.into())),
                (int(4), Value::Integer(c.other.into())),
            ]),
        ),
        (int(3), Value::Bytes(header.key_check.to_vec())),
    ]);
    let mut encoded = Vec::new();
    ciborium::into_writer(&map, &mut encoded).map_err(|_| BackupError::TooLarge("header"))?;
    let len = u16::try_from(encoded.len()).map_err(|_| BackupError::TooLarge("header"))?;
    let mut out = Vec::with_capacity(7 + encoded.len());
    out.extend_from_slice(MAGIC);
    out.push(header.version);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(&encoded);
    Ok(out)
}

fn field(entries: &[(Value, Value)], key: i64) -> Option<&Value> {
    entries
        .iter()
        .find(|(k, _)| matches!(k, Value::Integer(i) if i128::from(*i) == i128::from(key)))
        .map(|(_, v)| v)
}

fn uint(value: Option<&Value>) -> BackupResult<u64> {
    match value {
        Some(Value::Integer(i)) => u64::try_from(*i).map_err(|_| BackupError::Damaged),
        _ => Err(BackupError::Damaged),
    }
}

/// Splits a backup into its parts, checking magic, version and lengths (not the seal).
pub fn parse(bytes: &[u8]) -> BackupResult<Parsed<'_>> {
    if bytes.len() > MAX_BACKUP_BYTES {
        return Err(BackupError::TooLarge("backup"));
    }
    let magic = bytes.get(..4).ok_or(if bytes.is_empty() {
        BackupError::NotABackup
    } else {
        BackupError::Truncated
    })?;
    if magic != MAGIC {
        return Err(BackupError::NotABackup);
    }
    let version = *bytes.get(4).ok_or(BackupError::Truncated)?;
    match version {
        VERSION => {}
        newer if newer > VERSION => return Err(BackupError::UnsupportedVersion(newer)),
        unknown => return Err(BackupError::UnknownVersion(unknown)),
    }
    let len = bytes.get(5..7).ok_or(BackupError::Truncated)?;
    let len = usize::from(u16::from_be_bytes([len[0], len[1]]));
    if len > MAX_HEADER {
        return Err(BackupError::Damaged);
    }
    let header_end = 7 + len;
    let encoded = bytes.get(7..header_end).ok_or(BackupError::Truncated)?;
    let sealed = &bytes[header_end..];
    if sealed.len() < laissez_crypto::aead::OVERHEAD {
        return Err(BackupError::Truncated);
    }
    let Ok(Value::Map(entries)) = ciborium::from_reader::<Value, _>(encoded) else {
        return Err(BackupError::Damaged);
    };
    let Some(Value::Map(counts)) = field(&entries, 2) else {
        return Err(BackupError::Damaged);
    };
    let key_check = match field(&entries, 3) {
        Some(Value::Bytes(b)) => {
            <[u8; 8]>::try_from(b.as_slice()).map_err(|_| BackupError::Damaged)?
        }
        _ => return Err(BackupError::Damaged),
    };
    let created_at = match field(&entries, 1) {
        Some(Value::Integer(i)) => i64::try_from(*i).map_err(|_| BackupError::Damaged)?,
        _ => return Err(BackupError::Damaged),
    };
    Ok(Parsed {
        header: BackupHeader {
            version,
            created_at,
            counts: RecordCounts {
                credentials: uint(field(counts, 1))?,
                holder_keys: uint(field(counts, 2))?,
                disclosures: uint(field(counts, 3))?,
                other: uint(field(counts, 4))?,
            },
            key_check,
        },
        aad: &bytes[..header_end],
        sealed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A well-formed prefix and a sealed part of the smallest size, with `version`.
    fn backup_with_version(version: u8) -> Vec<u8> {
        let header = BackupHeader {
            version,
            created_at: 0,
            counts: RecordCounts::default(),
            key_check: [0; 8],
        };
        let mut bytes = prefix(&header).unwrap();
        bytes.extend_from_slice(&[0; crate::crypto::aead::OVERHEAD]);
        bytes
    }

    #[test]
    fn version_zero_is_unknown_not_newer() {
        let err = parse(&backup_with_version(0)).err().unwrap();
        assert!(matches!(err, BackupError::UnknownVersion(0)), "{err:?}");
        let message = err.to_string();
        assert!(message.contains("version 0"), "{message}");
        assert!(message.contains("no Laissez app writes"), "{message}");
        assert!(!message.contains("newer"), "{message}");
    }

    #[test]
    fn a_later_version_is_newer() {
        let err = parse(&backup_with_version(VERSION + 1)).err().unwrap();
        assert!(matches!(err, BackupError::UnsupportedVersion(2)), "{err:?}");
        assert!(err.to_string().contains("newer than this app reads"));
        assert!(parse(&backup_with_version(VERSION)).is_ok());
    }
}
