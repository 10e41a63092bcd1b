import Foundation
import Laissez

/// One line of a history: when, to whom or about what, which claims.
public struct HistoryRow: Sendable, Equatable {
    public var at: Int64
    public var title: String
    public var claims: [String]
    /// For the verifier's log: the verdict; nil for the holder's disclosures.
    public var valid: Bool?
    public var reasonCodes: [String]
}

public enum HistoryState: Sendable, Equatable {
    case loading
    case rows([HistoryRow])
    case failed(Problem)
}

/// The holder's disclosure history, or the field verifier's private log.
@MainActor
public final class HistoryModel: StateModel<HistoryState> {
    private let load: @Sendable () async throws -> [HistoryRow]

    /// What the holder disclosed, newest first.
    public init(holder wallet: Wallet) {
        load = {
            try await wallet.disclosureHistory().map {
                HistoryRow(at: $0.at, title: $0.audience ?? "", claims: $0.claims, valid: nil, reasonCodes: [])
            }.sorted { $0.at > $1.at }
        }
        super.init(.loading)
    }

    /// What the verifier checked, newest first.
    public init(verifierWallet wallet: Wallet) {
        let verifier = FieldVerifier(wallet: wallet)
        load = {
            try await verifier.logEntries().map {
                HistoryRow(at: $0.at, title: $0.issuerName ?? $0.credentialType ?? $0.flow,
                           claims: $0.claims.map { $0.path }, valid: $0.valid, reasonCodes: $0.reasonCodes)
            }.sorted { $0.at > $1.at }
        }
        super.init(.loading)
    }

    public func refresh() async {
        let load = self.load
        switch await attempt({ try await load() }) {
        case .success(let rows): set(.rows(rows))
        case .failure(let problem): set(.failed(problem))
        }
    }
}
