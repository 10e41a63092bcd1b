package app.laissez.demo

import app.laissez.PlatformKeyException
import app.laissez.PlatformKeyProtector
import java.security.GeneralSecurityException
import java.security.InvalidKeyException
import javax.crypto.AEADBadTagException
import javax.crypto.Cipher
import javax.crypto.Mac
import javax.crypto.SecretKey
import javax.crypto.spec.GCMParameterSpec

/** Where a key lives: the Android Keystore in the app, memory in tests. */
interface KeySource {
    /** A stable name of the key (the Keystore alias). */
    val keyId: String
    /** The key, or null if there is none (never created, or deleted with the app's data). */
    fun existing(): SecretKey?
}

/** The HMAC-SHA256 key that answers the core's PIN challenges. */
interface MacKeySource : KeySource {
    /** Creates the key (when a wallet is first bound to the hardware). */
    fun create(): SecretKey
}

/**
 * The core's [PlatformKeyProtector] over an HMAC-SHA256 key from [source] (see
 * bindings/src/platform_key.rs): on every PIN check the core sends a challenge derived from
 * Argon2id(PIN) and mixes the HMAC of it into the key that unwraps the data key, so every guess
 * needs this key, which in the app never leaves the Keystore (app/.../KeystoreProtector.kt).
 * Plain javax.crypto, so the answers and the error mapping are tested on the JVM.
 *
 * [legacy] is the AES-256-GCM key older versions of the app wrapped with; it is only read, once,
 * to move such a wallet to challenges ([legacyUnwrap]). A key that is missing, invalidated or
 * replaced gives [PlatformKeyException.KeyInvalidated] (the core then reports
 * `WalletException.PlatformKey`: recover with the 24 words); reasons name the failure, never
 * data.
 */
class HmacProtector(
    private val source: MacKeySource,
    private val legacy: KeySource? = null,
) : PlatformKeyProtector {
    override fun keyId(): String = source.keyId

    /** HMAC-SHA256 of [challenge]. Creates the key on first use: a key made anew after the old
     *  one was lost answers differently, which the core reports as a replaced key. */
    override fun respond(challenge: ByteArray): ByteArray = guarded {
        if (challenge.size != CHALLENGE_BYTES) throw PlatformKeyException.Failed("challenge of ${challenge.size} bytes")
        val mac = Mac.getInstance(MAC_ALGORITHM)
        mac.init(source.existing() ?: source.create())
        mac.doFinal(challenge)
    }

    /** Decrypts a wrap made by the old AES-GCM protector: version byte 1, IV length, IV, GCM
     *  ciphertext with its 16-byte tag. */
    override fun legacyUnwrap(wrapped: ByteArray): ByteArray = guarded {
        if (wrapped.size < 2 || wrapped[0] != LEGACY_VERSION) throw PlatformKeyException.Failed("unknown wrapped format")
        val ivLength = wrapped[1].toInt()
        if (ivLength !in 12..16 || wrapped.size < 2 + ivLength + TAG_BYTES) throw PlatformKeyException.Failed("truncated")
        val key = legacy?.existing() ?: throw PlatformKeyException.KeyInvalidated("no key under the old alias")
        val cipher = Cipher.getInstance(LEGACY_TRANSFORMATION)
        cipher.init(Cipher.DECRYPT_MODE, key, GCMParameterSpec(TAG_BYTES * 8, wrapped, 2, ivLength))
        cipher.doFinal(wrapped, 2 + ivLength, wrapped.size - 2 - ivLength)
    }

    private inline fun guarded(block: () -> ByteArray): ByteArray = try {
        block()
    } catch (e: PlatformKeyException) {
        throw e
    } catch (e: AEADBadTagException) {
        // The old alias holds another key now (reinstalled app, cleared data).
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
        const val MAC_ALGORITHM = "HmacSHA256"
        const val CHALLENGE_BYTES = 65
        const val LEGACY_TRANSFORMATION = "AES/GCM/NoPadding"
        const val LEGACY_VERSION: Byte = 1
        const val TAG_BYTES = 16
    }
}
