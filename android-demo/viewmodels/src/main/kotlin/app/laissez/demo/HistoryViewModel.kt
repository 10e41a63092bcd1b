package app.laissez.demo

import app.laissez.FieldVerifier
import app.laissez.Wallet
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow

/** One line of a history screen. */
data class HistoryRow(
    val at: Long,
    /** Holder: the credential shared. Verifier: the credential type checked. */
    val subject: String?,
    /**
     * Holder: the verifier's name as its request gave it, else its identifier (the audience;
     * for a static presentation, the verifier id it was bound to or "any verifier").
     * Verifier: the issuer.
     */
    val counterpart: String?,
    val claims: List<String>,
    /** Verifier only: the verdict (null on the holder's side). */
    val valid: Boolean?,
    val reasonCodes: List<String> = emptyList(),
)

/** What the holder shared and with whom, or what the verifier checked: newest first. */
class HistoryViewModel private constructor(private val source: suspend () -> List<HistoryRow>) {
    sealed class State {
        data object Loading : State()
        data class Loaded(val rows: List<HistoryRow>) : State()
        data class Failed(val error: UiError) : State()
    }

    private val _state = MutableStateFlow<State>(State.Loading)
    val state: StateFlow<State> = _state.asStateFlow()

    suspend fun load() {
        _state.value = when (val r = attempt { source() }) {
            is Outcome.Ok -> State.Loaded(r.value.sortedByDescending { it.at })
            is Outcome.Failed -> State.Failed(r.error)
        }
    }

    companion object {
        /** The holder's disclosure history. */
        fun holder(wallet: Wallet) = HistoryViewModel {
            wallet.disclosureHistory().map { HistoryRow(it.at, it.credentialId, it.verifierName ?: it.audience, it.claims, null) }
        }

        /** The field verifier's private log. */
        fun verifier(verifier: FieldVerifier) = HistoryViewModel {
            verifier.logEntries().map {
                HistoryRow(it.at, it.credentialType, it.issuerName, it.claims.map { c -> c.label ?: c.path }, it.valid, it.reasonCodes)
            }
        }
    }
}
