package app.laissez.demo.android

import android.graphics.Bitmap
import android.graphics.Canvas
import androidx.compose.ui.test.junit4.AndroidComposeTestRule
import androidx.compose.ui.test.SemanticsNodeInteraction
import androidx.compose.ui.test.hasSetTextAction
import androidx.compose.ui.test.hasText
import androidx.compose.ui.test.junit4.ComposeTestRule
import androidx.compose.ui.test.onAllNodesWithText
import androidx.compose.ui.test.onNodeWithText
import androidx.compose.ui.test.performClick
import androidx.compose.ui.test.performScrollTo
import androidx.compose.ui.test.performTextReplacement
import androidx.test.core.app.ActivityScenario
import androidx.test.core.app.ApplicationProvider
import androidx.compose.ui.semantics.getOrNull
import app.laissez.demo.LumaFrame
import java.util.Collections
import org.junit.rules.TestRule
import org.junit.runner.Description
import org.junit.runners.model.Statement

/**
 * Fails the test on any uncaught exception, on any thread (the view models' coroutines run on
 * the main looper and on Dispatchers.IO/Default): a crash the person would see is a failure
 * even when the screen under test looks right. Exceptions on Robolectric's main looper already
 * fail the test where they happen.
 */
class NoUncaughtExceptions : TestRule {
    val caught: MutableList<Throwable> = Collections.synchronizedList(mutableListOf())

    override fun apply(base: Statement, description: Description) = object : Statement() {
        override fun evaluate() {
            val previous = Thread.getDefaultUncaughtExceptionHandler()
            Thread.setDefaultUncaughtExceptionHandler { _, e -> caught += e }
            try {
                base.evaluate()
            } finally {
                Thread.setDefaultUncaughtExceptionHandler(previous)
            }
            if (caught.isNotEmpty()) {
                throw AssertionError("uncaught exception(s) during ${description.methodName}: ${caught.map { it.toString() }}", caught.first())
            }
        }
    }
}

/** The app's string [id] (with [args]) in the test's locale. */
fun str(id: Int, vararg args: Any): String = ApplicationProvider.getApplicationContext<android.app.Application>().getString(id, *args)

/** Waits (virtual time on the main clock, real time for the core's work) until [text] is on screen. */
fun ComposeTestRule.waitForText(text: String, substring: Boolean = false, timeoutMs: Long = 20_000) {
    try {
        waitUntil(timeoutMs) { onAllNodesWithText(text, substring = substring).fetchSemanticsNodes().isNotEmpty() }
    } catch (e: androidx.compose.ui.test.ComposeTimeoutException) {
        val busy = Thread.getAllStackTraces().filter { (_, st) -> st.any { it.className.startsWith("app.laissez") } }
            .map { (t, st) -> "${t.name}: " + st.take(12).joinToString(" <- ") }
        throw AssertionError("\"$text\" not on screen after $timeoutMs ms; the screen shows: ${allTexts()}; threads in the app: $busy", e)
    }
}

fun ComposeTestRule.isShown(text: String, substring: Boolean = false) =
    onAllNodesWithText(text, substring = substring).fetchSemanticsNodes().isNotEmpty()

/** Taps the button (or anything clickable) showing [text], scrolled into view first. */
fun ComposeTestRule.tap(text: String) {
    waitForText(text)
    onNodeWithText(text).apply { runCatching { performScrollTo() } }.performClick()
    waitForIdle()
}

/** Types [value] into the text field labelled [label] (replacing what it held). */
fun ComposeTestRule.type(label: String, value: String) {
    waitForText(label)
    onNode(hasSetTextAction() and hasText(label)).apply { runCatching { performScrollTo() } }.performTextReplacement(value)
}

/**
 * The activity's window drawn by Robolectric's native graphics (real Skia) into a bitmap, the
 * way Roborazzi does: View.draw on a software canvas. Compose's captureToImage() waits for a
 * hardware draw that never comes under Robolectric (robolectric/robolectric#8071).
 */
fun AndroidComposeTestRule<*, out androidx.activity.ComponentActivity>.drawWindow(): Bitmap {
    waitForIdle()
    var bitmap: Bitmap? = null
    runOnUiThread {
        val view = activity.window.decorView
        bitmap = Bitmap.createBitmap(view.width, view.height, Bitmap.Config.ARGB_8888).also { view.draw(Canvas(it)) }
    }
    return checkNotNull(bitmap)
}

/** The part of [window] this node covers (its bounds in the window). */
fun SemanticsNodeInteraction.cropFrom(window: Bitmap): Bitmap {
    val r = fetchSemanticsNode().boundsInWindow
    val left = r.left.toInt().coerceIn(0, window.width - 1)
    val top = r.top.toInt().coerceIn(0, window.height - 1)
    return Bitmap.createBitmap(window, left, top, (r.width.toInt()).coerceAtMost(window.width - left), (r.height.toInt()).coerceAtMost(window.height - top))
}

/**
 * What a phone camera pointed at this node would see: the node as the app drew it (the app's
 * own QrImage of the core's QR frame), as 8-bit luma.
 */
fun Bitmap.toLuma(): LumaFrame {
    val w = width
    val h = height
    val pixels = IntArray(w * h)
    getPixels(pixels, 0, w, 0, 0, w, h)
    val luma = ByteArray(w * h) { i ->
        val p = pixels[i]
        val r = (p shr 16) and 0xff
        val g = (p shr 8) and 0xff
        val b = p and 0xff
        ((r * 299 + g * 587 + b * 114) / 1000).toByte()
    }
    return LumaFrame(w, h, w, luma)
}

/** Every text on screen (merged semantics), in order. */
fun ComposeTestRule.allTexts(): List<String> =
    onAllNodes(androidx.compose.ui.test.isRoot(), useUnmergedTree = true).fetchSemanticsNodes().flatMap { root ->
        fun walk(n: androidx.compose.ui.semantics.SemanticsNode): List<String> =
            (n.config.getOrNull(androidx.compose.ui.semantics.SemanticsProperties.Text)?.map { it.text } ?: emptyList()) +
                n.children.flatMap(::walk)
        walk(root)
    }

/** Onboarding with [pin] until [opened] shows: returns the 24 words the screen showed once. */
fun ComposeTestRule.onboard(pin: String = "2468", opened: String = str(R.string.add_demo_credential)): List<String> {
    waitForText(str(R.string.choose_pin_title))
    type(str(R.string.pin), pin)
    type(str(R.string.pin_again), pin)
    tap(str(R.string.create_wallet))
    waitForText(str(R.string.words_title))
    val words = readWords()
    tap(str(R.string.words_written))
    waitForText(str(R.string.confirm_title))
    confirmWords(words)
    tap(str(R.string.confirm))
    waitForText(opened)
    return words
}

/** The numbered words on the words screen ("1. word     2. word"). */
fun ComposeTestRule.readWords(): List<String> =
    allTexts().flatMap { line -> Regex("""(\d+)\. (\S+)""").findAll(line).map { it.groupValues[1].toInt() to it.groupValues[2] }.toList() }
        .sortedBy { it.first }.map { it.second }

/** Types the asked words ("Word N" fields) from [words]. */
fun ComposeTestRule.confirmWords(words: List<String>, wrong: Boolean = false) {
    val shown = allTexts().toSet()
    val asked = (1..24).filter { str(R.string.confirm_word, it) in shown } // "Word 7", "Mot 7", "الكلمة ٧"
    check(asked.isNotEmpty()) { "no word asked on screen: ${allTexts()}" }
    for (position in asked) type(str(R.string.confirm_word, position), if (wrong) "zzz" else words[position - 1])
}

/**
 * A phone as new, before the activity starts (outermost rule): no wallet files, no hardware keys,
 * no frames left in the camera, no Application cached from an earlier test.
 */
class FreshPhone : TestRule {
    override fun apply(base: Statement, description: Description) = object : Statement() {
        override fun evaluate() {
            wipePhone()
            base.evaluate()
        }
    }
}

/**
 * Makes this phone a new one (between tests, or mid-test for a second phone after the first
 * one's activity has closed): its files, hardware keys and camera frames gone.
 */
fun wipePhone() {
    val app = ApplicationProvider.getApplicationContext<android.app.Application>()
    listOf(app.noBackupFilesDir, app.cacheDir, app.filesDir).forEach { dir -> dir.listFiles()?.forEach { it.deleteRecursively() } }
    // Robolectric keeps static state between the tests of a class, and Lifecycle's
    // AndroidViewModelFactory caches the first Application it saw: DemoViewModel would
    // get the previous test's Application, with its data directory and wallet files.
    androidx.lifecycle.ViewModelProvider.AndroidViewModelFactory::class.java.getDeclaredField("_instance")
        .apply { isAccessible = true }.set(null, null)
    TestPhone.reset()
    FakeCamera.clear()
}

/** The window of the activity in [scenario] drawn into a bitmap (see [drawWindow]). */
fun ComposeTestRule.drawWindowOf(scenario: ActivityScenario<out android.app.Activity>): Bitmap {
    waitForIdle()
    var bitmap: Bitmap? = null
    scenario.onActivity { activity ->
        val view = activity.window.decorView
        bitmap = Bitmap.createBitmap(view.width, view.height, Bitmap.Config.ARGB_8888).also { view.draw(Canvas(it)) }
    }
    return checkNotNull(bitmap)
}

/** Scrolls the node into view when it is in a scrolling container; nothing otherwise. */
fun SemanticsNodeInteraction.performScrollToCompat() {
    runCatching { performScrollTo() }
}

/** The switch on the same row as the text [label] (a claim of the consent screen). */
fun ComposeTestRule.switchBeside(label: String): SemanticsNodeInteraction {
    val text = onNode(hasText(label) and androidx.compose.ui.test.SemanticsMatcher("plain text") {
        it.config.getOrNull(androidx.compose.ui.semantics.SemanticsProperties.ToggleableState) == null
    }, useUnmergedTree = true).fetchSemanticsNode().boundsInRoot
    return onNode(
        androidx.compose.ui.test.SemanticsMatcher("switch beside \"$label\"") { node ->
            val b = node.boundsInRoot
            node.config.getOrNull(androidx.compose.ui.semantics.SemanticsProperties.ToggleableState) != null &&
                b.top < text.bottom && b.bottom > text.top
        },
        useUnmergedTree = true,
    )
}

/**
 * The holder's wallet made (PIN 2468) with the demo credential in it; with [trustDemo], the demo
 * desk and registrar trusted too (the issuer then named). Returns the 24 words shown once.
 */
fun ComposeTestRule.holderWithDemoCredential(trustDemo: Boolean = false): List<String> {
    val words = onboard("2468")
    tap(str(R.string.add_demo_credential))
    if (trustDemo) {
        tap(str(R.string.trust_demo_verifiers))
        waitForText(str(R.string.issued_by, "Laissez Demo Issuer"))
    } else {
        waitForText("IOM registration")
    }
    return words
}

/** To the Verify tab: its own wallet made (PIN 1357) and the demo trust list installed. */
fun ComposeTestRule.verifierWithDemoTrust() {
    tap(str(R.string.mode_verifier))
    onboard("1357", opened = str(R.string.new_request))
    tap(str(R.string.demo_trust))
    waitForText("Trust list no.", substring = true)
}
