import Foundation
import Laissez
@testable import LaissezDemoKit
import XCTest

/// Issue 12 on the kit: the verifier's identifier shown and scanned, static codes bound to it
/// (or said to be unbound), the verdict's `unbound`, altered answers logged from the scanner,
/// `Problem.tampered` for a verifier file changed behind its back, and history names.
@MainActor
final class BoundStaticPresentationTests: DemoTestCase {
    private func verdict(_ model: VerifierModel, _ frames: [QrFrame]) async throws -> VerdictCard {
        model.startScanning()
        for frame in frames { await model.push(frame.luma()) }
        guard case .verdicts(let cards) = model.state.phase, cards.count == 1 else {
            XCTFail("\(model.state.phase)")
            throw Problem.internalError
        }
        return cards[0]
    }

    private func choosing(_ model: StaticPresentationModel) throws -> StaticChoice {
        guard case .choosing(let choice) = model.state else { XCTFail("\(model.state)"); throw Problem.internalError }
        return choice
    }

    func testAStaticCodeBoundToTheScannedIdentifierPassesThereOnly() async throws {
        let w = try await world()
        let desk = VerifierModel(wallet: w.verifierWallet, lang: "en")
        await desk.load()
        guard case .success(let card) = await desk.verifierIdCard(pngScale: 2) else { return XCTFail("no id") }
        XCTAssertEqual(card.frame.text, card.code)
        XCTAssertNotNil(card.frame.png)

        let elsewhereWallet = try await newWallet("elsewhere.db", clock: w.clock)
        let signed = try w.signer.sign(sequence: 1, validDays: 30, issuers: [w.issuer])
        _ = try await FieldVerifier(wallet: elsewhereWallet).importTrustList(signedText: signed, signerJwk: w.signer.publicJwk())
        let elsewhere = VerifierModel(wallet: elsewhereWallet, lang: "en")
        await elsewhere.load()

        let holder = StaticPresentationModel(wallet: w.holder, lang: "en")
        let id = try await w.holder.listCredentials()[0].id
        await holder.open(credentialId: id)
        let given = try XCTUnwrap(try choosing(holder).claims.firstIndex { $0.path == "given_name" })
        holder.toggle(claim: given)
        XCTAssertNil(holder.boundVerifierId, "not bound until an identifier is scanned")
        let noise = await holder.scanVerifierId(noiseFrame())
        XCTAssertFalse(noise)
        let scanned = await holder.scanVerifierId(card.frame.luma())
        XCTAssertTrue(scanned)
        XCTAssertEqual(try choosing(holder).verifierId, card.code)
        await holder.present()
        guard case .showing(let boundCode) = holder.state else { return XCTFail("\(holder.state)") }
        XCTAssertEqual(holder.boundVerifierId, card.code)
        let bound = boundCode.frames

        let there = try await verdict(elsewhere, bound)
        XCTAssertFalse(there.valid)
        XCTAssertEqual(there.reasons, [.wrongAudience])
        let here = try await verdict(desk, bound)
        XCTAssertTrue(here.valid, "\(here.reasonCodes)")
        XCTAssertFalse(here.unbound)

        // Forgotten: the next code is unbound, and the verdict says so.
        holder.back()
        holder.forgetVerifierId()
        XCTAssertNil(holder.boundVerifierId)
        await holder.present()
        guard case .showing(let unboundCode) = holder.state else { return XCTFail("\(holder.state)") }
        elsewhere.done()
        let anywhere = try await verdict(elsewhere, unboundCode.frames)
        XCTAssertTrue(anywhere.valid && anywhere.unbound, "\(anywhere)")
        // A typed identifier; a wrong one is said to be wrong.
        holder.back()
        holder.useVerifierId(text: "12")
        XCTAssertEqual(try choosing(holder).problem, .notAVerifierId)
        holder.useVerifierId(text: card.code.lowercased())
        XCTAssertEqual(try choosing(holder).verifierId, card.code)

        let history = HistoryModel(holder: w.holder)
        await history.refresh()
        guard case .rows(let rows) = history.state else { return XCTFail("\(history.state)") }
        XCTAssertTrue(rows.allSatisfy { $0.shownWithoutRequest }, "\(rows)")
    }

    func testAnAlteredAnswerIsLoggedAndATamperedFileStopsTheVerifier() async throws {
        let w = try await world()
        let desk = VerifierModel(wallet: w.verifierWallet, lang: "en")
        await desk.load()
        await desk.createRequest(verifierName: "Desk 4", purpose: "Food aid", credentials: Self.requested())
        guard case .showingRequest(let frames, _, _) = desk.state.phase else { return XCTFail("\(desk.state.phase)") }
        let request = try decodeQrText(text: frames[0].text)
        let id = try await w.holder.listCredentials()[0].id
        var whole = defaultFrameOptions()
        whole.maxFrameChars = 3391
        // The desk has no registration certificate: the holder acknowledges the unverified warning.
        let requestId = try await w.holder.readRequest(message: request).requestId
        let text = try await w.holder.respond(message: request, consents: [Consent(credentialId: id, claims: ["given_name"])],
                                              acknowledgement: UnverifiedAcknowledgement(requestId: requestId),
                                              options: whole)[0].text
        var chars = Array(text)
        let at = chars.count - 5
        chars[at] = chars[at] == "0" ? "1" : "0"
        let altered = String(chars)

        desk.startScanning()
        await desk.push(text: altered)
        XCTAssertEqual(desk.state.phase, .scanning(.alteredAnswer))
        let log = try await FieldVerifier(wallet: w.verifierWallet).logEntries()
        XCTAssertEqual(log.map { $0.reasonCodes }, [["tampered"]])
        await desk.push(text: "LZ1:%%%%")
        XCTAssertEqual(desk.state.phase, .scanning(.rejected), "names none of our requests: only damaged")

        let history = HistoryModel(holder: w.holder)
        await history.refresh()
        guard case .rows(let rows) = history.state else { return XCTFail("\(history.state)") }
        XCTAssertEqual(rows.map { $0.title }, ["Desk 4"])

        // The trust list deleted behind the verifier's back: Problem.tampered, not storage.
        for record in try await w.verifierWallet.find(kind: "trust_list", tags: [], limit: 10, cursor: nil).records {
            try await w.verifierWallet.delete(id: record.id)
        }
        await desk.push(text: text)
        XCTAssertEqual(desk.state.phase, .failed(.tampered))
    }
}
