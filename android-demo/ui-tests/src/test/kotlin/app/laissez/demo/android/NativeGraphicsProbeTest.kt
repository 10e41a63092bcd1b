package app.laissez.demo.android

import android.graphics.Bitmap
import androidx.compose.ui.test.junit4.createAndroidComposeRule
import java.io.File
import org.junit.Assert.assertTrue
import org.junit.Rule
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.RobolectricTestRunner
import org.robolectric.annotation.Config
import org.robolectric.annotation.GraphicsMode

@RunWith(RobolectricTestRunner::class)
@Config(sdk = [34], application = UiTestApplication::class, qualifiers = "w360dp-h640dp-xhdpi")
@GraphicsMode(GraphicsMode.Mode.NATIVE)
class NativeGraphicsProbeTest {
    @get:Rule
    val compose = createAndroidComposeRule<MainActivity>()

    @Test
    fun drawsTheOnboardingScreen() {
        compose.waitForText(str(R.string.choose_pin_title))
        val bitmap = compose.drawWindow()
        val dir = File(System.getProperty("laissez.screenshots.dir") ?: "target/screenshots").apply { mkdirs() }
        File(dir, "probe.png").outputStream().use { bitmap.compress(Bitmap.CompressFormat.PNG, 100, it) }
        val pixels = IntArray(bitmap.width * bitmap.height)
        bitmap.getPixels(pixels, 0, bitmap.width, 0, 0, bitmap.width, bitmap.height)
        assertTrue("${bitmap.width}x${bitmap.height}, ${pixels.distinct().size} colours", pixels.distinct().size > 2)
    }
}
