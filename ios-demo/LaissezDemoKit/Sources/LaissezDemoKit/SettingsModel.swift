import Foundation
import Laissez

/// Which form of the settings asks for the current PIN.
public enum SettingsForm: Sendable, Equatable {
    /// Current PIN, new PIN twice.
    case changePin
    /// Hardware key protection on (`enable`) or off.
    case protection(enable: Bool)
    /// The warning, its tick (`acknowledged`), then the PIN.
    case deleteWallet(acknowledged: Bool)
}

/// What the settings show after an action went through.
public enum SettingsNotice: Sendable, Equatable {
    case pinChanged
    case protectionOn
    case protectionOff
}

/// The holder's settings screen.
public enum SettingsState: Sendable, Equatable {
    /// The list of settings: hardware protection as the wallet reports it.
    case overview(platformProtected: Bool, notice: SettingsNotice?, problem: Problem?)
    /// A form asking for the PIN. `problem`: the last failure (a wrong PIN with the attempts
    /// left…). `waitUntil` (epoch seconds, 0 for none): too many wrong PINs, the form cannot be
    /// sent before then.
    case form(SettingsForm, problem: Problem?, waitUntil: Int64)
    /// The core is checking the PIN (Argon2id, maybe the Secure Enclave).
    case working
    /// The PIN was right and the warning ticked: the app now deletes the wallet
    /// (`UnlockModel.deleteWallet()`), which needs every reference to it dropped first. This
    /// model holds none any more.
    case deletionConfirmed
}

/// Change the PIN, turn the hardware key (Secure Enclave) on or off, delete the wallet.
///
/// Every action asks for the current PIN; a wrong one counts as on the lock screen (attempts
/// left, then the core's wait). Deleting is for good. What the 24 words can do, as the core
/// does it: they replace a forgotten PIN of this wallet file while it exists, and another phone
/// needs them to open a backup of it; they hold no credential, so after the deletion they bring
/// nothing back. The way to keep the credentials is a backup to another phone first.
@MainActor
public final class SettingsModel: StateModel<SettingsState> {
    /// Nil once the deletion is confirmed, so this model keeps no wallet open.
    public private(set) var wallet: Wallet?
    private let now: () -> Int64

    /// `now`: epoch seconds, for the wait countdown (tests move it by hand).
    public init(wallet: Wallet, now: @escaping () -> Int64 = { Int64(Date().timeIntervalSince1970) }) {
        self.wallet = wallet
        self.now = now
        super.init(.working)
        set(overview())
    }

    private func overview(notice: SettingsNotice? = nil, problem: Problem? = nil) -> SettingsState {
        guard let wallet else { return .deletionConfirmed }
        do {
            return .overview(platformProtected: try wallet.status().platformProtected, notice: notice, problem: problem)
        } catch {
            return .overview(platformProtected: false, notice: nil, problem: problem ?? Problem.from(error))
        }
    }

    /// A running wait of the core (a lockout from the lock screen or an earlier form).
    private func waitingUntil() -> Int64 {
        let retry = (try? wallet?.status().retryAfterSecs) ?? 0
        return retry > 0 ? now() + Int64(retry) : 0
    }

    /// Seconds before a form can be sent again (0: it can).
    public func secondsLeft() -> Int64 {
        guard case .form(_, _, let until) = state else { return 0 }
        return max(0, until - now())
    }

    public func startChangePin() { start(.changePin) }
    public func startProtection(enable: Bool) { start(.protection(enable: enable)) }
    public func startDeleteWallet() { start(.deleteWallet(acknowledged: false)) }

    private func start(_ form: SettingsForm) {
        guard case .overview = state else { return }
        set(.form(form, problem: nil, waitUntil: waitingUntil()))
    }

    /// The explicit confirmation of the warning (a toggle): deleting needs it on.
    public func acknowledgeDeletion(_ acknowledged: Bool) {
        guard case .form(.deleteWallet, let problem, let until) = state else { return }
        set(.form(.deleteWallet(acknowledged: acknowledged), problem: problem, waitUntil: until))
    }

    /// Back to the overview from a form (nothing changed).
    public func cancel() {
        guard case .form = state else { return }
        set(overview())
    }

    /// Called by the countdown: once the wait is over the form can be sent again.
    public func tick() {
        guard case .form(let form, _, let until) = state, until > 0, secondsLeft() == 0 else { return }
        set(.form(form, problem: nil, waitUntil: 0))
    }

    /// Replaces the PIN. The two new entries must match and follow the PIN rules; both are
    /// checked before the current PIN is, so a typing slip costs no attempt.
    public func changePin(current: String, newPin: String, repeated: String) async {
        guard let wallet, let form = sendableForm(), form == .changePin else { return }
        guard newPin == repeated else { return set(.form(form, problem: .pinsDiffer, waitUntil: 0)) }
        if case .failure(let problem) = await attempt({ try validateNewPin(pin: newPin) }) {
            return set(.form(form, problem: problem, waitUntil: 0))
        }
        set(.working)
        switch await attempt({ try await wallet.changePin(currentPin: current, newPin: newPin) }) {
        case .success: set(overview(notice: .pinChanged))
        case .failure(let problem): set(afterFailure(form, problem))
        }
    }

    /// Binds the PIN to the Secure Enclave key, or removes the binding. A phone whose key
    /// cannot be used gives `noHardwareKey` and changes nothing.
    public func setProtection(pin: String) async {
        guard let wallet, let form = sendableForm(), case .protection(let enable) = form else { return }
        set(.working)
        do {
            try await wallet.setPlatformProtection(pin: pin, enabled: enable)
            set(overview(notice: enable ? .protectionOn : .protectionOff))
        } catch {
            set(afterFailure(form, Problem.ofProtection(error)))
        }
    }

    /// Checks the PIN for the deletion (by unlocking again: the wallet is open, nothing else
    /// changes; the same attempt counter as everywhere), after the warning was ticked. Then
    /// drops this model's wallet: `deletionConfirmed` tells the app to delete it.
    public func confirmDeletion(pin: String) async {
        guard let wallet, let form = sendableForm(), form == .deleteWallet(acknowledged: true) else { return }
        set(.working)
        switch await attempt({ try await wallet.unlock(pin: pin) }) {
        case .success:
            self.wallet = nil
            set(.deletionConfirmed)
        case .failure(let problem):
            set(afterFailure(form, problem))
        }
    }

    /// The current form when it can be sent (no wait running).
    private func sendableForm() -> SettingsForm? {
        guard case .form(let form, _, _) = state, secondsLeft() == 0 else { return nil }
        return form
    }

    /// The form again after `problem`: a lockout, or a last wrong PIN, starts the wait.
    private func afterFailure(_ form: SettingsForm, _ problem: Problem) -> SettingsState {
        let wait: UInt64
        switch problem {
        case .lockedOut(let retry): wait = retry
        case .wrongPin(0, let retry): wait = retry
        default: wait = 0
        }
        return .form(form, problem: problem, waitUntil: wait > 0 ? now() + Int64(wait) : 0)
    }
}

extension Problem {
    /// Turning the hardware key on or off: a key that cannot be used now (none on this phone,
    /// not given, unavailable, the prompt cancelled) is `noHardwareKey`, since nothing changed;
    /// a key gone for good stays `platformKey` (recover with the 24 words).
    static func ofProtection(_ error: Error) -> Problem {
        switch error {
        case WalletError.PlatformKey(.keyInvalidated, _), PlatformKeyError.KeyInvalidated: return .platformKey
        case WalletError.PlatformKey, is PlatformKeyError: return .noHardwareKey
        default: return from(error)
        }
    }
}
