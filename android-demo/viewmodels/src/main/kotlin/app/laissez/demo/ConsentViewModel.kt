package app.laissez.demo

import app.laissez.Consent
import app.laissez.FrameOptions
import app.laissez.QrFrame
import app.laissez.QrMessage
import app.laissez.QrMessageKind
import app.laissez.ScanUpdate
import app.laissez.UnverifiedAcknowledgement
import app.laissez.VerifierIdentity
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
    /**
     * Shared if true. Unavailable claims are always off; required claims within the scope are
     * always on; a claim [beyondScope] starts off, required or not.
     */
    val selected: Boolean,
    /** The holder's photo: the screen says "your photo will be shared" when it is selected. */
    val portrait: Boolean = false,
    /**
     * A verified verifier asks for it beyond its registered scope: the screen marks it "not in
     * this verifier's registration", it starts off and is sent only when the person turns it
     * on by hand. Never set for an unverified verifier, whose one warning covers every claim.
     */
    val beyondScope: Boolean = false,
) {
    /** Whether the person may switch it: available, and optional or beyond the scope. */
    val switchable: Boolean get() = available && (!required || beyondScope)
}

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
 *
 * Who asks is only what the wallet established ([VerifierIdentity]): a verified verifier's
 * organisation, country, purposes and registrar from its certificate; for an unverified one a
 * warning with the reason and its own name and purpose marked as not checked. Sharing with an
 * unverified verifier takes an extra step ([State.ConfirmUnverified], then [shareAnyway]); only
 * that step makes the acknowledgement the wallet needs to answer.
 */
class ConsentViewModel(
    private val wallet: Wallet,
    private val scan: ScanSession = ScanSession(),
    private val lang: String = "en",
    private val frameOptions: FrameOptions? = null,
    /**
     * Called with the text of an identity card's code (a foreign code for which
     * `isIdentityCardCode` holds) seen by this camera, e.g. to keep the card
     * ([IdentityCardsViewModel.importCode]). Null: such a code is [UiError.NotLaissez] here.
     */
    private val onIdentityCard: (suspend (String) -> Unit)? = null,
) {
    sealed class State {
        /** Camera open. [scan] is what it last saw (progress of an animated request, a problem). */
        data class Scanning(val scan: ScanState = ScanState.Idle) : State()
        data object Reading : State()
        /**
         * Who asks ([verifier]: verified, or unverified with the reason and its unchecked name
         * and purpose) for what ([items]). [unavailable] lists the requested credential types
         * no credential here can answer. [error] is the last failed action (e.g.
         * [UiError.NothingConsented]).
         */
        data class Review(
            val verifier: VerifierIdentity,
            val expiresAt: Long,
            val items: List<ConsentItem>,
            val unavailable: List<String>,
            val error: UiError? = null,
        ) : State() {
            /** Whether a registrar on the wallet's trust list vouches for the verifier. */
            val verified: Boolean get() = verifier is VerifierIdentity.Verified
        }
        /**
         * The extra step before sharing with an unverified verifier: the screen repeats the
         * warning ([Review.verifier]'s reason) and asks "share anyway?" ([shareAnyway]) or goes
         * back ([cancelShareAnyway]).
         */
        data class ConfirmUnverified(val review: Review) : State()
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
    /** The request's id, for the acknowledgement made only by [shareAnyway]. */
    private var requestId: String? = null

    /** One camera frame while [State.Scanning]. */
    suspend fun onFrame(frame: LumaFrame) {
        if (_state.value !is State.Scanning) return
        var card: String? = null
        val seen = scan.push(frame) { update -> cardCode(update)?.let { card = it; ScanState.Idle } }
        val code = card
        if (code != null) onIdentityCard?.invoke(code) else handle(seen)
    }

    /** A code decoded elsewhere (tests, a pasted request). */
    suspend fun onText(text: String) {
        if (_state.value !is State.Scanning) return
        var card: String? = null
        val seen = scan.pushText(text) { update -> cardCode(update)?.let { card = it; ScanState.Idle } }
        val code = card
        if (code != null) onIdentityCard?.invoke(code) else handle(seen)
    }

    /** An identity card's code among a foreign code's texts, when someone takes them. */
    private fun cardCode(update: ScanUpdate): String? = if (onIdentityCard == null) null else identityCardCodeIn(update)

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
        val verified = view.identity is VerifierIdentity.Verified
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
                    // withinScope means something only for a verified verifier.
                    val beyondScope = verified && !claim.withinScope
                    ConsentClaim(
                        path = claim.path,
                        label = labels[claim.path]?.get(lang) ?: claim.path.substringAfterLast('/'),
                        required = claim.required,
                        available = claim.available,
                        selected = claim.available && !beyondScope,
                        portrait = match.claims.any { it.path == claim.path && it.portrait },
                        beyondScope = beyondScope,
                    )
                },
            )
        }
        if (items.isEmpty()) {
            _state.value = State.Failed(UiError.MissingClaims(unavailable))
            return
        }
        request = message
        requestId = view.requestId
        _state.value = State.Review(view.identity, view.expiresAt, items, unavailable)
    }

    /**
     * Switches an optional claim, or one beyond the verifier's registered scope, on or off;
     * required claims within the scope and unavailable claims do not move.
     */
    fun toggle(credentialId: String, path: String) {
        val review = _state.value as? State.Review ?: return
        _state.value = review.copy(
            error = null,
            items = review.items.map { item ->
                if (item.credentialId != credentialId) item
                else item.copy(
                    claims = item.claims.map { c ->
                        if (c.path == path && c.switchable) c.copy(selected = !c.selected) else c
                    },
                )
            },
        )
    }

    /**
     * Answers with the selected claims. For an unverified verifier nothing is sent yet: the
     * screen goes to [State.ConfirmUnverified], the extra step.
     */
    suspend fun respond() {
        val review = _state.value as? State.Review ?: return
        if (consents(review).isEmpty()) {
            _state.value = review.copy(error = UiError.NothingConsented)
            return
        }
        if (review.verified) {
            send(review, acknowledgement = null)
        } else {
            _state.value = State.ConfirmUnverified(review.copy(error = null))
        }
    }

    /**
     * The person saw the warning that the verifier is unverified and confirmed "share anyway":
     * only here is the acknowledgement made, for this very request.
     */
    suspend fun shareAnyway() {
        val confirm = _state.value as? State.ConfirmUnverified ?: return
        val id = requestId ?: return
        send(confirm.review, UnverifiedAcknowledgement(id))
    }

    /** Back from the extra step to the claims, nothing sent. */
    fun cancelShareAnyway() {
        val confirm = _state.value as? State.ConfirmUnverified ?: return
        _state.value = confirm.review
    }

    private fun consents(review: State.Review): List<Consent> = review.items
        .map { item ->
            val selected = item.claims.filter { it.selected }
            Consent(
                credentialId = item.credentialId,
                claims = selected.map { it.path },
                // Each one turned on by the person's own toggle (they start off).
                allowedBeyondScope = selected.filter { it.beyondScope }.map { it.path },
            )
        }
        .filter { it.claims.isNotEmpty() }

    private suspend fun send(review: State.Review, acknowledgement: UnverifiedAcknowledgement?) {
        val message = request ?: return
        _state.value = State.Responding
        _state.value = when (val r = attempt { wallet.respond(message, consents(review), acknowledgement, frameOptions) }) {
            is Outcome.Ok -> State.Response(r.value)
            is Outcome.Failed -> when (r.error) {
                UiError.RequestExpired, UiError.Locked -> State.Failed(r.error)
                else -> review.copy(error = r.error)
            }
        }
    }

    /** The person declined (from the claims or from the extra step): nothing is sent. */
    fun decline() {
        val s = _state.value
        if (s is State.Review || s is State.ConfirmUnverified) _state.value = State.Declined
        request = null
        requestId = null
    }

    /** Back to the camera for another request (after a failure, or when done). */
    fun scanAgain() {
        request = null
        requestId = null
        _state.value = State.Scanning(scan.interrupt().let { if (it is ScanState.Problem) it else ScanState.Idle })
    }
}
