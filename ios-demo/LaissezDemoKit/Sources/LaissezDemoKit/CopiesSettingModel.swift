import Foundation
import Laissez

public enum CopiesSettingState: Sendable, Equatable {
    case loading
    /// `reuseLastCopy`: once every one-time copy of a credential was presented, the last one
    /// is presented again (those presentations can be linked to each other); off, presenting
    /// fails with `noCopiesLeft` until the issuer gives a new batch.
    case loaded(reuseLastCopy: Bool)
    case failed(Problem)
}

/// The wallet's one setting about one-time copies (ADR 0017): reuse the last copy or not.
@MainActor
public final class CopiesSettingModel: StateModel<CopiesSettingState> {
    private let wallet: Wallet

    public init(wallet: Wallet) {
        self.wallet = wallet
        super.init(.loading)
    }

    /// Reads the setting.
    public func load() async {
        let wallet = self.wallet
        switch await attempt({ try await wallet.reuseLastCopy() }) {
        case .success(let enabled): set(.loaded(reuseLastCopy: enabled))
        case .failure(let problem): set(.failed(problem))
        }
    }

    /// Turns the reuse of the last copy on or off.
    public func setReuseLastCopy(_ enabled: Bool) async {
        let wallet = self.wallet
        switch await attempt({ try await wallet.setReuseLastCopy(enabled: enabled) }) {
        case .success: set(.loaded(reuseLastCopy: enabled))
        case .failure(let problem): set(.failed(problem))
        }
    }
}
