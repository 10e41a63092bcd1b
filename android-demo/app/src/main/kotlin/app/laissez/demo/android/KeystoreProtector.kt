package app.laissez.demo.android

import android.os.Build
import android.security.keystore.KeyGenParameterSpec
import android.security.keystore.KeyProperties
import android.security.keystore.StrongBoxUnavailableException
import app.laissez.demo.AesGcmProtector
import app.laissez.demo.WrapKeySource
import java.security.KeyStore
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey

/**
 * The wallet's hardware key: an AES-256-GCM key in the Android Keystore (StrongBox when the
 * phone has one), non-exportable, used by [AesGcmProtector] (viewmodels module, tested on the
 * JVM) to wrap the core's PIN-wrapped data key. A copy of the wallet file alone cannot be
 * opened on another phone, even with the PIN.
 */
fun keystoreProtector(alias: String) = AesGcmProtector(KeystoreKeySource(alias))

class KeystoreKeySource(override val keyId: String) : WrapKeySource {
    override fun existing(): SecretKey? {
        val store = KeyStore.getInstance(ANDROID_KEYSTORE).apply { load(null) }
        return store.getKey(keyId, null) as? SecretKey
    }

    override fun create(): SecretKey {
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

    private fun spec(strongBox: Boolean): KeyGenParameterSpec {
        val builder = KeyGenParameterSpec.Builder(keyId, KeyProperties.PURPOSE_ENCRYPT or KeyProperties.PURPOSE_DECRYPT)
            .setBlockModes(KeyProperties.BLOCK_MODE_GCM)
            .setEncryptionPaddings(KeyProperties.ENCRYPTION_PADDING_NONE)
            .setKeySize(256)
            // The Keystore picks the IV: a caller cannot reuse one.
            .setRandomizedEncryptionRequired(true)
        if (strongBox && Build.VERSION.SDK_INT >= 28) builder.setIsStrongBoxBacked(true)
        return builder.build()
    }

    private companion object {
        const val ANDROID_KEYSTORE = "AndroidKeyStore"
    }
}
