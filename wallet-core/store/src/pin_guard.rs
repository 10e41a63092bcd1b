//! The wrong-PIN counter: persisted before every check, growing delays after five failures.
//!
//! The failure is written (with `synchronous=FULL`) *before* Argon2 runs, and cleared only
//! after a success, so killing the app mid-check cannot be used to get free guesses.
//! Nothing is ever wiped: after the free attempts the wait doubles from 30 s up to one hour,
//! and the 24 words always get the person back in.
//!
//! Delays run on the monotonic clock of this process, never on the wall clock, which the
//! person can set forward: a delay is over only when that much time has really passed since
//! it started here. A store opened anew (the app restarted, the phone rebooted) starts a
//! pending delay over from the open, since nothing trustworthy says how long it has waited.

use std::time::Duration;

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
    /// When the last failure was recorded, Unix seconds (wall clock: a record for people, not
    /// used for delays).
    pub last_failure_at: i64,
}

/// An attempt recorded as failed, with what to put back if it is [`PinGuard::undo`]ne.
#[derive(Debug, Clone, Copy)]
pub struct Attempt {
    /// The state written: what a wrong PIN reports.
    pub recorded: GuardState,
    before: GuardState,
    delay_started_before: Duration,
}

/// The guard of one open store: the durable counter plus, in memory, when the current delay
/// started on the monotonic clock.
#[derive(Debug, Clone, Copy)]
pub struct PinGuard {
    delay_started: Duration,
}

impl PinGuard {
    /// The guard of a store opened (or created) at monotonic time `now`: any delay the file
    /// shows pending starts over from here.
    pub fn opened_at(now: Duration) -> Self {
        Self { delay_started: now }
    }

    /// Seconds still to wait before an attempt is accepted, after `failed` failures, at
    /// monotonic time `now`.
    pub fn retry_after(&self, failed: u32, now: Duration) -> u64 {
        let elapsed = now.saturating_sub(self.delay_started).as_secs();
        delay_after(failed).saturating_sub(elapsed)
    }

    /// Refuses an attempt while a delay runs; otherwise records the attempt as failed,
    /// durably, and starts the next delay from `now`.
    pub fn begin_attempt(
        &mut self,
        conn: &Connection,
        wall_now: i64,
        now: Duration,
    ) -> StoreResult<Attempt> {
        let before = load(conn)?;
        let wait = self.retry_after(before.failed_attempts, now);
        if wait > 0 {
            return Err(StoreError::PinLockedOut {
                retry_after_secs: wait,
            });
        }
        let recorded = GuardState {
            failed_attempts: before.failed_attempts.saturating_add(1),
            last_failure_at: wall_now,
        };
        store(conn, recorded)?;
        let attempt = Attempt {
            recorded,
            before,
            delay_started_before: self.delay_started,
        };
        self.delay_started = now;
        Ok(attempt)
    }

    /// Takes back an attempt that never reached the PIN check because the platform key did
    /// not answer (cancelled prompt, invalidated or unavailable key): without an answer
    /// nothing can be learnt about the PIN, not even by the app. The counter and the delay go
    /// back exactly to what they were, so an undo never shortens a delay.
    pub fn undo(&mut self, conn: &Connection, attempt: Attempt) -> StoreResult<()> {
        store(conn, attempt.before)?;
        self.delay_started = attempt.delay_started_before;
        Ok(())
    }
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

/// The error for a failed attempt recorded by [`PinGuard::begin_attempt`].
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
    fn a_delay_runs_on_monotonic_time_from_the_last_failure() {
        let guard = PinGuard::opened_at(Duration::from_secs(100));
        assert_eq!(guard.retry_after(4, Duration::from_secs(100)), 0);
        assert_eq!(guard.retry_after(5, Duration::from_secs(100)), 30);
        assert_eq!(guard.retry_after(5, Duration::from_secs(129)), 1);
        assert_eq!(guard.retry_after(5, Duration::from_secs(130)), 0);
        // A reading before the start (another clock source) counts as no time passed.
        assert_eq!(guard.retry_after(5, Duration::from_secs(1)), 30);
    }

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
