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
    /// A verified verifier asks for it beyond its registered scope: marked "not in this
    /// verifier's registration", off until the person turns it on by hand, and then sent with
    /// that permission (`Consent.allowedBeyondScope`). Never set for an unverified verifier,
    /// whose one warning covers every claim.
    public var beyondScope: Bool = false
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
    /// Who asks, as the wallet established it: `.verified` (organisation, country, purposes and
    /// registrar, all from the registration certificate and the trust list, never from the
    /// request's own text) or `.unverified` (the reason, and the request's claimed name and
    /// purpose, to be shown marked "not checked").
    public var verifier: VerifierIdentity
    /// The request's id, to which an acknowledgement of the unverified warning is bound.
    public var requestId: String
    public var expiresAt: Int64
    public var items: [ConsentItem]
    /// Why the last `respond()` did not go through (fix and try again).
    public var problem: Problem?
}

public enum ConsentState: Sendable, Equatable {
    case scanning(ScanState)
    case reading
    case review(ConsentReview)
    /// The extra step before answering an unverified verifier: the warning again and "I
    /// understand this verifier is not verified — share anyway" (`shareAnyway()`) or back to
    /// the review (`backToReview()`). Only from here is the acknowledgement made.
    case confirmingUnverified(ConsentReview)
    case responding
    /// The answer to show the verifier: one code, or an animated sequence to loop.
    case showingResponse([QrFrame])
    case failed(Problem)
}

/// The holder's side of an engaged exchange: scan the verifier's request, see who asks
/// (verified from its registration certificate, or unverified with a warning), consent per
/// claim, show the encrypted answer. Nothing goes to an unverified verifier without the extra
/// step (`.confirmingUnverified` → `shareAnyway()`), and no claim beyond a verified
/// verifier's scope without the person's own toggle.
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
            let verified = view.identity.isVerified
            let items = view.credentials.map { item($0, verified: verified) }
            if items.allSatisfy({ $0.credentialId == nil }) {
                return set(.failed(.noMatchingCredential(types: view.credentials.map { $0.credentialType })))
            }
            request = message
            set(.review(ConsentReview(verifier: view.identity, requestId: view.requestId,
                                      expiresAt: view.expiresAt, items: items, problem: nil)))
        case .failure(let problem):
            set(.failed(problem))
        }
    }

    /// One requested credential on the screen. For a verified verifier a claim beyond its
    /// registered scope is marked and starts off; other held claims start on.
    private func item(_ match: RequestedCredentialMatch, verified: Bool) -> ConsentItem {
        let portraits = Set(match.claims.filter { $0.portrait }.map { $0.path })
        let candidate = match.candidates.first { $0.satisfiesRequired } ?? match.candidates.first
        guard let candidate else {
            return ConsentItem(credentialType: match.credentialType, credentialId: nil, title: match.credentialType,
                               claims: match.claims.map {
                                   ConsentClaim(path: $0.path, label: CredentialsModel.humanize($0.path),
                                                required: $0.required, available: false, selected: false,
                                                portrait: $0.portrait, beyondScope: verified && !$0.withinScope)
                               })
        }
        let labels = candidate.credential.display?.claimLabels ?? [:]
        let row = CredentialsModel.row(candidate.credential, lang: lang)
        return ConsentItem(credentialType: match.credentialType, credentialId: candidate.credential.id, title: row.title,
                           claims: candidate.claims.map { claim in
                               let beyondScope = verified && !claim.withinScope
                               return ConsentClaim(path: claim.path,
                                                   label: labels[claim.path]?[lang] ?? CredentialsModel.humanize(claim.path),
                                                   required: claim.required, available: claim.available,
                                                   selected: claim.available && !beyondScope,
                                                   portrait: portraits.contains(claim.path), beyondScope: beyondScope)
                           })
    }

    /// Turns one claim on or off (claims the credential lacks stay off). A claim beyond a
    /// verified verifier's scope is turned on only this way, one by one.
    public func toggle(item: Int, claim: Int) {
        guard case .review(var review) = state, review.items.indices.contains(item),
              review.items[item].claims.indices.contains(claim),
              review.items[item].claims[claim].available else { return }
        review.items[item].claims[claim].selected.toggle()
        review.problem = nil
        set(.review(review))
    }

    /// Sends what was consented to: the answer frames, or the review with its problem. For an
    /// unverified verifier nothing is sent: the model moves to `.confirmingUnverified`, the
    /// extra step (`shareAnyway()`).
    public func respond() async {
        guard case .review(var review) = state, request != nil else { return }
        if let problem = Self.check(review) {
            review.problem = problem
            return set(.review(review))
        }
        if !review.verifier.isVerified { return set(.confirmingUnverified(review)) }
        await send(review, acknowledgement: nil)
    }

    /// The extra step for an unverified verifier: the person saw the warning twice and chose
    /// "share anyway". Only here is the acknowledgement made, bound to this very request.
    public func shareAnyway() async {
        guard case .confirmingUnverified(let review) = state else { return }
        await send(review, acknowledgement: UnverifiedAcknowledgement(requestId: review.requestId))
    }

    /// Leaves the extra step without sending: back to the review.
    public func backToReview() {
        guard case .confirmingUnverified(let review) = state else { return }
        set(.review(review))
    }

    /// What stops the review from being sent as it is, before asking the core.
    private static func check(_ review: ConsentReview) -> Problem? {
        let missing = review.items.filter { $0.credentialId != nil }
            .flatMap { $0.claims.filter { $0.required && !$0.selected } }.map { $0.path }
        if !missing.isEmpty { return .missingRequired(claims: missing) }
        return consents(review).isEmpty ? .nothingConsented : nil
    }

    /// The consents of the review: the selected claims per credential, with the claims beyond
    /// the scope that the person turned on named again as allowed.
    static func consents(_ review: ConsentReview) -> [Consent] {
        review.items.compactMap { item -> Consent? in
            guard let id = item.credentialId else { return nil }
            let selected = item.claims.filter { $0.selected }
            if selected.isEmpty { return nil }
            return Consent(credentialId: id, claims: selected.map { $0.path },
                           allowedBeyondScope: selected.filter { $0.beyondScope }.map { $0.path })
        }
    }

    private func send(_ review: ConsentReview, acknowledgement: UnverifiedAcknowledgement?) async {
        guard let request else { return }
        var review = review
        let consents = Self.consents(review)
        set(.responding)
        let wallet = self.wallet
        let options = frameOptions
        switch await attempt({
            try await wallet.respond(message: request, consents: consents, acknowledgement: acknowledgement,
                                     options: options)
        }) {
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
