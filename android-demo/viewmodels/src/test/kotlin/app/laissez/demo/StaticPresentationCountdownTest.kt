package app.laissez.demo

import app.laissez.QrFrame
import app.laissez.VerdictReason
import app.laissez.WalletClock
import java.io.File
import kotlin.test.assertEquals
import kotlin.test.assertIs
import kotlin.test.assertNotEquals
import kotlin.test.assertTrue
import kotlinx.coroutines.ExperimentalCoroutinesApi
import kotlinx.coroutines.launch
import kotlinx.coroutines.test.TestCoroutineScheduler
import kotlinx.coroutines.test.advanceTimeBy
import kotlinx.coroutines.test.runCurrent
import kotlinx.coroutines.test.runTest
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir

/**
 * The static code's countdown on virtual time: the wallets and the view model read one clock,
 * so the core's `acceptedUntil`, the screen's time left and the verifier's window agree.
 */
@OptIn(ExperimentalCoroutinesApi::class)
class StaticPresentationCountdownTest {
    @TempDir
    lateinit var dir: File
    private var world: World? = null

    @AfterEach
    fun close() {
        world?.close()
    }

    /** The real time at the start, moved by the test's virtual time. */
    private class VirtualClock(private val scheduler: TestCoroutineScheduler) : WalletClock {
        private val start = System.currentTimeMillis()
        val millis: () -> Long = { start + scheduler.currentTime }
        override fun nowUnix(): Long = millis() / 1000
        override fun monotonicMillis(): ULong = millis().toULong()
    }

    private suspend fun verdict(verifier: VerifierViewModel, frames: List<QrFrame>): VerdictView {
        verifier.scanWithoutRequest()
        for (frame in frames) verifier.onFrame(toLuma(frame))
        return assertIs<VerifierViewModel.State.Result>(verifier.state.value).verdicts.single().also { verifier.done() }
    }

    @Test
    fun `the code counts down to when verifiers stop accepting it, then hides, and a new one has a new window`() = runTest {
        val clock = VirtualClock(testScheduler)
        val w = World(dir, clock).setUp().also { world = it }
        val vm = StaticPresentationViewModel(w.holder, "en", nowMillis = clock.millis)
        vm.choose(w.holder.listCredentials().single().id)
        vm.toggle("given_name")
        val chosen = assertIs<StaticPresentationViewModel.State.Select>(vm.state.value)
        vm.present()
        val shown = assertIs<StaticPresentationViewModel.State.Showing>(vm.state.value)
        // The core's answer: the end of the next two-minute window, two to four minutes ahead.
        assertEquals(0L, shown.acceptedUntil % 120)
        val leftMillis = shown.acceptedUntil * 1000 - clock.millis()
        assertTrue(leftMillis in 120_001..240_000, "$leftMillis")
        assertEquals((leftMillis + 999) / 1000, shown.secondsLeft)

        // It counts down each second while the screen runs it; the codes stay the same.
        var ticking = backgroundScope.launch { vm.countDown() }
        runCurrent()
        advanceTimeBy(1_000)
        runCurrent()
        assertEquals(shown.secondsLeft - 1, assertIs<StaticPresentationViewModel.State.Showing>(vm.state.value).secondsLeft)
        advanceTimeBy(60_000)
        runCurrent()
        val later = assertIs<StaticPresentationViewModel.State.Showing>(vm.state.value)
        assertEquals(shown.secondsLeft - 61, later.secondsLeft)
        assertEquals(shown.frames, later.frames)
        assertEquals("1:42", later.copy(secondsLeft = 102).timeLeft)
        assertEquals("0:05", later.copy(secondsLeft = 5).timeLeft)

        // In its last second it still says 0:01, and the verifier (same clock) still takes it.
        advanceTimeBy((later.secondsLeft - 1) * 1_000)
        runCurrent()
        val last = assertIs<StaticPresentationViewModel.State.Showing>(vm.state.value)
        assertEquals("0:01", last.timeLeft)
        ticking.cancel()
        val desk = VerifierViewModel(w.verifier)
        assertTrue(verdict(desk, shown.frames).valid)

        // At acceptedUntil the codes are hidden; the verifier refuses them as too old.
        ticking = backgroundScope.launch { vm.countDown() }
        advanceTimeBy(1_000)
        runCurrent()
        assertEquals(StaticPresentationViewModel.State.Expired(chosen), vm.state.value)
        assertTrue(ticking.isCompleted, "the countdown ends with the codes")
        assertEquals(shown.acceptedUntil, clock.millis() / 1000)
        assertEquals(listOf(VerdictReason.STALE_PRESENTATION), verdict(desk, shown.frames).reasons)

        // A new code: new frames, the next window, accepted.
        vm.newCode()
        val again = assertIs<StaticPresentationViewModel.State.Showing>(vm.state.value)
        assertEquals(chosen, again.selection)
        assertNotEquals(shown.frames, again.frames)
        assertEquals(shown.acceptedUntil + 240, again.acceptedUntil)
        assertEquals(240L, again.secondsLeft)
        assertTrue(verdict(desk, again.frames).valid)

        // Expired again, the person can go back to the claims instead.
        backgroundScope.launch { vm.countDown() }
        advanceTimeBy(240_000)
        runCurrent()
        assertIs<StaticPresentationViewModel.State.Expired>(vm.state.value)
        vm.edit()
        assertEquals(chosen, vm.state.value)
    }
}
