//! Our cost as a multiple of plain SQLite's: the encrypted store's figure divided by the
//! baseline's, per operation. Above 1 the encrypted store costs more; 1 is the limit.

use serde::Serialize;

use super::StoreBench;
use super::plain_sqlite::PlainSqliteBench;

/// Laissez ÷ plain SQLite, per operation (medians; sizes for `size_closed`).
#[derive(Debug, Serialize)]
pub struct Ratios {
    /// Insert all records in one transaction, per record.
    pub insert_one_tx: f64,
    /// Insert one record per transaction.
    pub insert_tx_each: f64,
    /// Get by id, existing.
    pub get_hit: f64,
    /// Get by id, not existing.
    pub get_miss: f64,
    /// Tag query returning 1 % of the records, all pages, bodies read.
    pub query_1pct: f64,
    /// Tag query returning 10 %.
    pub query_10pct: f64,
    /// Two-tag AND query.
    pub query_and: f64,
    /// Count every record of the kind.
    pub count_all: f64,
    /// Count with a tag matching 10 %.
    pub count_tag_10pct: f64,
    /// Count with a tag matching 1 %.
    pub count_tag_1pct: f64,
    /// Count a kind that has no records.
    pub count_empty_kind: f64,
    /// Open, unlock without a real KDF and one tag count, against open and one tag count.
    pub open: f64,
    /// Bytes on disk after closing (db + wal + shm).
    pub size_closed: f64,
}

impl Ratios {
    /// The ratios of `ours` to `plain`.
    pub fn of(laissez: &StoreBench, plain_sqlite: &PlainSqliteBench) -> Self {
        let (ours, plain) = (&laissez.operations, &plain_sqlite.operations);
        Self {
            insert_one_tx: ratio(
                ours.insert_one_tx_us_per_record,
                plain.insert_one_tx_us_per_record,
            ),
            insert_tx_each: ratio(ours.insert_tx_each_us, plain.insert_tx_each_us),
            get_hit: ratio(ours.get_hit_us, plain.get_hit_us),
            get_miss: ratio(ours.get_miss_us, plain.get_miss_us),
            query_1pct: ratio(ours.query_1pct_us, plain.query_1pct_us),
            query_10pct: ratio(ours.query_10pct_us, plain.query_10pct_us),
            query_and: ratio(ours.query_and_us, plain.query_and_us),
            count_all: ratio(ours.count_all_us, plain.count_all_us),
            count_tag_10pct: ratio(ours.count_tag_10pct_us, plain.count_tag_10pct_us),
            count_tag_1pct: ratio(ours.count_tag_1pct_us, plain.count_tag_1pct_us),
            count_empty_kind: ratio(ours.count_empty_kind_us, plain.count_empty_kind_us),
            open: ratio(laissez.unlock_fast_ms, plain_sqlite.open_ms),
            size_closed: ratio(
                laissez.size_closed.total as f64,
                plain_sqlite.size_closed.total as f64,
            ),
        }
    }
}

/// `ours / plain`, rounded to two decimals; 0 when the baseline took no measurable time
/// (JSON has no infinity).
fn ratio(ours: f64, plain: f64) -> f64 {
    if plain > 0.0 {
        (ours / plain * 100.0).round() / 100.0
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::ratio;

    #[test]
    fn ratios_are_ours_over_plain_rounded() {
        assert_eq!(ratio(24.7, 5.0), 4.94);
        assert_eq!(ratio(1.0, 3.0), 0.33);
        assert_eq!(ratio(1.0, 0.0), 0.0);
    }
}
