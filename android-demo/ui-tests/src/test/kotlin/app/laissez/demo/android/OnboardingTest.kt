package app.laissez.demo.android

import androidx.compose.ui.test.junit4.createAndroidComposeRule
import androidx.compose.ui.test.assertCountEquals
import androidx.compose.ui.test.onAllNodesWithText
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertTrue
import org.junit.Rule
import org.junit.Test
import org.junit.rules.RuleChain
import org.junit.runner.RunWith
import org.robolectric.RobolectricTestRunner
import org.robolectric.annotation.Config
import org.robolectric.annotation.GraphicsMode

/** A first start: onboarding as a person goes through it, then the empty wallet. */
@RunWith(RobolectricTestRunner::class)
@Config(sdk = [34], application = UiTestApplication::class)
@GraphicsMode(GraphicsMode.Mode.NATIVE) // one Robolectric sandbox for every test: see UiTestApplication
class OnboardingTest {
    private val crashes = NoUncaughtExceptions()
    private val compose = createAndroidComposeRule<MainActivity>()

    @get:Rule
    val rules: RuleChain = RuleChain.outerRule(FreshPhone()).around(crashes).around(compose)

    @Test
    fun pinTwiceWordsOnceConfirmationThenTheWallet() {
        compose.waitForText(str(R.string.choose_pin_title))
        // PINs that differ: said on screen, nothing created.
        compose.type(str(R.string.pin), "2468")
        compose.type(str(R.string.pin_again), "2469")
        compose.tap(str(R.string.create_wallet))
        compose.waitForText(str(R.string.error_pin_mismatch))
        assertFalse(compose.isShown(str(R.string.words_title)))

        // The same PIN twice: the 24 words, once.
        compose.type(str(R.string.pin_again), "2468")
        compose.tap(str(R.string.create_wallet))
        compose.waitForText(str(R.string.words_title))
        val words = compose.readWords()
        assertEquals("24 numbered words on screen", 24, words.size)
        assertTrue(words.all { it.matches(Regex("[a-z]+")) })
        compose.tap(str(R.string.words_written))

        // Three (or so) of them asked back; wrong ones are refused and the words are not shown again.
        compose.waitForText(str(R.string.confirm_title))
        assertTrue("the words are gone from the screen", compose.readWords().isEmpty())
        compose.confirmWords(words, wrong = true)
        compose.tap(str(R.string.confirm))
        compose.waitForText(str(R.string.error_words_do_not_match))
        assertTrue(compose.readWords().isEmpty())
        compose.confirmWords(words)
        compose.tap(str(R.string.confirm))

        // The wallet is open: an empty credential list with its actions.
        compose.waitForText(str(R.string.no_credentials))
        compose.onAllNodesWithText(str(R.string.add_demo_credential)).assertCountEquals(1)
        assertFalse(compose.isShown(str(R.string.words_title)))
    }
}
