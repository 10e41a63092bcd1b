//! Time as the store sees it: injectable so tests can move it.
//!
//! Two kinds of time: the wall clock (dates, expiry, what is written to files), which the
//! person can set to anything, and a monotonic clock (how long this process has waited),
//! which they cannot move. PIN delays use only the second.

use std::sync::OnceLock;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// A source of the current time.
pub trait Clock: Send + Sync {
    /// Seconds since 1970-01-01T00:00:00Z, as the device's (settable) clock says.
    fn now_unix(&self) -> i64;

    /// Time elapsed in this process on a clock nobody can set: only differences between
    /// two readings mean anything. The default is [`process_monotonic`], so a clock that only
    /// fakes the wall time (an app's test clock) still gets real elapsed time here.
    fn monotonic(&self) -> Duration {
        process_monotonic()
    }
}

/// Time since this process first asked, from [`Instant`] (the system's monotonic clock):
/// setting the date does not move it. It may stand still while the phone sleeps, which can
/// only make a PIN delay longer, never shorter.
pub fn process_monotonic() -> Duration {
    static START: OnceLock<Instant> = OnceLock::new();
    START.get_or_init(Instant::now).elapsed()
}

/// The operating system's clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_unix(&self) -> i64 {
        match SystemTime::now().duration_since(UNIX_EPOCH) {
            Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
            // A clock set before 1970 counts as the epoch: delays then run from there.
            Err(_) => 0,
        }
    }

    fn monotonic(&self) -> Duration {
        process_monotonic()
    }
}

/// A UTC calendar date and time of day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UtcDateTime {
    /// Year (proleptic Gregorian).
    pub year: i64,
    /// Month, 1 to 12.
    pub month: i64,
    /// Day of the month, 1 to 31.
    pub day: i64,
    /// Seconds since midnight.
    pub seconds_of_day: i64,
}

/// The UTC date and time of Unix seconds (H. Hinnant's `civil_from_days`; no date crate
/// needed for this one conversion, which mdoc dates, expiry tags and the CLI all use).
pub fn utc_date_time(unix: i64) -> UtcDateTime {
    let z = unix.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    UtcDateTime {
        year,
        month,
        day,
        seconds_of_day: unix.rem_euclid(86_400),
    }
}
