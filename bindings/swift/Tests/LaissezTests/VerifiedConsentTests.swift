import Foundation
import Laissez
import XCTest

/// Signed requests and the consent that tells verified from unverified verifiers (issue 15): a
/// registrar certifies a field verifier, the holder's trust list names the registrar, and every
/// failing certificate reads as unverified with its reason.
final class VerifiedConsentTests: XCTestCase {
    private var dir: URL!
    private let vct = "urn:laissez:iom:registration:1"
    private let day: Int64 = 86_400

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    private static func now() -> Int64 { Int64(Date().timeIntervalSince1970) }

    private func newWallet(_ name: String, clock: WalletClock) async throws -> Wallet {
        let options = WalletOptions(pinKdf: insecureTestKdf(), platformKey: nil, clock: clock)
        return try await createWallet(path: dir.appendingPathComponent(name).path, pin: "2468", options: options).wallet
    }

    private struct World {
        let vct: String
        let holderClock: ShiftedClock
        let verifierClock: ShiftedClock
        let registrar: TestRegistrar
        let holder: Wallet
        let verifier: FieldVerifier
        let credentialId: String

        func certify(_ by: TestRegistrar, from: Int64, until: Int64, scope: [RegisteredScope]? = nil) async throws -> Data {
            try by.certify(verifierKeyJwk: try await verifier.requestSigningKey(), organisation: "Aid Org", country: "GR",
                           purposes: ["Food distribution"],
                           scope: scope ?? [RegisteredScope(credentialType: vct, claims: ["given_name"])],
                           validFrom: from, validUntil: until)
        }

        func request(byReference: Bool = false) async throws -> (VerifierRequestCodes, QrMessage) {
            let requested = [RequestedCredential(credentialType: vct, claims: [
                RequestedClaim(path: "given_name", required: true),
                RequestedClaim(path: "nationality", required: false),
            ])]
            let codes = try await verifier.createRequest(verifierName: "UNHCR registration", purpose: "Registration",
                                                         credentials: requested, ttlSecs: 300,
                                                         certificateByReference: byReference)
            XCTAssertEqual(codes.frames.count, 1)
            return (codes, try decodeQrText(text: codes.frames[0].text))
        }

        func consent(_ claims: [String], allowed: [String] = []) -> Consent {
            Consent(credentialId: credentialId, claims: claims, allowedBeyondScope: allowed)
        }

        func reason(_ message: QrMessage) async throws -> UnverifiedReason? {
            guard case .unverified(let reason, let claimedName, _) = try await holder.readRequest(message: message).identity
            else { return nil }
            XCTAssertEqual(claimedName, "UNHCR registration")
            return reason
        }
    }

    private func world() async throws -> World {
        let holderClock = ShiftedClock()
        let verifierClock = ShiftedClock()
        let holder = try await newWallet("holder.db", clock: holderClock)
        let verifier = FieldVerifier(wallet: try await newWallet("verifier.db", clock: verifierClock))
        let issuer = try TestIssuer.create(name: "IOM Field Office")
        let claims = #"{"given_name":"Amina","family_name":"Haddad","nationality":"SD"}"#
        let issued = try issuer.issueSdJwt(vct: vct, claimsJson: claims, holderJwkJson: try await holder.holderKey().jwk,
                                           status: nil)
        let credentialId = try await holder.importCredential(credential: issued, issuerKeys: []).id
        let registrar = try TestRegistrar.create(id: "urn:example:coordination", name: "Humanitarian coordination body",
                                                 country: "GR")
        let signer = try TestTrustListSigner.create()
        let list = try signer.sign(sequence: 1, validDays: 30, issuers: [issuer], registrars: [registrar])
        _ = try await holder.importIssuerTrustList(signedText: list, signerJwk: signer.publicJwk())
        _ = try await verifier.importTrustList(signedText: list, signerJwk: signer.publicJwk())
        return World(vct: vct, holderClock: holderClock, verifierClock: verifierClock, registrar: registrar,
                     holder: holder, verifier: verifier, credentialId: credentialId)
    }

    func testACertifiedVerifierIsShownAsCertifiedAndClaimsBeyondItsScopeNeedAToggle() async throws {
        let w = try await world()
        let none = try await w.verifier.registrationCertificate()
        XCTAssertNil(none)
        let installed = try await w.verifier.installCertificate(
            certificate: try await w.certify(w.registrar, from: Self.now() - day, until: Self.now() + 30 * day))
        XCTAssertEqual(installed.organisation, "Aid Org")

        let (codes, message) = try await w.request()
        XCTAssertEqual(message.kind, .signedRequest)
        XCTAssertEqual(codes.certificateReference, installed.reference)
        let view = try await w.holder.readRequest(message: message)
        // From the certificate and the holder's trust list, never the request's own "UNHCR registration".
        XCTAssertEqual(view.identity, .verified(organisation: "Aid Org", country: "GR", purposes: ["Food distribution"],
                                                registrar: "Humanitarian coordination body",
                                                certificateReference: installed.reference,
                                                validUntil: installed.validUntil))
        let claims = view.credentials[0].candidates[0].claims
        XCTAssertEqual(claims.map { $0.path }, ["given_name", "nationality"])
        XCTAssertEqual(claims.map { $0.withinScope }, [true, false])

        // Beyond the scope without the person's toggle: refused, nothing recorded.
        let beyond = await failure(ExchangeError.self) {
            _ = try await w.holder.respond(message: message, consents: [w.consent(["given_name", "nationality"])])
        }
        XCTAssertEqual(beyond, .BeyondScope(claim: "nationality"))
        let empty = try await w.holder.disclosureHistory()
        XCTAssertTrue(empty.isEmpty)
        // Turned on by hand: sent; the history and the verifier's log name the certificate.
        let frames = try await w.holder.respond(message: message, consents: [
            w.consent(["given_name", "nationality"], allowed: ["nationality"]),
        ])
        let history = try await w.holder.disclosureHistory()
        XCTAssertEqual(history.map { $0.verifier }, [
            .verified(organisation: "Aid Org", country: "GR", registrar: "Humanitarian coordination body",
                      certificateReference: installed.reference),
        ])
        let verdict = try await w.verifier.verify(message: try decodeQrText(text: frames[0].text), lang: "en")[0]
        XCTAssertTrue(verdict.valid, "\(verdict.reasonCodes)")
        let log = try await w.verifier.logEntries()
        XCTAssertEqual(log.map { $0.certificateReference }, [installed.reference])

        // The holder kept the certificate: the next request may name it by reference, in a shorter code.
        let (short, byReference) = try await w.request(byReference: true)
        XCTAssertLessThan(short.frames[0].text.count, codes.frames[0].text.count)
        let again = try await w.holder.readRequest(message: byReference)
        guard case .verified = again.identity else { return XCTFail("\(again.identity)") }
    }

    func testAnUnverifiedVerifierNeedsTheAcknowledgementOfThatVeryRequest() async throws {
        let w = try await world()
        let (codes, message) = try await w.request()
        XCTAssertNil(codes.certificateReference)
        let view = try await w.holder.readRequest(message: message)
        XCTAssertEqual(view.identity, .unverified(reason: .noCertificate, claimedName: "UNHCR registration",
                                                  claimedPurpose: "Registration"))
        let answer = [w.consent(["given_name"])]
        let missing = await failure(ExchangeError.self) {
            _ = try await w.holder.respond(message: message, consents: answer)
        }
        XCTAssertEqual(missing, .UnverifiedNotAcknowledged)
        // An acknowledgement made for another request does not count.
        let other = try await w.holder.readRequest(message: try await w.request().1)
        XCTAssertNotEqual(other.requestId, view.requestId)
        let wrong = await failure(ExchangeError.self) {
            _ = try await w.holder.respond(message: message, consents: answer,
                                           acknowledgement: UnverifiedAcknowledgement(requestId: other.requestId))
        }
        XCTAssertEqual(wrong, .UnverifiedNotAcknowledged)
        let none = try await w.holder.disclosureHistory()
        XCTAssertTrue(none.isEmpty)
        _ = try await w.holder.respond(message: message, consents: answer,
                                       acknowledgement: UnverifiedAcknowledgement(requestId: view.requestId))
        let history = try await w.holder.disclosureHistory()
        XCTAssertEqual(history.map { $0.verifier }, [.unverified(claimedName: "UNHCR registration", reason: "no_certificate")])
        XCTAssertEqual(history.map { $0.claimedVerifierName }, ["UNHCR registration"])
    }

    func testEveryFailingCertificateReadsAsUnverifiedWithItsReason() async throws {
        let w = try await world()
        let now = Self.now()
        // A registrar that is not on the holder's list.
        let stranger = try TestRegistrar.create(id: "urn:example:stranger", name: "Stranger", country: "GR")
        _ = try await w.verifier.installCertificate(certificate: try await w.certify(stranger, from: now - day, until: now + day))
        var reason = try await w.reason(try await w.request().1)
        XCTAssertEqual(reason, .unknownRegistrar)

        // Expired by the time the holder reads it (installed while still valid).
        _ = try await w.verifier.installCertificate(certificate: try await w.certify(w.registrar, from: now - day, until: now + day))
        w.verifierClock.advance(2 * day)
        w.holderClock.advance(2 * day)
        reason = try await w.reason(try await w.request().1)
        XCTAssertEqual(reason, .expired)
        w.verifierClock.advance(-2 * day)
        w.holderClock.advance(-2 * day)

        // Not valid yet.
        _ = try await w.verifier.installCertificate(
            certificate: try await w.certify(w.registrar, from: now + day, until: now + 30 * day))
        reason = try await w.reason(try await w.request().1)
        XCTAssertEqual(reason, .notYetValid)

        // A genuine certificate in a forger's request.
        let good = try await w.certify(w.registrar, from: now - day, until: now + 30 * day)
        _ = try await w.verifier.installCertificate(certificate: good)
        let genuine = try await w.request().1
        reason = try await w.reason(try testForgeRequest(message: genuine, certificate: good))
        XCTAssertEqual(reason, .certificateForAnotherKey)
        let notARequest = await failure(IssuerError.self) {
            _ = try testForgeRequest(message: trustListMessage(signedText: "x"), certificate: good)
        }
        guard case .InvalidInput = notARequest else { return XCTFail("\(String(describing: notARequest))") }

        // A signature over other bytes: the request altered after signing.
        var altered = [UInt8](genuine.payload)
        let marker = [UInt8]("UNHCR".utf8)
        let at = try XCTUnwrap((0...(altered.count - marker.count)).first { Array(altered[$0..<$0 + marker.count]) == marker })
        altered[at] ^= 0x20
        let alteredView = try await w.holder.readRequest(message: QrMessage(kind: genuine.kind, payload: Data(altered)))
        guard case .unverified(.badSignature, "uNHCR registration", _) = alteredView.identity else {
            return XCTFail("\(alteredView.identity)")
        }

        // A scope that does not cover the credential type: every claim is beyond it.
        _ = try await w.verifier.installCertificate(certificate: try await w.certify(
            w.registrar, from: now - day, until: now + 30 * day,
            scope: [RegisteredScope(credentialType: "urn:example:other", claims: ["given_name"])]))
        let narrow = try await w.request().1
        let view = try await w.holder.readRequest(message: narrow)
        guard case .verified = view.identity else { return XCTFail("\(view.identity)") }
        XCTAssertTrue(view.credentials[0].claims.allSatisfy { !$0.withinScope })
        let beyond = await failure(ExchangeError.self) {
            _ = try await w.holder.respond(message: narrow, consents: [w.consent(["given_name"])])
        }
        XCTAssertEqual(beyond, .BeyondScope(claim: "given_name"))

        // A truncated request code is malformed, never a crash; nothing was ever sent.
        let truncated = QrMessage(kind: genuine.kind, payload: genuine.payload.prefix(genuine.payload.count / 2))
        let malformed = await failure(ExchangeError.self) { _ = try await w.holder.readRequest(message: truncated) }
        guard case .MalformedRequest = malformed else { return XCTFail("\(String(describing: malformed))") }
        let history = try await w.holder.disclosureHistory()
        XCTAssertTrue(history.isEmpty)
    }

    func testTheVerifierInstallsOnlyItsOwnCurrentWholeCertificate() async throws {
        let w = try await world()
        let now = Self.now()
        let good = try await w.certify(w.registrar, from: now - day, until: now + day)
        func problem(_ error: VerifierError?) -> CertificateProblem? {
            if case .InvalidCertificate(let problem, _) = error { return problem }
            return nil
        }
        let truncated = await failure(VerifierError.self) {
            _ = try await w.verifier.installCertificate(certificate: good.prefix(good.count / 2))
        }
        XCTAssertEqual(problem(truncated), .malformed)
        let old = try await w.certify(w.registrar, from: now - 3 * day, until: now - day)
        let expired = await failure(VerifierError.self) { _ = try await w.verifier.installCertificate(certificate: old) }
        XCTAssertEqual(problem(expired), .expired)
        let other = FieldVerifier(wallet: try await newWallet("other.db", clock: ShiftedClock()))
        let stolen = await failure(VerifierError.self) { _ = try await other.installCertificate(certificate: good) }
        XCTAssertEqual(problem(stolen), .forAnotherKey)
        let none = try await other.registrationCertificate()
        XCTAssertNil(none)
        let noCertificate = await failure(VerifierError.self) {
            _ = try await other.createRequest(verifierName: "Desk", purpose: "Aid", credentials: [], ttlSecs: 60,
                                              certificateByReference: true)
        }
        guard case .NoCertificate = noCertificate else { return XCTFail("\(String(describing: noCertificate))") }
    }

    func testAVerifierTrustListSignedByAnotherKeyOrOlderThanTheInstalledOneIsRefused() async throws {
        let w = try await world()
        let signer = try TestTrustListSigner.create()
        let holder = try await newWallet("fresh.db", clock: ShiftedClock())
        let none = try await holder.issuerTrustList()
        XCTAssertNil(none)
        // Scanned from a coordinator's phone; the holder can show whom it trusts to vouch for verifiers.
        let imported = try await holder.importIssuerTrustListMessage(
            message: trustListMessage(
                signedText: try signer.sign(sequence: 2, validDays: 30, issuers: [], registrars: [w.registrar])),
            signerJwk: signer.publicJwk())
        XCTAssertEqual(imported.list.registrars.map { $0.name }, ["Humanitarian coordination body"])
        let installed = try await holder.issuerTrustList()
        XCTAssertEqual(installed, imported.list)
        let wrongKind = await failure(IssuanceError.self) {
            _ = try await holder.importIssuerTrustListMessage(message: QrMessage(kind: .verifierRequest, payload: Data([1, 2, 3])))
        }
        guard case .WrongMessage = wrongKind else { return XCTFail("\(String(describing: wrongKind))") }
        let older = await failure(IssuanceError.self) {
            _ = try await holder.importIssuerTrustList(
                signedText: try signer.sign(sequence: 1, validDays: 30, issuers: [], registrars: [w.registrar]))
        }
        guard case .TrustListRejected(.rollback, _) = older else { return XCTFail("\(String(describing: older))") }
        let stranger = try TestTrustListSigner.create()
        let forged = try stranger.sign(sequence: 3, validDays: 30, issuers: [], registrars: [w.registrar])
        let changed = await failure(IssuanceError.self) {
            _ = try await holder.importIssuerTrustList(signedText: forged, signerJwk: stranger.publicJwk())
        }
        guard case .SignerChanged = changed else { return XCTFail("\(String(describing: changed))") }
        let badSignature = await failure(IssuanceError.self) {
            _ = try await holder.importIssuerTrustList(signedText: forged)
        }
        guard case .TrustListRejected(.badSignature, _) = badSignature else {
            return XCTFail("\(String(describing: badSignature))")
        }
    }
}
