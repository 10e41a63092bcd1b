package app.laissez.demo

import app.laissez.FrameOptions
import app.laissez.QrMessage
import app.laissez.QrMessageKind
import app.laissez.StatusState
import app.laissez.UnverifiedReason
import app.laissez.VerifierIdentity
import app.laissez.VerdictReason
import app.laissez.defaultFrameOptions
import app.laissez.trustListMessage
import java.io.File
import kotlin.test.assertEquals
import kotlin.test.assertIs
import kotlin.test.assertNull
import kotlin.test.assertTrue
import kotlinx.coroutines.test.runTest
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir

/** Holder consent and field verifier view models, end to end through luma frames. */
class ExchangeFlowTest {
    @TempDir
    lateinit var dir: File
    private var world: World? = null

    @AfterEach
    fun close() {
        world?.close()
    }

    private suspend fun world() = World(dir).setUp().also { world = it }

    /** Small frames, so the answer is an animated sequence. */
    private val small: FrameOptions = defaultFrameOptions().copy(maxFrameChars = 400u, oneCodeMaxChars = 0u)

    /** Verifier shows a request; the holder's camera reads it; returns the consent view model in Review. */
    private suspend fun requestAndReview(w: World, verifier: VerifierViewModel): ConsentViewModel {
        verifier.newRequest("Desk 4", "Food aid", w.requested())
        val request = assertIs<VerifierViewModel.State.AwaitingAnswer>(verifier.state.value)
        val consent = ConsentViewModel(w.holder, ScanSession(), "fr", small)
        for (frame in request.frames) consent.onFrame(toLuma(frame))
        return consent
    }

    @Test
    fun `request, consent with an optional claim switched off, animated answer, green verdict`() = runTest {
        val w = world()
        val verifier = VerifierViewModel(w.verifier, ScanSession(), "fr")
        verifier.refreshTrust()
        assertEquals(1uL, verifier.trust.value.list?.sequence)
        val consent = requestAndReview(w, verifier)

        val review = assertIs<ConsentViewModel.State.Review>(consent.state.value)
        // An unsigned request: unverified, its own name and purpose only as unchecked claims.
        assertEquals(VerifierIdentity.Unverified(UnverifiedReason.NO_CERTIFICATE, "Desk 4", "Food aid"), review.verifier)
        assertEquals(emptyList(), review.unavailable)
        val item = review.items.single()
        assertEquals(IssuerLine.Unverified("IOM Field Office"), item.issuer)
        assertEquals(
            listOf(
                ConsentClaim("given_name", "Prénom", required = true, available = true, selected = true),
                ConsentClaim("nationality", "Nationalité", required = false, available = true, selected = true),
                ConsentClaim("photo", "photo", required = false, available = false, selected = false),
            ),
            item.claims,
        )
        // Required and unavailable claims do not move; an optional one does.
        consent.toggle(item.credentialId, "given_name")
        consent.toggle(item.credentialId, "photo")
        consent.toggle(item.credentialId, "nationality")
        val toggled = assertIs<ConsentViewModel.State.Review>(consent.state.value).items.single().claims
        assertEquals(listOf(true, false, false), toggled.map { it.selected })

        consent.respond()
        assertIs<ConsentViewModel.State.ConfirmUnverified>(consent.state.value)
        consent.shareAnyway()
        val frames = assertIs<ConsentViewModel.State.Response>(consent.state.value).frames
        assertTrue(frames.size > 1, "an animated answer")

        var sawProgress = false
        for (frame in frames) {
            verifier.onFrame(toLuma(frame))
            val s = verifier.state.value
            if (s is VerifierViewModel.State.AwaitingAnswer && s.scan is ScanState.Progress) sawProgress = true
            if (s is VerifierViewModel.State.Result) break
        }
        assertTrue(sawProgress, "progress shown during the animated transfer")
        val result = assertIs<VerifierViewModel.State.Result>(verifier.state.value)
        assertTrue(result.green, result.toString())
        val verdict = result.verdicts.single()
        assertEquals("IOM Field Office", verdict.issuerName)
        assertEquals(listOf("Prénom"), verdict.claims.map { it.label })
        assertEquals("\"Amina\"", verdict.claims.single().valueJson)
        assertEquals(StatusState.UNKNOWN, verdict.status ?: StatusState.UNKNOWN)

        // History on both sides.
        val holderHistory = HistoryViewModel.holder(w.holder).also { it.load() }
        assertEquals(listOf("given_name"), assertIs<HistoryViewModel.State.Loaded>(holderHistory.state.value).rows.single().claims)
        val log = HistoryViewModel.verifier(w.verifier).also { it.load() }
        assertEquals(listOf(true), assertIs<HistoryViewModel.State.Loaded>(log.state.value).rows.map { it.valid })

        // The same answer again: red, replay.
        verifier.scanWithoutRequest()
        for (frame in frames) {
            verifier.onFrame(toLuma(frame))
            if (verifier.state.value is VerifierViewModel.State.Result) break
        }
        val replay = assertIs<VerifierViewModel.State.Result>(verifier.state.value)
        assertEquals(false, replay.green)
        assertEquals(listOf(VerdictReason.REPLAY), replay.verdicts.single().reasons)
    }

    @Test
    fun `holder - frames with no code, foreign and damaged codes, not a request`() = runTest {
        val w = world()
        val consent = ConsentViewModel(w.holder)
        consent.onFrame(noise())
        assertEquals(ConsentViewModel.State.Scanning(ScanState.NoCode), consent.state.value)
        consent.onFrame(LumaFrame(10, 10, 5, ByteArray(100)))
        assertEquals(ConsentViewModel.State.Scanning(ScanState.Problem(UiError.BadCameraFrame)), consent.state.value)
        consent.onText("https://example.org")
        assertEquals(ConsentViewModel.State.Scanning(ScanState.Problem(UiError.NotLaissez)), consent.state.value)
        consent.onText("LZ1:%%%")
        assertEquals(ConsentViewModel.State.Scanning(ScanState.Problem(UiError.DamagedCode)), consent.state.value)

        // A trust list's QR code is complete but is not a request.
        val trust = app.laissez.qrFrames(trustListMessage(w.signer.sign(2uL, 30u, listOf(w.issuer))))
        for (frame in trust) consent.onFrame(toLuma(frame))
        assertEquals(ConsentViewModel.State.Failed(UiError.NotARequest("trust_list")), consent.state.value)
        // A request message that is damaged inside.
        consent.scanAgain()
        consent.read(QrMessage(QrMessageKind.VERIFIER_REQUEST, "garbage".toByteArray()))
        assertEquals(ConsentViewModel.State.Failed(UiError.MalformedRequest), consent.state.value)
    }

    @Test
    fun `holder - expired request, missing claims, nothing consented`() = runTest {
        val w = world()
        // Expired: the holder's phone is two minutes ahead of a one-minute request.
        val codes = w.verifier.createRequest("Desk", "Aid", w.requested(), 60u)
        val late = newWallet(dir, "late.db", ManualClock(System.currentTimeMillis() / 1000 + 120))
        ConsentViewModel(late).apply {
            onFrame(toLuma(codes.frames.single()))
            assertEquals(ConsentViewModel.State.Failed(UiError.RequestExpired), state.value)
        }
        late.close()

        // A credential type the holder does not have.
        val other = w.verifier.createRequest("Desk", "Aid", w.requested("urn:other:type"), 60u)
        ConsentViewModel(w.holder).apply {
            onFrame(toLuma(other.frames.single()))
            assertEquals(ConsentViewModel.State.Failed(UiError.MissingClaims(listOf("urn:other:type"))), state.value)
        }

        // Only optional claims asked; the person switches them all off.
        val optional = listOf(
            app.laissez.RequestedCredential(SD_JWT_TYPE, listOf(app.laissez.RequestedClaim("nationality", false))),
        )
        val codes2 = w.verifier.createRequest("Desk", "Aid", optional, 60u)
        ConsentViewModel(w.holder).apply {
            onFrame(toLuma(codes2.frames.single()))
            val review = assertIs<ConsentViewModel.State.Review>(state.value)
            toggle(review.items.single().credentialId, "nationality")
            respond()
            assertEquals(UiError.NothingConsented, assertIs<ConsentViewModel.State.Review>(state.value).error)
            decline()
            assertEquals(ConsentViewModel.State.Declined, state.value)
        }
    }

    @Test
    fun `verifier - no code, an answer for another request, a request shown to it, interrupted transfer`() = runTest {
        val w = world()
        val clock = ManualClock()
        val verifier = VerifierViewModel(w.verifier, ScanSession(stallTimeoutMillis = 5_000, clockMillis = clock.millis))
        verifier.newRequest("Desk 4", "Food aid", w.requested())
        val request = assertIs<VerifierViewModel.State.AwaitingAnswer>(verifier.state.value)

        verifier.onFrame(noise())
        assertEquals(ScanState.NoCode, assertIs<VerifierViewModel.State.AwaitingAnswer>(verifier.state.value).scan)

        // Its own request QR held up to its camera: a code of the wrong kind, keep scanning.
        verifier.onFrame(toLuma(request.frames.single()))
        assertEquals(
            ScanState.Problem(UiError.UnexpectedCode("verifier_request")),
            assertIs<VerifierViewModel.State.AwaitingAnswer>(verifier.state.value).scan,
        )

        // The holder answers another desk's request.
        val otherDesk = VerifierViewModel(w.otherVerifier())
        otherDesk.newRequest("Desk 9", "Clinic", w.requested())
        val otherRequest = assertIs<VerifierViewModel.State.AwaitingAnswer>(otherDesk.state.value)
        val consent = ConsentViewModel(w.holder, frameOptions = small)
        consent.onFrame(toLuma(otherRequest.frames.single()))
        consent.respond()
        consent.shareAnyway()
        val answer = assertIs<ConsentViewModel.State.Response>(consent.state.value).frames
        assertTrue(answer.size >= 3)

        // An animated transfer that stops half-way: dropped after the timeout.
        verifier.onFrame(toLuma(answer[0]))
        assertIs<ScanState.Progress>(assertIs<VerifierViewModel.State.AwaitingAnswer>(verifier.state.value).scan)
        clock.secs.addAndGet(6)
        verifier.checkStalled()
        assertEquals(
            ScanState.Problem(UiError.TransferInterrupted),
            assertIs<VerifierViewModel.State.AwaitingAnswer>(verifier.state.value).scan,
        )
        // And by a reset: the field worker presses "scan again".
        verifier.onFrame(toLuma(answer[1]))
        assertIs<ScanState.Progress>(assertIs<VerifierViewModel.State.AwaitingAnswer>(verifier.state.value).scan)
        verifier.restartScan()
        assertEquals(
            ScanState.Problem(UiError.TransferInterrupted),
            assertIs<VerifierViewModel.State.AwaitingAnswer>(verifier.state.value).scan,
        )

        for (frame in answer) {
            verifier.onFrame(toLuma(frame))
            if (verifier.state.value is VerifierViewModel.State.Result) break
        }
        val result = assertIs<VerifierViewModel.State.Result>(verifier.state.value)
        assertEquals(false, result.green)
        assertEquals(listOf(VerdictReason.WRONG_REQUEST), result.verdicts.single().reasons)
        assertTrue(result.verdicts.single().claims.isEmpty())
        verifier.done()
        assertEquals(VerifierViewModel.State.Idle(), verifier.state.value)
    }

    @Test
    fun `verifier - trust list problems are states, and no trust list fails the check`() = runTest {
        val w = world()
        val verifier = VerifierViewModel(w.verifier)
        verifier.importTrustList(w.signer.sign(2uL, 30u, listOf(w.issuer)))
        assertEquals(2uL, verifier.trust.value.list?.sequence)
        verifier.importTrustList(w.signer.sign(1uL, 30u, emptyList()))
        assertEquals(UiError.TrustListRejected("rollback"), verifier.trust.value.error)
        verifier.importTrustList("not a trust list")
        assertIs<UiError.TrustListRejected>(verifier.trust.value.error)
        assertEquals(false, verifier.importStatusList("garbage".toByteArray()))
        assertIs<UiError.StatusListRejected>(verifier.trust.value.error)

        // A newer list handed over as QR codes on the scan screen.
        verifier.scanWithoutRequest()
        for (frame in app.laissez.qrFrames(trustListMessage(w.signer.sign(3uL, 30u, listOf(w.issuer))))) {
            verifier.onFrame(toLuma(frame))
        }
        assertEquals(3uL, verifier.trust.value.list?.sequence)
        assertNull(verifier.trust.value.error)

        // A fresh verifier without any list: the static presentation cannot be checked.
        val fresh = VerifierViewModel(app.laissez.FieldVerifier(newWallet(dir, "fresh.db")))
        fresh.refreshTrust()
        assertNull(fresh.trust.value.list)
        val id = w.holder.listCredentials().single().id
        val static = w.holder.presentStatic(id, listOf("given_name")).frames
        fresh.scanWithoutRequest()
        for (frame in static) fresh.onFrame(toLuma(frame))
        assertEquals(VerifierViewModel.State.Failed(UiError.NoTrustList), fresh.state.value)
        fresh.importTrustList("x")
        assertEquals(UiError.NoPinnedSigner, fresh.trust.value.error)

        // Its first list arrives as QR codes: refused until the signer's key is configured.
        val listFrames = app.laissez.qrFrames(trustListMessage(w.signer.sign(4uL, 30u, listOf(w.issuer))))
        fresh.scanWithoutRequest()
        for (frame in listFrames) fresh.onFrame(toLuma(frame))
        assertEquals(UiError.NoPinnedSigner, fresh.trust.value.error)
        fresh.firstSignerJwk = w.signer.publicJwk()
        for (frame in listFrames) fresh.onFrame(toLuma(frame))
        assertEquals(4uL, fresh.trust.value.list?.sequence)
        for (frame in static) fresh.onFrame(toLuma(frame))
        assertTrue(assertIs<VerifierViewModel.State.Result>(fresh.state.value).green)
    }
}
