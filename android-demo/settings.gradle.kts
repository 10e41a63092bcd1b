// The Laissez Android demo: the app (Compose) and its view models (plain Kotlin, also built and
// tested on the JVM by scripts/android-demo-test.sh through viewmodels/pom.xml).
// Open this folder in Android Studio after scripts/build-android.sh has put the generated
// bindings and the jniLibs into bindings/android.
pluginManagement {
    repositories {
        google()
        mavenCentral()
        gradlePluginPortal()
    }
}
dependencyResolutionManagement {
    repositories {
        google()
        mavenCentral()
    }
}
rootProject.name = "laissez-android-demo"
include(":app", ":viewmodels")

// The bindings' Android library (generated Kotlin + jniLibs), built from source as a composite
// build. To use the AAR from scripts/build-android.sh instead, drop this block and see
// app/build.gradle.kts.
includeBuild("../bindings/android") {
    dependencySubstitution {
        substitute(module("app.laissez:laissez")).using(project(":"))
    }
}
