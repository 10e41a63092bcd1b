package app.laissez.demo

import app.laissez.FieldVerifier
import app.laissez.QrFrame
import app.laissez.RequestedClaim
import app.laissez.RequestedCredential
import app.laissez.TestIssuer
import app.laissez.TestTrustListSigner
import app.laissez.Wallet
import app.laissez.WalletClock
import app.laissez.WalletOptions
import app.laissez.createWallet
import app.laissez.insecureTestKdf
import java.io.File
import java.util.concurrent.atomic.AtomicLong

/** A clock the test moves by hand: seconds for the wallet, milliseconds for scan timeouts.
 *  Moving it is time really passing: the wallet's monotonic clock (PIN delays) moves too. */
class ManualClock(start: Long = System.currentTimeMillis() / 1000) : WalletClock {
    val secs = AtomicLong(start)
    override fun nowUnix(): Long = secs.get()
    override fun monotonicMillis(): ULong = (secs.get() * 1000).toULong()
    val millis: () -> Long = { secs.get() * 1000 }
}

/**
 * Draws a QR frame's module matrix as a phone camera would see it on a screen: [scale] pixels a
 * module, the quiet zone, rows padded with grey (like the bindings' ExchangeTest).
 */
fun toLuma(frame: QrFrame, scale: Int = 4): LumaFrame {
    val size = frame.size.toInt()
    val quiet = frame.quietZone.toInt()
    val side = (size + 2 * quiet) * scale
    val stride = side + 13
    val pixels = ByteArray(stride * side) { 0x80.toByte() }
    for (y in 0 until side) {
        for (x in 0 until side) {
            val mx = x / scale - quiet
            val my = y / scale - quiet
            val dark = mx in 0 until size && my in 0 until size && frame.modules[my * size + mx].toInt() == 1
            pixels[y * stride + x] = if (dark) 0x10 else 0xF0.toByte()
        }
    }
    return LumaFrame(side, side, stride, pixels)
}

/** A camera frame of random noise: no QR code in it. */
fun noise(width: Int = 320, height: Int = 240) =
    LumaFrame(width, height, width, ByteArray(width * height).also { java.util.Random(7).nextBytes(it) })

const val PIN = "2468"
const val CLAIMS = """{"given_name":"Amina","family_name":"Haddad","nationality":"SD","place_of_birth":"Khartoum"}"""
const val SD_JWT_TYPE = "urn:laissez:iom:registration:1"

fun options(clock: WalletClock? = null) = WalletOptions(insecureTestKdf(), null, clock)

suspend fun newWallet(dir: File, name: String, clock: WalletClock? = null): Wallet =
    createWallet(File(dir, name).absolutePath, PIN, options(clock)).wallet

/** A holder with one SD-JWT VC and a field verifier trusting its issuer; both on [clock] if given. */
class World(val dir: File, private val clock: WalletClock? = null) {
    val issuer = TestIssuer.create("IOM Field Office")
    val signer = TestTrustListSigner.create()
    lateinit var holder: Wallet
    /** The verifier's own wallet (its file's records, for tests that tamper with them). */
    lateinit var verifierWallet: Wallet
    lateinit var verifier: FieldVerifier

    suspend fun setUp(): World {
        holder = newWallet(dir, "holder.db", clock)
        holder.importCredential(issuer.issueSdJwt(SD_JWT_TYPE, CLAIMS, holder.holderKey().jwk), emptyList())
        verifierWallet = newWallet(dir, "verifier.db", clock)
        verifier = FieldVerifier(verifierWallet)
        verifier.importTrustList(signer.sign(1uL, 30u, listOf(issuer)), signer.publicJwk())
        return this
    }

    /** Another verifier with the same trust list (for "an answer to someone else's request"). */
    suspend fun otherVerifier(): FieldVerifier = FieldVerifier(newWallet(dir, "other-verifier.db")).also {
        it.importTrustList(signer.sign(1uL, 30u, listOf(issuer)), signer.publicJwk())
    }

    fun requested(type: String = SD_JWT_TYPE) = listOf(
        RequestedCredential(
            type,
            listOf(
                RequestedClaim("given_name", true),
                RequestedClaim("nationality", false),
                RequestedClaim("photo", false),
            ),
        ),
    )

    fun close() {
        holder.close()
        verifier.close()
    }
}

