#!/usr/bin/env bash
# Compiles the Android resources for the UI tests (android-demo/ui-tests) without the Android SDK:
# Debian's aapt (1:10.0.0) links the app's res/ and the res/ of every AAR that Maven unpacked
# into TARGET/aar/ against the framework resources of Robolectric's android-all jar, into
# TARGET/r/resources.apk, with R.java for the app's package and each library's package (same
# ids, --extra-packages). Writes Robolectric's
# com/android/tools/test_config.properties (binary resources mode) into the test classpath.
# Called by ui-tests/pom.xml (generate-sources): TARGET ANDROID_ALL_JAR.
set -euo pipefail
TARGET="$1"
ANDROID_JAR="$2"
APP="$(cd "$(dirname "${BASH_SOURCE[0]}")/../app/src/main" && pwd)"
PKG=app.laissez.demo.android
command -v aapt >/dev/null || { echo "aapt missing: apt-get install aapt (scripts/android-ui-test.sh does)" >&2; exit 1; }
OUT="$TARGET/r"
rm -rf "$OUT" && mkdir -p "$OUT/gen"

# The manifest as the build would merge it: the namespace as package, the SDK levels of
# app/build.gradle.kts (compileSdk 35 is not in Robolectric 4.14: tests run on 34).
sed -e "s#<manifest #<manifest package=\"$PKG\" #" \
    -e "s#\(<application\)#<uses-sdk android:minSdkVersion=\"24\" android:targetSdkVersion=\"34\" />\n    \1#" \
    "$APP/AndroidManifest.xml" > "$OUT/AndroidManifest.xml"

# Every AAR with resources: its res/ after the app's (the app's win), its package for R.
res=(-S "$APP/res")
packages=()
for dir in "$TARGET"/aar/*/; do
  [ -f "$dir/AndroidManifest.xml" ] || continue
  pkg=$(sed -n 's/.*package="\([^"]*\)".*/\1/p' "$dir/AndroidManifest.xml" | head -1)
  [ -n "$pkg" ] && packages+=("$pkg")
  if [ -d "$dir/res" ] && [ -n "$(ls -A "$dir/res")" ]; then
    # A copy in aapt v1's syntax: AARs are built by aapt2, which also takes <id name="x"/>.
    copy="$OUT/res/$(basename "$dir")"
    mkdir -p "$copy" && cp -r "$dir/res/." "$copy/"
    find "$copy" -path '*/values*/*.xml' -exec sed -i -E 's#<id name="([^"]+)"( */>|>[^<]*</id>)#<item name="\1" type="id"/>#g' {} +
    res+=(-S "$copy")
  fi
done
extra=$(printf '%s\n' "${packages[@]}" | sort -u | grep -vx "$PKG" | paste -sd:)
aapt package -f -m --auto-add-overlay --no-version-vectors \
  -M "$OUT/AndroidManifest.xml" -I "$ANDROID_JAR" "${res[@]}" \
  --extra-packages "$extra" -J "$OUT/gen" -F "$OUT/resources.apk"




mkdir -p "$TARGET/test-classes/com/android/tools"
cat > "$TARGET/test-classes/com/android/tools/test_config.properties" <<EOF
android_resource_apk=$OUT/resources.apk
android_merged_manifest=$OUT/AndroidManifest.xml
android_custom_package=$PKG
EOF
echo "aapt: $(find "$OUT/gen" -name R.java | wc -l) R classes, $(du -k "$OUT/resources.apk" | cut -f1) KiB resources.apk"
