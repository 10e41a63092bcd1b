package app.laissez.demo

import app.laissez.Wallet
import app.laissez.deleteWallet as deleteWalletFiles
import app.laissez.validateNewPin
import kotlin.coroutines.cancellation.CancellationException
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow

/**
 * The holder's settings: change the PIN, turn the hardware key on or off, delete the wallet.
 *
 * Every action asks for the current PIN, and a wrong one counts like on the lock screen: the
 * form shows the attempts left, then the core's wait ([PinForm.waitUntilSecs]).
 *
 * Deleting is for good. What the 24 words can do, as the core does it: they reset a forgotten
 * PIN of this wallet file, and another phone needs them to open a backup of it. They hold no
 * credential: once the file is deleted they bring nothing back, so the warning
 * ([State.DeleteWallet]) offers the backup to another phone first.
 */
class SettingsViewModel(
    private val wallet: Wallet,
    /** The wallet's file, deleted with `deleteWallet` after [wallet] is closed. */
    private val walletPath: String,
    /** Seconds since the epoch; the wait countdown uses it. */
    private val nowSecs: () -> Long = { System.currentTimeMillis() / 1000 },
) {
    /** A form that asks for the current PIN. */
    sealed interface PinForm {
        /** The last failure: [UiError.WrongPin] with attempts left, [UiError.InvalidPin], ... */
        val error: UiError?
        /** While in the future (epoch seconds), too many wrong PINs: the form cannot be sent. */
        val waitUntilSecs: Long
        fun secondsLeft(now: Long): Long = (waitUntilSecs - now).coerceAtLeast(0)
    }

    /** What the overview says after an action went through. */
    enum class Notice { PIN_CHANGED, PROTECTION_ON, PROTECTION_OFF }

    sealed class State {
        /** The list of settings; [platformProtected] from the wallet's status. */
        data class Overview(
            val platformProtected: Boolean,
            val notice: Notice? = null,
            val error: UiError? = null,
        ) : State()

        /** Current PIN, new PIN twice. */
        data class ChangePin(
            override val error: UiError? = null,
            override val waitUntilSecs: Long = 0,
        ) : State(), PinForm

        /** Turn the hardware key [enable]d or off, with the PIN. */
        data class Protection(
            val enable: Boolean,
            override val error: UiError? = null,
            override val waitUntilSecs: Long = 0,
        ) : State(), PinForm

        /**
         * The warning, then the PIN. [acknowledged]: the person confirmed they understand the
         * credentials on this phone will be gone for good; deleting needs it and the PIN.
         */
        data class DeleteWallet(
            val acknowledged: Boolean = false,
            override val error: UiError? = null,
            override val waitUntilSecs: Long = 0,
        ) : State(), PinForm

        /** The core is checking the PIN (Argon2id, maybe the hardware key). */
        data object Working : State()

        /** The wallet is closed and its files deleted: the app goes back to onboarding. */
        data object Deleted : State()

        /**
         * The wallet was closed but a file could not be removed ([error]): the app starts over
         * from what is left on disk.
         */
        data class DeleteFailed(val error: UiError) : State()
    }

    private val _state = MutableStateFlow<State>(overview())
    val state: StateFlow<State> = _state.asStateFlow()

    private fun overview(notice: Notice? = null, error: UiError? = null): State = try {
        State.Overview(wallet.status().platformProtected, notice, error)
    } catch (e: CancellationException) {
        throw e
    } catch (e: Exception) {
        State.Overview(platformProtected = false, notice = null, error = error ?: e.toUiError())
    }

    /** A running wait of the core (a lockout from the lock screen or an earlier form). */
    private fun waitingUntil(): Long {
        val retry = runCatching { wallet.status().retryAfterSecs.toLong() }.getOrDefault(0)
        return if (retry > 0) nowSecs() + retry else 0
    }

    fun startChangePin() {
        if (_state.value is State.Overview) _state.value = State.ChangePin(waitUntilSecs = waitingUntil())
    }

    fun startProtection(enable: Boolean) {
        if (_state.value is State.Overview) _state.value = State.Protection(enable, waitUntilSecs = waitingUntil())
    }

    fun startDeleteWallet() {
        if (_state.value is State.Overview) _state.value = State.DeleteWallet(waitUntilSecs = waitingUntil())
    }

    /** The explicit confirmation of the warning (a checkbox): deleting needs it on. */
    fun acknowledgeDeletion(acknowledged: Boolean) {
        val current = _state.value as? State.DeleteWallet ?: return
        _state.value = current.copy(acknowledged = acknowledged)
    }

    /** Back to the overview from a form (nothing changed). */
    fun cancel() {
        if (_state.value is PinForm) _state.value = overview()
    }

    /** Called by the countdown: once the wait is over the form can be sent again. */
    fun tick() {
        val form = _state.value as? PinForm ?: return
        if (form.waitUntilSecs == 0L || form.secondsLeft(nowSecs()) > 0) return
        _state.value = form.withPinResult(error = null, waitUntilSecs = 0)
    }

    /**
     * Replaces the PIN. The two new entries must match and follow the PIN rules; both are
     * checked before the current PIN is, so a typing slip costs no attempt.
     */
    suspend fun changePin(current: String, newPin: String, again: String) {
        val form = sendable<State.ChangePin>() ?: return
        if (newPin != again) {
            _state.value = form.copy(error = UiError.PinMismatch)
            return
        }
        if (attempt { validateNewPin(newPin) } is Outcome.Failed) {
            _state.value = form.copy(error = UiError.InvalidPin)
            return
        }
        _state.value = State.Working
        _state.value = when (val r = attempt { wallet.changePin(current, newPin) }) {
            is Outcome.Ok -> overview(Notice.PIN_CHANGED)
            is Outcome.Failed -> form.afterFailure(r.error)
        }
    }

    /**
     * Binds the PIN to this phone's hardware key, or removes the binding. A phone whose key
     * cannot be used gives [UiError.NoHardwareKey] and changes nothing.
     */
    suspend fun setProtection(pin: String) {
        val form = sendable<State.Protection>() ?: return
        _state.value = State.Working
        val result = try {
            Outcome.Ok(wallet.setPlatformProtection(pin, form.enable))
        } catch (e: CancellationException) {
            throw e
        } catch (e: Exception) {
            Outcome.Failed(e.toProtectionError())
        }
        _state.value = when (result) {
            is Outcome.Ok -> overview(if (form.enable) Notice.PROTECTION_ON else Notice.PROTECTION_OFF)
            is Outcome.Failed -> form.afterFailure(result.error)
        }
    }

    /**
     * Deletes the wallet for good, after the warning was confirmed and [pin] checked. The PIN
     * is checked by unlocking again (the wallet is open: nothing else changes), through the
     * same attempt counter as everywhere. Then the wallet is closed and its files removed.
     */
    suspend fun deleteWallet(pin: String) {
        val form = sendable<State.DeleteWallet>() ?: return
        if (!form.acknowledged) return
        _state.value = State.Working
        when (val checked = attempt { wallet.unlock(pin) }) {
            is Outcome.Failed -> {
                _state.value = form.afterFailure(checked.error)
                return
            }
            is Outcome.Ok -> Unit
        }
        wallet.close()
        _state.value = when (val r = attempt { deleteWalletFiles(walletPath) }) {
            is Outcome.Ok -> State.Deleted
            is Outcome.Failed -> State.DeleteFailed(r.error)
        }
    }

    /** The current form of type [F] when it can be sent (no wait running). */
    private inline fun <reified F : PinForm> sendable(): F? {
        val form = _state.value as? F ?: return null
        return if (form.secondsLeft(nowSecs()) > 0) null else form
    }

    /** The form again after [error]: a lockout, or a last wrong PIN, starts the wait. */
    private fun PinForm.afterFailure(error: UiError): State {
        val wait = when (error) {
            is UiError.PinLockedOut -> error.retryAfterSecs
            is UiError.WrongPin -> if (error.attemptsLeft == 0) error.retryAfterSecs else 0
            else -> 0
        }
        return withPinResult(error, if (wait > 0) nowSecs() + wait else 0)
    }

    private fun PinForm.withPinResult(error: UiError?, waitUntilSecs: Long): State = when (this) {
        is State.ChangePin -> copy(error = error, waitUntilSecs = waitUntilSecs)
        is State.Protection -> copy(error = error, waitUntilSecs = waitUntilSecs)
        is State.DeleteWallet -> copy(error = error, waitUntilSecs = waitUntilSecs)
    }
}
