package app.laissez.demo.android

import androidx.compose.ui.test.performClick
import org.junit.Assert.assertFalse
import org.junit.Assert.assertTrue
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.RobolectricTestRunner
import org.robolectric.annotation.Config
import org.robolectric.annotation.GraphicsMode

/**
 * A check without a request, as a person and a field worker do it: the holder switches on one
 * claim and shows the static codes, told how long they are accepted; the verifier scans them
 * without a request, sees only that claim, and finds the check in its log.
 */
@RunWith(RobolectricTestRunner::class)
@Config(sdk = [34], application = UiTestApplication::class, qualifiers = "w360dp-h640dp-xhdpi")
@GraphicsMode(GraphicsMode.Mode.NATIVE)
class StaticCodeTest : AppUiTest() {
    @Test
    fun aStaticCodeSaysHowLongItIsAcceptedShowsOnlyWhatWasSwitchedOnAndIsLogged() {
        launch()
        compose.holderWithDemoCredential()
        compose.tap("IOM registration")
        compose.waitForText("Given name") // the credential's detail
        compose.tap(str(R.string.show_without_request))
        compose.waitForText(str(R.string.static_select_title))
        // Nothing is on at first: the person switches on the given name only.
        compose.switchBeside("Given name").performClick()
        compose.waitForIdle()
        compose.tap(str(R.string.show_codes))
        compose.waitForText(str(R.string.static_show_warning))

        // "Accepted for m:ss more": within the core's window (two minutes, bound to its start).
        val prefix = str(R.string.static_accepted_for, "X").substringBefore("X").trim() // "Accepted for"
        compose.waitForText(prefix, substring = true)
        val left = compose.allTexts().firstNotNullOf { Regex("""(\d+):(\d\d)""").find(it)?.takeIf { _ -> it.startsWith(prefix) } }
        val seconds = left.groupValues[1].toInt() * 60 + left.groupValues[2].toInt()
        assertTrue("time left $seconds s", seconds in 1..240)
        val codes = codesOnScreen()

        // The field worker: scan without a request.
        compose.verifierWithDemoTrust()
        compose.tap(str(R.string.scan_without_request))
        FakeCamera.showAll(codes)
        compose.waitForText(str(R.string.verdict_valid))
        compose.waitForText("Amina")
        assertFalse("only what the person switched on", compose.isShown("Haddad"))
        assertFalse(compose.isShown("SD"))

        // Its log: the check, green, with the claim seen.
        compose.tap(str(R.string.done))
        compose.tap(str(R.string.history))
        compose.waitForText(str(R.string.verdict_valid))
        compose.waitUntil(20_000) { compose.allTexts().any { "Given name" in it || "given_name" in it } }
    }

}
