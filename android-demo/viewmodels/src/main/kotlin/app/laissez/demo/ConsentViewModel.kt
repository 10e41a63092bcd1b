package app.laissez.demo

import app.laissez.Consent
import app.laissez.FrameOptions
import app.laissez.QrFrame
import app.laissez.QrMessage
import app.laissez.QrMessageKind
import app.laissez.Wallet
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow

/** One claim of the consent screen. */
data class ConsentClaim(
    val path: String,
    /** Localized label when the issuer gave one, else the claim's name. */
    val label: String,
    val required: Boolean,
    /** Whether the chosen credential holds the claim at all. */
    val available: Boolean,
    /** Shared if true. Required claims are always on; unavailable ones always off. */
    val selected: Boolean,
    /** The holder's photo: the screen says "your photo will be shared" when it is selected. */
    val portrait: Boolean = false,
)

/** One requested credential and the wallet credential that would answer it. */
data class ConsentItem(
    val credentialType: String,
    val credentialId: String,
    /** Who issued the credential, as far as the wallet can vouch. */
    val issuer: IssuerLine,
    val claims: List<ConsentClaim>,
)

/**
 * Holder side of the engaged exchange: scan the verifier's request, show who asks for what,
 * let the person switch optional claims off, answer with QR frames.
 */
class ConsentViewModel(
    private val wallet: Wallet,
    private val scan: ScanSession = ScanSession(),
    private val lang: String = "en",
    private val frameOptions: FrameOptions? = null,
) {
    sealed class State {
        /** Camera open. [scan] is what it last saw (progress of an animated request, a problem). */
        data class Scanning(val scan: ScanState = ScanState.Idle) : State()
        data object Reading : State()
        /**
         * Who asks ([verifierName], [purpose]) for what ([items]). [unavailable] lists the
         * requested credential types no credential here can answer. [error] is the last failed
         * action (e.g. [UiError.NothingConsented]).
         */
        data class Review(
            val verifierName: String,
            val purpose: String,
            val expiresAt: Long,
            val items: List<ConsentItem>,
            val unavailable: List<String>,
            val error: UiError? = null,
        ) : State()
        data object Responding : State()
        /** Show these frames to the verifier (see [ResponseDisplayViewModel]). */
        data class Response(val frames: List<QrFrame>) : State()
        /** This request cannot be answered: not a request, expired, damaged, nothing matches. */
        data class Failed(val error: UiError) : State()
        /** The person declined. */
        data object Declined : State()
    }

    private val _state = MutableStateFlow<State>(State.Scanning())
    val state: StateFlow<State> = _state.asStateFlow()

    private var request: QrMessage? = null

    /** One camera frame while [State.Scanning]. */
    suspend fun onFrame(frame: LumaFrame) {
        if (_state.value !is State.Scanning) return
        handle(scan.push(frame))
    }

    /** A code decoded elsewhere (tests, a pasted request). */
    suspend fun onText(text: String) {
        if (_state.value !is State.Scanning) return
        handle(scan.pushText(text))
    }

    /** Called by a timer while scanning, to drop a stalled animated request. */
    fun checkStalled() {
        if (_state.value !is State.Scanning) return
        scan.stalled()?.let { _state.value = State.Scanning(it) }
    }

    private suspend fun handle(seen: ScanState) {
        if (seen !is ScanState.Complete) {
            _state.value = State.Scanning(seen)
            return
        }
        read(seen.message)
    }

    /** Reads a complete message: only a verifier request (signed or not) is accepted. */
    suspend fun read(message: QrMessage) {
        _state.value = State.Reading
        if (message.kind != QrMessageKind.VERIFIER_REQUEST &&
            message.kind != QrMessageKind.SIGNED_REQUEST
        ) {
            _state.value = State.Failed(UiError.NotARequest(message.kind.name.lowercase()))
            return
        }
        val view = when (val r = attempt { wallet.readRequest(message) }) {
            is Outcome.Ok -> r.value
            is Outcome.Failed -> {
                _state.value = State.Failed(r.error)
                return
            }
        }
        val items = mutableListOf<ConsentItem>()
        val unavailable = mutableListOf<String>()
        for (match in view.credentials) {
            val candidate = match.candidates.firstOrNull { it.satisfiesRequired }
            if (candidate == null) {
                unavailable += match.credentialType
                continue
            }
            val labels = candidate.credential.display?.claimLabels.orEmpty()
            items += ConsentItem(
                credentialType = match.credentialType,
                credentialId = candidate.credential.id,
                issuer = candidate.credential.issuerLine(lang),
                claims = candidate.claims.map { claim ->
                    ConsentClaim(
                        path = claim.path,
                        label = labels[claim.path]?.get(lang) ?: claim.path.substringAfterLast('/'),
                        required = claim.required,
                        available = claim.available,
                        selected = claim.available,
                        portrait = match.claims.any { it.path == claim.path && it.portrait },
                    )
                },
            )
        }
        if (items.isEmpty()) {
            _state.value = State.Failed(UiError.MissingClaims(unavailable))
            return
        }
        request = message
        _state.value = State.Review(view.verifierName, view.purpose, view.expiresAt, items, unavailable)
    }

    /** Switches an optional claim on or off; required and unavailable claims do not move. */
    fun toggle(credentialId: String, path: String) {
        val review = _state.value as? State.Review ?: return
        _state.value = review.copy(
            error = null,
            items = review.items.map { item ->
                if (item.credentialId != credentialId) item
                else item.copy(
                    claims = item.claims.map { c ->
                        if (c.path == path && !c.required && c.available) c.copy(selected = !c.selected) else c
                    },
                )
            },
        )
    }

    /** Answers with the selected claims. */
    suspend fun respond() {
        val review = _state.value as? State.Review ?: return
        val message = request ?: return
        val consents = review.items
            .map { item -> Consent(item.credentialId, item.claims.filter { it.selected }.map { it.path }) }
            .filter { it.claims.isNotEmpty() }
        if (consents.isEmpty()) {
            _state.value = review.copy(error = UiError.NothingConsented)
            return
        }
        _state.value = State.Responding
        _state.value = when (val r = attempt { wallet.respond(message, consents, frameOptions) }) {
            is Outcome.Ok -> State.Response(r.value)
            is Outcome.Failed -> when (r.error) {
                UiError.RequestExpired, UiError.Locked -> State.Failed(r.error)
                else -> review.copy(error = r.error)
            }
        }
    }

    fun decline() {
        if (_state.value is State.Review) _state.value = State.Declined
        request = null
    }

    /** Back to the camera for another request (after a failure, or when done). */
    fun scanAgain() {
        request = null
        _state.value = State.Scanning(scan.interrupt().let { if (it is ScanState.Problem) it else ScanState.Idle })
    }
}
