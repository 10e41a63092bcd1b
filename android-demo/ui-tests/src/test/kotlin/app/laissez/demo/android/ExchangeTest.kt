package app.laissez.demo.android

import android.os.Looper
import androidx.compose.ui.test.hasAnySibling
import androidx.compose.ui.test.hasContentDescription
import androidx.compose.ui.test.hasText
import androidx.compose.ui.test.assertIsNotEnabled
import androidx.compose.ui.test.assertIsOff
import androidx.compose.ui.test.assertIsOn
import androidx.compose.ui.test.isToggleable
import androidx.compose.ui.test.junit4.createAndroidComposeRule
import androidx.compose.ui.test.onNodeWithContentDescription
import androidx.compose.ui.test.performClick
import androidx.compose.ui.test.performScrollTo
import app.laissez.demo.LumaFrame
import java.time.Duration
import org.junit.Assert.assertFalse
import org.junit.Assert.assertTrue
import org.junit.Rule
import org.junit.Test
import org.junit.rules.RuleChain
import org.junit.runner.RunWith
import org.robolectric.RobolectricTestRunner
import org.robolectric.Shadows.shadowOf
import org.robolectric.annotation.Config
import org.robolectric.annotation.GraphicsMode

/**
 * One phone playing every part, as the demo is meant to be shown: the holder's wallet and the
 * field verifier of the same app, each with its own wallet, exchanging QR codes that the app
 * itself draws (Robolectric's native graphics) and that the test camera reads back from the
 * screen: nothing passes between them but pixels.
 */
@RunWith(RobolectricTestRunner::class)
@Config(sdk = [34], application = UiTestApplication::class, qualifiers = "w360dp-h640dp-xhdpi")
@GraphicsMode(GraphicsMode.Mode.NATIVE)
class ExchangeTest {
    private val crashes = NoUncaughtExceptions()
    private val compose = createAndroidComposeRule<MainActivity>()

    @get:Rule
    val rules: RuleChain = RuleChain.outerRule(FreshPhone()).around(crashes).around(compose)

    /** The QR code on screen (scrolled into view) as the other phone's camera sees it. */
    private fun qrOnScreen(): LumaFrame {
        val qr = compose.onNodeWithContentDescription(str(R.string.qr_description))
        runCatching { qr.performScrollTo() } // the verifier screen scrolls; the answer screen does not
        return qr.cropFrom(compose.drawWindow()).toLuma()
    }

    /** Every frame of an animated answer: drawn again as the screen cycles them (10 a second). */
    private fun animatedQrOnScreen(max: Int = 40): List<LumaFrame> = (1..max).map {
        shadowOf(Looper.getMainLooper()).idleFor(Duration.ofMillis(100))
        qrOnScreen()
    }

    private fun tab(name: Int) = compose.tap(str(name))

    @Test
    fun aSignedRequestFromTheVerifierTabIsAnsweredByTheWalletTabAndGreen() {
        // The holder: a wallet, the demo credential, the demo desk and registrar trusted.
        compose.holderWithDemoCredential(trustDemo = true)
        // The credential's detail: the issuer's labels in the phone's language, the values.
        compose.tap("IOM registration")
        compose.waitForText("Given name")
        compose.waitForText("Amina")
        compose.waitForText("Nationality")
        compose.waitForText("SD")
        compose.tap(str(R.string.back))
        compose.waitForText(str(R.string.add_demo_credential))

        // The verifier: its own wallet; it registers with the demo registrar on opening.
        compose.verifierWithDemoTrust()
        compose.tap(str(R.string.new_request))
        compose.waitForText(str(R.string.awaiting_answer))
        compose.waitForText("Signed with registration", substring = true)
        val request = qrOnScreen()

        // The holder scans it: a verified verifier, named from its certificate.
        tab(R.string.mode_holder)
        compose.tap(str(R.string.scan_request))
        FakeCamera.show(request)
        compose.waitForText(str(R.string.share))
        compose.waitForText("Laissez Demo Desk", substring = true)
        assertTrue(compose.isShown(str(R.string.beyond_scope)))
        assertFalse(compose.isShown(str(R.string.unverified_verifier)))

        compose.tap(str(R.string.share))
        compose.waitForText(str(R.string.show_to_verifier))
        val answer = animatedQrOnScreen()

        // Back to the verifier, still waiting with its camera: the answer, then the verdict.
        tab(R.string.mode_verifier)
        compose.waitForText(str(R.string.awaiting_answer))
        FakeCamera.showAll(answer)
        compose.waitForText(str(R.string.verdict_valid))
        assertFalse(compose.isShown(str(R.string.verdict_invalid)))
        // What was shared, as the verifier sees it: the names, not the nationality left off.
        compose.waitForText("Amina")
        compose.waitForText("Haddad")
        assertFalse(compose.isShown("SD"))
        compose.waitForText(str(R.string.issued_by, "Laissez Demo Issuer"))

        // The holder's history names the verifier from its certificate.
        tab(R.string.mode_holder)
        compose.tap(str(R.string.done))
        compose.tap(str(R.string.history))
        compose.waitForText(str(R.string.history_verified, "Laissez Demo Desk", "CH", "Laissez Demo Registrar"))
        compose.tap(str(R.string.back))
        tab(R.string.mode_verifier)

        // The same answer shown to the next check: red, never a crash.
        compose.tap(str(R.string.done))
        compose.tap(str(R.string.new_request))
        compose.waitForText(str(R.string.awaiting_answer))
        FakeCamera.showAll(answer)
        compose.waitForText(str(R.string.verdict_invalid))
        assertFalse(compose.isShown(str(R.string.verdict_valid)))
    }

    @Test
    fun anUnsignedRequestNeedsTheExtraStepAndAnOptionalClaimSwitchedOffIsNotSent() {
        compose.holderWithDemoCredential(trustDemo = true)

        tab(R.string.mode_verifier)
        compose.onboard("1357", opened = str(R.string.new_request))
        compose.tap(str(R.string.demo_unsigned_request))
        compose.waitForText(str(R.string.request_unsigned))
        val request = qrOnScreen()

        tab(R.string.mode_holder)
        compose.tap(str(R.string.scan_request))
        FakeCamera.show(request)
        // Unverified: the warning, the reason, its own name only as an unchecked claim.
        compose.waitForText(str(R.string.unverified_verifier))
        compose.waitForText(str(R.string.unverified_reason_no_certificate))
        compose.waitForText(str(R.string.verifier_claims_to_be, str(R.string.verifier_name_default)))
        // Nationality is optional: on at first, switched off by the person.
        val nationality = compose.switchBeside("Nationality")
        nationality.assertIsOn()
        nationality.performClick()
        compose.waitForIdle()
        nationality.assertIsOff()
        // A required claim cannot be switched off.
        compose.switchBeside("Given name").assertIsNotEnabled()

        // "Share" alone sends nothing: the extra step, and only its button shares.
        compose.tap(str(R.string.share))
        compose.waitForText(str(R.string.share_anyway_title))
        assertFalse(compose.isShown(str(R.string.show_to_verifier)))
        compose.tap(str(R.string.back))
        compose.waitForText(str(R.string.share))
        compose.tap(str(R.string.share))
        compose.tap(str(R.string.share_anyway))
        compose.waitForText(str(R.string.show_to_verifier))
        val answer = animatedQrOnScreen()

        tab(R.string.mode_verifier)
        compose.waitForText(str(R.string.awaiting_answer))
        FakeCamera.showAll(answer)
        compose.waitForText(str(R.string.verdict_valid))
        compose.waitForText("Amina")
        assertFalse("nationality was switched off", compose.isShown("SD"))

        // The holder's history: an unverified verifier, its name not checked.
        tab(R.string.mode_holder)
        compose.tap(str(R.string.done))
        compose.tap(str(R.string.history))
        compose.waitForText(str(R.string.history_unverified))
        compose.waitForText(str(R.string.verifier_claims_to_be, str(R.string.verifier_name_default)))
    }

    @Test
    fun aVerifierWithoutATrustListSaysSoInsteadOfAVerdict() {
        compose.holderWithDemoCredential()

        tab(R.string.mode_verifier)
        compose.onboard("1357", opened = str(R.string.new_request))
        compose.waitForText(str(R.string.no_trust_list))
        compose.tap(str(R.string.new_request))
        compose.waitForText(str(R.string.awaiting_answer))
        val request = qrOnScreen()

        tab(R.string.mode_holder)
        compose.tap(str(R.string.scan_request))
        FakeCamera.show(request)
        compose.tap(str(R.string.share))
        compose.tap(str(R.string.share_anyway)) // the holder trusts no registrar: unverified
        compose.waitForText(str(R.string.show_to_verifier))
        val answer = animatedQrOnScreen()

        tab(R.string.mode_verifier)
        compose.waitForText(str(R.string.awaiting_answer))
        FakeCamera.showAll(answer)
        compose.waitUntil(20_000) { !compose.isShown(str(R.string.awaiting_answer)) && !compose.isShown(str(R.string.working)) }
        // No verdict, green or red: the verifier says what is missing, and Done goes back.
        compose.waitForText(str(R.string.error_no_trust_list))
        assertFalse(compose.isShown(str(R.string.verdict_valid)))
        assertFalse(compose.isShown(str(R.string.verdict_invalid)))
        compose.tap(str(R.string.done))
        compose.waitForText(str(R.string.new_request))
    }
}
