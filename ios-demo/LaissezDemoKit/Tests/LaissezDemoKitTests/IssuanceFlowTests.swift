import Foundation
import Laissez
@testable import LaissezDemoKit
import XCTest

/// Offline issuance at a desk (`TestIssuer`) through `IssuanceModel`, every code passed as
/// camera luma; then the copies and the signed portrait through consent and the verifier.
@MainActor
final class IssuanceFlowTests: DemoTestCase {
    private static let deskName = "IOM Field Office"
    private static let deskClaims = #"{"given_name":"Amina","family_name":"Haddad"}"#

    /// The sample portrait the core signs by default (80×100, greyscale JPEG).
    private static func portraitJpeg() throws -> Data {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return try Data(contentsOf: repo.appendingPathComponent("wallet-core/tests/data/portrait/astronaut-80x100-q30-grey.jpg"))
    }

    private struct Desk {
        let issuer: TestIssuer
        let signer: TestTrustListSigner
        let clock: TestClock
        let holder: Wallet
    }

    /// A desk and a holder wallet; the holder trusts the desk when `trusted`.
    private func desk(trusted: Bool) async throws -> Desk {
        let clock = TestClock()
        let desk = Desk(issuer: try TestIssuer.create(name: Self.deskName), signer: try TestTrustListSigner.create(),
                        clock: clock, holder: try await newWallet("holder.db", clock: clock))
        if trusted {
            let model = IssuanceModel(wallet: desk.holder)
            let signed = try desk.signer.sign(sequence: 1, validDays: 30, issuers: [desk.issuer])
            guard case .success(let list) = await model.importIssuerTrustList(signedText: signed,
                                                                              signerJwk: desk.signer.publicJwk()) else {
                throw ScanFailure("\(model.state)")
            }
            XCTAssertEqual(list.issuers.map { $0.name }, [Self.deskName])
            XCTAssertEqual(model.state, .scanning(.aiming), "a good import changes no screen")
        }
        return desk
    }

    private func offerFrames(_ desk: Desk, copies: UInt32, validMinutes: UInt32 = 10) async throws -> [QrFrame] {
        try await qrFrames(message: try desk.issuer.offer(format: .sdJwt, credentialType: Self.credentialType,
                                                          batchSize: copies, validMinutes: validMinutes))
    }

    /// Shows `frames` to the model's camera until a whole message was taken.
    private func show(_ frames: [QrFrame], to model: IssuanceModel) async {
        for frame in frames {
            await model.push(frame.luma())
            if case .scanning = model.state { continue }
            if case .showingProof = model.state { continue }
            return
        }
    }

    /// What the desk's scanner reads from the holder's proof frames.
    private func deskReads(_ frames: [QrFrame]) throws -> QrMessage {
        let scanner = QrScanner()
        for frame in frames {
            if case .complete(let message) = scanner.pushText(text: frame.text) { return message }
        }
        throw ScanFailure("the proof did not complete")
    }

    /// The batch the desk answers `proof` with, as small animated frames.
    private func batchFrames(_ desk: Desk, proof: [QrFrame], portrait: Data? = nil) async throws -> [QrFrame] {
        let batch = try desk.issuer.deliver(proof: try deskReads(proof), claimsJson: Self.deskClaims, validDays: 30,
                                            portraitJpeg: portrait)
        return try await qrFrames(message: batch, options: Self.smallFrames)
    }

    /// Offer scanned, accepted (confirming an unknown issuer when needed): the proof frames.
    private func acceptedProof(_ model: IssuanceModel, _ desk: Desk, copies: UInt32) async throws -> [QrFrame] {
        await show(try await offerFrames(desk, copies: copies), to: model)
        model.confirmUnknownIssuer()
        await model.accept()
        guard case .showingProof(let proof, .aiming) = model.state else { throw ScanFailure("\(model.state)") }
        return proof
    }

    func testATrustedDeskIssuesCopiesThroughCameraFrames() async throws {
        let d = try await desk(trusted: true)
        let model = IssuanceModel(wallet: d.holder)
        await model.push(noiseFrame())
        XCTAssertEqual(model.state, .scanning(.noCode(frames: 1)))
        await show(try await offerFrames(d, copies: 3), to: model)
        guard case .review(let review) = model.state else { return XCTFail("\(model.state)") }
        XCTAssertEqual(review.issuerName, Self.deskName)
        XCTAssertEqual(review.trust, .trusted(name: Self.deskName))
        XCTAssertNil(review.unverifiedClaimedName, "a trusted issuer needs no unverified name")
        XCTAssertEqual(review.credentialType, Self.credentialType)
        XCTAssertEqual(review.format, .sdJwt)
        XCTAssertEqual(review.batchSize, 3)
        XCTAssertGreaterThan(review.expiresAt, Int64(Date().timeIntervalSince1970))
        XCTAssertFalse(review.needsExtraConfirmation)
        XCTAssertTrue(review.canAccept)

        await model.accept()
        guard case .showingProof(let proof, .aiming) = model.state else { return XCTFail("\(model.state)") }
        XCTAssertEqual(proof.count, 1, "a proof is one code")
        let batch = try await batchFrames(d, proof: proof)
        XCTAssertGreaterThan(batch.count, 2, "a batch is an animated sequence")
        await model.push(batch[0].luma())
        guard case .showingProof(proof, .progress(let useful, _)) = model.state else { return XCTFail("\(model.state)") }
        XCTAssertEqual(useful, 1)
        await show(Array(batch.dropFirst()), to: model)
        guard case .imported(let id, let type, let copies) = model.state else { return XCTFail("\(model.state)") }
        XCTAssertEqual(type, Self.credentialType)
        XCTAssertEqual(copies, 3)

        let list = CredentialsModel(wallet: d.holder, lang: "en")
        await list.load()
        guard case .list(let rows) = list.state, let row = rows.first else { return XCTFail("\(list.state)") }
        XCTAssertEqual(rows.count, 1)
        XCTAssertEqual(row.id, id)
        XCTAssertEqual(row.copiesTotal, 3)
        XCTAssertEqual(row.copiesLeft, 3)
        XCTAssertEqual(row.copiesState, .plenty)
        XCTAssertFalse(row.copiesWarning)
        // The desk is on the wallet's issuer trust list: the list's name, in the list and the detail.
        XCTAssertEqual(row.issuer, .trusted(name: Self.deskName))
        await list.open(id: id)
        guard case .detail(let detailRow, _) = list.state else { return XCTFail("\(list.state)") }
        XCTAssertEqual(detailRow.issuer, .trusted(name: Self.deskName))

        model.restart()
        XCTAssertEqual(model.state, .scanning(.aiming))
    }

    func testAnUnknownDeskNeedsAnExtraConfirmationAndItsNameStaysUnverified() async throws {
        let d = try await desk(trusted: false)
        let model = IssuanceModel(wallet: d.holder)
        await show(try await offerFrames(d, copies: 2), to: model)
        guard case .review(let review) = model.state else { return XCTFail("\(model.state)") }
        XCTAssertEqual(review.trust, .unknown)
        XCTAssertNil(review.issuerName, "an unknown issuer's claimed name is never its name")
        XCTAssertEqual(review.unverifiedClaimedName, Self.deskName)
        XCTAssertTrue(review.needsExtraConfirmation)
        XCTAssertFalse(review.canAccept)

        await model.accept()
        XCTAssertEqual(model.state, .review(review), "no proof before the extra confirmation")
        model.confirmUnknownIssuer()
        guard case .review(let confirmed) = model.state else { return XCTFail("\(model.state)") }
        XCTAssertTrue(confirmed.confirmedUnknownIssuer)
        XCTAssertTrue(confirmed.canAccept)
        await model.accept()
        guard case .showingProof(let proof, _) = model.state else { return XCTFail("\(model.state)") }
        await show(try await batchFrames(d, proof: proof), to: model)
        XCTAssertEqual(model.state.importedCopies, 2)
        // In the list too, its name stays a claim under "Unverified issuer".
        let list = CredentialsModel(wallet: d.holder, lang: "en")
        await list.load()
        guard case .list(let rows) = list.state else { return XCTFail("\(list.state)") }
        XCTAssertEqual(rows.map { $0.issuer }, [.unverified(claimedName: Self.deskName)])
    }

    func testWrongCodesAndAnExpiredOfferAreTypedProblems() async throws {
        let d = try await desk(trusted: true)
        let model = IssuanceModel(wallet: d.holder)

        // A trust list's code where the offer is expected; a web link only says "not Laissez".
        await model.push(text: "https://example.org")
        XCTAssertEqual(model.state, .scanning(.notLaissez))
        let signed = try d.signer.sign(sequence: 2, validDays: 30, issuers: [d.issuer])
        await show(try await qrFrames(message: trustListMessage(signedText: signed)), to: model)
        XCTAssertEqual(model.state, .failed(.notAnOffer(kind: "trust_list")))

        // The desk's offer again where its batch is expected.
        model.restart()
        let offer = try await offerFrames(d, copies: 1)
        await show(offer, to: model)
        await model.accept()
        guard case .showingProof = model.state else { return XCTFail("\(model.state)") }
        await show(offer, to: model)
        XCTAssertEqual(model.state, .failed(.notABatch(kind: "issuance_offer")))

        // An offer scanned after it expired.
        model.restart()
        let stale = try await offerFrames(d, copies: 1, validMinutes: 1)
        d.clock.advance(120)
        await show(stale, to: model)
        XCTAssertEqual(model.state, .failed(.offerExpired))

        // A locked wallet.
        d.clock.advance(-120)
        d.holder.lock()
        model.restart()
        await show(try await offerFrames(d, copies: 1), to: model)
        XCTAssertEqual(model.state, .failed(.locked))
    }

    func testATamperedBatchAndABatchAlreadyReceivedImportNothing() async throws {
        let d = try await desk(trusted: true)
        let model = IssuanceModel(wallet: d.holder)
        let proof = try await acceptedProof(model, d, copies: 2)
        let batch = try d.issuer.deliver(proof: try deskReads(proof), claimsJson: Self.deskClaims, validDays: 30,
                                         portraitJpeg: nil)
        var tampered = batch.payload
        tampered[tampered.count / 2] ^= 0x01
        await model.receive(QrMessage(kind: .issuedBatch, payload: tampered))
        XCTAssertEqual(model.state, .failed(.batchAlteredOrNotForThisWallet))
        let list = CredentialsModel(wallet: d.holder, lang: "en")
        await list.load()
        XCTAssertEqual(list.state, .list([]), "a refused batch imports nothing")

        // The untouched batch still goes in (the offer stays pending); a second time it answers nothing.
        await model.receive(batch)
        XCTAssertEqual(model.state.importedCopies, 2)
        await model.receive(batch)
        XCTAssertEqual(model.state, .failed(.batchForAnotherOffer))

        // A batch sealed to another wallet that accepted the same offer: refused there, taken here.
        let offer = try await offerFrames(d, copies: 1)
        model.restart()
        await show(offer, to: model)
        await model.accept()
        guard case .showingProof(let mine, _) = model.state else { return XCTFail("\(model.state)") }
        let other = IssuanceModel(wallet: try await newWallet("other.db"))
        await show(offer, to: other)
        other.confirmUnknownIssuer()
        await other.accept()
        guard case .showingProof = other.state else { return XCTFail("\(other.state)") }
        let sealedToMine = try await batchFrames(d, proof: mine)
        await show(sealedToMine, to: other)
        XCTAssertEqual(other.state, .failed(.batchAlteredOrNotForThisWallet))
        await show(sealedToMine, to: model)
        XCTAssertEqual(model.state.importedCopies, 1)
    }

    func testIssuerTrustListProblems() async throws {
        let d = try await desk(trusted: false)
        let model = IssuanceModel(wallet: d.holder)
        let signed = try d.signer.sign(sequence: 1, validDays: 30, issuers: [d.issuer])
        guard case .failure(.noPinnedSigner) = await model.importIssuerTrustList(signedText: signed, signerJwk: nil) else {
            return XCTFail("\(model.state)")
        }
        XCTAssertEqual(model.state, .failed(.noPinnedSigner))
        _ = await model.importIssuerTrustList(signedText: signed, signerJwk: "not a key")
        XCTAssertEqual(model.state, .failed(.invalidSignerKey))
        _ = await model.importIssuerTrustList(signedText: signed, signerJwk: try TestTrustListSigner.create().publicJwk())
        XCTAssertEqual(model.state, .failed(.trustListRejected(code: .badSignature)))
        guard case .success = await model.importIssuerTrustList(signedText: signed, signerJwk: d.signer.publicJwk()) else {
            return XCTFail("\(model.state)")
        }
    }

    func testCopiesRunDownAndTheSignedPortraitIsFlaggedAndShown() async throws {
        let d = try await desk(trusted: true)
        let jpeg = try Self.portraitJpeg()
        let issuance = IssuanceModel(wallet: d.holder)
        let proof = try await acceptedProof(issuance, d, copies: 3)
        await show(try await batchFrames(d, proof: proof, portrait: jpeg), to: issuance)
        XCTAssertEqual(issuance.state.importedCopies, 3)

        let verifierWallet = try await newWallet("verifier.db", clock: d.clock)
        let verifier = VerifierModel(wallet: verifierWallet, lang: "en")
        await verifier.importTrustList(signedText: try d.signer.sign(sequence: 1, validDays: 30, issuers: [d.issuer]),
                                       signerJwk: d.signer.publicJwk())
        XCTAssertEqual(verifier.state.phase, .ready)
        let consent = ConsentModel(wallet: d.holder, lang: "en", frameOptions: Self.smallFrames)

        // The request asks for the portrait: the consent screen says it will be shared.
        try await scanRequest(verifier, consent)
        guard case .review(let review) = consent.state, let item = review.items.first else {
            return XCTFail("\(consent.state)")
        }
        XCTAssertEqual(item.claims.map { $0.path }, ["given_name", "picture"])
        XCTAssertEqual(item.claims.map { $0.portrait }, [false, true])
        XCTAssertTrue(item.sharesPortrait)
        consent.toggle(item: 0, claim: 1)
        guard case .review(let without) = consent.state else { return XCTFail("\(consent.state)") }
        XCTAssertFalse(without.items[0].sharesPortrait, "switched off, the portrait is not shared")
        consent.toggle(item: 0, claim: 1)

        // The verdict shows the portrait as the issuer signed it.
        await consent.respondAnyway()
        guard case .showingResponse(let answer) = consent.state else { return XCTFail("\(consent.state)") }
        verifier.startScanning()
        for frame in answer {
            await verifier.push(frame.luma())
            if case .scanning = verifier.state.phase { continue }
            break
        }
        guard case .verdicts(let cards) = verifier.state.phase, let card = cards.first else {
            return XCTFail("\(verifier.state.phase)")
        }
        XCTAssertTrue(card.valid, "\(card.reasonCodes)")
        XCTAssertEqual(card.portrait?.jpeg, jpeg)
        XCTAssertEqual(card.portrait?.width, 80)
        XCTAssertEqual(card.portrait?.height, 100)
        XCTAssertEqual(card.portrait?.path, "picture")
        XCTAssertNil(card.portraitProblem)

        // One copy used: two left, no warning; one more: the last one, with the warning.
        let list = CredentialsModel(wallet: d.holder, lang: "en")
        let used = try await row(list)
        XCTAssertEqual(used.copiesLeft, 2)
        XCTAssertEqual(used.copiesState, .plenty)
        XCTAssertFalse(used.copiesWarning)
        let id = used.id
        _ = try await d.holder.presentCredential(id: id, claims: ["given_name"], nonce: "n1", audience: "https://v.example")
        let low = try await row(list)
        XCTAssertEqual(low.copiesLeft, 1)
        XCTAssertEqual(low.copiesState, .low)
        XCTAssertTrue(low.copiesWarning)
        _ = try await d.holder.presentCredential(id: id, claims: ["given_name"], nonce: "n2", audience: "https://v.example")
        let none = try await row(list)
        XCTAssertEqual(none.copiesLeft, 0)
        XCTAssertEqual(none.copiesState, .exhausted)
        XCTAssertTrue(none.copiesWarning)

        // None left: the answer is refused until the person allows reusing the last copy.
        try await scanRequest(verifier, consent)
        await consent.respondAnyway()
        guard case .review(let refused) = consent.state else { return XCTFail("\(consent.state)") }
        XCTAssertEqual(refused.problem, .noCopiesLeft)
        let setting = CopiesSettingModel(wallet: d.holder)
        await setting.load()
        XCTAssertEqual(setting.state, .loaded(reuseLastCopy: false))
        await setting.setReuseLastCopy(true)
        XCTAssertEqual(setting.state, .loaded(reuseLastCopy: true))
        await consent.respondAnyway()
        guard case .showingResponse = consent.state else { return XCTFail("\(consent.state)") }
        d.holder.lock()
        await setting.load()
        XCTAssertEqual(setting.state, .failed(.locked))
    }

    /// A fresh request for given_name and the portrait, scanned by the holder's consent model.
    private func scanRequest(_ verifier: VerifierModel, _ consent: ConsentModel) async throws {
        verifier.done()
        await verifier.createRequest(verifierName: "Desk 4", purpose: "Food aid",
                                     credentials: Self.requested(required: ["given_name"], optional: ["picture"]))
        guard case .showingRequest(let frames, _, _) = verifier.state.phase else { throw ScanFailure("\(verifier.state)") }
        consent.restart()
        for frame in frames {
            await consent.push(frame.luma())
            if case .scanning = consent.state { continue }
            return
        }
    }

    /// The one credential's row, freshly listed.
    private func row(_ list: CredentialsModel) async throws -> CredentialRow {
        await list.load()
        guard case .list(let rows) = list.state, rows.count == 1 else { throw ScanFailure("\(list.state)") }
        return rows[0]
    }
}

private extension IssuanceState {
    /// The copies imported, when the state is `imported`.
    var importedCopies: UInt32? {
        if case .imported(_, _, let copies) = self { return copies }
        return nil
    }
}
