package app.laissez.demo

import app.laissez.FieldVerifier
import app.laissez.TestCardIssuer
import app.laissez.TestTrustListSigner
import app.laissez.VerdictReason
import app.laissez.isIdentityCardCode
import app.laissez.renderQr
import java.awt.image.BufferedImage
import java.io.ByteArrayOutputStream
import java.io.File
import javax.imageio.ImageIO
import kotlin.test.assertContentEquals
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertIs
import kotlin.test.assertNull
import kotlin.test.assertTrue
import kotlinx.coroutines.test.runTest
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir

/**
 * Identity cards (MOSIP Claim 169 codes printed on national ID cards, issue 16) through the
 * holder's [IdentityCardsViewModel] and the field [VerifierViewModel], with the real core:
 * scanned by the camera, kept unverified then trusted from the list, the card screen in
 * French with its face, shown only after the warning step, verified with possession not
 * proven; damaged, foreign, duplicate and expired cards, an unknown issuer at the verifier.
 */
class IdentityCardFlowTest {
    @TempDir
    lateinit var dir: File

    private val registry = TestCardIssuer.create("Civil Registry (demo)", "KEN")
    private val signer = TestTrustListSigner.create()
    private val trusted = signer.sign(1uL, 30u, emptyList(), emptyList(), listOf(registry))

    /** A small real JPEG for the card's face (the verifier shows JPEG faces as the photo). */
    private val face: ByteArray = ByteArrayOutputStream().also { out ->
        val image = BufferedImage(24, 32, BufferedImage.TYPE_INT_RGB)
        for (y in 0 until 32) for (x in 0 until 24) image.setRGB(x, y, (x * 10 shl 16) or (y * 8 shl 8) or 0x40)
        ImageIO.write(image, "jpg", out)
    }.toByteArray()

    private suspend fun verifierVm(list: String? = trusted, file: String = "verifier.db"): VerifierViewModel {
        val verifier = FieldVerifier(newWallet(dir, file))
        if (list != null) verifier.importTrustList(list, signer.publicJwk())
        return VerifierViewModel(verifier).also { it.scanWithoutRequest() }
    }

    @Test
    fun aCardIsScannedTrustedShownAfterTheWarningAndVerifiedWithPossessionNotProven() = runTest {
        val wallet = newWallet(dir, "holder.db")
        val cards = IdentityCardsViewModel(wallet, lang = "fr", pngScale = 2u)
        cards.load()
        assertEquals(emptyList(), assertIs<IdentityCardsViewModel.State.List>(cards.state.value).cards)

        // The camera: nothing, then the printed card.
        val text = registry.card("Amina Yusuf Abdi", "3918592438", 365u, face)
        cards.startScan()
        cards.onFrame(noise())
        assertEquals(ScanState.NoCode, assertIs<IdentityCardsViewModel.State.Scanning>(cards.state.value).scan)
        cards.onFrame(toLuma(renderQr(text, null)))
        val kept = assertIs<IdentityCardsViewModel.State.List>(cards.state.value)
        val added = kept.added!!
        assertEquals(listOf(added), kept.cards)
        assertNull(kept.error)
        assertEquals(IssuerLine.Unverified("Civil Registry (demo)"), added.issuer)
        assertEquals("Amina Yusuf Abdi" to "3918592438", added.fullName to added.idNumber)
        assertEquals("KEN", added.country)
        assertFalse(added.expired)
        assertTrue(added.hasFace)

        // The demo trust list names the registry for cards of Kenya: now trusted by name.
        wallet.importIssuerTrustList(trusted, signer.publicJwk())
        cards.load()
        val row = assertIs<IdentityCardsViewModel.State.List>(cards.state.value).cards.single()
        assertEquals(IssuerLine.Trusted("Civil Registry (demo)"), row.issuer)

        // The card's screen: French labels, the face as printed.
        cards.open(row.id)
        val detail = assertIs<IdentityCardsViewModel.State.Detail>(cards.state.value)
        val name = detail.fields.single { it.path == "fullName" }
        assertEquals("Nom complet" to "\"Amina Yusuf Abdi\"", name.label to name.valueJson)
        assertContentEquals(face, detail.face!!.bytes)
        assertEquals(row, detail.card)

        // Nothing is shown without the warning step; cancelling it shows nothing either.
        cards.confirmShow()
        assertEquals(detail, cards.state.value)
        cards.askToShow()
        assertEquals(detail, assertIs<IdentityCardsViewModel.State.ConfirmShow>(cards.state.value).detail)
        cards.cancelShow()
        assertEquals(detail, cards.state.value)
        assertTrue(wallet.disclosureHistory().isEmpty())
        cards.askToShow()
        cards.confirmShow()
        val showing = assertIs<IdentityCardsViewModel.State.Showing>(cards.state.value)
        assertEquals(text, showing.frame.text)
        assertTrue(showing.frame.png!!.isNotEmpty())
        assertEquals(row.id, wallet.disclosureHistory().single().credentialId)

        // The verifier's camera reads the shown code: green, possession not proven, the face.
        val verifier = verifierVm()
        verifier.onFrame(toLuma(showing.frame))
        val result = assertIs<VerifierViewModel.State.Result>(verifier.state.value)
        assertTrue(result.green, result.verdicts.toString())
        val verdict = result.verdicts.single()
        assertTrue(verdict.identityCard)
        assertTrue(verdict.possessionNotProven)
        assertEquals("Civil Registry (demo)", verdict.issuerName)
        assertContentEquals(face, verdict.portraitJpeg)
        assertEquals("\"Amina Yusuf Abdi\"", verdict.claims.single { it.path == "fullName" }.valueJson)

        cards.closeCode()
        assertEquals(detail, cards.state.value)
        cards.delete(row.id)
        assertEquals(emptyList(), assertIs<IdentityCardsViewModel.State.List>(cards.state.value).cards)
    }

    @Test
    fun badCardsAreTypedStatesAtTheHolderAndTheVerifier() = runTest {
        val wallet = newWallet(dir, "holder.db")
        val cards = IdentityCardsViewModel(wallet)
        val text = registry.card("Amina Yusuf Abdi", "3918592438", 365u, null)
        val damaged = text.substring(0, text.length / 2)

        // The camera stays open with the problem; the text path lands on the list.
        cards.startScan()
        cards.onText("https://example.org")
        assertEquals(ScanState.Problem(UiError.IdentityCard(CardProblem.NOT_A_CARD)), assertIs<IdentityCardsViewModel.State.Scanning>(cards.state.value).scan)
        cards.onText(damaged)
        assertEquals(ScanState.Problem(UiError.IdentityCard(CardProblem.UNREADABLE)), assertIs<IdentityCardsViewModel.State.Scanning>(cards.state.value).scan)
        cards.onText(text)
        assertIs<IdentityCardsViewModel.State.List>(cards.state.value).added!!
        cards.importCode(text)
        val duplicate = assertIs<IdentityCardsViewModel.State.List>(cards.state.value)
        assertEquals(UiError.IdentityCard(CardProblem.ALREADY_KEPT), duplicate.error)
        assertEquals(1, duplicate.cards.size)
        cards.importCode("hello")
        assertEquals(UiError.IdentityCard(CardProblem.NOT_A_CARD), assertIs<IdentityCardsViewModel.State.List>(cards.state.value).error)

        // An expired card is kept, marked, and refused by the verifier with the reason.
        val expired = registry.card("Amina Yusuf Abdi", "3918592438", 0u, null)
        cards.importCode(expired)
        assertTrue(assertIs<IdentityCardsViewModel.State.List>(cards.state.value).added!!.expired)
        val verifier = verifierVm()
        verifier.onText(expired)
        val red = assertIs<VerifierViewModel.State.Result>(verifier.state.value).verdicts.single()
        assertFalse(red.valid)
        assertTrue(VerdictReason.EXPIRED in red.reasons, red.reasons.toString())
        assertTrue(red.claims.isEmpty())

        // A verifier whose list names another registry: unknown issuer, no fields, no photo.
        val other = TestCardIssuer.create("Another registry", "KEN")
        val stranger = VerifierViewModel(FieldVerifier(newWallet(dir, "stranger.db")).also {
            it.importTrustList(signer.sign(2uL, 30u, emptyList(), emptyList(), listOf(other)), signer.publicJwk())
        })
        stranger.scanWithoutRequest()
        stranger.onText(text)
        val unknown = assertIs<VerifierViewModel.State.Result>(stranger.state.value)
        assertFalse(unknown.green)
        assertEquals(listOf(VerdictReason.UNKNOWN_ISSUER), unknown.verdicts.single().reasons)
        assertTrue(unknown.verdicts.single().claims.isEmpty())
        // A damaged card code at the verifier is red too, never an exception.
        stranger.done()
        stranger.verifyCard(damaged)
        assertFalse(assertIs<VerifierViewModel.State.Result>(stranger.state.value).green)
        // Not a card's code, and no trust list: typed failures.
        stranger.verifyCard("LZ1:ABC")
        assertIs<UiError.UnexpectedCode>(assertIs<VerifierViewModel.State.Failed>(stranger.state.value).error)
        val noList = verifierVm(list = null, file = "no-list.db")
        noList.onText(text)
        assertEquals(UiError.NoTrustList, assertIs<VerifierViewModel.State.Failed>(noList.state.value).error)

        // A card deleted between the warning and showing: back to the list, nothing shown.
        val id = assertIs<IdentityCardsViewModel.State.List>(cards.state.value).cards.first().id
        cards.open(id)
        cards.askToShow()
        wallet.deleteIdentityCard(id)
        cards.confirmShow()
        assertEquals(UiError.IdentityCard(CardProblem.NOT_FOUND), assertIs<IdentityCardsViewModel.State.List>(cards.state.value).error)
        assertTrue(wallet.disclosureHistory().isEmpty())
        cards.open(id)
        assertEquals(UiError.IdentityCard(CardProblem.NOT_FOUND), assertIs<IdentityCardsViewModel.State.List>(cards.state.value).error)
        cards.open("not-an-id")
        assertEquals(UiError.IdentityCard(CardProblem.NOT_FOUND), assertIs<IdentityCardsViewModel.State.List>(cards.state.value).error)

        wallet.lock()
        cards.load()
        assertEquals(UiError.Locked, assertIs<IdentityCardsViewModel.State.Failed>(cards.state.value).error)
        cards.importCode(text)
        assertEquals(UiError.Locked, assertIs<IdentityCardsViewModel.State.Failed>(cards.state.value).error)
    }

    @Test
    fun theHoldersRequestCameraHandsACardOverAndTheDemoPrintsOne() = runTest {
        val wallet = newWallet(dir, "holder.db")
        val cards = IdentityCardsViewModel(wallet)
        val printer = DemoCardPrinter(registry)
        printer.print("Amina Yusuf Abdi", "3918592438", faceJpeg = face)
        val printed = assertIs<DemoCardPrinter.State.Printed>(printer.state.value).card
        assertTrue(isIdentityCardCode(printed.text))
        assertEquals(printed.text, printed.frame.text)

        // Without a taker the request camera says "not a Laissez code", as before.
        val alone = ConsentViewModel(wallet)
        alone.onFrame(toLuma(printed.frame))
        assertEquals(ScanState.Problem(UiError.NotLaissez), assertIs<ConsentViewModel.State.Scanning>(alone.state.value).scan)

        // With one, the card goes to the cards view model and is kept.
        val consent = ConsentViewModel(wallet, onIdentityCard = { cards.importCode(it) })
        consent.onFrame(toLuma(printed.frame))
        assertEquals("Amina Yusuf Abdi", assertIs<IdentityCardsViewModel.State.List>(cards.state.value).added!!.fullName)
        assertEquals(1, wallet.identityCards().size)
    }
}
