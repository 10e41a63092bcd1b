package app.laissez.demo

import app.laissez.FrameOptions
import app.laissez.QrFrame
import app.laissez.ScanUpdate
import app.laissez.Wallet
import app.laissez.parseVerifierId
import java.util.Locale
import kotlinx.coroutines.delay
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
 *
 * The person can first scan the verifier's identifier from its poster or badge
 * ([scanVerifierId]) or type it ([typeVerifierId]): the code then passes at that verifier only.
 * Without one, any verifier accepts it within its window, and the screen says plainly that it
 * is not bound to a verifier ([State.Showing.unbound]).
 *
 * While the codes are up, [countDown] keeps [State.Showing.secondsLeft] to the moment the core
 * says verifiers stop accepting them (`StaticPresentation.acceptedUntil`); from then on the
 * codes are hidden ([State.Expired]) and the person can make a new one ([newCode]).
 *
 * [nowMillis]: the current time, on the wallet's clock (the one `acceptedUntil` is counted on).
 */
class StaticPresentationViewModel(
    private val wallet: Wallet,
    private val lang: String = "en",
    private val frameOptions: FrameOptions? = null,
    private val scan: ScanSession = ScanSession(),
    private val nowMillis: () -> Long = System::currentTimeMillis,
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
            /** The verifier's identifier (`XXXX-XXXX-XXXX-XXXX-XXXX`) to bind to, when known. */
            val verifierId: String? = null,
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
        /** The camera looks for the verifier's identifier; [scan] is what it last saw. */
        data class ScanningVerifierId(val selection: Select, val scan: ScanState = ScanState.Idle) : State()
        data object Presenting : State()
        /**
         * Show [frames] to the verifier only (see [ResponseDisplayViewModel]); they hold
         * [selection]'s chosen claims. Verifiers accept them until [acceptedUntil] (Unix
         * seconds), [secondsLeft] from now (kept by [countDown]); then [State.Expired].
         */
        data class Showing(
            val selection: Select,
            val frames: List<QrFrame>,
            val acceptedUntil: Long,
            val secondsLeft: Long,
        ) : State() {
            /** Not bound to a verifier: any verifier accepts it within its window. Say so. */
            val unbound: Boolean get() = selection.verifierId == null

            /** [secondsLeft] as minutes and seconds, `1:42`. */
            val timeLeft: String get() = String.format(Locale.ROOT, "%d:%02d", secondsLeft / 60, secondsLeft % 60)
        }
        /** The codes' window is over: verifiers refuse them, so they are no longer shown. [newCode]. */
        data class Expired(val selection: Select) : State()
        /** Nothing can be done here: the wallet is locked, or the list could not be read. */
        data class Failed(val error: UiError) : State()
    }

    private val _state = MutableStateFlow<State>(State.Loading)
    val state: StateFlow<State> = _state.asStateFlow()

    /** The verifier's identifier last scanned or typed: it stays for the next credential. */
    private var verifierId: String? = null

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
                verifierId = verifierId,
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

    /** Opens the camera to scan the verifier's identifier (its poster or badge). */
    fun scanVerifierId() {
        val select = _state.value as? State.Select ?: return
        scan.interrupt()
        _state.value = State.ScanningVerifierId(select.copy(error = null))
    }

    /** One camera frame while scanning the verifier's identifier. */
    suspend fun onFrame(frame: LumaFrame) {
        if (_state.value !is State.ScanningVerifierId) return
        var found: String? = null
        val seen = scan.push(frame) { update -> found = verifierIdIn(update); null }
        afterScan(found, seen)
    }

    /** A code decoded elsewhere (tests, a pasted code) while scanning the verifier's identifier. */
    suspend fun onText(text: String) {
        if (_state.value !is State.ScanningVerifierId) return
        var found: String? = null
        val seen = scan.pushText(text) { update -> found = verifierIdIn(update); null }
        afterScan(found, seen)
    }

    /** The identifier typed by the person (read out by the verifier, or printed under the code). */
    fun typeVerifierId(text: String) {
        val select = (_state.value as? State.ScanningVerifierId)?.selection ?: _state.value as? State.Select ?: return
        _state.value = when (val id = parseVerifierId(text)) {
            null -> select.copy(error = UiError.NotAVerifierId)
            else -> bindTo(select, id)
        }
    }

    /** Leaves the camera without an identifier. */
    fun cancelVerifierIdScan() {
        val scanning = _state.value as? State.ScanningVerifierId ?: return
        scan.interrupt()
        _state.value = scanning.selection
    }

    /** Forgets the verifier's identifier: the next code is not bound to a verifier. */
    fun forgetVerifierId() {
        val select = _state.value as? State.Select ?: return
        verifierId = null
        _state.value = select.copy(verifierId = null, error = null)
    }

    private fun verifierIdIn(update: ScanUpdate): String? =
        (update as? ScanUpdate.NotLaissez)?.texts?.firstNotNullOfOrNull { parseVerifierId(it) }

    private fun afterScan(found: String?, seen: ScanState) {
        val scanning = _state.value as? State.ScanningVerifierId ?: return
        _state.value = when {
            found != null -> bindTo(scanning.selection, found)
            // A Laissez code, or a foreign code that is no identifier: keep looking.
            seen is ScanState.Complete -> scanning.copy(scan = ScanState.Problem(UiError.NotAVerifierId)).also { scan.interrupt() }
            seen == ScanState.Problem(UiError.NotLaissez) -> scanning.copy(scan = ScanState.Problem(UiError.NotAVerifierId))
            else -> scanning.copy(scan = seen)
        }
    }

    private fun bindTo(select: State.Select, id: String): State.Select {
        verifierId = id
        return select.copy(verifierId = id, error = null)
    }

    /** Draws the static presentation of the chosen claims. */
    suspend fun present() {
        val select = _state.value as? State.Select ?: return
        show(select)
    }

    /** A fresh code with the same claims: after expiry, or when the verifier says it is too old. */
    suspend fun newCode() {
        show(shownSelection() ?: return)
    }

    /** From the codes (or the expired notice) back to the claims, to show something else. */
    fun edit() {
        _state.value = (shownSelection() ?: return).copy(error = null)
    }

    private fun shownSelection(): State.Select? = when (val s = _state.value) {
        is State.Showing -> s.selection
        is State.Expired -> s.selection
        else -> null
    }

    /**
     * Counts the shown codes down: updates [State.Showing.secondsLeft] each time it changes and
     * turns to [State.Expired] at `acceptedUntil`. The screen runs it while the codes are up
     * (and again for each new code); it returns when they are no longer shown.
     */
    suspend fun countDown() {
        while (true) {
            val showing = _state.value as? State.Showing ?: return
            val leftMillis = millisLeft(showing.acceptedUntil)
            if (leftMillis <= 0) {
                _state.value = State.Expired(showing.selection)
                return
            }
            val secondsLeft = secondsIn(leftMillis)
            if (secondsLeft != showing.secondsLeft) _state.value = showing.copy(secondsLeft = secondsLeft)
            // Until the shown number changes.
            delay(leftMillis - (secondsLeft - 1) * 1000)
        }
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
        when (val r = attempt { wallet.presentStatic(select.credential.id, chosen, frameOptions, select.verifierId) }) {
            is Outcome.Ok -> _state.value = State.Showing(
                select.copy(error = null),
                r.value.frames,
                r.value.acceptedUntil,
                secondsIn(millisLeft(r.value.acceptedUntil)),
            )
            is Outcome.Failed -> fail(r.error, select)
        }
    }

    private fun millisLeft(acceptedUntil: Long) = acceptedUntil * 1000 - nowMillis()

    /** Rounded up: "0:01" during the last second, never "0:00" while still accepted. */
    private fun secondsIn(millisLeft: Long) = maxOf(0, (millisLeft + 999) / 1000)

    /** A locked wallet ends the screen; a vanished credential goes back to the list; else stay. */
    private suspend fun fail(error: UiError, select: State.Select?) {
        when {
            error == UiError.Locked -> _state.value = State.Failed(error)
            select != null && error != UiError.CredentialNotFound -> _state.value = select.copy(error = error)
            else -> load(error)
        }
    }
}
