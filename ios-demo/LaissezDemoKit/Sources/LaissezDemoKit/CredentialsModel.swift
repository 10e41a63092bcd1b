import Foundation
import Laissez

/// Who issued a credential, as the person may be told: a name only when the wallet's issuer
/// trust list vouches for it; otherwise "Unverified issuer", with the name the credential gives
/// itself shown only as its claim.
public enum IssuerLine: Sendable, Equatable {
    /// On the wallet's issuer trust list for this type: "Issued by `name`".
    case trusted(name: String)
    /// On the trust list, but not for this type: "`name` is not trusted to issue this".
    case notAllowed(name: String)
    /// On no trust list the wallet holds: "Unverified issuer", and "calls itself `claimedName`".
    case unverified(claimedName: String?)

    /// The line for `summary`: the trust list's name, or the credential's own (display
    /// metadata in `lang`, else its certificate's name) marked as a claim.
    static func of(_ summary: CredentialSummary, lang: String) -> IssuerLine {
        switch summary.issuerTrust {
        case .trusted(let name): return .trusted(name: name)
        case .notAllowedForType(let name): return .notAllowed(name: name)
        case .unknown: return .unverified(claimedName: summary.display?.issuerName[lang] ?? summary.claimedIssuerName)
        }
    }
}

/// A credential as a row of the list.
public struct CredentialRow: Sendable, Equatable, Identifiable {
    public var id: String
    public var title: String
    /// Who issued it, as far as the wallet can vouch.
    public var issuer: IssuerLine
    public var format: CredentialFormat
    public var validUntil: Int64?
    /// How many one-time copies it holds (1 for a credential issued alone).
    public var copiesTotal: UInt32
    /// How many copies were never presented.
    public var copiesLeft: UInt32
    public var copiesState: CopiesState
    /// Few copies or none left: say so beside the credential (ask the issuer for a new batch).
    public var copiesWarning: Bool
}

/// One claim of the detail screen, labelled in the person's language when the issuer said how.
public struct ClaimRow: Sendable, Equatable {
    public var path: String
    public var label: String
    public var value: String
}

public enum CredentialsState: Sendable, Equatable {
    case loading
    case list([CredentialRow])
    case detail(CredentialRow, [ClaimRow])
    case failed(Problem)
}

@MainActor
public final class CredentialsModel: StateModel<CredentialsState> {
    /// The holder's wallet (the demo content issues to its holder key).
    let wallet: Wallet
    private let lang: String

    /// `lang`: the language of labels (`Locale.current.language.languageCode`), "en" fallback.
    public init(wallet: Wallet, lang: String) {
        self.wallet = wallet
        self.lang = lang
        super.init(.loading)
    }

    public func load() async {
        let lang = self.lang
        let wallet = self.wallet
        switch await attempt({ try await wallet.listCredentials() }) {
        case .success(let summaries): set(.list(summaries.map { Self.row($0, lang: lang) }))
        case .failure(let problem): set(.failed(problem))
        }
    }

    /// Imports an issued credential (SD-JWT VC text or mdoc CBOR) and shows the list with it;
    /// a refused credential (bad signature, not bound to this wallet, already held…) or a
    /// locked wallet gives a `failed` state. `issuerKeys`: certificates or JWKs to check the
    /// issuer's signature when the credential carries no certificate.
    public func importCredential(_ credential: Data, issuerKeys: [Data] = []) async {
        let wallet = self.wallet
        switch await attempt({ try await wallet.importCredential(credential: credential, issuerKeys: issuerKeys) }) {
        case .success: await load()
        case .failure(let problem): set(.failed(problem))
        }
    }

    public func open(id: String) async {
        let lang = self.lang
        let wallet = self.wallet
        switch await attempt({ try await wallet.showCredential(id: id, lang: lang) }) {
        case .success(let detail):
            set(.detail(Self.row(detail.summary, lang: lang), Self.claimRows(detail)))
        case .failure(let problem):
            set(.failed(problem))
        }
    }

    /// Deletes a credential (after the screen's confirmation) and shows the list without it.
    public func delete(id: String) async {
        let wallet = self.wallet
        switch await attempt({ try await wallet.deleteCredential(id: id) }) {
        case .success: await load()
        case .failure(let problem): set(.failed(problem))
        }
    }

    nonisolated static func row(_ summary: CredentialSummary, lang: String) -> CredentialRow {
        let names = summary.display?.credentialName ?? [:]
        return CredentialRow(id: summary.id,
                             title: names[lang] ?? names["en"] ?? summary.credentialType,
                             issuer: IssuerLine.of(summary, lang: lang),
                             format: summary.format, validUntil: summary.validUntil,
                             copiesTotal: summary.copiesTotal, copiesLeft: summary.copiesLeft,
                             copiesState: summary.copiesState, copiesWarning: summary.copiesWarning)
    }

    /// The claims of a credential, labelled in the language `showCredential` was asked for (or
    /// readable paths when the issuer gave no label), values as plain text.
    nonisolated static func claimRows(_ detail: CredentialDetail) -> [ClaimRow] {
        detail.claims.map {
            ClaimRow(path: $0.path, label: $0.label ?? humanize($0.path), value: plain($0.valueJson))
        }
    }

    /// `given_name` -> `Given name`: a label when the issuer gave none.
    nonisolated static func humanize(_ path: String) -> String {
        let last = path.split(separator: "/").last.map(String.init) ?? path
        let words = last.replacingOccurrences(of: "_", with: " ")
        return words.prefix(1).uppercased() + words.dropFirst()
    }

    /// A JSON value as text: strings without quotes, the rest as written.
    nonisolated static func plain(_ json: String) -> String {
        if let data = json.data(using: .utf8),
           let value = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) as? String {
            return value
        }
        return json
    }
}
