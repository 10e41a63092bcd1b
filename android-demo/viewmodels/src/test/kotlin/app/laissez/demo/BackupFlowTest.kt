package app.laissez.demo

import app.laissez.createWallet
import app.laissez.defaultFrameOptions
import java.io.File
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertIs
import kotlin.test.assertTrue
import kotlinx.coroutines.test.runTest
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir

/** Moving phones: backup frames on the old phone, scan, words and restore on the new one. */
class BackupFlowTest {
    @TempDir
    lateinit var dir: File

    private fun path(name: String) = File(dir, name).absolutePath

    @Test
    fun `backup frames scanned with progress, wrong words, then restored`() = runTest {
        val created = createWallet(path("old.db"), PIN, options())
        val old = created.wallet
        val issuer = app.laissez.TestIssuer.create("IOM Field Office")
        old.importCredential(issuer.issueSdJwt(SD_JWT_TYPE, CLAIMS, old.holderKey().jwk), emptyList())

        val export = BackupViewModel.Export(old, defaultFrameOptions().copy(maxFrameChars = 400u, oneCodeMaxChars = 0u))
        export.prepare()
        val frames = assertIs<BackupViewModel.Export.State.Showing>(export.state.value).frames
        assertTrue(frames.size > 1)

        val clock = ManualClock()
        val restore = BackupViewModel.Restore(path("new.db"), options(), ScanSession(5_000, clock.millis))
        // A transfer that stops half-way is dropped.
        restore.onFrame(toLuma(frames[0]))
        assertIs<ScanState.Progress>(assertIs<BackupViewModel.Restore.State.Scanning>(restore.state.value).scan)
        clock.secs.addAndGet(10)
        restore.checkStalled()
        assertEquals(BackupViewModel.Restore.State.Scanning(ScanState.Problem(UiError.TransferInterrupted)), restore.state.value)

        var progressed = false
        for (frame in frames) {
            restore.onFrame(toLuma(frame))
            val s = restore.state.value
            if (s is BackupViewModel.Restore.State.Scanning && s.scan is ScanState.Progress) progressed = true
        }
        assertTrue(progressed)
        // Ready for the words, and nothing of the unauthenticated header on the screen.
        assertEquals(BackupViewModel.Restore.State.Ready(), restore.state.value)
        assertTrue(BackupViewModel.Restore.State.Ready::class.java.declaredFields.none { it.name == "counts" || it.name == "createdAt" })

        val words = created.mnemonicWords
        val typo = words.toMutableList().also { it[3] = "zzzz" }.joinToString(" ")
        restore.restore(typo, "1357", "1357")
        assertEquals(UiError.InvalidMnemonic(4), assertIs<BackupViewModel.Restore.State.Ready>(restore.state.value).error)
        val stranger = createWallet(path("stranger.db"), PIN, options())
        stranger.wallet.close()
        restore.restore(stranger.mnemonicWords.joinToString(" "), "1357", "1357")
        assertEquals(UiError.BackupOfOtherWallet, assertIs<BackupViewModel.Restore.State.Ready>(restore.state.value).error)
        restore.restore(words.joinToString(" "), "1357", "1358")
        assertEquals(UiError.PinMismatch, assertIs<BackupViewModel.Restore.State.Ready>(restore.state.value).error)
        assertFalse(File(path("new.db")).exists())

        restore.restore(words.joinToString(" ").uppercase(), "1357", "1357")
        val restored = assertIs<BackupViewModel.Restore.State.Restored>(restore.state.value)
        assertEquals(1uL, restored.report.restored.credentials)
        restored.wallet.use { assertEquals(1, it.listCredentials().size) }

        // Merging the same backup into the restored wallet again duplicates nothing.
        app.laissez.openWallet(path("new.db"), options()).use { again ->
            again.unlock("1357")
            val merge = BackupViewModel.Restore(path("unused.db"), options(), into = again)
            for (frame in frames) merge.onFrame(toLuma(frame))
            merge.restore("", "", "")
            val merged = assertIs<BackupViewModel.Restore.State.Restored>(merge.state.value)
            assertEquals(0uL, merged.report.restored.credentials)
            assertEquals(1, again.listCredentials().size)
        }
        old.close()
    }

    @Test
    fun `a code that is not a backup, and a locked wallet, are states`() = runTest {
        val w = World(dir).setUp()
        val request = w.verifier.createRequest("Desk", "Aid", w.requested(), 60u)
        val restore = BackupViewModel.Restore(path("new.db"), options())
        restore.onFrame(toLuma(request.frames.single()))
        assertEquals(BackupViewModel.Restore.State.Failed(UiError.NotABackup), restore.state.value)
        restore.scanAgain()
        restore.onFrame(noise())
        assertEquals(BackupViewModel.Restore.State.Scanning(ScanState.NoCode), restore.state.value)

        w.holder.lock()
        val export = BackupViewModel.Export(w.holder)
        export.prepare()
        assertEquals(BackupViewModel.Export.State.Failed(UiError.Locked), export.state.value)
        w.close()
    }
}
