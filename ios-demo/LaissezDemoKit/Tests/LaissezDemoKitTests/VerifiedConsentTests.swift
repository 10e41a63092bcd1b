import Foundation
import Laissez
@testable import LaissezDemoKit
import XCTest

/// The consent that tells verified from unverified verifiers (issue 15), through the models
/// and the real core: a registrar certifies the field verifier's key, the holder's trust list
/// names the registrar, requests travel as camera luma. Who asks comes from the certificate
/// only; an unverified verifier shows its reason and gets nothing without the extra step; a
/// claim beyond the registered scope is off until the person turns it on.
@MainActor
final class VerifiedConsentTests: DemoTestCase {
    static let day: Int64 = 86_400
    static let registrarName = "Humanitarian coordination body"

    /// The world of `DemoTestCase`, a registrar, and one trust list naming the issuer and the
    /// registrar, installed in the holder's wallet (to check verifiers) and the verifier's.
    struct Certified {
        let w: World
        let registrar: TestRegistrar
        let verifier: VerifierModel
    }

    private func certified() async throws -> Certified {
        let w = try await world(trust: false)
        let registrar = try TestRegistrar.create(id: "urn:example:coordination", name: Self.registrarName,
                                                 country: "GR")
        let list = try w.signer.sign(sequence: 1, validDays: 30, issuers: [w.issuer], registrars: [registrar])
        _ = try await w.holder.importIssuerTrustList(signedText: list, signerJwk: w.signer.publicJwk())
        let verifier = VerifierModel(wallet: w.verifierWallet, lang: "en")
        await verifier.importTrustList(signedText: list, signerJwk: w.signer.publicJwk())
        XCTAssertEqual(verifier.state.phase, .ready)
        XCTAssertNil(verifier.state.certificate)
        return Certified(w: w, registrar: registrar, verifier: verifier)
    }

    /// A certificate from `registrar` for `verifier`'s own signing key (scope: `claims` of the
    /// test credential type), valid from `from` to `until` days around the world's clock.
    private func certificate(_ c: Certified, by registrar: TestRegistrar? = nil, for verifier: VerifierModel? = nil,
                             claims: [String] = ["given_name"], from: Int64 = -1, until: Int64 = 30) async throws -> Data {
        guard case .success(let key) = await (verifier ?? c.verifier).requestSigningKey() else {
            throw ScanFailure("no signing key")
        }
        let now = c.w.clock.nowUnix()
        return try (registrar ?? c.registrar).certify(
            verifierKeyJwk: key, organisation: "Aid Org", country: "GR", purposes: ["Food distribution"],
            scope: [RegisteredScope(credentialType: Self.credentialType, claims: claims)],
            validFrom: now + from * Self.day, validUntil: now + until * Self.day)
    }

    /// The verifier's request for given_name (required) and nationality (optional), as the
    /// message its first frame carries, and its frames.
    private func request(_ verifier: VerifierModel, byReference: Bool = false) async throws -> ([QrFrame], String?) {
        verifier.done()
        await verifier.createRequest(verifierName: "Desk 4", purpose: "Food aid",
                                     credentials: Self.requested(required: ["given_name"], optional: ["nationality"]),
                                     byReference: byReference)
        guard case .showingRequest(let frames, _, let signedWith) = verifier.state.phase else {
            throw ScanFailure("\(verifier.state.phase)")
        }
        return (frames, signedWith)
    }

    /// The holder's camera on `frames` until the consent model leaves scanning.
    private func scan(_ consent: ConsentModel, _ frames: [QrFrame]) async {
        consent.restart()
        for frame in frames {
            await consent.push(frame.luma())
            if case .scanning = consent.state { continue }
            return
        }
    }

    /// The verifier's camera on the holder's answer: the first verdict card.
    private func verdict(_ verifier: VerifierModel, _ answer: [QrFrame]) async throws -> VerdictCard {
        verifier.startScanning()
        for frame in answer {
            await verifier.push(frame.luma())
            if case .scanning = verifier.state.phase { continue }
            break
        }
        guard case .verdicts(let cards) = verifier.state.phase, let card = cards.first else {
            throw ScanFailure("\(verifier.state.phase)")
        }
        return card
    }

    private func disclosures(_ w: World) async throws -> [HistoryRow] {
        let history = HistoryModel(holder: w.holder)
        await history.refresh()
        guard case .rows(let rows) = history.state else { throw ScanFailure("\(history.state)") }
        return rows
    }

    func testACertifiedVerifierIsShownFromItsCertificateAndOverAskingNeedsTheToggle() async throws {
        let c = try await certified()
        await c.verifier.installCertificate(try await certificate(c))
        XCTAssertEqual(c.verifier.state.phase, .ready)
        let installed = try XCTUnwrap(c.verifier.state.certificate)
        XCTAssertEqual(installed.organisation, "Aid Org")
        XCTAssertEqual(installed.country, "GR")
        XCTAssertEqual(installed.purposes, ["Food distribution"])
        XCTAssertEqual(installed.registrarId, "urn:example:coordination")
        XCTAssertEqual(installed.scope.flatMap { $0.claims }, ["given_name"])
        // A new model of the same wallet reads the installed certificate back.
        let reopened = VerifierModel(wallet: c.w.verifierWallet, lang: "en")
        await reopened.load()
        XCTAssertEqual(reopened.state.certificate, installed)

        let (frames, signedWith) = try await request(c.verifier)
        XCTAssertEqual(signedWith, installed.reference, "signed once a certificate is installed")
        let consent = ConsentModel(wallet: c.w.holder, lang: "en")
        await scan(consent, frames)
        guard case .review(let review) = consent.state else { return XCTFail("\(consent.state)") }
        // Everything from the certificate and the holder's list, nothing of "Desk 4" / "Food aid".
        XCTAssertEqual(review.verifier, .verified(organisation: "Aid Org", country: "GR", purposes: ["Food distribution"],
                                                  registrar: Self.registrarName,
                                                  certificateReference: installed.reference,
                                                  validUntil: installed.validUntil))
        let claims = review.items[0].claims
        XCTAssertEqual(claims.map { $0.path }, ["given_name", "nationality"])
        XCTAssertEqual(claims.map { $0.beyondScope }, [false, true], "nationality is not in the registration")
        XCTAssertEqual(claims.map { $0.available }, [true, true])
        XCTAssertEqual(claims.map { $0.selected }, [true, false], "beyond the scope: off by default")

        // Sent as it is: no extra step for a verified verifier, and only given_name goes.
        await consent.respond()
        guard case .showingResponse(let answer) = consent.state else { return XCTFail("\(consent.state)") }
        let first = try await verdict(c.verifier, answer)
        XCTAssertTrue(first.valid, "\(first.reasonCodes)")
        XCTAssertEqual(first.claims.map { $0.path }, ["given_name"])

        // Turned on by hand, one by one: sent with that permission.
        await scan(consent, try await request(c.verifier).0)
        consent.toggle(item: 0, claim: 1)
        guard case .review(let toggled) = consent.state else { return XCTFail("\(consent.state)") }
        XCTAssertEqual(ConsentModel.consents(toggled).map { $0.allowedBeyondScope }, [["nationality"]])
        await consent.respond()
        guard case .showingResponse(let both) = consent.state else { return XCTFail("\(consent.state)") }
        let second = try await verdict(c.verifier, both)
        XCTAssertTrue(second.valid, "\(second.reasonCodes)")
        XCTAssertEqual(second.claims.map { $0.path }, ["given_name", "nationality"])

        // The core itself refuses a claim beyond the scope sent without the toggle.
        let (third, _) = try await request(c.verifier)
        let message = try decodeQrText(text: third[0].text)
        let id = try XCTUnwrap(review.items[0].credentialId)
        let refused = await attempt {
            try await c.w.holder.respond(message: message,
                                         consents: [Consent(credentialId: id, claims: ["given_name", "nationality"])])
        }
        XCTAssertEqual(refused.problem, .beyondScope(claim: "nationality"))

        // The history names the certified organisation; the log, the certificate.
        let rows = try await disclosures(c.w)
        XCTAssertEqual(rows.count, 2, "the refused answer was not recorded")
        XCTAssertEqual(rows.map { $0.title }, ["Aid Org", "Aid Org"])
        XCTAssertEqual(rows[0].verifier, .verified(organisation: "Aid Org", country: "GR", registrar: Self.registrarName,
                                                   certificateReference: installed.reference))
        let log = HistoryModel(verifierWallet: c.w.verifierWallet)
        await log.refresh()
        guard case .rows(let checks) = log.state else { return XCTFail("\(log.state)") }
        XCTAssertEqual(checks.map { $0.certificateReference }, [installed.reference, installed.reference])

        // The holder kept the certificate: a request by reference is shorter and still verified.
        let (byReference, reference) = try await request(c.verifier, byReference: true)
        XCTAssertEqual(reference, installed.reference)
        XCTAssertLessThan(byReference[0].text.count, frames[0].text.count)
        await scan(consent, byReference)
        guard case .review(let again) = consent.state else { return XCTFail("\(consent.state)") }
        XCTAssertTrue(again.verifier.isVerified, "\(again.verifier)")
    }

    func testAnUnverifiedVerifierGetsNothingWithoutTheExtraStep() async throws {
        let c = try await certified()
        let (frames, signedWith) = try await request(c.verifier)
        XCTAssertNil(signedWith, "no certificate: unsigned")
        let consent = ConsentModel(wallet: c.w.holder, lang: "en")
        await scan(consent, frames)
        guard case .review(let review) = consent.state else { return XCTFail("\(consent.state)") }
        XCTAssertEqual(review.verifier, .unverified(reason: .noCertificate, claimedName: "Desk 4",
                                                    claimedPurpose: "Food aid"))
        XCTAssertEqual(review.items[0].claims.map { $0.beyondScope }, [false, false], "one warning covers all")
        XCTAssertEqual(review.items[0].claims.map { $0.selected }, [true, true])

        // The extra step cannot be skipped from the review.
        await consent.shareAnyway()
        XCTAssertEqual(consent.state, .review(review))
        // Send: the warning again, nothing sent; back, and the same again.
        await consent.respond()
        XCTAssertEqual(consent.state, .confirmingUnverified(review))
        consent.backToReview()
        XCTAssertEqual(consent.state, .review(review))
        let none = try await disclosures(c.w)
        XCTAssertTrue(none.isEmpty, "nothing was sent: \(none)")

        // Without the acknowledgement the core refuses too (a model that skipped the step).
        let message = try decodeQrText(text: frames[0].text)
        let consents = ConsentModel.consents(review)
        let refused = await attempt { try await c.w.holder.respond(message: message, consents: consents) }
        XCTAssertEqual(refused.problem, .unverifiedNotAcknowledged)
        let stillNone = try await disclosures(c.w)
        XCTAssertTrue(stillNone.isEmpty)

        // "Share anyway": sent, and the history says unverified with the claimed name.
        await consent.respond()
        await consent.shareAnyway()
        guard case .showingResponse(let answer) = consent.state else { return XCTFail("\(consent.state)") }
        let card = try await verdict(c.verifier, answer)
        XCTAssertTrue(card.valid, "\(card.reasonCodes)")
        let rows = try await disclosures(c.w)
        XCTAssertEqual(rows.count, 1)
        XCTAssertEqual(rows[0].title, "Desk 4")
        XCTAssertEqual(rows[0].verifier, .unverified(claimedName: "Desk 4", reason: "no_certificate"))
        XCTAssertEqual(UnverifiedReason.noCertificate.code, "no_certificate", "the history's code is the reason's")
    }

    /// The reason a consent screen shows for `message`, after checking that sending stops at
    /// the extra step.
    private func reason(_ c: Certified, _ message: QrMessage) async throws -> UnverifiedReason? {
        let consent = ConsentModel(wallet: c.w.holder, lang: "en")
        await consent.read(message)
        guard case .review(let review) = consent.state else { throw ScanFailure("\(consent.state)") }
        guard case .unverified(let reason, let claimedName, _) = review.verifier else { return nil }
        XCTAssertEqual(claimedName, "Desk 4")
        await consent.respond()
        XCTAssertEqual(consent.state, .confirmingUnverified(review), "\(reason)")
        return reason
    }

    private func requestMessage(_ c: Certified) async throws -> QrMessage {
        try decodeQrText(text: try await request(c.verifier).0[0].text)
    }

    func testEveryFailingCertificateShowsItsReason() async throws {
        let c = try await certified()

        // A registrar the holder's list does not name.
        let stranger = try TestRegistrar.create(id: "urn:example:stranger", name: "Stranger", country: "GR")
        await c.verifier.installCertificate(try await certificate(c, by: stranger))
        XCTAssertNotNil(c.verifier.state.certificate, "installing does not ask whom the holders trust")
        var found = try await reason(c, try await requestMessage(c))
        XCTAssertEqual(found, .unknownRegistrar)

        // Expired by the wallets' clock (installed while still valid).
        await c.verifier.installCertificate(try await certificate(c, until: 1))
        c.w.clock.advance(2 * Self.day)
        found = try await reason(c, try await requestMessage(c))
        XCTAssertEqual(found, .expired)
        c.w.clock.advance(-2 * Self.day)

        // Not valid yet.
        await c.verifier.installCertificate(try await certificate(c, from: 1, until: 30))
        found = try await reason(c, try await requestMessage(c))
        XCTAssertEqual(found, .notYetValid)

        // A good certificate in a forger's request (signed with another key).
        let good = try await certificate(c)
        await c.verifier.installCertificate(good)
        let genuine = try await requestMessage(c)
        found = try await reason(c, genuine)
        XCTAssertNil(found, "the genuine request reads as verified")
        found = try await reason(c, try testForgeRequest(message: genuine, certificate: good))
        XCTAssertEqual(found, .certificateForAnotherKey)

        // The signed bytes altered after signing (one letter of the request's name).
        var altered = genuine
        var payload = [UInt8](altered.payload)
        let name = Array("Desk 4".utf8)
        let at = try XCTUnwrap((0...(payload.count - name.count)).first { Array(payload[$0..<($0 + name.count)]) == name })
        payload[at] ^= 0x20
        altered.payload = Data(payload)
        let consent = ConsentModel(wallet: c.w.holder, lang: "en")
        await consent.read(altered)
        guard case .review(let review) = consent.state else { return XCTFail("\(consent.state)") }
        XCTAssertEqual(review.verifier, .unverified(reason: .badSignature, claimedName: "desk 4",
                                                    claimedPurpose: "Food aid"),
                       "the altered name is shown only as the unchecked claim it is")

        // A truncated request is damaged, not a crash.
        var truncated = genuine
        truncated.payload = truncated.payload.prefix(truncated.payload.count / 2)
        await consent.read(truncated)
        XCTAssertEqual(consent.state, .failed(.damagedRequest))
        let rows = try await disclosures(c.w)
        XCTAssertTrue(rows.isEmpty, "nothing sent to any of them: \(rows)")
    }

    func testTheVerifierInstallsOnlyItsOwnCurrentCertificate() async throws {
        let c = try await certified()
        // By reference with nothing installed.
        await c.verifier.createRequest(verifierName: "Desk 4", purpose: "Food aid", credentials: Self.requested(),
                                       byReference: true)
        XCTAssertEqual(c.verifier.state.phase, .failed(.noCertificate))

        let own = try await certificate(c)
        await c.verifier.installCertificate(own)
        let installed = try XCTUnwrap(c.verifier.state.certificate)

        // Another verifier's certificate: refused, typed, and the installed one stays.
        let otherWallet = try await newWallet("other.db", clock: c.w.clock)
        let other = VerifierModel(wallet: otherWallet, lang: "en")
        let theirs = try await certificate(c, for: other)
        await c.verifier.installCertificate(theirs)
        XCTAssertEqual(c.verifier.state.phase, .failed(.invalidCertificate(problem: .forAnotherKey)))
        XCTAssertEqual(c.verifier.state.certificate, installed)
        await other.installCertificate(own)
        XCTAssertEqual(other.state.phase, .failed(.invalidCertificate(problem: .forAnotherKey)))
        XCTAssertNil(other.state.certificate)

        // Expired, and not a certificate at all.
        await c.verifier.installCertificate(try await certificate(c, from: -3, until: -1))
        XCTAssertEqual(c.verifier.state.phase, .failed(.invalidCertificate(problem: .expired)))
        await c.verifier.installCertificate(own.prefix(own.count / 2))
        XCTAssertEqual(c.verifier.state.phase, .failed(.invalidCertificate(problem: .malformed)))
        XCTAssertEqual(c.verifier.state.certificate, installed)

        // A locked verifier wallet.
        c.w.verifierWallet.lock()
        await c.verifier.installCertificate(own)
        XCTAssertEqual(c.verifier.state.phase, .failed(.locked))
        guard case .failure(.locked) = await c.verifier.requestSigningKey() else { return XCTFail("key while locked") }
    }
}

extension Result {
    /// The error, or nil on success.
    var problem: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
