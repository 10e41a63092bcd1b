package app.laissez.demo

import app.laissez.CredentialFormat
import app.laissez.QrFrame
import app.laissez.QrMessageKind
import app.laissez.TestIssuer
import app.laissez.defaultFrameOptions
import app.laissez.qrFrames
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow

/**
 * Issuer mode (the demo's registration desk, on a [TestIssuer]): choose the type and batch size,
 * show the offer code, scan the holder's proof, show the batch as animated frames.
 */
class DeskViewModel(
    private val desk: TestIssuer,
    private val claimsJson: String,
    /** The person's photo (a small JPEG), signed into every copy when given. */
    private val portraitJpeg: ByteArray? = null,
    private val scan: ScanSession = ScanSession(),
) : AutoCloseable {
    sealed class State {
        data class Choosing(val error: UiError? = null) : State()
        /** The offer to show, while scanning the holder's proof. */
        data class ShowingOffer(val frames: List<QrFrame>, val scan: ScanState = ScanState.Idle) : State()
        /** The batch to show (animated) until the holder's phone has it. */
        data class ShowingBatch(val frames: List<QrFrame>) : State()
        data class Failed(val error: UiError) : State()
    }

    private val _state = MutableStateFlow<State>(State.Choosing())
    val state: StateFlow<State> = _state.asStateFlow()

    /** Makes an offer of [batchSize] copies of [credentialType], valid [validMinutes]. */
    suspend fun offer(format: CredentialFormat, credentialType: String, batchSize: Int, validMinutes: Int = 10) {
        _state.value = when (val r = attempt {
            qrFrames(desk.offer(format, credentialType, batchSize.toUInt(), validMinutes.toUInt()))
        }) {
            is Outcome.Ok -> State.ShowingOffer(r.value)
            is Outcome.Failed -> State.Choosing(r.error)
        }
    }

    /** Feeds the text of a scanned code. */
    suspend fun scanned(text: String) = onScan(scan.pushText(text))

    /** Feeds one camera frame. */
    suspend fun frame(frame: LumaFrame) = onScan(scan.push(frame))

    private suspend fun onScan(result: ScanState) {
        val current = _state.value as? State.ShowingOffer ?: return
        if (result !is ScanState.Complete) {
            _state.value = current.copy(scan = result)
            return
        }
        val proof = result.message
        if (proof.kind != QrMessageKind.ISSUANCE_PROOF) {
            _state.value = current.copy(scan = ScanState.Problem(UiError.UnexpectedCode(proof.kind.name.lowercase())))
            return
        }
        _state.value = when (val r = attempt {
            qrFrames(desk.deliver(proof, claimsJson, VALID_DAYS, portraitJpeg), defaultFrameOptions())
        }) {
            is Outcome.Ok -> State.ShowingBatch(r.value)
            is Outcome.Failed -> State.Failed(r.error)
        }
    }

    /** Call from a timer while showing the offer: an animated proof that stalled is dropped. */
    fun checkStalled() {
        val current = _state.value as? State.ShowingOffer ?: return
        scan.stalled()?.let { _state.value = current.copy(scan = it) }
    }

    /** Back to choosing (next person). */
    fun done() {
        scan.interrupt()
        _state.value = State.Choosing()
    }

    override fun close() = scan.close()

    private companion object {
        const val VALID_DAYS = 365u
    }
}
