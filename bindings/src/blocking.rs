//! Runs long work (Argon2id, rekey, SQLite) on a tokio blocking pool, never on the caller's
//! thread: the foreign side awaits a future that any executor can poll.

use std::sync::OnceLock;

use tokio::runtime::{Builder, Runtime};

use crate::error::WalletError;

fn runtime() -> Result<&'static Runtime, WalletError> {
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
        .map_err(|e| WalletError::Internal {
            reason: format!("no worker threads: {e}"),
        })
}

/// Runs `work` on the blocking pool and awaits it. A panic inside becomes
/// [`WalletError::Internal`] instead of crossing the FFI boundary.
pub async fn run<T, F>(work: F) -> Result<T, WalletError>
where
    T: Send + 'static,
    F: FnOnce() -> Result<T, WalletError> + Send + 'static,
{
    match runtime()?.spawn_blocking(work).await {
        Ok(result) => result,
        Err(join_error) if join_error.is_panic() => Err(WalletError::Internal {
            reason: "the operation failed unexpectedly (a bug); nothing was changed".into(),
        }),
        Err(_) => Err(WalletError::Internal {
            reason: "the operation was cancelled".into(),
        }),
    }
}
