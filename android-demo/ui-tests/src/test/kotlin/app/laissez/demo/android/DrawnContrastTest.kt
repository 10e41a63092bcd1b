package app.laissez.demo.android

import androidx.activity.compose.setContent
import androidx.compose.foundation.background
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.Text
import androidx.compose.ui.Modifier
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.graphics.toArgb
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.test.onNodeWithTag
import androidx.compose.ui.unit.dp
import androidx.compose.ui.unit.sp
import org.junit.Assert.assertEquals
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.RobolectricTestRunner
import org.robolectric.annotation.Config
import org.robolectric.annotation.GraphicsMode

/**
 * The contrast measured on drawn pixels (what the verdict screens are checked with) agrees with
 * the colours a text was drawn in: dark on white, a grey that fails AA, white on a green banner.
 */
@RunWith(RobolectricTestRunner::class)
@Config(sdk = [34], application = UiTestApplication::class, qualifiers = "w360dp-h640dp-xhdpi")
@GraphicsMode(GraphicsMode.Mode.NATIVE)
class DrawnContrastTest : AppUiTest() {
    @Test
    fun theMeasuredContrastIsTheContrastOfTheColoursDrawn() {
        val samples = listOf(
            Triple(Color(0xFF1B1B1F), Color.White, "dark"),
            Triple(Color(0xFF999999), Color.White, "grey"),
            Triple(Color.White, Color(0xFF1B5E20), "banner"),
        )
        launch()
        scenario!!.onActivity { activity ->
            activity.setContent {
                Column {
                    for ((ink, paper, tag) in samples) {
                        Text("Valid 12 Mar", color = ink, fontSize = 18.sp, modifier = Modifier.background(paper).padding(4.dp).testTag(tag))
                    }
                }
            }
        }
        compose.waitForIdle()
        val window = compose.drawWindowOf(scenario!!)
        for ((ink, paper, tag) in samples) {
            val expected = contrastRatio(ink.toArgb(), paper.toArgb())
            val measured = drawnTextContrast(window, compose.onNodeWithTag(tag, useUnmergedTree = true).fetchSemanticsNode())!!
            assertEquals("$tag: drawn contrast", expected, measured, expected * 0.05)
        }
    }
}
