package app.laissez.demo

import app.laissez.FrameOptions
import app.laissez.QrFrame
import app.laissez.Wallet
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow

/** One claim of the static presentation screen. */
data class StaticClaim(
    val path: String,
    /** Localized label when the issuer gave one, else the claim's name (as the detail screen). */
    val label: String,
    val valueJson: String,
    /** False for a claim the issuer made always visible: it goes with any presentation. */
    val selectable: Boolean,
    /** Shown if true. Selectable claims start off; the others are always on. */
    val selected: Boolean,
)

/**
 * Holder side of a check without a request: the verifier cannot show a request code, so the
 * person picks a credential and the claims to show, and the wallet draws a static presentation
 * (`Wallet.presentStatic`) bound to the current two-minute window. The verifier scans it and
 * refuses it when seen before or too old. It is not encrypted, so the screen must say to show
 * it only to the verifier. The disclosure goes into the history.
 *
 * Nothing is shown unless chosen: selectable claims start switched off, and presenting with none
 * on stays on the screen with [UiError.NothingConsented] instead of calling the wallet.
 */
class StaticPresentationViewModel(
    private val wallet: Wallet,
    private val lang: String = "en",
    private val frameOptions: FrameOptions? = null,
) {
    sealed class State {
        data object Loading : State()
        /** Pick a credential. [error]: why the last one could not be used (e.g. deleted meanwhile). */
        data class Choose(val credentials: List<CredentialRow>, val error: UiError? = null) : State()
        /** Switch the claims to show on or off. [error]: the last failed action. */
        data class Select(
            val credential: CredentialRow,
            val claims: List<StaticClaim>,
            val error: UiError? = null,
        ) : State() {
            /**
             * The paths to present: the chosen claims and the always-visible ones; empty when
             * no selectable claim is on (a credential without selectable claims shows its
             * always-visible ones).
             */
            val chosen: List<String>
                get() = if (claims.any { it.selectable } && claims.none { it.selectable && it.selected }) {
                    emptyList()
                } else {
                    claims.filter { it.selected }.map { it.path }
                }
        }
        data object Presenting : State()
        /**
         * Show [frames] to the verifier only (see [ResponseDisplayViewModel]); they hold
         * [selection]'s chosen claims. They go stale after a few minutes: [newCode].
         */
        data class Showing(val selection: Select, val frames: List<QrFrame>) : State()
        /** Nothing can be done here: the wallet is locked, or the list could not be read. */
        data class Failed(val error: UiError) : State()
    }

    private val _state = MutableStateFlow<State>(State.Loading)
    val state: StateFlow<State> = _state.asStateFlow()

    /** The credentials to choose from (the screen's start, and "back"). */
    suspend fun load(error: UiError? = null) {
        _state.value = when (val r = attempt { wallet.listCredentials() }) {
            is Outcome.Ok -> State.Choose(r.value.map { it.toRow(lang) }, error)
            is Outcome.Failed -> State.Failed(r.error)
        }
    }

    /** Opens credential [id]'s claims, all selectable ones off (also the start from the detail screen). */
    suspend fun choose(id: String) {
        _state.value = State.Loading
        when (val r = attempt { wallet.showCredential(id, lang) }) {
            is Outcome.Ok -> _state.value = State.Select(
                r.value.summary.toRow(lang),
                r.value.claims.map { StaticClaim(it.path, it.labelOrName(), it.valueJson, it.selectable, !it.selectable) },
            )
            is Outcome.Failed -> fail(r.error, null)
        }
    }

    /** Switches a selectable claim on or off; always-visible claims do not move. */
    fun toggle(path: String) {
        val select = _state.value as? State.Select ?: return
        _state.value = select.copy(
            error = null,
            claims = select.claims.map { if (it.path == path && it.selectable) it.copy(selected = !it.selected) else it },
        )
    }

    /** Draws the static presentation of the chosen claims. */
    suspend fun present() {
        val select = _state.value as? State.Select ?: return
        show(select)
    }

    /** A fresh code with the same claims, when the verifier says the shown one is too old. */
    suspend fun newCode() {
        val showing = _state.value as? State.Showing ?: return
        show(showing.selection)
    }

    /** From the codes back to the claims (to show something else). */
    fun edit() {
        val showing = _state.value as? State.Showing ?: return
        _state.value = showing.selection.copy(error = null)
    }

    /** Back to the list of credentials. */
    suspend fun back() {
        if (_state.value is State.Presenting) return
        load()
    }

    private suspend fun show(select: State.Select) {
        val chosen = select.chosen
        if (chosen.isEmpty()) {
            _state.value = select.copy(error = UiError.NothingConsented)
            return
        }
        _state.value = State.Presenting
        when (val r = attempt { wallet.presentStatic(select.credential.id, chosen, frameOptions) }) {
            is Outcome.Ok -> _state.value = State.Showing(select.copy(error = null), r.value)
            is Outcome.Failed -> fail(r.error, select)
        }
    }

    /** A locked wallet ends the screen; a vanished credential goes back to the list; else stay. */
    private suspend fun fail(error: UiError, select: State.Select?) {
        when {
            error == UiError.Locked -> _state.value = State.Failed(error)
            select != null && error != UiError.CredentialNotFound -> _state.value = select.copy(error = error)
            else -> load(error)
        }
    }
}
