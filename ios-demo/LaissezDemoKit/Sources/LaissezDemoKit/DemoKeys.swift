import Foundation
import Laissez

/// Demo only: the process's test keys (the demo issuer, trust-list signer, registrar and card
/// issuer, as one `TestKeys` set), kept in every wallet the demo opens so they survive a
/// restart (issue 17). The keys stay in the Rust core: the wallet keeps them as an encrypted
/// record, and Swift never holds their bytes.
///
/// The rule, applied by `opened(_:)` each time a wallet is open (unlocked, created or restored):
/// - While the process has no set, the wallet opened supplies it: the set it keeps, or, when it
///   keeps none (a new wallet, or one from before keys were kept), a set made now and kept in it.
/// - A wallet opened later that keeps no set gets a copy of the process's set.
/// - A wallet opened later that keeps another set (the holder's and the verifier's wallets were
///   first opened in different runs) or a damaged one: the process's set replaces it, so from
///   then on the two wallets agree and the question never comes back. The process's set wins
///   because it is in use already this run (the desk registered with its registrar, a card
///   printed with it); switching keys mid-run would break those. The replaced wallet's pinned
///   signer then refuses the next demo trust list once (`signerChanged`), as every restart did
///   before keys were kept.
/// - A wallet that cannot be read or written: the keys work for this run only (`notKept`).
///
/// `current()` gives the process's set, making one in memory when no wallet has been opened:
/// tests use that; the app opens the keys (`GateView`) before it shows a wallet's screens.
@MainActor
public final class DemoKeys {
    /// What `opened(_:)` did with a wallet.
    public enum Outcome: Equatable, Sendable {
        /// The process had no set: the wallet's kept set is the process's now.
        case loaded
        /// Neither the process nor the wallet had a set: one was made and kept in it.
        case made
        /// The wallet kept none: it keeps the process's set now.
        case copied
        /// The wallet kept the process's set already.
        case alreadyKept
        /// The wallet kept another set, or a damaged one: the process's set replaced it.
        case replaced
        /// The wallet could not be read or written: the process's set works for this run only.
        case notKept(Problem)
    }

    private let make: () throws -> TestKeys
    /// The process's set; nil until a wallet has been opened or `current()` made one.
    public private(set) var keys: TestKeys?
    /// The last `opened(_:)` still running: the next one waits for it, so two wallets opened
    /// at once never make two sets.
    private var pending: Task<Outcome, Never>?

    /// `make` makes a new set (the demo's names and countries).
    public init(make: @escaping () throws -> TestKeys) {
        self.make = make
    }

    /// The process's set, made now (in memory, kept in the next wallet opened) if there is none.
    public func current() throws -> TestKeys {
        if let keys { return keys }
        let made = try make()
        keys = made
        return made
    }

    /// Applies the rule (see the type) to `wallet`, which must be unlocked.
    @discardableResult
    public func opened(_ wallet: Wallet) async -> Outcome {
        let previous = pending
        let task = Task { @MainActor in
            _ = await previous?.value
            return await self.apply(to: wallet)
        }
        pending = task
        return await task.value
    }

    private func apply(to wallet: Wallet) async -> Outcome {
        let kept: TestKeys?
        let damaged: Bool
        do {
            kept = try await wallet.keptTestKeys()
            damaged = false
        } catch TestKeysError.Unreadable {
            kept = nil
            damaged = true
        } catch {
            if keys == nil { keys = try? make() }
            return .notKept(Problem.from(error))
        }
        guard let current = keys else {
            if let kept {
                keys = kept
                return .loaded
            }
            do {
                let made = try make()
                keys = made
                return await keep(made, in: wallet) ?? .made
            } catch {
                return .notKept(Problem.from(error))
            }
        }
        if let kept, kept.fingerprint() == current.fingerprint() { return .alreadyKept }
        let outcome: Outcome = kept == nil && !damaged ? .copied : .replaced
        return await keep(current, in: wallet) ?? outcome
    }

    /// Keeps `keys` in `wallet`; nil when kept, else why not.
    private func keep(_ keys: TestKeys, in wallet: Wallet) async -> Outcome? {
        do {
            try await keys.keepIn(wallet: wallet)
            return nil
        } catch {
            return .notKept(Problem.from(error))
        }
    }
}
