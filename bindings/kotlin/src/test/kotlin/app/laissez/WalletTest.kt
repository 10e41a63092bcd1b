package app.laissez

import java.io.File
import java.nio.file.Files
import java.security.SecureRandom
import java.util.concurrent.atomic.AtomicLong
import javax.crypto.Mac
import javax.crypto.spec.SecretKeySpec
import kotlin.test.assertContentEquals
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.test.runTest
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir

/** A clock the test moves by hand, to check PIN delays without waiting: the date and the
 *  monotonic time move separately (delays follow only the monotonic one). */
class TestClock(start: Long) : WalletClock {
    val now = AtomicLong(start)
    val monotonic = AtomicLong(0)
    override fun nowUnix(): Long = now.get()
    override fun monotonicMillis(): ULong = monotonic.get().toULong()
    /** Time really passes. */
    fun pass(seconds: Long) {
        now.addAndGet(seconds)
        monotonic.addAndGet(seconds * 1000)
    }
}

/** A software stand-in for Android Keystore: HMAC-SHA256 with a key held in memory. [failure]
 *  makes every call throw, as a cancelled prompt or an invalidated key would. */
class SoftwareProtector(private val id: String) : PlatformKeyProtector {
    private val key = SecretKeySpec(ByteArray(32).also { SecureRandom().nextBytes(it) }, "HmacSHA256")
    @Volatile var failure: PlatformKeyException? = null
    var answers = 0
        private set
    override fun keyId(): String = id
    override fun respond(challenge: ByteArray): ByteArray {
        failure?.let { throw it }
        answers++
        return Mac.getInstance("HmacSHA256").apply { init(key) }.doFinal(challenge)
    }
    override fun legacyUnwrap(wrapped: ByteArray): ByteArray =
        throw PlatformKeyException.KeyInvalidated("this key never wrapped")
}

class WalletTest {
    @TempDir
    lateinit var dir: File

    private fun options(clock: WalletClock? = null, platformKey: PlatformKeyProtector? = null) =
        WalletOptions(pinKdf = insecureTestKdf(), platformKey = platformKey, clock = clock)

    private fun path(name: String = "wallet.db") = File(dir, name).absolutePath

    private fun note(topic: String, body: String) = NewRecordInput(
        kind = "note",
        tags = listOf(RecordTag("topic", topic), RecordTag("lang", "fr")),
        body = body.toByteArray(),
    )

    @Test
    fun `create returns 24 words and an unlocked wallet`() = runTest {
        val created = createWallet(path(), "2468", options())
        created.wallet.use { wallet ->
            assertEquals(24, created.mnemonicWords.size)
            assertFalse(wallet.isLocked())
            validateMnemonic(created.mnemonicWords.joinToString(" "))
            val status = wallet.status()
            assertEquals(insecureTestKdf(), status.pinKdf)
            assertEquals(0uL, status.recordCount)
        }
    }

    @Test
    fun `records round trip with tags, pages and counts`() = runTest {
        createWallet(path(), "2468", options()).wallet.use { wallet ->
            val id = wallet.put(note("clinic", "tuesday"))
            val more = wallet.putMany((1..5).map { note("food", "day $it") })
            assertEquals(5, more.size)
            val read = wallet.get(id)
            assertContentEquals("tuesday".toByteArray(), read.body)
            assertEquals("note", read.kind)
            assertTrue(RecordTag("topic", "clinic") in read.tags)
            assertEquals(5uL, wallet.count("note", listOf(RecordTag("topic", "food"))))
            val first = wallet.find("note", listOf(RecordTag("topic", "food")), 3u, null)
            assertEquals(3, first.records.size)
            val cursor = assertNotNull(first.nextCursor)
            val second = wallet.find("note", listOf(RecordTag("topic", "food")), 3u, cursor)
            assertEquals(2, second.records.size)
            assertNull(second.nextCursor)
            wallet.update(id, listOf(RecordTag("topic", "moved")), "wednesday".toByteArray())
            assertEquals(0uL, wallet.count("note", listOf(RecordTag("topic", "clinic"))))
            wallet.delete(id)
            assertFailsWith<WalletException.RecordNotFound> { wallet.get(id) }
        }
    }

    @Test
    fun `wrong PIN is counted, then delayed, and the clock lets it pass`() = runTest {
        val clock = TestClock(1_700_000_000)
        createWallet(path(), "2468", options(clock)).wallet.close()
        openWallet(path(), options(clock)).use { wallet ->
            assertTrue(wallet.isLocked())
            for (left in 4 downTo 0) {
                val e = assertFailsWith<WalletException.WrongPin> { wallet.unlock("0000") }
                assertEquals(left.toUInt(), e.attemptsLeft)
            }
            val locked = assertFailsWith<WalletException.PinLockedOut> { wallet.unlock("2468") }
            assertEquals(30uL, locked.retryAfterSecs)
            assertEquals(5u, wallet.status().failedPinAttempts)
            // Setting the date forward does not shorten the wait; real time does.
            clock.now.addAndGet(3_600)
            assertFailsWith<WalletException.PinLockedOut> { wallet.unlock("2468") }
            clock.pass(30)
            wallet.unlock("2468")
            assertFalse(wallet.isLocked())
        }
    }

    @Test
    fun `locked wallet refuses record operations`() = runTest {
        createWallet(path(), "2468", options()).wallet.use { wallet ->
            wallet.lock()
            assertFailsWith<WalletException.Locked> { wallet.put(note("a", "b")) }
            assertFailsWith<WalletException.Locked> { wallet.count("note", emptyList()) }
        }
    }

    @Test
    fun `change PIN, recover with the 24 words, rekey`() = runTest {
        val created = createWallet(path(), "2468", options())
        created.wallet.use { wallet ->
            val id = wallet.put(note("clinic", "tuesday"))
            assertFailsWith<WalletException.WrongPin> { wallet.changePin("9999", "13579") }
            wallet.changePin("2468", "13579")
            wallet.lock()
            assertFailsWith<WalletException.WrongPin> { wallet.unlock("2468") }
            wallet.recover(created.mnemonicWords.joinToString(" "), "1111")
            assertEquals(1uL, wallet.rekey())
            wallet.lock()
            wallet.unlock("1111")
            assertContentEquals("tuesday".toByteArray(), wallet.get(id).body)
        }
    }

    @Test
    fun `bad mnemonics give their own errors`() = runTest {
        val created = createWallet(path(), "2468", options())
        val words = created.mnemonicWords
        created.wallet.use { wallet ->
            assertFailsWith<WalletException.InvalidMnemonic> { validateMnemonic(words.take(23).joinToString(" ")) }
            val unknown = words.toMutableList().also { it[6] = "zzzz" }
            val e = assertFailsWith<WalletException.InvalidMnemonic> { wallet.recover(unknown.joinToString(" "), "1111") }
            assertEquals(7u, e.wordPosition)
            val other = createWallet(path("other.db"), "2468", options())
            other.wallet.close()
            assertFailsWith<WalletException.MnemonicMismatch> {
                wallet.recover(other.mnemonicWords.joinToString(" "), "1111")
            }
        }
    }

    @Test
    fun `bad input per function gives a typed error`() = runTest {
        createWallet(path(), "2468", options()).wallet.use { wallet ->
            assertFailsWith<WalletException.InvalidPin> { createWallet(path("short.db"), "12", options()) }
            assertFailsWith<WalletException.AlreadyExists> { createWallet(path(), "2468", options()) }
            assertFailsWith<WalletException.NotFound> { openWallet(path("missing.db"), options()) }
            assertFailsWith<WalletException.InvalidInput> { wallet.get("not-an-id") }
            assertFailsWith<WalletException.RecordNotFound> { wallet.get("00".repeat(16)) }
            assertFailsWith<WalletException.InvalidInput> { wallet.put(NewRecordInput("", emptyList(), ByteArray(0))) }
            assertFailsWith<WalletException.InvalidInput> { wallet.find("note", emptyList(), 0u, null) }
            assertFailsWith<WalletException.InvalidInput> { wallet.find("note", emptyList(), 10u, "not a cursor") }
            assertFailsWith<WalletException.InvalidInput> { wallet.count("x".repeat(65), emptyList()) }
            assertFailsWith<WalletException.InvalidInput> { wallet.update("zz", emptyList(), ByteArray(0)) }
            assertFailsWith<WalletException.InvalidInput> { wallet.delete("") }
            assertFailsWith<WalletException.InvalidPin> { wallet.changePin("2468", " ") }
            // The same rules without a wallet, before asking for the current PIN.
            validateNewPin("2468")
            assertFailsWith<WalletException.InvalidPin> { validateNewPin("246") }
            assertFailsWith<WalletException.InvalidPin> { validateNewPin("    ") }
            assertFailsWith<WalletException.InvalidPin> { validateNewPin("1".repeat(129)) }
            assertFailsWith<WalletException.InvalidInput> { wallet.putMany(listOf(NewRecordInput("k", List(33) { RecordTag("t$it", "v") }, ByteArray(0)))) }
        }
    }

    @Test
    fun `garbage and foreign files are reported and left untouched`() = runTest {
        val garbage = File(dir, "garbage.db").apply { writeBytes(ByteArray(4096) { (it * 31).toByte() }) }
        val before = garbage.readBytes()
        assertFailsWith<WalletException.NotAWallet> { openWallet(garbage.absolutePath, options()) }
        assertContentEquals(before, garbage.readBytes())
        val empty = File(dir, "empty.db").apply { createNewFile() }
        assertFailsWith<WalletException.NotAWallet> { openWallet(empty.absolutePath, options()) }
        assertTrue(empty.exists())
    }

    @Test
    fun `platform key protects the PIN and recovery still works without it`() = runTest {
        val protector = SoftwareProtector("keystore-alias-1")
        val created = createWallet(path(), "2468", options(platformKey = protector))
        created.wallet.close()
        openWallet(path(), options(platformKey = protector)).use { wallet ->
            assertTrue(wallet.status().platformProtected)
            wallet.unlock("2468")
        }
        openWallet(path(), options()).use { wallet ->
            val error = assertFailsWith<WalletException.PlatformKey> { wallet.unlock("2468") }
            assertEquals(PlatformKeyProblem.NOT_GIVEN, error.problem)
            wallet.recover(created.mnemonicWords.joinToString(" "), "1357")
            assertFalse(wallet.status().platformProtected)
        }
        openWallet(path(), options(platformKey = SoftwareProtector("other-alias"))).use { wallet ->
            wallet.unlock("1357")
        }
    }

    @Test
    fun `a cancelled or invalidated platform key is reported and uses up no attempt`() = runTest {
        val protector = SoftwareProtector("keystore-alias-1")
        createWallet(path(), "2468", options(platformKey = protector)).wallet.close()
        openWallet(path(), options(platformKey = protector)).use { wallet ->
            assertFailsWith<WalletException.WrongPin> { wallet.unlock("0000") }
            val cases = listOf(
                PlatformKeyException.Cancelled() to PlatformKeyProblem.CANCELLED,
                PlatformKeyException.KeyInvalidated("biometrics changed") to PlatformKeyProblem.KEY_INVALIDATED,
                PlatformKeyException.Unavailable("device locked") to PlatformKeyProblem.UNAVAILABLE,
            )
            for ((failure, problem) in cases) {
                protector.failure = failure
                val error = assertFailsWith<WalletException.PlatformKey> { wallet.unlock("2468") }
                assertEquals(problem, error.problem)
                assertEquals(1u, wallet.status().failedPinAttempts)
            }
            protector.failure = null
            val before = protector.answers
            wallet.unlock("2468")
            assertEquals(1, protector.answers - before, "one hardware answer per PIN check")
            assertEquals(0u, wallet.status().failedPinAttempts)
        }
    }

    @Test
    fun `a replaced key with the same alias is told apart from a wrong PIN`() = runTest {
        createWallet(path(), "2468", options(platformKey = SoftwareProtector("alias"))).wallet.close()
        openWallet(path(), options(platformKey = SoftwareProtector("alias"))).use { wallet ->
            val error = assertFailsWith<WalletException.PlatformKey> { wallet.unlock("2468") }
            assertEquals(PlatformKeyProblem.KEY_INVALIDATED, error.problem)
            assertEquals(0u, wallet.status().failedPinAttempts)
        }
    }

    @Test
    fun `concurrent suspend calls all complete`() = runTest {
        createWallet(path(), "2468", options()).wallet.use { wallet ->
            val ids = (1..20).map { i -> async { wallet.put(note("t${i % 3}", "body $i")) } }.awaitAll()
            assertEquals(20, ids.toSet().size)
            assertEquals(20uL, wallet.status().recordCount)
        }
    }

    @Test
    fun `a closed wallet releases the file for reopening`() = runTest {
        val created = createWallet(path(), "2468", options())
        val wallet = created.wallet
        wallet.put(note("a", "b"))
        wallet.close()
        assertFailsWith<IllegalStateException> { wallet.isLocked() }
        openWallet(path(), options()).use { again ->
            again.unlock("2468")
            assertEquals(1uL, again.count("note", emptyList()))
        }
        assertTrue(Files.size(File(path()).toPath()) > 0)
    }

    @Test
    fun `deleteWallet removes the file and its companions, and a second delete is fine`() = runTest {
        val created = createWallet(path(), "2468", options())
        created.wallet.put(NewRecordInput("note", emptyList(), "hello".toByteArray()))
        created.wallet.close()
        File(path() + "-journal").writeText("left by a crash")
        deleteWallet(path())
        assertEquals(emptyList(), dir.list()!!.toList())
        deleteWallet(path())
        assertFailsWith<WalletException.NotFound> { openWallet(path(), options()) }
    }

    @Test
    fun `deleteWallet of a path that is a folder gives Storage and leaves the folder`() {
        val folder = File(path("folder.db")).apply { mkdir() }
        assertFailsWith<WalletException.Storage> { deleteWallet(folder.absolutePath) }
        assertTrue(folder.isDirectory)
    }
}
