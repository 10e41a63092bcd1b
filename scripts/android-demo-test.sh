#!/usr/bin/env bash
# JVM tests of the Android demo's view models (android-demo/viewmodels): scripts/kotlin-test.sh
# builds the host library, generates the Kotlin bindings into the module's target/ and runs
# JUnit 5 through Maven there. The Android app module itself needs the Android SDK and is not
# built here. Non-interactive; safe to run repeatedly.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LAISSEZ_KOTLIN_TEST_MODULE="$ROOT/android-demo/viewmodels" exec "$ROOT/scripts/kotlin-test.sh" "$@"
