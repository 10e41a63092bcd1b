package app.laissez

import java.io.File
import java.util.concurrent.CopyOnWriteArrayList
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertTrue
import kotlinx.coroutines.test.runTest
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir

/** Records each progress call and the thread it came on. */
class ProgressRecorder : RestoreProgress {
    val calls = CopyOnWriteArrayList<Pair<ULong, ULong>>()
    val threads = CopyOnWriteArrayList<String>()
    override fun onProgress(done: ULong, total: ULong) {
        calls.add(done to total)
        threads.add(Thread.currentThread().name)
    }
}

/** Backup and restore with the 24 words through the bindings: bytes, QR frames, bad input. */
class BackupTest {
    @TempDir
    lateinit var dir: File

    private val claims = """{"given_name":"Amina","family_name":"Haddad","nationality":"SD","place_of_birth":"Khartoum"}"""
    private val nonce = "n-7"
    private val audience = "https://desk.example"

    private fun options(clock: WalletClock? = null) = WalletOptions(insecureTestKdf(), null, clock)

    private fun path(name: String) = File(dir, name).absolutePath

    /** Whether the wallet file `name` or any SQLite companion of it exists. */
    private fun leftBehind(name: String) = dir.listFiles()!!.any { it.name.startsWith(name) }

    /** The old phone: an SD-JWT VC and an mdoc from one issuer, one presented once. */
    private inner class OldPhone(val wallet: Wallet, val words: List<String>, val issuer: TestIssuer, val clock: TestClock)

    private suspend fun oldPhone(name: String = "old.db"): OldPhone {
        // A minute ahead of the issuer, so what it issues this second is already valid.
        val clock = TestClock(System.currentTimeMillis() / 1000 + 60)
        val created = createWallet(path(name), "2468", options(clock))
        val wallet = created.wallet
        val issuer = TestIssuer.create("IOM Field Office")
        val jwk = wallet.holderKey().jwk
        val sdJwt = wallet.importCredential(issuer.issueSdJwt("urn:laissez:iom:registration:1", claims, jwk), emptyList())
        wallet.importCredential(issuer.issueMdoc("org.iom.registration.1", claims, jwk), emptyList())
        wallet.presentCredential(sdJwt.id, listOf("given_name"), "n", "a")
        return OldPhone(wallet, created.mnemonicWords, issuer, clock)
    }

    /** Presents every credential of [wallet]; each verifies. Returns their formats. */
    private suspend fun presentAll(wallet: Wallet, issuer: TestIssuer): Set<CredentialFormat> =
        wallet.listCredentials().map { credential ->
            val presentation = wallet.presentCredential(credential.id, listOf("given_name"), nonce, audience)
            val verdict = verifyPresentation(presentation.bytes, nonce, audience, listOf(issuer.certificateDer()), "en", null)
            assertTrue(verdict.valid, verdict.reasonCodes.toString())
            assertEquals("\"Amina\"", verdict.claims.single().valueJson)
            credential.format
        }.toSet()

    private val expected = RecordCounts(credentials = 2uL, holderKeys = 1uL, disclosures = 1uL, other = 0uL)

    @Test
    fun `backup to bytes, restore on a new phone with the words and a new PIN, merge a later backup`() = runTest {
        val old = oldPhone()
        val bytes = old.wallet.backup()
        val header = readBackupHeader(bytes)
        assertEquals(1.toUByte(), header.version)
        assertEquals(old.clock.now.get(), header.createdAt)
        assertEquals(expected, header.counts)
        assertFalse("Amina" in String(bytes, Charsets.ISO_8859_1))

        val progress = ProgressRecorder()
        val restored = restoreWallet(path("new.db"), old.words.joinToString(" "), "1357", bytes, options(), progress)
        assertEquals(RestoreReport(expected, 0uL), restored.report)
        assertTrue(progress.calls.size >= 2, progress.calls.toString())
        assertEquals(0uL to 4uL, progress.calls.first())
        assertEquals(4uL to 4uL, progress.calls.last())
        val testThread = Thread.currentThread().name
        assertTrue(progress.threads.none { it == testThread }, "called on a worker thread: ${progress.threads}")

        restored.wallet.use { new ->
            assertEquals(setOf(CredentialFormat.SD_JWT, CredentialFormat.MDOC), presentAll(new, old.issuer))
            assertEquals(old.wallet.holderKey(), new.holderKey())
            new.lock()
            assertFailsWith<WalletException.WrongPin> { new.unlock("2468") }
            new.unlock("1357")

            // The old phone gets one more credential; its next backup merges in just that.
            val extra = old.issuer.issueSdJwt("urn:laissez:iom:household:1", claims, old.wallet.holderKey().jwk)
            old.wallet.importCredential(extra, emptyList())
            val later = old.wallet.backup()
            val again = ProgressRecorder()
            val report = new.restoreBackup(later, again)
            assertEquals(RecordCounts(1uL, 0uL, 0uL, 0uL), report.restored)
            assertEquals(4uL, report.skippedDuplicates)
            assertTrue(again.calls.isNotEmpty())
            assertEquals(3, new.listCredentials().size)
            // Restoring it twice duplicates nothing.
            assertEquals(RecordCounts(0uL, 0uL, 0uL, 0uL), new.restoreBackup(later).restored)
            assertEquals(3, new.listCredentials().size)

            // A wallet of other words refuses it and keeps what it held.
            createWallet(path("stranger.db"), "2468", options()).wallet.use { stranger ->
                assertFailsWith<BackupException.OtherWallet> { stranger.restoreBackup(later) }
                assertEquals(0uL, stranger.status().recordCount)
            }
            new.lock()
            assertFailsWith<BackupException.Locked> { new.backup() }
            assertFailsWith<BackupException.Locked> { new.restoreBackup(later) }
        }
        old.wallet.close()
    }

    @Test
    fun `backup as QR frames, drawn into luma, scanned with progress, restored from the message`() = runTest {
        val old = oldPhone()
        val frames = old.wallet.backupFrames(defaultFrameOptions().copy(maxFrameChars = 400u, oneCodeMaxChars = 0u))
        assertTrue(frames.size > 3, "${frames.size} frames")
        assertTrue(frames.all { it.text.startsWith("LZF1:") })

        val scanner = QrScanner()
        val message = scan(scanner, frames) // Progress on the way, then Complete.
        assertEquals(QrMessageKind.BACKUP, message.kind)
        val bytes = backupFromMessage(message)
        assertEquals(expected, readBackupHeader(bytes).counts)

        val progress = ProgressRecorder()
        restoreWallet(path("scanned.db"), old.words.joinToString(" "), "1357", bytes, options(), progress).wallet.use { new ->
            assertEquals(setOf(CredentialFormat.SD_JWT, CredentialFormat.MDOC), presentAll(new, old.issuer))
        }
        assertEquals(4uL to 4uL, progress.calls.last())

        val wrongKind = assertFailsWith<BackupException.WrongMessageKind> { backupFromMessage(trustListMessage("x")) }
        assertEquals("trust_list", wrongKind.kind)
        assertFailsWith<BackupException.InvalidFrameOptions> {
            old.wallet.backupFrames(defaultFrameOptions().copy(maxFrameChars = 10u, oneCodeMaxChars = 0u))
        }
        old.wallet.close()
    }

    @Test
    fun `wrong words and damaged backups are typed errors and leave no file behind`() = runTest {
        val old = oldPhone()
        val bytes = old.wallet.backup()
        val words = old.words.joinToString(" ")

        val typo = old.words.toMutableList().also { it[3] = "zzzz" }.joinToString(" ")
        val invalid = assertFailsWith<BackupException.InvalidMnemonic> {
            restoreWallet(path("typo.db"), typo, "1357", bytes, options())
        }
        assertEquals(4u, invalid.wordPosition)
        assertFalse("zzzz" in invalid.reason)
        assertFalse(leftBehind("typo.db"))
        assertFailsWith<BackupException.InvalidMnemonic> {
            restoreWallet(path("short.db"), old.words.drop(1).joinToString(" "), "1357", bytes, options())
        }
        assertFalse(leftBehind("short.db"))

        val stranger = createWallet(path("stranger.db"), "2468", options())
        stranger.wallet.close()
        assertFailsWith<BackupException.OtherWallet> {
            restoreWallet(path("other.db"), stranger.mnemonicWords.joinToString(" "), "1357", bytes, options())
        }
        assertFalse(leftBehind("other.db"))

        val flipped = bytes.copyOf().also { it[it.size / 2] = (it[it.size / 2].toInt() xor 0x01).toByte() }
        assertFailsWith<BackupException.Damaged> { restoreWallet(path("flip.db"), words, "1357", flipped, options()) }
        assertFalse(leftBehind("flip.db"))

        val truncated = bytes.copyOf(bytes.size - 1)
        assertFailsWith<BackupException.Damaged> { restoreWallet(path("cut.db"), words, "1357", truncated, options()) }
        assertFailsWith<BackupException.Truncated> { readBackupHeader(bytes.copyOf(6)) }
        assertFalse(leftBehind("cut.db"))

        val future = bytes.copyOf().also { it[4] = 9 }
        val version = assertFailsWith<BackupException.UnsupportedVersion> { readBackupHeader(future) }
        assertEquals(9.toUByte(), version.version)
        assertEquals(1.toUByte(), version.supported)
        assertFailsWith<BackupException.UnsupportedVersion> { restoreWallet(path("future.db"), words, "1357", future, options()) }
        assertFalse(leftBehind("future.db"))
        assertFailsWith<BackupException.NotABackup> { readBackupHeader("%PDF-1.7".toByteArray()) }
        assertFailsWith<BackupException.InvalidPin> { restoreWallet(path("pin.db"), words, "1", bytes, options()) }
        assertFalse(leftBehind("pin.db"))

        // An existing file is left as it was.
        val taken = File(dir, "taken.db").also { it.writeText("someone's file") }
        assertFailsWith<BackupException.AlreadyExists> { restoreWallet(taken.absolutePath, words, "1357", bytes, options()) }
        assertEquals("someone's file", taken.readText())

        // After all that, the right words and the intact backup still work, even with a progress
        // callback that throws (its exceptions are ignored).
        val throwing = object : RestoreProgress {
            override fun onProgress(done: ULong, total: ULong) = throw IllegalStateException("UI gone")
        }
        restoreWallet(path("good.db"), words, "1357", bytes, options(), throwing).wallet.use { new ->
            assertEquals(2, new.listCredentials().size)
        }
        old.wallet.close()
    }
}
