//! How long a call takes to reach a worker thread and come back through the bindings'
//! blocking helper (`blocking::run`, what every async export uses: a type-erased job on the
//! blocking pool of the bindings' tokio runtime, docs/adr/0009-phone-library-size.md,
//! "Amended"), beside a bare tokio `spawn_blocking` on a runtime built the same way, to show
//! what the helper adds. The work itself is empty, so this is the overhead an app pays on top
//! of each call.
//!
//!     cargo run --release -p laissez-ffi --example blocking_latency
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::future::Future;
use std::time::{Duration, Instant};

use laissez::internal::{PoolFailure, run};

#[derive(Debug)]
struct Failed;

impl From<PoolFailure> for Failed {
    fn from(_: PoolFailure) -> Self {
        Failed
    }
}

/// Times `rounds` batches of `parallel` calls made at once; the latency of a batch is the time
/// until its last call is back. The awaiting executor is a separate current-thread runtime, as
/// the foreign executor is separate from the bindings' runtime in an app.
fn measure<F, Fut>(rounds: usize, parallel: usize, call: F) -> Vec<Duration>
where
    F: Fn() -> Fut,
    Fut: Future<Output = ()>,
{
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let mut samples = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let calls: Vec<_> = (0..parallel).map(|_| call()).collect();
        let start = Instant::now();
        runtime.block_on(async {
            for c in calls {
                c.await;
            }
        });
        samples.push(start.elapsed());
    }
    samples.sort();
    samples
}

fn micros(samples: &[Duration], quantile: f64) -> f64 {
    let index = ((samples.len() - 1) as f64 * quantile).round() as usize;
    samples[index].as_secs_f64() * 1e6
}

fn main() {
    // Built as the bindings build theirs (src/blocking.rs): current-thread, four blocking threads.
    let bare = tokio::runtime::Builder::new_current_thread()
        .max_blocking_threads(4)
        .build()
        .unwrap();
    let handle = bare.handle().clone();
    let rounds = 2_000;
    println!("| path | calls at once | median | p90 | p99 |");
    println!("| --- | ---: | ---: | ---: | ---: |");
    for parallel in [1, 4, 32] {
        // Warm both up (threads started) before measuring.
        measure(50, parallel, || async {
            run::<_, Failed, _>(|| Ok(())).await.unwrap()
        });
        let ours = measure(rounds, parallel, || async {
            run::<_, Failed, _>(|| Ok(())).await.unwrap()
        });
        let h = handle.clone();
        measure(50, parallel, || {
            let h = h.clone();
            async move { h.spawn_blocking(|| ()).await.unwrap() }
        });
        let theirs = measure(rounds, parallel, || {
            let h = h.clone();
            async move { h.spawn_blocking(|| ()).await.unwrap() }
        });
        for (name, samples) in [
            ("bindings `blocking::run`", &ours),
            ("bare tokio `spawn_blocking`", &theirs),
        ] {
            println!(
                "| {name} | {parallel} | {:.1} µs | {:.1} µs | {:.1} µs |",
                micros(samples, 0.5),
                micros(samples, 0.9),
                micros(samples, 0.99)
            );
        }
    }
}
