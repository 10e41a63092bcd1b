package app.laissez.demo.android

import android.graphics.Bitmap
import androidx.compose.ui.semantics.SemanticsNode
import androidx.compose.ui.semantics.SemanticsProperties
import androidx.compose.ui.semantics.getOrNull
import kotlin.math.max
import kotlin.math.min
import kotlin.math.pow

/** WCAG 2.x relative luminance of an opaque sRGB colour (0xAARRGGBB). */
fun relativeLuminance(color: Int): Double {
    fun channel(c: Int): Double {
        val s = c / 255.0
        return if (s <= 0.04045) s / 12.92 else ((s + 0.055) / 1.055).pow(2.4)
    }
    return 0.2126 * channel((color shr 16) and 0xff) + 0.7152 * channel((color shr 8) and 0xff) + 0.0722 * channel(color and 0xff)
}

/** WCAG 2.x contrast ratio of two colours, 1 to 21. */
fun contrastRatio(a: Int, b: Int): Double {
    val la = relativeLuminance(a)
    val lb = relativeLuminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
}

/**
 * The contrast of a text as drawn: its background is the commonest colour in its box, its ink
 * the colour of the strokes' cores (the top 2 % of pixels by contrast with the background, so
 * the anti-aliased edges do not count against it). Null for a box with no pixels.
 */
fun drawnTextContrast(window: Bitmap, node: SemanticsNode): Double? {
    val r = node.boundsInWindow
    val left = r.left.toInt().coerceIn(0, window.width)
    val top = r.top.toInt().coerceIn(0, window.height)
    val right = r.right.toInt().coerceIn(0, window.width)
    val bottom = r.bottom.toInt().coerceIn(0, window.height)
    if (right - left < 2 || bottom - top < 2) return null
    val pixels = IntArray((right - left) * (bottom - top))
    window.getPixels(pixels, 0, right - left, left, top, right - left, bottom - top)
    val background = pixels.toList().groupingBy { it }.eachCount().maxBy { it.value }.key
    val contrasts = pixels.map { contrastRatio(it, background) }.sortedDescending()
    return contrasts[(contrasts.size * 0.02).toInt()]
}

/**
 * Every text on screen (wholly inside [height]) with its drawn contrast, lowest first. Text
 * fields are left out (their label animates).
 */
fun textContrasts(window: Bitmap, nodes: List<SemanticsNode>, height: Float): List<Pair<String, Double>> =
    nodes.filter { n ->
        n.config.getOrNull(SemanticsProperties.Text) != null && n.config.getOrNull(SemanticsProperties.EditableText) == null &&
            n.boundsInRoot.top >= 0f && n.boundsInRoot.bottom <= height && n.boundsInRoot.width > 0f
    }.mapNotNull { n ->
        val ratio = drawnTextContrast(window, n) ?: return@mapNotNull null
        n.config[SemanticsProperties.Text].joinToString { it.text } to ratio
    }.sortedBy { it.second }

/** The texts of [contrasts] below [minimum] (WCAG AA for body text: 4.5:1), each with its ratio. */
fun lowContrastTexts(contrasts: List<Pair<String, Double>>, minimum: Double = 4.5): List<String> =
    contrasts.filter { it.second < minimum }.map { (text, ratio) -> "contrast ${"%.2f".format(ratio)}:1 below $minimum:1: \"$text\"" }
