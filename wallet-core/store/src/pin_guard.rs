//! The wrong-PIN counter: persisted before every check, growing delays after five failures.
//!
//! The failure is written (with `synchronous=FULL`) *before* Argon2 runs, and cleared only
//! after a success, so killing the app mid-check cannot be used to get free guesses.
//! Nothing is ever wiped: after the free attempts the wait doubles from 30 s up to one hour,
//! and the 24 words always get the person back in.

use rusqlite::{Connection, params};

use crate::error::{StoreError, StoreResult};

/// Wrong PINs allowed before any delay.
pub const FREE_ATTEMPTS: u32 = 5;
/// The first delay, once the free attempts are used.
pub const BASE_DELAY_SECS: u64 = 30;
/// The longest delay.
pub const MAX_DELAY_SECS: u64 = 3_600;

/// The counter as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GuardState {
    /// Consecutive failed attempts (an attempt in progress counts as failed).
    pub failed_attempts: u32,
    /// When the last failure was recorded, Unix seconds.
    pub last_failure_at: i64,
}

/// Seconds to wait after `failed` consecutive failures before the next attempt.
pub fn delay_after(failed: u32) -> u64 {
    if failed < FREE_ATTEMPTS {
        return 0;
    }
    let doublings = (failed - FREE_ATTEMPTS).min(16);
    (BASE_DELAY_SECS << doublings).min(MAX_DELAY_SECS)
}

/// Attempts left before delays start.
pub fn attempts_left(failed: u32) -> u32 {
    FREE_ATTEMPTS.saturating_sub(failed)
}

/// Reads the counter.
pub fn load(conn: &Connection) -> StoreResult<GuardState> {
    conn.query_row(
        "SELECT failed_attempts, last_failure_at FROM pin_guard WHERE id = 1",
        [],
        |row| {
            Ok(GuardState {
                failed_attempts: row.get(0)?,
                last_failure_at: row.get(1)?,
            })
        },
    )
    .map_err(|err| match err {
        rusqlite::Error::QueryReturnedNoRows => {
            StoreError::Corrupted("the PIN attempt counter is missing".into())
        }
        other => other.into(),
    })
}

/// Refuses an attempt while a delay runs; otherwise records the attempt as failed, durably,
/// and returns the state to report if it does fail.
pub fn begin_attempt(conn: &Connection, now: i64) -> StoreResult<GuardState> {
    let mut state = load(conn)?;
    if now < state.last_failure_at {
        // The clock went back (battery died, manual change): the delay runs from now,
        // instead of locking the person out until the clock catches up.
        state.last_failure_at = now;
        store(conn, state)?;
    }
    let wait = delay_after(state.failed_attempts);
    let elapsed = u64::try_from(now - state.last_failure_at).unwrap_or(0);
    if elapsed < wait {
        return Err(StoreError::PinLockedOut {
            retry_after_secs: wait - elapsed,
        });
    }
    let pending = GuardState {
        failed_attempts: state.failed_attempts.saturating_add(1),
        last_failure_at: now,
    };
    store(conn, pending)?;
    Ok(pending)
}

/// The error for a failed attempt recorded by [`begin_attempt`].
pub fn wrong_pin(state: GuardState) -> StoreError {
    StoreError::WrongPin {
        attempts_left: attempts_left(state.failed_attempts),
        retry_after_secs: delay_after(state.failed_attempts),
    }
}

/// Clears the counter after a successful unlock or a recovery.
pub fn reset(conn: &Connection) -> StoreResult<()> {
    store(
        conn,
        GuardState {
            failed_attempts: 0,
            last_failure_at: 0,
        },
    )
}

fn store(conn: &Connection, state: GuardState) -> StoreResult<()> {
    let changed = conn.execute(
        "UPDATE pin_guard SET failed_attempts = ?1, last_failure_at = ?2 WHERE id = 1",
        params![state.failed_attempts, state.last_failure_at],
    )?;
    if changed == 1 {
        Ok(())
    } else {
        Err(StoreError::Corrupted(
            "the PIN attempt counter is missing".into(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_start_after_free_attempts_and_are_capped() {
        assert_eq!((0..5).map(delay_after).sum::<u64>(), 0);
        assert_eq!(delay_after(5), 30);
        assert_eq!(delay_after(6), 60);
        assert_eq!(delay_after(7), 120);
        assert_eq!(delay_after(40), MAX_DELAY_SECS);
        assert_eq!(delay_after(u32::MAX), MAX_DELAY_SECS);
        assert_eq!(attempts_left(2), 3);
        assert_eq!(attempts_left(9), 0);
    }
}
