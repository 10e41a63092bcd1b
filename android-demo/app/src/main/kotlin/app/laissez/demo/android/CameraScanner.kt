package app.laissez.demo.android

import android.Manifest
import android.content.pm.PackageManager
import android.util.Size
import androidx.activity.compose.rememberLauncherForActivityResult
import androidx.activity.result.contract.ActivityResultContracts
import androidx.camera.core.CameraSelector
import androidx.camera.core.ImageAnalysis
import androidx.camera.core.ImageProxy
import androidx.camera.core.Preview
import androidx.camera.core.resolutionselector.ResolutionSelector
import androidx.camera.core.resolutionselector.ResolutionStrategy
import androidx.camera.lifecycle.ProcessCameraProvider
import androidx.camera.view.PreviewView
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.aspectRatio
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.material3.Button
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.DisposableEffect
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.rememberUpdatedState
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalContext
import androidx.lifecycle.compose.LocalLifecycleOwner
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.viewinterop.AndroidView
import androidx.core.content.ContextCompat
import app.laissez.demo.LumaFrame
import java.util.concurrent.Executors
import kotlinx.coroutines.runBlocking

/**
 * The phone's camera as a [FrameSource]: CameraX preview plus analysis. Each frame's Y plane (8-bit luma: width, height, row stride,
 * bytes) goes to [onFrame], which hands it to the core's `QrScanner.pushLuma` through a view
 * model. No Google Play services or ML Kit: the core decodes.
 *
 * The analyzer waits for [onFrame] before taking the next frame (KEEP_ONLY_LATEST), so a slow
 * phone drops frames instead of queueing them.
 */
object CameraXFrameSource : FrameSource {
    @Composable
    override fun Preview(onFrame: suspend (LumaFrame) -> Unit, modifier: Modifier) = CameraXPreview(onFrame, modifier)
}

@Composable
private fun CameraXPreview(onFrame: suspend (LumaFrame) -> Unit, modifier: Modifier) {
    val context = LocalContext.current
    var granted by remember {
        mutableStateOf(
            ContextCompat.checkSelfPermission(context, Manifest.permission.CAMERA) == PackageManager.PERMISSION_GRANTED,
        )
    }
    val ask = rememberLauncherForActivityResult(ActivityResultContracts.RequestPermission()) { granted = it }
    LaunchedEffect(Unit) { if (!granted) ask.launch(Manifest.permission.CAMERA) }
    if (!granted) {
        Box(modifier) {
            Button(onClick = { ask.launch(Manifest.permission.CAMERA) }) { Text(stringResource(R.string.camera_permission)) }
        }
        return
    }

    val lifecycleOwner = LocalLifecycleOwner.current
    val latest by rememberUpdatedState(onFrame)
    val previewView = remember { PreviewView(context) }
    val executor = remember { Executors.newSingleThreadExecutor() }

    DisposableEffect(lifecycleOwner) {
        val providerFuture = ProcessCameraProvider.getInstance(context)
        var provider: ProcessCameraProvider? = null
        providerFuture.addListener({
            val cameraProvider = providerFuture.get().also { provider = it }
            val preview = Preview.Builder().build().also { it.setSurfaceProvider(previewView.surfaceProvider) }
            val analysis = ImageAnalysis.Builder()
                // 720p is plenty for a phone screen held 20-40 cm away, and cheap on low-end phones.
                .setResolutionSelector(
                    ResolutionSelector.Builder()
                        .setResolutionStrategy(
                            ResolutionStrategy(Size(1280, 720), ResolutionStrategy.FALLBACK_RULE_CLOSEST_LOWER_THEN_HIGHER),
                        )
                        .build(),
                )
                .setBackpressureStrategy(ImageAnalysis.STRATEGY_KEEP_ONLY_LATEST)
                .setOutputImageFormat(ImageAnalysis.OUTPUT_IMAGE_FORMAT_YUV_420_888)
                .build()
            analysis.setAnalyzer(executor) { image -> analyze(image) { frame -> runBlocking { latest(frame) } } }
            cameraProvider.unbindAll()
            cameraProvider.bindToLifecycle(lifecycleOwner, CameraSelector.DEFAULT_BACK_CAMERA, preview, analysis)
        }, ContextCompat.getMainExecutor(context))
        onDispose {
            provider?.unbindAll()
            executor.shutdown()
        }
    }
    AndroidView(factory = { previewView }, modifier = modifier.fillMaxWidth().aspectRatio(3f / 4f))
}

/** Copies the Y plane out of [image] (the buffer is reused after close) and closes it. */
private fun analyze(image: ImageProxy, deliver: (LumaFrame) -> Unit) {
    image.use {
        val plane = it.planes[0] // Y: pixelStride is 1 for YUV_420_888's luma.
        val buffer = plane.buffer
        val bytes = ByteArray(buffer.remaining())
        buffer.get(bytes)
        // The last row may be shorter than rowStride; the core accepts stride * (h - 1) + w bytes.
        deliver(LumaFrame(it.width, it.height, plane.rowStride, bytes))
    }
}
