// Versions in one place; the modules apply the plugins. Keep the Android Gradle plugin and
// Kotlin versions equal to bindings/android/build.gradle.kts (the included build).
plugins {
    id("com.android.application") version "8.7.3" apply false
    id("com.android.library") version "8.7.3" apply false
    id("org.jetbrains.kotlin.android") version "2.1.0" apply false
    id("org.jetbrains.kotlin.plugin.compose") version "2.1.0" apply false
}
