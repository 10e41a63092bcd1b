package app.laissez.demo.android

import androidx.compose.ui.test.assertHeightIsAtLeast
import androidx.compose.ui.test.assertIsEnabled
import androidx.compose.ui.test.assertIsNotEnabled
import androidx.compose.ui.test.hasClickAction
import androidx.compose.ui.test.hasText
import androidx.compose.ui.test.junit4.ComposeTestRule
import androidx.compose.ui.test.onNodeWithContentDescription
import androidx.compose.ui.test.performClick
import androidx.compose.ui.test.performScrollTo
import androidx.compose.ui.unit.dp
import androidx.test.core.app.ApplicationProvider
import java.io.File
import org.junit.Assert.assertFalse
import org.junit.Assert.assertTrue
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.RobolectricTestRunner
import org.robolectric.annotation.Config
import org.robolectric.annotation.GraphicsMode

/**
 * The holder's settings as a person uses them: change the PIN (a wrong current PIN said on
 * screen), then open the app again with the new PIN; delete the wallet through the warning,
 * back to onboarding.
 */
@RunWith(RobolectricTestRunner::class)
@Config(sdk = [34], application = UiTestApplication::class)
@GraphicsMode(GraphicsMode.Mode.NATIVE) // one Robolectric sandbox for every test: see UiTestApplication
class SettingsTest : AppUiTest() {
    private val walletFile: File
        get() = File(ApplicationProvider.getApplicationContext<android.app.Application>().noBackupFilesDir, "wallet.db")

    /** The credentials screen's way into the settings: found by its content description, 48 dp tall. */
    private fun ComposeTestRule.openSettings() {
        onNodeWithContentDescription(str(R.string.settings)).apply { runCatching { performScrollTo() } }
            .assertHeightIsAtLeast(48.dp)
            .performClick()
        waitForText(str(R.string.settings_change_pin))
    }

    @Test
    fun aWrongCurrentPinIsShownThenTheNewPinOpensTheWalletNextTime() {
        launch()
        compose.onboard("2468")
        compose.openSettings()
        compose.tap(str(R.string.settings_change_pin))

        compose.type(str(R.string.current_pin), "1111")
        compose.type(str(R.string.new_pin), "13579")
        compose.type(str(R.string.new_pin_again), "13579")
        compose.tap(str(R.string.confirm))
        compose.waitForText("Wrong PIN.", substring = true)
        assertFalse(compose.isShown(str(R.string.settings_pin_changed)))

        compose.type(str(R.string.current_pin), "2468")
        compose.tap(str(R.string.confirm))
        compose.waitForText(str(R.string.settings_pin_changed))

        // Closed and opened again (the app has no lock button: a restart locks the wallet).
        scenario?.close()
        launch()
        compose.waitForText(str(R.string.unlock_title))
        compose.type(str(R.string.pin), "2468")
        compose.tap(str(R.string.unlock))
        compose.waitForText("Wrong PIN.", substring = true)
        compose.type(str(R.string.pin), "13579")
        compose.tap(str(R.string.unlock))
        compose.waitForText(str(R.string.no_credentials))
    }

    @Test
    fun deletingTheWalletNeedsTheWarningTickAndThePinThenOnboarding() {
        launch()
        compose.onboard("2468")
        compose.openSettings()
        compose.tap(str(R.string.settings_delete_wallet))

        // The warning says the 24 words will not bring the credentials back, and how to keep them.
        compose.waitForText(str(R.string.delete_wallet_title))
        assertTrue(compose.isShown(str(R.string.delete_wallet_words)))
        assertTrue(compose.isShown(str(R.string.delete_wallet_keep)))
        val deleteButton = compose.onNode(hasText(str(R.string.delete_wallet_for_good)) and hasClickAction())
        compose.type(str(R.string.pin), "2468")
        deleteButton.apply { runCatching { performScrollTo() } }.assertIsNotEnabled()

        // Ticked: a wrong PIN is refused on screen and nothing is deleted.
        compose.tap(str(R.string.delete_wallet_understand))
        compose.type(str(R.string.pin), "1111")
        deleteButton.assertIsEnabled()
        compose.tap(str(R.string.delete_wallet_for_good))
        compose.waitForText("Wrong PIN.", substring = true)
        assertTrue(walletFile.exists())

        compose.type(str(R.string.pin), "2468")
        compose.tap(str(R.string.delete_wallet_for_good))
        compose.waitForText(str(R.string.choose_pin_title))
        assertFalse(walletFile.exists())

        // A new wallet can be made at once.
        compose.onboard("1357")
        compose.waitForText(str(R.string.no_credentials))
    }

    @Test
    fun deletingACredentialAsksOnceMore() {
        launch()
        compose.onboard("2468")
        compose.tap(str(R.string.add_demo_credential))
        compose.tap("IOM registration")
        compose.tap(str(R.string.delete))
        compose.waitForText(str(R.string.delete_credential_confirm))
        compose.tap(str(R.string.cancel))
        assertFalse(compose.isShown(str(R.string.delete_credential_confirm)))
        compose.tap(str(R.string.delete))
        compose.waitForText(str(R.string.delete_credential_confirm))
        compose.tap(str(R.string.delete))
        compose.waitForText(str(R.string.no_credentials))
    }
}
