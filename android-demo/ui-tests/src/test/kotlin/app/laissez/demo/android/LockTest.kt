package app.laissez.demo.android

import androidx.lifecycle.Lifecycle
import org.junit.Assert.assertFalse
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.RobolectricTestRunner
import org.robolectric.annotation.Config
import org.robolectric.annotation.GraphicsMode

/**
 * The lock as a person meets it: wrong PINs until the core makes them wait (which a restart
 * does not lift), the 24 words as the way out, and the lock screen again whenever the app comes
 * back from the background, with nothing personal shown before the PIN.
 */
@RunWith(RobolectricTestRunner::class)
@Config(sdk = [34], application = UiTestApplication::class)
@GraphicsMode(GraphicsMode.Mode.NATIVE) // one Robolectric sandbox for every test: see UiTestApplication
class LockTest : AppUiTest() {
    private val waitPrefix get() = str(R.string.wait_seconds, 0).substringBefore("0").trim()

    private fun wrongPin(pin: String) {
        compose.type(str(R.string.pin), pin)
        compose.tap(str(R.string.unlock))
        compose.waitUntil(20_000) { !compose.isShown(str(R.string.working)) }
    }

    @Test
    fun wrongPinsUntilTheWaitWhichARestartKeepsThenTheWordsOpenTheWallet() {
        val words = existingHolderWallet("2468")
        launch()
        compose.waitForText(str(R.string.unlock_title))
        // Five wrong PINs: attempts left each time, then the wait with no PIN field at all.
        for (i in 1..5) {
            wrongPin("11$i$i")
            if (i < 5) compose.waitForText(str(R.string.error_wrong_pin, 5 - i))
        }
        compose.waitForText(waitPrefix, substring = true)
        assertFalse("no PIN can be typed during the wait", compose.isShown(str(R.string.unlock)))

        // The app closed and opened again: still the wait (the core counts, not the screen).
        scenario!!.close()
        launch()
        compose.waitForText(waitPrefix, substring = true)
        assertFalse(compose.isShown(str(R.string.unlock)))

        // Forgot the PIN: the 24 words and a new PIN open it even during the wait.
        compose.tap(str(R.string.forgot_pin))
        compose.waitForText(str(R.string.recover_title))
        compose.type(str(R.string.recover_words), words)
        compose.type(str(R.string.new_pin), "8642")
        compose.type(str(R.string.pin_again), "8642")
        compose.tap(str(R.string.recover))
        compose.waitForText(str(R.string.no_credentials))
    }

    @Test
    fun wordsOfAnotherWalletDoNotOpenIt() {
        existingHolderWallet("2468")
        val otherWords = otherWalletsWords()
        launch()
        compose.tap(str(R.string.forgot_pin))
        compose.type(str(R.string.recover_words), otherWords)
        compose.type(str(R.string.new_pin), "8642")
        compose.type(str(R.string.pin_again), "8642")
        compose.tap(str(R.string.recover))
        compose.waitForText(str(R.string.error_mnemonic_mismatch))
        assertFalse(compose.isShown(str(R.string.no_credentials)))
    }

    @Test
    fun theWalletsLockWhenTheAppGoesToTheBackground() {
        launch()
        compose.holderWithDemoCredential()
        compose.tap("IOM registration")
        compose.waitForText("Amina")
        compose.tap(str(R.string.mode_verifier))
        compose.onboard("1357", opened = str(R.string.new_request))
        compose.tap(str(R.string.mode_holder))
        compose.waitForText("Amina")

        // Home button, then back: the lock screen, and no claim of the person on it.
        scenario!!.moveToState(Lifecycle.State.CREATED)
        scenario!!.moveToState(Lifecycle.State.RESUMED)
        compose.waitForText(str(R.string.unlock_title))
        assertFalse("nothing personal before the PIN", compose.isShown("Amina"))
        assertFalse(compose.isShown("IOM registration"))

        // A rotation is not leaving the app: the wallet stays open.
        compose.type(str(R.string.pin), "2468")
        compose.tap(str(R.string.unlock))
        compose.waitForText("IOM registration")
        scenario!!.recreate()
        compose.waitForText("IOM registration")
        assertFalse(compose.isShown(str(R.string.unlock_title)))

        // The verifier's wallet was locked with it, and opens with its own PIN.
        compose.tap(str(R.string.mode_verifier))
        compose.waitForText(str(R.string.unlock_title))
        compose.type(str(R.string.pin), "1357")
        compose.tap(str(R.string.unlock))
        compose.waitForText(str(R.string.new_request))
    }
}
