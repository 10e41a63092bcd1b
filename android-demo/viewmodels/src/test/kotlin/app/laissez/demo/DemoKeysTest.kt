package app.laissez.demo

import app.laissez.NewRecordInput
import app.laissez.TestCardIssuer
import app.laissez.TestIssuer
import app.laissez.TestKeys
import app.laissez.TestRegistrar
import app.laissez.TestTrustListSigner
import java.io.File
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertIs
import kotlin.test.assertNotEquals
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue
import kotlinx.coroutines.async
import kotlinx.coroutines.test.runTest
import kotlinx.coroutines.yield
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir

/**
 * The demo keys' rule (issue 17): the first wallet opened supplies the keys, later wallets get
 * a copy, a wallet with another or a damaged set gets the process's set, and a new process
 * finds the same keys in either wallet. No keys before a wallet is open.
 */
class DemoKeysTest {
    @TempDir
    lateinit var dir: File

    private var made = 0

    /** A new process's demo keys, counting the sets it makes. */
    private fun process() = DemoKeys {
        made++
        TestKeys.create(
            TestIssuer.create("Laissez Demo Issuer"),
            TestTrustListSigner.create(),
            TestRegistrar.create("urn:laissez:demo:registrar", "Laissez Demo Registrar", "CH"),
            TestCardIssuer.create("Civil Registry (demo)", "KEN"),
        )
    }

    @Test
    fun `the first wallet supplies the keys, the second gets a copy, a restart finds them in either`() = runTest {
        val holder = newWallet(dir, "holder.db")
        val verifier = newWallet(dir, "verifier.db")
        val first = process()
        assertNull(first.keys.value)
        assertEquals(DemoKeys.Outcome.Made, first.opened(holder))
        val fingerprint = assertNotNull(first.keys.value).fingerprint()
        assertEquals(DemoKeys.Outcome.Copied, first.opened(verifier))
        assertEquals(DemoKeys.Outcome.AlreadyKept, first.opened(verifier))
        assertEquals(1, made)

        // The app restarts and the verifier's wallet opens first this time.
        val second = process()
        assertEquals(DemoKeys.Outcome.Loaded, second.opened(verifier))
        assertEquals(fingerprint, second.await().fingerprint())
        assertEquals(DemoKeys.Outcome.AlreadyKept, second.opened(holder))
        assertEquals(1, made)
        // The restored signer signs a list the holder's pinned signer accepts.
        val keys = second.await()
        val signer = keys.trustListSigner()
        holder.importIssuerTrustList(signer.sign(1uL, 30u, listOf(keys.issuer()), listOf(keys.registrar()), listOf(keys.cardIssuer())), signer.publicJwk())
        holder.importIssuerTrustList(signer.sign(2uL, 30u, listOf(keys.issuer()), listOf(keys.registrar()), listOf(keys.cardIssuer())), null)
    }

    @Test
    fun `a wallet keeping another set gets the process's set, so the two agree from then on`() = runTest {
        val holder = newWallet(dir, "holder.db")
        val verifier = newWallet(dir, "verifier.db")
        // Each wallet first opened in a run of its own: two different sets.
        assertEquals(DemoKeys.Outcome.Made, process().opened(holder))
        assertEquals(DemoKeys.Outcome.Made, process().opened(verifier))

        val run = process()
        assertEquals(DemoKeys.Outcome.Loaded, run.opened(holder))
        val holderSet = run.await().fingerprint()
        assertEquals(DemoKeys.Outcome.Replaced, run.opened(verifier))
        val next = process()
        assertEquals(DemoKeys.Outcome.Loaded, next.opened(verifier))
        assertEquals(holderSet, next.await().fingerprint())
    }

    @Test
    fun `a damaged set is replaced and a locked wallet leaves the keys working for this run`() = runTest {
        val holder = newWallet(dir, "holder.db")
        val verifier = newWallet(dir, "verifier.db")
        verifier.put(NewRecordInput("test_keys", emptyList(), "{\"version\":1}".toByteArray()))
        val run = process()
        assertEquals(DemoKeys.Outcome.Made, run.opened(holder))
        assertEquals(DemoKeys.Outcome.Replaced, run.opened(verifier))
        assertEquals(run.await().fingerprint(), assertNotNull(verifier.keptTestKeys()).fingerprint())

        val locked = newWallet(dir, "locked.db").also { it.lock() }
        val other = process()
        assertIs<DemoKeys.Outcome.NotKept>(other.opened(locked))
        val inMemory = assertNotNull(other.keys.value)
        assertNotEquals(run.await().fingerprint(), inMemory.fingerprint())
    }

    @Test
    fun `no keys before a wallet is open`() = runTest {
        val keys = process()
        val waiting = async { keys.await() }
        yield()
        assertFalse(waiting.isCompleted)
        assertEquals(0, made)
        keys.opened(newWallet(dir, "holder.db"))
        assertTrue(waiting.await().fingerprint().isNotEmpty())
    }
}
