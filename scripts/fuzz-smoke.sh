#!/usr/bin/env bash
# Short run of every cargo-fuzz target (or of those named): makes the seed corpora, builds,
# fuzzes each for FUZZ_SECONDS (default 10) and fails if any target crashes.
# Needs the nightly toolchain; installs cargo-fuzz if missing. See docs/FUZZING.md.
set -uo pipefail
cd "$(dirname "$0")/.."

seconds="${FUZZ_SECONDS:-10}"
logs=fuzz/target/smoke-logs

if ! cargo +nightly --version >/dev/null 2>&1; then
    echo "fuzz: the nightly toolchain is missing; cargo-fuzz needs it (rustup toolchain install nightly)" >&2
    exit 2
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
    echo "fuzz: installing cargo-fuzz"
    cargo install cargo-fuzz --locked || exit 2
fi

cargo +nightly run --quiet --manifest-path fuzz/Cargo.toml --example make_seeds || exit 2
cargo +nightly fuzz build || exit 2

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    mapfile -t targets < <(cargo +nightly fuzz list)
fi
mkdir -p "$logs"
passed=0
failed=0
for target in "${targets[@]}"; do
    log="$logs/$target.log"
    cargo +nightly fuzz run "$target" -- \
        -max_total_time="$seconds" -rss_limit_mb=2048 -print_final_stats=1 >"$log" 2>&1
    status=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
    if [ "$status" -eq 0 ]; then
        passed=$((passed + 1))
        echo "$target: ok, ${runs:-?} runs in ${seconds} s, cov ${cov:-?}"
    else
        failed=$((failed + 1))
        artifact=$(sed -n 's/.*Test unit written to //p' "$log" | head -1)
        echo "$target: FAILED (exit $status), ${runs:-?} runs; input ${artifact:-none}; log $log"
        grep -m1 -A1 "panicked at" "$log" | sed 's/^/    /'
        if [ -f "$artifact" ]; then
            echo "    input (hex): $(od -An -v -tx1 "$artifact" | tr -d ' \n' | head -c 512)"
        fi
    fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
