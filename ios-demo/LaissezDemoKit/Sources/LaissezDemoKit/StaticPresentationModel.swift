import Foundation
import Laissez

/// One claim of the credential, as the person chooses what to show.
public struct StaticClaim: Sendable, Equatable {
    public var path: String
    /// In the person's language when the issuer said how, else the readable path.
    public var label: String
    public var value: String
    /// The person chose to show it. Nothing is chosen at first: the code is not encrypted.
    public var selected: Bool
}

/// The credential and what to show of it.
public struct StaticChoice: Sendable, Equatable {
    public var credential: CredentialRow
    public var claims: [StaticClaim]
    /// Why the last `present()` did not go through (`nothingConsented`, `responseTooLarge`,
    /// `credentialUnusable`…): change the choice and try again.
    public var problem: Problem?
    /// The verifier's identifier (`XXXX-XXXX-XXXX-XXXX-XXXX`) the code is bound to, scanned
    /// from its poster or typed; nil: not bound to a verifier (say so plainly).
    public var verifierId: String? = nil

    /// The paths of the chosen claims, in the credential's order.
    public var selectedPaths: [String] { claims.filter { $0.selected }.map { $0.path } }
}

/// A static code on screen, and how long verifiers still accept it.
public struct StaticCode: Sendable, Equatable {
    /// One frame, or an animated sequence to loop.
    public var frames: [QrFrame]
    /// Unix seconds, on the wallet's clock, from which verifiers refuse it (the core's
    /// `StaticPresentation.acceptedUntil`).
    public var acceptedUntil: Int64
    /// Whole seconds left, rounded up (never 0 while accepted); kept by `countDown()`.
    public var secondsLeft: Int64

    /// `secondsLeft` as minutes and seconds, `1:42`.
    public var timeLeft: String { String(format: "%ld:%02ld", Int(secondsLeft / 60), Int(secondsLeft % 60)) }
}

/// What the static code's countdown reads and waits with. The app uses `system`; tests move a
/// clock of their own.
public struct CountdownClock: Sendable {
    /// Now, in Unix seconds: the wallet's clock, the one `acceptedUntil` is counted on.
    public var now: @Sendable () -> Double
    /// Waits this many seconds; throws when the task is cancelled.
    public var sleep: @Sendable (Double) async throws -> Void

    public init(now: @escaping @Sendable () -> Double, sleep: @escaping @Sendable (Double) async throws -> Void) {
        self.now = now
        self.sleep = sleep
    }

    /// The system clock (the wallets' default) and `Task.sleep`.
    public static let system = CountdownClock(
        now: { Date().timeIntervalSince1970 },
        sleep: { try await Task.sleep(nanoseconds: UInt64(max($0, 0) * 1_000_000_000)) })
}

public enum StaticPresentationState: Sendable, Equatable {
    /// No credential opened yet.
    case idle
    case loading
    /// Claim toggles (none on at first), with the problem of the last attempt.
    case choosing(StaticChoice)
    case presenting
    /// The code to show the verifier, bound to the current two-minute window: the verifier
    /// refuses it from `acceptedUntil` on (`countDown()` keeps the time left), or when seen
    /// before.
    case showing(StaticCode)
    /// The code's window is over: it is no longer shown, verifiers would refuse it.
    /// `presentAgain()` makes a new one, `back()` returns to the choice.
    case expired
    /// Nothing to go on with (a locked wallet, a credential that is gone).
    case failed(Problem)
}

/// The holder's side of the static flow, for a verifier that cannot show a request code: pick a
/// credential, choose its claims, show them as a code bound to the current two-minute window.
///
/// Unlike the answer to a request (`ConsentModel`), the code is not encrypted (there is no
/// verifier key to encrypt to): anyone who sees or photographs it reads the chosen claims. The
/// screen must say to show it only to the verifier. Each code is recorded in the disclosure
/// history (`HistoryRow.shownWithoutRequest`).
@MainActor
public final class StaticPresentationModel: StateModel<StaticPresentationState> {
    private let wallet: Wallet
    private let lang: String
    private let frameOptions: FrameOptions
    private let clock: CountdownClock
    /// The choice being made, kept while the code is shown so the person can change it or make
    /// a new code.
    private var choice: StaticChoice?
    /// The verifier's identifier last scanned or typed: it stays for the next credential.
    private var verifierId: String?
    private let idScan = ScanSession()

    /// The verifier the code being chosen or shown is bound to; nil: any verifier accepts it
    /// within its window, and so would anyone who photographs it. The screen says so.
    public var boundVerifierId: String? { choice?.verifierId }

    /// `lang`: the language of claim labels, as for `CredentialsModel`. `clock`: the wallet's
    /// time, for the countdown.
    public init(wallet: Wallet, lang: String, frameOptions: FrameOptions = defaultFrameOptions(),
                clock: CountdownClock = .system) {
        self.wallet = wallet
        self.lang = lang
        self.frameOptions = frameOptions
        self.clock = clock
        super.init(.idle)
    }

    /// Opens a credential (a `CredentialRow.id`): its claims, labelled, none chosen; or
    /// `failed` (`credentialNotFound`, `locked`…).
    public func open(credentialId: String) async {
        choice = nil
        set(.loading)
        let wallet = self.wallet
        let lang = self.lang
        switch await attempt({ try await wallet.showCredential(id: credentialId, lang: lang) }) {
        case .success(let detail):
            let claims = CredentialsModel.claimRows(detail).map {
                StaticClaim(path: $0.path, label: $0.label, value: $0.value, selected: false)
            }
            let opened = StaticChoice(credential: CredentialsModel.row(detail.summary, lang: lang),
                                      claims: claims, problem: nil, verifierId: verifierId)
            choice = opened
            set(.choosing(opened))
        case .failure(let problem):
            set(.failed(problem))
        }
    }

    /// Turns one claim on or off (only while choosing).
    public func toggle(claim: Int) {
        guard case .choosing(var current) = state, current.claims.indices.contains(claim) else { return }
        current.claims[claim].selected.toggle()
        current.problem = nil
        choice = current
        set(.choosing(current))
    }

    /// A code's text scanned from the verifier's poster or badge, or typed by the person: binds
    /// the next codes to that verifier. Anything else leaves the choice with `notAVerifierId`.
    public func useVerifierId(text: String) {
        guard case .choosing(var current) = state else { return }
        if let id = parseVerifierId(text: text) {
            verifierId = id
            current.verifierId = id
            current.problem = nil
        } else {
            current.problem = .notAVerifierId
        }
        choice = current
        set(.choosing(current))
    }

    /// A camera frame while looking for the verifier's identifier: true once it was read.
    public func scanVerifierId(_ frame: LumaFrame) async -> Bool {
        guard case .choosing = state, await idScan.push(frame) != nil else { return false }
        guard let text = idScan.foreignTexts.first(where: { parseVerifierId(text: $0) != nil }) else { return false }
        idScan.reset()
        useVerifierId(text: text)
        return true
    }

    /// Forgets the verifier: the next code is not bound to one.
    public func forgetVerifierId() {
        guard case .choosing(var current) = state else { return }
        verifierId = nil
        current.verifierId = nil
        choice = current
        set(.choosing(current))
    }

    /// Makes the code of the chosen claims: `showing` the frames; nothing chosen gives the
    /// choice back with `nothingConsented` (and the wallet is not asked); a locked wallet or a
    /// credential deleted meanwhile gives `failed`; anything else the choice with its problem.
    public func present() async {
        guard case .choosing(let current) = state else { return }
        await make(current)
    }

    /// A new code for the same claims (the one shown expired, is too old, or was already
    /// scanned).
    public func presentAgain() async {
        switch state {
        case .showing, .expired: break
        default: return
        }
        guard let choice else { return }
        await make(choice)
    }

    /// Counts the code on screen down: updates its `secondsLeft` each time the number changes
    /// and turns to `expired` at `acceptedUntil`. The screen runs it while the code is up (and
    /// again for each new code); it returns at expiry, when the code is no longer shown, or
    /// when its task is cancelled.
    public func countDown() async {
        while case .showing(var code) = state {
            let left = Double(code.acceptedUntil) - clock.now()
            if left <= 0 { return set(.expired) }
            let secondsLeft = Self.wholeSeconds(left)
            if secondsLeft != code.secondsLeft {
                code.secondsLeft = secondsLeft
                set(.showing(code))
            }
            // Until the shown number changes.
            do { try await clock.sleep(left - Double(secondsLeft - 1)) } catch { return }
        }
    }

    /// Rounded up: "0:01" during the last second, never "0:00" while still accepted.
    private static func wholeSeconds(_ left: Double) -> Int64 { max(0, Int64(left.rounded(.up))) }

    private func make(_ chosen: StaticChoice) async {
        var current = chosen
        let claims = current.selectedPaths
        if claims.isEmpty {
            current.problem = .nothingConsented
            choice = current
            return set(.choosing(current))
        }
        set(.presenting)
        let wallet = self.wallet
        let id = current.credential.id
        let options = frameOptions
        let bound = current.verifierId
        switch await attempt({
            try await wallet.presentStatic(credentialId: id, claims: claims, options: options, verifierId: bound)
        }) {
        case .success(let shown):
            current.problem = nil
            choice = current
            let left = Double(shown.acceptedUntil) - clock.now()
            set(.showing(StaticCode(frames: shown.frames, acceptedUntil: shown.acceptedUntil,
                                    secondsLeft: Self.wholeSeconds(left))))
        case .failure(let problem) where problem == .locked || problem == .credentialNotFound:
            set(.failed(problem))
        case .failure(let problem):
            current.problem = problem
            choice = current
            set(.choosing(current))
        }
    }

    /// Back to the choice (from the code, or after a problem once the wallet is unlocked
    /// again), with the claims chosen before; `idle` when no credential was opened.
    public func back() {
        switch state {
        case .showing, .expired, .failed, .choosing: break
        case .idle, .loading, .presenting: return
        }
        if let choice { set(.choosing(choice)) } else { set(.idle) }
    }
}
