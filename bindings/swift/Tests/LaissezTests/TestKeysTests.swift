import Foundation
import XCTest
@testable import Laissez

/// Test keys kept in a wallet (issue 17): the four test objects kept as one set, the wallet
/// released and opened again, the same keys back (no key bytes cross into Swift); a locked
/// wallet and a damaged record as typed errors.
final class TestKeysTests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("laissez-keys-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    private var options: WalletOptions { WalletOptions(pinKdf: insecureTestKdf(), platformKey: nil, clock: nil) }

    private func demoKeys() throws -> TestKeys {
        TestKeys.create(
            issuer: try TestIssuer.create(name: "Demo Issuer"),
            trustListSigner: try TestTrustListSigner.create(),
            registrar: try TestRegistrar.create(id: "urn:demo:registrar", name: "Demo Registrar", country: "CH"),
            cardIssuer: try TestCardIssuer.create(name: "Civil Registry (demo)", country: "KEN"))
    }

    func testKeptKeysComeBackWithTheSamePublicKeysAfterTheWalletReopens() async throws {
        let path = dir.appendingPathComponent("holder.db").path
        let keys = try demoKeys()
        do {
            let wallet = try await createWallet(path: path, pin: "2468", options: options).wallet
            let none = try await wallet.keptTestKeys()
            XCTAssertNil(none)
            try await keys.keepIn(wallet: wallet)
        }
        let wallet = try await openWallet(path: path, options: options)
        try await wallet.unlock(pin: "2468")
        let restoredOrNil = try await wallet.keptTestKeys()
        let restored = try XCTUnwrap(restoredOrNil)
        XCTAssertEqual(restored.fingerprint(), keys.fingerprint())
        XCTAssertNotEqual(restored.fingerprint(), try demoKeys().fingerprint())
        XCTAssertEqual(restored.trustListSigner().publicJwk(), keys.trustListSigner().publicJwk())
        XCTAssertEqual(restored.issuer().publicJwk(), keys.issuer().publicJwk())
        XCTAssertEqual(restored.cardIssuer().publicJwk(), keys.cardIssuer().publicJwk())
        XCTAssertEqual(restored.registrar().id(), "urn:demo:registrar")
        // The restored signer signs lists the original's pin accepts.
        let list = try restored.trustListSigner().sign(sequence: 1, validDays: 30, issuers: [restored.issuer()],
                                                       registrars: [restored.registrar()],
                                                       cardIssuers: [restored.cardIssuer()])
        _ = try await wallet.importIssuerTrustList(signedText: list, signerJwk: keys.trustListSigner().publicJwk())
    }

    func testALockedWalletAndADamagedRecordAreTypedErrors() async throws {
        let wallet = try await createWallet(path: dir.appendingPathComponent("w.db").path, pin: "2468",
                                            options: options).wallet
        wallet.lock()
        do {
            try await demoKeys().keepIn(wallet: wallet)
            XCTFail("kept in a locked wallet")
        } catch TestKeysError.Locked {}
        do {
            _ = try await wallet.keptTestKeys()
            XCTFail("read from a locked wallet")
        } catch TestKeysError.Locked {}
        try await wallet.unlock(pin: "2468")
        _ = try await wallet.put(record: NewRecordInput(kind: "test_keys", tags: [], body: Data(#"{"version":1}"#.utf8)))
        do {
            _ = try await wallet.keptTestKeys()
            XCTFail("a damaged record read")
        } catch TestKeysError.Unreadable {}
    }
}
