package app.laissez

import java.io.File
import java.lang.ref.WeakReference
import java.util.concurrent.atomic.AtomicReference
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.MethodOrderer
import org.junit.jupiter.api.Order
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestMethodOrder
import org.junit.jupiter.api.io.TempDir

/**
 * Objects closed or let go on threads other than the one that made them, before the core's
 * runtime exists and after async calls have started it: never a crash. The class name sorts
 * first and surefire runs classes in alphabetical order (pom.xml), so the first test runs
 * before any async call of the whole suite.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation::class)
class AbandonedObjectTest {
    @TempDir
    lateinit var dir: File

    private fun options() = WalletOptions(pinKdf = insecureTestKdf(), platformKey = null, clock = null)

    /** Objects an app can make without an async call. */
    private fun syncObjects(): List<AutoCloseable> =
        listOf(QrScanner(), TestIssuer.create("Drop test issuer"), TestTrustListSigner.create())

    /** A wallet (made and used through async calls), its field verifier, and the rest. */
    private suspend fun allObjects(name: String): List<AutoCloseable> {
        val wallet = createWallet(File(dir, name).absolutePath, "2468", options()).wallet
        assertEquals(0uL, wallet.count("note", emptyList()))
        val verifier = FieldVerifier(wallet)
        assertTrue(verifier.logEntries().isEmpty())
        return listOf(wallet, verifier) + syncObjects()
    }

    /** Runs `block` on a plain thread and rethrows what it threw. */
    private fun onPlainThread(block: () -> Unit) {
        val failure = AtomicReference<Throwable?>(null)
        val thread = Thread {
            try {
                block()
            } catch (t: Throwable) {
                failure.set(t)
            }
        }
        thread.start()
        thread.join()
        failure.get()?.let { throw it }
    }

    /** Makes objects on a plain thread and lets them go unclosed; the garbage collector's
     * cleaner thread frees them. Waits until they have been collected. */
    private fun abandonOnPlainThread(make: () -> List<Any>) {
        val refs = mutableListOf<WeakReference<Any>>()
        onPlainThread { make().forEach { refs.add(WeakReference(it)) } }
        val deadline = System.currentTimeMillis() + 10_000
        while (refs.any { it.get() != null } && System.currentTimeMillis() < deadline) {
            System.gc()
            Thread.sleep(20)
        }
        assertTrue(refs.all { it.get() == null }, "objects still reachable after GC")
        // The cleaner runs right after collection; give it a moment, then the library still works.
        Thread.sleep(100)
        assertEquals(coreVersion(), coreVersion())
    }

    @Test
    @Order(1)
    fun `closed or let go on other threads before any async call`() {
        val objects = syncObjects()
        onPlainThread { objects.forEach { it.close() } }
        // Closing twice, from yet another thread, is harmless too.
        onPlainThread { objects.forEach { it.close() } }
        abandonOnPlainThread { syncObjects() }
    }

    @Test
    @Order(2)
    fun `closed or let go on other threads after async calls`() = runBlocking<Unit> {
        val objects = allObjects("closed.db")
        onPlainThread { objects.forEach { it.close() } }
        // Made and let go on a plain thread (its own event loop for the async calls).
        abandonOnPlainThread { runBlocking { allObjects("abandoned.db") } }
        // Objects made on the coroutine dispatcher's threads, closed on a plain one.
        val elsewhere = async(Dispatchers.Default) { allObjects("elsewhere.db") }.await()
        onPlainThread { elsewhere.forEach { it.close() } }
    }

    @Test
    @Order(3)
    fun `a wallet closed on another thread while a call runs finishes that call`() = runBlocking<Unit> {
        val wallet = createWallet(File(dir, "busy.db").absolutePath, "2468", options()).wallet
        val calls = (1..8).map { i ->
            async(Dispatchers.Default) {
                runCatching {
                    wallet.put(NewRecordInput(kind = "note", tags = emptyList(), body = byteArrayOf(i.toByte())))
                }
            }
        }
        onPlainThread { wallet.close() }
        // Each call either finished, or found the wallet already closed: never a crash.
        calls.awaitAll().forEach { outcome ->
            val error = outcome.exceptionOrNull()
            if (error != null) assertTrue(error is IllegalStateException, "unexpected $error")
        }
        assertFailsWith<IllegalStateException> { wallet.isLocked() }
    }
}
