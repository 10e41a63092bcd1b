import Foundation
import Laissez
import XCTest

/// A camera-like 8-bit luma frame: rows `stride` bytes apart, padding after each row.
struct Luma {
    let width: UInt32
    let height: UInt32
    let stride: UInt32
    let pixels: Data
}

/// Draws a QR frame's module matrix as a phone camera would see it on a screen: `scale` pixels
/// a module, the white quiet zone around it, rows padded with grey.
func toLuma(_ frame: QrFrame, scale: Int = 4) -> Luma {
    let size = Int(frame.size)
    let quiet = Int(frame.quietZone)
    let modules = [UInt8](frame.modules)
    let side = (size + 2 * quiet) * scale
    let stride = side + 13
    var pixels = [UInt8](repeating: 0x80, count: stride * side)
    for y in 0..<side {
        for x in 0..<side {
            let mx = x / scale - quiet
            let my = y / scale - quiet
            let dark = (0..<size).contains(mx) && (0..<size).contains(my) && modules[my * size + mx] == 1
            pixels[y * stride + x] = dark ? 0x10 : 0xF0
        }
    }
    return Luma(width: UInt32(side), height: UInt32(side), stride: UInt32(stride), pixels: Data(pixels))
}

extension QrScanner {
    func push(_ luma: Luma) async throws -> ScanUpdate {
        try await pushLuma(width: luma.width, height: luma.height, stride: luma.stride, pixels: luma.pixels)
    }
}

struct ScanFailure: Error, CustomStringConvertible {
    let description: String
}

/// Shows each frame to `scanner` as luma until a message completes, checking progress on the way.
func scan(_ scanner: QrScanner, _ frames: [QrFrame], line: UInt = #line) async throws -> QrMessage {
    var progressed = false
    for frame in frames {
        switch try await scanner.push(toLuma(frame)) {
        case .complete(let message):
            XCTAssertEqual(frames.count > 1, progressed, "progress before completion", line: line)
            return message
        case .progress(let useful, let needed):
            XCTAssertTrue(useful >= 1 && needed >= 1, line: line)
            XCTAssertEqual(scanner.progress(), ScanProgress(useful: useful, needed: needed), line: line)
            progressed = true
        case let other:
            throw ScanFailure(description: "unexpected scan update \(other)")
        }
    }
    throw ScanFailure(description: "the frames never completed a message")
}

/// The system clock moved by a shift: the verifier's clock in these tests.
final class ShiftedClock: WalletClock, @unchecked Sendable {
    private let lock = NSLock()
    private var shift: Int64 = 0
    func nowUnix() -> Int64 { Int64(Date().timeIntervalSince1970) + lock.withLock { shift } }
    func monotonicMillis() -> UInt64 { UInt64(ProcessInfo.processInfo.systemUptime * 1000) }
    func advance(_ seconds: Int64) { lock.withLock { shift += seconds } }
}

/// Runs `call` and returns the error of type `E` it throws, failing the test if it does not.
func failure<E: Error>(_: E.Type, line: UInt = #line, _ call: () async throws -> Void) async -> E? {
    do {
        try await call()
        XCTFail("expected a \(E.self)", line: line)
    } catch let error as E {
        return error
    } catch {
        XCTFail("unexpected error \(error)", line: line)
    }
    return nil
}

/// The offline QR exchange through the bindings: holder, field verifier, trust and status lists.
final class ExchangeTests: XCTestCase {
    private var dir: URL!

    private let claims = #"{"given_name":"Amina","family_name":"Haddad","nationality":"SD","place_of_birth":"Khartoum"}"#
    private let statusUri = "https://status.example/lists/7"
    private let statusIndex: UInt64 = 42

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    private static func now() -> Int64 { Int64(Date().timeIntervalSince1970) }

    private func newWallet(_ name: String, clock: WalletClock? = nil) async throws -> Wallet {
        let options = WalletOptions(pinKdf: insecureTestKdf(), platformKey: nil, clock: clock)
        return try await createWallet(path: dir.appendingPathComponent(name).path, pin: "2468", options: options).wallet
    }

    /// A holder with one credential, a verifier with a trust list naming its issuer.
    private struct World {
        let format: CredentialFormat
        let credentialType: String
        let issuer: TestIssuer
        let signer: TestTrustListSigner
        let clock: ShiftedClock
        let holder: Wallet
        let verifierWallet: Wallet
        let verifier: FieldVerifier

        func requested() -> [RequestedCredential] {
            [RequestedCredential(credentialType: credentialType, claims: [
                RequestedClaim(path: "given_name", required: true),
                RequestedClaim(path: "nationality", required: false),
                RequestedClaim(path: "photo", required: false),
            ])]
        }

        /// Verifier request -> holder scan and consent -> verifier scan: the response message.
        func exchange() async throws -> QrMessage {
            let request = try await verifier.createRequest(verifierName: "Desk 4", purpose: "Food aid",
                                                           credentials: requested(), ttlSecs: 300)
            XCTAssertGreaterThan(request.expiresAt, ExchangeTests.now())
            let first = request.frames[0]
            XCTAssertEqual(UInt32(first.modules.count), first.size * first.size)
            XCTAssertTrue(first.modules.allSatisfy { $0 <= 1 })

            let message = try await scan(QrScanner(), request.frames)
            XCTAssertEqual(message.kind, .verifierRequest)
            let view = try await holder.readRequest(message: message)
            // Unsigned: the name and purpose are only the verifier's claim, under a warning.
            XCTAssertEqual(view.identity,
                           .unverified(reason: .noCertificate, claimedName: "Desk 4", claimedPurpose: "Food aid"))
            XCTAssertEqual(view.expiresAt, request.expiresAt)
            XCTAssertEqual(view.credentials.count, 1)
            XCTAssertEqual(view.credentials[0].credentialType, credentialType)
            let candidate = view.credentials[0].candidates[0]
            XCTAssertTrue(candidate.satisfiesRequired)
            XCTAssertEqual(candidate.claims.map { $0.path }, ["given_name", "nationality", "photo"])
            XCTAssertEqual(candidate.claims.map { $0.available }, [true, true, false])
            let consent = Consent(credentialId: candidate.credential.id, claims: ["given_name", "nationality"])
            var options = defaultFrameOptions()
            options.maxFrameChars = 400
            options.oneCodeMaxChars = 0
            let response = try await holder.respond(message: message, consents: [consent],
                                                    acknowledgement: UnverifiedAcknowledgement(requestId: view.requestId),
                                                    options: options)
            XCTAssertGreaterThan(response.count, 1, "small frames make an animated sequence")
            XCTAssertTrue(response.allSatisfy { $0.text.hasPrefix("LZF1:") })

            let answer = try await scan(QrScanner(), response)
            XCTAssertEqual(answer.kind, .engagedResponse)
            return answer
        }
    }

    private func world(_ format: CredentialFormat) async throws -> World {
        let issuer = try TestIssuer.create(name: "IOM Field Office")
        let signer = try TestTrustListSigner.create()
        let clock = ShiftedClock()
        let holder = try await newWallet("holder.db")
        let jwk = try await holder.holderKey().jwk
        let status = StatusListEntry(uri: statusUri, index: statusIndex)
        let credentialType: String
        let issued: Data
        switch format {
        case .sdJwt:
            credentialType = "urn:laissez:iom:registration:1"
            issued = try issuer.issueSdJwt(vct: credentialType, claimsJson: claims, holderJwkJson: jwk, status: status)
        case .mdoc:
            credentialType = "org.iom.registration.1"
            issued = try issuer.issueMdoc(docType: credentialType, claimsJson: claims, holderJwkJson: jwk, status: status)
        case .claim169:
            throw ScanFailure(description: "identity cards are not issued credentials")
        }
        _ = try await holder.importCredential(credential: issued, issuerKeys: [])
        let verifierWallet = try await newWallet("verifier.db", clock: clock)
        let verifier = FieldVerifier(wallet: verifierWallet)
        let signed = try signer.sign(sequence: 1, validDays: 30, issuers: [issuer])
        let imported = try await verifier.importTrustList(signedText: signed, signerJwk: signer.publicJwk())
        XCTAssertNil(imported.replacedSequence)
        XCTAssertEqual(imported.list.signerFingerprint, signer.fingerprint())
        XCTAssertEqual(imported.list.issuers.map { $0.name }, ["IOM Field Office"])
        // The issuer's authority is trusted, with its signer's certificate known.
        XCTAssertEqual(imported.list.issuers.map { $0.isAuthority }, [true])
        XCTAssertEqual(imported.list.issuers.map { $0.knownSigners }, [1])
        XCTAssertEqual(imported.list.issuers.map { $0.countries }, [[]])
        XCTAssertTrue(imported.list.current)
        return World(format: format, credentialType: credentialType, issuer: issuer, signer: signer,
                     clock: clock, holder: holder, verifierWallet: verifierWallet, verifier: verifier)
    }

    private func engaged(_ format: CredentialFormat) async throws {
        let w = try await world(format)
        let answer = try await w.exchange()
        let verdict = try await w.verifier.verify(message: answer, lang: "en")[0]
        XCTAssertTrue(verdict.valid, "\(verdict.reasonCodes)")
        XCTAssertEqual(verdict.format, format)
        XCTAssertEqual(verdict.credentialType, w.credentialType)
        XCTAssertEqual(verdict.issuerName, "IOM Field Office")
        let paths = verdict.claims.map { $0.path.split(separator: "/").last.map(String.init) ?? "" }.sorted()
        XCTAssertEqual(paths, ["given_name", "nationality"])
        XCTAssertEqual(verdict.claims.first { $0.path.hasSuffix("given_name") }?.valueJson, "\"Amina\"")
        XCTAssertEqual(verdict.status?.state, .unknown)
        XCTAssertEqual(verdict.status?.index, statusIndex)

        // The same answer shown again.
        let replay = try await w.verifier.verify(message: answer, lang: "en")[0]
        XCTAssertFalse(replay.valid)
        XCTAssertEqual(replay.reasons, [.replay])
        XCTAssertEqual(replay.reasonCodes, ["replay"])
        XCTAssertTrue(replay.claims.isEmpty)

        // The issuer revokes the credential; the verifier caches the list while online.
        let token: Data
        switch format {
        case .sdJwt: token = Data(try w.issuer.statusListJwt(uri: statusUri, revokedIndices: [statusIndex]).utf8)
        case .mdoc: token = try w.issuer.statusListCwt(uri: statusUri, revokedIndices: [statusIndex])
        case .claim169: throw ScanFailure(description: "identity cards have no status list")
        }
        let imported = try await w.verifier.importStatusList(token: token)
        XCTAssertEqual(imported.uri, statusUri)
        XCTAssertEqual(imported.issuerName, "IOM Field Office")
        let revoked = try await w.verifier.verify(message: try await w.exchange(), lang: "en")[0]
        XCTAssertFalse(revoked.valid)
        XCTAssertEqual(revoked.reasonCodes, ["revoked"])
        XCTAssertEqual(revoked.status?.state, .revoked)

        let log = try await w.verifier.logEntries()
        XCTAssertEqual(log.map { $0.valid }, [true, false, false])
        XCTAssertEqual(log[1].reasonCodes, ["replay"])
        let exported = try await w.verifier.exportLog()
        XCTAssertEqual(exported.split(separator: "\n").count, 3)
        var policy = defaultRetentionPolicy()
        policy.maxEntries = 1
        let removed = try await w.verifier.prune(policy: policy)
        XCTAssertGreaterThanOrEqual(removed, 2)
        let kept = try await w.verifier.logEntries()
        XCTAssertEqual(kept.count, 1)
    }

    func testSdJwtRequestConsentAnswerThroughLumaFramesReplayRevocation() async throws {
        try await engaged(.sdJwt)
    }

    func testMdocRequestConsentAnswerThroughLumaFramesReplayRevocation() async throws {
        try await engaged(.mdoc)
    }

    func testStaticPresentationAsPngAndTextCodes() async throws {
        let w = try await world(.mdoc)
        let id = try await w.holder.listCredentials()[0].id
        var options = defaultFrameOptions()
        options.pngScale = 2
        let before = Int64(Date().timeIntervalSince1970)
        let presentation = try await w.holder.presentStatic(credentialId: id, claims: ["given_name"], options: options)
        // Accepted until the end of the next two-minute window, in Unix seconds.
        XCTAssertEqual(presentation.acceptedUntil % 120, 0)
        XCTAssertTrue((before + 121...Int64(Date().timeIntervalSince1970) + 240).contains(presentation.acceptedUntil),
                      "\(presentation.acceptedUntil)")
        let frames = presentation.frames
        for frame in frames {
            XCTAssertEqual(frame.png?.prefix(4), Data([0x89, 0x50, 0x4E, 0x47]))
        }
        // Read back from the PNG files themselves, as from a photo or a screenshot.
        let scanner = QrScanner()
        var message: QrMessage?
        for frame in frames {
            let png = try XCTUnwrap(frame.png)
            if case .complete(let complete) = try await scanner.pushImage(image: png) { message = complete }
        }
        let shown = try XCTUnwrap(message)
        // A file that is not an image, and a cut-off PNG: a typed error.
        for bad in [Data("GIF89a".utf8), try XCTUnwrap(frames[0].png).prefix(40)] {
            let error = await failure(QrError.self) { _ = try await QrScanner().pushImage(image: Data(bad)) }
            guard case .InvalidImage = error else { return XCTFail("\(String(describing: error))") }
        }
        XCTAssertEqual(shown.kind, .staticPresentation)
        let verdict = try await w.verifier.verify(message: shown, lang: "en")[0]
        XCTAssertTrue(verdict.valid, "\(verdict.reasonCodes)")
        let again = try await w.verifier.verify(message: shown, lang: "en")[0]
        XCTAssertEqual(again.reasonCodes, ["replay"])
        // From acceptedUntil on, the verifier refuses it as out of its window.
        w.clock.advance(presentation.acceptedUntil - Int64(Date().timeIntervalSince1970))
        let late = try await w.verifier.verify(message: shown, lang: "en")[0]
        XCTAssertEqual(late.reasons, [.stalePresentation])
    }

    /// Shows `frames` to a fresh scanner as luma: the last update.
    private func scanAll(_ frames: [QrFrame]) async throws -> ScanUpdate {
        let scanner = QrScanner()
        var last = ScanUpdate.nothingFound
        for frame in frames { last = try await scanner.push(toLuma(frame)) }
        return last
    }

    func testStaticPresentationBoundToTheVerifierIdScannedFromItsPoster() async throws {
        let w = try await world(.sdJwt)
        let code = try await w.verifier.verifierId()
        XCTAssertNotNil(code.range(of: "^[0-9A-F]{4}(-[0-9A-F]{4}){4}$", options: .regularExpression), code)
        let again = try await w.verifier.verifierId()
        XCTAssertEqual(code, again, "stable")
        guard case .notLaissez(let texts) = try await scanAll([try renderQr(text: code)]) else {
            return XCTFail("the poster is not a Laissez message")
        }
        XCTAssertEqual(parseVerifierId(text: texts[0]), code)
        XCTAssertEqual(parseVerifierId(text: code.lowercased().replacingOccurrences(of: "-", with: " ")), code)
        XCTAssertNil(parseVerifierId(text: "https://example.org"))

        let elsewhere = FieldVerifier(wallet: try await newWallet("elsewhere.db"))
        let signed = try w.signer.sign(sequence: 1, validDays: 30, issuers: [w.issuer])
        _ = try await elsewhere.importTrustList(signedText: signed, signerJwk: w.signer.publicJwk())
        let id = try await w.holder.listCredentials()[0].id
        let boundFrames = try await w.holder.presentStatic(credentialId: id, claims: ["given_name"], verifierId: texts[0]).frames
        guard case .complete(let bound) = try await scanAll(boundFrames) else { return XCTFail("no message") }
        let there = try await elsewhere.verify(message: bound, lang: "en")[0]
        XCTAssertFalse(there.valid)
        XCTAssertEqual(there.reasons, [.wrongAudience])
        let here = try await w.verifier.verify(message: bound, lang: "en")[0]
        XCTAssertTrue(here.valid, "\(here.reasonCodes)")
        XCTAssertFalse(here.unbound)

        let unboundFrames = try await w.holder.presentStatic(credentialId: id, claims: ["given_name"]).frames
        guard case .complete(let unbound) = try await scanAll(unboundFrames) else { return XCTFail("no message") }
        let anywhere = try await elsewhere.verify(message: unbound, lang: "en")[0]
        XCTAssertTrue(anywhere.valid && anywhere.unbound, "\(anywhere)")

        let history = try await w.holder.disclosureHistory()
        XCTAssertEqual(history.count, 2)
        XCTAssertEqual(history[0].audience, "urn:laissez:verifier-id:" + code.replacingOccurrences(of: "-", with: "").lowercased())
        XCTAssertEqual(history[1].audience, "urn:laissez:static")
        // The label comes from the core: bound to the poster's verifier, or to any verifier.
        XCTAssertEqual(history.map { $0.shownAs }, [.staticToVerifier(verifierId: code), .staticToAnyVerifier])
        let malformed = await failure(ExchangeError.self) {
            _ = try await w.holder.presentStatic(credentialId: id, claims: ["given_name"], verifierId: "3F2A-0102")
        }
        guard case .MalformedRequest = malformed else { return XCTFail("\(String(describing: malformed))") }
    }

    func testAnAlteredAnswerIsLoggedAndATamperedVerifierFileIsTampered() async throws {
        let w = try await world(.sdJwt)
        let request = try await w.verifier.createRequest(verifierName: "Desk 4", purpose: "Food aid",
                                                         credentials: w.requested(), ttlSecs: 300)
        let message = try decodeQrText(text: request.frames[0].text)
        let id = try await w.holder.listCredentials()[0].id
        var whole = defaultFrameOptions()
        whole.maxFrameChars = 3391
        let ack = UnverifiedAcknowledgement(requestId: try await w.holder.readRequest(message: message).requestId)
        let text = try await w.holder.respond(message: message, consents: [Consent(credentialId: id, claims: ["given_name"])],
                                              acknowledgement: ack, options: whole)[0].text
        let history = try await w.holder.disclosureHistory()
        XCTAssertEqual(history.map { $0.claimedVerifierName }, ["Desk 4"])
        var chars = Array(text)
        let at = chars.count - 5
        chars[at] = chars[at] == "0" ? "1" : "0"
        let altered = String(chars)
        guard case .rejected(_, let rejectedText) = QrScanner().pushText(text: altered) else {
            return XCTFail("the altered code is not rejected")
        }
        XCTAssertEqual(rejectedText, altered)
        let verdict = try await w.verifier.logUnreadableAnswer(qrText: rejectedText)
        XCTAssertEqual(verdict?.reasons, [.tampered])
        let none = try await w.verifier.logUnreadableAnswer(qrText: "LZ1:%%%%")
        XCTAssertNil(none)
        let log = try await w.verifier.logEntries()
        XCTAssertEqual(log.map { $0.reasonCodes }, [["tampered"]])

        // The installed trust list deleted behind the verifier's back.
        for record in try await w.verifierWallet.find(kind: "trust_list", tags: [], limit: 10, cursor: nil).records {
            try await w.verifierWallet.delete(id: record.id)
        }
        let answer = try decodeQrText(text: text)
        let error = await failure(VerifierError.self) { _ = try await w.verifier.verify(message: answer, lang: "en") }
        guard case .Tampered = error else { return XCTFail("\(String(describing: error))") }
    }

    func testTrustListByQrWrongSignersRollbackAndExpiry() async throws {
        let w = try await world(.sdJwt)
        // A newer list from the pinned signer, shown as QR codes and scanned.
        let newer = try w.signer.sign(sequence: 2, validDays: 30, issuers: [w.issuer])
        let frames = try await qrFrames(message: trustListMessage(signedText: newer))
        let message = try await scan(QrScanner(), frames)
        XCTAssertEqual(message.kind, .trustList)
        let imported = try await w.verifier.importTrustListMessage(message: message)
        XCTAssertEqual(imported.replacedSequence, 1)
        let installed = try await w.verifier.trustList()
        XCTAssertEqual(installed?.sequence, 2)

        let old = try w.signer.sign(sequence: 1, validDays: 30, issuers: [])
        let rollback = await failure(VerifierError.self) { _ = try await w.verifier.importTrustList(signedText: old) }
        guard case .TrustListRejected(let code, _) = rollback else { return XCTFail("\(String(describing: rollback))") }
        XCTAssertEqual(code, .rollback)
        let stranger = try TestTrustListSigner.create()
        let forged = try stranger.sign(sequence: 3, validDays: 30, issuers: [w.issuer])
        let bad = await failure(VerifierError.self) { _ = try await w.verifier.importTrustList(signedText: forged) }
        guard case .TrustListRejected(let badCode, _) = bad else { return XCTFail("\(String(describing: bad))") }
        XCTAssertEqual(badCode, .badSignature)
        let changed = await failure(VerifierError.self) {
            _ = try await w.verifier.importTrustList(signedText: forged, signerJwk: stranger.publicJwk())
        }
        XCTAssertEqual(changed, .SignerChanged(pinnedFingerprint: w.signer.fingerprint()))
        let badKey = await failure(VerifierError.self) {
            _ = try await w.verifier.importTrustList(signedText: forged, signerJwk: "{}")
        }
        guard case .InvalidSignerKey = badKey else { return XCTFail("\(String(describing: badKey))") }
        let backup = QrMessage(kind: .backup, payload: Data())
        let wrongKind = await failure(VerifierError.self) { _ = try await w.verifier.importTrustListMessage(message: backup) }
        XCTAssertEqual(wrongKind, .UnexpectedMessage(kind: "backup"))

        let fresh = FieldVerifier(wallet: try await newWallet("fresh.db"))
        let none = try await fresh.trustList()
        XCTAssertNil(none)
        let unpinned = await failure(VerifierError.self) { _ = try await fresh.importTrustList(signedText: forged) }
        XCTAssertEqual(unpinned, .NoPinnedSigner)
        let empty = QrMessage(kind: .staticPresentation, payload: Data())
        let noList = await failure(VerifierError.self) { _ = try await fresh.verify(message: empty, lang: "en") }
        XCTAssertEqual(noList, .NoTrustList)

        // A status list signed by an issuer the list does not name.
        let other = try TestIssuer.create(name: "Someone else")
        let foreign = Data(try other.statusListJwt(uri: statusUri, revokedIndices: [1]).utf8)
        let unknown = await failure(VerifierError.self) { _ = try await w.verifier.importStatusList(token: foreign) }
        guard case .StatusListRejected(let unknownCode, _) = unknown else { return XCTFail("\(String(describing: unknown))") }
        XCTAssertEqual(unknownCode, .unknownSigner)

        // Forty days on the list has expired and vouches for nobody.
        w.clock.advance(40 * 86_400)
        let later = try await w.verifier.trustList()
        XCTAssertEqual(later?.current, false)
        let expired = await failure(VerifierError.self) { _ = try await w.verifier.verify(message: empty, lang: "en") }
        XCTAssertEqual(expired, .TrustListExpired(sequence: 2))
    }

    func testBadInputGivesTypedErrorsNeverACrash() async throws {
        let w = try await world(.sdJwt)
        let scanner = QrScanner()
        // Noise and a blank frame hold no code.
        var generator = SystemRandomNumberGenerator()
        let noise = Data((0..<(320 * 240)).map { _ in UInt8.random(in: 0...255, using: &generator) })
        let noiseUpdate = try await scanner.push(Luma(width: 320, height: 240, stride: 320, pixels: noise))
        XCTAssertEqual(noiseUpdate, .nothingFound)
        let blank = Luma(width: 64, height: 64, stride: 80, pixels: Data(repeating: 0xFF, count: 80 * 64))
        let blankUpdate = try await scanner.push(blank)
        XCTAssertEqual(blankUpdate, .nothingFound)
        // Sizes that do not fit the buffer.
        for luma in [Luma(width: 0, height: 10, stride: 0, pixels: Data()),
                     Luma(width: 10, height: 10, stride: 5, pixels: Data(count: 100)),
                     Luma(width: 10, height: 10, stride: 10, pixels: Data(count: 50))] {
            let error = await failure(QrError.self) { _ = try await scanner.push(luma) }
            guard case .InvalidFrame = error else { return XCTFail("\(String(describing: error))") }
        }
        XCTAssertEqual(scanner.pushText(text: "https://example.org"), .notLaissez(texts: ["https://example.org"]))
        for damaged in ["LZ1:%%%", "LZ9:ABC", "LZF1:ABC", "LZ1:"] {
            guard case .rejected = scanner.pushText(text: damaged) else { return XCTFail(damaged) }
        }
        XCTAssertEqual(scanner.progress(), ScanProgress(useful: 0, needed: 0))
        scanner.reset()
        XCTAssertThrowsError(try decodeQrText(text: "hello")) { error in
            guard case QrError.NotAMessage = error else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try renderQr(text: "lower case")) { error in
            guard case QrError.Encoding = error else { return XCTFail("\(error)") }
        }

        // The holder: wrong kind, damaged request, consent problems, locked wallet.
        let notRequest = await failure(ExchangeError.self) {
            _ = try await w.holder.readRequest(message: trustListMessage(signedText: "x"))
        }
        XCTAssertEqual(notRequest, .NotARequest(kind: "trust_list"))
        let damagedRequest = QrMessage(kind: .verifierRequest, payload: Data("garbage".utf8))
        let malformed = await failure(ExchangeError.self) { _ = try await w.holder.readRequest(message: damagedRequest) }
        guard case .MalformedRequest = malformed else { return XCTFail("\(String(describing: malformed))") }
        let request = try await w.verifier.createRequest(verifierName: "Desk", purpose: "Aid",
                                                         credentials: w.requested(), ttlSecs: 60)
        let message = try decodeQrText(text: request.frames[0].text)
        let id = try await w.holder.listCredentials()[0].id
        let ack = UnverifiedAcknowledgement(requestId: try await w.holder.readRequest(message: message).requestId)
        let extra = await failure(ExchangeError.self) {
            _ = try await w.holder.respond(message: message, consents: [Consent(credentialId: id, claims: ["family_name"])],
                                           acknowledgement: ack)
        }
        XCTAssertEqual(extra, .NotRequested(claim: "family_name"))
        let nothing = await failure(ExchangeError.self) {
            _ = try await w.holder.respond(message: message, consents: [Consent(credentialId: id, claims: [])],
                                           acknowledgement: ack)
        }
        XCTAssertEqual(nothing, .NothingConsented)
        let missing = await failure(ExchangeError.self) {
            _ = try await w.holder.respond(message: message, consents: [Consent(credentialId: "nope", claims: ["given_name"])],
                                           acknowledgement: ack)
        }
        XCTAssertEqual(missing, .CredentialNotFound)
        w.holder.lock()
        let locked = await failure(ExchangeError.self) { _ = try await w.holder.readRequest(message: message) }
        XCTAssertEqual(locked, .Locked)
        try await w.holder.unlock(pin: "2468")
        // Two minutes later the request has expired.
        let late = try await newWallet("late.db", clock: TestClock(Self.now() + 120))
        let expired = await failure(ExchangeError.self) { _ = try await late.readRequest(message: message) }
        XCTAssertEqual(expired, .RequestExpired)

        // The verifier: a request is not an answer; a damaged answer is a verdict.
        let wrongKind = await failure(VerifierError.self) { _ = try await w.verifier.verify(message: message, lang: "en") }
        XCTAssertEqual(wrongKind, .UnexpectedMessage(kind: "verifier_request"))
        let garbage = QrMessage(kind: .engagedResponse, payload: Data([1, 2, 3]))
        let damaged = try await w.verifier.verify(message: garbage, lang: "en")[0]
        XCTAssertEqual(damaged.reasons, [.malformed])
        let noCredentials = await failure(VerifierError.self) {
            _ = try await w.verifier.createRequest(verifierName: "Desk", purpose: "Aid", credentials: [], ttlSecs: 60)
        }
        guard case .InvalidRequest = noCredentials else { return XCTFail("\(String(describing: noCredentials))") }
        let badToken = await failure(VerifierError.self) { _ = try await w.verifier.importStatusList(token: Data("garbage".utf8)) }
        guard case .StatusListRejected = badToken else { return XCTFail("\(String(describing: badToken))") }
    }
}
