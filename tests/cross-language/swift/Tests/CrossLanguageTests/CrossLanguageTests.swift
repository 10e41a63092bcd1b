import Foundation
import Laissez
import XCTest

// The Swift side of the cross-language exchange (see tests/cross-language/README.md). Every
// message between the two sides is a directory of PNG files in the shared work directory; the
// only other files are the wallets' own databases and the trust-list signer's public key (the
// key a verifier is configured with).

let pin = "2468"
let sdJwtType = "urn:laissez:iom:registration:1"
let mdocType = "org.iom.registration.1"
let holderClaims = #"{"given_name":"Yusuf","family_name":"Idris","nationality":"SS","place_of_birth":"Juba"}"#
/// The Kotlin holder's given name: what the Swift verifier must read from its codes.
let kotlinGivenName = #""Amina""#

/// The work directory: $LAISSEZ_XLANG_DIR (a native swift run), else <repository>/target/
/// cross-language (the Debian chroot passes no environment through; it mounts the repository at
/// the same path, so this file's compile-time path finds it).
let workDir: URL = {
    if let dir = ProcessInfo.processInfo.environment["LAISSEZ_XLANG_DIR"] { return URL(fileURLWithPath: dir) }
    var repo = URL(fileURLWithPath: #filePath)
    for _ in 0..<6 { repo.deleteLastPathComponent() }  // tests/cross-language/swift/Tests/CrossLanguageTests/<file>
    return repo.appendingPathComponent("target/cross-language")
}()

func path(_ name: String) -> URL { workDir.appendingPathComponent(name) }

struct CheckFailure: Error, CustomStringConvertible {
    let description: String
}

func require(_ condition: Bool, _ what: @autoclosure () -> String) throws {
    if !condition { throw CheckFailure(description: what()) }
}

/// Records one named check in checks.log (run.sh tallies it); a failure is recorded, then thrown.
func check<T>(_ name: String, _ body: () async throws -> T) async throws -> T {
    func log(_ line: String) throws {
        let url = path("checks.log")
        if !FileManager.default.fileExists(atPath: url.path) {
            _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        }
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data((line + "\n").utf8))
    }
    do {
        let result = try await body()
        try log("pass swift: \(name)")
        return result
    } catch {
        let first = "\(error)".split(separator: "\n").first.map(String.init) ?? ""
        try log("fail swift: \(name): \(first)")
        throw error
    }
}

/// Small frames with PNGs and no single dense code (`oneCodeMaxChars = 0`): messages become
/// animated sequences, the harder path for the other language's scanner to read.
func pngOptions() -> FrameOptions {
    var options = defaultFrameOptions()
    options.maxFrameChars = 600
    options.oneCodeMaxChars = 0
    options.pngScale = 3
    return options
}

/// Writes each frame's PNG as `<name>/NN.png`; the directory holds nothing else.
func writePngs(_ name: String, _ frames: [QrFrame]) throws {
    let out = path(name)
    try? FileManager.default.removeItem(at: out)
    try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
    for (i, frame) in frames.enumerated() {
        guard let png = frame.png else { throw CheckFailure(description: "frame \(i) has no PNG") }
        try png.write(to: out.appendingPathComponent(String(format: "%02d.png", i)))
    }
}

/// Shows the PNG files of `<name>/` to a new scanner, in order, until a message completes.
func scanPngs(_ name: String, _ kind: QrMessageKind) async throws -> QrMessage {
    let files = try FileManager.default.contentsOfDirectory(atPath: path(name).path)
        .filter { $0.hasSuffix(".png") }.sorted()
    try require(!files.isEmpty, "no PNG in \(name)")
    let scanner = QrScanner()
    for file in files {
        let image = try Data(contentsOf: path(name).appendingPathComponent(file))
        switch try await scanner.pushImage(image: image) {
        case .complete(let message):
            try require(message.kind == kind, "\(name): a \(message.kind) message, not \(kind)")
            return message
        case .progress:
            continue
        case let other:
            throw CheckFailure(description: "\(file): unexpected scan update \(other)")
        }
    }
    throw CheckFailure(description: "the \(files.count) images of \(name) never completed a message")
}

func walletOptions() -> WalletOptions { WalletOptions(pinKdf: insecureTestKdf(), platformKey: nil, clock: nil) }

func newWallet(_ name: String) async throws -> Wallet {
    try? FileManager.default.removeItem(at: path(name))
    return try await createWallet(path: path(name).path, pin: pin, options: walletOptions()).wallet
}

func reopen(_ name: String) async throws -> Wallet {
    let wallet = try await openWallet(path: path(name).path, options: walletOptions())
    try await wallet.unlock(pin: pin)
    return wallet
}

/// What a verdict on the Kotlin holder's credential must say.
func requireKotlinVerdict(_ verdicts: [Verdict], _ format: CredentialFormat) throws {
    try require(verdicts.count == 1, "\(verdicts.count) verdicts")
    let verdict = verdicts[0]
    try require(verdict.valid, "invalid: \(verdict.reasonCodes)")
    try require(verdict.format == format, "format \(verdict.format)")
    try require(verdict.credentialType == (format == .mdoc ? mdocType : sdJwtType), "type \(String(describing: verdict.credentialType))")
    try require(verdict.issuerName == "Kotlin Field Office", "issuer \(String(describing: verdict.issuerName))")
    let names = verdict.claims.map { $0.path.split(separator: "/").last.map(String.init) ?? "" }.sorted()
    try require(names == ["given_name", "nationality"], "claims \(names)")
    let given = verdict.claims.first { $0.path.hasSuffix("given_name") }?.valueJson
    try require(given == kotlinGivenName, "given_name \(String(describing: given))")
}

final class CrossLanguageTests: XCTestCase {
    /// First: the Swift issuer, holder and verifier start; the trust list and an mdoc request
    /// are shown as PNGs.
    func testStep0() async throws {
        try FileManager.default.createDirectory(at: workDir, withIntermediateDirectories: true)
        try await check("swift issuer: SD-JWT and mdoc into the swift holder, trust list as PNG") {
            let issuer = try TestIssuer.create(name: "Swift Field Office")
            let signer = try TestTrustListSigner.create()
            let holder = try await newWallet("swift-holder.db")
            let jwk = try await holder.holderKey().jwk
            _ = try await holder.importCredential(
                credential: try issuer.issueSdJwt(vct: sdJwtType, claimsJson: holderClaims, holderJwkJson: jwk),
                issuerKeys: [])
            _ = try await holder.importCredential(
                credential: try issuer.issueMdoc(docType: mdocType, claimsJson: holderClaims, holderJwkJson: jwk),
                issuerKeys: [])
            try require(try await holder.listCredentials().count == 2, "two credentials")
            let signed = try signer.sign(sequence: 1, validDays: 30, issuers: [issuer])
            try writePngs("swift-trust", try await qrFrames(message: trustListMessage(signedText: signed), options: pngOptions()))
            try Data(signer.publicJwk().utf8).write(to: path("swift-signer.jwk"))
        }
        try await check("swift verifier: mdoc request as PNG") {
            let verifier = FieldVerifier(wallet: try await newWallet("swift-verifier.db"))
            let requested = [RequestedCredential(credentialType: mdocType, claims: [
                RequestedClaim(path: "given_name", required: true),
                RequestedClaim(path: "nationality", required: false),
            ])]
            let codes = try await verifier.createRequest(verifierName: "Swift desk", purpose: "Cross-language test",
                                                         credentials: requested, ttlSecs: 3600, options: pngOptions())
            try writePngs("swift-request", codes.frames)
        }
    }

    /// After Kotlin step 1: the Swift verifier takes the Kotlin trust list and checks the Kotlin
    /// holder's static SD-JWT and mdoc answer; the Swift holder shows a static mdoc and answers
    /// the Kotlin request with its SD-JWT.
    func testStep2() async throws {
        let verifier = FieldVerifier(wallet: try await reopen("swift-verifier.db"))
        try await check("swift verifier: kotlin trust list scanned from PNG") {
            let message = try await scanPngs("kotlin-trust", .trustList)
            let jwk = try String(contentsOf: path("kotlin-signer.jwk"), encoding: .utf8)
            let imported = try await verifier.importTrustListMessage(message: message, signerJwk: jwk)
            try require(imported.list.issuers.map(\.name) == ["Kotlin Field Office"], "issuers \(imported.list.issuers)")
            try require(imported.list.current, "current")
        }
        try await check("swift verifier: kotlin static SD-JWT presentation from PNG is valid") {
            let message = try await scanPngs("kotlin-static", .staticPresentation)
            try requireKotlinVerdict(try await verifier.verify(message: message, lang: "en"), .sdJwt)
        }
        try await check("swift verifier: kotlin static presentation shown again is a replay") {
            let message = try await scanPngs("kotlin-static", .staticPresentation)
            let codes = try await verifier.verify(message: message, lang: "en").map(\.reasonCodes)
            try require(codes == [["replay"]], "reasons \(codes)")
        }
        try await check("swift verifier: kotlin mdoc answer from PNG is valid") {
            let message = try await scanPngs("kotlin-response", .engagedResponse)
            try requireKotlinVerdict(try await verifier.verify(message: message, lang: "en"), .mdoc)
        }
        try await check("swift verifier: kotlin answer shown again is a replay") {
            let message = try await scanPngs("kotlin-response", .engagedResponse)
            let codes = try await verifier.verify(message: message, lang: "en").map(\.reasonCodes)
            try require(codes == [["replay"]], "reasons \(codes)")
        }

        let holder = try await reopen("swift-holder.db")
        let credentials = try await holder.listCredentials()
        try await check("swift holder: static mdoc presentation as PNG, with when it stops being accepted") {
            guard let mdoc = credentials.first(where: { $0.format == .mdoc }) else { throw CheckFailure(description: "no mdoc") }
            let shown = try await holder.presentStatic(credentialId: mdoc.id, claims: ["given_name", "nationality"], options: pngOptions())
            // A window boundary at most four minutes ahead (Unix seconds, an i64 across the FFI).
            let left = shown.acceptedUntil - Int64(Date().timeIntervalSince1970)
            try require(shown.acceptedUntil % 120 == 0 && (1...240).contains(left), "accepted until \(shown.acceptedUntil)")
            try writePngs("swift-static", shown.frames)
        }
        try await check("swift holder: kotlin request read from PNG, SD-JWT answer as PNG") {
            let message = try await scanPngs("kotlin-request", .verifierRequest)
            let request = try await holder.readRequest(message: message)
            // An unsigned request: its name is only the verifier's own claim, under a warning.
            try require(request.identity == .unverified(reason: .noCertificate, claimedName: "Kotlin desk",
                                                        claimedPurpose: "Cross-language test"),
                        "verifier \(request.identity)")
            try require(request.credentials.count == 1 && request.credentials[0].candidates.count == 1, "one candidate")
            let candidate = request.credentials[0].candidates[0]
            try require(candidate.credential.format == .sdJwt && candidate.satisfiesRequired, "an SD-JWT candidate")
            let frames = try await holder.respond(
                message: message,
                consents: [Consent(credentialId: candidate.credential.id, claims: ["given_name", "nationality"])],
                // The person saw the UNVERIFIED warning and took the extra step.
                acknowledgement: UnverifiedAcknowledgement(requestId: request.requestId),
                options: pngOptions())
            try require(frames.count > 1, "an animated sequence")
            try writePngs("swift-response", frames)
        }
    }
}
