//! Every exported object can be let go on any thread, whether or not the bindings' runtime
//! has started and whether or not the thread is inside a tokio context: a foreign app drops
//! its last reference wherever its garbage collector or ARC happens to run.
//!
//! One test function in its own test binary, so its first part really runs before any async
//! call has built the bindings' runtime.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::sync::Arc;
use std::thread;

use laissez::*;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
}

fn options() -> WalletOptions {
    WalletOptions {
        pin_kdf: insecure_test_kdf(),
        platform_key: None,
        clock: None,
    }
}

/// The objects an app may hold, type-erased so one drop helper takes them all.
type Objects = Vec<Arc<dyn Send + Sync>>;

/// The objects made without any async call (no runtime needed).
fn sync_objects() -> Objects {
    #[cfg(feature = "test-issuer")]
    let objects: Objects = vec![
        QrScanner::new(),
        TestIssuer::create("Drop test issuer".into()).unwrap(),
        TestTrustListSigner::create().unwrap(),
    ];
    #[cfg(not(feature = "test-issuer"))]
    let objects: Objects = vec![QrScanner::new()];
    objects
}

/// Each of `objects` dropped on a thread of its own, outside any tokio context.
fn drop_on_std_threads(objects: Objects) {
    for object in objects {
        thread::spawn(move || drop(object)).join().unwrap();
    }
}

/// Half of `objects` dropped inside a tokio runtime (in `block_on`), the rest under
/// `Handle::enter`.
fn drop_in_tokio_contexts(mut objects: Objects) {
    let runtime = runtime();
    let entered = objects.split_off(objects.len() / 2);
    runtime.block_on(async move { drop(objects) });
    let _guard = runtime.handle().enter();
    drop(entered);
}

/// `objects` dropped on one of the bindings' own worker threads (inside tokio's blocking pool).
fn drop_on_a_worker(runtime: &tokio::runtime::Runtime, objects: Objects) {
    runtime
        .block_on(laissez::internal::run(move || {
            drop(objects);
            Ok::<_, Failed>(())
        }))
        .unwrap();
}

#[derive(Debug)]
struct Failed;

impl From<laissez::internal::PoolFailure> for Failed {
    fn from(_: laissez::internal::PoolFailure) -> Self {
        Failed
    }
}

/// A wallet, its field verifier and a scanner, made through async calls.
fn async_objects(runtime: &tokio::runtime::Runtime, dir: &std::path::Path, name: &str) -> Objects {
    let path = dir.join(name).to_string_lossy().into_owned();
    let created = runtime
        .block_on(create_wallet(path, "2468".into(), options()))
        .unwrap();
    let wallet = created.wallet;
    runtime
        .block_on(wallet.count("note".into(), vec![]))
        .unwrap();
    let verifier = FieldVerifier::new(wallet.clone());
    let scanner = QrScanner::new();
    let mut objects: Objects = vec![wallet, verifier, scanner];
    objects.extend(sync_objects());
    objects
}

#[test]
fn objects_dropped_on_any_thread_before_and_after_the_runtime_starts() {
    // Before any async call: nothing has built the bindings' runtime yet.
    drop_on_std_threads(sync_objects());
    drop_in_tokio_contexts(sync_objects());
    let objects = sync_objects();
    drop(objects);

    // After async calls.
    let dir = tempfile::tempdir().unwrap();
    let runtime = runtime();
    drop_on_std_threads(async_objects(&runtime, dir.path(), "a.db"));
    drop_in_tokio_contexts(async_objects(&runtime, dir.path(), "b.db"));
    drop_on_a_worker(&runtime, async_objects(&runtime, dir.path(), "c.db"));
    drop(async_objects(&runtime, dir.path(), "d.db"));
    // The test's own runtime goes too; the bindings' one stays, and objects still drop.
    let objects = async_objects(&runtime, dir.path(), "e.db");
    drop(runtime);
    drop_on_std_threads(objects);
}
