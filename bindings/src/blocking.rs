//! Runs long work (Argon2id, rekey, SQLite, QR decoding) on a tokio runtime's blocking pool,
//! never on the caller's thread (DESIGN.md §9; docs/adr/0009-phone-library-size.md,
//! "Amended"): the foreign side awaits a future that any executor can poll. A panic in the
//! work becomes the area's `Internal` error instead of crossing the FFI boundary.
//!
//! The runtime is a current-thread one built on first use and never dropped. Nothing drives
//! its scheduler and nothing needs to: only `spawn_blocking` is used, whose threads are the
//! blocking pool's own, and a `JoinHandle` wakes whichever executor polls it (Kotlin's
//! coroutines, Swift's tasks, a test's `block_on`). So an app that never makes an async call
//! holds no thread, and one that does holds at most [`MAX_THREADS`], each ending after
//! [`IDLE_EXIT`] without work.
//!
//! Jobs are type-erased ([`Job`]) before they reach tokio, so its task machinery is compiled
//! once, not once per exported async function (that was 112 KB with `async-task`).

use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, LazyLock, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use tokio::runtime::{Builder, Handle, Runtime};

/// At most this many calls run at once; more wait in order. Four covers a camera scan, an
/// Argon2id unlock (64 MiB each) and two store calls without starving a 2-core phone.
pub const MAX_THREADS: usize = 4;
/// An idle blocking thread ends after this long.
pub const IDLE_EXIT: Duration = Duration::from_secs(10);
/// The name of the threads that run the work (visible in profilers and crash reports).
pub const THREAD_NAME: &str = "laissez-worker";

/// A job as the runtime gets it: one type for every exported function.
type Job = Box<dyn FnOnce() + Send + 'static>;

/// Why work handed to the runtime did not run to completion. Each area's public error turns
/// it into its `Internal` variant.
#[derive(Debug)]
pub enum PoolFailure {
    /// No runtime or no blocking thread could be started.
    NoWorker(String),
    /// The work panicked (a bug); its transaction, if any, was rolled back.
    Panicked,
    /// The work was dropped before it ran (the runtime shut down).
    Cancelled,
}

impl std::fmt::Display for PoolFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PoolFailure::NoWorker(e) => write!(f, "no worker thread: {e}"),
            PoolFailure::Panicked => {
                f.write_str("the operation failed unexpectedly (a bug); nothing was changed")
            }
            PoolFailure::Cancelled => f.write_str("the operation was cancelled"),
        }
    }
}

/// The bindings' runtime: built once, on the first async call, and never dropped (dropping a
/// runtime from inside another one's context panics; a static one is never dropped at all).
/// Building a runtime without I/O or timer drivers does not fail in practice; if it did, every
/// call would get [`PoolFailure::NoWorker`] instead of a panic.
static RUNTIME: LazyLock<Result<Runtime, String>> = LazyLock::new(|| {
    Builder::new_current_thread()
        .max_blocking_threads(MAX_THREADS)
        .thread_keep_alive(IDLE_EXIT)
        .thread_name(THREAD_NAME)
        .build()
        .map_err(|e| e.to_string())
});

fn handle() -> Result<&'static Handle, PoolFailure> {
    match &*RUNTIME {
        Ok(runtime) => Ok(runtime.handle()),
        Err(e) => Err(PoolFailure::NoWorker(e.clone())),
    }
}

/// Runs `work` on a blocking thread of the bindings' runtime and awaits its result.
pub async fn run<T, E, F>(work: F) -> Result<T, E>
where
    T: Send + 'static,
    E: From<PoolFailure> + Send + 'static,
    F: FnOnce() -> Result<T, E> + Send + 'static,
{
    match handle() {
        Ok(handle) => run_on(handle, work).await,
        Err(failure) => Err(failure.into()),
    }
}

/// [`run`] on the runtime of `handle` (tests use runtimes of their own).
async fn run_on<T, E, F>(handle: &Handle, work: F) -> Result<T, E>
where
    T: Send + 'static,
    E: From<PoolFailure> + Send + 'static,
    F: FnOnce() -> Result<T, E> + Send + 'static,
{
    let slot = Arc::new(Mutex::new(None));
    let writer = slot.clone();
    let job: Job = Box::new(move || {
        let result = work();
        *lock(&writer) = Some(result);
    });
    run_job(handle, job).await?;
    // The job ran to its end, so it left its result (`None` cannot happen; if it did, the
    // honest answer is that the work did not complete).
    let result = lock(&slot).take();
    result.unwrap_or_else(|| Err(PoolFailure::Cancelled.into()))
}

/// The one place that talks to tokio: spawns `job` and awaits its end. Not generic, so each
/// exported function costs its small closure only.
fn run_job(handle: &Handle, job: Job) -> impl Future<Output = Result<(), PoolFailure>> + 'static {
    // tokio panics when the OS refuses a thread and none is running; that is an error here.
    let spawned = catch_unwind(AssertUnwindSafe(|| handle.spawn_blocking(job)));
    async move {
        let task = spawned.map_err(|payload| PoolFailure::NoWorker(panic_text(&*payload)))?;
        task.await.map_err(|e| {
            if e.is_panic() {
                PoolFailure::Panicked
            } else {
                PoolFailure::Cancelled
            }
        })
    }
}

/// The text of a panic payload, when it has one.
fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_owned()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "the system refused a thread".to_owned()
    }
}

/// The work never runs while the lock is held, so a poisoned lock still holds a consistent
/// slot.
fn lock<T>(slot: &Mutex<T>) -> MutexGuard<'_, T> {
    slot.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[derive(Debug, PartialEq)]
    enum TestError {
        Pool(String),
        Work,
    }

    impl From<PoolFailure> for TestError {
        fn from(failure: PoolFailure) -> Self {
            TestError::Pool(failure.to_string())
        }
    }

    fn block_on<F: Future>(future: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(future)
    }

    /// Polls `future` to its end on this thread with a waker that unparks it: an executor
    /// that is not tokio's, as Kotlin's and Swift's are not.
    fn block_on_foreign<F: Future>(future: F) -> F::Output {
        struct Unpark(std::thread::Thread);
        impl std::task::Wake for Unpark {
            fn wake(self: Arc<Self>) {
                self.0.unpark();
            }
        }
        let waker = std::task::Waker::from(Arc::new(Unpark(std::thread::current())));
        let mut cx = std::task::Context::from_waker(&waker);
        let mut future = std::pin::pin!(future);
        loop {
            if let std::task::Poll::Ready(output) = future.as_mut().poll(&mut cx) {
                return output;
            }
            std::thread::park();
        }
    }

    #[test]
    fn results_and_errors_come_back_from_the_worker() {
        let caller = std::thread::current().id();
        let ran_on = block_on(run(move || Ok::<_, TestError>(std::thread::current().id())));
        assert_ne!(ran_on.unwrap(), caller);
        assert_eq!(
            block_on(run(|| Err::<(), _>(TestError::Work))),
            Err(TestError::Work)
        );
    }

    #[test]
    fn an_executor_that_is_not_tokio_gets_the_result() {
        // Nobody ever calls block_on on the bindings' current-thread runtime: its blocking
        // pool runs the job and the JoinHandle wakes the foreign executor.
        let name = block_on_foreign(run(|| {
            Ok::<_, TestError>(std::thread::current().name().map(str::to_owned))
        }));
        assert_eq!(name.unwrap().as_deref(), Some(THREAD_NAME));
    }

    #[test]
    fn a_panic_becomes_an_error_not_an_unwind() {
        let result = block_on(run(|| -> Result<(), TestError> { panic!("a bug") }));
        assert_eq!(
            result,
            Err(TestError::Pool(PoolFailure::Panicked.to_string()))
        );
        // The pool still works afterwards.
        assert_eq!(block_on(run(|| Ok::<_, TestError>(7))), Ok(7));
    }

    #[test]
    fn many_calls_at_once_all_complete_never_more_than_the_limit_at_once() {
        let running = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        block_on(async {
            let calls = (0..40u32).map(|i| {
                let (running, most) = (running.clone(), most.clone());
                run(move || {
                    let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    std::thread::sleep(Duration::from_millis(5));
                    running.fetch_sub(1, Ordering::SeqCst);
                    Ok::<_, TestError>(i * 2)
                })
            });
            let mut total = 0;
            for call in calls.collect::<Vec<_>>() {
                total += call.await.unwrap();
            }
            assert_eq!(total, (0..40).sum::<u32>() * 2);
        });
        let most = most.load(Ordering::SeqCst);
        assert!((1..=MAX_THREADS).contains(&most), "{most} at once");
    }

    #[test]
    fn a_job_dropped_before_running_ends_the_wait() {
        // A runtime that shut down drops the jobs it gets instead of running them.
        let runtime = Builder::new_current_thread().build().unwrap();
        let handle = runtime.handle().clone();
        runtime.shutdown_background();
        let ran = Arc::new(AtomicUsize::new(0));
        let counter = ran.clone();
        let result = block_on_foreign(run_on(&handle, move || {
            counter.fetch_add(1, Ordering::SeqCst);
            Ok::<_, TestError>(())
        }));
        assert_eq!(
            result,
            Err(TestError::Pool(PoolFailure::Cancelled.to_string()))
        );
        assert_eq!(ran.load(Ordering::SeqCst), 0);
    }
}
