import Foundation
import Laissez
@testable import LaissezDemoKit
import XCTest

@MainActor
final class OnboardingTests: DemoTestCase {
    func testCreateShowsTwentyFourWordsOnceThenConfirms() async throws {
        let model = OnboardingModel(setup: setup())
        var seen: [OnboardingState] = []
        let observation = model.observe { seen.append($0) }
        await model.create(pin: "2468", repeated: "2468")
        guard case .showWords(let words) = model.state else { return XCTFail("\(model.state)") }
        XCTAssertEqual(words.count, 24)
        XCTAssertEqual(seen.first, .welcome)
        XCTAssertTrue(seen.contains(.working))
        model.wordsWrittenDown(positions: [2, 11, 24])
        XCTAssertEqual(model.state, .confirmWords(positions: [2, 11, 24]))
        model.confirm([words[1], "wrong", " \(words[23].uppercased()) "])
        XCTAssertEqual(model.state, .failed(.confirmationWrong(positions: [11])))
        model.showWordsAgain()
        XCTAssertEqual(model.state, .showWords(words))
        model.wordsWrittenDown(positions: [2, 11, 24])
        model.confirm([words[1], words[10], words[23]])
        XCTAssertEqual(model.state, .done)
        XCTAssertEqual(model.wallet?.isLocked(), false)
        model.showWordsAgain()
        XCTAssertEqual(model.state, .done, "the words are shown once")
        observation.cancel()
    }

    func testPinProblemsAndAnExistingWallet() async throws {
        let model = OnboardingModel(setup: setup())
        await model.create(pin: "2468", repeated: "2469")
        XCTAssertEqual(model.state, .failed(.pinsDiffer))
        await model.create(pin: "12", repeated: "12")
        guard case .failed(.pinRejected) = model.state else { return XCTFail("\(model.state)") }
        _ = try await newWallet("wallet.db")
        await model.create(pin: "2468", repeated: "2468")
        XCTAssertEqual(model.state, .failed(.walletExists))
        model.confirm(["x"])
        XCTAssertEqual(model.state, .failed(.internalError), "no words to confirm")
    }

    func testRecoverWithTheWordsSetsANewPin() async throws {
        let created = try await createWallet(path: setup().path, pin: "2468", options: setup().options)
        var words = created.mnemonicWords
        let model = OnboardingModel(setup: setup())
        words[6] = "zzzz"
        await model.recover(words: words.joined(separator: " "), newPin: "1357", repeated: "1357")
        XCTAssertEqual(model.state, .failed(.invalidWords(wordPosition: 7)))
        await model.recover(words: "abandon abandon", newPin: "1357", repeated: "1357")
        guard case .failed(.invalidWords) = model.state else { return XCTFail("\(model.state)") }
        let other = try await createWallet(path: setup("other.db").path, pin: "2468", options: setup().options)
        await model.recover(words: other.mnemonicWords.joined(separator: " "), newPin: "1357", repeated: "1357")
        XCTAssertEqual(model.state, .failed(.wordsOfAnotherWallet))
        await model.recover(words: "  " + created.mnemonicWords.joined(separator: "\n").uppercased(),
                            newPin: "1357", repeated: "1357")
        XCTAssertEqual(model.state, .done)
        let unlock = UnlockModel(setup: setup())
        await unlock.unlock(pin: "1357")
        XCTAssertEqual(unlock.state, .unlocked)
        let missing = OnboardingModel(setup: setup("missing.db"))
        await missing.recover(words: created.mnemonicWords.joined(separator: " "), newPin: "1357", repeated: "1357")
        XCTAssertEqual(missing.state, .failed(.walletMissing))
    }
}

@MainActor
final class UnlockTests: DemoTestCase {
    func testWrongPinCountsDownThenWaitsThenUnlocks() async throws {
        let clock = TestClock(1_700_000_000)
        _ = try await newWallet("wallet.db", clock: clock)
        let model = UnlockModel(setup: setup(clock: clock))
        await model.open()
        XCTAssertEqual(model.state, .locked)
        for left in stride(from: 4, through: 0, by: -1) {
            await model.unlock(pin: "0000")
            guard case .wrongPin(let attemptsLeft, _) = model.state else { return XCTFail("\(model.state)") }
            XCTAssertEqual(attemptsLeft, UInt32(left))
        }
        await model.unlock(pin: "2468")
        XCTAssertEqual(model.state, .lockedOut(retryAfterSecs: 30))
        clock.advance(30)
        await model.unlock(pin: "2468")
        XCTAssertEqual(model.state, .unlocked)
        model.lock()
        XCTAssertEqual(model.state, .locked)
        XCTAssertEqual(model.wallet?.isLocked(), true)
    }

    func testNoWalletAndAFileThatIsNoWallet() async throws {
        let missing = UnlockModel(setup: setup("missing.db"))
        await missing.open()
        XCTAssertEqual(missing.state, .noWallet)
        await missing.unlock(pin: "2468")
        XCTAssertEqual(missing.state, .noWallet)
        let garbage = setup("garbage.db")
        try Data((0..<4096).map { UInt8(($0 * 31) & 0xff) }).write(to: URL(fileURLWithPath: garbage.path))
        let model = UnlockModel(setup: garbage)
        await model.unlock(pin: "2468")
        XCTAssertEqual(model.state, .failed(.notAWallet))
    }
}

@MainActor
final class CredentialsModelTests: DemoTestCase {
    func testListAndDetailUseTheIssuersLabelsInThePersonsLanguage() async throws {
        let w = try await world(trust: false)
        let french = CredentialsModel(wallet: w.holder, lang: "fr")
        await french.load()
        guard case .list(let rows) = french.state, let row = rows.first else { return XCTFail("\(french.state)") }
        XCTAssertEqual(rows.count, 1)
        XCTAssertEqual(row.title, "Enregistrement OIM")
        XCTAssertEqual(row.format, .sdJwt)
        await french.open(id: row.id)
        guard case .detail(_, let claims) = french.state else { return XCTFail("\(french.state)") }
        let labels = Dictionary(uniqueKeysWithValues: claims.map { ($0.path, $0.label) })
        XCTAssertEqual(labels["given_name"], "Prénom")
        XCTAssertEqual(labels["family_name"], "Nom")
        XCTAssertEqual(claims.first { $0.path == "given_name" }?.value, "Amina")

        let arabic = CredentialsModel(wallet: w.holder, lang: "ar")
        await arabic.load()
        guard case .list(let arabicRows) = arabic.state else { return XCTFail("\(arabic.state)") }
        XCTAssertEqual(arabicRows.first?.title, "تسجيل المنظمة الدولية للهجرة")

        await french.open(id: "not-an-id")
        guard case .failed = french.state else { return XCTFail("\(french.state)") }
        w.holder.lock()
        await french.load()
        XCTAssertEqual(french.state, .failed(.locked))
    }
}
