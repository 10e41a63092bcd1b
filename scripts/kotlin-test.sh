#!/usr/bin/env bash
# Kotlin (JVM) tests of the UniFFI bindings: build the host library, generate Kotlin from it
# (library mode), run JUnit 5 through Maven. Non-interactive; safe to run repeatedly.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# Another Maven module on the same bindings (the Android demo's view models) can be tested by
# pointing LAISSEZ_KOTLIN_TEST_MODULE at it; its pom must read the same generated-sources dir.
KOTLIN_DIR="${LAISSEZ_KOTLIN_TEST_MODULE:-$ROOT/bindings/kotlin}"
# Must match <uniffi.generated.dir> in bindings/kotlin/pom.xml.
GEN_DIR="$KOTLIN_DIR/target/generated-sources/uniffi"

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
# --no-format: ktlint is not installed here. Config comes from bindings/uniffi.toml.
cargo run -q -p uniffi-bindgen -- generate "$LIB_DIR/liblaissez.so" \
  --language kotlin --out-dir "$GEN_DIR" --no-format </dev/null

# -B / -ntp: no colours or download progress bars in CI logs.
echo "==> mvn test (${KOTLIN_DIR#"$ROOT"/})"
mvn -B -ntp -f "$KOTLIN_DIR/pom.xml" test -Dlaissez.lib.dir="$LIB_DIR" "$@" </dev/null
