import Foundation
import Laissez
import XCTest

/// Credentials on a wallet and the verifier, through the bindings: both formats, each error.
final class CredentialsTests: XCTestCase {
    private var dir: URL!

    private let claims = #"{"given_name":"Amina","family_name":"Haddad","birth_date":"1990-05-01","#
        + #""nationality":"SD","registration_id":"IOM-2026-0042","place_of_birth":"Khartoum"}"#
    private let nonce = "n-42"
    private let audience = "https://desk.example"

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    private func newWallet(_ name: String = "wallet.db", clock: WalletClock? = nil) async throws -> Wallet {
        let options = WalletOptions(pinKdf: insecureTestKdf(), platformKey: nil, clock: clock)
        return try await createWallet(path: dir.appendingPathComponent(name).path, pin: "2468", options: options).wallet
    }

    private func issue(_ issuer: TestIssuer, _ format: CredentialFormat, _ holder: HolderKey) throws -> Data {
        switch format {
        case .sdJwt:
            return try issuer.issueSdJwt(vct: "urn:laissez:iom:registration:1", claimsJson: claims,
                                         holderJwkJson: holder.jwk)
        case .mdoc:
            return try issuer.issueMdoc(docType: "org.iom.registration.1", claimsJson: claims,
                                        holderJwkJson: holder.jwk)
        case .claim169:
            throw ScanFailure(description: "identity cards are not issued credentials")
        }
    }

    private static func now() -> Int64 { Int64(Date().timeIntervalSince1970) }

    /// Runs `call` and returns the CredentialError it throws, failing the test if it does not.
    private func credentialError(_ call: () async throws -> Void, line: UInt = #line) async -> CredentialError? {
        do {
            try await call()
            XCTFail("expected a CredentialError", line: line)
        } catch let error as CredentialError {
            return error
        } catch {
            XCTFail("unexpected error \(error)", line: line)
        }
        return nil
    }

    func testHolderKeyIsAStableP256JwkWithAFingerprint() async throws {
        let wallet = try await newWallet()
        let key = try await wallet.holderKey()
        XCTAssertTrue(key.jwk.contains(#""crv":"P-256""#), key.jwk)
        XCTAssertFalse(key.jwk.contains(#""d""#))
        XCTAssertEqual(key.fingerprint.count, 32)
        let again = try await wallet.holderKey()
        XCTAssertEqual(again, key)
        let other = try await newWallet("other.db").holderKey()
        XCTAssertNotEqual(other, key)
    }

    private func fullFlow(_ format: CredentialFormat, wanted: [String], trusted: (TestIssuer) -> Data) async throws {
        let wallet = try await newWallet()
        let issuer = try TestIssuer.create(name: "IOM Field Office")
        let holder = try await wallet.holderKey()
        let issued = try issue(issuer, format, holder)

        let summary = try await wallet.importCredential(credential: issued, issuerKeys: [])
        XCTAssertEqual(summary.format, format)
        // No labels inside: the certificate's name, and the built-in type metadata's labels.
        // No issuer trust list in this wallet: that name is only the credential's claim.
        XCTAssertEqual(summary.claimedIssuerName, "IOM Field Office")
        XCTAssertEqual(summary.issuerTrust, .unknown)
        let givenName = format == .mdoc ? "org.iom.registration.1/given_name" : "given_name"
        XCTAssertEqual(summary.display?.claimLabels[givenName]?["fr"], "Prénom")
        let foreign = await credentialError {
            _ = try await wallet.importCredential(credential: issued, issuerKeys: [],
                                                  typeMetadata: Data(#"{"vct":"urn:another"}"#.utf8))
        }
        guard case .InvalidTypeMetadata? = foreign else { return XCTFail("expected InvalidTypeMetadata, got \(String(describing: foreign))") }
        let again = await credentialError { _ = try await wallet.importCredential(credential: issued, issuerKeys: []) }
        XCTAssertEqual(again, .AlreadyImported)
        let listed = try await wallet.listCredentials()
        XCTAssertEqual(listed, [summary])

        let detail = try await wallet.showCredential(id: summary.id, lang: "fr")
        XCTAssertEqual(detail.summary, summary)
        XCTAssertEqual(detail.holderKey, holder)
        XCTAssertGreaterThanOrEqual(detail.claims.count, 6)
        let given = try XCTUnwrap(detail.claims.first { $0.path.hasSuffix("given_name") })
        XCTAssertEqual(given.label, "Prénom")
        XCTAssertEqual(given.valueJson, #""Amina""#)
        XCTAssertTrue(given.selectable)

        let presentation = try await wallet.presentCredential(id: summary.id, claims: wanted, nonce: nonce, audience: audience)
        XCTAssertEqual(presentation.format, format)
        XCTAssertEqual(presentation.sessionTranscript != nil, format == .mdoc)
        XCTAssertNil(presentation.bytes.range(of: Data("Khartoum".utf8)))
        let history = try await wallet.disclosureHistory()
        XCTAssertEqual(history.map(\.claims), [wanted])
        XCTAssertEqual(history.first?.audience, audience)
        XCTAssertEqual(history.first?.credentialId, summary.id)

        let anchors = [trusted(issuer)]
        let verdict = try await verifyPresentation(presentation: presentation.bytes, nonce: nonce, audience: audience,
                                                   trustedIssuers: anchors, lang: "fr", now: nil)
        XCTAssertTrue(verdict.valid, "\(verdict.reasonCodes)")
        XCTAssertEqual(verdict.reasons, [])
        XCTAssertEqual(verdict.format, format)
        XCTAssertEqual(verdict.credentialType, summary.credentialType)
        XCTAssertEqual(verdict.issuerFingerprint, summary.issuerFingerprint)
        XCTAssertEqual(verdict.issuerName, "IOM Field Office")
        XCTAssertEqual(verdict.claims.count, wanted.count)
        let disclosed = try XCTUnwrap(verdict.claims.first { $0.path.hasSuffix("given_name") })
        XCTAssertEqual(disclosed.label, "Prénom")
        XCTAssertEqual(disclosed.valueJson, #""Amina""#)
        XCTAssertFalse(verdict.claims.contains { $0.path.hasSuffix("place_of_birth") })

        // Another nonce: refused with a stable reason code.
        let replayed = try await verifyPresentation(presentation: presentation.bytes, nonce: "n-43", audience: audience,
                                                    trustedIssuers: anchors, lang: "fr", now: nil)
        XCTAssertFalse(replayed.valid)
        XCTAssertEqual(replayed.reasonCodes, [format == .sdJwt ? "wrong_nonce" : "bad_holder_signature"])
        XCTAssertEqual(replayed.reasons, [format == .sdJwt ? .wrongNonce : .badHolderSignature])
        XCTAssertTrue(replayed.claims.isEmpty)

        // An issuer the verifier does not trust.
        // The issuer's authority (its root certificate) anchors the signer's chain.
        let byRoot = try await verifyPresentation(presentation: presentation.bytes, nonce: nonce, audience: audience,
                                                  trustedIssuers: [issuer.rootCertificateDer()], lang: "fr", now: nil)
        XCTAssertTrue(byRoot.valid, "\(byRoot.reasonCodes)")
        XCTAssertNotEqual(issuer.rootCertificateDer(), issuer.certificateDer())

        let stranger = try TestIssuer.create(name: "Someone else")
        let untrusted = try await verifyPresentation(presentation: presentation.bytes, nonce: nonce, audience: audience,
                                                     trustedIssuers: [stranger.certificateDer()], lang: "fr", now: nil)
        XCTAssertEqual(untrusted.reasons, [.unknownIssuer])
        XCTAssertEqual(untrusted.reasonCodes, ["unknown_issuer"])

        // The verifier's own time: a year and a month later the credential has expired.
        let expired = try await verifyPresentation(presentation: presentation.bytes, nonce: nonce, audience: audience,
                                                   trustedIssuers: anchors, lang: "fr", now: Self.now() + 400 * 86_400)
        XCTAssertEqual(expired.reasons, [.expired])

        try await wallet.deleteCredential(id: summary.id)
        let remaining = try await wallet.listCredentials()
        XCTAssertEqual(remaining, [])
        let gone = await credentialError { _ = try await wallet.showCredential(id: summary.id, lang: "fr") }
        XCTAssertEqual(gone, .NotFound)
    }

    func testSdJwtIssueImportShowPresentASubsetVerify() async throws {
        try await fullFlow(.sdJwt, wanted: ["given_name", "family_name", "nationality"]) {
            Data($0.certificatePem().utf8)
        }
    }

    func testMdocIssueImportShowPresentASubsetVerify() async throws {
        try await fullFlow(.mdoc, wanted: ["given_name", "family_name", "org.iom.registration.1/nationality"]) {
            $0.certificateDer()
        }
    }

    func testIssuerKeysMayBeAJwkOrACertificate() async throws {
        let wallet = try await newWallet()
        let issuer = try TestIssuer.create(name: "IOM Field Office")
        let issued = try issue(issuer, .sdJwt, try await wallet.holderKey())
        let jwk = Data(issuer.publicJwk().utf8)
        let summary = try await wallet.importCredential(credential: issued, issuerKeys: [jwk, issuer.certificateDer()])
        let presentation = try await wallet.presentCredential(id: summary.id, claims: ["given_name"], nonce: nonce, audience: audience)
        let verdict = try await verifyPresentation(presentation: presentation.bytes, nonce: nonce, audience: audience,
                                                   trustedIssuers: [jwk], lang: "en", now: nil)
        XCTAssertTrue(verdict.valid, "\(verdict.reasonCodes)")
        let pem = issuer.certificatePem()
        XCTAssertTrue(pem.hasPrefix("-----BEGIN CERTIFICATE-----\n"))
        let body = pem.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        XCTAssertEqual(Data(base64Encoded: body), issuer.certificateDer())
        XCTAssertEqual(issuer.name(), "IOM Field Office")
    }

    func testTheWalletClockDatesImportsAndRefusesExpiredCredentials() async throws {
        // A minute ahead: the issuer stamps validity from the system clock, a moment later.
        let start = Self.now() + 60
        let clock = TestClock(start)
        let wallet = try await newWallet(clock: clock)
        let issuer = try TestIssuer.create(name: "IOM Field Office")
        let holder = try await wallet.holderKey()
        let summary = try await wallet.importCredential(credential: try issue(issuer, .mdoc, holder), issuerKeys: [])
        XCTAssertEqual(summary.importedAt, start)
        clock.advance(400 * 86_400)
        for format in [CredentialFormat.sdJwt, .mdoc] {
            let issued = try issue(issuer, format, holder)
            let error = await credentialError { _ = try await wallet.importCredential(credential: issued, issuerKeys: []) }
            guard case .InvalidCredential(let code, _)? = error else {
                return XCTFail("expected InvalidCredential, got \(String(describing: error))")
            }
            XCTAssertEqual(code, .expired)
        }
        _ = try await wallet.presentCredential(id: summary.id, claims: ["given_name"], nonce: nonce, audience: audience)
        let history = try await wallet.disclosureHistory()
        XCTAssertEqual(history.map(\.at), [start + 400 * 86_400])
    }

    func testBadInputPerFunctionGivesATypedError() async throws {
        let wallet = try await newWallet()
        let issuer = try TestIssuer.create(name: "IOM Field Office")
        let holder = try await wallet.holderKey()
        let unknownId = String(repeating: "0", count: 32)
        let (nonce, audience) = (self.nonce, self.audience)

        for garbage in [Data(), Data("hello".utf8), Data([0x01, 0x02])] {
            let error = await credentialError { _ = try await wallet.importCredential(credential: garbage, issuerKeys: []) }
            XCTAssertEqual(error, .UnknownFormat)
        }
        let broken = await credentialError {
            _ = try await wallet.importCredential(credential: Data("eyJhbGciOiJub25lIn0~".utf8), issuerKeys: [])
        }
        guard case .InvalidCredential(let code, _)? = broken else { return XCTFail("expected InvalidCredential") }
        XCTAssertEqual(code, .malformed)
        let issued = try issue(issuer, .sdJwt, holder)
        let badKey = await credentialError {
            _ = try await wallet.importCredential(credential: issued, issuerKeys: [Data("not a key".utf8)])
        }
        guard case .InvalidTrustedIssuer? = badKey else { return XCTFail("expected InvalidTrustedIssuer") }
        let other = try await newWallet("other.db")
        let foreign = await credentialError { _ = try await other.importCredential(credential: issued, issuerKeys: []) }
        XCTAssertEqual(foreign, .NotBoundToThisWallet)

        for call in [
            { _ = try await wallet.showCredential(id: unknownId, lang: "en") },
            { _ = try await wallet.showCredential(id: "not-an-id", lang: "en") },
            { try await wallet.deleteCredential(id: unknownId) },
            { _ = try await wallet.presentCredential(id: unknownId, claims: ["given_name"], nonce: nonce, audience: audience) },
        ] as [() async throws -> Void] {
            let error = await credentialError(call)
            XCTAssertEqual(error, .NotFound)
        }

        let sdJwt = try await wallet.importCredential(credential: issued, issuerKeys: [])
        let mdoc = try await wallet.importCredential(credential: try issue(issuer, .mdoc, holder), issuerKeys: [])
        let sdJwtClaim = await credentialError {
            _ = try await wallet.presentCredential(id: sdJwt.id, claims: ["given_name", "nickname"], nonce: nonce, audience: audience)
        }
        guard case .UnknownClaim? = sdJwtClaim else { return XCTFail("expected UnknownClaim") }
        let mdocClaim = await credentialError {
            _ = try await wallet.presentCredential(id: mdoc.id, claims: ["nickname"], nonce: nonce, audience: audience)
        }
        XCTAssertEqual(mdocClaim, .UnknownClaim(claim: "nickname"))
        let history = try await wallet.disclosureHistory()
        XCTAssertEqual(history, [])

        let badTrust = await credentialError {
            _ = try await verifyPresentation(presentation: Data("x".utf8), nonce: nonce, audience: audience,
                                             trustedIssuers: [Data([1, 2, 3])], lang: "en", now: nil)
        }
        guard case .InvalidTrustedIssuer? = badTrust else { return XCTFail("expected InvalidTrustedIssuer") }
        let garbage = try await verifyPresentation(presentation: Data("not a presentation".utf8), nonce: nonce,
                                                   audience: audience, trustedIssuers: [], lang: "en", now: nil)
        XCTAssertFalse(garbage.valid)
        XCTAssertEqual(garbage.reasons, [.malformed])
        XCTAssertEqual(garbage.reasonCodes, ["malformed"])

        XCTAssertThrowsError(try TestIssuer.create(name: " ")) {
            guard case .InvalidInput? = $0 as? IssuerError else { return XCTFail("expected InvalidInput, got \($0)") }
        }
        XCTAssertThrowsError(try issuer.issueSdJwt(vct: "urn:x", claimsJson: "[]", holderJwkJson: holder.jwk)) {
            guard case .InvalidInput? = $0 as? IssuerError else { return XCTFail("expected InvalidInput, got \($0)") }
        }
        XCTAssertThrowsError(try issuer.issueMdoc(docType: "org.x", claimsJson: claims, holderJwkJson: "{}")) {
            guard case .InvalidInput? = $0 as? IssuerError else { return XCTFail("expected InvalidInput, got \($0)") }
        }
    }

    func testALockedWalletRefusesEveryCredentialOperation() async throws {
        let wallet = try await newWallet()
        let issuer = try TestIssuer.create(name: "IOM Field Office")
        let issued = try issue(issuer, .sdJwt, try await wallet.holderKey())
        let id = try await wallet.importCredential(credential: issued, issuerKeys: []).id
        let (nonce, audience) = (self.nonce, self.audience)
        wallet.lock()
        for call in [
            { _ = try await wallet.holderKey() },
            { _ = try await wallet.importCredential(credential: issued, issuerKeys: []) },
            { _ = try await wallet.listCredentials() },
            { _ = try await wallet.showCredential(id: id, lang: "en") },
            { try await wallet.deleteCredential(id: id) },
            { _ = try await wallet.presentCredential(id: id, claims: ["given_name"], nonce: nonce, audience: audience) },
            { _ = try await wallet.disclosureHistory() },
        ] as [() async throws -> Void] {
            let error = await credentialError(call)
            XCTAssertEqual(error, .Locked)
        }
        try await wallet.unlock(pin: "2468")
        let listed = try await wallet.listCredentials()
        XCTAssertEqual(listed.map(\.id), [id])
    }
}
