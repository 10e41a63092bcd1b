#!/usr/bin/env bash
# Builds the Apple library of the core: liblaissez.a for iOS devices (arm64) and the
# simulator (arm64 + x86_64, one fat slice), the Swift bindings and the C module generated
# from the host build, Laissez.xcframework, and a Swift package in bindings/apple whose
# `binaryTarget` is that framework (apps add bindings/apple as a local package).
#
# Needs a Mac with Xcode 15+ and rustup. NOT run on the project's build machines (Linux, no
# Xcode); the host-side binding generation is the same as scripts/swift-test.sh, which CI runs.
#
# Usage: scripts/build-xcframework.sh [--demo]
#   --demo    also build TestIssuer / TestTrustListSigner in (feature test-issuer), as ios-demo
#             needs; an app of your own leaves it out
# Output: bindings/apple/Laissez.xcframework and bindings/apple/Sources/Laissez/Laissez.swift
#         (a Swift package for apps), and build/ios/LaissezFFI.xcframework (the same libraries
#         without headers, for ios-demo, whose LaissezDemoKit brings the module map itself)
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$repo"
out=$repo/bindings/apple
targets=(aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios)

die() { echo "build-xcframework: $*" >&2; exit 1; }
# No image codecs and, unless --demo, no test issuer (docs/adr/0009-phone-library-size.md);
# the bindings come from a host build with the very same features.
features=(--no-default-features)
case "${1:-}" in
    --demo) features=(--no-default-features --features test-issuer) ;;
    "") ;;
    *) die "unknown argument $1 (usage: $0 [--demo])" ;;
esac
[ "$(uname -s)" = Darwin ] || die "needs macOS with Xcode (xcodebuild, lipo)"
command -v xcodebuild >/dev/null || die "xcodebuild missing: install Xcode"
rustup target add "${targets[@]}" >/dev/null
export IPHONEOS_DEPLOYMENT_TARGET=15.0

target_dir=$(cargo metadata --format-version 1 --no-deps | python3 -c \
    'import json,sys; print(json.load(sys.stdin)["target_directory"])')

# 1. Bindings from the host library (library mode reads the unstripped metadata).
cargo build -p laissez-ffi "${features[@]}"
gen=$target_dir/uniffi-apple
rm -rf "$gen"
cargo run -q -p uniffi-bindgen -- generate "$target_dir/debug/liblaissez.dylib" \
    --language swift --out-dir "$gen" --no-format
mkdir -p "$out/Sources/Laissez" "$gen/include"
cp "$gen/Laissez.swift" "$out/Sources/Laissez/Laissez.swift"
cp "$gen/LaissezFFI.h" "$gen/include/"
# Inside an xcframework the module map must be named module.modulemap.
cp "$gen/LaissezFFI.modulemap" "$gen/include/module.modulemap"

# 2. Static libraries, `mobile` profile (release with opt-level z, LTO), debug symbols
# stripped; source paths without the builder's directories, C code without unwind tables (as
# scripts/library-size.sh measures).
cargo_home=${CARGO_HOME:-$HOME/.cargo}
export RUSTFLAGS="${RUSTFLAGS:-} --remap-path-prefix=$cargo_home/registry/src=crates \
--remap-path-prefix=$repo=laissez"
export CFLAGS="${CFLAGS:-} -fno-asynchronous-unwind-tables -fno-unwind-tables"
# `rustc --crate-type staticlib` rather than `build`: with the crate's `lib` output beside the
# static library, Cargo silently builds without LTO (rust-lang/cargo#9672; ADR 0009, fourth
# amendment).
for target in "${targets[@]}"; do
    cargo rustc --profile mobile -p laissez-ffi --target "$target" --crate-type staticlib \
        "${features[@]}"
done
sim=$target_dir/ios-sim-universal
mkdir -p "$sim"
lipo -create \
    "$target_dir/aarch64-apple-ios-sim/mobile/liblaissez.a" \
    "$target_dir/x86_64-apple-ios/mobile/liblaissez.a" \
    -output "$sim/liblaissez.a"
strip -S "$target_dir/aarch64-apple-ios/mobile/liblaissez.a" "$sim/liblaissez.a"

# 3. The XCFramework.
rm -rf "$out/Laissez.xcframework"
xcodebuild -create-xcframework \
    -library "$target_dir/aarch64-apple-ios/mobile/liblaissez.a" -headers "$gen/include" \
    -library "$sim/liblaissez.a" -headers "$gen/include" \
    -output "$out/Laissez.xcframework"
du -sh "$out/Laissez.xcframework"
# The demo app compiles the bindings through LaissezDemoKit (which has the LaissezFFI module
# map already), so it links a header-less copy to avoid two definitions of the module.
demo=$repo/build/ios/LaissezFFI.xcframework
rm -rf "$demo"
mkdir -p "$(dirname "$demo")"
xcodebuild -create-xcframework \
    -library "$target_dir/aarch64-apple-ios/mobile/liblaissez.a" \
    -library "$sim/liblaissez.a" \
    -output "$demo"
echo "Add $out as a local Swift package; import Laissez. ios-demo links $demo."
