package app.laissez.demo.android

import android.os.Build
import android.security.keystore.KeyGenParameterSpec
import android.security.keystore.KeyProperties
import android.security.keystore.StrongBoxUnavailableException
import app.laissez.demo.HmacProtector
import app.laissez.demo.KeySource
import app.laissez.demo.MacKeySource
import java.security.KeyStore
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey

/**
 * The wallet's hardware key: a non-exportable HMAC-SHA256 key in the Android Keystore
 * (StrongBox when the phone has one), used by [HmacProtector] (viewmodels module, tested on the
 * JVM) to answer the core's PIN challenges. Every PIN guess needs an answer from this phone's
 * Keystore, so neither a copied wallet file nor code that once ran as the app can test PINs
 * elsewhere. The AES key of older versions (alias [alias] itself) is only read, once, to move
 * an old wallet over; the HMAC key lives under "[alias]-hmac".
 */
fun keystoreProtector(alias: String) =
    HmacProtector(KeystoreMacKeySource(alias, "$alias-hmac"), KeystoreLegacyKeySource(alias))

/** The HMAC key. [keyId] stays the wallet's alias, which the wallet file records. */
class KeystoreMacKeySource(override val keyId: String, private val keystoreAlias: String) : MacKeySource {
    override fun existing(): SecretKey? = keystoreKey(keystoreAlias)

    override fun create(): SecretKey {
        val generator = KeyGenerator.getInstance(KeyProperties.KEY_ALGORITHM_HMAC_SHA256, ANDROID_KEYSTORE)
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

    private fun spec(strongBox: Boolean): KeyGenParameterSpec {
        // PURPOSE_SIGN: a MAC key. Non-exportable like every Keystore key.
        val builder = KeyGenParameterSpec.Builder(keystoreAlias, KeyProperties.PURPOSE_SIGN)
            .setDigests(KeyProperties.DIGEST_SHA256)
            .setKeySize(256)
        if (strongBox && Build.VERSION.SDK_INT >= 28) builder.setIsStrongBoxBacked(true)
        return builder.build()
    }
}

/** The AES-GCM key of versions before challenges: read only, to migrate. */
class KeystoreLegacyKeySource(override val keyId: String) : KeySource {
    override fun existing(): SecretKey? = keystoreKey(keyId)
}

private fun keystoreKey(alias: String): SecretKey? {
    val store = KeyStore.getInstance(ANDROID_KEYSTORE).apply { load(null) }
    return store.getKey(alias, null) as? SecretKey
}

private const val ANDROID_KEYSTORE = "AndroidKeyStore"
