package app.laissez.demo

import app.laissez.FrameOptions
import app.laissez.QrFrame
import app.laissez.QrMessage
import app.laissez.QrMessageKind
import app.laissez.RestoreProgress
import app.laissez.RestoreReport
import app.laissez.Wallet
import app.laissez.WalletOptions
import app.laissez.backupFromMessage
import app.laissez.readBackupHeader
import app.laissez.restoreWallet
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow

/**
 * Moving phones without a network. The old phone shows its backup as animated QR frames
 * ([BackupViewModel.Export]); the new one scans them, checks the header, and restores with the
 * 24 words and a new PIN, showing progress ([BackupViewModel.Restore]).
 */
object BackupViewModel {
    /** The old phone: the backup as frames to cycle with [ResponseDisplayViewModel]. */
    class Export(private val wallet: Wallet, private val frameOptions: FrameOptions? = null) {
        sealed class State {
            data object Idle : State()
            data object Preparing : State()
            data class Showing(val frames: List<QrFrame>) : State()
            data class Failed(val error: UiError) : State()
        }

        private val _state = MutableStateFlow<State>(State.Idle)
        val state: StateFlow<State> = _state.asStateFlow()

        suspend fun prepare() {
            _state.value = State.Preparing
            _state.value = when (val r = attempt { wallet.backupFrames(frameOptions) }) {
                is Outcome.Ok -> State.Showing(r.value)
                is Outcome.Failed -> State.Failed(r.error)
            }
        }
    }

    /**
     * The new phone: scan, check, restore into a new wallet at [walletPath] (or merge into
     * [into], an open wallet of the same words).
     */
    class Restore(
        private val walletPath: String,
        private val options: WalletOptions,
        private val scan: ScanSession = ScanSession(),
        private val into: Wallet? = null,
    ) {
        sealed class State {
            data class Scanning(val scan: ScanState = ScanState.Idle) : State()
            /**
             * A whole backup, ready for the words. Nothing of its header is shown yet: it is not
             * authenticated until the words open it, so what it claims to hold is shown only
             * from [Restored]'s report.
             */
            data class Ready(val error: UiError? = null) : State()
            /** Restoring: [done] of [total] records. */
            data class Restoring(val done: Long, val total: Long) : State()
            /** Restored: [report] says what was written, from the authenticated backup. */
            data class Restored(val wallet: Wallet, val report: RestoreReport) : State()
            /** The scanned code cannot be restored (not a backup, damaged, newer version). */
            data class Failed(val error: UiError) : State()
        }

        private val _state = MutableStateFlow<State>(State.Scanning())
        val state: StateFlow<State> = _state.asStateFlow()

        private var backup: ByteArray? = null

        suspend fun onFrame(frame: LumaFrame) {
            if (_state.value !is State.Scanning) return
            handle(scan.push(frame))
        }

        suspend fun onText(text: String) {
            if (_state.value !is State.Scanning) return
            handle(scan.pushText(text))
        }

        fun checkStalled() {
            if (_state.value !is State.Scanning) return
            scan.stalled()?.let { _state.value = State.Scanning(it) }
        }

        fun scanAgain() {
            backup = null
            _state.value = State.Scanning(scan.interrupt())
        }

        private suspend fun handle(seen: ScanState) {
            if (seen !is ScanState.Complete) {
                _state.value = State.Scanning(seen)
                return
            }
            read(seen.message)
        }

        /**
         * Checks a complete message: it must be a backup of a version this app reads (its header
         * is read for that only: nothing of it is shown before the words authenticate it).
         */
        suspend fun read(message: QrMessage) {
            if (message.kind != QrMessageKind.BACKUP) {
                _state.value = State.Failed(UiError.NotABackup)
                return
            }
            _state.value = when (val r = attempt { backupFromMessage(message).also { readBackupHeader(it) } }) {
                is Outcome.Ok -> {
                    backup = r.value
                    State.Ready()
                }
                is Outcome.Failed -> State.Failed(r.error)
            }
        }

        /**
         * Restores with the 24 words and a new PIN (typed twice). Wrong words keep the state
         * [State.Ready] with the error; nothing is written until words and backup are checked.
         */
        suspend fun restore(words: String, newPin: String, again: String) {
            val ready = _state.value as? State.Ready ?: return
            val bytes = backup ?: return
            if (into == null && newPin != again) {
                _state.value = ready.copy(error = UiError.PinMismatch)
                return
            }
            val phrase = words.trim().lowercase().split(Regex("\\s+")).joinToString(" ")
            val progress = object : RestoreProgress {
                override fun onProgress(done: ULong, total: ULong) {
                    _state.value = State.Restoring(done.toLong(), total.toLong())
                }
            }
            _state.value = State.Restoring(0, 0)
            val result = attempt {
                if (into != null) {
                    into to into.restoreBackup(bytes, progress)
                } else {
                    restoreWallet(walletPath, phrase, newPin, bytes, options, progress).let { it.wallet to it.report }
                }
            }
            _state.value = when (result) {
                is Outcome.Ok -> State.Restored(result.value.first, result.value.second)
                is Outcome.Failed -> ready.copy(error = result.error)
            }
        }
    }
}
