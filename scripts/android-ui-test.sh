#!/usr/bin/env bash
# The Android demo app's screens on the JVM (android-demo/ui-tests): Robolectric + Compose UI
# tests against the real DemoViewModel, view models and core. Installs Debian's aapt when it is
# missing (as root), has Maven fetch the AndroidX AARs and unzips them, then scripts/kotlin-test.sh builds the host library, generates the Kotlin
# bindings into ui-tests/target/ and runs `mvn test` there (Maven fetches AndroidX from Google's
# Maven repository, Robolectric and its android-all jars from Maven Central; no Android SDK).
# Screenshots go to android-demo/build/screenshots/. Non-interactive; safe to run repeatedly.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if ! command -v aapt >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    echo "==> apt-get install aapt"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q aapt >/dev/null \
      || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q aapt >/dev/null; }
  else
    echo "aapt missing: run 'apt-get install aapt' as root" >&2
    exit 1
  fi
fi
# Robolectric and the Compose tests in one JVM: a modest heap for Maven itself.
export MAVEN_OPTS="${MAVEN_OPTS:--Xmx768m}"
# The AARs unpacked first, in a Maven run of their own (see the comment in ui-tests/pom.xml).
echo "==> mvn: fetch and unpack the AndroidX AARs, Robolectric's android-all, the Compose plugin"
UI="$ROOT/android-demo/ui-tests"
mvn -B -ntp -q -f "$UI/pom.xml" dependency:copy@copy-aars dependency:copy@copy-tools "$@" </dev/null
for aar in "$UI"/target/aar-files/*.aar; do
  dir="$UI/target/aar/$(basename "$aar" .aar)"
  [ -f "$dir/classes.jar" ] && [ "$dir/classes.jar" -nt "$aar" ] && continue
  rm -rf "$dir" && mkdir -p "$dir" && unzip -q -o "$aar" -d "$dir"
  # An AAR without code still needs a classes.jar for its system-scope path.
  [ -f "$dir/classes.jar" ] || (cd "$dir" && mkdir -p empty && jar cf classes.jar -C empty . && rmdir empty)
done
LAISSEZ_KOTLIN_TEST_MODULE="$ROOT/android-demo/ui-tests" exec "$ROOT/scripts/kotlin-test.sh" "$@"
