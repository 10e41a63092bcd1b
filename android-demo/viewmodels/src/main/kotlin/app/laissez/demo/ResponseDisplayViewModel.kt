package app.laissez.demo

import app.laissez.QrFrame
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.isActive
import kotlinx.coroutines.launch

/**
 * Shows QR frames one after the other (an animated sequence) at [framesPerSecond]; a single
 * frame just stays. The screen draws [State.frame]'s module matrix at full brightness.
 */
class ResponseDisplayViewModel(
    private val frames: List<QrFrame>,
    private val scope: CoroutineScope,
    private val framesPerSecond: Int = 10,
) {
    init {
        require(frames.isNotEmpty()) { "no frame to show" }
        require(framesPerSecond in 1..60) { "frames per second out of range" }
    }

    /** Frame [index] (0-based) of [count]. */
    data class State(val index: Int, val count: Int, val frame: QrFrame, val running: Boolean)

    private val _state = MutableStateFlow(State(0, frames.size, frames[0], false))
    val state: StateFlow<State> = _state.asStateFlow()

    private var job: Job? = null

    /** Starts cycling (when the screen becomes visible). */
    fun start() {
        if (frames.size == 1 || job?.isActive == true) return
        _state.value = _state.value.copy(running = true)
        job = scope.launch {
            val period = 1000L / framesPerSecond
            var i = _state.value.index
            while (isActive) {
                delay(period)
                i = (i + 1) % frames.size
                _state.value = State(i, frames.size, frames[i], true)
            }
        }
    }

    /** Stops cycling (screen hidden): no wasted work, the last frame stays. */
    fun stop() {
        job?.cancel()
        job = null
        _state.value = _state.value.copy(running = false)
    }
}
