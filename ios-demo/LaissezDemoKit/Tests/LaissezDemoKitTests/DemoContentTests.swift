import Foundation
import Laissez
@testable import LaissezDemoKit
import XCTest

/// The demo content that lets one phone play both parts: a demo credential for the holder, the
/// demo issuer's trust list for the field verifier, and the demo desk's request between them.
@MainActor
final class DemoContentTests: DemoTestCase {
    func testADemoCredentialIsAddedAndListedWithLabelsInThePersonsLanguage() async throws {
        let holder = try await newWallet("holder.db")
        let demo = DemoContent()
        let french = CredentialsModel(wallet: holder, lang: "fr")
        await demo.addDemoCredential(to: french)
        guard case .list(let rows) = french.state, let row = rows.first else { return XCTFail("\(french.state)") }
        XCTAssertEqual(rows.count, 1)
        XCTAssertEqual(row.title, "Enregistrement OIM")
        // No issuer trust list in this wallet: the demo issuer's name is only what the credential claims.
        XCTAssertEqual(row.issuer, .unverified(claimedName: DemoContent.issuerName))
        XCTAssertEqual(row.format, .sdJwt)
        await french.open(id: row.id)
        guard case .detail(_, let claims) = french.state else { return XCTFail("\(french.state)") }
        let labels = Dictionary(uniqueKeysWithValues: claims.map { ($0.path, $0.label) })
        XCTAssertEqual(labels["given_name"], "Prénom")
        XCTAssertEqual(labels["family_name"], "Nom")
        XCTAssertEqual(labels["nationality"], "Nationalité")
        XCTAssertEqual(labels["birth_date"], "Date de naissance")
        let values = Dictionary(uniqueKeysWithValues: claims.map { ($0.path, $0.value) })
        XCTAssertEqual(values["given_name"], "Amina")
        XCTAssertEqual(values["birth_date"], "1990-05-01")

        let arabic = CredentialsModel(wallet: holder, lang: "ar")
        await arabic.load()
        guard case .list(let arabicRows) = arabic.state, let arabicRow = arabicRows.first else {
            return XCTFail("\(arabic.state)")
        }
        XCTAssertEqual(arabicRow.title, "تسجيل المنظمة الدولية للهجرة")
        await arabic.open(id: arabicRow.id)
        guard case .detail(_, let arabicClaims) = arabic.state else { return XCTFail("\(arabic.state)") }
        XCTAssertEqual(arabicClaims.first { $0.path == "family_name" }?.label, "اسم العائلة")

        let english = CredentialsModel(wallet: holder, lang: "en")
        await english.load()
        guard case .list(let englishRows) = english.state else { return XCTFail("\(english.state)") }
        XCTAssertEqual(englishRows.map { $0.title }, ["IOM registration"])
        XCTAssertEqual(englishRows.map { $0.issuer }, [.unverified(claimedName: DemoContent.issuerName)])

        // A second one is another credential (new salts), from the same demo issuer.
        await demo.addDemoCredential(to: english)
        guard case .list(let twoRows) = english.state else { return XCTFail("\(english.state)") }
        XCTAssertEqual(twoRows.count, 2)
    }

    func testTheDemoTrustListMakesTheVerifierReadyAndTheDemoRequestGetsAGreenVerdict() async throws {
        let clock = TestClock()
        let holder = try await newWallet("holder.db", clock: clock)
        let verifierWallet = try await newWallet("verifier.db", clock: clock)
        let demo = DemoContent()
        await demo.addDemoCredential(to: CredentialsModel(wallet: holder, lang: "ar"))

        let verifier = VerifierModel(wallet: verifierWallet, lang: "en")
        await verifier.load()
        XCTAssertEqual(verifier.state.phase, .needsTrustList)
        await demo.trustDemoIssuer(verifier)
        XCTAssertEqual(verifier.state.phase, .ready)
        XCTAssertEqual(verifier.state.trustList?.issuers.map { $0.name }, [DemoContent.issuerName, DemoContent.cardIssuerName])
        let firstSequence = try XCTUnwrap(verifier.state.trustList?.sequence)
        // Trusting again (the button pressed twice) replaces the list instead of a rollback.
        await demo.trustDemoIssuer(verifier)
        XCTAssertEqual(verifier.state.phase, .ready)
        XCTAssertGreaterThan(try XCTUnwrap(verifier.state.trustList?.sequence), firstSequence)

        // The demo desk's request, answered in Arabic on the same phone.
        await verifier.createRequest(verifierName: "Desk 1", purpose: "Check", credentials: DemoContent.request)
        guard case .showingRequest(let request, _, _) = verifier.state.phase else {
            return XCTFail("\(verifier.state.phase)")
        }
        let consent = ConsentModel(wallet: holder, lang: "ar")
        for frame in request {
            await consent.push(frame.luma())
            if case .scanning = consent.state { continue }
            break
        }
        guard case .review(let review) = consent.state, let item = review.items.first else {
            return XCTFail("\(consent.state)")
        }
        XCTAssertEqual(item.title, "تسجيل المنظمة الدولية للهجرة")
        XCTAssertEqual(item.claims.map { $0.label }, ["الاسم الأول", "اسم العائلة", "الجنسية"])
        XCTAssertEqual(item.claims.map { $0.required }, [true, true, false])
        XCTAssertEqual(item.claims.map { $0.selected }, [true, true, true])
        await consent.respondAnyway()
        guard case .showingResponse(let answer) = consent.state else { return XCTFail("\(consent.state)") }

        verifier.startScanning()
        for frame in answer {
            await verifier.push(frame.luma())
            if case .scanning = verifier.state.phase { continue }
            break
        }
        guard case .verdicts(let cards) = verifier.state.phase, let card = cards.first else {
            return XCTFail("\(verifier.state.phase)")
        }
        XCTAssertTrue(card.valid, "\(card.reasonCodes)")
        XCTAssertEqual(card.issuerName, DemoContent.issuerName)
        XCTAssertEqual(card.credentialType, DemoContent.credentialType)
        XCTAssertEqual(Set(card.claims.map { $0.path }), ["given_name", "family_name", "nationality"])
        XCTAssertEqual(card.claims.first { $0.path == "family_name" }?.value, "Haddad")

        // After a restart the demo signer is new: the pinned one refuses it, with a clear state.
        await DemoContent().trustDemoIssuer(verifier)
        XCTAssertEqual(verifier.state.phase, .failed(.signerChanged))
        verifier.done()
        XCTAssertEqual(verifier.state.phase, .ready, "the installed list stays")
    }

    func testTheDemoRegistrarMakesTheDemoDeskVerifiedAndNationalityBeyondItsRegistration() async throws {
        let holder = try await newWallet("holder.db")
        let verifierWallet = try await newWallet("verifier.db")
        let demo = DemoContent()
        let credentials = CredentialsModel(wallet: holder, lang: "en")
        await demo.addDemoCredential(to: credentials)
        await demo.trustDemoVerifiers(credentials)
        guard case .list(let rows) = credentials.state else { return XCTFail("\(credentials.state)") }
        XCTAssertEqual(rows.map { $0.issuer }, [.trusted(name: DemoContent.issuerName)], "the same list names the issuer")

        let verifier = VerifierModel(wallet: verifierWallet, lang: "en")
        await demo.trustDemoIssuer(verifier)
        await demo.registerDemoDesk(verifier)
        XCTAssertEqual(verifier.state.phase, .ready)
        XCTAssertEqual(verifier.state.certificate?.organisation, DemoContent.deskOrganisation)
        await verifier.createRequest(verifierName: "Desk 1", purpose: "Check", credentials: DemoContent.request)
        guard case .showingRequest(let request, _, let signedWith) = verifier.state.phase else {
            return XCTFail("\(verifier.state.phase)")
        }
        XCTAssertEqual(signedWith, verifier.state.certificate?.reference)
        let consent = ConsentModel(wallet: holder, lang: "en")
        for frame in request {
            await consent.push(frame.luma())
            if case .scanning = consent.state { continue }
            break
        }
        guard case .review(let review) = consent.state else { return XCTFail("\(consent.state)") }
        guard case .verified(let organisation, _, _, let registrar, _, _) = review.verifier else {
            return XCTFail("\(review.verifier)")
        }
        XCTAssertEqual(organisation, DemoContent.deskOrganisation)
        XCTAssertEqual(registrar, DemoContent.registrarName)
        XCTAssertEqual(review.items[0].claims.map { $0.beyondScope }, [false, false, true])
        XCTAssertEqual(review.items[0].claims.map { $0.selected }, [true, true, false])
        await consent.respond()
        guard case .showingResponse = consent.state else { return XCTFail("\(consent.state)") }

        // A locked desk cannot be registered: a clear problem, no certificate.
        let lockedWallet = try await newWallet("locked.db")
        let lockedDesk = VerifierModel(wallet: lockedWallet, lang: "en")
        lockedWallet.lock()
        await demo.registerDemoDesk(lockedDesk)
        XCTAssertEqual(lockedDesk.state.phase, .failed(.locked))
        XCTAssertNil(lockedDesk.state.certificate)
    }

    func testALockedWalletAndRefusedCredentialsGiveClearProblems() async throws {
        let holder = try await newWallet("holder.db")
        let demo = DemoContent()
        let model = CredentialsModel(wallet: holder, lang: "en")
        holder.lock()
        await demo.addDemoCredential(to: model)
        XCTAssertEqual(model.state, .failed(.locked))

        try await holder.unlock(pin: "2468")
        // Not a credential at all.
        await model.importCredential(Data("not a credential".utf8))
        guard case .failed(.credentialRejected) = model.state else { return XCTFail("\(model.state)") }
        // A demo credential issued to another wallet's key.
        let other = try await newWallet("other.db")
        let otherKey = try await other.holderKey().jwk
        let foreign = try demo.issuer().issueSdJwt(vct: DemoContent.credentialType, claimsJson: DemoContent.claims,
                                                   holderJwkJson: otherKey, status: nil)
        await model.importCredential(foreign)
        guard case .failed(.credentialRejected) = model.state else { return XCTFail("\(model.state)") }
        // The same credential twice.
        let myKey = try await holder.holderKey().jwk
        let mine = try demo.issuer().issueSdJwt(vct: DemoContent.credentialType, claimsJson: DemoContent.claims,
                                                holderJwkJson: myKey, status: nil)
        await model.importCredential(mine)
        guard case .list(let rows) = model.state else { return XCTFail("\(model.state)") }
        XCTAssertEqual(rows.count, 1)
        await model.importCredential(mine)
        XCTAssertEqual(model.state, .failed(.alreadyImported))

        // The verifier's wallet locked: trusting the demo issuer fails clearly.
        let verifierWallet = try await newWallet("verifier.db")
        let verifier = VerifierModel(wallet: verifierWallet, lang: "en")
        verifierWallet.lock()
        await demo.trustDemoIssuer(verifier)
        XCTAssertEqual(verifier.state.phase, .failed(.locked))
    }
}
