package app.laissez.demo.android

import android.app.Application
import app.laissez.WalletOptions
import app.laissez.recommendedPinKdf

/** The app on a real phone: CameraX and the Android Keystore (see [Phone]). */
class LaissezApplication : Application(), PhoneProvider {
    override val phone: Phone = AndroidPhone
}

/** The phone's own camera (CameraX) and hardware key (Android Keystore, StrongBox if present). */
object AndroidPhone : Phone {
    override val camera: FrameSource = CameraXFrameSource

    override fun walletOptions(keyAlias: String) = WalletOptions(recommendedPinKdf(), keystoreProtector(keyAlias), null)
}
