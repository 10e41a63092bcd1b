package app.laissez.demo

import app.laissez.OfferTrust
import app.laissez.OfferView
import app.laissez.QrFrame
import app.laissez.QrMessage
import app.laissez.QrMessageKind
import app.laissez.Wallet
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow

/**
 * Holder side of offline issuance at a registration desk: scan the desk's offer, review it
 * (a trusted issuer's name, or a plain "unknown issuer" warning that needs an extra
 * confirmation), show the proof code, scan the batch (with progress), imported or a typed failure.
 */
class IssuanceViewModel(
    private val wallet: Wallet,
    private val scan: ScanSession = ScanSession(),
) : AutoCloseable {
    sealed class State {
        /**
         * Scanning the desk's offer. [trustedIssuers]: how many issuers the list just imported
         * by [trustIssuers] names (null: none imported on this screen).
         */
        data class ScanningOffer(val scan: ScanState = ScanState.Idle, val trustedIssuers: Int? = null) : State()
        /**
         * What is offered. [issuerName] is set only for a trusted issuer; otherwise the screen
         * shows "unknown issuer" (or "not allowed to issue this") and never the claimed name as
         * if it were vouched for; [needsExtraConfirmation] asks for a second tap.
         */
        data class Review(
            val issuerName: String?,
            val trust: OfferTrust,
            val credentialType: String,
            val batchSize: Int,
            val expiresAt: Long,
            val needsExtraConfirmation: Boolean,
            val confirmedUnknown: Boolean = false,
        ) : State()
        /** The proof to show the desk, while scanning the batch the desk then shows. */
        data class ShowingProof(val frames: List<QrFrame>, val scan: ScanState = ScanState.Idle) : State()
        /** Imported: [copies] one-time copies of [credentialType]. */
        data class Imported(val credentialId: String, val credentialType: String, val copies: Int) : State()
        data class Failed(val error: UiError) : State()
    }

    private val _state = MutableStateFlow<State>(State.ScanningOffer())
    val state: StateFlow<State> = _state.asStateFlow()
    private var offer: QrMessage? = null

    /** Feeds the text of a scanned code (camera frames go through [ScanSession.push] the same way). */
    suspend fun scanned(text: String) = onScan(scan.pushText(text))

    /** Feeds one camera frame. */
    suspend fun frame(frame: LumaFrame) = onScan(scan.push(frame))

    private suspend fun onScan(result: ScanState) {
        when (val current = _state.value) {
            is State.ScanningOffer -> when (result) {
                is ScanState.Complete -> review(result.message)
                else -> _state.value = current.copy(scan = result)
            }
            is State.ShowingProof -> when (result) {
                is ScanState.Complete -> receive(result.message)
                else -> _state.value = current.copy(scan = result)
            }
            else -> Unit
        }
    }

    private suspend fun review(message: QrMessage) {
        if (message.kind != QrMessageKind.ISSUANCE_OFFER) {
            _state.value = State.Failed(UiError.UnexpectedCode(message.kind.name.lowercase()))
            return
        }
        _state.value = when (val r = attempt { wallet.readOffer(message) }) {
            is Outcome.Ok -> {
                offer = message
                r.value.toReview()
            }
            is Outcome.Failed -> State.Failed(r.error)
        }
    }

    /**
     * Call from a timer while scanning: an animated offer or batch that made no progress for a
     * while is dropped ([UiError.TransferInterrupted]) so it can be scanned again from the start.
     */
    fun checkStalled() {
        val problem = scan.stalled() ?: return
        when (val current = _state.value) {
            is State.ScanningOffer -> _state.value = current.copy(scan = problem)
            is State.ShowingProof -> _state.value = current.copy(scan = problem)
            else -> Unit
        }
    }

    /**
     * Imports the holder's issuer trust list ([signedText], from its signer; [signerJwk] pins the
     * signer at the first import), so trusted desks show their names. Only while scanning an
     * offer; a refused list is shown as the scan line's problem.
     */
    suspend fun trustIssuers(signedText: String, signerJwk: String?) {
        if (_state.value !is State.ScanningOffer) return
        _state.value = when (val r = attempt { wallet.importIssuerTrustList(signedText, signerJwk) }) {
            is Outcome.Ok -> State.ScanningOffer(trustedIssuers = r.value.list.issuers.size)
            is Outcome.Failed -> State.ScanningOffer(ScanState.Problem(r.error))
        }
    }

    /** The extra tap an unknown (or not allowed) issuer needs before [accept]. */
    fun confirmUnknownIssuer() {
        val current = _state.value
        if (current is State.Review) _state.value = current.copy(confirmedUnknown = true)
    }

    /** The person agreed: make the proof and show it. Refused while an unknown issuer is unconfirmed. */
    suspend fun accept() {
        val current = _state.value as? State.Review ?: return
        if (current.needsExtraConfirmation && !current.confirmedUnknown) return
        val message = offer ?: return
        _state.value = when (val r = attempt { wallet.acceptOffer(message) }) {
            is Outcome.Ok -> State.ShowingProof(r.value)
            is Outcome.Failed -> State.Failed(r.error)
        }
    }

    private suspend fun receive(message: QrMessage) {
        if (message.kind != QrMessageKind.ISSUED_BATCH) {
            _state.value = State.Failed(UiError.UnexpectedCode(message.kind.name.lowercase()))
            return
        }
        _state.value = when (val r = attempt { wallet.receiveIssuance(message) }) {
            is Outcome.Ok -> State.Imported(r.value.id, r.value.credentialType, r.value.copiesTotal.toInt())
            is Outcome.Failed -> State.Failed(r.error)
        }
    }

    /** Back to scanning an offer. */
    fun restart() {
        offer = null
        scan.interrupt()
        _state.value = State.ScanningOffer()
    }

    override fun close() = scan.close()
}

private fun OfferView.toReview(): IssuanceViewModel.State.Review {
    val trusted = trust as? OfferTrust.Trusted
    return IssuanceViewModel.State.Review(
        issuerName = trusted?.name,
        trust = trust,
        credentialType = credentialType,
        batchSize = batchSize.toInt(),
        expiresAt = expiresAt,
        needsExtraConfirmation = trusted == null,
    )
}
