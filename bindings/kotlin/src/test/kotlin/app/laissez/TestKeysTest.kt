package app.laissez

import java.io.File
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertNotEquals
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlinx.coroutines.test.runTest
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir

/**
 * Test keys kept in a wallet (issue 17): the four test objects kept as one set, the wallet
 * closed and opened again, the same keys back (no key bytes cross into Kotlin); a locked wallet
 * and a damaged record as typed exceptions.
 */
class TestKeysTest {
    @TempDir
    lateinit var dir: File

    private val options get() = WalletOptions(insecureTestKdf(), null, null)

    private fun demoKeys() = TestKeys.create(
        TestIssuer.create("Demo Issuer"),
        TestTrustListSigner.create(),
        TestRegistrar.create("urn:demo:registrar", "Demo Registrar", "CH"),
        TestCardIssuer.create("Civil Registry (demo)", "KEN"),
    )

    @Test
    fun `kept keys come back with the same public keys after the wallet reopens`() = runTest {
        val path = File(dir, "holder.db").absolutePath
        val keys = demoKeys()
        createWallet(path, "2468", options).wallet.use { wallet ->
            assertNull(wallet.keptTestKeys())
            keys.keepIn(wallet)
        }
        openWallet(path, options).use { wallet ->
            wallet.unlock("2468")
            val restored = assertNotNull(wallet.keptTestKeys())
            assertEquals(keys.fingerprint(), restored.fingerprint())
            assertEquals(keys.trustListSigner().publicJwk(), restored.trustListSigner().publicJwk())
            assertEquals(keys.issuer().publicJwk(), restored.issuer().publicJwk())
            assertEquals(keys.cardIssuer().publicJwk(), restored.cardIssuer().publicJwk())
            assertEquals("urn:demo:registrar", restored.registrar().id())
            assertNotEquals(keys.fingerprint(), demoKeys().fingerprint())
            // The restored signer signs lists that name the restored issuer.
            val list = restored.trustListSigner().sign(1uL, 30u, listOf(restored.issuer()), listOf(restored.registrar()), listOf(restored.cardIssuer()))
            wallet.importIssuerTrustList(list, keys.trustListSigner().publicJwk())
        }
    }

    @Test
    fun `a locked wallet and a damaged record are typed exceptions`() = runTest {
        createWallet(File(dir, "w.db").absolutePath, "2468", options).wallet.use { wallet ->
            wallet.lock()
            assertFailsWith<TestKeysException.Locked> { demoKeys().keepIn(wallet) }
            assertFailsWith<TestKeysException.Locked> { wallet.keptTestKeys() }
            wallet.unlock("2468")
            wallet.put(NewRecordInput("test_keys", emptyList(), "{\"version\":1}".toByteArray()))
            assertFailsWith<TestKeysException.Unreadable> { wallet.keptTestKeys() }
        }
    }
}
