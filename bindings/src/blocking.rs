//! Runs long work (Argon2id, rekey, SQLite, QR decoding) on the worker pool, never on the
//! caller's thread: the foreign side awaits a future that any executor can poll. A panic in
//! the work becomes the area's `Internal` error instead of crossing the FFI boundary.

use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll, Waker};

use crate::worker_pool;

/// Why work handed to the pool did not run to completion. Each area's public error turns it
/// into its `Internal` variant.
#[derive(Debug)]
pub enum PoolFailure {
    /// No worker thread could be started.
    NoWorker(String),
    /// The work panicked (a bug); its transaction, if any, was rolled back.
    Panicked,
    /// The work was dropped before it ran.
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

/// Runs `work` on the worker pool and awaits its result.
pub async fn run<T, E, F>(work: F) -> Result<T, E>
where
    T: Send + 'static,
    E: From<PoolFailure> + Send + 'static,
    F: FnOnce() -> Result<T, E> + Send + 'static,
{
    let slot = Arc::new(Mutex::new(Slot::Waiting(None)));
    let sender = Sender(slot.clone());
    worker_pool::submit(Box::new(move || {
        let outcome = catch_unwind(AssertUnwindSafe(work)).map_err(|_| PoolFailure::Panicked);
        sender.send(outcome);
    }))
    .map_err(|e| PoolFailure::NoWorker(e.0))?;
    match (Outcome { slot }).await {
        Ok(Ok(result)) => result,
        Ok(Err(failure)) | Err(failure) => Err(failure.into()),
    }
}

/// Where a job leaves its outcome for the awaiting future.
enum Slot<T> {
    /// Not finished; the waker of the last poll.
    Waiting(Option<Waker>),
    Done(T),
    /// The job was dropped without running.
    Dropped,
    Taken,
}

fn lock<T>(slot: &Mutex<Slot<T>>) -> MutexGuard<'_, Slot<T>> {
    slot.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The job's end of the slot. Dropped without [`Sender::send`] (the job never ran), it marks
/// the slot so the future does not wait forever.
struct Sender<T>(Arc<Mutex<Slot<T>>>);

impl<T> Sender<T> {
    fn send(self, value: T) {
        self.finish(Slot::Done(value));
    }

    fn finish(&self, end: Slot<T>) {
        let previous = std::mem::replace(&mut *lock(&self.0), end);
        if let Slot::Waiting(Some(waker)) = previous {
            waker.wake();
        }
    }
}

impl<T> Drop for Sender<T> {
    fn drop(&mut self) {
        let waiting = matches!(*lock(&self.0), Slot::Waiting(_));
        if waiting {
            self.finish(Slot::Dropped);
        }
    }
}

/// The future side: ready once the job has finished.
struct Outcome<T> {
    slot: Arc<Mutex<Slot<T>>>,
}

impl<T> Future for Outcome<T> {
    type Output = Result<T, PoolFailure>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut slot = lock(&self.slot);
        match std::mem::replace(&mut *slot, Slot::Taken) {
            Slot::Done(value) => Poll::Ready(Ok(value)),
            Slot::Dropped | Slot::Taken => Poll::Ready(Err(PoolFailure::Cancelled)),
            Slot::Waiting(_) => {
                *slot = Slot::Waiting(Some(cx.waker().clone()));
                Poll::Pending
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]
    use super::*;

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
    fn a_panic_becomes_an_error_not_an_unwind() {
        let result = block_on(run(|| -> Result<(), TestError> { panic!("a bug") }));
        assert_eq!(
            result,
            Err(TestError::Pool(PoolFailure::Panicked.to_string()))
        );
    }

    #[test]
    fn many_calls_at_once_all_complete() {
        block_on(async {
            let calls = (0..64u32).map(|i| run(move || Ok::<_, TestError>(i * 2)));
            let mut total = 0;
            for call in calls.collect::<Vec<_>>() {
                total += call.await.unwrap();
            }
            assert_eq!(total, (0..64).sum::<u32>() * 2);
        });
    }

    #[test]
    fn a_job_dropped_before_running_ends_the_wait() {
        let slot = Arc::new(Mutex::new(Slot::<u8>::Waiting(None)));
        drop(Sender(slot.clone()));
        assert!(matches!(
            block_on(Outcome { slot }),
            Err(PoolFailure::Cancelled)
        ));
    }
}
