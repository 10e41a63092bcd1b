import Foundation
import Laissez
@testable import LaissezDemoKit
import XCTest

/// Identity cards (MOSIP Claim 169 codes printed on national ID cards, issue 16) through the
/// demo's models and the real core: the demo card's code scanned as camera luma into the
/// holder's wallet, listed (unverified, then trusted once the demo trust list names its
/// issuer), opened with labelled fields and the face, shown only after the warning step, and
/// scanned by the field verifier: valid, possession not proven, the photo. Bad codes end in
/// typed states.
@MainActor
final class IdentityCardFlowTests: DemoTestCase {
    /// idpass/claim-169 test vector `valid/minimal.json` (ID and full name, COSE_Sign1 with an
    /// empty signature: unsigned), as in ../shared/vectors/claim169. `TestCardIssuer` only
    /// signs, so the unsigned case comes from the published vector.
    static let unsignedVector =
        "6BFL70+30FFWJWG.FKJ0587B0XKA8FA9DIWENPEJ/5P$DPQE88EB$CBECP9ERZC04E21DDF3/E96007F3ORAO001KL680 "
        + "B94W5QF60R6KW5/G8HS83P0KI949DP34W3ER68HSLK1"
    /// idpass/claim-169 test vector `valid/encrypted-aes256.json` (COSE_Encrypt0, A256GCM).
    static let encryptedVector =
        "6BFK80-20DFWXQG.FKTK06U0100KB0*M0DY0W016C1*7BKVS-:LI.LY2NW7WIFNO*RUH1-$UHRSHFIX.5VZBPPHLLFXH3-"
        + "89J5MF/M5C84YE84R*JHQEC/TOC-5V31PZUXNFX+0A75LOUN-M%%KVPLQGABAFA5W2%JZ+5Q*BJNN1538*VQZK::H9WVLR"
        + "253NM97BLFWKRS5"

    private func scanCard(_ model: IdentityCardsModel, text: String) async throws {
        model.startScanning()
        await model.push(try renderQr(text: text).luma())
    }

    func testADemoCardIsScannedListedTrustedShownAfterTheWarningAndVerifiedWithPossessionNotProven() async throws {
        let clock = TestClock()
        let holder = try await newWallet("holder.db", clock: clock)
        let verifierWallet = try await newWallet("verifier.db", clock: clock)
        let demo = DemoContent()
        let printed = try XCTUnwrap(try? demo.printDemoCard().get())
        XCTAssertTrue(isIdentityCardCode(text: printed.text))

        let cards = IdentityCardsModel(wallet: holder, lang: "fr")
        await cards.load()
        XCTAssertEqual(cards.state, IdentityCardsState(cards: [], phase: .idle))
        cards.startScanning()
        await cards.push(noiseFrame())
        XCTAssertEqual(cards.state.phase, .scanning(.noCode(frames: 1)))
        // The printed card as the camera sees it: kept, and its screen opened.
        await cards.push(printed.luma())
        guard case .detail(let screen) = cards.state.phase else { return XCTFail("\(cards.state.phase)") }
        XCTAssertEqual(cards.state.cards, [screen.card])
        XCTAssertEqual(screen.card.fullName, DemoContent.cardHolderName)
        XCTAssertEqual(screen.card.idNumber, DemoContent.cardIdNumber)
        XCTAssertEqual(screen.card.country, "KEN")
        XCTAssertTrue(screen.card.hasFace)
        XCTAssertFalse(screen.card.expired)
        XCTAssertGreaterThan(try XCTUnwrap(screen.card.expiresAt), clock.nowUnix() + 4 * 365 * 86_400)
        // No trust list in the holder's wallet yet: the card's issuer is only what it claims.
        XCTAssertEqual(screen.card.issuer, .unverified(claimedName: DemoContent.cardIssuerName))
        let labels = Dictionary(uniqueKeysWithValues: screen.fields.map { ($0.path, $0.label) })
        XCTAssertEqual(labels["fullName"], "Nom complet")
        XCTAssertEqual(labels["id"], "Numéro d'identité")
        let values = Dictionary(uniqueKeysWithValues: screen.fields.map { ($0.path, $0.value) })
        XCTAssertEqual(values["fullName"], DemoContent.cardHolderName)
        XCTAssertEqual(values["id"], DemoContent.cardIdNumber)
        XCTAssertEqual(screen.face, CardFaceImage(bytes: DemoContent.cardFaceJpeg, format: "jpeg"))

        // The demo trust list names the demo card issuer for KEN: trusted by its name.
        let credentials = CredentialsModel(wallet: holder, lang: "fr")
        await demo.trustDemoVerifiers(credentials, cards: cards)
        XCTAssertEqual(cards.state.phase, .idle)
        XCTAssertEqual(cards.state.cards.map { $0.issuer }, [.trusted(name: DemoContent.cardIssuerName)])

        // Arabic labels on the same card.
        let arabic = IdentityCardsModel(wallet: holder, lang: "ar")
        await arabic.open(id: screen.card.id)
        guard case .detail(let arabicScreen) = arabic.state.phase else { return XCTFail("\(arabic.state.phase)") }
        XCTAssertEqual(arabicScreen.fields.first { $0.path == "fullName" }?.label, "الاسم الكامل")

        // "Show this card": nothing is shown before the warning step.
        await cards.open(id: screen.card.id)
        guard case .detail(let trusted) = cards.state.phase else { return XCTFail("\(cards.state.phase)") }
        await cards.showCode()
        XCTAssertEqual(cards.state.phase, .detail(trusted))
        let nothingShown = try await holder.disclosureHistory()
        XCTAssertTrue(nothingShown.isEmpty)
        cards.askToShow()
        XCTAssertEqual(cards.state.phase, .confirmingShow(trusted))
        cards.backToCard()
        XCTAssertEqual(cards.state.phase, .detail(trusted))
        cards.askToShow()
        await cards.showCode()
        guard case .showingCode(_, let shown) = cards.state.phase else { return XCTFail("\(cards.state.phase)") }
        XCTAssertEqual(shown.text, printed.text, "the card's own code, whole")
        let history = try await holder.disclosureHistory()
        XCTAssertEqual(history.map { $0.credentialId }, [screen.card.id])

        // The field verifier on the demo trust list scans the shown code.
        let verifier = VerifierModel(wallet: verifierWallet, lang: "en")
        await verifier.load()
        await demo.trustDemoIssuer(verifier)
        XCTAssertEqual(verifier.state.phase, .ready)
        verifier.startScanning()
        await verifier.push(shown.luma())
        guard case .verdicts(let verdicts) = verifier.state.phase, let verdict = verdicts.first else {
            return XCTFail("\(verifier.state.phase)")
        }
        XCTAssertEqual(verdicts.count, 1)
        XCTAssertTrue(verdict.valid, "\(verdict.reasonCodes)")
        XCTAssertEqual(verdict.format, .claim169)
        XCTAssertTrue(verdict.isIdentityCard)
        XCTAssertTrue(verdict.possessionNotProven)
        // Bound to no verifier either: the screen says possession not proven instead.
        XCTAssertTrue(verdict.unbound)
        XCTAssertEqual(verdict.issuerName, DemoContent.cardIssuerName)
        XCTAssertEqual(verdict.claims.first { $0.path == "fullName" }?.label, "Full name")
        XCTAssertEqual(verdict.claims.first { $0.path == "fullName" }?.value, DemoContent.cardHolderName)
        XCTAssertEqual(verdict.portrait?.jpeg, DemoContent.cardFaceJpeg)
        XCTAssertEqual(verdict.portrait?.width, 80)
        XCTAssertEqual(verdict.portrait?.height, 100)
        let log = try await FieldVerifier(wallet: verifierWallet).logEntries()
        XCTAssertEqual(log.count, 1)

        // Deleted: gone from the list.
        await cards.delete(id: screen.card.id)
        XCTAssertEqual(cards.state, IdentityCardsState(cards: [], phase: .idle))
        await cards.open(id: screen.card.id)
        XCTAssertEqual(cards.state.phase, .failed(.cardNotFound))
    }

    func testBadCardCodesAreTypedStatesAndNothingIsKept() async throws {
        let holder = try await newWallet("holder.db")
        let demo = DemoContent()
        let text = try demo.demoCardText()
        let cards = IdentityCardsModel(wallet: holder, lang: "en")
        await cards.load()

        // A web link (read as text: the QR drawing here is alphanumeric only): not a card, the
        // scanner goes on.
        cards.startScanning()
        await cards.push(text: "https://example.org/card")
        XCTAssertEqual(cards.state.phase, .scanning(.notLaissez))
        // A damaged code: half of a card's code still looks like one, and is refused.
        await cards.push(try renderQr(text: String(text.prefix(text.count / 2))).luma())
        XCTAssertEqual(cards.state.phase, .failed(.cardUnreadable))
        await cards.retry()
        XCTAssertEqual(cards.state.phase, .scanning(.aiming))
        // A Laissez code (a verifier's request) is no card.
        let verifier = VerifierModel(wallet: try await newWallet("verifier.db"), lang: "en")
        await demo.trustDemoIssuer(verifier)
        await verifier.createRequest(verifierName: "Desk", purpose: "Check", credentials: DemoContent.request)
        guard case .showingRequest(let request, _, _) = verifier.state.phase else {
            return XCTFail("\(verifier.state.phase)")
        }
        for frame in request { await cards.push(frame.luma()) }
        XCTAssertEqual(cards.state.phase, .failed(.notAnIdentityCard))
        // Unsigned and encrypted published vectors.
        try await scanCard(cards, text: Self.unsignedVector)
        XCTAssertEqual(cards.state.phase, .failed(.cardUnsigned))
        try await scanCard(cards, text: Self.encryptedVector)
        XCTAssertEqual(cards.state.phase, .failed(.cardEncrypted))
        await cards.load()
        XCTAssertEqual(cards.state.cards, [])

        // The same card twice: kept once.
        try await scanCard(cards, text: text)
        guard case .detail = cards.state.phase else { return XCTFail("\(cards.state.phase)") }
        try await scanCard(cards, text: text)
        XCTAssertEqual(cards.state.phase, .failed(.cardAlreadyKept))
        XCTAssertEqual(cards.state.cards.count, 1)
        await cards.retry()
        XCTAssertEqual(cards.state.phase, .scanning(.aiming))

        // A locked wallet.
        holder.lock()
        await cards.load()
        XCTAssertEqual(cards.state.phase, .failed(.locked))
        await cards.keep(text)
        XCTAssertEqual(cards.state.phase, .failed(.locked))
    }

    func testTheVerifierRefusesAnUnknownIssuerAnExpiredCardAndAnUnsignedOne() async throws {
        let verifier = VerifierModel(wallet: try await newWallet("verifier.db"), lang: "en")
        let demo = DemoContent()
        await demo.trustDemoIssuer(verifier)

        // A card from an issuer the trust list does not name: red, no claims shown.
        let stranger = try TestCardIssuer.create(name: "Unknown registry", country: "KEN")
        verifier.startScanning()
        await verifier.push(try renderQr(text: try stranger.card(fullName: "Someone Else", idNumber: "1",
                                                                  validDays: 30, faceJpeg: nil)).luma())
        guard case .verdicts(let unknown) = verifier.state.phase, let first = unknown.first else {
            return XCTFail("\(verifier.state.phase)")
        }
        XCTAssertFalse(first.valid)
        XCTAssertEqual(first.reasonCodes, ["unknown_issuer"])
        XCTAssertTrue(first.claims.isEmpty)
        XCTAssertNil(first.portrait)
        XCTAssertTrue(first.isIdentityCard)

        // The demo issuer's card, expired a day ago: red, expired, no claims.
        verifier.done()
        verifier.startScanning()
        await verifier.push(text: try demo.demoCardText(validDays: 0))
        guard case .verdicts(let expired) = verifier.state.phase, let card = expired.first else {
            return XCTFail("\(verifier.state.phase)")
        }
        XCTAssertFalse(card.valid)
        XCTAssertEqual(card.reasonCodes, ["expired"])
        XCTAssertTrue(card.claims.isEmpty)

        // Unsigned: red, the signature refused.
        verifier.done()
        await verifier.verifyCard(Self.unsignedVector)
        guard case .verdicts(let unsigned) = verifier.state.phase, let bare = unsigned.first else {
            return XCTFail("\(verifier.state.phase)")
        }
        XCTAssertFalse(bare.valid)
        XCTAssertEqual(bare.reasonCodes, ["bad_issuer_signature"])
        XCTAssertTrue(bare.claims.isEmpty)

        // A text that is no card's code, handed to the card path: a typed problem.
        await verifier.verifyCard("https://example.org")
        XCTAssertEqual(verifier.state.phase, .failed(.unexpectedMessage(kind: "not an identity card code")))
        // A web link while scanning stays a scan state (no verdict).
        verifier.done()
        verifier.startScanning()
        await verifier.push(text: "https://example.org")
        XCTAssertEqual(verifier.state.phase, .scanning(.notLaissez))
    }

    func testAnExpiredCardIsKeptAndMarkedExpired() async throws {
        let holder = try await newWallet("holder.db")
        let demo = DemoContent()
        let cards = IdentityCardsModel(wallet: holder, lang: "en")
        try await scanCard(cards, text: try demo.demoCardText(validDays: 0))
        guard case .detail(let screen) = cards.state.phase else { return XCTFail("\(cards.state.phase)") }
        XCTAssertTrue(screen.card.expired)
        XCTAssertEqual(cards.state.cards.map { $0.expired }, [true])
    }

    func testADemoCardAddedWithoutTheCameraIsKeptAndALockedWalletIsAProblem() async throws {
        let holder = try await newWallet("holder.db")
        let demo = DemoContent()
        let cards = IdentityCardsModel(wallet: holder, lang: "en")
        await demo.addDemoCard(to: cards)
        guard case .detail(let screen) = cards.state.phase else { return XCTFail("\(cards.state.phase)") }
        XCTAssertEqual(screen.card.fullName, DemoContent.cardHolderName)
        XCTAssertEqual(cards.state.cards.map { $0.id }, [screen.card.id])
        holder.lock()
        await demo.addDemoCard(to: cards)
        XCTAssertEqual(cards.state.phase, .failed(.locked))
    }

    func testTheDemoCardsFaceIsThePortraitSampleByteForByte() async throws {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../..").standardizedFileURL
        let sample = try Data(contentsOf: repo.appendingPathComponent(
            "wallet-core/tests/data/portrait/astronaut-80x100-q30-grey.jpg"))
        XCTAssertEqual(DemoContent.cardFaceJpeg, sample)
    }

    func testEveryIdentityCardErrorIsAProblem() async {
        let cases: [(IdentityCardError, Problem)] = [
            (.Locked, .locked),
            (.Unreadable(reason: "x"), .cardUnreadable),
            (.Unsigned, .cardUnsigned),
            (.Encrypted, .cardEncrypted),
            (.AlreadyKept, .cardAlreadyKept),
            (.NotFound, .cardNotFound),
            (.Encoding(reason: "x"), .internalError),
            (.Busy, .busy),
            (.InvalidInput(reason: "x"), .internalError),
            (.Storage(reason: "x"), .storage),
            (.Internal(reason: "x"), .internalError),
        ]
        for (error, problem) in cases { XCTAssertEqual(Problem.from(error), problem, "\(error)") }
    }
}
