package app.laissez.demo.android

import android.app.Activity
import android.view.WindowManager
import androidx.compose.foundation.Canvas
import androidx.compose.foundation.layout.aspectRatio
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.runtime.Composable
import androidx.compose.runtime.DisposableEffect
import androidx.compose.ui.Modifier
import androidx.compose.ui.geometry.Offset
import androidx.compose.ui.geometry.Size
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import app.laissez.QrFrame

/**
 * Draws a QR frame natively from its module matrix (`size * size` bytes, 1 = dark), with the
 * quiet zone, black on white whatever the theme. Compose does not mirror Canvas drawing in
 * right-to-left layouts, so the code stays readable in Arabic.
 */
@Composable
fun QrImage(frame: QrFrame, description: String, modifier: Modifier = Modifier) {
    val n = frame.size.toInt() // modules per side
    val quiet = frame.quietZone.toInt()
    val modules = frame.modules
    Canvas(
        modifier
            .fillMaxWidth()
            .aspectRatio(1f)
            .semantics { contentDescription = description },
    ) {
        val cell = size.minDimension / (n + 2 * quiet)
        drawRect(Color.White)
        for (y in 0 until n) {
            var x = 0
            while (x < n) {
                if (modules[y * n + x].toInt() != 1) {
                    x++
                    continue
                }
                // One rectangle per run of dark modules: fewer draw calls at 10 frames a second.
                val start = x
                while (x < n && modules[y * n + x].toInt() == 1) x++
                drawRect(
                    Color.Black,
                    topLeft = Offset((start + quiet) * cell, (y + quiet) * cell),
                    size = Size((x - start) * cell + 0.5f, cell + 0.5f),
                )
            }
        }
    }
}

/** Full screen brightness while a code is shown, so a camera reads it in sunlight. */
@Composable
fun FullBrightness() {
    val activity = LocalContext.current as? Activity ?: return
    DisposableEffect(activity) {
        val window = activity.window
        val before = window.attributes.screenBrightness
        window.attributes = window.attributes.apply {
            screenBrightness = WindowManager.LayoutParams.BRIGHTNESS_OVERRIDE_FULL
        }
        window.addFlags(WindowManager.LayoutParams.FLAG_KEEP_SCREEN_ON)
        onDispose {
            window.attributes = window.attributes.apply { screenBrightness = before }
            window.clearFlags(WindowManager.LayoutParams.FLAG_KEEP_SCREEN_ON)
        }
    }
}
