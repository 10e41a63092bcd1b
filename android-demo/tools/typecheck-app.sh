#!/usr/bin/env bash
# Type-checks the Android app's Kotlin (android-demo/app) without the Android SDK: compiles it
# with the Kotlin compiler and the Compose compiler plugin against the AndroidX AARs from
# Google's Maven repository, Robolectric's android-all jar (the Android 14 framework classes)
# and the view models + bindings compiled by scripts/android-demo-test.sh (run that first).
# R is a generated stub; CameraScanner.kt is left out (CameraX was not served by the mirror
# this was written on) and replaced by a stub of its signature. Nothing is packaged or run:
# this only catches compile errors. Downloads about 165 MB into $WORK (default /tmp).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DEMO="$ROOT/android-demo"
WORK="${WORK:-/tmp/laissez-android-typecheck}"
KOTLIN=2.4.21 # the version of viewmodels/pom.xml, whose compiler is already in ~/.m2
CLASSES="$DEMO/viewmodels/target/classes"
[ -d "$CLASSES/app/laissez/demo" ] || { echo "run scripts/android-demo-test.sh first" >&2; exit 1; }
mkdir -p "$WORK/libs" "$WORK/cp" "$WORK/stubs/app/laissez/demo/android"
cd "$WORK"

cat > settings.xml <<'XML'
<settings><profiles><profile><id>google</id><repositories><repository><id>google</id>
<url>https://dl.google.com/dl/android/maven2/</url></repository></repositories></profile></profiles>
<activeProfiles><activeProfile>google</activeProfile></activeProfiles></settings>
XML
# Same versions as app/build.gradle.kts (compose-bom 2024.12.01). No transitive resolution:
# Gradle-published POMs use version ranges that Maven cannot always resolve.
artifacts=(
  org.robolectric:android-all:14-robolectric-10818077:jar
  androidx.compose.runtime:runtime-android:1.7.6:aar
  androidx.compose.runtime:runtime-saveable-android:1.7.6:aar
  androidx.compose.ui:ui-android:1.7.6:aar
  androidx.compose.ui:ui-graphics-android:1.7.6:aar
  androidx.compose.ui:ui-geometry-android:1.7.6:aar
  androidx.compose.ui:ui-unit-android:1.7.6:aar
  androidx.compose.ui:ui-text-android:1.7.6:aar
  androidx.compose.ui:ui-util-android:1.7.6:aar
  androidx.compose.foundation:foundation-android:1.7.6:aar
  androidx.compose.foundation:foundation-layout-android:1.7.6:aar
  androidx.compose.animation:animation-android:1.7.6:aar
  androidx.compose.animation:animation-core-android:1.7.6:aar
  androidx.compose.material3:material3-android:1.3.1:aar
  androidx.activity:activity:1.9.3:aar
  androidx.activity:activity-compose:1.9.3:aar
  androidx.activity:activity-ktx:1.9.3:aar
  androidx.lifecycle:lifecycle-common-jvm:2.8.7:jar
  androidx.lifecycle:lifecycle-runtime-android:2.8.7:aar
  androidx.lifecycle:lifecycle-viewmodel-android:2.8.7:aar
  androidx.lifecycle:lifecycle-viewmodel-compose-android:2.8.7:aar
  androidx.lifecycle:lifecycle-runtime-compose-android:2.8.7:aar
  androidx.lifecycle:lifecycle-viewmodel-savedstate:2.8.7:aar
  androidx.savedstate:savedstate:1.2.1:aar
  androidx.core:core:1.13.1:aar
  androidx.annotation:annotation-jvm:1.8.1:jar
  org.jetbrains.kotlinx:kotlinx-coroutines-android:1.11.0:jar
  org.jetbrains.kotlinx:kotlinx-coroutines-core-jvm:1.11.0:jar
  net.java.dev.jna:jna:5.19.1:jar
  org.jetbrains.kotlin:kotlin-stdlib:$KOTLIN:jar
  org.jetbrains.kotlin:kotlin-compose-compiler-plugin-embeddable:$KOTLIN:jar
  org.jetbrains.kotlin:kotlin-compiler-embeddable:$KOTLIN:jar
  org.jetbrains.kotlin:kotlin-script-runtime:$KOTLIN:jar
  org.jetbrains.kotlin:kotlin-daemon-embeddable:$KOTLIN:jar
  org.jetbrains.kotlin:kotlin-reflect:1.6.10:jar
  org.jetbrains.kotlinx:kotlinx-coroutines-core-jvm:1.8.0:jar
  org.jetbrains.intellij.deps:trove4j:1.0.20200330:jar
  org.jetbrains:annotations:13.0:jar
)
echo "==> fetching ${#artifacts[@]} artifacts"
for a in "${artifacts[@]}"; do
  IFS=: read -r g n v t <<<"$a"
  [ -f "libs/$n-$v.$t" ] && continue
  mvn -B -ntp -q -s settings.xml org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
    -Dartifact="$a" -DoutputDirectory=libs </dev/null
done
rm -f cp/*.jar
for f in libs/*.aar; do unzip -p "$f" classes.jar > "cp/$(basename "$f" .aar).jar"; done
compiler=()
for f in libs/*.jar; do
  case "$(basename "$f")" in
    kotlin-compiler-embeddable-*|kotlin-script-runtime-*|kotlin-daemon-embeddable-*|kotlin-reflect-*|kotlinx-coroutines-core-jvm-1.8.0*|trove4j-*|annotations-13.0*) compiler+=("$f") ;;
    kotlin-compose-compiler-plugin-*) ;;
    *) cp "$f" cp/ ;;
  esac
done
compiler+=("libs/kotlin-stdlib-$KOTLIN.jar")

# R.string from res/values/strings.xml; a stand-in for CameraScanner.kt (CameraXFrameSource).
python3 - "$DEMO/app/src/main/res/values/strings.xml" > stubs/app/laissez/demo/android/R.java <<'PY'
import re, sys
names = re.findall(r'name="(\w+)"', open(sys.argv[1]).read())
print("package app.laissez.demo.android;\npublic final class R {\n  public static final class string {")
for i, n in enumerate(names):
    print(f"    public static final int {n} = {0x7f100000 + i};")
print("  }\n}")
PY
cat > stubs/CameraStub.kt <<'KT'
package app.laissez.demo.android
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import app.laissez.demo.LumaFrame
object CameraXFrameSource : FrameSource {
    @Composable
    override fun Preview(onFrame: suspend (LumaFrame) -> Unit, modifier: Modifier) {}
}
KT

mapfile -t sources < <(ls "$DEMO"/app/src/main/kotlin/app/laissez/demo/android/*.kt | grep -v '/CameraScanner.kt$')
echo "==> kotlinc (compose plugin) ${#sources[@]} app sources, CameraScanner.kt stubbed"
rm -rf out
java -cp "$(IFS=:; echo "${compiler[*]}")" org.jetbrains.kotlin.cli.jvm.K2JVMCompiler \
  -no-stdlib -no-reflect -jvm-target 17 -Werror \
  -Xplugin="libs/kotlin-compose-compiler-plugin-embeddable-$KOTLIN.jar" \
  -cp "$(ls cp/*.jar | tr '\n' ':')$CLASSES" -d out \
  "${sources[@]}" stubs/CameraStub.kt stubs/app/laissez/demo/android/R.java
echo "==> app sources type-check: OK ($(find out -name '*.class' | wc -l) classes)"
