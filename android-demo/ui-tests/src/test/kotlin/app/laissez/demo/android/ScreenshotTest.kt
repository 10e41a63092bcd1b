package app.laissez.demo.android

import android.graphics.Bitmap
import android.os.Looper
import androidx.compose.ui.geometry.Rect
import androidx.compose.ui.semantics.SemanticsActions
import androidx.compose.ui.semantics.SemanticsNode
import androidx.compose.ui.semantics.SemanticsProperties
import androidx.compose.ui.semantics.getOrNull
import androidx.compose.ui.test.isRoot
import androidx.compose.ui.test.onNodeWithContentDescription
import androidx.compose.ui.test.onNodeWithText
import androidx.compose.ui.text.TextLayoutResult
import java.io.File
import java.time.Duration
import org.junit.Assert.assertTrue
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.RobolectricTestRunner
import org.robolectric.RuntimeEnvironment
import org.robolectric.Shadows.shadowOf
import org.robolectric.annotation.Config
import org.robolectric.annotation.GraphicsMode

/**
 * Every screen of the main path drawn by Robolectric's native graphics on a small phone
 * (360x640 dp), in English, French and Arabic (right to left), at the normal and the largest
 * font scale, into android-demo/build/screenshots/ with an index.html. On each screen the
 * mechanical checks: no text clipped (its layout overflows) or running off the screen's sides,
 * no two texts overlapping, every clickable at least 48x48 dp, every image described, and
 * every button the path needs reachable on screen, and on the verdict screens every text at
 * least 4.5:1 against its background (measured on the drawn pixels). At the normal font scale a problem fails the
 * test; at the largest font scale the problems are findings, written beside the screenshots
 * (findings.txt, index.html), since some are known and open (see android-demo/README.md).
 */
@RunWith(RobolectricTestRunner::class)
@Config(sdk = [34], application = UiTestApplication::class)
@GraphicsMode(GraphicsMode.Mode.NATIVE)
class ScreenshotTest : AppUiTest() {
    private val dir = File(System.getProperty("laissez.screenshots.dir") ?: "target/screenshots").apply { mkdirs() }

    @Test @Config(qualifiers = "en-w360dp-h640dp-xhdpi")
    fun english() = mainPath("en", 1f)

    @Test @Config(qualifiers = "fr-w360dp-h640dp-xhdpi")
    fun french() = mainPath("fr", 1f)

    @Test @Config(qualifiers = "ar-w360dp-h640dp-xhdpi")
    fun arabic() = mainPath("ar", 1f)

    @Test @Config(qualifiers = "en-w360dp-h640dp-xhdpi")
    fun englishLargestFont() = mainPath("en", 2f)

    @Test @Config(qualifiers = "fr-w360dp-h640dp-xhdpi")
    fun frenchLargestFont() = mainPath("fr", 2f)

    @Test @Config(qualifiers = "ar-w360dp-h640dp-xhdpi")
    fun arabicLargestFont() = mainPath("ar", 2f)

    private val problems = mutableListOf<String>()

    private var strict = true
    private var current = ""

    private fun mainPath(lang: String, fontScale: Float) {
        current = "$lang-${if (fontScale > 1f) "font200" else "font100"}/start"
        try {
            path(lang, fontScale)
        } catch (e: Stuck) {
            finish(current.substringBefore('/'))
        } catch (e: AssertionError) {
            // At the largest font scale a step that does not happen is a finding, with what the
            // screen showed; at the normal scale it fails the test.
            if (strict) throw e
            problems += "$current: the path stopped: ${e.message?.substringBefore("; threads")}"
            finish(current.substringBefore('/'))
        }
    }

    private fun path(lang: String, fontScale: Float) {
        RuntimeEnvironment.setFontScale(fontScale)
        strict = fontScale == 1f
        val variant = "$lang-${if (fontScale > 1f) "font200" else "font100"}"
        launch()
        compose.waitForText(str(R.string.choose_pin_title))
        shot(variant, "01-onboarding-pin")
        compose.type(str(R.string.pin), "2468")
        compose.type(str(R.string.pin_again), "2468")
        tap(str(R.string.create_wallet))
        compose.waitForText(str(R.string.words_title))
        shot(variant, "02-onboarding-words")
        val words = compose.readWords()
        tap(str(R.string.words_written))
        compose.waitForText(str(R.string.confirm_title))
        shot(variant, "03-onboarding-confirm")
        compose.confirmWords(words)
        tap(str(R.string.confirm))
        tap(str(R.string.add_demo_credential))
        tap(str(R.string.trust_demo_verifiers))
        compose.waitForText(str(R.string.issued_by, "Laissez Demo Issuer"))
        shot(variant, "04-credentials")

        tap(str(R.string.mode_verifier))
        compose.waitForText(str(R.string.choose_pin_title))
        compose.type(str(R.string.pin), "1357")
        compose.type(str(R.string.pin_again), "1357")
        tap(str(R.string.create_wallet))
        compose.waitForText(str(R.string.words_title))
        val verifierWords = compose.readWords()
        tap(str(R.string.words_written))
        compose.waitForText(str(R.string.confirm_title))
        compose.confirmWords(verifierWords)
        tap(str(R.string.confirm))
        tap(str(R.string.demo_trust))
        compose.waitForText(str(R.string.new_request))
        shot(variant, "05-verifier")
        tap(str(R.string.new_request))
        compose.waitForText(str(R.string.awaiting_answer))
        val qr = compose.onNodeWithContentDescription(str(R.string.qr_description))
        runCatching { qr.performScrollToCompat() }
        shot(variant, "06-verifier-request")
        val request = qr.cropFrom(compose.drawWindowOf(scenario!!)).toLuma()

        tap(str(R.string.mode_holder))
        tap(str(R.string.scan_request))
        FakeCamera.show(request)
        compose.waitForText(str(R.string.share))
        shot(variant, "07-consent-verified")
        tap(str(R.string.share))
        compose.waitForText(str(R.string.show_to_verifier))
        shot(variant, "08-answer")
        val answer = (1..40).map {
            shadowOf(Looper.getMainLooper()).idleFor(Duration.ofMillis(100))
            compose.onNodeWithContentDescription(str(R.string.qr_description)).cropFrom(compose.drawWindowOf(scenario!!)).toLuma()
        }
        tap(str(R.string.mode_verifier))
        compose.waitForText(str(R.string.awaiting_answer))
        FakeCamera.showAll(answer)
        compose.waitForText(str(R.string.verdict_valid))
        shot(variant, "09-verdict-valid")

        // The same answer shown again: the red verdict, with its reason.
        tap(str(R.string.done))
        tap(str(R.string.new_request))
        compose.waitForText(str(R.string.awaiting_answer))
        FakeCamera.showAll(answer)
        compose.waitForText(str(R.string.verdict_invalid))
        shot(variant, "10-verdict-invalid")

        finish(variant)
    }

    /** Writes the index and fails on the problems found (at the normal font scale). */
    private fun finish(variant: String) {
        File(dir, "$variant/findings.txt").writeText(problems.joinToString("\n", postfix = "\n"))
        writeIndex()
        if (strict) assertTrue("mechanical checks ($variant):\n" + problems.joinToString("\n"), problems.isEmpty())
    }

    /** The path stopped: a person could not go on (the button is off the screen, which does not scroll). */
    private class Stuck : RuntimeException()

    /**
     * Taps [text] as a person would: only if it is on the screen (after scrolling, where the
     * screen scrolls). Otherwise a finding, and the path ends here.
     */
    private fun tap(text: String) {
        compose.waitForText(text)
        val node = compose.onNodeWithText(text)
        node.performScrollToCompat()
        compose.waitForIdle()
        val n = node.fetchSemanticsNode()
        val b = n.boundsInRoot
        val height = compose.onNode(isRoot()).fetchSemanticsNode().size.height
        // Partly cut off by the screen's edge counts as off the screen (a tap lands outside).
        if (b.bottom > height + 1 || b.top < 0 || b.height < n.size.height - 1) {
            problems += "${current}: \"$text\" is off the screen and cannot be scrolled to"
            throw Stuck()
        }
        compose.tap(text)
    }

    private fun shot(variant: String, screen: String) {
        current = "$variant/$screen"
        compose.waitForIdle()
        val bitmap = compose.drawWindowOf(scenario!!)
        File(dir, "$variant/$screen.png").apply { parentFile!!.mkdirs() }.outputStream().use {
            bitmap.compress(Bitmap.CompressFormat.PNG, 100, it)
        }
        // English at the normal scale, at half size (360x640 px): the copies the README shows
        // (android-demo/tools/update-screenshots.sh commits them to android-demo/screenshots/).
        if (variant == "en-font100") {
            val small = Bitmap.createScaledBitmap(bitmap, bitmap.width / 2, bitmap.height / 2, true)
            File(dir, "readme/$screen.png").apply { parentFile!!.mkdirs() }.outputStream().use {
                small.compress(Bitmap.CompressFormat.PNG, 100, it)
            }
        }
        check(variant, screen, bitmap)
    }

    /** The mechanical checks on what is on screen now. */
    private fun check(variant: String, screen: String, bitmap: Bitmap) {
        val density = RuntimeEnvironment.getApplication().resources.displayMetrics.density
        val root = compose.onNode(isRoot()).fetchSemanticsNode()
        val width = root.size.width.toFloat()
        val height = root.size.height.toFloat()
        val all = mutableListOf<SemanticsNode>()
        fun walk(n: SemanticsNode) {
            all += n
            n.children.forEach(::walk)
        }
        walk(compose.onNode(isRoot(), useUnmergedTree = true).fetchSemanticsNode())
        val where = "$variant/$screen"
        // Texts: laid out without overflow, inside the screen's width, not over one another.
        val texts = all.filter { it.config.getOrNull(SemanticsProperties.Text) != null && it.config.getOrNull(SemanticsProperties.EditableText) == null }
        for (t in texts) {
            val label = t.config[SemanticsProperties.Text].joinToString { it.text }
            val layouts = mutableListOf<TextLayoutResult>()
            t.config.getOrNull(SemanticsActions.GetTextLayoutResult)?.action?.invoke(layouts)
            // Clipped: lines cut off at the bottom, or ellipsized. (A single-line text narrower than
            // its box reports a width "overflow" here, so width is checked against the screen below.)
            if (layouts.any { l -> l.didOverflowHeight || (0 until l.lineCount).any { l.isLineEllipsized(it) } }) {
                problems += "$where: text clipped: \"$label\""
            }
            val b = t.boundsInRoot
            if (b.left < -1f || b.right > width + 1f) problems += "$where: text off the side of the screen: \"$label\" $b"
        }
        val visible = texts.filter { it.boundsInRoot.top >= 0f && it.boundsInRoot.bottom <= height && it.boundsInRoot.width > 0f }
        for (i in visible.indices) for (j in i + 1 until visible.size) {
            val a = visible[i].boundsInRoot.deflate(1f)
            val b = visible[j].boundsInRoot.deflate(1f)
            if (a.overlaps(b) && !contains(visible[i], visible[j])) {
                problems += "$where: texts overlap: \"${visible[i].config[SemanticsProperties.Text].joinToString { it.text }}\" and \"${visible[j].config[SemanticsProperties.Text].joinToString { it.text }}\""
            }
        }
        // Touch targets: everything clickable at least 48 dp each way (its touch bounds).
        // Wholly on screen (a node cut by the screen's edge or a scrolling viewport is measured
        // where it is wholly visible, in another screenshot or after scrolling).
        val onScreen = { n: SemanticsNode ->
            n.boundsInRoot.top >= 0f && n.boundsInRoot.bottom <= height && n.boundsInRoot.width > 0f &&
                n.boundsInRoot.height >= n.size.height - 1 && n.boundsInRoot.width >= n.size.width - 1
        }
        for (n in all.filter { it.config.getOrNull(SemanticsActions.OnClick) != null && onScreen(it) }) {
            val b = n.touchBoundsInRoot
            if (b.width < 48 * density - 1 || b.height < 48 * density - 1) {
                problems += "$where: touch target ${"%.0f".format(b.width / density)}x${"%.0f".format(b.height / density)} dp: ${describe(n)}"
            }
        }
        // Verdict screens are read at arm's length, often outdoors: every text at least 4.5:1
        // against what it is drawn on (WCAG AA), measured on the drawn pixels.
        if ("verdict" in screen) {
            val contrasts = textContrasts(bitmap, all, height)
            lowContrastTexts(contrasts).forEach { problems += "$where: $it" }
            // The measured ratios beside the screenshots: the margin, not only pass or fail.
            File(dir, "$variant/$screen.contrast.txt").writeText(
                contrasts.joinToString("\n", postfix = "\n") { (text, ratio) -> "%.2f:1  %s".format(ratio, text) },
            )
        }
        // Images: every image node described.
        for (n in all.filter { it.config.getOrNull(SemanticsProperties.Role) == androidx.compose.ui.semantics.Role.Image }) {
            if (n.config.getOrNull(SemanticsProperties.ContentDescription).isNullOrEmpty()) problems += "$where: image without a description"
        }
    }

    private fun contains(a: SemanticsNode, b: SemanticsNode): Boolean {
        var p = b.parent
        while (p != null) { if (p.id == a.id) return true; p = p.parent }
        p = a.parent
        while (p != null) { if (p.id == b.id) return true; p = p.parent }
        return false
    }

    private fun describe(n: SemanticsNode): String {
        val texts = mutableListOf<String>()
        fun walk(x: SemanticsNode) {
            x.config.getOrNull(SemanticsProperties.Text)?.forEach { texts += it.text }
            x.config.getOrNull(SemanticsProperties.ContentDescription)?.let { texts += it }
            x.children.forEach(::walk)
        }
        walk(n)
        return texts.joinToString(" ").ifEmpty { "(no text)" }
    }

    private fun Rect.deflate(by: Float) = Rect(left + by, top + by, right - by, bottom - by)

    /** index.html: every PNG under the screenshots directory, by variant. */
    private fun writeIndex() {
        val variants = dir.listFiles { f -> f.isDirectory && f.name != "readme" }!!.sortedBy { it.name }
        val html = buildString {
            append("<!doctype html><meta charset=utf-8><title>Laissez Android demo screenshots</title>")
            append("<style>body{font-family:sans-serif}img{width:240px;border:1px solid #ccc;margin:4px}figure{display:inline-block;margin:0}</style>")
            append("<h1>Laissez Android demo: screens under Robolectric (360x640 dp)</h1>")
            append("<p>Written by android-demo/ui-tests ScreenshotTest (scripts/android-ui-test.sh).</p>")
            for (v in variants) {
                append("<h2>${v.name}</h2>")
                File(v, "findings.txt").takeIf { it.exists() && it.readText().isNotBlank() }?.let { f ->
                    append("<p>Mechanical checks found:</p><ul>")
                    f.readLines().filter { it.isNotBlank() }.forEach { append("<li>${it.replace("<", "&lt;")}</li>") }
                    append("</ul>")
                } ?: append("<p>Mechanical checks: nothing found.</p>")
                v.listFiles { f -> f.name.endsWith(".png") }!!.sortedBy { it.name }.forEach { png ->
                    append("<figure><img src=\"${v.name}/${png.name}\" alt=\"${v.name} ${png.nameWithoutExtension}\"><figcaption>${png.nameWithoutExtension}</figcaption></figure>")
                }
            }
        }
        File(dir, "index.html").writeText(html)
    }
}
