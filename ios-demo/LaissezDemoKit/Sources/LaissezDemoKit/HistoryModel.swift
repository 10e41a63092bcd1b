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
    /// For the holder's disclosures: shown as a static presentation (no request, no
    /// encryption; `StaticPresentationModel`). Known by its audience, in both formats
    /// (by its audience), and `title` is then the verifier id it was bound to, if any.
    public var shownWithoutRequest: Bool = false
    /// For the holder's disclosures: who the answer went to, as the wallet established it
    /// when the person consented. `.verified`: `title` is the certified organisation (show
    /// the registrar too); `.unverified`: `title` is only the name the request claimed, to be
    /// shown as "Unverified" with that name marked as not checked. Nil for static
    /// presentations and disclosures recorded before verifiers were checked.
    public var verifier: DisclosedVerifier? = nil
    /// For the verifier's log: the reference (16 hex digits) of the registration certificate
    /// the answered request was signed with; nil for an unsigned request.
    public var certificateReference: String? = nil
}

public enum HistoryState: Sendable, Equatable {
    case loading
    case rows([HistoryRow])
    case failed(Problem)
}

/// The holder's disclosure history (each answer with who it went to: a certified verifier or
/// an unverified one), or the field verifier's private log (with the certificate its request
/// was signed with).
@MainActor
public final class HistoryModel: StateModel<HistoryState> {
    private let load: @Sendable () async throws -> [HistoryRow]
    /// The audience the core puts in the disclosures of SD-JWT VC static presentations
    /// (`wallet-core` `exchange::static_presentation::STATIC_AUDIENCE`; the bindings do not
    /// export it).
    nonisolated static let staticAudience = "urn:laissez:static"
    /// The audience of a static presentation bound to a verifier's identifier (`wallet-core`
    /// `exchange::VerifierId::audience`).
    nonisolated static let boundAudiencePrefix = "urn:laissez:verifier-id:"

    /// What the holder disclosed, newest first.
    public init(holder wallet: Wallet) {
        load = {
            try await wallet.disclosureHistory().map {
                // Static presentations name "any verifier", or the verifier id they were bound to.
                let unbound = $0.audience == HistoryModel.staticAudience
                let shownWithoutRequest = unbound || $0.audience?.hasPrefix(HistoryModel.boundAudiencePrefix) == true
                let title = HistoryModel.title($0.verifier) ?? $0.claimedVerifierName ?? (unbound ? "" : $0.audience ?? "")
                return HistoryRow(at: $0.at, title: title, claims: $0.claims, valid: nil, reasonCodes: [],
                                  shownWithoutRequest: shownWithoutRequest, verifier: $0.verifier)
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
                           claims: $0.claims.map { $0.path }, valid: $0.valid, reasonCodes: $0.reasonCodes,
                           certificateReference: $0.certificateReference)
            }.sorted { $0.at > $1.at }
        }
        super.init(.loading)
    }

    /// The name a disclosure's row is titled by: the certified organisation, or the claimed
    /// (unchecked) name of an unverified verifier.
    nonisolated static func title(_ verifier: DisclosedVerifier?) -> String? {
        switch verifier {
        case .verified(let organisation, _, _, _): return organisation
        case .unverified(let claimedName, _): return claimedName
        case nil: return nil
        }
    }

    /// Loads the rows again.
    public func refresh() async {
        let load = self.load
        switch await attempt({ try await load() }) {
        case .success(let rows): set(.rows(rows))
        case .failure(let problem): set(.failed(problem))
        }
    }
}
