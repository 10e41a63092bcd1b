#!/usr/bin/env bash
# The stripped size of the bindings library, built on this machine as a proxy for the phone
# libraries (docs/BENCHMARKS.md, "Library size"; docs/adr/0009-phone-library-size.md). Same
# `mobile` profile, features and link settings as scripts/build-android.sh; only the target
# differs (the host's, since no NDK or Xcode can be installed here).
#
# Configurations:
#   phone  --no-default-features                          what an app ships
#   demo   --no-default-features --features test-issuer   the demo apps (in-process issuer)
#   full   default features                               desktop tools, tests
#
# Usage: scripts/library-size.sh [--check BYTES] [phone|demo|full ...]   (default: all three)
#   --check BYTES   exit 1 when the phone library is larger than BYTES
# Builds in <target>/size (its own directory: the link flags differ from everyday builds).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$repo"

limit=""
configs=()
while (($#)); do
    case "$1" in
        --check) limit=${2:?--check needs a size in bytes}; shift 2 ;;
        phone | demo | full) configs+=("$1"); shift ;;
        *) echo "usage: $0 [--check BYTES] [phone|demo|full ...]" >&2; exit 2 ;;
    esac
done
((${#configs[@]})) || configs=(phone demo full)
[ -z "$limit" ] || [[ " ${configs[*]} " == *" phone "* ]] || configs=(phone "${configs[@]}")

target_dir=$(cargo metadata --format-version 1 --no-deps </dev/null |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')/size
cargo_home=${CARGO_HOME:-$HOME/.cargo}
# The phone link settings (scripts/build-android.sh): packed relative relocations (Android
# uses its own packing, --pack-dyn-relocs=android, for minSdk 24), identical code folding
# where addresses are not taken, source paths without the builder's directories, and C code
# (SQLite, ring) without unwind tables: no Rust panic unwinds through it.
export RUSTFLAGS="${RUSTFLAGS:-} -C link-arg=-Wl,-z,pack-relative-relocs -C link-arg=-Wl,--icf=all \
--remap-path-prefix=$cargo_home/registry/src=crates --remap-path-prefix=$repo=laissez"
export CFLAGS="${CFLAGS:-} -fno-asynchronous-unwind-tables -fno-unwind-tables"

features_of() {
    case "$1" in
        phone) echo "--no-default-features" ;;
        demo) echo "--no-default-features --features test-issuer" ;;
        full) echo "" ;;
    esac
}

status=0
for config in "${configs[@]}"; do
    # `cargo rustc --crate-type cdylib`, not `cargo build`: the crate's own crate types
    # include `lib` (tests, examples), and with an rlib among the outputs Cargo silently
    # builds without LTO (rust-lang/cargo#9672): 605 KB more (ADR 0009, fourth amendment).
    # shellcheck disable=SC2046 # the feature flags are words
    CARGO_TARGET_DIR="$target_dir" cargo rustc -q --profile mobile -p laissez-ffi \
        --crate-type cdylib $(features_of "$config") </dev/null
    out="$target_dir/liblaissez-$config.so"
    cp "$target_dir/mobile/liblaissez.so" "$out"
    strip --strip-unneeded "$out"
    bytes=$(stat -c %s "$out")
    printf 'library-size: %-5s %9d bytes (%s MiB)  %s\n' "$config" "$bytes" \
        "$(awk -v b="$bytes" 'BEGIN { printf "%.2f", b / 1048576 }')" "$out"
    if [ "$config" = phone ] && [ -n "$limit" ] && ((bytes > limit)); then
        echo "library-size: the phone library is larger than $limit bytes" >&2
        status=1
    fi
done
exit "$status"
