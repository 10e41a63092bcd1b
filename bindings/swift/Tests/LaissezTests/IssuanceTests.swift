import Foundation
import Laissez
import XCTest

/// Offline issuance through the bindings, from Swift: a desk (`TestIssuer`) offers, the holder
/// reads the offer against its issuer trust list, answers with the proof code and receives the
/// batch through animated frames; an unknown desk is shown as unknown; a tampered batch changes
/// nothing.
final class IssuanceTests: XCTestCase {
    private var dir: URL!
    private let vct = "urn:laissez:iom:registration:1"
    private let claims = #"{"given_name":"Amina","family_name":"Haddad"}"#

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    private func newWallet(_ name: String, clock: WalletClock? = nil) async throws -> Wallet {
        let options = WalletOptions(pinKdf: insecureTestKdf(), platformKey: nil, clock: clock)
        return try await createWallet(path: dir.appendingPathComponent(name).path, pin: "2468", options: options).wallet
    }

    /// Offer -> proof -> batch, each through QR frames; the batch as scanned.
    private func issue(_ desk: TestIssuer, to holder: Wallet, copies: UInt32) async throws -> QrMessage {
        let offerFrames = try await qrFrames(message: try desk.offer(format: .sdJwt, credentialType: vct, batchSize: copies, validMinutes: 10))
        XCTAssertEqual(offerFrames.count, 1, "an offer is one code")
        let offer = try await scan(QrScanner(), offerFrames)
        XCTAssertEqual(offer.kind, .issuanceOffer)
        let proofFrames = try await holder.acceptOffer(message: offer, frameOptions: nil)
        XCTAssertEqual(proofFrames.count, 1, "a proof is one code")
        let proof = try await scan(QrScanner(), proofFrames)
        var small = defaultFrameOptions()
        small.maxFrameChars = 400
        let batchFrames = try await qrFrames(message: try desk.deliver(proof: proof, claimsJson: claims, validDays: 30), options: small)
        XCTAssertGreaterThan(batchFrames.count, 1, "a batch is an animated sequence")
        let batch = try await scan(QrScanner(), batchFrames)
        XCTAssertEqual(batch.kind, .issuedBatch)
        return batch
    }

    func testATrustedDeskIssuesABatchThroughFrames() async throws {
        let desk = try TestIssuer.create(name: "IOM Field Office")
        let signer = try TestTrustListSigner.create()
        let clock = ShiftedClock()
        let holder = try await newWallet("holder.db", clock: clock)
        let signed = try signer.sign(sequence: 1, validDays: 30, issuers: [desk])
        _ = try await holder.importIssuerTrustList(signedText: signed, signerJwk: signer.publicJwk())

        let view = try await holder.readOffer(message: try desk.offer(format: .sdJwt, credentialType: vct, batchSize: 3, validMinutes: 10))
        XCTAssertEqual(view.trust, .trusted(name: "IOM Field Office"))
        XCTAssertEqual(view.batchSize, 3)

        let batch = try await issue(desk, to: holder, copies: 3)
        let summary = try await holder.receiveIssuance(message: batch)
        XCTAssertEqual(summary.copiesTotal, 3)
        XCTAssertEqual(summary.copiesLeft, 3)
        XCTAssertEqual(summary.copiesState, .plenty)
        do {
            _ = try await holder.receiveIssuance(message: batch)
            XCTFail("a completed acceptance must not take the batch again")
        } catch IssuanceError.NoPendingOffer {}

        // The issuer is on the wallet's trust list: the list's name, on import, list and show.
        XCTAssertEqual(summary.issuerTrust, .trusted(name: "IOM Field Office"))
        let listed = try await holder.listCredentials()
        XCTAssertEqual(listed.first?.issuerTrust, .trusted(name: "IOM Field Office"))
        let detail = try await holder.showCredential(id: summary.id, lang: "en")
        XCTAssertEqual(detail.summary.issuerTrust, .trusted(name: "IOM Field Office"))
        XCTAssertEqual(summary.claimedIssuerName, "IOM Field Office")
        // The list was signed for 30 days: once it has expired the wallet vouches for nobody.
        clock.advance(40 * 86_400)
        let late = try await holder.listCredentials()
        XCTAssertEqual(late.first?.issuerTrust, .unknown)
    }

    func testAnUnknownDeskIsShownAsUnknownAndATamperedBatchChangesNothing() async throws {
        let desk = try TestIssuer.create(name: "IOM Field Office")
        let holder = try await newWallet("holder.db")
        let view = try await holder.readOffer(message: try desk.offer(format: .mdoc, credentialType: "org.iom.registration.1", batchSize: 1, validMinutes: 10))
        XCTAssertEqual(view.trust, .unknown)
        XCTAssertEqual(view.unverifiedClaimedName, "IOM Field Office")

        let batch = try await issue(desk, to: holder, copies: 2)
        let records = try holder.status().recordCount
        var tampered = batch.payload
        tampered[tampered.count / 2] ^= 0x01
        do {
            _ = try await holder.receiveIssuance(message: QrMessage(kind: .issuedBatch, payload: tampered))
            XCTFail("a tampered batch must be refused")
        } catch IssuanceError.Undecryptable {}
        XCTAssertEqual(try holder.status().recordCount, records)
        let received = try await holder.receiveIssuance(message: batch)
        XCTAssertEqual(received.copiesTotal, 2)
        // Its issuer stays unverified; the name it gives is only its claim.
        XCTAssertEqual(received.issuerTrust, .unknown)
        let listed = try await holder.listCredentials()
        XCTAssertEqual(listed.first?.issuerTrust, .unknown)
        XCTAssertEqual(received.claimedIssuerName, "IOM Field Office")
    }

    func testBadTrustListsAndBadDeskInputAreTypedErrors() async throws {
        let desk = try TestIssuer.create(name: "IOM Field Office")
        let signer = try TestTrustListSigner.create()
        let stranger = try TestTrustListSigner.create()
        let holder = try await newWallet("holder.db")
        let signed = try signer.sign(sequence: 1, validDays: 30, issuers: [desk])
        do {
            _ = try await holder.importIssuerTrustList(signedText: signed, signerJwk: "not a key")
            XCTFail("a signer key that is not a JWK must be refused")
        } catch IssuanceError.InvalidSignerKey {}
        do {
            _ = try await holder.importIssuerTrustList(signedText: signed, signerJwk: stranger.publicJwk())
            XCTFail("a list signed by another key must be refused")
        } catch IssuanceError.TrustListRejected {}
        let offer = try desk.offer(format: .sdJwt, credentialType: vct, batchSize: 1, validMinutes: 10)
        let proof = try await scan(QrScanner(), try await holder.acceptOffer(message: offer, frameOptions: nil))
        do {
            _ = try desk.deliver(proof: proof, claimsJson: "[1, 2]", validDays: 30)
            XCTFail("claims that are not a JSON object must be refused")
        } catch IssuanceError.InvalidInput {}
    }
}
