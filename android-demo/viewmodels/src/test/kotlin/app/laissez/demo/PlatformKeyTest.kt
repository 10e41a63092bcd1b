package app.laissez.demo

import app.laissez.PlatformKeyException
import app.laissez.WalletOptions
import app.laissez.createWallet
import app.laissez.insecureTestKdf
import app.laissez.openWallet
import java.io.File
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey
import kotlin.test.assertContentEquals
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue
import kotlinx.coroutines.test.runTest
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir

/** A software stand-in for the Android Keystore: one AES key per alias, deletable. */
class MemoryKeySource(override val keyId: String = "laissez-holder") : WrapKeySource {
    var key: SecretKey? = null
    var created = 0
    override fun existing(): SecretKey? = key
    override fun create(): SecretKey = KeyGenerator.getInstance("AES").apply { init(256) }.generateKey()
        .also { key = it; created++ }
}

/** The hardware-key protector's format and errors, and the lock screen when the key is gone. */
class PlatformKeyTest {
    @TempDir
    lateinit var dir: File

    @Test
    fun `wrap and unwrap round trip, bad input and a lost key are typed errors`() {
        val source = MemoryKeySource()
        val protector = AesGcmProtector(source)
        val secret = ByteArray(32) { it.toByte() }
        val wrapped = protector.wrap(secret)
        assertEquals(1, wrapped[0].toInt())
        assertEquals(2 + 12 + 32 + 16, wrapped.size)
        assertContentEquals(secret, protector.unwrap(wrapped))
        assertTrue(!wrapped.copyOf(wrapped.size).contentEquals(protector.wrap(secret)), "fresh IV each time")
        assertEquals(1, source.created)

        assertFailsWith<PlatformKeyException.Failed> { protector.unwrap(ByteArray(0)) }
        assertFailsWith<PlatformKeyException.Failed> { protector.unwrap(byteArrayOf(9, 12) + ByteArray(40)) }
        assertFailsWith<PlatformKeyException.Failed> { protector.unwrap(wrapped.copyOf(20)) }
        val flipped = wrapped.copyOf().also { it[20] = (it[20].toInt() xor 1).toByte() }
        assertFailsWith<PlatformKeyException.KeyInvalidated> { protector.unwrap(flipped) }

        source.key = null
        assertFailsWith<PlatformKeyException.KeyInvalidated> { protector.unwrap(wrapped) }
        assertEquals(1, source.created, "unwrap never creates a key")
        source.create()
        assertFailsWith<PlatformKeyException.KeyInvalidated> { protector.unwrap(wrapped) }
    }

    @Test
    fun `a wallet under the hardware key unlocks, and after the key is lost the lock screen says so`() = runTest {
        val source = MemoryKeySource()
        val options = WalletOptions(insecureTestKdf(), AesGcmProtector(source), null)
        val path = File(dir, "wallet.db").absolutePath
        val created = createWallet(path, PIN, options)
        assertTrue(created.wallet.status().platformProtected)
        created.wallet.close()

        openWallet(path, options).use { wallet ->
            val vm = UnlockViewModel(wallet)
            vm.unlock(PIN)
            assertEquals(UnlockViewModel.State.Unlocked, vm.state.value)
        }

        source.key = null // App data cleared, or the key invalidated.
        openWallet(path, options).use { wallet ->
            val vm = UnlockViewModel(wallet)
            vm.unlock(PIN)
            assertEquals(UnlockViewModel.State.EnterPin(UiError.PlatformKeyUnavailable), vm.state.value)
            vm.forgotPin()
            vm.recover(created.mnemonicWords.joinToString(" "), "1357", "1357")
            assertEquals(UnlockViewModel.State.Unlocked, vm.state.value)
        }
    }
}
