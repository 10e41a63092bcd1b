#!/usr/bin/env bash
# XCTest of ios-demo/LaissezDemoKit (the iOS demo's models, no Apple frameworks) against the real
# bindings: scripts/swift-test.sh builds liblaissez, generates the Swift bindings into
# bindings/swift and runs `swift test` (native, or in its Debian trixie chroot, which
# bind-mounts the whole repository) with the package path pointed at LaissezDemoKit.
# LaissezDemoKit reaches the generated sources through symlinks into bindings/swift/Sources.
#
# Usage: scripts/ios-demo-test.sh [extra `swift test` arguments, e.g. --filter VerifierModelTests]
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
LAISSEZ_SWIFT_TEST_PACKAGE=$repo/ios-demo/LaissezDemoKit exec "$repo/scripts/swift-test.sh" "$@"
