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
    /// The settings confirmed the deletion: waiting for every reference to the wallet to go,
    /// then removing its files (`deleteWallet()`).
    case deleting
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

    /// Deletes the wallet for good, once the settings confirmed it (`SettingsState.deletionConfirmed`).
    ///
    /// An open wallet would write its files again, and Swift closes it only when the last
    /// reference goes: this model drops its own, `deleting` makes the app take down the
    /// wallet's screens (which drop theirs), and the files are removed only once no reference
    /// is left. Then `noWallet` (onboarding). A reference still held after `timeoutSeconds`
    /// leaves the files as they are and opens the wallet again (`failed(.busy)`, then the PIN);
    /// a file that cannot be removed gives `failed(.storage)`.
    public func deleteWallet(timeoutSeconds: Double = 5) async {
        guard wallet != nil else { return }
        weak var probe = wallet
        wallet = nil
        set(.deleting)
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        while probe != nil && Date() < deadline {
            // Cancelled: stop waiting (the files stay unless the wallet is already released).
            do { try await Task.sleep(nanoseconds: 20_000_000) } catch { break }
        }
        if probe != nil {
            await open()
            return set(.failed(.busy))
        }
        let path = setup.path
        switch await attempt({ try Laissez.deleteWallet(path: path) }) {
        case .success: set(.noWallet)
        case .failure(let problem): set(.failed(problem))
        }
    }

    /// Locks again (app in background, or the lock button).
    public func lock() {
        wallet?.lock()
        if wallet != nil { set(.locked) }
    }
}
