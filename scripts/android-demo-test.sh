#!/usr/bin/env bash
# JVM tests of the Android demo's view models (android-demo/viewmodels): build the host library,
# generate the Kotlin bindings from it (library mode) into the module's target/, run JUnit 5
# through Maven. The Android app module itself needs the Android SDK and is not built here.
# Non-interactive; safe to run repeatedly.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
MODULE_DIR="$ROOT/android-demo/viewmodels"
# Must match <uniffi.generated.dir> in android-demo/viewmodels/pom.xml.
GEN_DIR="$MODULE_DIR/target/generated-sources/uniffi"

# Honour CARGO_TARGET_DIR or a configured target dir instead of assuming ./target.
TARGET_DIR="$(cargo metadata --format-version 1 --no-deps </dev/null \
  | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')"
LIB_DIR="$TARGET_DIR/debug"

# Debug build on purpose: library-mode generation needs the unstripped UniFFI metadata.
echo "==> cargo build -p laissez-ffi"
cargo build -p laissez-ffi </dev/null

# Regenerate from scratch so a removed Rust item cannot survive as a stale Kotlin file.
echo "==> uniffi-bindgen generate (kotlin) -> ${GEN_DIR#"$ROOT"/}"
rm -rf "$GEN_DIR"
mkdir -p "$GEN_DIR"
cargo run -q -p uniffi-bindgen -- generate "$LIB_DIR/liblaissez.so" \
  --language kotlin --out-dir "$GEN_DIR" --no-format </dev/null

# -B / -ntp: no colours or download progress bars in CI logs.
echo "==> mvn test (android-demo/viewmodels)"
mvn -B -ntp -f "$MODULE_DIR/pom.xml" test -Dlaissez.lib.dir="$LIB_DIR" "$@" </dev/null
