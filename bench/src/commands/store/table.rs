//! The human-readable form of `laissez-bench store`: one row per figure, then the
//! comparison with plain SQLite.

use std::io::Write;

use super::StoreReport;
use crate::error::BenchResult;

/// Prints the encrypted store's rows (as `laissez bench store` did), then the comparison
/// with plain SQLite.
pub fn print(report: &StoreReport) -> BenchResult {
    let r = &report.laissez;
    let mut out = std::io::stdout().lock();
    let m = &r.machine;
    writeln!(
        out,
        "laissez {} store benchmark: {} records of {} B, {} tags | {} x {} | {} MiB RAM",
        r.version,
        r.records,
        r.value_bytes_avg,
        r.tags_per_record,
        m.nproc,
        m.cpu_model,
        m.mem_total_mib
    )?;
    let rows: Vec<(String, String)> = vec![
        (
            format!(
                "create wallet, Argon2id {} MiB t={} (ms)",
                r.kdf_phone.memory_kib / 1024,
                r.kdf_phone.iterations
            ),
            format!("{:.1}", r.create_phone_ms),
        ),
        (
            "create wallet, no real KDF (ms)".into(),
            format!("{:.1}", r.create_fast_ms),
        ),
        (
            "open + unlock + count, Argon2id (ms)".into(),
            format!("{:.1}", r.unlock_phone_ms),
        ),
        (
            "open + unlock + count, no real KDF (ms)".into(),
            format!("{:.1}", r.unlock_fast_ms),
        ),
        (
            "  ... forcing quick_check on open (ms)".into(),
            format!("{:.1}", r.unlock_fast_with_quick_check_ms),
        ),
        (
            format!("insert {} in 1 tx: total (ms)", r.records),
            format!("{:.0}", r.operations.insert_one_tx_total_ms),
        ),
        (
            "  ... per record (us)".into(),
            format!("{:.1}", r.operations.insert_one_tx_us_per_record),
        ),
        (
            format!(
                "insert {} 1 per tx: total (ms)",
                r.operations.insert_tx_each_records
            ),
            format!("{:.0}", r.operations.insert_tx_each_total_ms),
        ),
        (
            "  ... per tx median / p95 (us)".into(),
            format!(
                "{:.0} / {:.0}",
                r.operations.insert_tx_each_us, r.operations.insert_tx_each_p95_us
            ),
        ),
        (
            "get by id, hit: median / p95 (us)".into(),
            format!(
                "{:.1} / {:.1}",
                r.operations.get_hit_us, r.operations.get_hit_p95_us
            ),
        ),
        (
            "get by id, miss: median / p95 (us)".into(),
            format!(
                "{:.1} / {:.1}",
                r.operations.get_miss_us, r.operations.get_miss_p95_us
            ),
        ),
        (
            format!("tag query -> {} rows (us)", r.query_1pct_rows),
            format!("{:.0}", r.operations.query_1pct_us),
        ),
        (
            format!("tag query -> {} rows (us)", r.query_10pct_rows),
            format!("{:.0}", r.operations.query_10pct_us),
        ),
        (
            format!("2-tag AND query -> {} rows (us)", r.query_and_rows),
            format!("{:.0}", r.operations.query_and_us),
        ),
        (
            format!("count kind ({}) (us)", r.records),
            format!("{:.1}", r.operations.count_all_us),
        ),
        (
            format!("count with tag ({}) (us)", r.query_10pct_rows),
            format!("{:.1}", r.operations.count_tag_10pct_us),
        ),
        (
            format!("count with tag ({}) (us)", r.query_1pct_rows),
            format!("{:.1}", r.operations.count_tag_1pct_us),
        ),
        (
            "count empty kind (us)".into(),
            format!("{:.1}", r.operations.count_empty_kind_us),
        ),
        (
            format!("rekey {} records (ms)", r.records),
            format!("{:.0}", r.rekey_ms),
        ),
        (
            "size open: db + wal + shm (MB)".into(),
            format!("{:.1}", r.size_open.total as f64 / 1e6),
        ),
        (
            "size closed: db + wal + shm (MB)".into(),
            format!("{:.1}", r.size_closed.total as f64 / 1e6),
        ),
    ];
    let width = rows.iter().map(|(label, _)| label.len()).max().unwrap_or(0) + 2;
    for (label, value) in rows {
        writeln!(out, "{label:<width$}{value:>14}")?;
    }
    print_baseline(&mut out, report)
}

/// The second table: each operation in both stores and our cost as a multiple of SQLite's.
fn print_baseline(out: &mut impl Write, report: &StoreReport) -> BenchResult {
    let (r, p, x) = (
        &report.laissez,
        &report.plain_sqlite,
        &report.ratio_to_plain_sqlite,
    );
    writeln!(
        out,
        "\nagainst plain SQLite {} (no encryption, no blind indexes), medians:",
        p.sqlite_version
    )?;
    let rows: [(String, f64, f64, f64); 13] = [
        (
            "insert in 1 tx, per record (us)".into(),
            r.operations.insert_one_tx_us_per_record,
            p.operations.insert_one_tx_us_per_record,
            x.insert_one_tx,
        ),
        (
            "insert 1 per tx (us)".into(),
            r.operations.insert_tx_each_us,
            p.operations.insert_tx_each_us,
            x.insert_tx_each,
        ),
        (
            "get by id, hit (us)".into(),
            r.operations.get_hit_us,
            p.operations.get_hit_us,
            x.get_hit,
        ),
        (
            "get by id, miss (us)".into(),
            r.operations.get_miss_us,
            p.operations.get_miss_us,
            x.get_miss,
        ),
        (
            format!("tag query -> {} rows (us)", r.query_1pct_rows),
            r.operations.query_1pct_us,
            p.operations.query_1pct_us,
            x.query_1pct,
        ),
        (
            format!("tag query -> {} rows (us)", r.query_10pct_rows),
            r.operations.query_10pct_us,
            p.operations.query_10pct_us,
            x.query_10pct,
        ),
        (
            format!("2-tag AND query -> {} rows (us)", r.query_and_rows),
            r.operations.query_and_us,
            p.operations.query_and_us,
            x.query_and,
        ),
        (
            format!("count kind ({}) (us)", r.records),
            r.operations.count_all_us,
            p.operations.count_all_us,
            x.count_all,
        ),
        (
            format!("count with tag ({}) (us)", r.query_10pct_rows),
            r.operations.count_tag_10pct_us,
            p.operations.count_tag_10pct_us,
            x.count_tag_10pct,
        ),
        (
            format!("count with tag ({}) (us)", r.query_1pct_rows),
            r.operations.count_tag_1pct_us,
            p.operations.count_tag_1pct_us,
            x.count_tag_1pct,
        ),
        (
            "count empty kind (us)".into(),
            r.operations.count_empty_kind_us,
            p.operations.count_empty_kind_us,
            x.count_empty_kind,
        ),
        (
            "open + (unlock +) count (ms)".into(),
            r.unlock_fast_ms,
            p.open_ms,
            x.open,
        ),
        (
            "size closed (MB)".into(),
            r.size_closed.total as f64 / 1e6,
            p.size_closed.total as f64 / 1e6,
            x.size_closed,
        ),
    ];
    let width = rows.iter().map(|row| row.0.len()).max().unwrap_or(0) + 2;
    writeln!(
        out,
        "{:<width$}{:>12}{:>12}{:>10}",
        "operation", "laissez", "sqlite", "ratio"
    )?;
    for (label, ours, plain, ratio) in rows {
        writeln!(out, "{label:<width$}{ours:>12.1}{plain:>12.1}{ratio:>9.1}x")?;
    }
    Ok(())
}
