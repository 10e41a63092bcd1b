package app.laissez.demo

import app.laissez.QrMessage
import app.laissez.QrScanner
import app.laissez.ScanUpdate
import java.util.concurrent.atomic.AtomicLong
import kotlin.coroutines.cancellation.CancellationException

/** What the camera has seen so far, as a screen shows it. */
sealed class ScanState {
    /** Waiting for the first frame. */
    data object Idle : ScanState()
    /** The last frame held no QR code (normal while aiming). */
    data object NoCode : ScanState()
    /** Part of an animated sequence: [useful] of about [needed] frames. */
    data class Progress(val useful: Int, val needed: Int) : ScanState() {
        /** 0..1, for a progress bar. */
        val fraction: Float get() = if (needed == 0) 0f else (useful.toFloat() / needed).coerceIn(0f, 1f)
    }
    /** A whole message. */
    data class Complete(val message: QrMessage) : ScanState()
    /** A code that cannot be used: not Laissez, damaged, interrupted transfer, bad frame. */
    data class Problem(val error: UiError) : ScanState()
}

/**
 * One scanner for one screen: camera luma (or decoded text) in, [ScanState] out, never an
 * exception. An animated transfer that makes no progress for [stallTimeoutMillis] is dropped
 * and reported as [UiError.TransferInterrupted], so a half-read sequence cannot linger.
 *
 * Frames come from the camera's analyzer thread while a UI timer calls [stalled]: the progress
 * time is atomic, and the native scanner is locked inside.
 */
class ScanSession(
    private val stallTimeoutMillis: Long = 5_000,
    private val clockMillis: () -> Long = System::currentTimeMillis,
) : AutoCloseable {
    private val scanner = QrScanner()
    /** When the current transfer last made progress (ms), or [NONE]. */
    private val lastProgressAt = AtomicLong(NONE)

    /**
     * A screen's own reading of what the core saw, before the usual [ScanState]: the texts of
     * foreign codes (a verifier's identifier) or of a rejected code (an altered answer to log).
     * Returns the state to show instead, or null for the usual one.
     */
    fun interface Reaction {
        suspend fun react(update: ScanUpdate): ScanState?
    }

    /** Feeds one camera frame; [reaction] sees the core's update first. */
    suspend fun push(frame: LumaFrame, reaction: Reaction? = null): ScanState {
        stalled()?.let { return it }
        val update = try {
            scanner.pushLuma(frame.width.toUInt(), frame.height.toUInt(), frame.rowStride.toUInt(), frame.bytes)
        } catch (e: CancellationException) {
            throw e
        } catch (e: Exception) {
            return ScanState.Problem(e.toUiError())
        }
        return reaction?.react(update) ?: map(update)
    }

    /** Feeds the text of a QR code decoded elsewhere (tests, a pasted code). */
    fun pushText(text: String): ScanState {
        stalled()?.let { return it }
        val update = try {
            scanner.pushText(text)
        } catch (e: Exception) {
            return ScanState.Problem(e.toUiError())
        }
        return map(update)
    }

    /** [pushText] with a screen's [reaction] to the core's update. */
    suspend fun pushText(text: String, reaction: Reaction): ScanState {
        stalled()?.let { return it }
        val update = try {
            scanner.pushText(text)
        } catch (e: Exception) {
            return ScanState.Problem(e.toUiError())
        }
        return reaction.react(update) ?: map(update)
    }

    /**
     * Call from a timer while scanning: if an animated transfer has stalled, drops it and
     * returns the problem; otherwise null.
     */
    fun stalled(): ScanState? {
        val since = lastProgressAt.get()
        if (since == NONE || clockMillis() - since < stallTimeoutMillis) return null
        // Only one caller wins a given stall.
        if (!lastProgressAt.compareAndSet(since, NONE)) return null
        scanner.reset()
        return ScanState.Problem(UiError.TransferInterrupted)
    }

    /**
     * Abandons the current sequence (the person pressed "scan again" or left the screen).
     * Returns [UiError.TransferInterrupted] if a transfer was under way, [ScanState.Idle] otherwise.
     */
    fun interrupt(): ScanState {
        val wasRunning = lastProgressAt.getAndSet(NONE) != NONE
        scanner.reset()
        return if (wasRunning) ScanState.Problem(UiError.TransferInterrupted) else ScanState.Idle
    }

    private fun map(update: ScanUpdate): ScanState = when (update) {
        is ScanUpdate.NothingFound -> ScanState.NoCode
        is ScanUpdate.Progress -> {
            lastProgressAt.set(clockMillis())
            ScanState.Progress(update.useful.toInt(), update.needed.toInt())
        }
        is ScanUpdate.Complete -> {
            lastProgressAt.set(NONE)
            scanner.reset()
            ScanState.Complete(update.message)
        }
        is ScanUpdate.NotLaissez -> ScanState.Problem(UiError.NotLaissez)
        is ScanUpdate.Rejected -> ScanState.Problem(UiError.DamagedCode)
    }

    override fun close() = scanner.close()

    private companion object {
        const val NONE = Long.MIN_VALUE
    }
}
