import Foundation
import Laissez

/// One requested claim on the consent screen.
public struct ConsentClaim: Sendable, Equatable {
    public var path: String
    public var label: String
    public var required: Bool
    /// The chosen credential holds it (otherwise it cannot be sent).
    public var available: Bool
    /// The person agrees to send it.
    public var selected: Bool
    /// It is the holder's portrait (the issuer-signed photo): the screen says so.
    public var portrait: Bool
}

/// One requested credential: which of the person's credentials answers it, and its claims.
public struct ConsentItem: Sendable, Equatable {
    public var credentialType: String
    /// `nil`: the person holds no credential of this type.
    public var credentialId: String?
    public var title: String
    public var claims: [ConsentClaim]

    /// The answer would share the holder's portrait (asked for, held and selected): the
    /// consent screen says "your photo will be shared".
    public var sharesPortrait: Bool { claims.contains { $0.portrait && $0.selected } }
}

/// Who asks for what.
public struct ConsentReview: Sendable, Equatable {
    public var verifierName: String
    public var purpose: String
    public var expiresAt: Int64
    public var items: [ConsentItem]
    /// Why the last `respond()` did not go through (fix and try again).
    public var problem: Problem?
}

public enum ConsentState: Sendable, Equatable {
    case scanning(ScanState)
    case reading
    case review(ConsentReview)
    case responding
    /// The answer to show the verifier: one code, or an animated sequence to loop.
    case showingResponse([QrFrame])
    case failed(Problem)
}

/// The holder's side of an engaged exchange: scan the verifier's request, consent per claim,
/// show the encrypted answer.
@MainActor
public final class ConsentModel: StateModel<ConsentState> {
    private let wallet: Wallet
    private let lang: String
    private let frameOptions: FrameOptions
    private let scan = ScanSession()
    private var request: QrMessage?

    public init(wallet: Wallet, lang: String, frameOptions: FrameOptions = defaultFrameOptions()) {
        self.wallet = wallet
        self.lang = lang
        self.frameOptions = frameOptions
        super.init(.scanning(.aiming))
    }

    /// A camera frame. Frames that arrive while another is decoded are dropped.
    public func push(_ frame: LumaFrame) async {
        guard case .scanning = state, let scanned = await scan.push(frame) else { return }
        await handle(scanned)
    }

    /// A code's text read by other means.
    public func push(text: String) async {
        guard case .scanning = state else { return }
        await handle(scan.push(text: text))
    }

    /// The scanner was closed.
    public func stopScanning() {
        guard case .scanning = state else { return }
        set(.scanning(scan.stop()))
    }

    /// Start again (after an answer was shown, or after a problem).
    public func restart() {
        scan.reset()
        request = nil
        set(.scanning(.aiming))
    }

    private func handle(_ scanned: ScanState) async {
        guard case .complete(let message) = scanned else { return set(.scanning(scanned)) }
        await read(message)
    }

    /// Reads a scanned request: who asks for what, and which credentials can answer.
    public func read(_ message: QrMessage) async {
        set(.reading)
        let wallet = self.wallet
        switch await attempt({ try await wallet.readRequest(message: message) }) {
        case .success(let view):
            let items = view.credentials.map(item)
            if items.allSatisfy({ $0.credentialId == nil }) {
                return set(.failed(.noMatchingCredential(types: view.credentials.map { $0.credentialType })))
            }
            request = message
            set(.review(ConsentReview(verifierName: view.verifierName, purpose: view.purpose,
                                      expiresAt: view.expiresAt, items: items, problem: nil)))
        case .failure(let problem):
            set(.failed(problem))
        }
    }

    private func item(_ match: RequestedCredentialMatch) -> ConsentItem {
        let portraits = Set(match.claims.filter { $0.portrait }.map { $0.path })
        let candidate = match.candidates.first { $0.satisfiesRequired } ?? match.candidates.first
        guard let candidate else {
            return ConsentItem(credentialType: match.credentialType, credentialId: nil, title: match.credentialType,
                               claims: match.claims.map {
                                   ConsentClaim(path: $0.path, label: CredentialsModel.humanize($0.path),
                                                required: $0.required, available: false, selected: false,
                                                portrait: $0.portrait)
                               })
        }
        let labels = candidate.credential.display?.claimLabels ?? [:]
        let row = CredentialsModel.row(candidate.credential, lang: lang)
        return ConsentItem(credentialType: match.credentialType, credentialId: candidate.credential.id, title: row.title,
                           claims: candidate.claims.map { claim in
                               ConsentClaim(path: claim.path,
                                            label: labels[claim.path]?[lang] ?? CredentialsModel.humanize(claim.path),
                                            required: claim.required, available: claim.available,
                                            selected: claim.available, portrait: portraits.contains(claim.path))
                           })
    }

    /// Turns one claim on or off (claims the credential lacks stay off).
    public func toggle(item: Int, claim: Int) {
        guard case .review(var review) = state, review.items.indices.contains(item),
              review.items[item].claims.indices.contains(claim),
              review.items[item].claims[claim].available else { return }
        review.items[item].claims[claim].selected.toggle()
        review.problem = nil
        set(.review(review))
    }

    /// Sends what was consented to: the answer frames, or the review with its problem.
    public func respond() async {
        guard case .review(var review) = state, let request else { return }
        let missing = review.items.filter { $0.credentialId != nil }
            .flatMap { $0.claims.filter { $0.required && !$0.selected } }.map { $0.path }
        if !missing.isEmpty {
            review.problem = .missingRequired(claims: missing)
            return set(.review(review))
        }
        let consents = review.items.compactMap { item -> Consent? in
            guard let id = item.credentialId else { return nil }
            let claims = item.claims.filter { $0.selected }.map { $0.path }
            return claims.isEmpty ? nil : Consent(credentialId: id, claims: claims)
        }
        if consents.isEmpty {
            review.problem = .nothingConsented
            return set(.review(review))
        }
        set(.responding)
        let wallet = self.wallet
        let options = frameOptions
        switch await attempt({ try await wallet.respond(message: request, consents: consents, options: options) }) {
        case .success(let frames):
            set(.showingResponse(frames))
        case .failure(let problem) where problem == .requestExpired || problem == .locked:
            set(.failed(problem))
        case .failure(let problem):
            review.problem = problem
            set(.review(review))
        }
    }

    /// The person declines the whole request.
    public func decline() { restart() }
}
