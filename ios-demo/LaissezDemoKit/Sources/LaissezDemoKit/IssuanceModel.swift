import Foundation
import Laissez

/// A desk's offer as the holder reviews it before agreeing.
public struct IssuanceReview: Sendable, Equatable {
    /// The issuer's name from the wallet's issuer trust list: set only when `trust` is
    /// `.trusted`. Otherwise the screen says "unknown issuer" (`.unknown`) or "not allowed to
    /// issue this" (`.notAllowedForType`), never a name as if it were vouched for.
    public var issuerName: String?
    /// What the trust list says of the issuer.
    public var trust: OfferTrust
    /// The name the issuer's certificate claims for itself, when it is not trusted: shown, if
    /// at all, only as a field plainly marked "unverified" (anyone can claim any name).
    public var unverifiedClaimedName: String?
    public var format: CredentialFormat
    /// The offered credential's type (vct or docType).
    public var credentialType: String
    /// How many one-time copies the desk will issue.
    public var batchSize: UInt32
    /// When the offer stops being answerable, Unix seconds.
    public var expiresAt: Int64
    /// The issuer is not trusted for this: `accept()` waits for `confirmUnknownIssuer()`.
    public var needsExtraConfirmation: Bool
    /// The person confirmed they accept a credential from an issuer the wallet does not trust.
    public var confirmedUnknownIssuer: Bool

    /// Whether `accept()` goes ahead now.
    public var canAccept: Bool { !needsExtraConfirmation || confirmedUnknownIssuer }

    init(_ view: OfferView) {
        switch view.trust {
        case .trusted(let name):
            issuerName = name
            unverifiedClaimedName = nil
        case .notAllowedForType, .unknown:
            issuerName = nil
            unverifiedClaimedName = view.unverifiedClaimedName
        }
        trust = view.trust
        format = view.format
        credentialType = view.credentialType
        batchSize = view.batchSize
        expiresAt = view.expiresAt
        needsExtraConfirmation = issuerName == nil
        confirmedUnknownIssuer = false
    }
}

public enum IssuanceState: Sendable, Equatable {
    /// Scanning the desk's offer.
    case scanning(ScanState)
    case reading
    case review(IssuanceReview)
    case accepting
    /// The proof code to show the desk, while the camera scans the batch the desk then shows
    /// (`scan`: its progress).
    case showingProof(frames: [QrFrame], scan: ScanState)
    case receiving
    /// The credential is in the wallet with `copies` one-time copies.
    case imported(credentialId: String, credentialType: String, copies: UInt32)
    case failed(Problem)
}

/// The holder's side of offline issuance at a registration desk: scan the offer, review who
/// issues what (a trusted issuer's name, or "unknown issuer" with an extra confirmation),
/// show the proof code, scan the batch, imported.
@MainActor
public final class IssuanceModel: StateModel<IssuanceState> {
    private let wallet: Wallet
    private let frameOptions: FrameOptions?
    private let scan = ScanSession()
    private var offer: QrMessage?

    /// `frameOptions`: how the proof code is drawn (nil: the core's default, one code).
    public init(wallet: Wallet, frameOptions: FrameOptions? = nil) {
        self.wallet = wallet
        self.frameOptions = frameOptions
        super.init(.scanning(.aiming))
    }

    /// A camera frame (the offer, or the batch while the proof is shown). Frames that arrive
    /// while another is decoded are dropped.
    public func push(_ frame: LumaFrame) async {
        guard isScanning, let scanned = await scan.push(frame) else { return }
        await handle(scanned)
    }

    /// A code's text read by other means.
    public func push(text: String) async {
        guard isScanning else { return }
        await handle(scan.push(text: text))
    }

    /// The scanner was closed: an animated batch half read is interrupted.
    public func stopScanning() {
        switch state {
        case .scanning: set(.scanning(scan.stop()))
        case .showingProof(let frames, _): set(.showingProof(frames: frames, scan: scan.stop()))
        default: break
        }
    }

    /// Back to scanning an offer, everything scanned forgotten.
    public func restart() {
        scan.reset()
        offer = nil
        set(.scanning(.aiming))
    }

    private var isScanning: Bool {
        switch state {
        case .scanning, .showingProof: return true
        default: return false
        }
    }

    private func handle(_ scanned: ScanState) async {
        switch state {
        case .scanning:
            guard case .complete(let message) = scanned else { return set(.scanning(scanned)) }
            await read(message)
        case .showingProof(let frames, _):
            guard case .complete(let message) = scanned else { return set(.showingProof(frames: frames, scan: scanned)) }
            await receive(message)
        default:
            break
        }
    }

    /// Reads a scanned offer against the issuer trust list: the review, or the problem.
    public func read(_ message: QrMessage) async {
        guard message.kind == .issuanceOffer else { return set(.failed(.notAnOffer(kind: snakeCase(message.kind)))) }
        set(.reading)
        let wallet = self.wallet
        switch await attempt({ try await wallet.readOffer(message: message) }) {
        case .success(let view):
            offer = message
            set(.review(IssuanceReview(view)))
        case .failure(let problem):
            set(.failed(problem))
        }
    }

    /// The person's second "yes" for an issuer the wallet does not trust (for this type).
    public func confirmUnknownIssuer() {
        guard case .review(var review) = state, review.needsExtraConfirmation else { return }
        review.confirmedUnknownIssuer = true
        set(.review(review))
    }

    /// The person agreed: the proof code to show the desk. Nothing happens while an issuer
    /// the wallet does not trust is not confirmed.
    public func accept() async {
        guard case .review(let review) = state, review.canAccept, let offer else { return }
        set(.accepting)
        let wallet = self.wallet
        let options = frameOptions
        switch await attempt({ try await wallet.acceptOffer(message: offer, frameOptions: options) }) {
        case .success(let frames):
            scan.reset()
            set(.showingProof(frames: frames, scan: .aiming))
        case .failure(let problem):
            set(.failed(problem))
        }
    }

    /// Takes the desk's scanned batch into the wallet: imported, or the problem (nothing is
    /// imported then).
    public func receive(_ message: QrMessage) async {
        guard message.kind == .issuedBatch else { return set(.failed(.notABatch(kind: snakeCase(message.kind)))) }
        set(.receiving)
        let wallet = self.wallet
        switch await attempt({ try await wallet.receiveIssuance(message: message) }) {
        case .success(let summary):
            offer = nil
            set(.imported(credentialId: summary.id, credentialType: summary.credentialType, copies: summary.copiesTotal))
        case .failure(let problem):
            set(.failed(problem))
        }
    }

    /// Installs a signed issuer trust list (a file's text): the issuers whose offers are shown
    /// as trusted. The first import pins its signer (`signerJwk`, a public P-256 JWK). The
    /// installed list, or the problem, which is also shown as `failed`.
    public func importIssuerTrustList(signedText: String, signerJwk: String?) async -> Result<TrustListSummary, Problem> {
        let wallet = self.wallet
        let result = await attempt { try await wallet.importIssuerTrustList(signedText: signedText, signerJwk: signerJwk).list }
        if case .failure(let problem) = result { set(.failed(problem)) }
        return result
    }
}
