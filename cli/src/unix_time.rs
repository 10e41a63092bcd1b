//! The current time and how times are printed: Unix seconds in, UTC text out.

use wallet_core::clock::{Clock, SystemClock, utc_date_time};

/// Now, in Unix seconds.
pub fn now() -> i64 {
    SystemClock.now_unix()
}

/// `2026-11-23 05:27:00 UTC` for a Unix time.
pub fn utc_text(unix: i64) -> String {
    let date = utc_date_time(unix);
    let secs = date.seconds_of_day;
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02} UTC",
        date.year,
        date.month,
        date.day,
        secs / 3_600,
        secs % 3_600 / 60,
        secs % 60
    )
}

#[cfg(test)]
mod tests {
    use super::utc_text;

    #[test]
    fn utc_dates() {
        assert_eq!(utc_text(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(utc_text(951_782_400), "2000-02-29 00:00:00 UTC");
        assert_eq!(utc_text(1_798_761_599), "2026-12-31 23:59:59 UTC");
        assert_eq!(utc_text(-1), "1969-12-31 23:59:59 UTC");
    }
}
