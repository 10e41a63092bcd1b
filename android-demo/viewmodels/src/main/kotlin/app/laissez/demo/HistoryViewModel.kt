package app.laissez.demo

import app.laissez.DisclosedVerifier
import app.laissez.FieldVerifier
import app.laissez.UnverifiedReason
import app.laissez.Wallet
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow

/** Who a disclosure went to, as the holder's wallet established it when the person consented. */
sealed class HistoryVerifier {
    /** Certified by [registrar] (a registrar on the wallet's trust list). */
    data class Verified(
        val organisation: String,
        val country: String,
        val registrar: String,
        val certificateReference: String,
    ) : HistoryVerifier()

    /**
     * Not verified: [claimedName] is only what its request said (shown marked "not checked");
     * [reason] is null for a reason this app does not know yet.
     */
    data class Unverified(val claimedName: String, val reason: UnverifiedReason?) : HistoryVerifier()

    companion object {
        /** The history's record, with its snake_case reason read back into [UnverifiedReason]. */
        fun of(disclosed: DisclosedVerifier): HistoryVerifier = when (disclosed) {
            is DisclosedVerifier.Verified ->
                Verified(disclosed.organisation, disclosed.country, disclosed.registrar, disclosed.certificateReference)
            is DisclosedVerifier.Unverified -> Unverified(
                disclosed.claimedName,
                UnverifiedReason.entries.firstOrNull { it.name.lowercase() == disclosed.reason },
            )
        }
    }
}

/** One line of a history screen. */
data class HistoryRow(
    val at: Long,
    /** Holder: the credential shared. Verifier: the credential type checked. */
    val subject: String?,
    /**
     * Holder: for a disclosure with no established [verifier] (a static presentation, an old
     * record), its identifier (the audience: the verifier id it was bound to) or the name an old
     * request gave. Null when [verifier] says who it was. Verifier: the issuer.
     */
    val counterpart: String?,
    val claims: List<String>,
    /** Verifier only: the verdict (null on the holder's side). */
    val valid: Boolean?,
    val reasonCodes: List<String> = emptyList(),
    /** Holder only: who the verifier was established to be (verified or not); null when unknown. */
    val verifier: HistoryVerifier? = null,
    /**
     * Verifier only: the reference of the registration certificate the answered request was
     * signed with; null for static presentations and answers to unsigned requests.
     */
    val certificateReference: String? = null,
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
            wallet.disclosureHistory().map {
                val verifier = it.verifier?.let(HistoryVerifier::of)
                HistoryRow(
                    at = it.at,
                    subject = it.credentialId,
                    counterpart = if (verifier == null) it.audience ?: it.claimedVerifierName else null,
                    claims = it.claims,
                    valid = null,
                    verifier = verifier,
                )
            }
        }

        /** The field verifier's private log. */
        fun verifier(verifier: FieldVerifier) = HistoryViewModel {
            verifier.logEntries().map {
                HistoryRow(
                    at = it.at,
                    subject = it.credentialType,
                    counterpart = it.issuerName,
                    claims = it.claims.map { c -> c.label ?: c.path },
                    valid = it.valid,
                    reasonCodes = it.reasonCodes,
                    certificateReference = it.certificateReference,
                )
            }
        }
    }
}
