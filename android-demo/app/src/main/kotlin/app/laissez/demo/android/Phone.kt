package app.laissez.demo.android

import androidx.compose.runtime.Composable
import androidx.compose.runtime.staticCompositionLocalOf
import androidx.compose.ui.Modifier
import app.laissez.WalletOptions
import app.laissez.demo.LumaFrame

/**
 * A camera as the screens see it: a preview that hands each frame's 8-bit luma to [onFrame]
 * (which feeds the core's `QrScanner.pushLuma` through a view model). On a phone this is CameraX
 * ([CameraXFrameSource] in CameraScanner.kt); the JVM UI tests (android-demo/ui-tests) put in
 * frames drawn from the core's own QR rendering instead.
 */
interface FrameSource {
    @Composable
    fun Preview(onFrame: suspend (LumaFrame) -> Unit, modifier: Modifier)
}

/**
 * What the app takes from the phone itself: the camera and how a wallet is protected (PIN
 * stretching and the hardware key). [LaissezApplication] gives the real phone's; a test
 * Application gives its own.
 */
interface Phone {
    val camera: FrameSource

    /** The options a wallet file is created and opened with; [keyAlias] names its hardware key. */
    fun walletOptions(keyAlias: String): WalletOptions
}

/** Implemented by the Application: where [DemoViewModel] and [MainActivity] find the [Phone]. */
interface PhoneProvider {
    val phone: Phone
}

/** The camera the screens scan with, provided by [MainActivity] from the [Phone]. */
val LocalFrameSource = staticCompositionLocalOf<FrameSource> { error("no camera provided (MainActivity provides it)") }

/** The camera preview of every scanning screen, whatever camera the [Phone] has. */
@Composable
fun CameraScanner(onFrame: suspend (LumaFrame) -> Unit, modifier: Modifier = Modifier) {
    LocalFrameSource.current.Preview(onFrame, modifier)
}
