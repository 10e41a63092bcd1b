//! A small pool of worker threads for the bindings' long calls. Jobs are type-erased boxes,
//! so each exported async function costs one small closure, not a task type of its own
//! (tokio's pool and `async-task` monomorphize per future; see docs/adr/0009).
//!
//! Threads start on demand up to [`MAX_THREADS`] and end after [`IDLE_EXIT`] without work,
//! so an app that is not using the wallet holds no thread.

use std::collections::VecDeque;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Condvar, Mutex, MutexGuard, OnceLock, PoisonError};
use std::thread;
use std::time::Duration;

/// At most this many calls run at once; more wait in order. Four covers a camera scan, an
/// Argon2id unlock and two store calls without starving a 2-core phone.
pub const MAX_THREADS: usize = 4;
/// An idle worker ends after this long.
pub const IDLE_EXIT: Duration = Duration::from_secs(10);

/// A job as the pool keeps it.
pub type Job = Box<dyn FnOnce() + Send + 'static>;

/// The pool could not start a thread and has none to run the job.
#[derive(Debug)]
pub struct NoWorker(pub String);

#[derive(Default)]
struct Queue {
    jobs: VecDeque<Job>,
    /// Workers waiting for a job.
    idle: usize,
    /// Workers alive (idle or busy).
    threads: usize,
}

#[derive(Default)]
struct Pool {
    queue: Mutex<Queue>,
    job_ready: Condvar,
}

fn pool() -> &'static Pool {
    static POOL: OnceLock<Pool> = OnceLock::new();
    POOL.get_or_init(Pool::default)
}

impl Pool {
    /// A job never panics while the lock is held, so a poisoned lock still holds a
    /// consistent queue.
    fn lock(&self) -> MutexGuard<'_, Queue> {
        self.queue.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn submit(&'static self, job: Job) -> Result<(), NoWorker> {
        let mut queue = self.lock();
        queue.jobs.push_back(job);
        if queue.jobs.len() > queue.idle && queue.threads < MAX_THREADS {
            match thread::Builder::new()
                .name("laissez-worker".into())
                .spawn(move || self.work())
            {
                Ok(_) => queue.threads += 1,
                // Without any worker the job would wait forever: hand it back as an error.
                Err(e) if queue.threads == 0 => {
                    queue.jobs.pop_back();
                    return Err(NoWorker(e.to_string()));
                }
                // Busy workers will take it when they are done.
                Err(_) => {}
            }
        }
        drop(queue);
        self.job_ready.notify_one();
        Ok(())
    }

    fn work(&self) {
        while let Some(job) = self.next_job() {
            // Jobs catch their own panics (blocking::run); this keeps the count right anyway.
            let _ = catch_unwind(AssertUnwindSafe(job));
        }
    }

    /// The next job, or `None` once this worker has been idle for [`IDLE_EXIT`].
    fn next_job(&self) -> Option<Job> {
        let mut queue = self.lock();
        loop {
            if let Some(job) = queue.jobs.pop_front() {
                return Some(job);
            }
            queue.idle += 1;
            let (guard, wait) = self
                .job_ready
                .wait_timeout(queue, IDLE_EXIT)
                .unwrap_or_else(PoisonError::into_inner);
            queue = guard;
            queue.idle -= 1;
            if wait.timed_out() && queue.jobs.is_empty() {
                queue.threads -= 1;
                return None;
            }
        }
    }
}

/// Queues `job` to run on a worker thread.
pub fn submit(job: Job) -> Result<(), NoWorker> {
    pool().submit(job)
}

/// Worker threads alive now (for tests).
#[cfg(test)]
fn threads() -> usize {
    pool().lock().threads
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::mpsc;

    #[test]
    fn runs_every_job_and_never_more_than_the_limit_at_once() {
        let running = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let (done, finished) = mpsc::channel();
        for _ in 0..40 {
            let (running, most, done) = (running.clone(), most.clone(), done.clone());
            submit(Box::new(move || {
                let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                thread::sleep(Duration::from_millis(5));
                running.fetch_sub(1, Ordering::SeqCst);
                done.send(()).unwrap();
            }))
            .unwrap();
        }
        for _ in 0..40 {
            finished.recv_timeout(Duration::from_secs(10)).unwrap();
        }
        let most = most.load(Ordering::SeqCst);
        assert!((1..=MAX_THREADS).contains(&most), "{most} at once");
        assert!(threads() <= MAX_THREADS);
    }

    #[test]
    fn a_panicking_job_does_not_take_a_worker_away() {
        for _ in 0..(MAX_THREADS * 2) {
            submit(Box::new(|| std::panic::panic_any("a bug"))).unwrap();
        }
        let (done, finished) = mpsc::channel();
        submit(Box::new(move || done.send(7).unwrap())).unwrap();
        assert_eq!(finished.recv_timeout(Duration::from_secs(10)).unwrap(), 7);
    }

    #[test]
    fn jobs_run_on_named_worker_threads() {
        let (done, finished) = mpsc::channel();
        submit(Box::new(move || {
            done.send(thread::current().name().map(str::to_owned))
                .unwrap()
        }))
        .unwrap();
        let name = finished.recv_timeout(Duration::from_secs(10)).unwrap();
        assert_eq!(name.as_deref(), Some("laissez-worker"));
    }
}
