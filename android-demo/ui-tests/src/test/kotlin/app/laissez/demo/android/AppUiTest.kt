package app.laissez.demo.android

import android.os.Looper
import androidx.compose.ui.test.junit4.createEmptyComposeRule
import androidx.compose.ui.test.onAllNodesWithContentDescription
import androidx.compose.ui.test.onNodeWithContentDescription
import androidx.test.core.app.ActivityScenario
import androidx.test.core.app.ApplicationProvider
import app.laissez.createWallet
import app.laissez.demo.LumaFrame
import java.io.File
import java.time.Duration
import kotlinx.coroutines.runBlocking
import org.junit.After
import org.junit.Rule
import org.junit.rules.RuleChain
import org.robolectric.Shadows.shadowOf

/**
 * What the UI tests that start the app themselves share: a new phone ([FreshPhone]), the crash
 * rule, a Compose rule with no content of its own, and the app launched by the test ([launch],
 * again after a close) and closed after it. Subclasses carry the Robolectric annotations (the
 * same configuration for all: see [UiTestApplication]).
 */
abstract class AppUiTest {
    protected val crashes = NoUncaughtExceptions()
    protected val compose = createEmptyComposeRule()

    @get:Rule
    val rules: RuleChain = RuleChain.outerRule(FreshPhone()).around(crashes).around(compose)

    protected var scenario: ActivityScenario<MainActivity>? = null

    /** Starts the app's activity as the phone's launcher does. */
    protected fun launch(): ActivityScenario<MainActivity> =
        ActivityScenario.launch(MainActivity::class.java).also { scenario = it }

    @After
    fun closeApp() {
        scenario?.close()
    }

    /**
     * The QR codes on screen under [description], each distinct one once: sampled 100 ms apart
     * (an animation cycles 10 a second) until as many as its "Code i of n" says (1 without it),
     * at most [max] samples. What another phone's camera would see.
     */
    protected fun codesOnScreen(description: String = str(R.string.qr_description), max: Int = 120): List<LumaFrame> {
        compose.waitUntil(20_000) { compose.onAllNodesWithContentDescription(description).fetchSemanticsNodes().isNotEmpty() }
        val counter = Regex(Regex.escape(str(R.string.frame_of, 111, 222)).replace("111", """\E\d+\Q""").replace("222", """\E(\d+)\Q"""))
        val seen = LinkedHashMap<Int, LumaFrame>()
        for (sample in 1..max) {
            val qr = compose.onNodeWithContentDescription(description)
            qr.performScrollToCompat()
            qr.cropFrom(compose.drawWindowOf(scenario!!)).toLuma().let { seen.putIfAbsent(it.bytes.contentHashCode(), it) }
            val count = compose.allTexts().firstNotNullOfOrNull { counter.find(it)?.groupValues?.get(1)?.toInt() } ?: 1
            if (seen.size >= count) break
            shadowOf(Looper.getMainLooper()).idleFor(Duration.ofMillis(100))
            compose.waitForIdle()
        }
        return seen.values.toList()
    }
}

/** A holder wallet made by the core before the app starts (as after a restart); its 24 words. */
fun existingHolderWallet(pin: String): String {
    val app = ApplicationProvider.getApplicationContext<android.app.Application>()
    val file = File(app.noBackupFilesDir, "wallet.db")
    return runBlocking {
        val created = createWallet(file.absolutePath, pin, TestPhone.walletOptions("laissez-holder"))
        created.wallet.close()
        created.mnemonicWords.joinToString(" ")
    }
}

/** The 24 words of another wallet (made in the cache, closed), for a test that types the wrong ones. */
fun otherWalletsWords(): String = runBlocking {
    val other = File(ApplicationProvider.getApplicationContext<android.app.Application>().cacheDir, "other.db")
    createWallet(other.absolutePath, "1357", TestPhone.walletOptions("other")).let { it.wallet.close(); it.mnemonicWords.joinToString(" ") }
}
