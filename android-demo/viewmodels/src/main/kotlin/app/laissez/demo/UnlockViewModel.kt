package app.laissez.demo

import app.laissez.Wallet
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow

/**
 * The lock screen: PIN entry with attempts left and the core's growing wait, and "forgot PIN"
 * with the 24 words.
 */
class UnlockViewModel(
    private val wallet: Wallet,
    /** Seconds since the epoch; the wait countdown uses it. */
    private val nowSecs: () -> Long = { System.currentTimeMillis() / 1000 },
) {
    sealed class State {
        /** Enter the PIN. [error] is the last failure ([UiError.WrongPin] with attempts left). */
        data class EnterPin(val error: UiError? = null) : State()
        data object Checking : State()
        /** Too many wrong PINs: the keypad is disabled until [untilSecs] (epoch seconds). */
        data class Waiting(val untilSecs: Long) : State() {
            fun secondsLeft(now: Long): Long = (untilSecs - now).coerceAtLeast(0)
        }
        /** Forgot the PIN: type the 24 words and a new PIN. */
        data class Recover(val error: UiError? = null) : State()
        data object Unlocked : State()
    }

    private val _state = MutableStateFlow<State>(
        if (wallet.isLocked()) initial() else State.Unlocked,
    )
    val state: StateFlow<State> = _state.asStateFlow()

    private fun initial(): State {
        val status = runCatching { wallet.status() }.getOrNull()
        val retry = status?.retryAfterSecs?.toLong() ?: 0
        return if (retry > 0) State.Waiting(nowSecs() + retry) else State.EnterPin()
    }

    suspend fun unlock(pin: String) {
        when (val current = _state.value) {
            is State.Waiting -> if (current.secondsLeft(nowSecs()) > 0) return
            is State.EnterPin -> Unit
            else -> return
        }
        _state.value = State.Checking
        _state.value = when (val result = attempt { wallet.unlock(pin) }) {
            is Outcome.Ok -> State.Unlocked
            is Outcome.Failed -> when (val e = result.error) {
                is UiError.PinLockedOut -> State.Waiting(nowSecs() + e.retryAfterSecs)
                is UiError.WrongPin ->
                    if (e.attemptsLeft == 0 && e.retryAfterSecs > 0) State.Waiting(nowSecs() + e.retryAfterSecs)
                    else State.EnterPin(e)
                else -> State.EnterPin(e)
            }
        }
    }

    /** Called by the countdown when the wait is over. */
    fun tick() {
        val current = _state.value
        if (current is State.Waiting && current.secondsLeft(nowSecs()) == 0L) _state.value = State.EnterPin()
    }

    fun forgotPin() {
        if (_state.value is State.EnterPin || _state.value is State.Waiting) _state.value = State.Recover()
    }

    fun cancelRecovery() {
        if (_state.value is State.Recover) _state.value = initial()
    }

    /** Resets the PIN with the 24 words (space separated, any case). */
    suspend fun recover(words: String, newPin: String, again: String) {
        if (_state.value !is State.Recover) return
        if (newPin != again) {
            _state.value = State.Recover(UiError.PinMismatch)
            return
        }
        val phrase = words.trim().lowercase().split(Regex("\\s+")).joinToString(" ")
        _state.value = State.Checking
        _state.value = when (val result = attempt { wallet.recover(phrase, newPin) }) {
            is Outcome.Ok -> State.Unlocked
            is Outcome.Failed -> State.Recover(result.error)
        }
    }
}
