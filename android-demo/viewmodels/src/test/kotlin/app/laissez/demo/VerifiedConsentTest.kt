package app.laissez.demo

import app.laissez.CertificateProblem
import app.laissez.Consent
import app.laissez.FieldVerifier
import app.laissez.QrMessage
import app.laissez.RegisteredScope
import app.laissez.RequestedClaim
import app.laissez.RequestedCredential
import app.laissez.TestIssuer
import app.laissez.TestRegistrar
import app.laissez.TestTrustListSigner
import app.laissez.UnverifiedReason
import app.laissez.VerifierIdentity
import app.laissez.Wallet
import app.laissez.decodeQrText
import app.laissez.testForgeRequest
import java.io.File
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertIs
import kotlin.test.assertNull
import kotlin.test.assertTrue
import kotlinx.coroutines.test.runTest
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir

private const val DAY = 86_400L
private const val REGISTRAR_NAME = "Humanitarian coordination body"

/**
 * A holder whose trust list names [registrar], and a field verifier trusting the same issuer;
 * each on a clock the test moves by hand.
 */
private class RegisteredWorld(val dir: File) {
    val now = System.currentTimeMillis() / 1000
    val holderClock = ManualClock(now)
    val verifierClock = ManualClock(now)
    val issuer = TestIssuer.create("IOM Field Office")
    val signer = TestTrustListSigner.create()
    val registrar = TestRegistrar.create("urn:example:coordination", REGISTRAR_NAME, "GR")
    lateinit var holder: Wallet
    lateinit var verifier: FieldVerifier

    suspend fun setUp(): RegisteredWorld {
        holder = newWallet(dir, "holder.db", holderClock)
        holder.importCredential(issuer.issueSdJwt(SD_JWT_TYPE, CLAIMS, holder.holderKey().jwk), emptyList())
        val list = signer.sign(1uL, 30u, listOf(issuer), listOf(registrar))
        holder.importIssuerTrustList(list, signer.publicJwk())
        verifier = FieldVerifier(newWallet(dir, "verifier.db", verifierClock))
        verifier.importTrustList(list, signer.publicJwk())
        return this
    }

    /** A certificate of [by] for [verifier]'s key: "Aid Org", registered for [claims] only. */
    suspend fun certificate(
        by: TestRegistrar = registrar,
        claims: List<String> = listOf("given_name"),
        from: Long = now - DAY,
        until: Long = now + 30 * DAY,
        of: FieldVerifier = verifier,
    ): ByteArray = by.certify(
        of.requestSigningKey(), "Aid Org", "GR", listOf("Food distribution"),
        listOf(RegisteredScope(SD_JWT_TYPE, claims)), from, until,
    )

    /** given_name (required) and nationality (optional). */
    val requested = listOf(
        RequestedCredential(SD_JWT_TYPE, listOf(RequestedClaim("given_name", true), RequestedClaim("nationality", false))),
    )

    fun close() {
        holder.close()
        verifier.close()
    }
}

/**
 * The consent tells verified from unverified verifiers (issue 15), through the view models and
 * the real core: a registrar on the holder's trust list certifies the desk, every failing
 * certificate reads as unverified with its reason and needs the extra step, claims beyond the
 * registered scope are off until turned on, and the history says which was which.
 */
class VerifiedConsentTest {
    @TempDir
    lateinit var dir: File
    private var world: RegisteredWorld? = null

    @AfterEach
    fun close() {
        world?.close()
    }

    private suspend fun world() = RegisteredWorld(dir).setUp().also { world = it }

    /** The desk makes a request; the holder's consent screen reads it. */
    private suspend fun scanned(w: RegisteredWorld, desk: VerifierViewModel, shortCode: Boolean = false): Pair<ConsentViewModel, QrMessage> {
        desk.newRequest("UNHCR registration", "Registration", w.requested, shortCode = shortCode)
        val shown = assertIs<VerifierViewModel.State.AwaitingAnswer>(desk.state.value)
        val consent = ConsentViewModel(w.holder, ScanSession(), "en")
        for (frame in shown.frames) consent.onText(frame.text)
        return consent to decodeQrText(shown.frames.single().text)
    }

    /** A request message read by a fresh consent screen. */
    private suspend fun read(w: RegisteredWorld, message: QrMessage) =
        ConsentViewModel(w.holder, ScanSession(), "en").also { it.read(message) }

    private fun ConsentViewModel.review() = assertIs<ConsentViewModel.State.Review>(state.value)

    private fun ConsentViewModel.reason(): UnverifiedReason {
        val unverified = assertIs<VerifierIdentity.Unverified>(review().verifier)
        // The request's own words, shown only as unchecked claims.
        assertEquals("UNHCR registration", unverified.claimedName)
        assertEquals("Registration", unverified.claimedPurpose)
        return unverified.reason
    }

    /** The desk's verdict on the holder's answer frames: the disclosed claim paths. */
    private suspend fun verdictClaims(desk: VerifierViewModel, consent: ConsentViewModel): List<String> {
        for (frame in assertIs<ConsentViewModel.State.Response>(consent.state.value).frames) desk.onText(frame.text)
        val result = assertIs<VerifierViewModel.State.Result>(desk.state.value)
        assertTrue(result.green, result.toString())
        return result.verdicts.single().claims.map { it.path }
    }

    @Test
    fun `a certified verifier is shown from its certificate and a claim beyond its scope is sent only when turned on`() = runTest {
        val w = world()
        val desk = VerifierViewModel(w.verifier, ScanSession(), "en")
        desk.refreshRegistration()
        assertNull(desk.registration.value.certificate)
        assertTrue(desk.registerWith { key -> w.registrar.certify(key, "Aid Org", "GR", listOf("Food distribution"), listOf(RegisteredScope(SD_JWT_TYPE, listOf("given_name"))), w.now - DAY, w.now + 30 * DAY) })
        val certificate = desk.registration.value.certificate!!
        assertEquals("Aid Org", certificate.organisation)
        assertEquals("urn:example:coordination", certificate.registrarId)
        assertEquals(listOf(RegisteredScope(SD_JWT_TYPE, listOf("given_name"))), certificate.scope)
        assertNull(desk.registration.value.error)

        val (consent, message) = scanned(w, desk)
        assertEquals(certificate.reference, assertIs<VerifierViewModel.State.AwaitingAnswer>(desk.state.value).certificateReference)
        val review = consent.review()
        assertEquals(
            VerifierIdentity.Verified("Aid Org", "GR", listOf("Food distribution"), REGISTRAR_NAME, certificate.reference, certificate.validUntil),
            review.verifier,
        )
        assertTrue(review.verified)
        assertFalse(review.toString().contains("UNHCR"), "nothing of the request's own text is shown for a verified verifier")
        // nationality is not in the registration: marked, off, and switchable by hand.
        val item = review.items.single()
        assertEquals(
            listOf(
                ConsentClaim("given_name", "Given name", required = true, available = true, selected = true),
                ConsentClaim("nationality", "Nationality", required = false, available = true, selected = false, beyondScope = true),
            ),
            item.claims,
        )

        // Shared as it stands: no extra step for a verified verifier, and nationality not sent.
        consent.respond()
        assertEquals(listOf("given_name"), verdictClaims(desk, consent))
        // The wallet itself refuses a claim beyond the scope nobody turned on (typed error).
        assertEquals(
            Outcome.Failed(UiError.BeyondScope("nationality")),
            attempt { w.holder.respond(message, listOf(Consent(item.credentialId, listOf("given_name", "nationality")))) },
        )

        // A second request: the person turns nationality on, and only then is it sent.
        val (again, _) = scanned(w, desk)
        again.toggle(item.credentialId, "nationality")
        assertEquals(listOf(true, true), again.review().items.single().claims.map { it.selected })
        again.toggle(item.credentialId, "given_name") // required and within scope: does not move
        assertTrue(again.review().items.single().claims.first().selected)
        again.respond()
        assertEquals(listOf("given_name", "nationality"), verdictClaims(desk, again).sorted())

        // History: the holder's rows name the certified verifier; the desk's log the certificate.
        val history = HistoryViewModel.holder(w.holder).also { it.load() }
        val rows = assertIs<HistoryViewModel.State.Loaded>(history.state.value).rows
        assertEquals(2, rows.size)
        for (row in rows) {
            assertEquals(HistoryVerifier.Verified("Aid Org", "GR", REGISTRAR_NAME, certificate.reference), row.verifier)
            assertNull(row.counterpart)
        }
        val log = HistoryViewModel.verifier(w.verifier).also { it.load() }
        assertEquals(
            listOf(certificate.reference, certificate.reference),
            assertIs<HistoryViewModel.State.Loaded>(log.state.value).rows.map { it.certificateReference },
        )

        // The short code names the certificate the holder now keeps: still verified, and smaller.
        val (short, _) = scanned(w, desk, shortCode = true)
        assertIs<VerifierIdentity.Verified>(short.review().verifier)
        val shortFrames = assertIs<VerifierViewModel.State.AwaitingAnswer>(desk.state.value).frames
        assertEquals(certificate.reference, assertIs<VerifierViewModel.State.AwaitingAnswer>(desk.state.value).certificateReference)
        assertTrue(shortFrames.single().text.length < 600, shortFrames.single().text.length.toString())
    }

    @Test
    fun `an unsigned request is unverified and nothing is sent without the extra step`() = runTest {
        val w = world()
        val desk = VerifierViewModel(w.verifier, ScanSession(), "en")
        val (consent, message) = scanned(w, desk)
        assertNull(assertIs<VerifierViewModel.State.AwaitingAnswer>(desk.state.value).certificateReference)
        assertEquals(UnverifiedReason.NO_CERTIFICATE, consent.reason())
        val item = consent.review().items.single()
        // One warning covers every claim: nothing is marked beyond a scope, the usual defaults.
        assertEquals(listOf(false, false), item.claims.map { it.beyondScope })
        assertEquals(listOf(true, true), item.claims.map { it.selected })

        // "Share anyway" without having seen the extra step does nothing.
        consent.shareAnyway()
        assertIs<ConsentViewModel.State.Review>(consent.state.value)
        // Share: the extra step, not an answer.
        consent.respond()
        val confirm = assertIs<ConsentViewModel.State.ConfirmUnverified>(consent.state.value)
        assertEquals(UnverifiedReason.NO_CERTIFICATE, assertIs<VerifierIdentity.Unverified>(confirm.review.verifier).reason)
        consent.cancelShareAnyway()
        assertIs<ConsentViewModel.State.Review>(consent.state.value)
        assertTrue(w.holder.disclosureHistory().isEmpty(), "nothing sent, nothing recorded")
        // The wallet refuses an answer without the acknowledgement (typed, never an exception).
        assertEquals(
            Outcome.Failed(UiError.UnverifiedNotAcknowledged),
            attempt { w.holder.respond(message, listOf(Consent(item.credentialId, listOf("given_name")))) },
        )
        assertTrue(w.holder.disclosureHistory().isEmpty())

        // Declining from the extra step sends nothing either.
        consent.respond()
        consent.decline()
        assertEquals(ConsentViewModel.State.Declined, consent.state.value)
        consent.shareAnyway()
        assertEquals(ConsentViewModel.State.Declined, consent.state.value)
        assertTrue(w.holder.disclosureHistory().isEmpty())

        // The person confirms: sent, and recorded as unverified with the claimed name.
        val (second, _) = scanned(w, desk)
        second.respond()
        second.shareAnyway()
        assertEquals(listOf("given_name", "nationality"), verdictClaims(desk, second).sorted())
        val history = HistoryViewModel.holder(w.holder).also { it.load() }
        val row = assertIs<HistoryViewModel.State.Loaded>(history.state.value).rows.single()
        assertEquals(HistoryVerifier.Unverified("UNHCR registration", UnverifiedReason.NO_CERTIFICATE), row.verifier)
        assertNull(row.counterpart)
    }

    @Test
    fun `every failing certificate reads as unverified with its reason and needs the extra step`() = runTest {
        val w = world()
        val desk = VerifierViewModel(w.verifier, ScanSession(), "en")

        // A registrar the holder's trust list does not name.
        val stranger = TestRegistrar.create("urn:example:stranger", "Stranger", "GR")
        assertTrue(desk.installCertificate(w.certificate(by = stranger)))
        val (unknown, _) = scanned(w, desk)
        assertEquals(UnverifiedReason.UNKNOWN_REGISTRAR, unknown.reason())
        unknown.respond()
        assertIs<ConsentViewModel.State.ConfirmUnverified>(unknown.state.value)

        // Expired by the holder's clock: valid for one more day, read two days later.
        assertTrue(desk.installCertificate(w.certificate(until = w.now + DAY)))
        w.verifierClock.secs.addAndGet(2 * DAY)
        w.holderClock.secs.addAndGet(2 * DAY)
        val (expired, _) = scanned(w, desk)
        assertEquals(UnverifiedReason.EXPIRED, expired.reason())
        expired.respond()
        assertIs<ConsentViewModel.State.ConfirmUnverified>(expired.state.value)
        w.verifierClock.secs.set(w.now)
        w.holderClock.secs.set(w.now)

        // A good certificate: verified; then a forger's request carrying it.
        val good = w.certificate()
        assertTrue(desk.installCertificate(good))
        val (genuine, message) = scanned(w, desk)
        assertIs<VerifierIdentity.Verified>(genuine.review().verifier)
        val forged = read(w, testForgeRequest(message, good))
        assertEquals(UnverifiedReason.CERTIFICATE_FOR_ANOTHER_KEY, forged.reason())
        forged.respond()
        assertIs<ConsentViewModel.State.ConfirmUnverified>(forged.state.value)

        // The request's signature altered (its last byte is the signature's).
        val payload = message.payload.copyOf()
        payload[payload.size - 1] = (payload.last().toInt() xor 0x01).toByte()
        val altered = read(w, QrMessage(message.kind, payload))
        assertEquals(UnverifiedReason.BAD_SIGNATURE, altered.reason())
        altered.respond()
        assertIs<ConsentViewModel.State.ConfirmUnverified>(altered.state.value)

        // None of the above sent anything.
        assertTrue(w.holder.disclosureHistory().isEmpty())
        // A truncated signed request is damaged: a typed failure, not an exception.
        val truncated = read(w, QrMessage(message.kind, message.payload.copyOf(message.payload.size / 2)))
        assertEquals(ConsentViewModel.State.Failed(UiError.MalformedRequest), truncated.state.value)
    }

    @Test
    fun `the history tells verified from unverified verifiers`() = runTest {
        val w = world()
        val desk = VerifierViewModel(w.verifier, ScanSession(), "en")
        val (unsigned, _) = scanned(w, desk)
        unsigned.respond()
        unsigned.shareAnyway()
        verdictClaims(desk, unsigned)
        w.holderClock.secs.addAndGet(10)
        w.verifierClock.secs.addAndGet(10)
        assertTrue(desk.installCertificate(w.certificate(claims = listOf("given_name", "nationality"))))
        val (signed, _) = scanned(w, desk)
        // Everything asked is within the registration: nothing marked, nothing off.
        assertEquals(listOf(false, false), signed.review().items.single().claims.map { it.beyondScope })
        signed.respond()
        verdictClaims(desk, signed)

        val history = HistoryViewModel.holder(w.holder).also { it.load() }
        val verifiers = assertIs<HistoryViewModel.State.Loaded>(history.state.value).rows.map { it.verifier }
        val reference = desk.registration.value.certificate!!.reference
        assertEquals(
            listOf(
                HistoryVerifier.Verified("Aid Org", "GR", REGISTRAR_NAME, reference),
                HistoryVerifier.Unverified("UNHCR registration", UnverifiedReason.NO_CERTIFICATE),
            ),
            verifiers,
            "newest first",
        )
        val log = HistoryViewModel.verifier(w.verifier).also { it.load() }
        assertEquals(
            listOf(reference, null),
            assertIs<HistoryViewModel.State.Loaded>(log.state.value).rows.map { it.certificateReference },
        )
    }

    @Test
    fun `the verifier refuses a certificate for another key, expired or damaged, as typed states`() = runTest {
        val w = world()
        val other = FieldVerifier(newWallet(dir, "other-verifier.db", w.verifierClock))
        val desk = VerifierViewModel(w.verifier, ScanSession(), "en")
        desk.refreshRegistration()

        assertFalse(desk.installCertificate(w.certificate(of = other)))
        assertEquals(UiError.InvalidCertificate(CertificateProblem.FOR_ANOTHER_KEY), desk.registration.value.error)
        assertNull(desk.registration.value.certificate)
        assertFalse(desk.installCertificate(w.certificate(from = w.now - 3 * DAY, until = w.now - DAY)))
        assertEquals(UiError.InvalidCertificate(CertificateProblem.EXPIRED), desk.registration.value.error)
        assertFalse(desk.installCertificate("not a certificate".toByteArray()))
        assertEquals(UiError.InvalidCertificate(CertificateProblem.MALFORMED), desk.registration.value.error)
        // A registrar that cannot certify (not a key): a state too, nothing installed.
        assertFalse(desk.registerWith { w.registrar.certify("{}", "Aid Org", "GR", emptyList(), emptyList(), w.now, w.now + DAY) })
        assertIs<UiError.Unexpected>(desk.registration.value.error)
        desk.refreshRegistration()
        assertNull(desk.registration.value.certificate)

        // The short code needs a certificate.
        desk.newRequest("Desk", "Aid", w.requested, shortCode = true)
        assertEquals(VerifierViewModel.State.Idle(UiError.NoCertificate), desk.state.value)
        // The signing key to give a registrar, then its own certificate installs.
        desk.showSigningKey()
        assertTrue(desk.registration.value.signingKeyJwk!!.contains("\"kty\""))
        assertTrue(desk.installCertificate(w.certificate()))
        assertNull(desk.registration.value.error)
        assertEquals("Aid Org", desk.registration.value.certificate?.organisation)
        other.close()
    }
}
