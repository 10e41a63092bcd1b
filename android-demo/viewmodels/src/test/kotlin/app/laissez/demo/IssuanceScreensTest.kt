package app.laissez.demo

import app.laissez.CredentialException
import app.laissez.CredentialFormat
import app.laissez.QrFrame
import app.laissez.RequestedClaim
import app.laissez.RequestedCredential
import app.laissez.TestIssuer
import app.laissez.TestTrustListSigner
import app.laissez.Wallet
import java.io.File
import java.util.concurrent.atomic.AtomicLong
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertIs
import kotlin.test.assertNull
import kotlin.test.assertTrue
import kotlinx.coroutines.test.runTest
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir

/**
 * What the issuance, desk, credentials and verdict screens need beyond the main flow: the
 * holder's issuer trust list from the issuance screen, stalled transfers, a refused desk
 * choice, the reuse-last-copy setting, a disclosed photo that cannot be shown.
 */
class IssuanceScreensTest {
    @TempDir
    lateinit var dir: File

    private val desk = TestIssuer.create("IOM Field Office")

    private suspend fun read(frames: List<QrFrame>, scanned: suspend (String) -> Unit) {
        for (frame in frames) scanned(frame.text)
    }

    /** Issues a batch of [copies] from [deskVm] into [holder] through both view models. */
    private suspend fun issue(holder: IssuanceViewModel, deskVm: DeskViewModel, copies: Int) {
        deskVm.offer(CredentialFormat.SD_JWT, SD_JWT_TYPE, copies)
        read(assertIs<DeskViewModel.State.ShowingOffer>(deskVm.state.value).frames, holder::scanned)
        holder.confirmUnknownIssuer()
        holder.accept()
        read(assertIs<IssuanceViewModel.State.ShowingProof>(holder.state.value).frames, deskVm::scanned)
        read(assertIs<DeskViewModel.State.ShowingBatch>(deskVm.state.value).frames, holder::scanned)
        assertIs<IssuanceViewModel.State.Imported>(holder.state.value)
    }

    @Test
    fun theHoldersIssuerTrustListIsImportedFromTheIssuanceScreen() = runTest {
        val wallet = newWallet(dir, "holder.db")
        val vm = IssuanceViewModel(wallet)
        val signer = TestTrustListSigner.create()
        val signed = signer.sign(1uL, 30u, listOf(desk))

        vm.trustIssuers(signed, null)
        assertEquals(IssuanceViewModel.State.ScanningOffer(ScanState.Problem(UiError.NoPinnedSigner)), vm.state.value)
        vm.trustIssuers(signed, "not a key")
        assertEquals(
            IssuanceViewModel.State.ScanningOffer(ScanState.Problem(UiError.TrustListRejected("invalid_signer_key"))),
            vm.state.value,
        )
        vm.trustIssuers(signed, TestTrustListSigner.create().publicJwk())
        val stranger = assertIs<ScanState.Problem>(assertIs<IssuanceViewModel.State.ScanningOffer>(vm.state.value).scan)
        assertIs<UiError.TrustListRejected>(stranger.error)

        vm.trustIssuers(signed, signer.publicJwk())
        assertEquals(IssuanceViewModel.State.ScanningOffer(ScanState.Idle, trustedIssuers = 1), vm.state.value)
        // Now the desk's offer shows the name from the list, with no extra confirmation.
        val deskVm = DeskViewModel(desk, CLAIMS)
        deskVm.offer(CredentialFormat.SD_JWT, SD_JWT_TYPE, 1)
        read(assertIs<DeskViewModel.State.ShowingOffer>(deskVm.state.value).frames, vm::scanned)
        val review = assertIs<IssuanceViewModel.State.Review>(vm.state.value)
        assertEquals("IOM Field Office", review.issuerName)
        assertEquals(false, review.needsExtraConfirmation)
        // Not while reviewing: the screen offers the import only while scanning an offer.
        vm.trustIssuers(signed, signer.publicJwk())
        assertIs<IssuanceViewModel.State.Review>(vm.state.value)
    }

    @Test
    fun stalledTransfersAreDroppedAtTheHolderAndTheDesk() = runTest {
        val now = AtomicLong(1_000_000)
        val holder = IssuanceViewModel(newWallet(dir, "holder.db"), ScanSession(clockMillis = now::get))
        val deskVm = DeskViewModel(desk, CLAIMS, scan = ScanSession(clockMillis = now::get))
        deskVm.offer(CredentialFormat.SD_JWT, SD_JWT_TYPE, 3)
        read(assertIs<DeskViewModel.State.ShowingOffer>(deskVm.state.value).frames, holder::scanned)
        holder.confirmUnknownIssuer()
        holder.accept()
        read(assertIs<IssuanceViewModel.State.ShowingProof>(holder.state.value).frames, deskVm::scanned)
        val batch = assertIs<DeskViewModel.State.ShowingBatch>(deskVm.state.value).frames
        assertTrue(batch.size > 1, "a batch is animated")

        holder.scanned(batch.first().text)
        holder.checkStalled()
        assertIs<ScanState.Progress>(assertIs<IssuanceViewModel.State.ShowingProof>(holder.state.value).scan)
        now.addAndGet(6_000)
        holder.checkStalled()
        assertEquals(
            ScanState.Problem(UiError.TransferInterrupted),
            assertIs<IssuanceViewModel.State.ShowingProof>(holder.state.value).scan,
        )
        read(batch, holder::scanned)
        assertEquals(3, assertIs<IssuanceViewModel.State.Imported>(holder.state.value).copies)

        // The desk, waiting for the next person's proof, sees part of an animated sequence
        // (here a batch on another screen) that then stops: dropped, offer still shown.
        deskVm.done()
        deskVm.offer(CredentialFormat.SD_JWT, SD_JWT_TYPE, 1)
        deskVm.scanned(batch.first().text)
        assertIs<ScanState.Progress>(assertIs<DeskViewModel.State.ShowingOffer>(deskVm.state.value).scan)
        now.addAndGet(6_000)
        deskVm.checkStalled()
        assertEquals(
            ScanState.Problem(UiError.TransferInterrupted),
            assertIs<DeskViewModel.State.ShowingOffer>(deskVm.state.value).scan,
        )
    }

    @Test
    fun aDeskBatchOfNoneIsRefusedOnTheChoiceScreen() = runTest {
        val deskVm = DeskViewModel(desk, CLAIMS)
        deskVm.offer(CredentialFormat.SD_JWT, SD_JWT_TYPE, 0)
        assertEquals(DeskViewModel.State.Choosing(UiError.DeskRefused), deskVm.state.value)
        deskVm.offer(CredentialFormat.SD_JWT, SD_JWT_TYPE, 2)
        assertIs<DeskViewModel.State.ShowingOffer>(deskVm.state.value)
    }

    @Test
    fun reusingTheLastCopyIsASettingOfTheList() = runTest {
        val wallet: Wallet = newWallet(dir, "holder.db")
        issue(IssuanceViewModel(wallet), DeskViewModel(desk, CLAIMS), 2)
        val list = CredentialsViewModel(wallet)
        list.load()
        val start = assertIs<CredentialsViewModel.State.List>(list.state.value)
        assertEquals(false, start.reuseLastCopy)
        val id = start.rows.single().id
        repeat(2) { wallet.presentCredential(id, listOf("given_name"), "n", "https://v.example") }
        list.load()
        val used = assertIs<CredentialsViewModel.State.List>(list.state.value).rows.single()
        assertEquals(0 to 2, used.copiesLeft to used.copiesTotal)
        assertEquals(CopiesWarning.NONE_LEFT, used.copiesWarning)
        assertFailsWith<CredentialException.NoCopiesLeft> {
            wallet.presentCredential(id, listOf("given_name"), "n", "https://v.example")
        }

        list.setReuseLastCopy(true)
        assertEquals(true, assertIs<CredentialsViewModel.State.List>(list.state.value).reuseLastCopy)
        wallet.presentCredential(id, listOf("given_name"), "n", "https://v.example")
        list.setReuseLastCopy(false)
        assertEquals(false, assertIs<CredentialsViewModel.State.List>(list.state.value).reuseLastCopy)
        assertFailsWith<CredentialException.NoCopiesLeft> {
            wallet.presentCredential(id, listOf("given_name"), "n", "https://v.example")
        }

        wallet.lock()
        list.setReuseLastCopy(true)
        assertEquals(CredentialsViewModel.State.Failed(UiError.Locked), list.state.value)
    }

    @Test
    fun aDisclosedPhotoThatIsNotAJpegIsAProblemBesideAGreenVerdict() = runTest {
        val w = World(dir).setUp()
        // A holder of its own, whose one credential's signed "picture" is a number.
        val holder = newWallet(dir, "photo-holder.db")
        val claims = """{"given_name":"Amina","picture":42}"""
        holder.importCredential(w.issuer.issueSdJwt(SD_JWT_TYPE, claims, holder.holderKey().jwk), emptyList())
        val verifier = VerifierViewModel(w.verifier, ScanSession(), "en")
        val requested = listOf(
            RequestedCredential(SD_JWT_TYPE, listOf(RequestedClaim("given_name", true), RequestedClaim("picture", true))),
        )
        verifier.newRequest("Desk 4", "Food aid", requested)
        val consent = ConsentViewModel(holder, ScanSession(), "en")
        for (frame in assertIs<VerifierViewModel.State.AwaitingAnswer>(verifier.state.value).frames) consent.onText(frame.text)
        val review = assertIs<ConsentViewModel.State.Review>(consent.state.value)
        assertTrue(review.items.single().claims.single { it.path == "picture" }.portrait, "the consent screen says the photo is shared")
        consent.respond()
        consent.shareAnyway() // an unsigned request: the unverified verifier's extra step
        for (frame in assertIs<ConsentViewModel.State.Response>(consent.state.value).frames) verifier.onText(frame.text)
        val verdict = assertIs<VerifierViewModel.State.Result>(verifier.state.value).verdicts.single()
        assertTrue(verdict.valid, verdict.reasons.toString())
        assertNull(verdict.portraitJpeg)
        assertEquals("not_jpeg_value", verdict.portraitProblem)
        holder.close()
        w.close()
    }
}
