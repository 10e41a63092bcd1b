import Foundation
import Laissez
import XCTest

/// Identity cards (MOSIP Claim 169 codes, issue 16): a card scanned into the holder's wallet,
/// listed and shown with labels, its issuer trusted only from the trust list; its own code
/// shown to a field verifier, whose verdict says possession is not proven; bad codes as typed
/// errors.
final class IdentityCardTests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    private func newWallet(_ name: String) async throws -> Wallet {
        let options = WalletOptions(pinKdf: insecureTestKdf(), platformKey: nil, clock: nil)
        return try await createWallet(path: dir.appendingPathComponent(name).path, pin: "2468", options: options).wallet
    }

    func testACardIsKeptShownWholeAndVerifiedWithPossessionNotProven() async throws {
        let holder = try await newWallet("holder.db")
        let verifier = FieldVerifier(wallet: try await newWallet("verifier.db"))
        let registry = try TestCardIssuer.create(name: "Civil Registry of Kenya", country: "KEN")
        let text = try registry.card(fullName: "Amina Yusuf Abdi", idNumber: "3918592438", validDays: 365, faceJpeg: nil)
        XCTAssertTrue(isIdentityCardCode(text: text))
        XCTAssertFalse(isIdentityCardCode(text: "https://example.org"))

        let kept = try await holder.importIdentityCard(qrText: text)
        XCTAssertEqual(kept.issuer, .unverified(claimedIssuer: "Civil Registry of Kenya"))
        let signer = try TestTrustListSigner.create()
        let list = try signer.sign(sequence: 1, validDays: 30, issuers: [], registrars: [], cardIssuers: [registry])
        _ = try await holder.importIssuerTrustList(signedText: list, signerJwk: signer.publicJwk())
        let cards = try await holder.identityCards()
        XCTAssertEqual(cards.map { $0.issuer }, [.trusted(name: "Civil Registry of Kenya")])
        let detail = try await holder.identityCard(id: kept.id, lang: "ar")
        let name = try XCTUnwrap(detail.fields.first { $0.path == "fullName" })
        XCTAssertEqual(name.label, "الاسم الكامل")
        XCTAssertEqual(name.valueJson, "\"Amina Yusuf Abdi\"")

        let frame = try await holder.showIdentityCardCode(id: kept.id)
        XCTAssertEqual(frame.text, text)
        let history = try await holder.disclosureHistory()
        XCTAssertEqual(history.map { $0.credentialId }, [kept.id])

        _ = try await verifier.importTrustList(signedText: list, signerJwk: signer.publicJwk())
        let verdict = try await verifier.verifyClaim169(qrText: frame.text, lang: "en")
        XCTAssertTrue(verdict.valid, "\(verdict.reasonCodes)")
        XCTAssertEqual(verdict.format, .claim169)
        XCTAssertTrue(verdict.possessionNotProven)
        XCTAssertEqual(verdict.issuerName, "Civil Registry of Kenya")

        try await holder.deleteIdentityCard(id: kept.id)
        let none = try await holder.identityCards()
        XCTAssertTrue(none.isEmpty)
    }

    func testBadCodesAreTypedErrorsAndAnUnknownIssuerShowsNoClaims() async throws {
        let holder = try await newWallet("holder.db")
        let verifier = FieldVerifier(wallet: try await newWallet("verifier.db"))
        let registry = try TestCardIssuer.create(name: "Civil Registry of Kenya", country: "KEN")
        let text = try registry.card(fullName: "Amina Yusuf Abdi", idNumber: "3918592438", validDays: 365, faceJpeg: nil)
        for bad in ["", "hello", String(text.prefix(text.count / 2))] {
            let err = await failure(IdentityCardError.self) { _ = try await holder.importIdentityCard(qrText: bad) }
            guard case .Unreadable = err else { return XCTFail("\(bad): \(String(describing: err))") }
        }
        _ = try await holder.importIdentityCard(qrText: text)
        let again = await failure(IdentityCardError.self) { _ = try await holder.importIdentityCard(qrText: text) }
        guard case .AlreadyKept = again else { return XCTFail("\(String(describing: again))") }
        let notShown = await failure(IdentityCardError.self) { _ = try await holder.showIdentityCardCode(id: "nope") }
        guard case .NotFound = notShown else { return XCTFail("\(String(describing: notShown))") }
        let notDeleted = await failure(IdentityCardError.self) { try await holder.deleteIdentityCard(id: "nope") }
        guard case .NotFound = notDeleted else { return XCTFail("\(String(describing: notDeleted))") }
        let history = try await holder.disclosureHistory()
        XCTAssertTrue(history.isEmpty)

        let signer = try TestTrustListSigner.create()
        let other = try TestCardIssuer.create(name: "Another registry", country: "KEN")
        _ = try await verifier.importTrustList(
            signedText: try signer.sign(sequence: 1, validDays: 30, issuers: [], registrars: [], cardIssuers: [other]),
            signerJwk: signer.publicJwk())
        let verdict = try await verifier.verifyClaim169(qrText: text, lang: "en")
        XCTAssertFalse(verdict.valid)
        XCTAssertEqual(verdict.reasonCodes, ["unknown_issuer"])
        XCTAssertTrue(verdict.claims.isEmpty)
        let notACard = await failure(VerifierError.self) { _ = try await verifier.verifyClaim169(qrText: "LZ1:ABC", lang: "en") }
        guard case .UnexpectedMessage = notACard else { return XCTFail("\(String(describing: notACard))") }
    }
}
