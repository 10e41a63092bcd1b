//! Runs long work (Argon2id, rekey, SQLite) on a tokio blocking pool, never on the caller's
//! thread: the foreign side awaits a future that any executor can poll.

use std::sync::OnceLock;

use tokio::runtime::{Builder, Runtime};

/// Why work handed to the pool did not run to completion. Each area's public error turns it
/// into its `Internal` variant.
#[derive(Debug)]
pub enum PoolFailure {
    /// The worker threads could not be started.
    NoRuntime(String),
    /// The work panicked (a bug); its transaction, if any, was rolled back.
    Panicked,
    /// The work was cancelled before it finished.
    Cancelled,
}

impl std::fmt::Display for PoolFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PoolFailure::NoRuntime(e) => write!(f, "no worker threads: {e}"),
            PoolFailure::Panicked => {
                f.write_str("the operation failed unexpectedly (a bug); nothing was changed")
            }
            PoolFailure::Cancelled => f.write_str("the operation was cancelled"),
        }
    }
}

fn runtime() -> Result<&'static Runtime, PoolFailure> {
    static RUNTIME: OnceLock<Result<Runtime, String>> = OnceLock::new();
    RUNTIME
        .get_or_init(|| {
            Builder::new_multi_thread()
                .worker_threads(1)
                .max_blocking_threads(4)
                .thread_name("laissez-worker")
                .build()
                .map_err(|e| e.to_string())
        })
        .as_ref()
        .map_err(|e| PoolFailure::NoRuntime(e.clone()))
}

/// Runs `work` on the blocking pool and awaits it. A panic inside becomes the error's
/// `Internal` variant (through [`PoolFailure`]) instead of crossing the FFI boundary.
pub async fn run<T, E, F>(work: F) -> Result<T, E>
where
    T: Send + 'static,
    E: From<PoolFailure> + Send + 'static,
    F: FnOnce() -> Result<T, E> + Send + 'static,
{
    match runtime()?.spawn_blocking(work).await {
        Ok(result) => result,
        Err(join_error) if join_error.is_panic() => Err(PoolFailure::Panicked.into()),
        Err(_) => Err(PoolFailure::Cancelled.into()),
    }
}
