package app.laissez.demo

import app.laissez.PlatformKeyException
import app.laissez.PlatformKeyProtector
import java.security.GeneralSecurityException
import java.security.InvalidKeyException
import javax.crypto.AEADBadTagException
import javax.crypto.Cipher
import javax.crypto.SecretKey
import javax.crypto.spec.GCMParameterSpec

/** Where the wrapping key lives: the Android Keystore in the app, memory in tests. */
interface WrapKeySource {
    /** A stable name of the key (the Keystore alias). */
    val keyId: String
    /** The key, or null if there is none (never created, or deleted with the app's data). */
    fun existing(): SecretKey?
    /** Creates the key (only ever called to wrap, never to unwrap). */
    fun create(): SecretKey
}

/**
 * The core's [PlatformKeyProtector] over an AES-256-GCM key from [source]: wraps the PIN-wrapped
 * data key (see bindings/src/platform_key.rs). Plain javax.crypto, so the format and the error
 * mapping are tested on the JVM; the app gives it the Android Keystore as [source]
 * (app/.../KeystoreProtector.kt), where the key never leaves the secure hardware.
 *
 * Wrapped format: version byte 1, IV length, IV, GCM ciphertext with its 16-byte tag.
 * A key that is missing, invalidated or replaced gives [PlatformKeyException.KeyInvalidated]
 * (the core then reports `WalletException.PlatformKey`: recover with the 24 words); reasons
 * name the failure, never data.
 */
class AesGcmProtector(private val source: WrapKeySource) : PlatformKeyProtector {
    override fun keyId(): String = source.keyId

    override fun wrap(secret: ByteArray): ByteArray = guarded {
        val cipher = Cipher.getInstance(TRANSFORMATION)
        cipher.init(Cipher.ENCRYPT_MODE, source.existing() ?: source.create())
        val iv = cipher.iv
        byteArrayOf(VERSION, iv.size.toByte()) + iv + cipher.doFinal(secret)
    }

    override fun unwrap(wrapped: ByteArray): ByteArray = guarded {
        if (wrapped.size < 2 || wrapped[0] != VERSION) throw PlatformKeyException.Failed("unknown wrapped format")
        val ivLength = wrapped[1].toInt()
        if (ivLength !in 12..16 || wrapped.size < 2 + ivLength + TAG_BYTES) throw PlatformKeyException.Failed("truncated")
        val key = source.existing() ?: throw PlatformKeyException.KeyInvalidated("no key under this alias")
        val cipher = Cipher.getInstance(TRANSFORMATION)
        cipher.init(Cipher.DECRYPT_MODE, key, GCMParameterSpec(TAG_BYTES * 8, wrapped, 2, ivLength))
        cipher.doFinal(wrapped, 2 + ivLength, wrapped.size - 2 - ivLength)
    }

    private inline fun guarded(block: () -> ByteArray): ByteArray = try {
        block()
    } catch (e: PlatformKeyException) {
        throw e
    } catch (e: AEADBadTagException) {
        // The alias holds another key now (reinstalled app, cleared data).
        throw PlatformKeyException.KeyInvalidated("wrapped under another key")
    } catch (e: InvalidKeyException) {
        // On Android: UserNotAuthenticatedException (the lock screen is needed first: later),
        // KeyPermanentlyInvalidatedException (lock screen or biometrics changed: never again).
        throw when (e.javaClass.simpleName) {
            "UserNotAuthenticatedException" -> PlatformKeyException.Unavailable(e.javaClass.simpleName)
            else -> PlatformKeyException.KeyInvalidated(e.javaClass.simpleName)
        }
    } catch (e: GeneralSecurityException) {
        throw PlatformKeyException.Failed(e.javaClass.simpleName)
    } catch (e: RuntimeException) {
        // Keystore daemon failures surface as ProviderException and the like.
        throw PlatformKeyException.Failed(e.javaClass.simpleName)
    }

    private companion object {
        const val TRANSFORMATION = "AES/GCM/NoPadding"
        const val VERSION: Byte = 1
        const val TAG_BYTES = 16
    }
}
