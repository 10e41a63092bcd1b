import Foundation
import Laissez
@testable import LaissezDemoKit
import XCTest

/// The verifier's request and the holder's answer, through both models and QR frames drawn as
/// camera luma: the happy path, then each bad input ending in its state.
@MainActor
final class ExchangeFlowTests: DemoTestCase {
    /// The verifier model with its trust list loaded.
    private func verifier(_ w: World) async -> VerifierModel {
        let model = VerifierModel(wallet: w.verifierWallet, lang: "en")
        await model.load()
        XCTAssertEqual(model.state.phase, .ready)
        return model
    }

    private func requestFrames(_ model: VerifierModel, required: [String] = ["given_name"],
                               optional: [String] = ["nationality", "photo"],
                               type: String = credentialType) async throws -> [QrFrame] {
        await model.createRequest(verifierName: "Desk 4", purpose: "Food aid",
                                  credentials: Self.requested(required: required, optional: optional, type: type))
        guard case .showingRequest(let frames, _, _) = model.state.phase else {
            throw Problem.from(ScanFailure("\(model.state.phase)"))
        }
        return frames
    }

    /// Shows `frames` to the holder's camera until the model leaves scanning.
    private func holderScans(_ consent: ConsentModel, _ frames: [QrFrame]) async {
        for frame in frames {
            await consent.push(frame.luma())
            if case .scanning = consent.state { continue }
            return
        }
    }

    /// Shows `frames` to the verifier's camera, recording the progress states seen.
    @discardableResult
    private func verifierScans(_ model: VerifierModel, _ frames: [QrFrame]) async -> [ScanState] {
        var seen: [ScanState] = []
        model.startScanning()
        for frame in frames {
            await model.push(frame.luma())
            guard case .scanning(let scan) = model.state.phase else { break }
            seen.append(scan)
        }
        return seen
    }

    func testConsentAnswerAndAGreenVerdictThroughAnimatedFrames() async throws {
        let w = try await world()
        let model = await verifier(w)
        let request = try await requestFrames(model)
        let consent = ConsentModel(wallet: w.holder, lang: "fr", frameOptions: Self.smallFrames)
        await holderScans(consent, request)
        guard case .review(let review) = consent.state else { return XCTFail("\(consent.state)") }
        // No registration certificate: the request's own name and purpose, only as its claims.
        XCTAssertEqual(review.verifier, .unverified(reason: .noCertificate, claimedName: "Desk 4",
                                                    claimedPurpose: "Food aid"))
        XCTAssertEqual(review.items.count, 1)
        let item = review.items[0]
        XCTAssertEqual(item.title, "Enregistrement OIM")
        XCTAssertEqual(item.claims.map { $0.path }, ["given_name", "nationality", "photo"])
        XCTAssertEqual(item.claims.map { $0.label }, ["Prénom", "Nationalité", "Photo"])
        XCTAssertEqual(item.claims.map { $0.required }, [true, false, false])
        XCTAssertEqual(item.claims.map { $0.selected }, [true, true, false], "what is held is preselected")
        consent.toggle(item: 0, claim: 2)
        guard case .review(let unchanged) = consent.state else { return XCTFail("\(consent.state)") }
        XCTAssertFalse(unchanged.items[0].claims[2].selected, "a claim the credential lacks stays off")
        consent.toggle(item: 0, claim: 1)

        await consent.respondAnyway()
        guard case .showingResponse(let answer) = consent.state else { return XCTFail("\(consent.state)") }
        XCTAssertGreaterThan(answer.count, 1, "an animated sequence")
        let seen = await verifierScans(model, answer)
        XCTAssertTrue(seen.contains { if case .progress = $0 { return true } else { return false } }, "\(seen)")
        guard case .verdicts(let cards) = model.state.phase, let card = cards.first else {
            return XCTFail("\(model.state.phase)")
        }
        XCTAssertTrue(card.valid, "\(card.reasonCodes)")
        XCTAssertEqual(card.issuerName, "IOM Field Office")
        XCTAssertEqual(card.claims.map { $0.path }, ["given_name"], "nationality was switched off")
        XCTAssertEqual(card.claims.first?.value, "Amina")
        XCTAssertEqual(card.statusState, .unknown, "no status list imported yet")

        // The field worker imports the issuer's status list: the next answer is revoked, with its age.
        let token = Data(try w.issuer.statusListJwt(uri: Self.statusUri, revokedIndices: [42]).utf8)
        guard case .success = await model.importStatusList(token: token) else { return XCTFail("\(model.state)") }
        let second = try await requestFrames(model)
        consent.restart()
        await holderScans(consent, second)
        await consent.respondAnyway()
        guard case .showingResponse(let revokedAnswer) = consent.state else { return XCTFail("\(consent.state)") }
        await verifierScans(model, revokedAnswer)
        guard case .verdicts(let revoked) = model.state.phase else { return XCTFail("\(model.state.phase)") }
        XCTAssertFalse(revoked[0].valid)
        XCTAssertEqual(revoked[0].reasons, [.revoked])
        XCTAssertNotNil(revoked[0].statusAgeSecs)

        let history = HistoryModel(holder: w.holder)
        await history.refresh()
        guard case .rows(let disclosures) = history.state else { return XCTFail("\(history.state)") }
        XCTAssertEqual(disclosures.count, 2)
        let log = HistoryModel(verifierWallet: w.verifierWallet)
        await log.refresh()
        guard case .rows(let checks) = log.state else { return XCTFail("\(log.state)") }
        XCTAssertEqual(checks.count, 2)
        XCTAssertEqual(Set(checks.compactMap { $0.valid }), [true, false])
    }

    func testHolderBadInputs() async throws {
        let w = try await world()
        let model = await verifier(w)

        // Noise, then a code that is not a request (the trust list as QR).
        let consent = ConsentModel(wallet: w.holder, lang: "en")
        await consent.push(noiseFrame())
        XCTAssertEqual(consent.state, .scanning(.noCode(frames: 1)))
        await consent.push(LumaFrame(width: 10, height: 10, stride: 5, pixels: Data(count: 100)))
        XCTAssertEqual(consent.state, .scanning(.badFrame))
        await consent.push(text: "https://example.org")
        XCTAssertEqual(consent.state, .scanning(.notLaissez))
        await consent.push(text: "LZ1:%%%")
        XCTAssertEqual(consent.state, .scanning(.rejected))
        let signed = try w.signer.sign(sequence: 2, validDays: 30, issuers: [w.issuer])
        let trustFrames = try await qrFrames(message: trustListMessage(signedText: signed))
        await holderScans(consent, trustFrames)
        XCTAssertEqual(consent.state, .failed(.notARequest(kind: "trust_list")))

        // A request for a credential the holder does not have.
        consent.restart()
        await holderScans(consent, try await requestFrames(model, type: "org.unhcr.refugee.1"))
        XCTAssertEqual(consent.state, .failed(.noMatchingCredential(types: ["org.unhcr.refugee.1"])))

        // A required claim the holder's credential lacks, and a required claim switched off.
        consent.restart()
        await holderScans(consent, try await requestFrames(model, required: ["given_name", "photo"], optional: []))
        await consent.respondAnyway()
        guard case .review(let lacking) = consent.state else { return XCTFail("\(consent.state)") }
        XCTAssertEqual(lacking.problem, .missingRequired(claims: ["photo"]))
        consent.restart()
        await holderScans(consent, try await requestFrames(model, required: ["given_name"], optional: []))
        consent.toggle(item: 0, claim: 0)
        await consent.respondAnyway()
        guard case .review(let declined) = consent.state else { return XCTFail("\(consent.state)") }
        XCTAssertEqual(declined.problem, .missingRequired(claims: ["given_name"]))

        // Only optional claims asked and all switched off: nothing to send.
        consent.restart()
        await holderScans(consent, try await requestFrames(model, required: [], optional: ["nationality"]))
        consent.toggle(item: 0, claim: 0)
        await consent.respondAnyway()
        guard case .review(let nothing) = consent.state else { return XCTFail("\(consent.state)") }
        XCTAssertEqual(nothing.problem, .nothingConsented)

        // The request expires while the person reads it; scanned later, it is refused at once.
        let stale = try await requestFrames(model)
        consent.restart()
        await holderScans(consent, stale)
        guard case .review = consent.state else { return XCTFail("\(consent.state)") }
        w.clock.advance(600)
        await consent.respondAnyway()
        XCTAssertEqual(consent.state, .failed(.requestExpired))
        consent.restart()
        await holderScans(consent, stale)
        XCTAssertEqual(consent.state, .failed(.requestExpired), "scanned after it expired")

        // A locked wallet.
        w.clock.advance(-600)
        w.holder.lock()
        consent.restart()
        await holderScans(consent, try await requestFrames(model))
        XCTAssertEqual(consent.state, .failed(.locked))
    }

    func testVerifierBadInputs() async throws {
        let w = try await world()
        let model = await verifier(w)
        let consent = ConsentModel(wallet: w.holder, lang: "en", frameOptions: Self.smallFrames)

        // Frames with no code, a camera buffer of the wrong size.
        model.startScanning()
        await model.push(noiseFrame())
        await model.push(noiseFrame())
        XCTAssertEqual(model.state.phase, .scanning(.noCode(frames: 2)))
        await model.push(LumaFrame(width: 0, height: 10, stride: 0, pixels: Data()))
        XCTAssertEqual(model.state.phase, .scanning(.badFrame))

        // The verifier scans its own request instead of an answer.
        let request = try await requestFrames(model)
        await verifierScans(model, request)
        XCTAssertEqual(model.state.phase, .failed(.unexpectedMessage(kind: "verifier_request")))

        // An answer to another verifier's request (the desk next door).
        let desk2Wallet = try await newWallet("desk2.db", clock: w.clock)
        let desk2 = VerifierModel(wallet: desk2Wallet, lang: "en")
        let signed = try w.signer.sign(sequence: 1, validDays: 30, issuers: [w.issuer])
        await desk2.importTrustList(signedText: signed, signerJwk: w.signer.publicJwk())
        await holderScans(consent, try await requestFrames(desk2))
        await consent.respondAnyway()
        guard case .showingResponse(let otherAnswer) = consent.state else { return XCTFail("\(consent.state)") }
        await verifierScans(model, otherAnswer)
        guard case .verdicts(let cards) = model.state.phase else { return XCTFail("\(model.state.phase)") }
        XCTAssertFalse(cards[0].valid)
        XCTAssertEqual(cards[0].reasons, [.wrongRequest])
        XCTAssertTrue(cards[0].claims.isEmpty, "no claims from a red verdict")

        // An animated answer interrupted half way: by leaving the camera, and by the frames stopping.
        let fresh = try await requestFrames(model)
        consent.restart()
        await holderScans(consent, fresh)
        await consent.respondAnyway()
        guard case .showingResponse(let answer) = consent.state, answer.count > 2 else {
            return XCTFail("\(consent.state)")
        }
        model.startScanning()
        await model.push(answer[0].luma())
        guard case .scanning(.progress(let useful, let needed)) = model.state.phase else {
            return XCTFail("\(model.state.phase)")
        }
        model.stopScanning()
        XCTAssertEqual(model.state.phase, .scanning(.interrupted(useful: useful, needed: needed)))
        model.startScanning()
        await model.push(answer[0].luma())
        for _ in 0..<30 { await model.push(LumaFrame(width: 64, height: 64, stride: 64, pixels: Data(repeating: 0xFF, count: 4096))) }
        guard case .scanning(.interrupted) = model.state.phase else { return XCTFail("\(model.state.phase)") }
        // Starting again, the whole answer verifies.
        await verifierScans(model, answer)
        guard case .verdicts(let good) = model.state.phase else { return XCTFail("\(model.state.phase)") }
        XCTAssertTrue(good[0].valid, "\(good[0].reasonCodes)")
        // The same answer again is a replay.
        await verifierScans(model, answer)
        guard case .verdicts(let replay) = model.state.phase else { return XCTFail("\(model.state.phase)") }
        XCTAssertEqual(replay[0].reasons, [.replay])
    }

    func testTrustListProblems() async throws {
        let w = try await world(trust: false)
        let model = VerifierModel(wallet: w.verifierWallet, lang: "en")
        await model.load()
        XCTAssertEqual(model.state.phase, .needsTrustList)
        await model.verify(QrMessage(kind: .engagedResponse, payload: Data([1, 2, 3])))
        XCTAssertEqual(model.state.phase, .failed(.noTrustList))
        let signed = try w.signer.sign(sequence: 1, validDays: 30, issuers: [w.issuer])
        await model.importTrustList(signedText: signed, signerJwk: nil)
        XCTAssertEqual(model.state.phase, .failed(.noPinnedSigner))
        await model.importTrustList(signedText: signed, signerJwk: "{}")
        XCTAssertEqual(model.state.phase, .failed(.invalidSignerKey))
        await model.importTrustList(signedText: signed, signerJwk: w.signer.publicJwk())
        XCTAssertEqual(model.state.phase, .ready)
        XCTAssertEqual(model.state.trustList?.issuers.map { $0.name }, ["IOM Field Office"])
        let forged = try TestTrustListSigner.create().sign(sequence: 2, validDays: 30, issuers: [w.issuer])
        await model.importTrustList(signedText: forged, signerJwk: nil)
        XCTAssertEqual(model.state.phase, .failed(.trustListRejected(code: .badSignature)))
        XCTAssertEqual(model.state.trustList?.sequence, 1, "the installed list stays")
        await model.verify(QrMessage(kind: .engagedResponse, payload: Data([1, 2, 3])))
        guard case .verdicts(let damaged) = model.state.phase else { return XCTFail("\(model.state.phase)") }
        XCTAssertEqual(damaged[0].reasons, [.malformed])
        let foreign = Data(try TestIssuer.create(name: "Someone").statusListJwt(uri: Self.statusUri,
                                                                               revokedIndices: [1]).utf8)
        guard case .failure(.statusListRejected(let code)) = await model.importStatusList(token: foreign) else {
            return XCTFail("\(model.state)")
        }
        XCTAssertEqual(code, .unknownSigner)
        await model.createRequest(verifierName: "Desk", purpose: "Aid", credentials: [])
        XCTAssertEqual(model.state.phase, .failed(.invalidRequest))
        w.clock.advance(40 * 86_400)
        await model.load()
        XCTAssertEqual(model.state.phase, .needsTrustList)
        await model.verify(QrMessage(kind: .engagedResponse, payload: Data([1, 2, 3])))
        XCTAssertEqual(model.state.phase, .failed(.trustListExpired(sequence: 1)))
    }
}

struct ScanFailure: Error {
    let description: String
    init(_ description: String) { self.description = description }
}
