// The view models as an Android library for the app. They are plain Kotlin (no androidx):
// on this project's build machines they are compiled and tested on the JVM through pom.xml
// (scripts/android-demo-test.sh), against the host build of the core. The JVM tests are not
// run by Gradle: on Android the bindings load liblaissez.so through JNA's Android AAR, which
// has no desktop native; use the Maven harness (or an instrumented test) instead.
plugins {
    id("com.android.library")
    id("org.jetbrains.kotlin.android")
}

android {
    namespace = "app.laissez.demo"
    compileSdk = 35
    defaultConfig { minSdk = 24 }
    sourceSets["main"].kotlin.srcDir("src/main/kotlin")
    // src/test holds the Maven/JUnit 5 tests that need the host library: not an Android unit test.
    sourceSets["test"].kotlin.setSrcDirs(emptyList<String>())
    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }
    kotlinOptions { jvmTarget = "17" }
}

dependencies {
    api("app.laissez:laissez:0.1.0") // bindings/android, substituted in settings.gradle.kts
    api("org.jetbrains.kotlinx:kotlinx-coroutines-core:1.11.0")
}
