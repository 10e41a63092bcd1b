package app.laissez.demo

import app.laissez.FrameOptions
import app.laissez.VerdictReason
import app.laissez.defaultFrameOptions
import java.io.File
import kotlin.test.assertEquals
import kotlin.test.assertIs
import kotlin.test.assertNotEquals
import kotlin.test.assertTrue
import kotlinx.coroutines.ExperimentalCoroutinesApi
import kotlinx.coroutines.test.TestScope
import kotlinx.coroutines.test.advanceTimeBy
import kotlinx.coroutines.test.runCurrent
import kotlinx.coroutines.test.runTest
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir

/** Holder's static presentation (no request) scanned by the field verifier, and its bad inputs. */
class StaticPresentationTest {
    @TempDir
    lateinit var dir: File
    private var world: World? = null

    @AfterEach
    fun close() {
        world?.close()
    }

    private suspend fun world() = World(dir).setUp().also { world = it }

    /** Small frames, so the presentation is an animated sequence. */
    private val small: FrameOptions = defaultFrameOptions().copy(maxFrameChars = 400u, oneCodeMaxChars = 0u)

    /**
     * The holder's screen cycles the frames at 10 a second (virtual time) while the verifier's
     * camera sees whichever frame is up, until it has a verdict.
     */
    @OptIn(ExperimentalCoroutinesApi::class)
    private suspend fun TestScope.scanDisplayed(frames: List<app.laissez.QrFrame>, verifier: VerifierViewModel) {
        val display = ResponseDisplayViewModel(frames, backgroundScope)
        display.start()
        verifier.scanWithoutRequest()
        for (tick in 0 until 3 * frames.size) {
            verifier.onFrame(toLuma(display.state.value.frame))
            if (verifier.state.value is VerifierViewModel.State.Result) break
            advanceTimeBy(100)
            runCurrent()
        }
        display.stop()
    }

    @Test
    fun `two of four claims shown without a request - green with only those, then replay is red`() = runTest {
        val w = world()
        val vm = StaticPresentationViewModel(w.holder, "fr", small)
        vm.load()
        val row = assertIs<StaticPresentationViewModel.State.Choose>(vm.state.value).credentials.single()
        assertEquals("Enregistrement OIM", row.title)
        // No issuer trust list in this wallet: the certificate's name is only what the credential claims.
        assertEquals(IssuerLine.Unverified("IOM Field Office"), row.issuer)

        vm.choose(row.id)
        val select = assertIs<StaticPresentationViewModel.State.Select>(vm.state.value)
        assertEquals(row, select.credential)
        assertEquals(
            mapOf("given_name" to "Prénom", "family_name" to "Nom", "nationality" to "Nationalité", "place_of_birth" to "Lieu de naissance"),
            select.claims.associate { it.path to it.label },
        )
        assertTrue(select.claims.all { it.selectable && !it.selected }, "nothing is shown unless chosen")

        // Nothing chosen: a state, and no call (no disclosure recorded).
        vm.present()
        assertEquals(UiError.NothingConsented, assertIs<StaticPresentationViewModel.State.Select>(vm.state.value).error)
        assertEquals(emptyList(), w.holder.disclosureHistory())

        vm.toggle("given_name")
        vm.toggle("family_name")
        vm.toggle("nationality")
        vm.toggle("family_name")
        vm.toggle("no_such_claim")
        val chosen = assertIs<StaticPresentationViewModel.State.Select>(vm.state.value)
        assertEquals(null, chosen.error)
        assertEquals(listOf("given_name", "nationality"), chosen.chosen)

        vm.present()
        val showing = assertIs<StaticPresentationViewModel.State.Showing>(vm.state.value)
        assertEquals(chosen, showing.selection)
        assertTrue(showing.frames.size > 1, "an animated sequence")

        val verifier = VerifierViewModel(w.verifier, ScanSession(), "fr")
        scanDisplayed(showing.frames, verifier)
        val result = assertIs<VerifierViewModel.State.Result>(verifier.state.value)
        assertTrue(result.green, result.toString())
        val verdict = result.verdicts.single()
        assertEquals("IOM Field Office", verdict.issuerName)
        assertEquals(SD_JWT_TYPE, verdict.credentialType)
        assertEquals(
            mapOf("given_name" to ("Prénom" to "\"Amina\""), "nationality" to ("Nationalité" to "\"SD\"")),
            verdict.claims.associate { it.path to (it.label to it.valueJson) },
        )

        // The holder's history has it, with just those claims.
        val history = HistoryViewModel.holder(w.holder).also { it.load() }
        assertEquals(
            listOf("given_name", "nationality"),
            assertIs<HistoryViewModel.State.Loaded>(history.state.value).rows.single().claims.sorted(),
        )

        // The same codes scanned again: red, replay.
        verifier.done()
        scanDisplayed(showing.frames, verifier)
        val replay = assertIs<VerifierViewModel.State.Result>(verifier.state.value)
        assertEquals(false, replay.green)
        assertEquals(listOf(VerdictReason.REPLAY), replay.verdicts.single().reasons)
        assertTrue(replay.verdicts.single().claims.isEmpty(), "a replay shows no claim")

        // A fresh code with the same claims; then back to the claims to change them.
        vm.newCode()
        val again = assertIs<StaticPresentationViewModel.State.Showing>(vm.state.value)
        assertEquals(chosen, again.selection)
        assertNotEquals(showing.frames, again.frames)
        vm.edit()
        assertEquals(chosen, vm.state.value)
        vm.back()
        assertIs<StaticPresentationViewModel.State.Choose>(vm.state.value)
    }

    @Test
    fun `unknown or deleted credential, nothing selected, locked wallet are states`() = runTest {
        val w = world()
        val vm = StaticPresentationViewModel(w.holder)
        val id = w.holder.listCredentials().single().id

        // An id that is not (or no longer) in the wallet, well-formed or not.
        vm.choose("00".repeat(16))
        assertEquals(UiError.CredentialNotFound, assertIs<StaticPresentationViewModel.State.Choose>(vm.state.value).error)
        vm.choose("not an id")
        assertEquals(UiError.CredentialNotFound, assertIs<StaticPresentationViewModel.State.Choose>(vm.state.value).error)

        // Present before choosing anything: ignored.
        vm.present()
        assertIs<StaticPresentationViewModel.State.Choose>(vm.state.value)

        // Deleted (from the detail screen, another tab...) while its claims were on screen.
        vm.choose(id)
        vm.toggle("given_name")
        w.holder.deleteCredential(id)
        vm.present()
        assertEquals(StaticPresentationViewModel.State.Choose(emptyList(), UiError.CredentialNotFound), vm.state.value)
        assertEquals(emptyList(), w.holder.disclosureHistory())

        // Locked between choosing and presenting, and when opening the screen.
        w.holder.importCredential(w.issuer.issueSdJwt(SD_JWT_TYPE, CLAIMS, w.holder.holderKey().jwk), emptyList())
        vm.load()
        val fresh = assertIs<StaticPresentationViewModel.State.Choose>(vm.state.value).credentials.single()
        vm.choose(fresh.id)
        vm.toggle("nationality")
        vm.toggle("nationality")
        vm.present()
        assertEquals(UiError.NothingConsented, assertIs<StaticPresentationViewModel.State.Select>(vm.state.value).error)
        vm.toggle("nationality")
        w.holder.lock()
        vm.present()
        assertEquals(StaticPresentationViewModel.State.Failed(UiError.Locked), vm.state.value)
        vm.load()
        assertEquals(StaticPresentationViewModel.State.Failed(UiError.Locked), vm.state.value)
        StaticPresentationViewModel(w.holder).apply {
            choose(fresh.id)
            assertEquals(StaticPresentationViewModel.State.Failed(UiError.Locked), state.value)
        }
    }
}
