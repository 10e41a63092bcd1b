package app.laissez

import java.io.File
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertIs
import kotlin.test.assertTrue
import kotlinx.coroutines.test.runTest
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir

/**
 * Offline issuance through the bindings: a desk ([TestIssuer]) offers, the holder's wallet reads
 * the offer against its issuer trust list, answers with the proof code, receives the batch
 * through animated frames; then the copies go down as the wallet answers a verifier's requests.
 */
class IssuanceTest {
    @TempDir
    lateinit var dir: File

    private val vct = "urn:laissez:iom:registration:1"
    private val claims = """{"given_name":"Amina","family_name":"Haddad"}"""
    private val smallFrames = defaultFrameOptions().copy(maxFrameChars = 400u)

    private suspend fun newWallet(name: String, clock: WalletClock? = null) =
        createWallet(File(dir, name).absolutePath, "2468", WalletOptions(insecureTestKdf(), null, clock)).wallet

    private inner class World(val trusted: Boolean) {
        val desk = TestIssuer.create("IOM Field Office")
        val signer = TestTrustListSigner.create()
        val clock = ShiftedClock()
        lateinit var holder: Wallet

        suspend fun setUp(): World {
            holder = newWallet("holder.db", clock)
            if (trusted) {
                val imported = holder.importIssuerTrustList(signer.sign(1uL, 30u, listOf(desk)), signer.publicJwk())
                assertEquals("IOM Field Office", imported.list.issuers.single().name)
            }
            return this
        }

        /** Offer -> proof -> batch, each through QR frames; the batch as scanned, not yet received. */
        suspend fun issue(batchSize: UInt): QrMessage {
            val offerFrames = qrFrames(desk.offer(CredentialFormat.SD_JWT, vct, batchSize, 10u))
            assertEquals(1, offerFrames.size, "an offer is one code")
            val offer = scan(QrScanner(), offerFrames)
            assertEquals(QrMessageKind.ISSUANCE_OFFER, offer.kind)
            val proofFrames = holder.acceptOffer(offer)
            assertEquals(1, proofFrames.size, "a proof is one code")
            val proof = scan(QrScanner(), proofFrames)
            assertEquals(QrMessageKind.ISSUANCE_PROOF, proof.kind)
            val batchFrames = qrFrames(desk.deliver(proof, claims, 30u), smallFrames)
            assertTrue(batchFrames.size > 1, "a batch is an animated sequence")
            val batch = scan(QrScanner(), batchFrames)
            assertEquals(QrMessageKind.ISSUED_BATCH, batch.kind)
            return batch
        }
    }

    @Test
    fun aTrustedDeskIssuesABatchThroughFrames() = runTest {
        val w = World(trusted = true).setUp()
        val view = w.holder.readOffer(w.desk.offer(CredentialFormat.SD_JWT, vct, 3u, 10u))
        assertEquals(OfferTrust.Trusted("IOM Field Office"), view.trust)
        assertEquals(CredentialFormat.SD_JWT, view.format)
        assertEquals(vct, view.credentialType)
        assertEquals(3u, view.batchSize)
        assertTrue(view.expiresAt > System.currentTimeMillis() / 1000)

        val batch = w.issue(3u)
        val summary = w.holder.receiveIssuance(batch)
        assertEquals(3u, summary.copiesTotal)
        assertEquals(3u, summary.copiesLeft)
        assertEquals(CopiesState.PLENTY, summary.copiesState)
        assertFalse(summary.copiesWarning)
        assertEquals(listOf(summary.id), w.holder.listCredentials().map { it.id })
        // Its acceptance is completed: the same batch again answers nothing pending.
        assertFailsWith<IssuanceException.NoPendingOffer> { w.holder.receiveIssuance(batch) }

        // The issuer is on the wallet's trust list: the list's name, on import, list and show.
        val trusted = IssuerTrust.Trusted("IOM Field Office")
        assertEquals(trusted, summary.issuerTrust)
        assertEquals(trusted, w.holder.listCredentials().single().issuerTrust)
        assertEquals(trusted, w.holder.showCredential(summary.id, "en").summary.issuerTrust)
        assertEquals("IOM Field Office", summary.claimedIssuerName)
        // The list was signed for 30 days: once it has expired the wallet vouches for nobody.
        w.clock.shift.set(40L * 86_400)
        assertIs<IssuerTrust.Unknown>(w.holder.listCredentials().single().issuerTrust)
    }

    @Test
    fun anUnknownIssuerIsShownAsUnknown() = runTest {
        val w = World(trusted = false).setUp()
        val view = w.holder.readOffer(w.desk.offer(CredentialFormat.MDOC, "org.iom.registration.1", 1u, 10u))
        assertIs<OfferTrust.Unknown>(view.trust)
        assertEquals("IOM Field Office", view.unverifiedClaimedName)
        // After an extra confirmation the holder may still accept; its credential's issuer stays
        // unverified, and the name it gives is only its claim.
        val summary = w.holder.receiveIssuance(w.issue(2u))
        assertEquals(2u, summary.copiesTotal)
        assertIs<IssuerTrust.Unknown>(summary.issuerTrust)
        assertIs<IssuerTrust.Unknown>(w.holder.listCredentials().single().issuerTrust)
        assertEquals("IOM Field Office", summary.claimedIssuerName)
    }

    @Test
    fun anExpiredOfferIsRefused() = runTest {
        val w = World(trusted = true).setUp()
        val offer = w.desk.offer(CredentialFormat.SD_JWT, vct, 2u, 1u)
        w.clock.shift.set(120)
        val records = w.holder.status().recordCount
        assertFailsWith<IssuanceException.OfferExpired> { w.holder.readOffer(offer) }
        assertFailsWith<IssuanceException.OfferExpired> { w.holder.acceptOffer(offer) }
        assertEquals(records, w.holder.status().recordCount)
    }

    @Test
    fun badTrustListsAndBadDeskInputAreTypedErrors() = runTest {
        val w = World(trusted = false).setUp()
        val signed = w.signer.sign(1uL, 30u, listOf(w.desk))
        // The first import needs the signer's key, given as a P-256 JWK.
        assertFailsWith<IssuanceException.NoPinnedSigner> { w.holder.importIssuerTrustList(signed, null) }
        assertFailsWith<IssuanceException.InvalidSignerKey> { w.holder.importIssuerTrustList(signed, "not a key") }
        // A list signed by another key than the one given.
        val stranger = TestTrustListSigner.create()
        assertFailsWith<IssuanceException.TrustListRejected> {
            w.holder.importIssuerTrustList(signed, stranger.publicJwk())
        }
        // The desk: claims that are not a JSON object, a batch of none.
        val proof = scan(QrScanner(), w.holder.acceptOffer(w.desk.offer(CredentialFormat.SD_JWT, vct, 1u, 10u)))
        assertFailsWith<IssuanceException.InvalidInput> { w.desk.deliver(proof, "[1, 2]", 30u) }
        assertFailsWith<IssuanceException> { w.desk.offer(CredentialFormat.SD_JWT, vct, 0u, 10u) }
    }

    @Test
    fun aTamperedBatchIsATypedErrorAndTheWalletUnchanged() = runTest {
        val w = World(trusted = true).setUp()
        val batch = w.issue(2u)
        val records = w.holder.status().recordCount
        val payload = batch.payload.copyOf()
        payload[payload.size / 2] = (payload[payload.size / 2].toInt() xor 1).toByte()
        val error = assertFailsWith<IssuanceException> { w.holder.receiveIssuance(batch.copy(payload = payload)) }
        assertTrue(
            error is IssuanceException.Undecryptable || error is IssuanceException.Malformed,
            "unexpected $error",
        )
        assertTrue(w.holder.listCredentials().isEmpty())
        assertEquals(records, w.holder.status().recordCount)
        // A message of another kind.
        assertFailsWith<IssuanceException.WrongMessage> {
            w.holder.receiveIssuance(w.desk.offer(CredentialFormat.SD_JWT, vct, 1u, 10u))
        }
    }

    @Test
    fun copiesGoDownAsTheWalletAnswersRequestsThenRunOutOrAreReused() = runTest {
        val w = World(trusted = true).setUp()
        val id = w.holder.receiveIssuance(w.issue(3u)).id
        val verifier = FieldVerifier(newWallet("verifier.db"))
        verifier.importTrustList(w.signer.sign(1uL, 30u, listOf(w.desk)), w.signer.publicJwk())
        val requested = listOf(RequestedCredential(vct, listOf(RequestedClaim("given_name", true))))

        suspend fun answer(): List<QrFrame> {
            val request = scan(QrScanner(), verifier.createRequest("Desk 4", "Food aid", requested, 300u).frames)
            val ack = UnverifiedAcknowledgement(w.holder.readRequest(request).requestId)
            return w.holder.respond(request, listOf(Consent(id, listOf("given_name"))), ack)
        }

        for ((left, state) in listOf(2u to CopiesState.PLENTY, 1u to CopiesState.LOW, 0u to CopiesState.EXHAUSTED)) {
            val verdict = verifier.verify(scan(QrScanner(), answer()), "en").single()
            assertTrue(verdict.valid, verdict.reasonCodes.toString())
            val listed = w.holder.listCredentials().single()
            assertEquals(left, listed.copiesLeft)
            assertEquals(state, listed.copiesState)
            assertEquals(left <= 1u, listed.copiesWarning)
        }
        assertFailsWith<ExchangeException.NoCopiesLeft> { answer() }
        assertFalse(w.holder.reuseLastCopy())
        w.holder.setReuseLastCopy(true)
        assertTrue(w.holder.reuseLastCopy())
        assertTrue(verifier.verify(scan(QrScanner(), answer()), "en").single().valid)
        w.holder.setReuseLastCopy(false)
        assertFailsWith<ExchangeException.NoCopiesLeft> { answer() }
    }
}
