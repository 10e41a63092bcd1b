//! The clock as a foreign trait, so app tests can move time (PIN delays).

use std::sync::Arc;
use std::time::Duration;

use wallet_core::clock::Clock;

/// A source of the current time, implemented by the app (tests) when the system clock will
/// not do.
// `foreign`, not `with_foreign`: only the app implements this trait across the FFI. Rust
// implementations (the bindings' own tests) are passed to Rust functions directly and never
// cross it, so no Rust-side scaffolding is needed.
#[uniffi::export(foreign)]
pub trait WalletClock: Send + Sync {
    /// Seconds since 1970-01-01T00:00:00Z.
    fn now_unix(&self) -> i64;
    /// Milliseconds on a clock that setting the date does not move (Android
    /// `SystemClock.elapsedRealtime()`, iOS `ProcessInfo.systemUptime`); only differences
    /// count. Wrong-PIN delays run on this clock alone.
    fn monotonic_millis(&self) -> u64;
}

/// Adapts a foreign clock to the core's trait.
pub struct ForeignClock(pub Arc<dyn WalletClock>);

impl Clock for ForeignClock {
    fn now_unix(&self) -> i64 {
        self.0.now_unix()
    }

    fn monotonic(&self) -> Duration {
        Duration::from_millis(self.0.monotonic_millis())
    }
}
