package app.laissez.demo

import app.laissez.Wallet
import app.laissez.WalletOptions
import app.laissez.createWallet
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlin.random.Random

/**
 * First start on a phone: choose a PIN, see the 24 words once, prove they were written down.
 *
 * The core creates the wallet and its words in one call that needs the PIN, so the PIN is
 * chosen first (the words are then shown, confirmed, and dropped from memory).
 */
class OnboardingViewModel(
    private val walletPath: String,
    private val options: WalletOptions,
    /** How many words the person must type back. */
    private val wordsToConfirm: Int = 3,
    private val random: Random = Random.Default,
) {
    sealed class State {
        /** Enter the PIN twice. [error]: [UiError.InvalidPin], [UiError.PinMismatch], ... */
        data class ChoosePin(val error: UiError? = null) : State()
        data object Creating : State()
        /** The words, shown once. Leaving this state forgets them. */
        data class ShowWords(val words: List<String>) : State()
        /** Type the words at these 1-based [positions]. */
        data class ConfirmWords(val positions: List<Int>, val error: UiError? = null) : State()
        /** Done: the unlocked wallet. */
        data class Done(val wallet: Wallet) : State()
        /** Cannot go on (a wallet already exists, storage failure). */
        data class Failed(val error: UiError) : State()
    }

    private val _state = MutableStateFlow<State>(State.ChoosePin())
    val state: StateFlow<State> = _state.asStateFlow()

    private var wallet: Wallet? = null
    private var expected: Map<Int, String> = emptyMap()

    /** Creates the wallet with [pin] (typed twice). */
    suspend fun choosePin(pin: String, again: String) {
        if (_state.value !is State.ChoosePin) return
        if (pin != again) {
            _state.value = State.ChoosePin(UiError.PinMismatch)
            return
        }
        _state.value = State.Creating
        _state.value = when (val created = attempt { createWallet(walletPath, pin, options) }) {
            is Outcome.Ok -> {
                wallet = created.value.wallet
                val words = created.value.mnemonicWords
                expected = (1..words.size).shuffled(random).take(wordsToConfirm).sorted()
                    .associateWith { words[it - 1] }
                State.ShowWords(words)
            }
            is Outcome.Failed -> when (created.error) {
                UiError.InvalidPin -> State.ChoosePin(UiError.InvalidPin)
                else -> State.Failed(created.error)
            }
        }
    }

    /** The person has written the words down: ask for some of them back. */
    fun wordsWrittenDown() {
        if (_state.value !is State.ShowWords) return
        _state.value = State.ConfirmWords(expected.keys.toList())
    }

    /** Checks the typed words, keyed by 1-based position. Case and spaces are ignored. */
    fun confirm(typed: Map<Int, String>) {
        val current = _state.value as? State.ConfirmWords ?: return
        val wrong = expected.filter { (position, word) ->
            typed[position]?.trim()?.lowercase() != word
        }.keys.sorted()
        _state.value = if (wrong.isEmpty()) {
            expected = emptyMap()
            State.Done(checkNotNull(wallet))
        } else {
            current.copy(error = UiError.WordsDoNotMatch(wrong))
        }
    }
}
