package app.laissez.demo.android

import androidx.test.core.app.ApplicationProvider
import app.laissez.createWallet
import app.laissez.demo.LumaFrame
import java.io.File
import kotlinx.coroutines.runBlocking
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.RobolectricTestRunner
import org.robolectric.annotation.Config
import org.robolectric.annotation.GraphicsMode

/**
 * Benchmarks of the app as drawn under Robolectric on this machine (docs/BENCHMARKS.md, "Android
 * app under Robolectric"): relative figures to catch regressions, not a phone's. Not a test: its
 * name keeps it out of the suite; run it with
 * `scripts/android-ui-test.sh -Dtest=UiBenchmark -Dlaissez.bench.runs=N`.
 * Writes its results to target/ui-benchmark.txt as well as the log.
 */
@RunWith(RobolectricTestRunner::class)
@Config(sdk = [34], application = UiTestApplication::class, qualifiers = "w360dp-h640dp-xhdpi")
@GraphicsMode(GraphicsMode.Mode.NATIVE)
class UiBenchmark : AppUiTest() {
    private val runs = System.getProperty("laissez.bench.runs")?.toInt() ?: 10

    /** The activity started (a wallet on the phone) until the lock screen is drawn. */
    @Test
    fun startupToUnlockScreen() {
        val app = ApplicationProvider.getApplicationContext<android.app.Application>()
        runBlocking {
            createWallet(File(app.noBackupFilesDir, "wallet.db").absolutePath, "2468", TestPhone.walletOptions("laissez-holder")).wallet.close()
        }
        val times = (0..runs).map {
            val start = System.nanoTime()
            launch()
            compose.waitForText(str(R.string.unlock_title))
            compose.drawWindowOf(scenario!!)
            val ms = (System.nanoTime() - start) / 1e6
            scenario!!.close()
            ms
        }
        report("startup to unlock screen drawn", times)
    }

    /**
     * The verifier waiting with the answer's other frames read: the frame that completes the
     * answer handed to its camera until the green verdict is drawn (decode, decrypt, verify
     * against the trust list, log, compose and draw).
     */
    @Test
    fun lastAnswerFrameToVerdictDrawn() {
        launch()
        compose.holderWithDemoCredential(trustDemo = true)
        compose.verifierWithDemoTrust()

        val times = mutableListOf<Double>()
        var frames = 0
        repeat(runs + 1) {
            compose.tap(str(R.string.new_request))
            compose.waitForText(str(R.string.awaiting_answer))
            val request = codesOnScreen().single()
            compose.tap(str(R.string.mode_holder))
            compose.tap(str(R.string.scan_request))
            FakeCamera.show(request)
            compose.tap(str(R.string.share))
            compose.waitForText(str(R.string.show_to_verifier))
            val answer = codesOnScreen()
            frames = answer.size
            compose.tap(str(R.string.done))
            compose.tap(str(R.string.mode_verifier))
            compose.waitForText(str(R.string.awaiting_answer))
            times += completingFrameToVerdict(answer)
            compose.tap(str(R.string.done))
        }
        report("last answer frame to verdict drawn (answers of $frames code${if (frames == 1) "" else "s"})", times)
    }

    /** Feeds [answer] a frame at a time; the time from the frame that completes it to the verdict drawn. */
    private fun completingFrameToVerdict(answer: List<LumaFrame>): Double {
        for ((i, frame) in answer.withIndex()) {
            val progress = progressLine()
            val start = System.nanoTime()
            FakeCamera.show(frame)
            if (i == answer.lastIndex) {
                compose.waitForText(str(R.string.verdict_valid))
            } else {
                // Until this frame is read: progress moved, or the verdict is on its way.
                compose.waitUntil(10_000) { FakeCamera.pending == 0 && (progressLine() != progress || verdictComing()) }
            }
            if (verdictComing()) {
                compose.waitForText(str(R.string.verdict_valid))
                compose.drawWindowOf(scenario!!)
                return (System.nanoTime() - start) / 1e6
            }
        }
        error("the answer's ${answer.size} frames did not complete it")
    }

    private fun progressLine() = compose.allTexts().firstOrNull { it.startsWith(str(R.string.scan_progress, 0, 0).substringBefore("0")) }

    private fun verdictComing() = compose.isShown(str(R.string.verifying)) || compose.isShown(str(R.string.verdict_valid))

    /** The first run is reported on its own (class loading, JIT); the median and p90 of the others. */
    private fun report(what: String, times: List<Double>) {
        val warm = times.drop(1).sorted()
        val line = "%s: first %.0f ms; then median %.0f ms, p90 %.0f ms, min %.0f ms over %d runs".format(
            what, times.first(), warm[warm.size / 2], warm[((warm.size - 1) * 0.9).toInt()], warm.first(), warm.size,
        )
        println("UI BENCHMARK $line")
        File("target/ui-benchmark.txt").appendText(line + "\n")
    }
}
