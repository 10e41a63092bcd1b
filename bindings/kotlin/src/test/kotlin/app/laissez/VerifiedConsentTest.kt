package app.laissez

import java.io.File
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertIs
import kotlin.test.assertNotEquals
import kotlin.test.assertNull
import kotlin.test.assertTrue
import kotlinx.coroutines.test.runTest
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir

/**
 * Signed requests and the consent that tells verified from unverified verifiers (issue 15):
 * a registrar certifies a field verifier, the holder's trust list names the registrar, and
 * every failing certificate reads as unverified with its reason.
 */
class VerifiedConsentTest {
    @TempDir
    lateinit var dir: File

    private val vct = "urn:laissez:iom:registration:1"
    private val day = 86_400L
    private fun now() = System.currentTimeMillis() / 1000

    private suspend fun newWallet(name: String, clock: WalletClock) =
        createWallet(File(dir, name).absolutePath, "2468", WalletOptions(insecureTestKdf(), null, clock)).wallet

    private inner class World {
        val holderClock = ShiftedClock()
        val verifierClock = ShiftedClock()
        val registrar = TestRegistrar.create("urn:example:coordination", "Humanitarian coordination body", "GR")
        lateinit var holder: Wallet
        lateinit var verifier: FieldVerifier
        lateinit var credentialId: String

        suspend fun setUp(): World {
            holder = newWallet("holder.db", holderClock)
            verifier = FieldVerifier(newWallet("verifier.db", verifierClock))
            val issuer = TestIssuer.create("IOM Field Office")
            val claims = """{"given_name":"Amina","family_name":"Haddad","nationality":"SD"}"""
            credentialId = holder.importCredential(issuer.issueSdJwt(vct, claims, holder.holderKey().jwk, null), emptyList()).id
            val signer = TestTrustListSigner.create()
            val list = signer.sign(1uL, 30u, listOf(issuer), listOf(registrar))
            holder.importIssuerTrustList(list, signer.publicJwk())
            verifier.importTrustList(list, signer.publicJwk())
            return this
        }

        suspend fun certify(by: TestRegistrar, from: Long, until: Long, scope: List<RegisteredScope> = scopeOf("given_name")) =
            by.certify(verifier.requestSigningKey(), "Aid Org", "GR", listOf("Food distribution"), scope, from, until)

        fun scopeOf(vararg claims: String) = listOf(RegisteredScope(vct, claims.toList()))

        suspend fun request(byReference: Boolean = false): Pair<VerifierRequestCodes, QrMessage> {
            val requested = listOf(
                RequestedCredential(vct, listOf(RequestedClaim("given_name", true), RequestedClaim("nationality", false))),
            )
            val codes = verifier.createRequest("UNHCR registration", "Registration", requested, 300u, byReference)
            return codes to decodeQrText(codes.frames.single().text)
        }

        fun consent(claims: List<String>, allowed: List<String> = emptyList()) = Consent(credentialId, claims, allowed)

        suspend fun reason(message: QrMessage): UnverifiedReason {
            val identity = assertIs<VerifierIdentity.Unverified>(holder.readRequest(message).identity)
            assertEquals("UNHCR registration", identity.claimedName)
            return identity.reason
        }
    }

    @Test
    fun `a certified verifier is shown as certified and claims beyond its scope need a toggle`() = runTest {
        val w = World().setUp()
        assertNull(w.verifier.registrationCertificate())
        val installed = w.verifier.installCertificate(w.certify(w.registrar, now() - day, now() + 30 * day))
        assertEquals("Aid Org", installed.organisation)
        assertEquals(installed, w.verifier.registrationCertificate())

        val (codes, message) = w.request()
        assertEquals(QrMessageKind.SIGNED_REQUEST, message.kind)
        assertEquals(installed.reference, codes.certificateReference)
        val view = w.holder.readRequest(message)
        // From the certificate and the holder's trust list, never the request's own "UNHCR registration".
        assertEquals(
            VerifierIdentity.Verified(
                "Aid Org", "GR", listOf("Food distribution"), "Humanitarian coordination body",
                installed.reference, installed.validUntil,
            ),
            view.identity,
        )
        assertEquals(
            listOf("given_name" to true, "nationality" to false),
            view.credentials.single().candidates.single().claims.map { it.path to it.withinScope },
        )

        // Beyond the scope without the person's toggle: refused, nothing recorded.
        val beyond = assertFailsWith<ExchangeException.BeyondScope> {
            w.holder.respond(message, listOf(w.consent(listOf("given_name", "nationality"))))
        }
        assertEquals("nationality", beyond.claim)
        assertTrue(w.holder.disclosureHistory().isEmpty())
        // Turned on by hand: sent; the history and the verifier's log name the certificate.
        val frames = w.holder.respond(message, listOf(w.consent(listOf("given_name", "nationality"), listOf("nationality"))))
        assertEquals(
            DisclosedVerifier.Verified("Aid Org", "GR", "Humanitarian coordination body", installed.reference),
            w.holder.disclosureHistory().single().verifier,
        )
        val verdict = w.verifier.verify(decodeQrText(frames.single().text), "en").single()
        assertTrue(verdict.valid, verdict.reasonCodes.toString())
        assertEquals(installed.reference, w.verifier.logEntries().single().certificateReference)

        // The holder kept the certificate: the next request may name it by reference, in a shorter code.
        val (short, byReference) = w.request(byReference = true)
        assertTrue(short.frames.single().text.length < codes.frames.single().text.length)
        assertIs<VerifierIdentity.Verified>(w.holder.readRequest(byReference).identity)
    }

    @Test
    fun `an unverified verifier needs the acknowledgement of that very request`() = runTest {
        val w = World().setUp()
        val (codes, message) = w.request()
        assertNull(codes.certificateReference)
        val view = w.holder.readRequest(message)
        assertEquals(
            VerifierIdentity.Unverified(UnverifiedReason.NO_CERTIFICATE, "UNHCR registration", "Registration"),
            view.identity,
        )
        val answer = listOf(w.consent(listOf("given_name")))
        assertFailsWith<ExchangeException.UnverifiedNotAcknowledged> { w.holder.respond(message, answer) }
        // An acknowledgement made for another request does not count.
        val other = w.holder.readRequest(w.request().second)
        assertNotEquals(view.requestId, other.requestId)
        assertFailsWith<ExchangeException.UnverifiedNotAcknowledged> {
            w.holder.respond(message, answer, UnverifiedAcknowledgement(other.requestId))
        }
        assertTrue(w.holder.disclosureHistory().isEmpty())
        w.holder.respond(message, answer, UnverifiedAcknowledgement(view.requestId))
        val entry = w.holder.disclosureHistory().single()
        assertEquals(DisclosedVerifier.Unverified("UNHCR registration", "no_certificate"), entry.verifier)
        assertEquals("UNHCR registration", entry.claimedVerifierName)
    }

    @Test
    fun `every failing certificate reads as unverified with its reason`() = runTest {
        val w = World().setUp()
        // A registrar that is not on the holder's list.
        val stranger = TestRegistrar.create("urn:example:stranger", "Stranger", "GR")
        w.verifier.installCertificate(w.certify(stranger, now() - day, now() + day))
        assertEquals(UnverifiedReason.UNKNOWN_REGISTRAR, w.reason(w.request().second))

        // Expired by the time the holder reads it (installed while still valid).
        w.verifier.installCertificate(w.certify(w.registrar, now() - day, now() + day))
        w.verifierClock.shift.set(2 * day)
        w.holderClock.shift.set(2 * day)
        assertEquals(UnverifiedReason.EXPIRED, w.reason(w.request().second))
        w.verifierClock.shift.set(0)
        w.holderClock.shift.set(0)

        // Not valid yet.
        w.verifier.installCertificate(w.certify(w.registrar, now() + day, now() + 30 * day))
        assertEquals(UnverifiedReason.NOT_YET_VALID, w.reason(w.request().second))

        // A genuine certificate in a forger's request.
        val good = w.certify(w.registrar, now() - day, now() + 30 * day)
        w.verifier.installCertificate(good)
        val genuine = w.request().second
        assertEquals(UnverifiedReason.CERTIFICATE_FOR_ANOTHER_KEY, w.reason(testForgeRequest(genuine, good)))
        assertFailsWith<IssuerException.InvalidInput> { testForgeRequest(trustListMessage("x"), good) }

        // A signature over other bytes: the request altered after signing.
        val altered = genuine.payload.copyOf()
        val at = String(altered, Charsets.ISO_8859_1).indexOf("UNHCR")
        altered[at] = (altered[at].toInt() xor 0x20).toByte()
        val identity = assertIs<VerifierIdentity.Unverified>(w.holder.readRequest(genuine.copy(payload = altered)).identity)
        assertEquals(UnverifiedReason.BAD_SIGNATURE, identity.reason)

        // A scope that does not cover the credential type: every claim is beyond it.
        w.verifier.installCertificate(
            w.certify(w.registrar, now() - day, now() + 30 * day, listOf(RegisteredScope("urn:example:other", listOf("given_name")))),
        )
        val narrow = w.request().second
        val view = w.holder.readRequest(narrow)
        assertIs<VerifierIdentity.Verified>(view.identity)
        assertTrue(view.credentials.single().claims.none { it.withinScope })
        assertFailsWith<ExchangeException.BeyondScope> { w.holder.respond(narrow, listOf(w.consent(listOf("given_name")))) }

        // A truncated request code is malformed, never a crash; nothing was ever sent.
        assertFailsWith<ExchangeException.MalformedRequest> {
            w.holder.readRequest(genuine.copy(payload = genuine.payload.copyOf(genuine.payload.size / 2)))
        }
        assertTrue(w.holder.disclosureHistory().isEmpty())
    }

    @Test
    fun `the verifier installs only its own current whole certificate`() = runTest {
        val w = World().setUp()
        val good = w.certify(w.registrar, now() - day, now() + day)
        val truncated = assertFailsWith<VerifierException.InvalidCertificate> {
            w.verifier.installCertificate(good.copyOf(good.size / 2))
        }
        assertEquals(CertificateProblem.MALFORMED, truncated.problem)
        val expired = assertFailsWith<VerifierException.InvalidCertificate> {
            w.verifier.installCertificate(w.certify(w.registrar, now() - 3 * day, now() - day))
        }
        assertEquals(CertificateProblem.EXPIRED, expired.problem)
        val other = FieldVerifier(newWallet("other.db", ShiftedClock()))
        val stolen = assertFailsWith<VerifierException.InvalidCertificate> { other.installCertificate(good) }
        assertEquals(CertificateProblem.FOR_ANOTHER_KEY, stolen.problem)
        assertNull(other.registrationCertificate())
        assertFailsWith<VerifierException.NoCertificate> {
            other.createRequest("Desk", "Aid", emptyList(), 60u, certificateByReference = true)
        }
    }

    @Test
    fun `a verifier trust list signed by another key or older than the installed one is refused`() = runTest {
        val w = World().setUp()
        val signer = TestTrustListSigner.create()
        val holder = newWallet("fresh.db", ShiftedClock())
        assertNull(holder.issuerTrustList())
        // Scanned from a coordinator's phone; the holder can show whom it trusts to vouch for verifiers.
        val imported = holder.importIssuerTrustListMessage(
            trustListMessage(signer.sign(2uL, 30u, emptyList(), listOf(w.registrar))),
            signer.publicJwk(),
        )
        assertEquals(listOf("Humanitarian coordination body" to "GR"), imported.list.registrars.map { it.name to it.country })
        assertEquals(imported.list, holder.issuerTrustList())
        assertFailsWith<IssuanceException.WrongMessage> {
            holder.importIssuerTrustListMessage(QrMessage(QrMessageKind.VERIFIER_REQUEST, byteArrayOf(1, 2, 3)))
        }
        val older = assertFailsWith<IssuanceException.TrustListRejected> {
            holder.importIssuerTrustList(signer.sign(1uL, 30u, emptyList(), listOf(w.registrar)))
        }
        assertEquals(TrustListProblem.ROLLBACK, older.code)
        val stranger = TestTrustListSigner.create()
        assertFailsWith<IssuanceException.SignerChanged> {
            holder.importIssuerTrustList(stranger.sign(3uL, 30u, emptyList(), listOf(w.registrar)), stranger.publicJwk())
        }
        val forged = assertFailsWith<IssuanceException.TrustListRejected> {
            holder.importIssuerTrustList(stranger.sign(3uL, 30u, emptyList(), listOf(w.registrar)))
        }
        assertEquals(TrustListProblem.BAD_SIGNATURE, forged.code)
    }
}
