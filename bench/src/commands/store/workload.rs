//! What `laissez-bench store` asks of a store, the same for the encrypted store and for the
//! plain-SQLite baseline: which records are read by id, which ids miss, the tag queries and
//! the counts, each with the answer it must give.

use std::time::Duration;

use wallet_core::store::Tag;

use super::expect;
use crate::data::{self, ISSUERS, KIND, SCHEMAS, SplitMix64};
use crate::error::{BenchError, BenchResult};
use crate::stats::{median, p95, timed};

/// Random gets by id (hits), as the peer.
const GET_HITS: usize = 2_000;
/// Gets of ids that do not exist, as the peer.
const GET_MISSES: usize = 500;
/// Most records inserted one transaction each.
const MAX_TX_EACH: usize = 1_000;

/// A tag-equality query, repeated, every page read and every body checked.
pub struct TagQuery {
    /// Repetitions (the median is over these).
    pub reps: usize,
    /// Rows every repetition must return.
    pub rows: usize,
    /// The tags of repetition `j` (AND of all).
    pub tags: fn(usize) -> Vec<Tag>,
}

/// The three tag queries of the peer's script.
pub struct TagQueries {
    /// `issuer_did` equality: 1 % of the records.
    pub one_pct: TagQuery,
    /// `schema_id` equality: 10 % of the records.
    pub ten_pct: TagQuery,
    /// `schema_id` AND `state = revoked`: 5 % of the records.
    pub and: TagQuery,
}

/// The tag queries for `n` records.
pub fn tag_queries(n: usize) -> TagQueries {
    TagQueries {
        one_pct: TagQuery {
            reps: 20,
            rows: n / ISSUERS,
            tags: |j| vec![data::issuer_tag((j * 7) % ISSUERS)],
        },
        ten_pct: TagQuery {
            reps: 5,
            rows: n / SCHEMAS,
            tags: |j| vec![data::schema_tag(j % SCHEMAS)],
        },
        and: TagQuery {
            reps: 10,
            rows: n / 20,
            tags: |j| {
                vec![
                    data::schema_tag((2 * j) % SCHEMAS),
                    Tag::new("state", "revoked"),
                ]
            },
        },
    }
}

/// A count, repeated.
pub struct CountQuery {
    /// The kind counted.
    pub kind: &'static str,
    /// Tags every counted record carries.
    pub tags: Vec<Tag>,
    /// The count it must give.
    pub expected: u64,
    /// Repetitions (the median is over these).
    pub reps: usize,
}

/// The four counts: the whole kind, a tag matching 10 %, one matching 1 %, an empty kind.
pub struct CountQueries {
    /// Every record of the kind.
    pub all: CountQuery,
    /// With a tag matching 10 %.
    pub tag_10pct: CountQuery,
    /// With a tag matching 1 %.
    pub tag_1pct: CountQuery,
    /// A kind with no records.
    pub empty_kind: CountQuery,
}

/// The counts for `n` records.
pub fn count_queries(n: usize) -> CountQueries {
    let count = |kind, tags, expected: usize, reps| CountQuery {
        kind,
        tags,
        expected: expected as u64,
        reps,
    };
    CountQueries {
        all: count(KIND, vec![], n, 20),
        tag_10pct: count(KIND, vec![data::schema_tag(3)], n / SCHEMAS, 20),
        tag_1pct: count(KIND, vec![data::issuer_tag(42)], n / ISSUERS, 20),
        empty_kind: count("no-such-kind", vec![], 0, 50),
    }
}

/// The count after opening a store: every record of schema 0.
pub fn open_count(n: usize) -> CountQuery {
    CountQuery {
        kind: KIND,
        tags: vec![data::schema_tag(0)],
        expected: (n / SCHEMAS) as u64,
        reps: 1,
    }
}

/// The records read by id, by their index in insertion order.
pub fn hit_indices(n: usize) -> Vec<usize> {
    let mut rng = SplitMix64::new(7);
    (0..GET_HITS.min(n)).map(|_| rng.below(n)).collect()
}

/// Random 128-bit ids no record has.
pub fn miss_ids() -> Vec<[u8; 16]> {
    let mut rng = SplitMix64::new(11);
    (0..GET_MISSES).map(|_| random_id(&mut rng)).collect()
}

/// A random 128-bit id.
pub fn random_id(rng: &mut SplitMix64) -> [u8; 16] {
    let mut id = [0; 16];
    id[..8].copy_from_slice(&rng.next_u64().to_be_bytes());
    id[8..].copy_from_slice(&rng.next_u64().to_be_bytes());
    id
}

/// Records inserted one transaction each: a tenth, at most [`MAX_TX_EACH`].
pub fn tx_each(n: usize) -> usize {
    (n / 10).clamp(1, MAX_TX_EACH)
}

/// One page as the workload sees it: the length of each body read, and where the next page
/// starts.
pub struct BodyPage<C> {
    /// The length of each body on the page.
    pub body_lens: Vec<usize>,
    /// Where the next page starts, if there may be more.
    pub next: Option<C>,
}

/// A store the workload runs on: the encrypted store or the plain-SQLite baseline.
pub trait WorkloadStore {
    /// Where the next page starts.
    type Cursor;
    /// The store's own error.
    type Error: Into<BenchError>;

    /// One page of the records of [`KIND`] carrying every tag, as the store pages them: the
    /// length of each body read, and where the next page starts.
    fn page(
        &self,
        tags: &[Tag],
        after: Option<Self::Cursor>,
    ) -> Result<BodyPage<Self::Cursor>, Self::Error>;

    /// How many records of `kind` carry every tag.
    fn count_tagged(&self, kind: &str, tags: &[Tag]) -> Result<u64, Self::Error>;

    /// Every page: the length of each body read.
    fn find_all(&self, tags: &[Tag]) -> Result<Vec<usize>, Self::Error> {
        let mut rows = Vec::new();
        let mut after = None;
        loop {
            let page = self.page(tags, after)?;
            rows.extend(page.body_lens);
            match page.next {
                Some(next) => after = Some(next),
                None => return Ok(rows),
            }
        }
    }
}

/// Times the query's repetitions, each paged to the end; checks the rows and the bodies.
/// The median and the 95th percentile.
pub fn time_query<S: WorkloadStore>(
    store: &S,
    query: &TagQuery,
) -> BenchResult<(Duration, Duration)> {
    let mut times = Vec::new();
    for j in 0..query.reps {
        let tags = (query.tags)(j);
        let (rows, t) = timed(|| store.find_all(&tags));
        let rows = rows.map_err(Into::into)?;
        expect(rows.len() == query.rows, "tag query row count")?;
        expect(rows.iter().all(|len| *len > 0), "tag query bodies read")?;
        times.push(t);
    }
    Ok((median(&times), p95(&times)))
}

/// Times the count's repetitions, each checked; the median.
pub fn time_count<S: WorkloadStore>(store: &S, count: &CountQuery) -> BenchResult<Duration> {
    let mut times = Vec::new();
    for _ in 0..count.reps {
        let (c, t) = timed(|| store.count_tagged(count.kind, &count.tags));
        expect(c.map_err(Into::into)? == count.expected, "count")?;
        times.push(t);
    }
    Ok(median(&times))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn miss_ids_are_the_hex_the_peer_used() {
        // The ids were `format!("{:016x}{:016x}", next, next)`: the same bytes, big-endian.
        let mut rng = SplitMix64::new(11);
        let text = format!("{:016x}{:016x}", rng.next_u64(), rng.next_u64());
        assert_eq!(hex::encode(miss_ids()[0]), text);
        assert_eq!(hit_indices(100).len(), 100);
        assert_eq!(tx_each(200), 20);
    }
}
