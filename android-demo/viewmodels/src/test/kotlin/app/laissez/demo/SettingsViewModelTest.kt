package app.laissez.demo

import app.laissez.PlatformKeyException
import app.laissez.Wallet
import app.laissez.WalletOptions
import app.laissez.createWallet
import app.laissez.insecureTestKdf
import app.laissez.openWallet
import java.io.File
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertIs
import kotlin.test.assertNull
import kotlin.test.assertTrue
import kotlinx.coroutines.test.runTest
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir

/** The settings: change PIN, hardware key on/off, delete the wallet; each path and each error. */
class SettingsViewModelTest {
    @TempDir
    lateinit var dir: File

    private val clock = ManualClock(1_700_000_000)
    private fun path(name: String = "wallet.db") = File(dir, name).absolutePath
    private fun keyed(key: MemoryMacKeySource) = WalletOptions(insecureTestKdf(), HmacProtector(key), clock)

    /** A wallet as the app makes it: with this phone's hardware key, protected from the start. */
    private suspend fun protectedWallet(key: MemoryMacKeySource = MemoryMacKeySource()): Wallet =
        createWallet(path(), PIN, keyed(key)).wallet

    private fun settings(wallet: Wallet) = SettingsViewModel(wallet, path()) { clock.secs.get() }

    @Test
    fun `change PIN - the new PIN unlocks, the old one no longer does`() = runTest {
        protectedWallet().use { wallet ->
            val vm = settings(wallet)
            assertEquals(SettingsViewModel.State.Overview(platformProtected = true), vm.state.value)
            vm.startChangePin()
            assertEquals(SettingsViewModel.State.ChangePin(), vm.state.value)
            vm.changePin(PIN, "13579", "13579")
            assertEquals(
                SettingsViewModel.State.Overview(platformProtected = true, notice = SettingsViewModel.Notice.PIN_CHANGED),
                vm.state.value,
            )
            wallet.lock()
            assertFailsWith<app.laissez.WalletException.WrongPin> { wallet.unlock(PIN) }
            wallet.unlock("13579")
        }
    }

    @Test
    fun `change PIN - mismatch and too short are refused before the current PIN is checked`() = runTest {
        protectedWallet().use { wallet ->
            val vm = settings(wallet)
            vm.startChangePin()
            // The current PIN is wrong too: a refusal that counted it would show WrongPin.
            vm.changePin("0000", "13579", "13578")
            assertEquals(SettingsViewModel.State.ChangePin(UiError.PinMismatch), vm.state.value)
            vm.changePin("0000", "135", "135")
            assertEquals(SettingsViewModel.State.ChangePin(UiError.InvalidPin), vm.state.value)
            vm.changePin("0000", "    ", "    ")
            assertEquals(SettingsViewModel.State.ChangePin(UiError.InvalidPin), vm.state.value)
            assertEquals(0u, wallet.status().failedPinAttempts)
        }
    }

    @Test
    fun `change PIN - wrong current PIN shows attempts left, then the wait, then works`() = runTest {
        protectedWallet().use { wallet ->
            val vm = settings(wallet)
            vm.startChangePin()
            for (left in 4 downTo 1) {
                vm.changePin("0000", "13579", "13579")
                val form = assertIs<SettingsViewModel.State.ChangePin>(vm.state.value)
                assertEquals(UiError.WrongPin(left, 0), form.error)
                assertEquals(0, form.secondsLeft(clock.secs.get()))
            }
            vm.changePin("0000", "13579", "13579")
            val waiting = assertIs<SettingsViewModel.State.ChangePin>(vm.state.value)
            assertEquals(30, waiting.secondsLeft(clock.secs.get()))
            // Sent during the wait: nothing happens, not even with the right PIN.
            vm.changePin(PIN, "13579", "13579")
            assertEquals(waiting, vm.state.value)
            vm.tick()
            assertEquals(waiting, vm.state.value)
            clock.secs.addAndGet(30)
            vm.tick()
            assertEquals(SettingsViewModel.State.ChangePin(), vm.state.value)
            vm.changePin(PIN, "13579", "13579")
            assertEquals(SettingsViewModel.Notice.PIN_CHANGED, assertIs<SettingsViewModel.State.Overview>(vm.state.value).notice)
        }
    }

    @Test
    fun `a form opened during a wait starts waiting, and cancel changes nothing`() = runTest {
        protectedWallet().use { wallet ->
            wallet.lock()
            repeat(5) { runCatching { wallet.unlock("0000") } }
            assertFailsWith<app.laissez.WalletException.PinLockedOut> { wallet.unlock(PIN) }
            val vm = settings(wallet)
            vm.startDeleteWallet()
            val form = assertIs<SettingsViewModel.State.DeleteWallet>(vm.state.value)
            assertTrue(form.secondsLeft(clock.secs.get()) > 0)
            vm.cancel()
            assertEquals(SettingsViewModel.State.Overview(platformProtected = true), vm.state.value)
            assertTrue(File(path()).exists())
        }
    }

    @Test
    fun `hardware key - off then on again with the PIN, the state from the wallet`() = runTest {
        val key = MemoryMacKeySource()
        protectedWallet(key).use { wallet ->
            val vm = settings(wallet)
            vm.startProtection(enable = false)
            vm.setProtection("0000")
            assertEquals(SettingsViewModel.State.Protection(false, UiError.WrongPin(4, 0)), vm.state.value)
            assertTrue(wallet.status().platformProtected)
            vm.setProtection(PIN)
            assertEquals(
                SettingsViewModel.State.Overview(false, SettingsViewModel.Notice.PROTECTION_OFF),
                vm.state.value,
            )
            assertFalse(wallet.status().platformProtected)
            // Changing the PIN while off keeps it off, though the app always passes its key.
            vm.startChangePin()
            vm.changePin(PIN, "13579", "13579")
            assertFalse(wallet.status().platformProtected)
            vm.startProtection(enable = true)
            vm.setProtection("13579")
            assertEquals(
                SettingsViewModel.State.Overview(true, SettingsViewModel.Notice.PROTECTION_ON),
                vm.state.value,
            )
        }
        // Protected again: the file opens only with this phone's key.
        openWallet(path(), WalletOptions(insecureTestKdf(), null, clock)).use { wallet ->
            assertFailsWith<app.laissez.WalletException.PlatformKey> { wallet.unlock("13579") }
        }
        openWallet(path(), keyed(key)).use { it.unlock("13579") }
    }

    @Test
    fun `hardware key - a phone without one gets NoHardwareKey and nothing changes`() = runTest {
        // Made without a hardware key (options() has none): turning it on has nothing to bind to.
        createWallet(path(), PIN, options(clock)).wallet.use { wallet ->
            val vm = settings(wallet)
            assertEquals(SettingsViewModel.State.Overview(platformProtected = false), vm.state.value)
            vm.startProtection(enable = true)
            vm.setProtection(PIN)
            assertEquals(SettingsViewModel.State.Protection(true, UiError.NoHardwareKey), vm.state.value)
            assertFalse(wallet.status().platformProtected)
        }
    }

    @Test
    fun `hardware key - one that cannot be used now gets NoHardwareKey, one gone for good the 24 words`() = runTest {
        val key = MemoryMacKeySource()
        createWallet(path(), PIN, keyed(key)).wallet.use { wallet ->
            val vm = settings(wallet)
            vm.startProtection(enable = false)
            vm.setProtection(PIN)
            // The Keystore needs the lock screen first: nothing bound, try later.
            key.failure = UserNotAuthenticatedException()
            vm.startProtection(enable = true)
            vm.setProtection(PIN)
            assertEquals(SettingsViewModel.State.Protection(true, UiError.NoHardwareKey), vm.state.value)
            // Invalidated for good: the person is sent to the 24 words, as on the lock screen.
            key.failure = KeyPermanentlyInvalidatedException()
            vm.setProtection(PIN)
            assertEquals(SettingsViewModel.State.Protection(true, UiError.PlatformKeyUnavailable), vm.state.value)
            assertFalse(wallet.status().platformProtected)
        }
    }

    @Test
    fun `the protection error mapping keeps other errors as they are`() {
        assertEquals(UiError.NoHardwareKey, PlatformKeyException.Unavailable("busy").toProtectionError())
        assertEquals(UiError.PlatformKeyUnavailable, PlatformKeyException.KeyInvalidated("gone").toProtectionError())
        assertEquals(UiError.Locked, app.laissez.WalletException.Locked().toProtectionError())
    }

    @Test
    fun `delete - needs the confirmation and the PIN, then the files are gone`() = runTest {
        val wallet = protectedWallet()
        wallet.put(app.laissez.NewRecordInput("note", emptyList(), "clinic".toByteArray()))
        val vm = settings(wallet)
        vm.startDeleteWallet()
        assertEquals(SettingsViewModel.State.DeleteWallet(), vm.state.value)
        // Not confirmed: the right PIN does nothing.
        vm.deleteWallet(PIN)
        assertEquals(SettingsViewModel.State.DeleteWallet(), vm.state.value)
        assertTrue(File(path()).exists())
        vm.acknowledgeDeletion(true)
        vm.deleteWallet("0000")
        assertEquals(SettingsViewModel.State.DeleteWallet(true, UiError.WrongPin(4, 0)), vm.state.value)
        assertTrue(File(path()).exists())
        assertFalse(wallet.isLocked())
        vm.deleteWallet(PIN)
        assertEquals(SettingsViewModel.State.Deleted, vm.state.value)
        assertFalse(File(path()).exists())
        assertTrue(dir.listFiles().orEmpty().none { it.name.startsWith("wallet.db") })
        // The wallet object is closed: nothing can write the file back.
        assertFailsWith<IllegalStateException> { wallet.isLocked() }
    }

    @Test
    fun `delete - unticking the confirmation blocks it again`() = runTest {
        protectedWallet().use { wallet ->
            val vm = settings(wallet)
            vm.startDeleteWallet()
            vm.acknowledgeDeletion(true)
            vm.acknowledgeDeletion(false)
            vm.deleteWallet(PIN)
            assertEquals(SettingsViewModel.State.DeleteWallet(), vm.state.value)
            assertNull(vm.state.value.let { it as SettingsViewModel.State.DeleteWallet }.error)
            assertTrue(File(path()).exists())
        }
    }

    @Test
    fun `delete a credential - only after the confirmation, and cancel keeps it`() = runTest {
        val w = World(dir).setUp()
        val vm = CredentialsViewModel(w.holder)
        vm.load()
        val id = assertIs<CredentialsViewModel.State.List>(vm.state.value).rows.single().id
        vm.open(id)
        // Not asked yet: confirming does nothing.
        vm.confirmDelete()
        assertFalse(assertIs<CredentialsViewModel.State.Detail>(vm.state.value).confirmingDelete)
        vm.askDelete()
        assertTrue(assertIs<CredentialsViewModel.State.Detail>(vm.state.value).confirmingDelete)
        vm.cancelDelete()
        vm.confirmDelete()
        assertFalse(assertIs<CredentialsViewModel.State.Detail>(vm.state.value).confirmingDelete)
        assertEquals(1, w.holder.listCredentials().size)
        vm.askDelete()
        vm.confirmDelete()
        assertEquals(emptyList(), assertIs<CredentialsViewModel.State.List>(vm.state.value).rows)
        assertEquals(0, w.holder.listCredentials().size)
        w.close()
    }
}
