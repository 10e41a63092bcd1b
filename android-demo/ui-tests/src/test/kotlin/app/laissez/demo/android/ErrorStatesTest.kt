package app.laissez.demo.android

import androidx.activity.compose.setContent
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Surface
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.semantics.SemanticsActions
import androidx.compose.ui.semantics.SemanticsNode
import androidx.compose.ui.semantics.SemanticsProperties
import androidx.compose.ui.semantics.getOrNull
import androidx.compose.ui.test.onNodeWithTag
import androidx.compose.ui.text.TextLayoutResult
import androidx.compose.ui.unit.dp
import app.laissez.demo.UiError
import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.RobolectricTestRunner
import org.robolectric.RuntimeEnvironment
import org.robolectric.annotation.Config
import org.robolectric.annotation.GraphicsMode

/**
 * Every error the view models can show ([UiError], each kind and each enum value it carries),
 * drawn on screen by the app's own [ErrorLine] in English, French and Arabic at the largest
 * font scale on a small phone: each a sentence of its own (never the generic "unexpected" one
 * unless it is that error), whole (no line cut off or ellipsized) and within the screen's width.
 * A new kind of error is picked up by reflection, so it cannot go without a sentence unnoticed.
 */
@RunWith(RobolectricTestRunner::class)
@Config(sdk = [34], application = UiTestApplication::class)
@GraphicsMode(GraphicsMode.Mode.NATIVE) // one Robolectric sandbox for every test: see UiTestApplication
class ErrorStatesTest : AppUiTest() {
    @Test @Config(qualifiers = "en-w360dp-h640dp-xhdpi")
    fun english() = everyErrorOnScreen()

    @Test @Config(qualifiers = "fr-w360dp-h640dp-xhdpi")
    fun french() = everyErrorOnScreen()

    @Test @Config(qualifiers = "ar-w360dp-h640dp-xhdpi")
    fun arabic() = everyErrorOnScreen()

    private fun everyErrorOnScreen() {
        RuntimeEnvironment.setFontScale(2f)
        val errors = everyUiError()
        // Each kind at least once: a kind the reflection could not build would be missing here.
        val kinds = UiError::class.java.declaredClasses.filter { UiError::class.java.isAssignableFrom(it) }
        assertEquals(kinds.map { it.simpleName }.sorted(), errors.map { it.javaClass.simpleName }.distinct().sorted())

        launch()
        scenario!!.onActivity { activity ->
            activity.setContent {
                MaterialTheme {
                    Surface {
                        Column(Modifier.fillMaxWidth().verticalScroll(rememberScrollState()).padding(16.dp)) {
                            errors.forEachIndexed { i, e -> Box(Modifier.testTag("error-$i")) { ErrorLine(e) } }
                        }
                    }
                }
            }
        }
        compose.waitForIdle()
        val width = compose.onNode(androidx.compose.ui.test.isRoot()).fetchSemanticsNode().size.width
        val unexpected = sentence(errors.indexOfFirst { it is UiError.Unexpected })
        val problems = mutableListOf<String>()
        errors.forEachIndexed { i, e ->
            val node = compose.onNodeWithTag("error-$i", useUnmergedTree = true).fetchSemanticsNode()
            val text = texts(node).joinToString(" ")
            if (text.isBlank()) problems += "$e: nothing on screen"
            if (e !is UiError.Unexpected && text == unexpected) problems += "$e: only the generic sentence"
            if (text.contains("%")) problems += "$e: an unfilled placeholder: $text"
            val layouts = mutableListOf<TextLayoutResult>()
            textNodes(node).forEach { it.config.getOrNull(SemanticsActions.GetTextLayoutResult)?.action?.invoke(layouts) }
            if (layouts.any { l -> l.didOverflowHeight || (0 until l.lineCount).any { l.isLineEllipsized(it) } }) problems += "$e: cut off: $text"
            textNodes(node).forEach { t ->
                if (t.boundsInRoot.left < -1f || t.boundsInRoot.right > width + 1f) problems += "$e: off the side of the screen: $text"
            }
        }
        assertTrue("${errors.size} errors on screen:\n" + problems.joinToString("\n"), problems.isEmpty())
    }

    private fun sentence(index: Int): String =
        texts(compose.onNodeWithTag("error-$index", useUnmergedTree = true).fetchSemanticsNode()).joinToString(" ")

    private fun textNodes(n: SemanticsNode): List<SemanticsNode> =
        (if (n.config.getOrNull(SemanticsProperties.Text) != null) listOf(n) else emptyList()) + n.children.flatMap(::textNodes)

    private fun texts(n: SemanticsNode): List<String> =
        textNodes(n).flatMap { it.config[SemanticsProperties.Text].map { t -> t.text } }
}

/**
 * One instance of every [UiError] kind, built by reflection: objects as they are; data classes
 * with sample arguments, one instance per value of an enum argument (each certificate problem,
 * each card problem has its own sentence).
 */
fun everyUiError(): List<UiError> = UiError::class.java.declaredClasses
    .filter { UiError::class.java.isAssignableFrom(it) && it != UiError::class.java }
    .flatMap { kind ->
        kind.declaredFields.firstOrNull { it.name == "INSTANCE" }?.let { return@flatMap listOf(it.get(null) as UiError) }
        val constructor = kind.constructors.maxBy { it.parameterCount }
        val choices: List<List<Any?>> = constructor.parameterTypes.map { type -> sampleArguments(type) }
        // Every value of the one argument with several choices; the first of the others.
        val spread = choices.indexOfFirst { it.size > 1 }
        if (spread < 0) {
            listOf(constructor.newInstance(*choices.map { it.first() }.toTypedArray()) as UiError)
        } else {
            choices[spread].map { value ->
                constructor.newInstance(*choices.mapIndexed { i, c -> if (i == spread) value else c.first() }.toTypedArray()) as UiError
            }
        }
    }

private fun sampleArguments(type: Class<*>): List<Any?> = when {
    type == Int::class.javaPrimitiveType -> listOf(3)
    type == Long::class.javaPrimitiveType -> listOf(42L)
    type == java.lang.Integer::class.java -> listOf(7, null)
    type == String::class.java -> listOf("given_name")
    List::class.java.isAssignableFrom(type) -> listOf(listOf(3, 17))
    type.isEnum -> type.enumConstants.toList()
    else -> error("no sample argument for a UiError field of type ${type.name}: add one here")
}
