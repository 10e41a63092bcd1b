package app.laissez.demo.android

import app.laissez.renderQr
import org.junit.Assert.assertFalse
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.RobolectricTestRunner
import org.robolectric.annotation.Config
import org.robolectric.annotation.GraphicsMode

/**
 * The app started on a phone that already has a wallet (the lock screen), and codes the request
 * scanner must refuse on screen: each a state the person reads, never a crash.
 */
@RunWith(RobolectricTestRunner::class)
@Config(sdk = [34], application = UiTestApplication::class)
@GraphicsMode(GraphicsMode.Mode.NATIVE) // one Robolectric sandbox for every test: see UiTestApplication
class UnlockAndBadInputTest : AppUiTest() {
    @Test
    fun aWrongPinSaysHowManyAttemptsAreLeftThenTheRightOneOpens() {
        existingHolderWallet("2468")
        launch()
        compose.waitForText(str(R.string.unlock_title))
        compose.type(str(R.string.pin), "1111")
        compose.tap(str(R.string.unlock))
        compose.waitForText("Wrong PIN.", substring = true)
        val first = compose.allTexts().single { it.startsWith("Wrong PIN.") }
        compose.type(str(R.string.pin), "1112")
        compose.tap(str(R.string.unlock))
        compose.waitUntil(20_000) { compose.allTexts().any { it.startsWith("Wrong PIN.") && it != first } }
        val second = compose.allTexts().single { it.startsWith("Wrong PIN.") }
        // Fewer attempts left each time: "Wrong PIN. N attempts left."
        val n1 = Regex("""\d+""").find(first)!!.value.toInt()
        val n2 = Regex("""\d+""").find(second)!!.value.toInt()
        assert(n2 == n1 - 1) { "$first then $second" }

        compose.type(str(R.string.pin), "2468")
        compose.tap(str(R.string.unlock))
        compose.waitForText(str(R.string.no_credentials))
        assertFalse(compose.isShown(str(R.string.unlock_title)))
    }

    @Test
    fun theRequestScannerShowsWhatIsWrongWithACode() {
        existingHolderWallet("2468")
        launch()
        compose.waitForText(str(R.string.unlock_title))
        compose.type(str(R.string.pin), "2468")
        compose.tap(str(R.string.unlock))
        compose.tap(str(R.string.scan_request))
        compose.waitForText(str(R.string.scan_hint))

        // A camera frame with no code in it: still the hint, still scanning.
        val noise = java.util.Random(7).let { r -> ByteArray(320 * 240).also(r::nextBytes) }
        FakeCamera.show(app.laissez.demo.LumaFrame(320, 240, 320, noise))
        compose.waitUntil(20_000) { FakeCamera.pending == 0 }
        compose.waitForText(str(R.string.scan_hint))

        // A QR code of another app: said so.
        FakeCamera.show(toLuma(renderQr("HTTPS://EXAMPLE.ORG/NOT-A-WALLET", null)))
        compose.waitForText(str(R.string.error_not_laissez))

        // A Laissez code whose content is damaged: said so.
        FakeCamera.show(toLuma(renderQr("LZ1:" + "7".repeat(120), null)))
        compose.waitForText(str(R.string.error_damaged_code))
        assertFalse(compose.isShown(str(R.string.share)))

        // And the person can still go back to the list.
        compose.tap(str(R.string.back))
        compose.waitForText(str(R.string.no_credentials))
    }
}
