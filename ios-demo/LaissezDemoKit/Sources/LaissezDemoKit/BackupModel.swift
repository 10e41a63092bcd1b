import Foundation
import Laissez

/// Where a backup or a move to a new phone stands: what the backup screens show.
public enum BackupState: Sendable, Equatable {
    case idle
    /// The old phone shows its backup as an animated sequence: frame `index` of `frames`.
    case showing(frames: [QrFrame], index: Int)
    /// The new phone scans the old phone's sequence.
    case scanning(ScanState)
    /// The whole backup was read; the person now types the 24 words and a new PIN. Nothing of
    /// its header is shown: it is not authenticated until the words open it (what came back is
    /// in `restored`'s report).
    case scanned
    /// Records written so far.
    case restoring(done: UInt64, total: UInt64)
    /// Done: the new wallet is open, with what came back.
    case restored(RestoreReport)
    case failed(Problem)
}

/// Tells the model how far a restore has got, from the worker thread.
private final class ProgressRelay: RestoreProgress, @unchecked Sendable {
    private let report: @Sendable (UInt64, UInt64) -> Void
    init(_ report: @escaping @Sendable (UInt64, UInt64) -> Void) { self.report = report }
    func onProgress(done: UInt64, total: UInt64) { report(done, total) }
}

/// Backup to another phone with no network: the old phone shows its whole wallet, encrypted
/// under its 24 words, as animated QR codes; the new phone scans them, then restores with the
/// words and a new PIN. A bystander filming the codes learns nothing without the words.
@MainActor
public final class BackupModel: StateModel<BackupState> {
    private let session: ScanSession
    private var backup: Data?
    /// The restored wallet, once `restored`.
    public private(set) var wallet: Wallet?

    public init(stallFrames: Int = 30) {
        session = ScanSession(stallFrames: stallFrames)
        super.init(.idle)
    }

    /// Old phone: the backup as frames to show in a loop.
    public func show(from wallet: Wallet, options: FrameOptions? = nil) async {
        switch await attempt({ try await wallet.backupFrames(options: options) }) {
        case .success(let frames): set(.showing(frames: frames, index: 0))
        case .failure(let problem): set(.failed(problem))
        }
    }

    /// Old phone: the next frame of the loop (the screen calls it ten times a second).
    public func nextFrame() {
        guard case .showing(let frames, let index) = state, !frames.isEmpty else { return }
        set(.showing(frames: frames, index: (index + 1) % frames.count))
    }

    /// New phone: one camera frame.
    public func scan(_ frame: LumaFrame) async {
        guard let scanned = await session.push(frame) else { return }
        take(scanned)
    }

    /// New phone: the person left the scanner.
    public func stopScanning() { take(session.stop()) }

    private func take(_ scanned: ScanState) {
        guard case .complete(let message) = scanned else {
            set(.scanning(scanned))
            return
        }
        do {
            let bytes = try backupFromMessage(message: message)
            // Read for its version only (a newer backup is refused at once), never shown.
            _ = try readBackupHeader(backup: bytes)
            backup = bytes
            set(.scanned)
        } catch {
            session.reset()
            set(.failed(Problem.from(error)))
        }
    }

    /// New phone: the words and the new PIN typed twice (two different PINs: `pinsDiffer`).
    public func restore(words: String, newPin: String, repeated: String, setup: WalletSetup) async {
        guard newPin == repeated else { return set(.failed(.pinsDiffer)) }
        await restore(words: words, newPin: newPin, setup: setup)
    }

    /// New phone: the words and the new PIN; restores into a new wallet at `setup.path`.
    /// Wrong or other words, a damaged backup: a `failed` state, and no file is left behind.
    /// Case, line breaks and extra spaces between the words do not matter.
    public func restore(words: String, newPin: String, setup: WalletSetup) async {
        guard let bytes = backup else {
            set(.failed(.internalError))
            return
        }
        let words = words.lowercased().split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        let relay = ProgressRelay { done, total in
            Task { @MainActor [weak self] in
                guard let self, case .restoring = self.state else { return }
                self.set(.restoring(done: done, total: total))
            }
        }
        set(.restoring(done: 0, total: 0))
        let result = await attempt({
            try await restoreWallet(path: setup.path, mnemonic: words, newPin: newPin,
                                    backup: bytes, options: setup.options, progress: relay)
        })
        switch result {
        case .success(let restored):
            wallet = restored.wallet
            backup = nil
            set(.restored(restored.report))
        case .failure(let problem):
            set(.failed(problem))
        }
    }

    /// After a failure: back to the words and PIN when the backup was already scanned (wrong
    /// words, PINs that differ…), else back to the start to scan again.
    public func retry() {
        if backup != nil {
            set(.scanned)
        } else {
            reset()
        }
    }

    /// Back to the start (after a failure: scan again).
    public func reset() {
        session.reset()
        backup = nil
        set(.idle)
    }
}
