import Foundation
import Laissez
@testable import LaissezDemoKit
import XCTest

/// The static flow, for a verifier that cannot show a request: the holder chooses claims of one
/// credential and shows them as a code bound to the current two-minute window; the field
/// verifier scans it (camera luma drawn from the frames) without having made a request.
@MainActor
final class StaticPresentationTests: DemoTestCase {
    /// The verifier model with its trust list loaded, camera open.
    private func scanningVerifier(_ w: World) async -> VerifierModel {
        let model = VerifierModel(wallet: w.verifierWallet, lang: "en")
        await model.load()
        XCTAssertEqual(model.state.phase, .ready)
        return model
    }

    /// Shows `frames` to the verifier's camera until it leaves scanning.
    private func verifierScans(_ model: VerifierModel, _ frames: [QrFrame]) async {
        model.startScanning()
        for frame in frames {
            await model.push(frame.luma())
            guard case .scanning = model.state.phase else { return }
        }
    }

    private func credentialId(_ wallet: Wallet) async throws -> String {
        let credentials = try await wallet.listCredentials()
        XCTAssertEqual(credentials.count, 1)
        return credentials[0].id
    }

    private func choosing(_ model: StaticPresentationModel, file: StaticString = #filePath,
                        line: UInt = #line) throws -> StaticChoice {
        guard case .choosing(let choice) = model.state else {
            XCTFail("\(model.state)", file: file, line: line)
            throw Problem.internalError
        }
        return choice
    }

    private func index(_ choice: StaticChoice, _ path: String) throws -> Int {
        try XCTUnwrap(choice.claims.firstIndex { $0.path == path }, path)
    }

    func testTwoOfFourClaimsShownWithoutARequestGiveAGreenVerdictThenAReplay() async throws {
        let w = try await world()
        let id = try await credentialId(w.holder)
        let model = StaticPresentationModel(wallet: w.holder, lang: "fr", frameOptions: Self.smallFrames)
        XCTAssertEqual(model.state, .idle)
        await model.open(credentialId: id)
        var choice = try choosing(model)
        XCTAssertEqual(choice.credential.title, "Enregistrement OIM")
        XCTAssertEqual(choice.credential.issuer, .unverified(claimedName: "IOM Field Office"))
        XCTAssertEqual(Set(choice.claims.map { $0.path }),
                       ["given_name", "family_name", "nationality", "place_of_birth"])
        let labels = Dictionary(uniqueKeysWithValues: choice.claims.map { ($0.path, $0.label) })
        XCTAssertEqual(labels["given_name"], "Prénom")
        XCTAssertEqual(labels["nationality"], "Nationalité")
        XCTAssertEqual(labels["place_of_birth"], "Lieu de naissance")
        XCTAssertEqual(choice.claims.first { $0.path == "given_name" }?.value, "Amina")
        XCTAssertTrue(choice.claims.allSatisfy { !$0.selected }, "nothing is chosen at first")

        // Nothing chosen: a clear problem, and the wallet is not asked (no disclosure recorded).
        await model.present()
        XCTAssertEqual(try choosing(model).problem, .nothingConsented)
        let noneYet = try await w.holder.disclosureHistory()
        XCTAssertTrue(noneYet.isEmpty)

        model.toggle(claim: try index(choice, "given_name"))
        XCTAssertNil(try choosing(model).problem, "choosing clears the problem")
        model.toggle(claim: try index(choice, "nationality"))
        model.toggle(claim: 99)
        choice = try choosing(model)
        XCTAssertEqual(Set(choice.selectedPaths), ["given_name", "nationality"])

        await model.present()
        guard case .showing(let code) = model.state else { return XCTFail("\(model.state)") }
        let frames = code.frames
        XCTAssertGreaterThan(frames.count, 1, "an animated sequence to loop")
        model.toggle(claim: 0)
        XCTAssertEqual(model.state, .showing(code), "no toggling while the code is shown")

        // The field verifier scans it without a request: green, with only the two claims.
        let verifier = await scanningVerifier(w)
        await verifierScans(verifier, frames)
        guard case .verdicts(let cards) = verifier.state.phase, let card = cards.first else {
            return XCTFail("\(verifier.state.phase)")
        }
        XCTAssertEqual(cards.count, 1)
        XCTAssertTrue(card.valid, "\(card.reasonCodes)")
        XCTAssertEqual(card.issuerName, "IOM Field Office")
        XCTAssertEqual(card.credentialType, Self.credentialType)
        XCTAssertEqual(Set(card.claims.map { $0.path }), ["given_name", "nationality"])
        XCTAssertEqual(Dictionary(uniqueKeysWithValues: card.claims.map { ($0.path, $0.value) }),
                       ["given_name": "Amina", "nationality": "SD"])

        // The same code scanned again (a photo of the screen, a second desk): red, a replay.
        await verifierScans(verifier, frames)
        guard case .verdicts(let replay) = verifier.state.phase else { return XCTFail("\(verifier.state.phase)") }
        XCTAssertFalse(replay[0].valid)
        XCTAssertEqual(replay[0].reasons, [.replay])
        XCTAssertEqual(replay[0].reasonCodes, ["replay"])
        XCTAssertTrue(replay[0].claims.isEmpty, "no claims from a red verdict")

        // The holder's history says what was shown, and that it was without a request.
        let history = HistoryModel(holder: w.holder)
        await history.refresh()
        guard case .rows(let rows) = history.state else { return XCTFail("\(history.state)") }
        XCTAssertEqual(rows.count, 1)
        XCTAssertEqual(Set(rows[0].claims), ["given_name", "nationality"])
        XCTAssertTrue(rows[0].shownWithoutRequest)
        XCTAssertEqual(rows[0].title, "")
        let log = HistoryModel(verifierWallet: w.verifierWallet)
        await log.refresh()
        guard case .rows(let checks) = log.state else { return XCTFail("\(log.state)") }
        XCTAssertEqual(checks.compactMap { $0.valid }.sorted { !$0 && $1 }, [false, true])

        // Back to the choice: the claims chosen before are still on.
        model.back()
        XCTAssertEqual(Set(try choosing(model).selectedPaths), ["given_name", "nationality"])
    }

    func testACodeShownTooLateIsRefusedAndANewOneIsAccepted() async throws {
        let w = try await world()
        let model = StaticPresentationModel(wallet: w.holder, lang: "en")
        await model.open(credentialId: try await credentialId(w.holder))
        let choice = try choosing(model)
        model.toggle(claim: try index(choice, "family_name"))
        await model.present()
        guard case .showing(let staleCode) = model.state else { return XCTFail("\(model.state)") }
        let stale = staleCode.frames

        // Five minutes later the code is out of the verifier's window (the current and the
        // previous two minutes).
        w.clock.advance(300)
        let verifier = await scanningVerifier(w)
        await verifierScans(verifier, stale)
        guard case .verdicts(let late) = verifier.state.phase else { return XCTFail("\(verifier.state.phase)") }
        XCTAssertFalse(late[0].valid)
        XCTAssertEqual(late[0].reasons, [.stalePresentation])

        // A new code for the same claims, in the current window.
        await model.presentAgain()
        guard case .showing(let freshCode) = model.state else { return XCTFail("\(model.state)") }
        let fresh = freshCode.frames
        XCTAssertNotEqual(fresh, stale)
        await verifierScans(verifier, fresh)
        guard case .verdicts(let good) = verifier.state.phase else { return XCTFail("\(verifier.state.phase)") }
        XCTAssertTrue(good[0].valid, "\(good[0].reasonCodes)")
        XCTAssertEqual(good[0].claims.map { $0.path }, ["family_name"])
        let disclosures = try await w.holder.disclosureHistory()
        XCTAssertEqual(disclosures.count, 2, "each code is recorded")
    }

    func testBadInputsGiveClearStates() async throws {
        let w = try await world()
        let id = try await credentialId(w.holder)
        let model = StaticPresentationModel(wallet: w.holder, lang: "en")

        // Nothing opened: nothing to toggle, present or go back to.
        model.toggle(claim: 0)
        await model.present()
        await model.presentAgain()
        model.back()
        XCTAssertEqual(model.state, .idle)

        // Ids that name no credential: not a record id, and another wallet's credential.
        await model.open(credentialId: "not-an-id")
        XCTAssertEqual(model.state, .failed(.credentialNotFound))
        model.back()
        XCTAssertEqual(model.state, .idle, "no credential was opened")
        let other = try await newWallet("other.db", clock: w.clock)
        let jwk = try await other.holderKey().jwk
        let foreign = try await other.importCredential(
            credential: w.issuer.issueSdJwt(vct: Self.credentialType, claimsJson: Self.claims, holderJwkJson: jwk, status: nil),
            issuerKeys: [])
        await model.open(credentialId: foreign.id)
        XCTAssertEqual(model.state, .failed(.credentialNotFound))

        // A locked wallet: when opening, and when making the code; unlocked, back to the choice.
        w.holder.lock()
        await model.open(credentialId: id)
        XCTAssertEqual(model.state, .failed(.locked))
        try await w.holder.unlock(pin: "2468")
        await model.open(credentialId: id)
        model.toggle(claim: 0)
        let chosen = try choosing(model)
        w.holder.lock()
        await model.present()
        XCTAssertEqual(model.state, .failed(.locked))
        try await w.holder.unlock(pin: "2468")
        model.back()
        XCTAssertEqual(try choosing(model), chosen, "the choice is kept")

        // The credential deleted while the person chooses.
        try await w.holder.deleteCredential(id: id)
        await model.present()
        XCTAssertEqual(model.state, .failed(.credentialNotFound))
        let history = try await w.holder.disclosureHistory()
        XCTAssertTrue(history.isEmpty, "nothing was shown")
    }
}
