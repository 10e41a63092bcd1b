package app.laissez.demo

import app.laissez.OfferTrust
import app.laissez.QrFrame
import app.laissez.TestIssuer
import app.laissez.TestTrustListSigner
import app.laissez.CredentialFormat
import app.laissez.FieldVerifier
import app.laissez.RequestedClaim
import app.laissez.RequestedCredential
import java.util.Base64
import kotlin.test.assertContentEquals
import kotlin.test.assertTrue
import java.io.File
import kotlin.test.assertEquals
import kotlin.test.assertIs
import kotlin.test.assertNull
import kotlinx.coroutines.test.runTest
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir

/** The desk's and the holder's issuance view models, end to end through QR frames. */
class IssuanceFlowTest {
    @TempDir
    lateinit var dir: File

    private val desk = TestIssuer.create("IOM Field Office")

    private suspend fun holder(trusted: Boolean, clock: ManualClock? = null) = newWallet(dir, "holder.db", clock).also {
        if (trusted) {
            val signer = TestTrustListSigner.create()
            it.importIssuerTrustList(signer.sign(1uL, 30u, listOf(desk)), signer.publicJwk())
        }
    }

    /** Shows [frames] to a screen's scanner, one after another, until it leaves the state. */
    private suspend fun show(frames: List<QrFrame>, read: suspend (String) -> Unit) {
        for (frame in frames) read(frame.text)
    }

    @Test
    fun aTrustedDeskIssuesThroughBothViewModels() = runTest {
        val wallet = holder(trusted = true)
        val deskVm = DeskViewModel(desk, CLAIMS)
        val holderVm = IssuanceViewModel(wallet)
        deskVm.offer(CredentialFormat.SD_JWT, SD_JWT_TYPE, 3)
        val offer = assertIs<DeskViewModel.State.ShowingOffer>(deskVm.state.value)
        show(offer.frames, holderVm::scanned)
        val review = assertIs<IssuanceViewModel.State.Review>(holderVm.state.value)
        assertEquals("IOM Field Office", review.issuerName)
        assertEquals(3, review.batchSize)
        assertEquals(false, review.needsExtraConfirmation)
        holderVm.accept()
        val proof = assertIs<IssuanceViewModel.State.ShowingProof>(holderVm.state.value)
        show(proof.frames, deskVm::scanned)
        val batch = assertIs<DeskViewModel.State.ShowingBatch>(deskVm.state.value)
        // Part of the batch: progress; then the rest.
        holderVm.scanned(batch.frames.first().text)
        assertIs<ScanState.Progress>(assertIs<IssuanceViewModel.State.ShowingProof>(holderVm.state.value).scan)
        show(batch.frames.drop(1), holderVm::scanned)
        val imported = assertIs<IssuanceViewModel.State.Imported>(holderVm.state.value)
        assertEquals(3, imported.copies)

        val list = CredentialsViewModel(wallet)
        list.load()
        val row = assertIs<CredentialsViewModel.State.List>(list.state.value).rows.single()
        assertEquals(3 to 3, row.copiesLeft to row.copiesTotal)
        assertNull(row.copiesWarning)
        // The desk is on the wallet's issuer trust list: its name is the list's, in the list and the detail.
        assertEquals(IssuerLine.Trusted("IOM Field Office"), row.issuer)
        list.open(row.id)
        assertEquals(IssuerLine.Trusted("IOM Field Office"), assertIs<CredentialsViewModel.State.Detail>(list.state.value).row.issuer)
        repeat(2) { wallet.presentCredential(row.id, listOf("given_name"), "n", "https://v.example") }
        list.load()
        assertEquals(CopiesWarning.LOW, assertIs<CredentialsViewModel.State.List>(list.state.value).rows.single().copiesWarning)
        wallet.presentCredential(row.id, listOf("given_name"), "n", "https://v.example")
        list.load()
        assertEquals(CopiesWarning.NONE_LEFT, assertIs<CredentialsViewModel.State.List>(list.state.value).rows.single().copiesWarning)
    }

    @Test
    fun anUnknownIssuerNeedsAnExtraConfirmation() = runTest {
        val holderVm = IssuanceViewModel(holder(trusted = false))
        val deskVm = DeskViewModel(desk, CLAIMS)
        deskVm.offer(CredentialFormat.SD_JWT, SD_JWT_TYPE, 1)
        show(assertIs<DeskViewModel.State.ShowingOffer>(deskVm.state.value).frames, holderVm::scanned)
        val review = assertIs<IssuanceViewModel.State.Review>(holderVm.state.value)
        assertNull(review.issuerName, "an unknown issuer's claimed name is never shown as its name")
        assertIs<OfferTrust.Unknown>(review.trust)
        holderVm.accept()
        assertIs<IssuanceViewModel.State.Review>(holderVm.state.value)
        holderVm.confirmUnknownIssuer()
        holderVm.accept()
        assertIs<IssuanceViewModel.State.ShowingProof>(holderVm.state.value)
    }

    @Test
    fun anExpiredOfferAndAWrongCodeAreTypedFailures() = runTest {
        val clock = ManualClock()
        val holderVm = IssuanceViewModel(holder(trusted = true, clock))
        val deskVm = DeskViewModel(desk, CLAIMS)
        deskVm.offer(CredentialFormat.SD_JWT, SD_JWT_TYPE, 2, validMinutes = 1)
        val offerFrames = assertIs<DeskViewModel.State.ShowingOffer>(deskVm.state.value).frames
        clock.secs.addAndGet(120)
        show(offerFrames, holderVm::scanned)
        assertEquals(IssuanceViewModel.State.Failed(UiError.OfferExpired), holderVm.state.value)

        clock.secs.addAndGet(-120)
        holderVm.restart()
        deskVm.done()
        deskVm.offer(CredentialFormat.SD_JWT, SD_JWT_TYPE, 2)
        show(assertIs<DeskViewModel.State.ShowingOffer>(deskVm.state.value).frames, holderVm::scanned)
        holderVm.accept()
        show(assertIs<IssuanceViewModel.State.ShowingProof>(holderVm.state.value).frames, deskVm::scanned)
        assertIs<DeskViewModel.State.ShowingBatch>(deskVm.state.value)
        // The desk's offer again, where the batch is expected.
        show(offerFrames, holderVm::scanned)
        assertEquals(IssuanceViewModel.State.Failed(UiError.UnexpectedCode("issuance_offer")), holderVm.state.value)
    }

    @Test
    fun aBatchForAnotherWalletIsATypedFailure() = runTest {
        val holderVm = IssuanceViewModel(holder(trusted = true))
        val other = IssuanceViewModel(newWallet(dir, "other.db"))
        val deskVm = DeskViewModel(desk, CLAIMS)
        deskVm.offer(CredentialFormat.SD_JWT, SD_JWT_TYPE, 2)
        val offerFrames = assertIs<DeskViewModel.State.ShowingOffer>(deskVm.state.value).frames
        show(offerFrames, holderVm::scanned)
        holderVm.accept()
        show(offerFrames, other::scanned)
        other.confirmUnknownIssuer()
        other.accept()
        show(assertIs<IssuanceViewModel.State.ShowingProof>(holderVm.state.value).frames, deskVm::scanned)
        val batch = assertIs<DeskViewModel.State.ShowingBatch>(deskVm.state.value)
        // The other phone, which accepted the same offer, scans the batch sealed to the first.
        show(batch.frames, other::scanned)
        assertEquals(IssuanceViewModel.State.Failed(UiError.BatchRejected), other.state.value)
    }

    @Test
    fun theSignedPortraitIsFlaggedAtConsentAndShownToTheVerifier() = runTest {
        // A 1x1 grey baseline JPEG (as in the core's portrait tests).
        val jpeg = Base64.getDecoder().decode(
            "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL/wAALCAABAAEBAREA/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/9oACAEBAAA/ACv/2Q==",
        )
        val wallet = holder(trusted = true)
        val deskVm = DeskViewModel(desk, CLAIMS, jpeg)
        val holderVm = IssuanceViewModel(wallet)
        deskVm.offer(CredentialFormat.SD_JWT, SD_JWT_TYPE, 2)
        show(assertIs<DeskViewModel.State.ShowingOffer>(deskVm.state.value).frames, holderVm::scanned)
        holderVm.accept()
        show(assertIs<IssuanceViewModel.State.ShowingProof>(holderVm.state.value).frames, deskVm::scanned)
        show(assertIs<DeskViewModel.State.ShowingBatch>(deskVm.state.value).frames, holderVm::scanned)
        assertIs<IssuanceViewModel.State.Imported>(holderVm.state.value)

        val signer = TestTrustListSigner.create()
        val fieldVerifier = FieldVerifier(newWallet(dir, "verifier.db"))
        fieldVerifier.importTrustList(signer.sign(1uL, 30u, listOf(desk)), signer.publicJwk())
        val verifier = VerifierViewModel(fieldVerifier, ScanSession(), "en")
        val requested = listOf(
            RequestedCredential(SD_JWT_TYPE, listOf(RequestedClaim("given_name", true), RequestedClaim("picture", false))),
        )
        verifier.newRequest("Desk 4", "Food aid", requested)
        val request = assertIs<VerifierViewModel.State.AwaitingAnswer>(verifier.state.value)
        val consent = ConsentViewModel(wallet, ScanSession(), "en")
        for (frame in request.frames) consent.onText(frame.text)
        val claims = assertIs<ConsentViewModel.State.Review>(consent.state.value).items.single().claims
        assertEquals(listOf("given_name" to false, "picture" to true), claims.map { it.path to it.portrait })
        assertTrue(claims.single { it.portrait }.selected, "your photo will be shared")
        consent.respond()
        // An unsigned request: the extra step for an unverified verifier.
        assertIs<ConsentViewModel.State.ConfirmUnverified>(consent.state.value)
        consent.shareAnyway()
        for (frame in assertIs<ConsentViewModel.State.Response>(consent.state.value).frames) verifier.onText(frame.text)
        val verdict = assertIs<VerifierViewModel.State.Result>(verifier.state.value).verdicts.single()
        assertTrue(verdict.valid, verdict.reasons.toString())
        assertContentEquals(jpeg, verdict.portraitJpeg)
    }
}
