package app.laissez.demo

import app.laissez.ScanUpdate
import app.laissez.VerdictReason
import app.laissez.decodeQrText
import app.laissez.defaultFrameOptions
import app.laissez.Consent
import app.laissez.UnverifiedAcknowledgement
import app.laissez.UnverifiedReason
import java.io.File
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertIs
import kotlin.test.assertNotNull
import kotlin.test.assertTrue
import kotlinx.coroutines.test.runTest
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir

/**
 * Issue 12 on the screens: the verifier shows its identifier, the holder scans it and binds the
 * static presentation to it (or is told plainly that the code is not bound), the verdict says
 * unbound, the verifier logs an altered answer, history names the verifier, and a verifier file
 * changed behind its back is [UiError.VerifierTampered].
 */
class BoundStaticPresentationTest {
    @TempDir
    lateinit var dir: File
    private var world: World? = null

    @AfterEach
    fun close() {
        world?.close()
    }

    private suspend fun world() = World(dir).setUp().also { world = it }

    /** The holder picks the credential and its given name. */
    private suspend fun chosen(w: World): StaticPresentationViewModel {
        val vm = StaticPresentationViewModel(w.holder, "en")
        vm.load()
        vm.choose(assertIs<StaticPresentationViewModel.State.Choose>(vm.state.value).credentials.single().id)
        vm.toggle("given_name")
        return vm
    }

    /** The verifier's camera reads [frames] without a request; its verdict. */
    private suspend fun verdict(verifier: VerifierViewModel, frames: List<app.laissez.QrFrame>): VerdictView {
        verifier.scanWithoutRequest()
        for (frame in frames) verifier.onFrame(toLuma(frame))
        return assertIs<VerifierViewModel.State.Result>(verifier.state.value).verdicts.single()
    }

    @Test
    fun `the holder scans the verifier's poster - bound there, refused elsewhere`() = runTest {
        val w = world()
        val desk = VerifierViewModel(w.verifier)
        desk.showVerifierId(pngScale = 2u)
        val card = assertNotNull(desk.verifierId.value)
        assertTrue(Regex("[0-9A-F]{4}(-[0-9A-F]{4}){4}").matches(card.code), card.code)
        assertEquals(card.code, card.frame.text)
        assertNotNull(card.frame.png)

        val holder = chosen(w)
        holder.scanVerifierId()
        // Noise, then a Laissez code that is no identifier, then the poster.
        holder.onFrame(noise())
        assertEquals(ScanState.NoCode, assertIs<StaticPresentationViewModel.State.ScanningVerifierId>(holder.state.value).scan)
        holder.onText("https://example.org")
        assertEquals(ScanState.Problem(UiError.NotAVerifierId), assertIs<StaticPresentationViewModel.State.ScanningVerifierId>(holder.state.value).scan)
        holder.onFrame(toLuma(card.frame))
        val select = assertIs<StaticPresentationViewModel.State.Select>(holder.state.value)
        assertEquals(card.code, select.verifierId)
        holder.present()
        val showing = assertIs<StaticPresentationViewModel.State.Showing>(holder.state.value)
        assertFalse(showing.unbound)

        val elsewhere = VerifierViewModel(w.otherVerifier())
        val there = verdict(elsewhere, showing.frames)
        assertFalse(there.valid)
        assertEquals(listOf(VerdictReason.WRONG_AUDIENCE), there.reasons)
        val here = verdict(desk, showing.frames)
        assertTrue(here.valid, here.reasons.toString())
        assertFalse(here.unbound)

        // The identifier stays for the next code; forgetting it makes the code unbound, which
        // the holder's screen and the verdict both say.
        holder.edit()
        holder.forgetVerifierId()
        holder.present()
        val unbound = assertIs<StaticPresentationViewModel.State.Showing>(holder.state.value)
        assertTrue(unbound.unbound)
        val anywhere = verdict(elsewhere, unbound.frames)
        assertTrue(anywhere.valid && anywhere.unbound, anywhere.toString())

        // A typed identifier, in any case and grouping; a wrong one is said to be wrong.
        holder.edit()
        holder.typeVerifierId("12")
        assertEquals(UiError.NotAVerifierId, assertIs<StaticPresentationViewModel.State.Select>(holder.state.value).error)
        holder.typeVerifierId(card.code.lowercase().replace("-", " "))
        assertEquals(card.code, assertIs<StaticPresentationViewModel.State.Select>(holder.state.value).verifierId)
    }

    @Test
    fun `an altered answer is logged and said, history names the verifier, a tampered file stops the verifier`() = runTest {
        val w = world()
        val desk = VerifierViewModel(w.verifier)
        desk.newRequest("Desk 4", "Food aid", w.requested())
        val request = decodeQrText(assertIs<VerifierViewModel.State.AwaitingAnswer>(desk.state.value).frames.single().text)
        val id = w.holder.listCredentials().single().id
        val whole = defaultFrameOptions().copy(maxFrameChars = 3391u)
        // An unsigned request: answered with the acknowledgement of that very request.
        val ack = UnverifiedAcknowledgement(w.holder.readRequest(request).requestId)
        val text = w.holder.respond(request, listOf(Consent(id, listOf("given_name"))), ack, whole).single().text
        val at = text.length - 5
        val altered = text.substring(0, at) + (if (text[at] == '0') '1' else '0') + text.substring(at + 1)

        desk.onText(altered)
        val waiting = assertIs<VerifierViewModel.State.AwaitingAnswer>(desk.state.value)
        assertEquals(ScanState.Problem(UiError.AnswerTampered), waiting.scan)
        assertEquals(listOf("tampered"), w.verifier.logEntries().single().reasonCodes)
        // A damaged code that names none of our requests is only damaged.
        desk.onText("LZ1:%%%%")
        assertEquals(ScanState.Problem(UiError.DamagedCode), assertIs<VerifierViewModel.State.AwaitingAnswer>(desk.state.value).scan)
        assertEquals(1, w.verifier.logEntries().size)
        // The untouched answer is still green.
        desk.onText(text)
        assertTrue(assertIs<VerifierViewModel.State.Result>(desk.state.value).green)

        val history = HistoryViewModel.holder(w.holder)
        history.load()
        // Named only as what its unsigned request claimed: an unverified verifier.
        val row = assertIs<HistoryViewModel.State.Loaded>(history.state.value).rows.single()
        assertEquals(HistoryVerifier.Unverified("Desk 4", UnverifiedReason.NO_CERTIFICATE), row.verifier)
        assertEquals(null, row.counterpart)

        // The verifier's trust list deleted behind its back: nothing is verified any more.
        for (record in w.verifierWallet.find("trust_list", emptyList(), 10u, null).records) w.verifierWallet.delete(record.id)
        desk.newRequest("Desk 4", "Food aid", w.requested())
        assertEquals(VerifierViewModel.State.Idle(UiError.VerifierTampered), desk.state.value)
        desk.scanWithoutRequest()
        desk.onText(text)
        assertEquals(VerifierViewModel.State.Failed(UiError.VerifierTampered), desk.state.value)
        assertEquals(UiError.VerifierTampered, app.laissez.VerifierException.Tampered("x").toUiError())
    }

    @Test
    fun `the scanner hands a rejected code's text to the screen`() = runTest {
        val session = ScanSession()
        var seen: String? = null
        val state = session.pushText("LZ1:%%%%") { update -> seen = (update as? ScanUpdate.Rejected)?.text; null }
        assertEquals(ScanState.Problem(UiError.DamagedCode), state)
        assertEquals("LZ1:%%%%", seen)
    }
}
