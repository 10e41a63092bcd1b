#!/usr/bin/env bash
# Builds the Android library of the core: liblaissez.so for arm64-v8a, armeabi-v7a and x86_64
# with cargo-ndk (16 KB page alignment, as Android 15+ devices require), the Kotlin bindings
# generated from the host build, and an AAR through the Gradle module in bindings/android.
#
# Needs, on the user's machine: the Android NDK (ANDROID_NDK_HOME, r26 or newer), rustup,
# cargo-ndk, a JDK 17 and Gradle (or Android Studio). NOT run on the project's build machines,
# which have no NDK or Gradle; the host-side steps (bindings generation) are the same as
# scripts/kotlin-test.sh, which CI runs.
#
# Usage: scripts/build-android.sh [--demo] [--no-aar]
#   --demo    also build TestIssuer / TestTrustListSigner in (feature test-issuer), as the
#             android-demo app needs; an app of your own leaves it out
# Output: bindings/android/src/main/jniLibs/<abi>/liblaissez.so (stripped),
#         bindings/android/src/main/kotlin/ (generated Kotlin), and with Gradle
#         bindings/android/build/outputs/aar/laissez-release.aar
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$repo"
module=$repo/bindings/android
abis=(arm64-v8a armeabi-v7a x86_64)
targets=(aarch64-linux-android armv7-linux-androideabi x86_64-linux-android)
min_sdk=24

die() { echo "build-android: $*" >&2; exit 1; }
# The phone library has no image codecs and, unless --demo, no test issuer
# (docs/adr/0009-phone-library-size.md). The bindings are generated from a host build with the
# very same features: a generated function the library lacks would fail at load time.
features=(--no-default-features)
aar=1
for arg in "$@"; do
    case "$arg" in
        --demo) features=(--no-default-features --features test-issuer) ;;
        --no-aar) aar=0 ;;
        *) die "unknown argument $arg (usage: $0 [--demo] [--no-aar])" ;;
    esac
done
[ -n "${ANDROID_NDK_HOME:-}" ] || die "set ANDROID_NDK_HOME to an NDK (r26 or newer)"
command -v cargo-ndk >/dev/null || die "cargo-ndk missing: cargo install cargo-ndk"
rustup target add "${targets[@]}" >/dev/null

# 1. Kotlin bindings from the host library (library mode reads the unstripped metadata).
cargo build -p laissez-ffi "${features[@]}"
host_lib=$(cargo metadata --format-version 1 --no-deps | python3 -c \
    'import json,sys; print(json.load(sys.stdin)["target_directory"])')/debug/liblaissez.so
rm -rf "$module/src/main/kotlin"
cargo run -q -p uniffi-bindgen -- generate "$host_lib" --language kotlin \
    --out-dir "$module/src/main/kotlin" --no-format

# 2. The native libraries: `mobile` profile (release with opt-level z, LTO), 16 KB pages,
# stripped. The link settings are those scripts/library-size.sh measures:
# - max-page-size keeps the ELF segments aligned for 16 KB-page devices (Android 15+);
# - packed relative relocations (Android's own format, loaded from API 23; RELR needs 28);
# - identical code folding of all identical functions (Rust promises no unique function
#   addresses; the crates split in ADR 0011 leaves one copy of each generic per crate);
# - source paths without the builder's directories;
# - C code (SQLite, ring) without unwind tables: no Rust panic unwinds through it.
cargo_home=${CARGO_HOME:-$HOME/.cargo}
export RUSTFLAGS="${RUSTFLAGS:-} -C link-arg=-Wl,-z,max-page-size=16384 \
-C link-arg=-Wl,--pack-dyn-relocs=android -C link-arg=-Wl,--icf=all \
--remap-path-prefix=$cargo_home/registry/src=crates --remap-path-prefix=$repo=laissez"
export CFLAGS="${CFLAGS:-} -fno-asynchronous-unwind-tables -fno-unwind-tables"
args=()
for abi in "${abis[@]}"; do args+=(-t "$abi"); done
# `rustc --crate-type cdylib` rather than `build`: with the crate's `lib` output beside the
# cdylib, Cargo silently builds without LTO (rust-lang/cargo#9672; ADR 0009, fourth amendment).
cargo ndk "${args[@]}" --platform "$min_sdk" -o "$module/src/main/jniLibs" \
    rustc --profile mobile -p laissez-ffi --crate-type cdylib "${features[@]}"
strip_tool=$(find "$ANDROID_NDK_HOME/toolchains/llvm/prebuilt" -name llvm-strip | head -1)
for abi in "${abis[@]}"; do
    so=$module/src/main/jniLibs/$abi/liblaissez.so
    [ -f "$so" ] || die "missing $so"
    [ -n "$strip_tool" ] && "$strip_tool" --strip-unneeded "$so"
    printf '%-12s %s bytes\n' "$abi" "$(stat -c %s "$so")"
done

# 3. The AAR (generated Kotlin + jniLibs + JNA as an AAR dependency).
if ((aar)); then
    command -v gradle >/dev/null || die "gradle missing (or open bindings/android in Android Studio)"
    (cd "$module" && gradle --no-daemon assembleRelease)
    ls -l "$module"/build/outputs/aar/*.aar
fi
