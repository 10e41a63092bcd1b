import Foundation
import Laissez

/// An identity card kept in the wallet (a MOSIP Claim 169 code printed on a national ID card),
/// as a row of the list beside the credentials.
public struct IdentityCardRow: Sendable, Equatable, Identifiable {
    public var id: String
    /// The full name on the card, if any.
    public var fullName: String?
    /// The card's ID number, if any.
    public var idNumber: String?
    /// The country of issuance as the card writes it (`KEN`), if any.
    public var country: String?
    /// Who issued it: `.trusted(name)` from the wallet's trust list (for cards of its country),
    /// or `.unverified(claimedName)`: "Unverified issuer", the issuer the card names itself
    /// shown only as "not checked". Never `.notAllowed` for cards.
    public var issuer: IssuerLine
    public var issuedAt: Int64?
    public var expiresAt: Int64?
    /// Expired (or not valid yet) by the wallet's clock: verifiers refuse it. Say so.
    public var expired: Bool
    public var hasFace: Bool
    /// When it was put in the wallet, Unix seconds.
    public var keptAt: Int64

    init(_ card: IdentityCard) {
        id = card.id
        fullName = card.fullName
        idNumber = card.idNumber
        country = card.country
        switch card.issuer {
        case .trusted(let name): issuer = .trusted(name: name)
        case .unverified(let claimed): issuer = .unverified(claimedName: claimed)
        }
        issuedAt = card.issuedAt
        expiresAt = card.expiresAt
        expired = card.outsideValidity
        hasFace = card.hasFace
        keptAt = card.keptAt
    }
}

/// The card's face image, as the code carries it.
public struct CardFaceImage: Sendable, Equatable {
    /// The image file, for the platform's image API.
    public var bytes: Data
    /// `jpeg`, `jpeg2000`, `avif`, `webp`, `png`…; nil when unknown (the screen then may not
    /// be able to draw it: say "no usable photo").
    public var format: String?
}

/// One card's screen: what the list shows, every field labelled in the person's language, the
/// face.
public struct IdentityCardScreen: Sendable, Equatable {
    public var card: IdentityCardRow
    public var fields: [ClaimRow]
    public var face: CardFaceImage?
}

public enum IdentityCardPhase: Sendable, Equatable {
    /// The list (`IdentityCardsState.cards`) is shown.
    case idle
    case loading
    /// The camera looks for a card's code. A code that is not a card: `.notLaissez` (a web
    /// link…) or `.rejected` (a damaged Laissez code) while scanning goes on.
    case scanning(ScanState)
    /// A card's code was read and is being kept.
    case importing
    /// One card's screen (just kept, or opened from the list).
    case detail(IdentityCardScreen)
    /// The step before the card's code is shown: the screen says plainly that it shows the
    /// whole card as issued (every field, no choice of what to share) and that anyone who
    /// photographs it can show it. Only `showCode()` from here shows it.
    case confirmingShow(IdentityCardScreen)
    /// The card's own code, whole, as the issuer printed it (recorded in the history).
    case showingCode(IdentityCardScreen, QrFrame)
    /// A damaged or unsigned code, a card kept already, a locked wallet… `retry()` goes back.
    case failed(Problem)
}

public struct IdentityCardsState: Sendable, Equatable {
    /// The kept cards, oldest first: the list beside the credentials, kept while a card's
    /// screen or the scanner is open.
    public var cards: [IdentityCardRow]
    public var phase: IdentityCardPhase
}

/// The holder's identity cards: scan a card's code into the wallet (the same camera path as
/// other scans: a code that is not a Laissez message, which `isIdentityCardCode` recognises),
/// list, open with labelled fields and the face, show the card's own code after the warning
/// step, delete.
///
/// A card's code has no holder binding and no selective disclosure: showing it shows every
/// field, and whoever photographs it can show it again. Hence `confirmingShow`.
@MainActor
public final class IdentityCardsModel: StateModel<IdentityCardsState> {
    /// The holder's wallet (the demo content trusts the demo card issuer in it).
    let wallet: Wallet
    private let lang: String
    private let scan = ScanSession()
    /// Where `retry()` goes after a failure: the scanner when it came from a scan.
    private var retryScans = false

    /// `lang`: the language of field labels (en, fr, ar; others fall back to English).
    public init(wallet: Wallet, lang: String) {
        self.wallet = wallet
        self.lang = lang
        super.init(IdentityCardsState(cards: [], phase: .loading))
    }

    private func set(_ phase: IdentityCardPhase) {
        var next = state
        next.phase = phase
        set(next)
    }

    /// Reads the kept cards: `idle` with the list, or `failed`.
    public func load() async {
        let wallet = self.wallet
        switch await attempt({ try await wallet.identityCards() }) {
        case .success(let cards): set(IdentityCardsState(cards: cards.map(IdentityCardRow.init), phase: .idle))
        case .failure(let problem): fail(problem, retryScans: false)
        }
    }

    /// Opens the camera for a card's code.
    public func startScanning() {
        scan.reset()
        set(.scanning(.aiming))
    }

    /// A camera frame. Frames that arrive while another is decoded are dropped.
    public func push(_ frame: LumaFrame) async {
        guard case .scanning = state.phase, let scanned = await scan.push(frame) else { return }
        await handle(scanned)
    }

    /// A code's text read by other means (the system's code scanner, a pasted text).
    public func push(text: String) async {
        guard case .scanning = state.phase else { return }
        await handle(scan.push(text: text))
    }

    /// The camera was closed: back to the list.
    public func stopScanning() {
        guard case .scanning = state.phase else { return }
        set(.idle)
    }

    private func handle(_ scanned: ScanState) async {
        switch scanned {
        case .notLaissez:
            // The same path as every scan: a foreign code may be a card's.
            guard let text = scan.foreignTexts.first(where: { isIdentityCardCode(text: $0) }) else {
                return set(.scanning(scanned))
            }
            scan.reset()
            await keep(text)
        case .complete:
            // A whole Laissez message (a request, a trust list…) is no card.
            scan.reset()
            fail(.notAnIdentityCard, retryScans: true)
        default:
            set(.scanning(scanned))
        }
    }

    /// Keeps the card whose code is `text` and opens its screen; a code that is not a card's,
    /// damaged, unsigned or encrypted, or a card kept already: `failed`, nothing kept.
    public func keep(_ text: String) async {
        set(.importing)
        let wallet = self.wallet
        switch await attempt({ try await wallet.importIdentityCard(qrText: text) }) {
        case .success(let card):
            await refreshList()
            await open(id: card.id)
        case .failure(let problem):
            fail(problem, retryScans: true)
        }
    }

    /// Opens a kept card: its fields labelled, its face.
    public func open(id: String) async {
        let wallet = self.wallet
        let lang = self.lang
        switch await attempt({ try await wallet.identityCard(id: id, lang: lang) }) {
        case .success(let detail):
            set(.detail(IdentityCardScreen(
                card: IdentityCardRow(detail.card),
                fields: detail.fields.map {
                    ClaimRow(path: $0.path, label: $0.label ?? CredentialsModel.humanize($0.path),
                             value: CredentialsModel.plain($0.valueJson))
                },
                face: detail.face.map { CardFaceImage(bytes: $0.bytes, format: $0.format) })))
        case .failure(let problem):
            fail(problem, retryScans: false)
        }
    }

    /// "Show this card": first the warning step (nothing is shown yet).
    public func askToShow() {
        guard case .detail(let screen) = state.phase else { return }
        set(.confirmingShow(screen))
    }

    /// The person read the warning and goes on: the card's own code, recorded in the history.
    /// Does nothing unless the warning is on screen.
    public func showCode(pngScale: UInt32? = nil) async {
        guard case .confirmingShow(let screen) = state.phase else { return }
        let wallet = self.wallet
        let id = screen.card.id
        switch await attempt({ try await wallet.showIdentityCardCode(id: id, pngScale: pngScale) }) {
        case .success(let frame): set(.showingCode(screen, frame))
        case .failure(let problem): fail(problem, retryScans: false)
        }
    }

    /// Back from the warning or the code to the card's screen.
    public func backToCard() {
        switch state.phase {
        case .confirmingShow(let screen), .showingCode(let screen, _): set(.detail(screen))
        default: break
        }
    }

    /// Removes the card shown (or `id`) from the wallet, then the list.
    public func delete(id: String) async {
        let wallet = self.wallet
        switch await attempt({ try await wallet.deleteIdentityCard(id: id) }) {
        case .success: await load()
        case .failure(let problem): fail(problem, retryScans: false)
        }
    }

    /// After a failure: the scanner again when the problem came from a scan, else the list.
    public func retry() async {
        if retryScans { startScanning() } else { await load() }
    }

    /// Back to the list.
    public func close() async { await load() }

    private func refreshList() async {
        let wallet = self.wallet
        if case .success(let cards) = await attempt({ try await wallet.identityCards() }) {
            var next = state
            next.cards = cards.map(IdentityCardRow.init)
            set(next)
        }
    }

    func fail(_ problem: Problem, retryScans: Bool) {
        self.retryScans = retryScans
        set(.failed(problem))
    }
}
