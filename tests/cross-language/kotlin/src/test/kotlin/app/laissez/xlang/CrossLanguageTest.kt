package app.laissez.xlang

import app.laissez.CredentialFormat
import app.laissez.FieldVerifier
import app.laissez.QrFrame
import app.laissez.QrMessage
import app.laissez.QrMessageKind
import app.laissez.QrScanner
import app.laissez.RequestedClaim
import app.laissez.RequestedCredential
import app.laissez.ScanUpdate
import app.laissez.TestIssuer
import app.laissez.UnverifiedAcknowledgement
import app.laissez.UnverifiedReason
import app.laissez.VerifierIdentity
import app.laissez.TestTrustListSigner
import app.laissez.Consent
import app.laissez.Verdict
import app.laissez.Wallet
import app.laissez.WalletOptions
import app.laissez.createWallet
import app.laissez.defaultFrameOptions
import app.laissez.insecureTestKdf
import app.laissez.openWallet
import app.laissez.qrFrames
import app.laissez.trustListMessage
import java.io.File
import kotlin.test.assertEquals
import kotlin.test.assertTrue
import kotlin.test.fail
import kotlinx.coroutines.test.runTest
import org.junit.jupiter.api.Test

// The Kotlin side of the cross-language exchange (see tests/cross-language/README.md). Every
// message between the two sides is a directory of PNG files in the shared work directory; the
// only other files are the wallets' own databases and the trust-list signer's public key (the
// key a verifier is configured with).

const val PIN = "2468"
const val SD_JWT_TYPE = "urn:laissez:iom:registration:1"
const val MDOC_TYPE = "org.iom.registration.1"
const val HOLDER_CLAIMS = """{"given_name":"Amina","family_name":"Haddad","nationality":"SD","place_of_birth":"Khartoum"}"""
/** The Swift holder's given name: what the Kotlin verifier must read from its codes. */
const val SWIFT_GIVEN_NAME = "\"Yusuf\""

val dir = File(System.getProperty("laissez.xlang.dir") ?: error("-Dlaissez.xlang.dir not set"))

/** Records one named check in checks.log (run.sh tallies it); a failure is recorded, then thrown. */
suspend fun <T> check(name: String, body: suspend () -> T): T {
    val log = File(dir, "checks.log")
    try {
        val result = body()
        log.appendText("pass kotlin: $name\n")
        return result
    } catch (e: Throwable) {
        log.appendText("fail kotlin: $name: ${e.toString().lines().first()}\n")
        throw e
    }
}

/**
 * Small frames with PNGs and no single dense code (`oneCodeMaxChars = 0`): messages become
 * animated sequences, the harder path for the other language's scanner to read.
 */
fun pngOptions() = defaultFrameOptions().copy(maxFrameChars = 600u, oneCodeMaxChars = 0u, pngScale = 3u)

/** Writes each frame's PNG as `<name>/NN.png`; the directory holds nothing else. */
fun writePngs(name: String, frames: List<QrFrame>) {
    val out = File(dir, name)
    out.deleteRecursively()
    out.mkdirs()
    frames.forEachIndexed { i, frame ->
        File(out, "%02d.png".format(i)).writeBytes(frame.png ?: fail("frame $i has no PNG"))
    }
}

/** Shows the PNG files of `<name>/` to a new scanner, in order, until a message completes. */
suspend fun scanPngs(name: String, kind: QrMessageKind): QrMessage {
    val files = File(dir, name).listFiles { f -> f.name.endsWith(".png") }?.sortedBy { it.name }
        ?: fail("no directory $name")
    assertTrue(files.isNotEmpty(), "no PNG in $name")
    val scanner = QrScanner()
    for (file in files) {
        when (val update = scanner.pushImage(file.readBytes())) {
            is ScanUpdate.Complete -> {
                assertEquals(kind, update.message.kind)
                return update.message
            }
            is ScanUpdate.Progress -> {}
            else -> fail("${file.name}: unexpected scan update $update")
        }
    }
    fail("the ${files.size} images of $name never completed a message")
}

fun options() = WalletOptions(insecureTestKdf(), null, null)

suspend fun newWallet(name: String): Wallet {
    File(dir, name).delete()
    return createWallet(File(dir, name).absolutePath, PIN, options()).wallet
}

suspend fun reopen(name: String): Wallet = openWallet(File(dir, name).absolutePath, options()).also { it.unlock(PIN) }

/** What a verdict on the Swift holder's credential must say. */
fun assertSwiftVerdict(verdicts: List<Verdict>, format: CredentialFormat) {
    val verdict = verdicts.single()
    assertTrue(verdict.valid, verdict.reasonCodes.toString())
    assertEquals(format, verdict.format)
    assertEquals(if (format == CredentialFormat.MDOC) MDOC_TYPE else SD_JWT_TYPE, verdict.credentialType)
    assertEquals("Swift Field Office", verdict.issuerName)
    assertEquals(listOf("given_name", "nationality"), verdict.claims.map { it.path.substringAfterLast('/') }.sorted())
    assertEquals(SWIFT_GIVEN_NAME, verdict.claims.single { it.path.endsWith("given_name") }.valueJson)
}

class CrossLanguageTest {
    /**
     * After Swift step 0 (its issuer, holder, trust list and request): the Kotlin issuer,
     * holder and verifier start; the verifier takes the Swift trust list; the holder shows a
     * static SD-JWT presentation and answers the Swift request with its mdoc; the verifier
     * shows its own request.
     */
    @Test
    fun step1() = runTest {
        check("kotlin issuer: SD-JWT and mdoc into the kotlin holder, trust list as PNG") {
            val issuer = TestIssuer.create("Kotlin Field Office")
            val signer = TestTrustListSigner.create()
            val holder = newWallet("kotlin-holder.db")
            val jwk = holder.holderKey().jwk
            holder.importCredential(issuer.issueSdJwt(SD_JWT_TYPE, HOLDER_CLAIMS, jwk), emptyList())
            holder.importCredential(issuer.issueMdoc(MDOC_TYPE, HOLDER_CLAIMS, jwk), emptyList())
            assertEquals(2, holder.listCredentials().size)
            writePngs("kotlin-trust", qrFrames(trustListMessage(signer.sign(1uL, 30u, listOf(issuer))), pngOptions()))
            File(dir, "kotlin-signer.jwk").writeText(signer.publicJwk())
        }
        val verifier = check("kotlin verifier: swift trust list scanned from PNG") {
            val verifier = FieldVerifier(newWallet("kotlin-verifier.db"))
            val message = scanPngs("swift-trust", QrMessageKind.TRUST_LIST)
            val imported = verifier.importTrustListMessage(message, File(dir, "swift-signer.jwk").readText())
            assertEquals(listOf("Swift Field Office"), imported.list.issuers.map { it.name })
            assertTrue(imported.list.current)
            verifier
        }
        val holder = reopen("kotlin-holder.db")
        val credentials = holder.listCredentials()
        check("kotlin holder: static SD-JWT presentation as PNG, with when it stops being accepted") {
            val sdJwt = credentials.single { it.format == CredentialFormat.SD_JWT }
            val shown = holder.presentStatic(sdJwt.id, listOf("given_name", "nationality"), pngOptions())
            // A window boundary at most four minutes ahead (Unix seconds, an i64 across the FFI).
            val left = shown.acceptedUntil - System.currentTimeMillis() / 1000
            assertTrue(shown.acceptedUntil % 120 == 0L && left in 1..240, "accepted until ${shown.acceptedUntil}")
            writePngs("kotlin-static", shown.frames)
        }
        check("kotlin holder: swift request read from PNG, mdoc answer as PNG") {
            val message = scanPngs("swift-request", QrMessageKind.VERIFIER_REQUEST)
            val request = holder.readRequest(message)
            // An unsigned request: its name is only the verifier's own claim, under a warning.
            assertEquals(VerifierIdentity.Unverified(UnverifiedReason.NO_CERTIFICATE, "Swift desk", "Cross-language test"), request.identity)
            val candidate = request.credentials.single().candidates.single()
            assertEquals(CredentialFormat.MDOC, candidate.credential.format)
            assertTrue(candidate.satisfiesRequired)
            val consent = Consent(candidate.credential.id, listOf("given_name", "nationality"))
            // The person saw the UNVERIFIED warning and took the extra step.
            val frames = holder.respond(message, listOf(consent), UnverifiedAcknowledgement(request.requestId), pngOptions())
            assertTrue(frames.size > 1, "an animated sequence")
            writePngs("kotlin-response", frames)
        }
        check("kotlin verifier: SD-JWT request as PNG") {
            val requested = listOf(
                RequestedCredential(SD_JWT_TYPE, listOf(RequestedClaim("given_name", true), RequestedClaim("nationality", false))),
            )
            val codes = verifier.createRequest("Kotlin desk", "Cross-language test", requested, 3600u, options = pngOptions())
            writePngs("kotlin-request", codes.frames)
        }
    }

    /** After Swift step 2: the Kotlin verifier checks the Swift holder's static mdoc and SD-JWT answer. */
    @Test
    fun step3() = runTest {
        val verifier = FieldVerifier(reopen("kotlin-verifier.db"))
        check("kotlin verifier: swift static mdoc presentation from PNG is valid") {
            val message = scanPngs("swift-static", QrMessageKind.STATIC_PRESENTATION)
            assertSwiftVerdict(verifier.verify(message, "en"), CredentialFormat.MDOC)
        }
        check("kotlin verifier: swift static presentation shown again is a replay") {
            val message = scanPngs("swift-static", QrMessageKind.STATIC_PRESENTATION)
            assertEquals(listOf("replay"), verifier.verify(message, "en").single().reasonCodes)
        }
        check("kotlin verifier: swift SD-JWT answer from PNG is valid") {
            val message = scanPngs("swift-response", QrMessageKind.ENGAGED_RESPONSE)
            assertSwiftVerdict(verifier.verify(message, "en"), CredentialFormat.SD_JWT)
        }
        check("kotlin verifier: swift answer shown again is a replay") {
            val message = scanPngs("swift-response", QrMessageKind.ENGAGED_RESPONSE)
            assertEquals(listOf("replay"), verifier.verify(message, "en").single().reasonCodes)
        }
    }
}
