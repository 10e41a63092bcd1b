import Foundation
import Laissez

/// The portrait a valid presentation disclosed, as its issuer signed it: show it large beside
/// the verdict (holder binding proves the phone, the portrait the person).
public struct VerdictPortrait: Sendable, Equatable {
    /// The claim it came from (`picture`, `namespace/portrait`).
    public var path: String
    /// The JPEG file, byte for byte as signed.
    public var jpeg: Data
    public var width: Int
    public var height: Int
}

/// A verdict as the field worker sees it: green or red, why, what was shown, how fresh.
public struct VerdictCard: Sendable, Equatable {
    public var valid: Bool
    public var reasons: [VerdictReason]
    public var reasonCodes: [String]
    public var issuerName: String?
    public var credentialType: String?
    public var claims: [ClaimRow]
    public var statusState: StatusState?
    /// Age of the status list behind the verdict, in seconds (nil: no status data).
    public var statusAgeSecs: Int64?
    /// A static presentation bound to no verifier: whoever photographed it could show it here
    /// within its two-minute window. Say "not bound to this verifier" beside the verdict.
    public var unbound: Bool
    /// The issuer-signed portrait of the holder, when a valid presentation disclosed one.
    public var portrait: VerdictPortrait?
    /// A portrait was disclosed and signed but cannot be shown (`not_jpeg`, `undecodable`,
    /// `too_large`…): say "no usable photo"; the verdict itself is unaffected.
    public var portraitProblem: String?
    /// What was verified: a presentation (`sdJwt`, `mdoc`) or an identity card's code
    /// (`claim169`).
    public var format: CredentialFormat
    /// An identity card's code proves nothing about who shows it (no holder binding: whoever
    /// has the card or a photo of it can show it). Say "Possession not proven: compare the
    /// photo with the person", and show the card's photo (`portrait`) large.
    public var possessionNotProven: Bool

    init(_ verdict: Verdict) {
        valid = verdict.valid
        reasons = verdict.reasons
        reasonCodes = verdict.reasonCodes
        issuerName = verdict.issuerName
        credentialType = verdict.credentialType
        claims = verdict.claims.map {
            ClaimRow(path: $0.path, label: $0.label ?? CredentialsModel.humanize($0.path),
                     value: CredentialsModel.plain($0.valueJson))
        }
        statusState = verdict.status?.state
        statusAgeSecs = verdict.status?.ageSecs
        unbound = verdict.unbound
        portrait = verdict.portrait.map {
            VerdictPortrait(path: $0.path, jpeg: Data($0.jpeg), width: Int($0.width), height: Int($0.height))
        }
        portraitProblem = verdict.portraitProblem
        format = verdict.format
        possessionNotProven = verdict.possessionNotProven
    }

    /// Whether this is the verdict on an identity card's code rather than a presentation.
    public var isIdentityCard: Bool {
        switch format {
        case .claim169: return true
        case .sdJwt, .mdoc: return false
        }
    }
}

/// This verifier's identifier, for its poster or badge: `code` to read out or type, `frame`
/// (the core's QR drawing of it) for holders to scan once. Static presentations bound to it
/// pass here only.
public struct VerifierIdCard: Sendable, Equatable {
    public var code: String
    public var frame: QrFrame
}

public enum VerifierPhase: Sendable, Equatable {
    /// No (current) trust list: import one before anything can be verified.
    case needsTrustList
    case ready
    /// The request to show the holder (loop the frames when several). `signedWith`: the
    /// reference of the registration certificate it is signed with (holders see the
    /// certified identity), nil when unsigned (holders see an unverified warning).
    case showingRequest(frames: [QrFrame], expiresAt: Int64, signedWith: String?)
    case scanning(ScanState)
    case verifying
    /// One card per presented credential.
    case verdicts([VerdictCard])
    case failed(Problem)
}

public struct VerifierState: Sendable, Equatable {
    public var trustList: TrustListSummary?
    public var phase: VerifierPhase
    /// What the installed registration certificate says (organisation, country, purposes,
    /// scope, validity, registrar, reference); nil when none is installed and requests go
    /// unsigned.
    public var certificate: VerifierCertificate? = nil
}

/// The field worker: trust list, registration certificate (requests are signed once one is
/// installed), request codes, scanning the answer, verdicts.
@MainActor
public final class VerifierModel: StateModel<VerifierState> {
    private let verifier: FieldVerifier
    private let lang: String
    private let scan = ScanSession()
    /// How old status data may be before the verdict calls it stale (nil: the core's default).
    public var maxStatusAgeSecs: UInt64?

    /// `wallet`: the field worker's own (unlocked) wallet, which keeps the log and lists.
    public init(wallet: Wallet, lang: String) {
        verifier = FieldVerifier(wallet: wallet)
        self.lang = lang
        super.init(VerifierState(trustList: nil, phase: .needsTrustList))
    }

    private func set(_ phase: VerifierPhase) {
        var next = state
        next.phase = phase
        set(next)
    }

    /// The phase when nothing is under way: ready with a current trust list.
    private static func idle(_ list: TrustListSummary?) -> VerifierPhase {
        list?.current == true ? .ready : .needsTrustList
    }

    /// Reads the installed trust list and registration certificate.
    public func load() async {
        let verifier = self.verifier
        switch await attempt({ (try await verifier.trustList(), try await verifier.registrationCertificate()) }) {
        case .success(let (list, certificate)):
            set(VerifierState(trustList: list, phase: Self.idle(list), certificate: certificate))
        case .failure(let problem):
            set(.failed(problem))
        }
    }

    /// This verifier's request-signing key (a P-256 JWK as JSON text), to give the registrar
    /// that certifies it. It comes from the verifier wallet's words, so a restored verifier
    /// keeps it.
    public func requestSigningKey() async -> Result<String, Problem> {
        let verifier = self.verifier
        return await attempt { try await verifier.requestSigningKey() }
    }

    /// Installs the registration certificate the registrar made (a file's bytes), replacing
    /// any other: `state.certificate` then says what it certifies, and requests are signed.
    /// Refused (another verifier's key, expired, damaged…): `.failed(.invalidCertificate)`,
    /// and the installed certificate stays.
    public func installCertificate(_ certificate: Data) async {
        let verifier = self.verifier
        switch await attempt({ try await verifier.installCertificate(certificate: certificate) }) {
        case .success(let installed):
            var next = state
            next.certificate = installed
            next.phase = Self.idle(state.trustList)
            set(next)
        case .failure(let problem):
            set(.failed(problem))
        }
    }

    /// Imports a signed trust list (a file's text); `signerJwk` pins its signer the first time.
    public func importTrustList(signedText: String, signerJwk: String?) async {
        let verifier = self.verifier
        switch await attempt({ try await verifier.importTrustList(signedText: signedText, signerJwk: signerJwk) }) {
        case .success(let imported):
            var next = state
            next.trustList = imported.list
            next.phase = Self.idle(imported.list)
            set(next)
        case .failure(let problem):
            set(.failed(problem))
        }
    }

    /// Imports a status list token fetched while online; the result, or the problem.
    public func importStatusList(token: Data) async -> Result<StatusListImport, Problem> {
        let verifier = self.verifier
        let result = await attempt { try await verifier.importStatusList(token: token) }
        if case .failure(let problem) = result { set(.failed(problem)) }
        return result
    }

    /// Makes the request QR for `credentials`, valid `ttlSecs`. Signed when a registration
    /// certificate is installed: holders then see its organisation, country and purposes, and
    /// `verifierName` / `purpose` are not shown to them; unsigned otherwise, and holders see
    /// those two only as unchecked claims under an "unverified" warning. `byReference`: the
    /// request names the certificate by its reference instead of carrying it (a shorter code,
    /// for holders who answered this verifier before); without a certificate
    /// `.failed(.noCertificate)`.
    public func createRequest(verifierName: String, purpose: String, credentials: [RequestedCredential],
                              ttlSecs: UInt32 = 300, byReference: Bool = false, options: FrameOptions? = nil) async {
        let verifier = self.verifier
        let result = await attempt {
            try await verifier.createRequest(verifierName: verifierName, purpose: purpose,
                                             credentials: credentials, ttlSecs: ttlSecs,
                                             certificateByReference: byReference, options: options)
        }
        switch result {
        case .success(let codes):
            set(.showingRequest(frames: codes.frames, expiresAt: codes.expiresAt,
                                signedWith: codes.certificateReference))
        case .failure(let problem): set(.failed(problem))
        }
    }

    /// This verifier's identifier as text and QR code (`pngScale` pixels a module when set).
    public func verifierIdCard(pngScale: UInt32? = nil) async -> Result<VerifierIdCard, Problem> {
        let verifier = self.verifier
        return await attempt {
            let code = try await verifier.verifierId()
            return VerifierIdCard(code: code, frame: try renderQr(text: code, pngScale: pngScale))
        }
    }

    /// Opens the camera for the holder's answer (or a static presentation).
    public func startScanning() {
        scan.reset()
        set(.scanning(.aiming))
    }

    /// A camera frame. Frames that arrive while another is decoded are dropped.
    public func push(_ frame: LumaFrame) async {
        guard case .scanning = state.phase, let scanned = await scan.push(frame) else { return }
        await handle(scanned)
    }

    /// A code's text read by other means.
    public func push(text: String) async {
        guard case .scanning = state.phase else { return }
        await handle(scan.push(text: text))
    }

    /// The camera was closed.
    public func stopScanning() {
        guard case .scanning = state.phase else { return }
        set(.scanning(scan.stop()))
    }

    private func handle(_ scanned: ScanState) async {
        if scanned == .rejected, let text = scan.rejectedText {
            let altered = await logAltered(text)
            if case .failed = state.phase { return }
            return set(.scanning(altered ?? scanned))
        }
        // A code that is not a Laissez message may be an identity card's (Claim 169) code.
        if scanned == .notLaissez, let card = scan.foreignTexts.first(where: { isIdentityCardCode(text: $0) }) {
            scan.reset()
            return await verifyCard(card)
        }
        guard case .complete(let message) = scanned else { return set(.scanning(scanned)) }
        await verify(message)
    }

    /// Verifies an identity card's code (scanned, or read by other means) against the trust
    /// list's card issuers for its country: one verdict card, format `claim169`, with
    /// `possessionNotProven` and the card's photo. An unknown issuer, an unsigned or expired
    /// card: a red verdict with its reasons and no claims. Text that is not a card's code:
    /// `failed(.unexpectedMessage)`.
    public func verifyCard(_ text: String) async {
        set(.verifying)
        let verifier = self.verifier
        let lang = self.lang
        switch await attempt({ try await verifier.verifyClaim169(qrText: text, lang: lang) }) {
        case .success(let verdict): set(.verdicts([VerdictCard(verdict)]))
        case .failure(let problem): set(.failed(problem))
        }
    }

    /// A code the scanner rejects goes to the core, which logs it as tampered when it still
    /// names one of this verifier's requests (an answer altered on the way).
    private func logAltered(_ text: String) async -> ScanState? {
        let verifier = self.verifier
        switch await attempt({ try await verifier.logUnreadableAnswer(qrText: text) }) {
        case .success(let verdict?) where !verdict.valid: return scan.override(.alteredAnswer)
        case .success: return nil
        case .failure(let problem):
            set(.failed(problem))
            return nil
        }
    }

    /// Verifies a scanned answer: verdict cards, or the problem (wrong kind of code, no list…).
    public func verify(_ message: QrMessage) async {
        set(.verifying)
        let verifier = self.verifier
        let lang = self.lang
        let maxAge = maxStatusAgeSecs
        switch await attempt({ try await verifier.verify(message: message, lang: lang, maxStatusAgeSecs: maxAge) }) {
        case .success(let verdicts): set(.verdicts(verdicts.map(VerdictCard.init)))
        case .failure(let problem): set(.failed(problem))
        }
    }

    /// Back to the start screen.
    public func done() { set(Self.idle(state.trustList)) }
}
