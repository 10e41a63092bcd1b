import Foundation
import Laissez

/// The PIN screen.
public enum UnlockState: Sendable, Equatable {
    /// No wallet on this phone: onboarding.
    case noWallet
    case locked
    case unlocking
    case unlocked
    /// Wrong PIN: `attemptsLeft` before waits begin; `retryAfterSecs` > 0 means wait first.
    case wrongPin(attemptsLeft: UInt32, retryAfterSecs: UInt64)
    /// Too many wrong PINs: wait, or recover with the 24 words.
    case lockedOut(retryAfterSecs: UInt64)
    /// The wallet cannot be opened (damaged, newer version, platform key gone…).
    case failed(Problem)
}

@MainActor
public final class UnlockModel: StateModel<UnlockState> {
    private let setup: WalletSetup
    /// The wallet once opened (locked or not).
    public private(set) var wallet: Wallet?

    public init(setup: WalletSetup) {
        self.setup = setup
        super.init(.locked)
    }

    /// Opens the wallet file (locked). Call when the app starts.
    public func open() async {
        if wallet != nil { return }
        let setup = self.setup
        switch await attempt({ try await openWallet(path: setup.path, options: setup.options) }) {
        case .success(let opened):
            wallet = opened
            set(opened.isLocked() ? .locked : .unlocked)
        case .failure(.walletMissing):
            set(.noWallet)
        case .failure(let problem):
            set(.failed(problem))
        }
    }

    public func unlock(pin: String) async {
        if wallet == nil { await open() }
        guard let wallet else { return }
        set(.unlocking)
        switch await attempt({ try await wallet.unlock(pin: pin) }) {
        case .success:
            set(.unlocked)
        case .failure(.wrongPin(let left, let retry)):
            set(.wrongPin(attemptsLeft: left, retryAfterSecs: retry))
        case .failure(.lockedOut(let retry)):
            set(.lockedOut(retryAfterSecs: retry))
        case .failure(let problem):
            set(.failed(problem))
        }
    }

    /// Takes the wallet that onboarding created or a restore brought back (already unlocked),
    /// so the gate treats it as any other: `lock()` locks it, the PIN opens it again.
    public func adopt(_ opened: Wallet) {
        wallet = opened
        set(opened.isLocked() ? .locked : .unlocked)
    }

    /// Locks again (app in background, or the lock button).
    public func lock() {
        wallet?.lock()
        if wallet != nil { set(.locked) }
    }
}
