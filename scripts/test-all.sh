#!/usr/bin/env bash
# Every test: formatting, lints, Rust tests, the phone library's configuration and size, interop,
# fuzz smoke, Kotlin (JVM) and Swift binding tests, the demo apps' view models (Android on the
# JVM, iOS with swift test), the Android app's screens (Robolectric) and the cross-language end-to-end run.
# Installs what it needs (scripts/bootstrap.sh; the Swift chroot is cached outside the repo).
# Ends with one line adding up every suite: "tests: N passed, N failed, N skipped".
# Missing test data (../shared next to the repository) is a counted skip; with CI=true (as
# .ci/run sets it) it fails the tests that need it.
set -euo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp "${TMPDIR:-/tmp}/laissez-tests.XXXXXX")
trap 'rm -f "$log"' EXIT
# Each step's wall time, printed at the end (docs/BENCHMARKS.md, "CI", keeps a cold run's).
times=()
step_name="bootstrap (installs)"
step_start=$SECONDS
end_step() { times+=("$(printf '%5d s  %s' $((SECONDS - step_start)) "$step_name")"); }
step() {
    end_step
    step_name="$*"
    step_start=$SECONDS
    printf '\n==== %s\n' "$*"
}
# Runs a suite, showing its output and keeping it for the tally.
suite() { "$@" 2>&1 | tee -a "$log"; }

scripts/bootstrap.sh

step "cargo fmt --check"
cargo fmt --all --check

step "cargo clippy -D warnings"
cargo clippy --workspace --all-targets -q -- -D warnings </dev/null

step "Layers: crates point down, no module circle (docs/ARCHITECTURE.md)"
scripts/check-layers.sh

step "cargo test (Rust)"
suite cargo test --workspace </dev/null

step "Phone library (no image codecs, no test issuer): clippy, tests, stripped size"
# What scripts/build-android.sh and build-xcframework.sh ship (docs/adr/0009-phone-library-size.md).
cargo clippy -p laissez-ffi --all-targets --no-default-features -q -- -D warnings </dev/null
suite cargo test -p laissez-ffi --no-default-features --lib </dev/null
# The host-built proxy of the phone library must stay within 4 MiB (docs/BENCHMARKS.md).
scripts/library-size.sh --check 4194304 phone

step "Interoperability (reference SD-JWT, pymdoccbor, @auth0/mdl, @sd-jwt/jwt-status-list, published vectors)"
# The binary cargo test just built, wherever the target directory is.
target_dir=$(cargo metadata --format-version 1 --no-deps </dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
LAISSEZ_BIN="$target_dir/debug/laissez" suite tests/interop/run.sh

step "Fuzzing smoke run (cargo-fuzz, every parser of outside input)"
if cargo +nightly --version >/dev/null 2>&1; then
    FUZZ_SECONDS="${FUZZ_SECONDS:-5}" suite scripts/fuzz-smoke.sh
else
    # Kept for the tally, which counts it as one skipped run.
    suite echo "fuzz: skipped: no nightly Rust toolchain here (cargo-fuzz needs one); see docs/FUZZING.md"
fi
# A one-off run (.ci/run) frees the sanitizer build (~4 GB) before the Kotlin and Swift steps.
if [ "${LAISSEZ_PRUNE_FUZZ_BUILD:-0}" = 1 ]; then rm -rf fuzz/target; fi

step "Kotlin binding tests (JVM, Maven)"
suite scripts/kotlin-test.sh

step "Swift binding tests"
suite scripts/swift-test.sh

step "Android demo view models (JVM, Maven, against the real bindings)"
suite scripts/android-demo-test.sh

step "Android demo app on the JVM (Robolectric + Compose UI tests, real core; screenshots)"
# android-demo/ui-tests: installs Debian's aapt if missing; screenshots in android-demo/build/screenshots/.
suite scripts/android-ui-test.sh

step "iOS demo models (LaissezDemoKit, swift test, against the real bindings)"
suite scripts/ios-demo-test.sh

step "Cross-language end to end (Kotlin and Swift wallets and verifiers, PNG files only)"
suite tests/cross-language/run.sh

end_step
printf '\n==== step times (total %d s)\n' "$SECONDS"
printf '%s\n' "${times[@]}"

printf '\n==== summary\n'
python3 scripts/tally_tests.py "$log"
