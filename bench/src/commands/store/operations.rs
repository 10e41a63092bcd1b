//! The per-operation figures both stores report under the same names: inserts, gets, tag
//! queries and counts, from the raw samples of one run.

use std::time::Duration;

use serde::Serialize;

use crate::stats::{median, ms, p95, us};

/// Inserts, gets, tag queries and counts. Times are medians in microseconds unless the name
/// says `p95`, `total` or `ms`.
#[derive(Debug, Serialize)]
pub struct OperationTimes {
    /// Insert all records in one transaction (`put_many`): total (ms).
    pub insert_one_tx_total_ms: f64,
    /// ... per record (us).
    pub insert_one_tx_us_per_record: f64,
    /// Records inserted one transaction each (`put`).
    pub insert_tx_each_records: usize,
    /// ... total (ms).
    pub insert_tx_each_total_ms: f64,
    /// ... per transaction, median (us).
    pub insert_tx_each_us: f64,
    /// ... per transaction, p95 (us).
    pub insert_tx_each_p95_us: f64,
    /// Get by id, existing (median us).
    pub get_hit_us: f64,
    /// ... p95 (us).
    pub get_hit_p95_us: f64,
    /// Get by id, not existing (median us).
    pub get_miss_us: f64,
    /// ... p95 (us).
    pub get_miss_p95_us: f64,
    /// Tag-equality query returning 1 % of the records, all pages, decrypted (median us).
    pub query_1pct_us: f64,
    /// ... p95 (us).
    pub query_1pct_p95_us: f64,
    /// Tag-equality query returning 10 % of the records (median us).
    pub query_10pct_us: f64,
    /// ... p95 (us).
    pub query_10pct_p95_us: f64,
    /// Two-tag AND query (median us).
    pub query_and_us: f64,
    /// ... p95 (us).
    pub query_and_p95_us: f64,
    /// Count every record of the kind (median us).
    pub count_all_us: f64,
    /// Count with a tag matching 10 % (median us).
    pub count_tag_10pct_us: f64,
    /// Count with a tag matching 1 % (median us).
    pub count_tag_1pct_us: f64,
    /// Count a kind that has no records (median us).
    pub count_empty_kind_us: f64,
}

/// The raw samples of one run of the workload.
pub struct Samples<'a> {
    /// Records in the store.
    pub records: usize,
    /// The bulk insert of every record in one transaction (median of the repetitions).
    pub insert_one_tx: Duration,
    /// All the one-per-transaction inserts.
    pub tx_each_total: Duration,
    /// Each one-per-transaction insert.
    pub tx_each: &'a [Duration],
    /// Each get by id that hits.
    pub get_hits: &'a [Duration],
    /// Each get by id that misses.
    pub get_misses: &'a [Duration],
    /// (median, p95) of the 1 %, 10 % and AND tag queries.
    pub queries: [(Duration, Duration); 3],
    /// Medians of the counts: all, tag 10 %, tag 1 %, empty kind.
    pub counts: [Duration; 4],
}

impl From<&Samples<'_>> for OperationTimes {
    fn from(s: &Samples<'_>) -> Self {
        let [q1, q10, qand] = s.queries;
        let [count_all, count_10, count_1, count_empty] = s.counts;
        Self {
            insert_one_tx_total_ms: ms(s.insert_one_tx),
            insert_one_tx_us_per_record: us(s.insert_one_tx) / s.records.max(1) as f64,
            insert_tx_each_records: s.tx_each.len(),
            insert_tx_each_total_ms: ms(s.tx_each_total),
            insert_tx_each_us: us(median(s.tx_each)),
            insert_tx_each_p95_us: us(p95(s.tx_each)),
            get_hit_us: us(median(s.get_hits)),
            get_hit_p95_us: us(p95(s.get_hits)),
            get_miss_us: us(median(s.get_misses)),
            get_miss_p95_us: us(p95(s.get_misses)),
            query_1pct_us: us(q1.0),
            query_1pct_p95_us: us(q1.1),
            query_10pct_us: us(q10.0),
            query_10pct_p95_us: us(q10.1),
            query_and_us: us(qand.0),
            query_and_p95_us: us(qand.1),
            count_all_us: us(count_all),
            count_tag_10pct_us: us(count_10),
            count_tag_1pct_us: us(count_1),
            count_empty_kind_us: us(count_empty),
        }
    }
}
