// The demo app: Compose screens over the view models of ../viewmodels, CameraX for the camera
// (Y plane straight into the core's QR scanner: no Google Play services, no ML Kit), Android
// Keystore for the wallet's hardware key. Not compiled on the project's build machines (no
// Android SDK there): see ../README.md.
plugins {
    id("com.android.application")
    id("org.jetbrains.kotlin.android")
    id("org.jetbrains.kotlin.plugin.compose")
}

android {
    namespace = "app.laissez.demo.android"
    compileSdk = 35
    defaultConfig {
        applicationId = "app.laissez.demo"
        minSdk = 24
        targetSdk = 35
        versionCode = 1
        versionName = "0.1.0"
        // The core ships for these ABIs (scripts/build-android.sh).
        ndk { abiFilters += listOf("arm64-v8a", "armeabi-v7a", "x86_64") }
    }
    buildTypes {
        release {
            isMinifyEnabled = true
            // JNA and the generated bindings are kept by bindings/android/consumer-rules.pro.
            proguardFiles(getDefaultProguardFile("proguard-android-optimize.txt"))
        }
    }
    buildFeatures { compose = true }
    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }
    kotlinOptions { jvmTarget = "17" }
    packaging {
        // 16 KB-aligned native libraries stay uncompressed in the APK.
        jniLibs.useLegacyPackaging = false
    }
}

dependencies {
    implementation(project(":viewmodels"))
    // The core: generated Kotlin + liblaissez.so per ABI, from the included build
    // (settings.gradle.kts). With the AAR of scripts/build-android.sh instead:
    //   implementation(files("../../bindings/android/build/outputs/aar/laissez-release.aar"))
    implementation("app.laissez:laissez:0.1.0")
    // UniFFI's Kotlin calls the core through JNA: the AAR carries JNA's Android natives.
    implementation("net.java.dev.jna:jna:5.19.1@aar")
    implementation("org.jetbrains.kotlinx:kotlinx-coroutines-android:1.11.0")

    implementation(platform("androidx.compose:compose-bom:2024.12.01"))
    implementation("androidx.compose.ui:ui")
    implementation("androidx.compose.foundation:foundation")
    implementation("androidx.compose.material3:material3")
    implementation("androidx.activity:activity-compose:1.9.3")
    implementation("androidx.lifecycle:lifecycle-viewmodel-compose:2.8.7")
    implementation("androidx.lifecycle:lifecycle-runtime-compose:2.8.7")

    val camerax = "1.4.1"
    implementation("androidx.camera:camera-camera2:$camerax")
    implementation("androidx.camera:camera-lifecycle:$camerax")
    implementation("androidx.camera:camera-view:$camerax")
}
