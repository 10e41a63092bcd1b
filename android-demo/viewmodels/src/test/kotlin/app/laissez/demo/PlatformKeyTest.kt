package app.laissez.demo

import app.laissez.PlatformKeyException
import app.laissez.PlatformKeyProblem
import app.laissez.WalletException
import app.laissez.WalletOptions
import app.laissez.createWallet
import app.laissez.insecureTestKdf
import app.laissez.openWallet
import java.io.File
import java.security.InvalidKeyException
import java.security.SecureRandom
import javax.crypto.Cipher
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey
import kotlin.test.assertContentEquals
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertTrue
import kotlinx.coroutines.test.runTest
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir

/** A software stand-in for the Android Keystore: one HMAC key per alias, deletable; [failure]
 *  is thrown instead of giving the key, as the Keystore does when a key cannot be used. */
class MemoryMacKeySource(override val keyId: String = "laissez-holder") : MacKeySource {
    var key: SecretKey? = null
    var created = 0
    var failure: Exception? = null
    override fun existing(): SecretKey? = failure?.let { throw it } ?: key
    override fun create(): SecretKey = KeyGenerator.getInstance("HmacSHA256").generateKey()
        .also { key = it; created++ }
}

/** The old AES key, as older versions of the app kept it. */
class MemoryLegacyKeySource(var key: SecretKey? = KeyGenerator.getInstance("AES").apply { init(256) }.generateKey()) : KeySource {
    override val keyId = "laissez-holder"
    override fun existing(): SecretKey? = key
}

// The Keystore's exceptions, by the simple names HmacProtector maps (android.security.keystore
// is not on the JVM test classpath).
class UserNotAuthenticatedException : InvalidKeyException()
class KeyPermanentlyInvalidatedException : InvalidKeyException()

/** The hardware-key protector's answers and errors, and the lock screen when the key is gone. */
class PlatformKeyTest {
    @TempDir
    lateinit var dir: File

    private fun challenge(seed: Int) = ByteArray(65) { (it * 31 + seed).toByte() }.also { it[0] = 4 }

    /** What the old AesGcmProtector.wrap wrote. */
    private fun legacyWrap(key: SecretKey, secret: ByteArray): ByteArray {
        val cipher = Cipher.getInstance("AES/GCM/NoPadding")
        cipher.init(Cipher.ENCRYPT_MODE, key)
        val iv = cipher.iv
        return byteArrayOf(1, iv.size.toByte()) + iv + cipher.doFinal(secret)
    }

    @Test
    fun `answers are a keyed function of the challenge, bad input and a lost key are typed errors`() {
        val source = MemoryMacKeySource()
        val protector = HmacProtector(source)
        val answer = protector.respond(challenge(1))
        assertEquals(32, answer.size)
        assertContentEquals(answer, protector.respond(challenge(1)), "same challenge, same answer")
        assertFalse(answer.contentEquals(protector.respond(challenge(2))))
        assertEquals(1, source.created)
        assertFalse(answer.contentEquals(HmacProtector(MemoryMacKeySource()).respond(challenge(1))), "another key")

        assertFailsWith<PlatformKeyException.Failed> { protector.respond(ByteArray(0)) }
        assertFailsWith<PlatformKeyException.Failed> { protector.respond(ByteArray(64)) }

        source.failure = UserNotAuthenticatedException()
        assertFailsWith<PlatformKeyException.Unavailable> { protector.respond(challenge(1)) }
        source.failure = KeyPermanentlyInvalidatedException()
        assertFailsWith<PlatformKeyException.KeyInvalidated> { protector.respond(challenge(1)) }
        source.failure = PlatformKeyException.Cancelled()
        assertFailsWith<PlatformKeyException.Cancelled> { protector.respond(challenge(1)) }
    }

    @Test
    fun `the old AES-GCM wraps still open, only with the old key`() {
        val legacy = MemoryLegacyKeySource()
        val protector = HmacProtector(MemoryMacKeySource(), legacy)
        val secret = ByteArray(48) { it.toByte() }
        val wrapped = legacyWrap(legacy.key!!, secret)
        assertContentEquals(secret, protector.legacyUnwrap(wrapped))
        assertFailsWith<PlatformKeyException.Failed> { protector.legacyUnwrap(ByteArray(0)) }
        assertFailsWith<PlatformKeyException.Failed> { protector.legacyUnwrap(byteArrayOf(9, 12) + ByteArray(40)) }
        val flipped = wrapped.copyOf().also { it[20] = (it[20].toInt() xor 1).toByte() }
        assertFailsWith<PlatformKeyException.KeyInvalidated> { protector.legacyUnwrap(flipped) }
        legacy.key = null
        assertFailsWith<PlatformKeyException.KeyInvalidated> { protector.legacyUnwrap(wrapped) }
        assertFailsWith<PlatformKeyException.KeyInvalidated> { HmacProtector(MemoryMacKeySource()).legacyUnwrap(wrapped) }
    }

    @Test
    fun `a key that cannot be used now or never again is reported and uses up no attempt`() = runTest {
        val source = MemoryMacKeySource()
        val options = WalletOptions(insecureTestKdf(), HmacProtector(source), null)
        val path = File(dir, "wallet.db").absolutePath
        createWallet(path, PIN, options).wallet.close()
        openWallet(path, options).use { wallet ->
            assertFailsWith<WalletException.WrongPin> { wallet.unlock("0000") }
            val cases = listOf(
                PlatformKeyException.Cancelled() to PlatformKeyProblem.CANCELLED,
                UserNotAuthenticatedException() to PlatformKeyProblem.UNAVAILABLE,
                KeyPermanentlyInvalidatedException() to PlatformKeyProblem.KEY_INVALIDATED,
            )
            for ((failure, problem) in cases) {
                source.failure = failure
                val error = assertFailsWith<WalletException.PlatformKey> { wallet.unlock(PIN) }
                assertEquals(problem, error.problem)
                assertEquals(1u, wallet.status().failedPinAttempts)
            }
            source.failure = null
            wallet.unlock(PIN)
            assertEquals(0u, wallet.status().failedPinAttempts)
        }
    }

    @Test
    fun `a wallet under the hardware key unlocks, and after the key is lost the lock screen says so`() = runTest {
        val source = MemoryMacKeySource()
        val options = WalletOptions(insecureTestKdf(), HmacProtector(source), null)
        val path = File(dir, "wallet.db").absolutePath
        val created = createWallet(path, PIN, options)
        assertTrue(created.wallet.status().platformProtected)
        created.wallet.close()

        openWallet(path, options).use { wallet ->
            val vm = UnlockViewModel(wallet)
            vm.unlock(PIN)
            assertEquals(UnlockViewModel.State.Unlocked, vm.state.value)
        }

        source.key = null // App data cleared: the next answer comes from a new key.
        openWallet(path, options).use { wallet ->
            val vm = UnlockViewModel(wallet)
            vm.unlock(PIN)
            assertEquals(UnlockViewModel.State.EnterPin(UiError.PlatformKeyUnavailable), vm.state.value)
            assertEquals(0u, wallet.status().failedPinAttempts)
            vm.forgotPin()
            vm.recover(created.mnemonicWords.joinToString(" "), "1357", "1357")
            assertEquals(UnlockViewModel.State.Unlocked, vm.state.value)
        }
    }
}
