#!/usr/bin/env bash
# Swift tests of the UniFFI bindings: build liblaissez (debug, unstripped, because library-mode
# generation reads its metadata), generate the Swift bindings into bindings/swift, run
# `swift test` there.
#
# Swift: a native `swift` if it runs (macOS, or a Linux that has one); otherwise a Debian trixie
# root made once with debootstrap (trixie's swiftlang needs glibc 2.38, Debian 12 has 2.36),
# cached in $LAISSEZ_SWIFT_ROOT (default ~/.cache/laissez/swift-trixie); that path needs root.
# The first run takes about 2 minutes and 2.7 GB; later runs reuse the root and the SwiftPM
# cache (bindings/swift/.build).
#
# Usage: scripts/swift-test.sh [extra `swift test` arguments, e.g. --filter CoreVersionTests]
# LAISSEZ_SWIFT_TEST_PACKAGE=<dir inside the repository> runs `swift test` in another package
# that uses these generated bindings (scripts/ios-demo-test.sh: ios-demo/LaissezDemoKit).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
pkg=$repo/bindings/swift
test_pkg=${LAISSEZ_SWIFT_TEST_PACKAGE:-$pkg}
cd "$repo"

# 1. The host library, and the bindings generated from it.
cargo build -p laissez-ffi
libdir=$(cd "${CARGO_TARGET_DIR:-target}/debug" && pwd -P)
case $(uname -s) in Darwin) lib=$libdir/liblaissez.dylib ;; *) lib=$libdir/liblaissez.so ;; esac

gen=$libdir/uniffi-swift
rm -rf "$gen"
cargo run -q -p uniffi-bindgen -- generate "$lib" --language swift \
    --out-dir "$gen" --no-format
# Copy only what changed, so SwiftPM does not rebuild unchanged sources.
put() { mkdir -p "$(dirname "$2")"; cmp -s "$1" "$2" || cp "$1" "$2"; }
put "$gen/Laissez.swift" "$pkg/Sources/Laissez/Laissez.swift"
put "$gen/LaissezFFI.h" "$pkg/Sources/LaissezFFI/LaissezFFI.h"
# SwiftPM's .systemLibrary only looks for a file named module.modulemap.
put "$gen/LaissezFFI.modulemap" "$pkg/Sources/LaissezFFI/module.modulemap"

# 2. Swift: native if it works.
if swift --version >/dev/null 2>&1; then
    LAISSEZ_LIB_DIR=$libdir LD_LIBRARY_PATH=$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} \
        exec swift test --package-path "$test_pkg" "$@"
fi
[ "$(uname -s)" = Linux ] || { echo "swift-test: no working swift found" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "swift-test: no swift here; the trixie chroot needs root" >&2; exit 1; }

root=${LAISSEZ_SWIFT_ROOT:-${HOME:-/root}/.cache/laissez/swift-trixie}
mkdir -p "$(dirname "$root")"
# One run at a time per root: mounts and apt are not shared safely.
exec 9>"$root.lock"
flock 9

mounted=()
unmount_all() {
    local i
    for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount -l "${mounted[i]}" || true; done
    mounted=()
}
on_exit() { local rc=$?; unmount_all; exit "$rc"; }
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
mnt() { # mnt <mount args...> <target>: mount, and remember it for the trap.
    mkdir -p "${!#}"
    mount "$@"
    mounted+=("${!#}")
}
# Anything still mounted under the root (a killed run) is unmounted before use or removal:
# rm -rf on a root with the repository bind-mounted would delete the repository.
clear_stale_mounts() {
    local m
    while read -r m; do umount -l "$m"; done < <(awk -v r="$root/" \
        'index($2 "/", r) == 1 { print $2 }' /proc/self/mounts | sort -r)
    if awk -v r="$root/" 'index($2 "/", r) == 1 { f = 1 } END { exit !f }' /proc/self/mounts; then
        echo "swift-test: mounts remain under $root; not touching it" >&2
        exit 1
    fi
}
clear_stale_mounts

# 3. The trixie root, once. The ready marker is written last, so a half-made root is redone.
# Only a directory this script made (tag file) or an empty one is ever removed.
tag=$root/.laissez-swift-root
marker=$root/.laissez-swift-ready
if [ ! -e "$marker" ]; then
    if [ -d "$root" ] && [ ! -e "$tag" ] && [ -n "$(ls -A "$root")" ]; then
        echo "swift-test: $root is not empty and was not made by this script" >&2
        exit 1
    fi
    rm -rf "$root"
    mkdir -p "$root"
    touch "$tag"
    if ! command -v debootstrap >/dev/null; then
        apt-get update -q
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap
    fi
    debootstrap --variant=minbase trixie "$root" http://deb.debian.org/debian
fi
mnt -t proc proc "$root/proc"
mnt --bind /dev "$root/dev"
if [ ! -e "$marker" ]; then
    chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
        sh -c 'apt-get update -q && apt-get install -y -q --no-install-recommends \
            swiftlang libc6-dev libstdc++-14-dev && apt-get clean'
    touch "$marker"
fi

# 4. swift test inside it (XCTest only: our tests are XCTest, and an empty Swift Testing run
#    would close the log with "0 tests passed"), with the repository (and the library) at the same paths.
mnt --bind "$repo" "$root$repo"
case $libdir/ in "$repo"/*) ;; *) mnt --bind "$libdir" "$root$libdir" ;; esac
chroot "$root" /usr/bin/env -i PATH=/usr/bin:/bin HOME=/root LANG=C.UTF-8 \
    LAISSEZ_LIB_DIR="$libdir" LD_LIBRARY_PATH="$libdir" \
    swift test --package-path "$test_pkg" --disable-swift-testing "$@"
