import Foundation
import Laissez
import XCTest

/// Delegates every request to the in-memory issuer (the foreign-trait path), noting the paths.
final class IssuerTransport: HttpTransport, @unchecked Sendable {
    private let issuer: TestOnlineIssuer
    private let lock = NSLock()
    private var seen: [String] = []

    init(_ issuer: TestOnlineIssuer) { self.issuer = issuer }

    var paths: [String] {
        lock.lock()
        defer { lock.unlock() }
        return seen
    }

    func send(request: HttpRequest) throws -> HttpResponse {
        lock.lock()
        seen.append(String(request.url.dropFirst(issuer.issuerUrl().count)))
        lock.unlock()
        return issuer.handle(request: request)
    }
}

/// The issuer until a request's URL ends with `failAt`, then `failure`.
final class FailingTransport: HttpTransport, @unchecked Sendable {
    private let issuer: TestOnlineIssuer
    private let failAt: String
    private let failure: (HttpRequest) throws -> HttpResponse

    init(_ issuer: TestOnlineIssuer, at failAt: String, _ failure: @escaping (HttpRequest) throws -> HttpResponse) {
        self.issuer = issuer
        self.failAt = failAt
        self.failure = failure
    }

    func send(request: HttpRequest) throws -> HttpResponse {
        request.url.hasSuffix(failAt) ? try failure(request) : issuer.handle(request: request)
    }
}

private struct NetworkDown: Error {}

/// Online issuance (OpenID4VCI) through the bindings, transports written in Swift.
final class OnlineIssuanceTests: XCTestCase {
    private var dir: URL!
    private let vct = "urn:laissez:test:online:1"
    private let docType = "org.laissez.test.online.1"
    private let sdJwtClaims = #"{"given_name":"Amina","family_name":"Haddad","registration_id":"R-42"}"#
    private var mdocClaims: String { #"{"\#(docType)":{"given_name":"Amina","family_name":"Haddad"}}"# }
    private let metadata = "/.well-known/openid-credential-issuer"

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    private func newWallet() async throws -> Wallet {
        let options = WalletOptions(pinKdf: insecureTestKdf(), platformKey: nil, clock: nil)
        return try await createWallet(path: dir.appendingPathComponent("wallet.db").path, pin: "2468", options: options)
            .wallet
    }

    private func response(_ status: UInt16, _ body: String, _ headers: [(String, String)] = []) -> HttpResponse {
        HttpResponse(status: status, headers: headers.map { HttpHeader(name: $0.0, value: $0.1) }, body: Data(body.utf8))
    }

    /// Runs `call` and returns the OnlineIssuanceError it throws, failing the test if it does not.
    private func issuanceError(_ call: () async throws -> Void, line: UInt = #line) async -> OnlineIssuanceError? {
        do {
            try await call()
            XCTFail("expected an OnlineIssuanceError", line: line)
        } catch let error as OnlineIssuanceError {
            return error
        } catch {
            XCTFail("unexpected error \(error)", line: line)
        }
        return nil
    }

    /// Every record counted, and the credentials.
    private func snapshot(_ wallet: Wallet) async throws -> (UInt64, [CredentialSummary]) {
        (try wallet.status().recordCount, try await wallet.listCredentials())
    }

    func testBothFormatsArriveAsABatchWithTheIssuersLabels() async throws {
        let wallet = try await newWallet()
        let issuer = try TestOnlineIssuer.create(name: "Registration Desk", batchSize: 5)
        let transport = IssuerTransport(issuer)

        let sdJwtOffer = try issuer.createOffer(claimsJson: sdJwtClaims, format: .sdJwt, credentialType: vct,
                                                txCode: "493817")
        let preview = try await wallet.previewCredentialOffer(offerUri: sdJwtOffer, transport: transport)
        XCTAssertEqual(preview.credentialIssuer, "https://issuer.laissez.test")
        XCTAssertEqual(preview.issuerName, "Registration Desk")
        XCTAssertEqual(preview.credentials.map(\.format), [.sdJwt])
        XCTAssertEqual(preview.credentials.map(\.credentialType), [vct])
        XCTAssertTrue(preview.txCodeRequired)
        XCTAssertEqual(preview.txCode,
                       TxCodeRequest(numeric: true, length: 6, description: "the code the test gave you"))
        XCTAssertEqual(preview.issuerBatchSize, 5)
        let none = try await wallet.listCredentials()
        XCTAssertTrue(none.isEmpty)

        let sdJwt = try await wallet.fetchCredential(offerUri: sdJwtOffer, txCode: "493817", batchSize: 3,
                                                     transport: transport)
        XCTAssertEqual(sdJwt.count, 1)
        XCTAssertEqual(sdJwt[0].copies, 3)
        XCTAssertEqual(sdJwt[0].summary.format, .sdJwt)
        XCTAssertEqual(sdJwt[0].summary.credentialType, vct)
        XCTAssertEqual(sdJwt[0].summary.display?.claimLabels["given_name"]?["en"], "Given name")
        XCTAssertTrue(["/token", "/nonce", "/credential"].allSatisfy(transport.paths.contains), "\(transport.paths)")

        let mdocOffer = try issuer.createOffer(claimsJson: mdocClaims, format: .mdoc, credentialType: docType,
                                               txCode: nil)
        let mdocPreview = try await wallet.previewCredentialOffer(offerUri: mdocOffer, transport: transport)
        XCTAssertFalse(mdocPreview.txCodeRequired)
        let mdoc = try await wallet.fetchCredential(offerUri: mdocOffer, txCode: nil, batchSize: nil,
                                                    transport: transport)
        XCTAssertEqual(mdoc.count, 1)
        XCTAssertEqual(mdoc[0].copies, 5)
        XCTAssertEqual(mdoc[0].summary.format, .mdoc)
        XCTAssertEqual(mdoc[0].summary.display?.claimLabels["\(docType)/family_name"]?["en"], "Family name")
        let listed = try await wallet.listCredentials()
        XCTAssertEqual(listed, [sdJwt[0].summary, mdoc[0].summary])

        // A pre-authorized code is single use.
        let again = await issuanceError {
            _ = try await wallet.fetchCredential(offerUri: mdocOffer, txCode: nil, batchSize: nil, transport: transport)
        }
        guard case .TokenRefused(code: .invalidGrant, _) = again else { return XCTFail("\(String(describing: again))") }
    }

    func testAWrongTransactionCodeIsATypedErrorAndLeavesTheWalletUnchanged() async throws {
        let wallet = try await newWallet()
        let issuer = try TestOnlineIssuer.create(name: "Registration Desk", batchSize: 4)
        let transport = IssuerTransport(issuer)
        let offer = try issuer.createOffer(claimsJson: sdJwtClaims, format: .sdJwt, credentialType: vct,
                                           txCode: "493817")
        _ = try await wallet.holderKey()
        let before = try await snapshot(wallet)

        let wrong = await issuanceError {
            _ = try await wallet.fetchCredential(offerUri: offer, txCode: "111111", batchSize: 2, transport: transport)
        }
        guard case .TokenRefused(code: .invalidGrant, _) = wrong else { return XCTFail("\(String(describing: wrong))") }
        var after = try await snapshot(wallet)
        XCTAssertEqual(after.0, before.0)
        XCTAssertEqual(after.1, before.1)

        let missing = await issuanceError {
            _ = try await wallet.fetchCredential(offerUri: offer, txCode: nil, batchSize: 2, transport: transport)
        }
        guard case .TxCodeRequired = missing else { return XCTFail("\(String(describing: missing))") }
        let form = await issuanceError {
            _ = try await wallet.fetchCredential(offerUri: offer, txCode: "12ab", batchSize: 2, transport: transport)
        }
        guard case .TxCodeForm = form else { return XCTFail("\(String(describing: form))") }

        wallet.lock()
        let locked = await issuanceError {
            _ = try await wallet.fetchCredential(offerUri: offer, txCode: "493817", batchSize: 2, transport: transport)
        }
        guard case .Locked = locked else { return XCTFail("\(String(describing: locked))") }
        try await wallet.unlock(pin: "2468")
        after = try await snapshot(wallet)
        XCTAssertEqual(after.0, before.0)

        let fetched = try await wallet.fetchCredential(offerUri: offer, txCode: "493817", batchSize: 2,
                                                       transport: transport)
        XCTAssertEqual(fetched.map(\.copies), [2])
    }

    func testEachTransportFailureIsItsTypedError() async throws {
        let wallet = try await newWallet()
        let issuer = try TestOnlineIssuer.create(name: "Registration Desk", batchSize: 3)
        let offer = try issuer.createOffer(claimsJson: sdJwtClaims, format: .sdJwt, credentialType: vct, txCode: nil)
        _ = try await wallet.holderKey()
        let before = try await snapshot(wallet)

        func preview(_ transport: HttpTransport) async -> OnlineIssuanceError? {
            await issuanceError { _ = try await wallet.previewCredentialOffer(offerUri: offer, transport: transport) }
        }

        let status = await preview(FailingTransport(issuer, at: metadata) { _ in self.response(500, "oops") })
        guard case .HttpStatus(endpoint: .issuerMetadata, status: 500) = status else {
            return XCTFail("\(String(describing: status))")
        }
        let malformed = await preview(FailingTransport(issuer, at: metadata) { _ in
            self.response(200, #"{"credential_issuer": "#, [("content-type", "application/json")])
        })
        guard case .MalformedJson(endpoint: .issuerMetadata, _) = malformed else {
            return XCTFail("\(String(describing: malformed))")
        }
        let redirect = await preview(FailingTransport(issuer, at: metadata) { _ in
            self.response(302, "", [("location", "https://elsewhere.test/")])
        })
        guard case .RedirectRefused(endpoint: .issuerMetadata, status: 302) = redirect else {
            return XCTFail("\(String(describing: redirect))")
        }
        let timeout = await preview(FailingTransport(issuer, at: metadata) { _ in throw TransportError.Timeout })
        guard case .Timeout(endpoint: .issuerMetadata) = timeout else {
            return XCTFail("\(String(describing: timeout))")
        }
        // An error of another type, as URLSession throws: a connection failure, not a crash.
        let thrown = await preview(FailingTransport(issuer, at: metadata) { _ in throw NetworkDown() })
        guard case .ConnectionFailed(endpoint: .issuerMetadata, _) = thrown else {
            return XCTFail("\(String(describing: thrown))")
        }

        // A failure at the last step, after the keys were derived: nothing is written.
        let late = await issuanceError {
            _ = try await wallet.fetchCredential(offerUri: offer, txCode: nil, batchSize: 3,
                                                 transport: FailingTransport(issuer, at: "/credential") { _ in
                                                     self.response(500, "")
                                                 })
        }
        guard case .HttpStatus(endpoint: .credential, status: 500) = late else {
            return XCTFail("\(String(describing: late))")
        }
        let after = try await snapshot(wallet)
        XCTAssertEqual(after.0, before.0)
        XCTAssertEqual(after.1, before.1)

        let notAnOffer = await issuanceError {
            _ = try await wallet.previewCredentialOffer(offerUri: "https://issuer.laissez.test/",
                                                        transport: IssuerTransport(issuer))
        }
        guard case .InvalidOffer = notAnOffer else { return XCTFail("\(String(describing: notAnOffer))") }
    }
}
