package app.laissez.demo.android

import android.os.Build
import android.security.keystore.KeyGenParameterSpec
import android.security.keystore.KeyPermanentlyInvalidatedException
import android.security.keystore.KeyProperties
import android.security.keystore.StrongBoxUnavailableException
import app.laissez.PlatformKeyException
import app.laissez.PlatformKeyProtector
import java.security.GeneralSecurityException
import java.security.KeyStore
import javax.crypto.AEADBadTagException
import javax.crypto.Cipher
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey
import javax.crypto.spec.GCMParameterSpec

/**
 * The wallet's hardware key: an AES-256-GCM key in the Android Keystore (StrongBox when the
 * phone has one) that wraps the core's PIN-wrapped data key (see bindings/src/platform_key.rs).
 * The key never leaves the secure hardware; a copy of the wallet file alone cannot be opened
 * on another phone even with the PIN.
 *
 * Wrapped format: version byte 1, IV length, IV, GCM ciphertext + tag.
 *
 * If the key is gone (app data cleared, key invalidated), [unwrap] reports
 * [PlatformKeyException.KeyUnavailable]: the core then says `WalletException.PlatformKey`
 * and the person recovers with the 24 words.
 */
class KeystoreProtector(private val alias: String = "laissez-wallet-key") : PlatformKeyProtector {
    override fun keyId(): String = alias

    override fun wrap(secret: ByteArray): ByteArray = guarded {
        val cipher = Cipher.getInstance(TRANSFORMATION)
        cipher.init(Cipher.ENCRYPT_MODE, existingKey() ?: newKey())
        val iv = cipher.iv
        byteArrayOf(VERSION, iv.size.toByte()) + iv + cipher.doFinal(secret)
    }

    override fun unwrap(wrapped: ByteArray): ByteArray = guarded {
        if (wrapped.size < 2 || wrapped[0] != VERSION) throw PlatformKeyException.Failed("unknown wrapped format")
        val ivLength = wrapped[1].toInt()
        if (ivLength !in 12..16 || wrapped.size < 2 + ivLength + 16) throw PlatformKeyException.Failed("truncated")
        // Never create a key to unwrap: a missing key means the wrap is lost for good.
        val key = existingKey() ?: throw PlatformKeyException.KeyUnavailable("no key under this alias")
        val cipher = Cipher.getInstance(TRANSFORMATION)
        cipher.init(Cipher.DECRYPT_MODE, key, GCMParameterSpec(128, wrapped, 2, ivLength))
        cipher.doFinal(wrapped, 2 + ivLength, wrapped.size - 2 - ivLength)
    }

    /** Maps Keystore failures to the trait's errors; reasons name the class only, never data. */
    private inline fun guarded(block: () -> ByteArray): ByteArray = try {
        block()
    } catch (e: PlatformKeyException) {
        throw e
    } catch (e: KeyPermanentlyInvalidatedException) {
        throw PlatformKeyException.KeyUnavailable("key permanently invalidated")
    } catch (e: AEADBadTagException) {
        // The alias now holds another key (reinstalled app, cleared data).
        throw PlatformKeyException.KeyUnavailable("wrapped under another key")
    } catch (e: GeneralSecurityException) {
        throw PlatformKeyException.Failed(e.javaClass.simpleName)
    } catch (e: RuntimeException) {
        // Keystore daemon failures surface as ProviderException and friends.
        throw PlatformKeyException.Failed(e.javaClass.simpleName)
    }

    private fun existingKey(): SecretKey? {
        val store = KeyStore.getInstance(ANDROID_KEYSTORE).apply { load(null) }
        return store.getKey(alias, null) as? SecretKey
    }

    private fun newKey(): SecretKey {
        fun spec(strongBox: Boolean) = KeyGenParameterSpec.Builder(
            alias,
            KeyProperties.PURPOSE_ENCRYPT or KeyProperties.PURPOSE_DECRYPT,
        )
            .setBlockModes(KeyProperties.BLOCK_MODE_GCM)
            .setEncryptionPaddings(KeyProperties.ENCRYPTION_PADDING_NONE)
            .setKeySize(256)
            .setRandomizedEncryptionRequired(true)
            .apply { if (strongBox && Build.VERSION.SDK_INT >= 28) setIsStrongBoxBacked(true) }
            .build()

        val generator = KeyGenerator.getInstance(KeyProperties.KEY_ALGORITHM_AES, ANDROID_KEYSTORE)
        if (Build.VERSION.SDK_INT >= 28) {
            try {
                generator.init(spec(strongBox = true))
                return generator.generateKey()
            } catch (e: StrongBoxUnavailableException) {
                // No StrongBox on this phone: the TEE-backed Keystore below.
            }
        }
        generator.init(spec(strongBox = false))
        return generator.generateKey()
    }

    private companion object {
        const val ANDROID_KEYSTORE = "AndroidKeyStore"
        const val TRANSFORMATION = "AES/GCM/NoPadding"
        const val VERSION: Byte = 1
    }
}
