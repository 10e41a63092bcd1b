package app.laissez

import java.io.File
import java.util.concurrent.atomic.AtomicLong
import kotlin.test.assertContentEquals
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertIs
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue
import kotlin.test.fail
import kotlinx.coroutines.test.runTest
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir

/** A camera-like 8-bit luma frame: rows `stride` bytes apart, padding after each row. */
class Luma(val width: Int, val height: Int, val stride: Int, val pixels: ByteArray)

/**
 * Draws a QR frame's module matrix as a phone camera would see it on a screen: [scale] pixels a
 * module, the white quiet zone around it, rows padded with grey.
 */
fun toLuma(frame: QrFrame, scale: Int = 4): Luma {
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
    return Luma(side, side, stride, pixels)
}

suspend fun QrScanner.push(luma: Luma): ScanUpdate =
    pushLuma(luma.width.toUInt(), luma.height.toUInt(), luma.stride.toUInt(), luma.pixels)

/** Shows each frame to [scanner] as luma until a message completes, checking progress on the way. */
suspend fun scan(scanner: QrScanner, frames: List<QrFrame>): QrMessage {
    var progressed = false
    for (frame in frames) {
        when (val update = scanner.push(toLuma(frame))) {
            is ScanUpdate.Complete -> {
                assertEquals(frames.size > 1, progressed, "progress before completion")
                return update.message
            }
            is ScanUpdate.Progress -> {
                assertTrue(update.useful >= 1u && update.needed >= 1u)
                assertEquals(ScanProgress(update.useful, update.needed), scanner.progress())
                progressed = true
            }
            else -> fail("unexpected scan update $update")
        }
    }
    fail("the frames never completed a message")
}

/** The system clock moved by [shift] seconds: the verifier's clock in these tests. */
class ShiftedClock : WalletClock {
    val shift = AtomicLong(0)
    override fun nowUnix(): Long = System.currentTimeMillis() / 1000 + shift.get()
    override fun monotonicMillis(): ULong = (System.nanoTime() / 1_000_000).toULong()
}

/** The offline QR exchange through the bindings: holder, field verifier, trust and status lists. */
class ExchangeTest {
    @TempDir
    lateinit var dir: File

    private val claims = """{"given_name":"Amina","family_name":"Haddad","nationality":"SD","place_of_birth":"Khartoum"}"""
    private val statusUri = "https://status.example/lists/7"
    private val statusIndex = 42uL

    private suspend fun newWallet(name: String, clock: WalletClock? = null) =
        createWallet(File(dir, name).absolutePath, "2468", WalletOptions(insecureTestKdf(), null, clock)).wallet

    private fun now() = System.currentTimeMillis() / 1000

    /** A holder with one credential, a verifier with a trust list naming its issuer. */
    private inner class World(val format: CredentialFormat) {
        val issuer = TestIssuer.create("IOM Field Office")
        val signer = TestTrustListSigner.create()
        val clock = ShiftedClock()
        val credentialType = when (format) {
            CredentialFormat.SD_JWT -> "urn:laissez:iom:registration:1"
            CredentialFormat.MDOC -> "org.iom.registration.1"
            CredentialFormat.CLAIM169 -> error("identity cards are not issued credentials")
        }
        lateinit var holder: Wallet
        lateinit var verifierWallet: Wallet
        lateinit var verifier: FieldVerifier

        suspend fun setUp(): World {
            holder = newWallet("holder.db")
            val jwk = holder.holderKey().jwk
            val status = StatusListEntry(statusUri, statusIndex)
            val issued = when (format) {
                CredentialFormat.SD_JWT -> issuer.issueSdJwt(credentialType, claims, jwk, status)
                CredentialFormat.MDOC -> issuer.issueMdoc(credentialType, claims, jwk, status)
                CredentialFormat.CLAIM169 -> error("identity cards are not issued credentials")
            }
            holder.importCredential(issued, emptyList())
            verifierWallet = newWallet("verifier.db", clock)
            verifier = FieldVerifier(verifierWallet)
            val imported = verifier.importTrustList(signer.sign(1uL, 30u, listOf(issuer)), signer.publicJwk())
            assertNull(imported.replacedSequence)
            assertEquals(signer.fingerprint(), imported.list.signerFingerprint)
            assertEquals("IOM Field Office", imported.list.issuers.single().name)
            // The issuer's authority is trusted, with its signer's certificate known.
            assertTrue(imported.list.issuers.single().isAuthority)
            assertEquals(1u, imported.list.issuers.single().knownSigners)
            assertEquals(emptyList(), imported.list.issuers.single().countries)
            assertTrue(imported.list.current)
            return this
        }

        fun requested() = listOf(
            RequestedCredential(
                credentialType,
                listOf(
                    RequestedClaim("given_name", true),
                    RequestedClaim("nationality", false),
                    RequestedClaim("photo", false),
                ),
            ),
        )

        /** Verifier request -> holder scan and consent -> verifier scan: the response message. */
        suspend fun exchange(): QrMessage {
            val request = verifier.createRequest("Desk 4", "Food aid", requested(), 300u)
            assertTrue(request.expiresAt > now())
            val first = request.frames.first()
            assertEquals(first.size * first.size, first.modules.size.toUInt())
            assertTrue(first.modules.all { it == 0.toByte() || it == 1.toByte() })

            val message = scan(QrScanner(), request.frames)
            assertEquals(QrMessageKind.VERIFIER_REQUEST, message.kind)
            val view = holder.readRequest(message)
            // Unsigned: the name and purpose are only the verifier's claim, under a warning.
            assertEquals(
                VerifierIdentity.Unverified(UnverifiedReason.NO_CERTIFICATE, "Desk 4", "Food aid"),
                view.identity,
            )
            assertEquals(request.expiresAt, view.expiresAt)
            val match = view.credentials.single()
            assertEquals(credentialType, match.credentialType)
            val candidate = match.candidates.single()
            assertTrue(candidate.satisfiesRequired)
            assertEquals(
                listOf("given_name" to true, "nationality" to true, "photo" to false),
                candidate.claims.map { it.path to it.available },
            )
            val consent = Consent(candidate.credential.id, listOf("given_name", "nationality"))
            val options = defaultFrameOptions().copy(maxFrameChars = 400u, oneCodeMaxChars = 0u)
            val response = holder.respond(message, listOf(consent), UnverifiedAcknowledgement(view.requestId), options)
            assertTrue(response.size > 1, "small frames make an animated sequence")
            assertTrue(response.all { it.text.startsWith("LZF1:") })

            val answer = scan(QrScanner(), response)
            assertEquals(QrMessageKind.ENGAGED_RESPONSE, answer.kind)
            return answer
        }
    }

    private suspend fun engaged(format: CredentialFormat) {
        val w = World(format).setUp()
        val answer = w.exchange()
        val verdict = w.verifier.verify(answer, "en").single()
        assertTrue(verdict.valid, verdict.reasonCodes.toString())
        assertEquals(format, verdict.format)
        assertEquals(w.credentialType, verdict.credentialType)
        assertEquals("IOM Field Office", verdict.issuerName)
        assertEquals(listOf("given_name", "nationality"), verdict.claims.map { it.path.substringAfterLast('/') }.sorted())
        assertEquals("\"Amina\"", verdict.claims.single { it.path.endsWith("given_name") }.valueJson)
        assertTrue(verdict.claims.none { it.path.endsWith("place_of_birth") })
        val status = assertNotNull(verdict.status)
        assertEquals(StatusState.UNKNOWN, status.state)
        assertEquals(statusIndex, status.index)
        assertEquals(statusUri, status.uri)

        // The same answer shown again.
        val replay = w.verifier.verify(answer, "en").single()
        assertFalse(replay.valid)
        assertEquals(listOf(VerdictReason.REPLAY), replay.reasons)
        assertEquals(listOf("replay"), replay.reasonCodes)
        assertTrue(replay.claims.isEmpty())

        // The issuer revokes the credential; the verifier caches the list while online.
        val token = when (format) {
            CredentialFormat.SD_JWT -> w.issuer.statusListJwt(statusUri, listOf(statusIndex)).toByteArray()
            CredentialFormat.MDOC -> w.issuer.statusListCwt(statusUri, listOf(statusIndex))
            CredentialFormat.CLAIM169 -> error("identity cards have no status list")
        }
        val imported = w.verifier.importStatusList(token)
        assertEquals(statusUri, imported.uri)
        assertEquals("IOM Field Office", imported.issuerName)
        assertFalse(imported.replaced)
        val revoked = w.verifier.verify(w.exchange(), "en").single()
        assertFalse(revoked.valid)
        assertEquals(listOf("revoked"), revoked.reasonCodes)
        assertEquals(StatusState.REVOKED, revoked.status?.state)

        val log = w.verifier.logEntries()
        assertEquals(listOf(true, false, false), log.map { it.valid })
        assertEquals(listOf("replay"), log[1].reasonCodes)
        assertEquals("engaged", log[0].flow)
        assertEquals(3, w.verifier.exportLog().lines().count { it.isNotBlank() })
        assertTrue(w.verifier.prune(defaultRetentionPolicy().copy(maxEntries = 1uL)) >= 2uL)
        assertEquals(1, w.verifier.logEntries().size)
    }

    @Test
    fun `SD-JWT request, consent and answer through luma frames, replay, revocation`() = runTest {
        engaged(CredentialFormat.SD_JWT)
    }

    @Test
    fun `mdoc request, consent and answer through luma frames, replay, revocation`() = runTest {
        engaged(CredentialFormat.MDOC)
    }

    @Test
    fun `static presentation as PNG and text codes`() = runTest {
        val w = World(CredentialFormat.MDOC).setUp()
        val id = w.holder.listCredentials().single().id
        val before = System.currentTimeMillis() / 1000
        val shown = w.holder.presentStatic(id, listOf("given_name"), defaultFrameOptions().copy(pngScale = 2u))
        // Accepted until the end of the next two-minute window, in Unix seconds.
        assertEquals(0L, shown.acceptedUntil % 120)
        assertTrue(shown.acceptedUntil in (before + 121)..(System.currentTimeMillis() / 1000 + 240), "${shown.acceptedUntil}")
        val frames = shown.frames
        for (frame in frames) {
            val png = assertNotNull(frame.png)
            assertContentEquals(byteArrayOf(0x89.toByte(), 'P'.code.toByte(), 'N'.code.toByte(), 'G'.code.toByte()), png.copyOf(4))
        }
        // Read back from the PNG files themselves, as from a photo or a screenshot.
        val scanner = QrScanner()
        val updates = frames.map { scanner.pushImage(assertNotNull(it.png)) }
        val message = assertIs<ScanUpdate.Complete>(updates.last { it is ScanUpdate.Complete }).message
        assertEquals(QrMessageKind.STATIC_PRESENTATION, message.kind)
        // A file that is not an image, and a cut-off PNG: a typed error.
        assertFailsWith<QrException.InvalidImage> { QrScanner().pushImage("GIF89a".toByteArray()) }
        assertFailsWith<QrException.InvalidImage> { QrScanner().pushImage(frames[0].png!!.copyOf(40)) }
        val verdict = w.verifier.verify(message, "en").single()
        assertTrue(verdict.valid, verdict.reasonCodes.toString())
        assertEquals(listOf("replay"), w.verifier.verify(message, "en").single().reasonCodes)
        assertEquals("static", w.verifier.logEntries().first().flow)
        // From acceptedUntil on, the verifier refuses it as out of its window.
        w.clock.shift.set(shown.acceptedUntil - System.currentTimeMillis() / 1000)
        assertEquals(listOf(VerdictReason.STALE_PRESENTATION), w.verifier.verify(message, "en").single().reasons)
    }

    /** Shows [frames] to a fresh scanner as luma: the message, or the texts of foreign codes. */
    private suspend fun scanAll(frames: List<QrFrame>): ScanUpdate {
        val scanner = QrScanner()
        return frames.map { scanner.push(toLuma(it)) }.last()
    }

    @Test
    fun `static presentation bound to the verifier id scanned from its poster`() = runTest {
        val w = World(CredentialFormat.SD_JWT).setUp()
        val code = w.verifier.verifierId()
        assertTrue(Regex("[0-9A-F]{4}(-[0-9A-F]{4}){4}").matches(code), code)
        assertEquals(code, w.verifier.verifierId(), "stable")
        // The poster: the core draws the code; the holder's camera reads a foreign (non-Laissez)
        // text, which the core parses as a verifier id.
        val poster = assertIs<ScanUpdate.NotLaissez>(scanAll(listOf(renderQr(code)))).texts.single()
        assertEquals(code, parseVerifierId(poster))
        assertEquals(code, parseVerifierId(code.lowercase().replace("-", " ")))
        assertNull(parseVerifierId("https://example.org"))
        assertNull(parseVerifierId(code.substring(0, 9)))

        val elsewhere = FieldVerifier(newWallet("elsewhere.db"))
        elsewhere.importTrustList(w.signer.sign(1uL, 30u, listOf(w.issuer)), w.signer.publicJwk())
        assertTrue(elsewhere.verifierId() != code)
        val id = w.holder.listCredentials().single().id
        val bound = assertIs<ScanUpdate.Complete>(scanAll(w.holder.presentStatic(id, listOf("given_name"), verifierId = poster).frames)).message
        val there = elsewhere.verify(bound, "en").single()
        assertFalse(there.valid)
        assertEquals(listOf(VerdictReason.WRONG_AUDIENCE), there.reasons)
        val here = w.verifier.verify(bound, "en").single()
        assertTrue(here.valid, here.reasonCodes.toString())
        assertFalse(here.unbound)

        // Without an id: any verifier accepts it, and says it is not bound to it.
        val unbound = assertIs<ScanUpdate.Complete>(scanAll(w.holder.presentStatic(id, listOf("given_name")).frames)).message
        val anywhere = elsewhere.verify(unbound, "en").single()
        assertTrue(anywhere.valid, anywhere.reasonCodes.toString())
        assertTrue(anywhere.unbound)

        // The history names the verifier bound to; a malformed id is a typed error.
        val history = w.holder.disclosureHistory()
        assertEquals(2, history.size)
        assertTrue(history[0].audience!!.endsWith(code.replace("-", "").lowercase()), history[0].audience)
        assertEquals("urn:laissez:static", history[1].audience)
        // The label comes from the core: bound to the poster's verifier, or to any verifier.
        assertEquals(DisclosureShownAs.StaticToVerifier(code), history[0].shownAs)
        assertEquals(DisclosureShownAs.StaticToAnyVerifier, history[1].shownAs)
        assertFailsWith<ExchangeException.MalformedRequest> {
            w.holder.presentStatic(id, listOf("given_name"), verifierId = "3F2A-0102")
        }
        assertEquals(2, w.holder.disclosureHistory().size)
        elsewhere.close()
    }

    @Test
    fun `an altered answer is logged as tampered, and a verifier file changed behind its back is Tampered`() = runTest {
        val w = World(CredentialFormat.SD_JWT).setUp()
        val request = w.verifier.createRequest("Desk 4", "Food aid", w.requested(), 300u)
        val message = decodeQrText(request.frames.single().text)
        val id = w.holder.listCredentials().single().id
        val whole = defaultFrameOptions().copy(maxFrameChars = 3391u)
        val ack = UnverifiedAcknowledgement(w.holder.readRequest(message).requestId)
        val text = w.holder.respond(message, listOf(Consent(id, listOf("given_name"))), ack, whole).single().text
        assertEquals("Desk 4", w.holder.disclosureHistory().single().claimedVerifierName)

        // One character changed near the end: the scanner rejects it and hands its text over.
        val at = text.length - 5
        val altered = text.substring(0, at) + (if (text[at] == '0') '1' else '0') + text.substring(at + 1)
        val rejected = assertIs<ScanUpdate.Rejected>(QrScanner().pushText(altered))
        assertEquals(altered, rejected.text)
        val verdict = assertNotNull(w.verifier.logUnreadableAnswer(rejected.text))
        assertFalse(verdict.valid)
        assertEquals(listOf(VerdictReason.TAMPERED), verdict.reasons)
        assertEquals(listOf("tampered"), w.verifier.logEntries().single().reasonCodes)
        // Text naming none of this verifier's requests is not attributed, and not logged.
        assertNull(w.verifier.logUnreadableAnswer("LZ1:%%%%"))
        assertEquals(1, w.verifier.logEntries().size)

        // The installed trust list deleted behind the verifier's back (as a copy of the file
        // edited elsewhere would be): nothing is verified any more.
        val lists = w.verifierWallet.find("trust_list", emptyList(), 10u, null).records
        assertTrue(lists.isNotEmpty())
        for (record in lists) w.verifierWallet.delete(record.id)
        val answer = decodeQrText(text)
        val tampered = assertFailsWith<VerifierException.Tampered> { w.verifier.verify(answer, "en") }
        assertTrue(tampered.reason.isNotBlank())
        assertFailsWith<VerifierException.Tampered> { w.verifier.trustList() }
    }

    @Test
    fun `trust list by QR, wrong signers, rollback and expiry`() = runTest {
        val w = World(CredentialFormat.SD_JWT).setUp()
        // A newer list from the pinned signer, shown as QR codes and scanned.
        val frames = qrFrames(trustListMessage(w.signer.sign(2uL, 30u, listOf(w.issuer))))
        val message = scan(QrScanner(), frames)
        assertEquals(QrMessageKind.TRUST_LIST, message.kind)
        val imported = w.verifier.importTrustListMessage(message)
        assertEquals(1uL, imported.replacedSequence)
        assertEquals(2uL, w.verifier.trustList()?.sequence)

        val rollback = assertFailsWith<VerifierException.TrustListRejected> {
            w.verifier.importTrustList(w.signer.sign(1uL, 30u, emptyList()))
        }
        assertEquals(TrustListProblem.ROLLBACK, rollback.code)
        val stranger = TestTrustListSigner.create()
        val forged = stranger.sign(3uL, 30u, listOf(w.issuer))
        val bad = assertFailsWith<VerifierException.TrustListRejected> { w.verifier.importTrustList(forged) }
        assertEquals(TrustListProblem.BAD_SIGNATURE, bad.code)
        val changed = assertFailsWith<VerifierException.SignerChanged> {
            w.verifier.importTrustList(forged, stranger.publicJwk())
        }
        assertEquals(w.signer.fingerprint(), changed.pinnedFingerprint)
        assertFailsWith<VerifierException.InvalidSignerKey> { w.verifier.importTrustList(forged, "{}") }
        assertFailsWith<VerifierException.UnexpectedMessage> {
            w.verifier.importTrustListMessage(QrMessage(QrMessageKind.BACKUP, ByteArray(0)))
        }
        assertEquals(2uL, w.verifier.trustList()?.sequence)

        FieldVerifier(newWallet("fresh.db")).use { fresh ->
            assertNull(fresh.trustList())
            assertFailsWith<VerifierException.NoPinnedSigner> { fresh.importTrustList(forged) }
            assertFailsWith<VerifierException.NoTrustList> { fresh.verify(QrMessage(QrMessageKind.STATIC_PRESENTATION, ByteArray(0)), "en") }
            assertFailsWith<VerifierException.NoTrustList> { fresh.importStatusList("x".toByteArray()) }
        }

        // A status list signed by an issuer the list does not name.
        val unknown = assertFailsWith<VerifierException.StatusListRejected> {
            w.verifier.importStatusList(TestIssuer.create("Someone else").statusListJwt(statusUri, listOf(1uL)).toByteArray())
        }
        assertEquals(StatusListProblem.UNKNOWN_SIGNER, unknown.code)

        // Forty days on the list has expired and vouches for nobody.
        w.clock.shift.addAndGet(40L * 86_400)
        assertEquals(false, w.verifier.trustList()?.current)
        val expired = assertFailsWith<VerifierException.TrustListExpired> {
            w.verifier.verify(QrMessage(QrMessageKind.STATIC_PRESENTATION, ByteArray(0)), "en")
        }
        assertEquals(2uL, expired.sequence)
    }

    @Test
    fun `bad input gives typed errors, never a crash`() = runTest {
        val w = World(CredentialFormat.SD_JWT).setUp()
        val scanner = QrScanner()
        // Noise and a blank frame hold no code.
        val noise = ByteArray(320 * 240).also { java.util.Random(7).nextBytes(it) }
        assertEquals(ScanUpdate.NothingFound, scanner.push(Luma(320, 240, 320, noise)))
        assertEquals(ScanUpdate.NothingFound, scanner.push(Luma(64, 64, 80, ByteArray(80 * 64) { -1 })))
        // Sizes that do not fit the buffer.
        for (luma in listOf(Luma(0, 10, 0, ByteArray(0)), Luma(10, 10, 5, ByteArray(100)), Luma(10, 10, 10, ByteArray(50)))) {
            assertFailsWith<QrException.InvalidFrame> { scanner.push(luma) }
        }
        assertEquals(ScanUpdate.NotLaissez(listOf("https://example.org")), scanner.pushText("https://example.org"))
        for (damaged in listOf("LZ1:%%%", "LZ9:ABC", "LZF1:ABC", "LZ1:")) {
            assertIs<ScanUpdate.Rejected>(scanner.pushText(damaged), damaged)
        }
        assertEquals(ScanProgress(0u, 0u), scanner.progress())
        scanner.reset()
        assertFailsWith<QrException.NotAMessage> { decodeQrText("hello") }
        assertFailsWith<QrException.Encoding> { renderQr("lower case") }
        assertFailsWith<QrException.InvalidFrameOptions> {
            qrFrames(trustListMessage("x"), defaultFrameOptions().copy(maxFrameChars = 10u, oneCodeMaxChars = 0u))
        }

        // The holder: wrong kind, damaged request, consent problems, locked wallet.
        val notRequest = assertFailsWith<ExchangeException.NotARequest> { w.holder.readRequest(trustListMessage("x")) }
        assertEquals("trust_list", notRequest.kind)
        assertFailsWith<ExchangeException.MalformedRequest> {
            w.holder.readRequest(QrMessage(QrMessageKind.VERIFIER_REQUEST, "garbage".toByteArray()))
        }
        val request = w.verifier.createRequest("Desk", "Aid", w.requested(), 60u)
        val message = decodeQrText(request.frames.single().text)
        val id = w.holder.listCredentials().single().id
        val ack = UnverifiedAcknowledgement(w.holder.readRequest(message).requestId)
        val extra = assertFailsWith<ExchangeException.NotRequested> {
            w.holder.respond(message, listOf(Consent(id, listOf("family_name"))), ack)
        }
        assertEquals("family_name", extra.claim)
        assertFailsWith<ExchangeException.NothingConsented> { w.holder.respond(message, listOf(Consent(id, emptyList())), ack) }
        assertFailsWith<ExchangeException.CredentialNotFound> {
            w.holder.respond(message, listOf(Consent("nope", listOf("given_name"))), ack)
        }
        w.holder.lock()
        assertFailsWith<ExchangeException.Locked> { w.holder.readRequest(message) }
        w.holder.unlock("2468")
        // Two minutes later the request has expired.
        newWallet("late.db", TestClock(now() + 120)).use { late ->
            assertFailsWith<ExchangeException.RequestExpired> { late.readRequest(message) }
        }

        // The verifier: a request is not an answer; a damaged answer is a verdict.
        val wrongKind = assertFailsWith<VerifierException.UnexpectedMessage> { w.verifier.verify(message, "en") }
        assertEquals("verifier_request", wrongKind.kind)
        val damaged = w.verifier.verify(QrMessage(QrMessageKind.ENGAGED_RESPONSE, byteArrayOf(1, 2, 3)), "en").single()
        assertEquals(listOf(VerdictReason.MALFORMED), damaged.reasons)
        assertFailsWith<VerifierException.InvalidRequest> { w.verifier.createRequest("Desk", "Aid", emptyList(), 60u) }
        assertFailsWith<VerifierException.StatusListRejected> { w.verifier.importStatusList("garbage".toByteArray()) }
        assertFailsWith<IssuerException.InvalidInput> { w.signer.sign(1uL, 0u, emptyList()) }
    }
}
