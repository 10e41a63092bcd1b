//! Which entries of the issuer's Token Status Lists are in use, and by which credential.
//!
//! Every copy of a batch gets its own status index, drawn at random without repetition from
//! the list's size: consecutive indexes would let verifiers who compare notes link the
//! copies (and guess the order of issuance). The issuer keeps, per list, its URI, its size
//! and for each credential id the indexes of its copies, so revoking a credential revokes
//! every copy. Nothing personal is kept: ids are chosen by the issuer (random by default).
//! The CLI keeps it as `status-allocations.json` in the issuer folder (ADR 0017).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::error::{IssuerError, io};
use laissez_formats::sdjwt::StatusReference;

/// The file name of the allocations in an issuer folder.
pub const ALLOCATIONS_FILE: &str = "status-allocations.json";
/// The largest list size accepted (Token Status Lists of a million entries stay small).
pub const MAX_LIST_SIZE: u32 = 1_000_000;
/// The longest credential id accepted.
pub const MAX_CREDENTIAL_ID_LEN: usize = 128;
/// Random draws tried before picking among the free entries directly.
const RANDOM_TRIES: u32 = 64;

/// The entries in use in one status list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusAllocator {
    uri: String,
    size: u32,
    /// Credential id → the indexes of its copies, in the order of its copies.
    credentials: BTreeMap<String, Vec<u32>>,
}

impl StatusAllocator {
    /// A list at `uri` with `size` entries, none in use.
    pub fn new(uri: &str, size: u32) -> Result<Self, IssuerError> {
        if uri.is_empty() || size == 0 || size > MAX_LIST_SIZE {
            return Err(IssuerError::InvalidInput(format!(
                "a status list needs a URI and 1 to {MAX_LIST_SIZE} entries"
            )));
        }
        Ok(Self {
            uri: uri.to_owned(),
            size,
            credentials: BTreeMap::new(),
        })
    }

    /// The list's URI.
    pub fn uri(&self) -> &str {
        &self.uri
    }

    /// How many entries the list has.
    pub fn size(&self) -> u32 {
        self.size
    }

    /// Every index in use.
    pub fn used(&self) -> BTreeSet<u32> {
        self.credentials.values().flatten().copied().collect()
    }

    /// The indexes of `credential_id`'s copies, if it has any here.
    pub fn indexes_of(&self, credential_id: &str) -> Option<&[u32]> {
        self.credentials.get(credential_id).map(Vec::as_slice)
    }

    /// Every credential id with indexes here.
    pub fn credential_ids(&self) -> impl Iterator<Item = &str> {
        self.credentials.keys().map(String::as_str)
    }

    /// Draws `count` unused indexes at random for the copies of `credential_id` and records
    /// them; returns them as status references. An id already used gets more indexes (more
    /// copies of the same credential, issued later).
    pub fn allocate(
        &mut self,
        credential_id: &str,
        count: usize,
    ) -> Result<Vec<StatusReference>, IssuerError> {
        if credential_id.is_empty() || credential_id.len() > MAX_CREDENTIAL_ID_LEN {
            return Err(IssuerError::InvalidInput(format!(
                "a credential id must be 1 to {MAX_CREDENTIAL_ID_LEN} bytes"
            )));
        }
        let mut used = self.used();
        let free = u64::from(self.size).saturating_sub(used.len() as u64);
        if count as u64 > free {
            return Err(IssuerError::InvalidInput(format!(
                "the status list {} has {free} free entries, {count} needed: publish a larger \
                 or a new list",
                self.uri
            )));
        }
        let mut drawn = Vec::with_capacity(count);
        for _ in 0..count {
            let index = self.draw(&used)?;
            used.insert(index);
            drawn.push(index);
        }
        self.credentials
            .entry(credential_id.to_owned())
            .or_default()
            .extend(&drawn);
        Ok(drawn
            .into_iter()
            .map(|index| StatusReference {
                index: u64::from(index),
                uri: self.uri.clone(),
            })
            .collect())
    }

    /// One unused index, uniformly at random: random draws while the list is mostly free,
    /// then the n-th free entry for a random n.
    fn draw(&self, used: &BTreeSet<u32>) -> Result<u32, IssuerError> {
        for _ in 0..RANDOM_TRIES {
            let index = uniform(self.size)?;
            if !used.contains(&index) {
                return Ok(index);
            }
        }
        let free = self.size - u32::try_from(used.len()).unwrap_or(self.size);
        let nth = uniform(free)?;
        (0..self.size)
            .filter(|i| !used.contains(i))
            .nth(nth as usize)
            .ok_or_else(|| IssuerError::InvalidInput("the status list is full".into()))
    }

    fn check(&self) -> Result<(), IssuerError> {
        Self::new(&self.uri, self.size)?;
        let mut seen = BTreeSet::new();
        for index in self.credentials.values().flatten() {
            if *index >= self.size || !seen.insert(*index) {
                return Err(IssuerError::InvalidInput(format!(
                    "the allocations of {} are damaged (an index out of range or used twice)",
                    self.uri
                )));
            }
        }
        Ok(())
    }
}

/// A uniform random number below `bound` (rejection sampling, no modulo bias).
fn uniform(bound: u32) -> Result<u32, IssuerError> {
    if bound == 0 {
        return Err(IssuerError::InvalidInput("the status list is full".into()));
    }
    let zone = u32::MAX - (u32::MAX % bound);
    loop {
        let bytes = laissez_crypto::random::bytes::<4>()
            .map_err(|e| IssuerError::Issue(format!("no randomness: {e}")))?;
        let value = u32::from_be_bytes(bytes);
        if value < zone {
            return Ok(value % bound);
        }
    }
}

/// The allocations of all of an issuer's status lists (its `status-allocations.json`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusAllocations {
    /// One entry per list.
    pub lists: Vec<StatusAllocator>,
}

impl StatusAllocations {
    /// The allocations kept in `dir` (none when the file does not exist yet).
    pub fn load(dir: &Path) -> Result<Self, IssuerError> {
        let path = dir.join(ALLOCATIONS_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Self::default()),
            Err(e) => return Err(io(ALLOCATIONS_FILE)(e)),
        };
        let parsed: Self = serde_json::from_str(&text).map_err(|e| {
            IssuerError::InvalidInput(format!("{ALLOCATIONS_FILE} is unreadable: {e}"))
        })?;
        let mut uris = BTreeSet::new();
        for list in &parsed.lists {
            list.check()?;
            if !uris.insert(list.uri.as_str()) {
                return Err(IssuerError::InvalidInput(format!(
                    "{ALLOCATIONS_FILE} names the list {} twice",
                    list.uri
                )));
            }
        }
        Ok(parsed)
    }

    /// Writes the allocations to `dir` (a new file, then renamed over the old one).
    pub fn save(&self, dir: &Path) -> Result<(), IssuerError> {
        let text = serde_json::to_string_pretty(self)
            .map_err(|e| IssuerError::Issue(format!("could not encode the allocations: {e}")))?;
        let path = dir.join(ALLOCATIONS_FILE);
        let partial = dir.join(format!("{ALLOCATIONS_FILE}.partial"));
        std::fs::write(&partial, text.as_bytes()).map_err(io(ALLOCATIONS_FILE))?;
        std::fs::rename(&partial, &path).map_err(io(ALLOCATIONS_FILE))
    }

    /// The list at `uri`, if allocations were made in it.
    pub fn list(&self, uri: &str) -> Option<&StatusAllocator> {
        self.lists.iter().find(|l| l.uri == uri)
    }

    /// The list at `uri`, made with `size` entries when new; an existing list must have that
    /// size.
    pub fn list_mut(&mut self, uri: &str, size: u32) -> Result<&mut StatusAllocator, IssuerError> {
        let position = match self.lists.iter().position(|l| l.uri == uri) {
            Some(position) => position,
            None => {
                self.lists.push(StatusAllocator::new(uri, size)?);
                self.lists.len() - 1
            }
        };
        let list = self
            .lists
            .get_mut(position)
            .ok_or_else(|| IssuerError::InvalidInput("no such status list".into()))?;
        if list.size != size {
            return Err(IssuerError::InvalidInput(format!(
                "the status list {uri} has {} entries, not {size}",
                list.size
            )));
        }
        Ok(list)
    }
}

/// A fresh random credential id (16 hex digits), for an issuer that gives none.
pub fn new_credential_id() -> Result<String, IssuerError> {
    let bytes = laissez_crypto::random::bytes::<8>()
        .map_err(|e| IssuerError::Issue(format!("no randomness: {e}")))?;
    Ok(hex::encode(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indexes_are_distinct_in_range_and_recorded_per_credential() {
        let mut list = StatusAllocator::new("https://desk.example/status/1", 64).unwrap();
        let first = list.allocate("a", 10).unwrap();
        let second = list.allocate("b", 54).unwrap();
        let all: BTreeSet<u64> = first.iter().chain(&second).map(|r| r.index).collect();
        assert_eq!(all.len(), 64);
        assert!(all.iter().all(|i| *i < 64));
        assert_eq!(list.indexes_of("a").unwrap().len(), 10);
        assert_eq!(list.used().len(), 64);
        // Full: refused, nothing recorded.
        assert!(list.allocate("c", 1).is_err());
        assert_eq!(list.indexes_of("c"), None);
        assert!(list.allocate("", 1).is_err());
    }

    #[test]
    fn indexes_are_random_not_consecutive() {
        // Ten draws from a million entries are consecutive with negligible probability.
        let mut list = StatusAllocator::new("u", MAX_LIST_SIZE).unwrap();
        let refs = list.allocate("a", 10).unwrap();
        let consecutive = refs.windows(2).all(|w| w[1].index == w[0].index + 1);
        assert!(!consecutive, "{refs:?}");
        let mut other = StatusAllocator::new("u", MAX_LIST_SIZE).unwrap();
        assert_ne!(other.allocate("a", 10).unwrap(), refs);
    }

    #[test]
    fn allocations_save_load_and_refuse_damage() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            StatusAllocations::load(dir.path()).unwrap(),
            StatusAllocations::default()
        );
        let mut all = StatusAllocations::default();
        all.list_mut("u", 100).unwrap().allocate("id-1", 3).unwrap();
        assert!(all.list_mut("u", 200).is_err());
        all.save(dir.path()).unwrap();
        let loaded = StatusAllocations::load(dir.path()).unwrap();
        assert_eq!(loaded, all);
        let text = std::fs::read_to_string(dir.path().join(ALLOCATIONS_FILE)).unwrap();
        let damaged = text.replacen("100", "1", 1);
        std::fs::write(dir.path().join(ALLOCATIONS_FILE), damaged).unwrap();
        assert!(StatusAllocations::load(dir.path()).is_err());
        std::fs::write(dir.path().join(ALLOCATIONS_FILE), "{").unwrap();
        assert!(StatusAllocations::load(dir.path()).is_err());
    }
}
