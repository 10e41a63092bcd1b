package app.laissez.demo

import app.laissez.CredentialFormat
import app.laissez.openWallet
import java.io.File
import kotlin.random.Random
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertIs
import kotlin.test.assertTrue
import kotlinx.coroutines.test.advanceTimeBy
import kotlinx.coroutines.test.runCurrent
import kotlinx.coroutines.test.runTest
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir

/** Onboarding, lock screen, credentials and the frame cycler. */
class WalletScreensTest {
    @TempDir
    lateinit var dir: File

    private fun path(name: String) = File(dir, name).absolutePath

    @Test
    fun `onboarding - PIN checks, 24 words once, confirmation, done`() = runTest {
        val vm = OnboardingViewModel(path("wallet.db"), options(), wordsToConfirm = 3, random = Random(1))
        vm.choosePin("2468", "2469")
        assertEquals(OnboardingViewModel.State.ChoosePin(UiError.PinMismatch), vm.state.value)
        vm.choosePin("12", "12")
        assertEquals(OnboardingViewModel.State.ChoosePin(UiError.InvalidPin), vm.state.value)
        vm.choosePin(PIN, PIN)
        val words = assertIs<OnboardingViewModel.State.ShowWords>(vm.state.value).words
        assertEquals(24, words.size)
        vm.wordsWrittenDown()
        val confirm = assertIs<OnboardingViewModel.State.ConfirmWords>(vm.state.value)
        assertEquals(3, confirm.positions.size)
        // The words are no longer in any state.
        assertFalse(vm.state.value.toString().contains(words[confirm.positions[0] - 1] + ","))

        val right = confirm.positions.associateWith { words[it - 1] }
        val oneWrong = right + (confirm.positions[1] to "zebra-not-a-word")
        vm.confirm(oneWrong)
        assertEquals(UiError.WordsDoNotMatch(listOf(confirm.positions[1])), assertIs<OnboardingViewModel.State.ConfirmWords>(vm.state.value).error)
        vm.confirm(right.mapValues { " ${it.value.uppercase()} " })
        val wallet = assertIs<OnboardingViewModel.State.Done>(vm.state.value).wallet
        assertFalse(wallet.isLocked())
        wallet.close()

        // A second onboarding on the same file: a clear failure, the wallet untouched.
        val again = OnboardingViewModel(path("wallet.db"), options())
        again.choosePin(PIN, PIN)
        assertEquals(OnboardingViewModel.State.Failed(UiError.WalletExists), again.state.value)
    }

    @Test
    fun `unlock - wrong PINs count down, then a wait, then the right PIN`() = runTest {
        val clock = ManualClock(1_700_000_000)
        newWallet(dir, "wallet.db", clock).close()
        openWallet(path("wallet.db"), options(clock)).use { wallet ->
            val vm = UnlockViewModel(wallet) { clock.secs.get() }
            assertEquals(UnlockViewModel.State.EnterPin(), vm.state.value)
            for (left in 4 downTo 1) {
                vm.unlock("0000")
                val e = assertIs<UiError.WrongPin>(assertIs<UnlockViewModel.State.EnterPin>(vm.state.value).error)
                assertEquals(left, e.attemptsLeft)
            }
            vm.unlock("0000")
            val waiting = assertIs<UnlockViewModel.State.Waiting>(vm.state.value)
            assertEquals(30, waiting.secondsLeft(clock.secs.get()))
            // Keys pressed while waiting do nothing, not even count.
            vm.unlock(PIN)
            assertIs<UnlockViewModel.State.Waiting>(vm.state.value)
            vm.tick()
            assertIs<UnlockViewModel.State.Waiting>(vm.state.value)
            clock.secs.addAndGet(30)
            vm.tick()
            assertEquals(UnlockViewModel.State.EnterPin(), vm.state.value)
            vm.unlock(PIN)
            assertEquals(UnlockViewModel.State.Unlocked, vm.state.value)
            assertFalse(wallet.isLocked())
        }
        // Reopened during a wait: the lock screen starts in the wait state.
        openWallet(path("wallet.db"), options(clock)).use { wallet ->
            val vm = UnlockViewModel(wallet) { clock.secs.get() }
            repeat(5) { vm.unlock("0000") }
            assertIs<UnlockViewModel.State.Waiting>(vm.state.value)
        }
        openWallet(path("wallet.db"), options(clock)).use { wallet ->
            assertIs<UnlockViewModel.State.Waiting>(UnlockViewModel(wallet) { clock.secs.get() }.state.value)
        }
    }

    @Test
    fun `forgot PIN - wrong word, other wallet's words, then the right words`() = runTest {
        val created = app.laissez.createWallet(path("wallet.db"), PIN, options())
        val words = created.mnemonicWords
        created.wallet.close()
        val stranger = app.laissez.createWallet(path("other.db"), PIN, options())
        stranger.wallet.close()
        openWallet(path("wallet.db"), options()).use { wallet ->
            val vm = UnlockViewModel(wallet)
            vm.forgotPin()
            vm.recover(words.joinToString(" "), "1357", "1358")
            assertEquals(UnlockViewModel.State.Recover(UiError.PinMismatch), vm.state.value)
            val typo = words.toMutableList().also { it[6] = "zzzz" }.joinToString(" ")
            vm.recover(typo, "1357", "1357")
            assertEquals(UnlockViewModel.State.Recover(UiError.InvalidMnemonic(7)), vm.state.value)
            vm.recover(stranger.mnemonicWords.joinToString(" "), "1357", "1357")
            assertEquals(UnlockViewModel.State.Recover(UiError.MnemonicMismatch), vm.state.value)
            vm.recover("  " + words.joinToString("   ").uppercase() + "\n", "1357", "1357")
            assertEquals(UnlockViewModel.State.Unlocked, vm.state.value)
            wallet.lock()
            wallet.unlock("1357")
        }
    }

    @Test
    fun `credentials - list and detail in French, bad imports are states`() = runTest {
        val w = World(dir).setUp()
        val vm = CredentialsViewModel(w.holder, "fr")
        vm.load()
        val row = assertIs<CredentialsViewModel.State.List>(vm.state.value).rows.single()
        assertEquals("Enregistrement OIM", row.title)
        // No issuer trust list in the holder's wallet: the issuer's name is only a claim.
        assertEquals(IssuerLine.Unverified("IOM Field Office"), row.issuer)
        assertEquals(CredentialFormat.SD_JWT, row.format)
        vm.open(row.id)
        val detail = assertIs<CredentialsViewModel.State.Detail>(vm.state.value)
        val labels = detail.claims.associate { it.path.substringAfterLast('/') to it.label }
        assertEquals("Prénom", labels["given_name"])
        assertEquals("Nom", labels["family_name"])

        vm.import("hello".toByteArray())
        assertEquals(UiError.CredentialRejected("unknown_format"), assertIs<CredentialsViewModel.State.List>(vm.state.value).error)
        val mdoc = w.issuer.issueMdoc("org.iom.registration.1", CLAIMS, w.holder.holderKey().jwk)
        vm.import(mdoc)
        assertEquals(2, assertIs<CredentialsViewModel.State.List>(vm.state.value).rows.size)
        vm.import(mdoc)
        assertEquals(UiError.AlreadyImported, assertIs<CredentialsViewModel.State.List>(vm.state.value).error)
        vm.delete("00".repeat(16))
        assertIs<UiError>(assertIs<CredentialsViewModel.State.List>(vm.state.value).error)

        w.holder.lock()
        vm.load()
        assertEquals(CredentialsViewModel.State.Failed(UiError.Locked), vm.state.value)
        w.close()
    }

    @Test
    fun `response display cycles frames at 10 per second and stops`() = runTest {
        val frames = (1..3).map { app.laissez.renderQr("LZ1:FRAME$it") }
        val vm = ResponseDisplayViewModel(frames, backgroundScope, framesPerSecond = 10)
        assertEquals(0, vm.state.value.index)
        vm.start()
        advanceTimeBy(101)
        runCurrent()
        assertEquals(1, vm.state.value.index)
        advanceTimeBy(200)
        runCurrent()
        assertEquals(0, vm.state.value.index) // 3 frames: 1, 2, back to 0
        assertTrue(vm.state.value.running)
        vm.stop()
        advanceTimeBy(1_000)
        assertEquals(0, vm.state.value.index)
        assertFalse(vm.state.value.running)
        assertEquals(frames[0], vm.state.value.frame)

        // A single frame just stays.
        val one = ResponseDisplayViewModel(frames.take(1), backgroundScope)
        one.start()
        advanceTimeBy(1_000)
        assertEquals(false, one.state.value.running)
    }
}
