package app.laissez.demo.android

import android.app.Application
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.height
import androidx.compose.runtime.Composable
import androidx.compose.runtime.DisposableEffect
import androidx.compose.runtime.rememberUpdatedState
import androidx.compose.ui.Modifier
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import app.laissez.QrFrame
import app.laissez.WalletOptions
import app.laissez.demo.HmacProtector
import app.laissez.demo.LumaFrame
import app.laissez.demo.MacKeySource
import app.laissez.insecureTestKdf
import java.util.concurrent.ConcurrentHashMap
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey
import java.util.concurrent.LinkedBlockingDeque
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicBoolean
import kotlin.concurrent.thread
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.runBlocking

/**
 * The camera of the UI tests: each scanning screen's preview takes the frames a test shows it,
 * in order, from a camera thread of its own, one frame at a time (runBlocking), so a frame being
 * read is not cancelled when the screen it completed leaves. Frames shown while no scanner is on
 * screen wait for the next one.
 *
 * The screen's onFrame itself runs on the main thread (the core's work inside it still runs on
 * the core's pool): a view model's state set from the camera thread would have the Compose test
 * clock recompose and lay out on that thread, racing the test thread's own layout ("called
 * during measure layout"). On a phone the same state change only posts to the main thread.
 */
object FakeCamera : FrameSource {
    private val frames = LinkedBlockingDeque<LumaFrame>()

    /** What a test's camera sees next. */
    fun show(vararg frame: LumaFrame) = frame.forEach { frames.put(it) }

    fun showAll(frame: List<LumaFrame>) = frame.forEach { frames.put(it) }

    /** Frames not yet taken by a scanner. */
    val pending: Int get() = frames.size

    /** Drops frames no scanner took (between tests). */
    fun clear() = frames.clear()

    @Composable
    override fun Preview(onFrame: suspend (LumaFrame) -> Unit, modifier: Modifier) {
        val latest = rememberUpdatedState(onFrame)
        DisposableEffect(Unit) {
            val running = AtomicBoolean(true)
            thread(name = "test-camera", isDaemon = true) {
                while (running.get()) {
                    val frame = frames.poll(20, TimeUnit.MILLISECONDS) ?: continue
                    if (!running.get()) {
                        frames.putFirst(frame) // the scanner left: the next one gets it
                        break
                    }
                    runBlocking(Dispatchers.Main) { latest.value(frame) }
                }
            }
            onDispose { running.set(false) }
        }
        Box(modifier.fillMaxWidth().height(120.dp).semantics { contentDescription = "test camera" })
    }
}

/**
 * The tests' phone: [FakeCamera] and a software HMAC key per wallet (the Android Keystore does not
 * exist under Robolectric) through the app's own [HmacProtector]; a fast PIN stretching (the
 * core's insecureTestKdf) so a test does not spend seconds per PIN. The wallet itself is the
 * real core's.
 */
object TestPhone : Phone {
    override val camera: FrameSource = FakeCamera
    private val keys = ConcurrentHashMap<String, SecretKey>()

    override fun walletOptions(keyAlias: String) = WalletOptions(insecureTestKdf(), HmacProtector(MemoryKey(keyAlias)), null)

    private class MemoryKey(override val keyId: String) : MacKeySource {
        override fun existing(): SecretKey? = keys[keyId]
        override fun create(): SecretKey = KeyGenerator.getInstance("HmacSHA256").generateKey().also { keys[keyId] = it }
    }

    fun reset() = keys.clear()
}

/**
 * The Application of every UI test (@Config(application = ...)): the app with [TestPhone].
 *
 * Every Robolectric test class uses the same configuration (SDK 34, native graphics), so all run
 * in one sandbox class loader: the core is one native library in the process, and UniFFI
 * registers the callback table of foreign traits (the [HmacProtector] answering PIN challenges)
 * once, pointing at the classes of the class loader that first did it. A second sandbox (say a
 * test class with legacy graphics) would get its wallet calls answered by the first one's
 * objects and fail with WalletException.Internal.
 */
class UiTestApplication : Application(), PhoneProvider {
    override val phone: Phone = TestPhone
}

/**
 * Draws a QR frame from the core (`qrFrames`, `renderQr`) as a phone camera would see it on
 * another screen: [scale] pixels a module, its quiet zone, rows padded (stride > width).
 */
fun toLuma(frame: QrFrame, scale: Int = 4): LumaFrame {
    val size = frame.size.toInt()
    val quiet = frame.quietZone.toInt()
    val side = (size + 2 * quiet) * scale
    val stride = side + 13
    val pixels = ByteArray(stride * side) { 0x80.toByte() }
    for (y in 0 until side) {
        for (x in 0 until side) {
            val mx = x / scale - quiet
            val my = y / scale - quiet
            val dark = mx in 0 until size && my in 0 until size && frame.modules[my * size + mx].toInt() == 1
            pixels[y * stride + x] = if (dark) 0x10 else 0xF0.toByte()
        }
    }
    return LumaFrame(side, side, stride, pixels)
}
