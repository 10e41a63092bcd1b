import Foundation
import Laissez
@testable import LaissezDemoKit
import XCTest

/// A software stand-in for the Secure Enclave key: the challenge xor a random pad (the bindings'
/// tests use the same idea). `failure` is thrown instead of answering, as the enclave does when
/// the key cannot be used.
final class SettingsTestKey: PlatformKeyProtector, @unchecked Sendable {
    private let pad: [UInt8] = (0..<65).map { _ in UInt8.random(in: 0...255) }
    private let lock = NSLock()
    private var _failure: PlatformKeyError?
    var failure: PlatformKeyError? {
        get { lock.withLock { _failure } }
        set { lock.withLock { _failure = newValue } }
    }
    func keyId() -> String { "org.laissez.demo.test" }
    func respond(challenge: Data) throws -> Data {
        if let failure { throw failure }
        return Data(challenge.enumerated().map { $0.element ^ pad[$0.offset % pad.count] })
    }
    func legacyUnwrap(wrapped: Data) throws -> Data {
        throw PlatformKeyError.KeyInvalidated(reason: "this key never wrapped")
    }
}

/// The settings: change PIN, hardware key on/off, delete the wallet; each path and each error.
@MainActor
final class SettingsModelTests: DemoTestCase {
    private let clock = TestClock(1_700_000_000)

    private func keyed(_ key: SettingsTestKey?) -> WalletSetup {
        WalletSetup(path: setup().path, pinKdf: insecureTestKdf(), platformKey: key, clock: clock)
    }

    /// A wallet as the app makes it: with the phone's hardware key, protected from the start.
    private func protectedWallet(_ key: SettingsTestKey = SettingsTestKey()) async throws -> Wallet {
        try await createWallet(path: keyed(key).path, pin: "2468", options: keyed(key).options).wallet
    }

    private func settings(_ wallet: Wallet) -> SettingsModel {
        SettingsModel(wallet: wallet) { [clock] in clock.nowUnix() }
    }

    func testChangePinThenTheNewPinUnlocksAndTheOldOneNoLonger() async throws {
        let wallet = try await protectedWallet()
        let model = settings(wallet)
        XCTAssertEqual(model.state, .overview(platformProtected: true, notice: nil, problem: nil))
        model.startChangePin()
        XCTAssertEqual(model.state, .form(.changePin, problem: nil, waitUntil: 0))
        await model.changePin(current: "2468", newPin: "13579", repeated: "13579")
        XCTAssertEqual(model.state, .overview(platformProtected: true, notice: .pinChanged, problem: nil))
        wallet.lock()
        do {
            try await wallet.unlock(pin: "2468")
            XCTFail("the old PIN still opens")
        } catch WalletError.WrongPin {}
        try await wallet.unlock(pin: "13579")
    }

    func testMismatchAndTooShortAreRefusedBeforeTheCurrentPinIsChecked() async throws {
        let wallet = try await protectedWallet()
        let model = settings(wallet)
        model.startChangePin()
        // The current PIN is wrong too: a refusal that counted it would say wrongPin.
        await model.changePin(current: "0000", newPin: "13579", repeated: "13578")
        XCTAssertEqual(model.state, .form(.changePin, problem: .pinsDiffer, waitUntil: 0))
        await model.changePin(current: "0000", newPin: "135", repeated: "135")
        guard case .form(.changePin, .pinRejected?, 0) = model.state else { return XCTFail("\(model.state)") }
        XCTAssertEqual(try wallet.status().failedPinAttempts, 0)
    }

    func testWrongCurrentPinShowsAttemptsLeftThenTheWaitThenWorks() async throws {
        let model = settings(try await protectedWallet())
        model.startChangePin()
        for left in stride(from: UInt32(4), through: 1, by: -1) {
            await model.changePin(current: "0000", newPin: "13579", repeated: "13579")
            XCTAssertEqual(model.state, .form(.changePin, problem: .wrongPin(attemptsLeft: left, retryAfterSecs: 0), waitUntil: 0))
        }
        await model.changePin(current: "0000", newPin: "13579", repeated: "13579")
        let waiting = model.state
        XCTAssertEqual(model.secondsLeft(), 30)
        // Sent during the wait: nothing happens, not even with the right PIN.
        await model.changePin(current: "2468", newPin: "13579", repeated: "13579")
        XCTAssertEqual(model.state, waiting)
        model.tick()
        XCTAssertEqual(model.state, waiting)
        clock.advance(30)
        model.tick()
        XCTAssertEqual(model.state, .form(.changePin, problem: nil, waitUntil: 0))
        await model.changePin(current: "2468", newPin: "13579", repeated: "13579")
        XCTAssertEqual(model.state, .overview(platformProtected: true, notice: .pinChanged, problem: nil))
    }

    func testHardwareKeyOffThenOnAgainWithThePin() async throws {
        let key = SettingsTestKey()
        let wallet = try await protectedWallet(key)
        let model = settings(wallet)
        model.startProtection(enable: false)
        await model.setProtection(pin: "0000")
        XCTAssertEqual(model.state, .form(.protection(enable: false), problem: .wrongPin(attemptsLeft: 4, retryAfterSecs: 0), waitUntil: 0))
        await model.setProtection(pin: "2468")
        XCTAssertEqual(model.state, .overview(platformProtected: false, notice: .protectionOff, problem: nil))
        // A PIN change while off keeps it off, though the app always passes its key.
        model.startChangePin()
        await model.changePin(current: "2468", newPin: "13579", repeated: "13579")
        XCTAssertEqual(model.state, .overview(platformProtected: false, notice: .pinChanged, problem: nil))
        model.startProtection(enable: true)
        await model.setProtection(pin: "13579")
        XCTAssertEqual(model.state, .overview(platformProtected: true, notice: .protectionOn, problem: nil))
    }

    func testAPhoneWithoutAHardwareKeyOrAKeyUnusableNowGetsNoHardwareKey() async throws {
        // Made without a key (the simulator has no Secure Enclave): nothing to bind to.
        let bare = try await newWallet("bare.db", clock: clock)
        let model = settings(bare)
        XCTAssertEqual(model.state, .overview(platformProtected: false, notice: nil, problem: nil))
        model.startProtection(enable: true)
        await model.setProtection(pin: "2468")
        XCTAssertEqual(model.state, .form(.protection(enable: true), problem: .noHardwareKey, waitUntil: 0))
        XCTAssertFalse(try bare.status().platformProtected)

        let key = SettingsTestKey()
        let keyed = settings(try await protectedWallet(key))
        keyed.startProtection(enable: false)
        await keyed.setProtection(pin: "2468")
        key.failure = .Unavailable(reason: "device locked")
        keyed.startProtection(enable: true)
        await keyed.setProtection(pin: "2468")
        XCTAssertEqual(keyed.state, .form(.protection(enable: true), problem: .noHardwareKey, waitUntil: 0))
        // Gone for good: the 24 words, as on the lock screen.
        key.failure = .KeyInvalidated(reason: "biometrics changed")
        await keyed.setProtection(pin: "2468")
        XCTAssertEqual(keyed.state, .form(.protection(enable: true), problem: .platformKey, waitUntil: 0))
    }

    func testDeletionNeedsTheTickAndThePinThenTheGateRemovesTheFiles() async throws {
        let key = SettingsTestKey()
        let gate = UnlockModel(setup: keyed(key))
        gate.adopt(try await protectedWallet(key))
        var model: SettingsModel? = settings(try XCTUnwrap(gate.wallet))
        model?.startDeleteWallet()
        XCTAssertEqual(model?.state, .form(.deleteWallet(acknowledged: false), problem: nil, waitUntil: 0))
        // Not ticked: the right PIN does nothing.
        await model?.confirmDeletion(pin: "2468")
        XCTAssertEqual(model?.state, .form(.deleteWallet(acknowledged: false), problem: nil, waitUntil: 0))
        model?.acknowledgeDeletion(true)
        await model?.confirmDeletion(pin: "0000")
        XCTAssertEqual(model?.state, .form(.deleteWallet(acknowledged: true),
                                           problem: .wrongPin(attemptsLeft: 4, retryAfterSecs: 0), waitUntil: 0))
        XCTAssertNotNil(model?.wallet)
        await model?.confirmDeletion(pin: "2468")
        XCTAssertEqual(model?.state, .deletionConfirmed)
        XCTAssertNil(model?.wallet, "the settings keep no wallet open")
        XCTAssertTrue(FileManager.default.fileExists(atPath: keyed(key).path), "the gate deletes, not the settings")

        model = nil
        await gate.deleteWallet()
        XCTAssertEqual(gate.state, .noWallet)
        XCTAssertNil(gate.wallet)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), [])
    }

    func testAReferenceStillHeldLeavesTheFilesAndOpensTheWalletAgain() async throws {
        let gate = UnlockModel(setup: setup())
        gate.adopt(try await newWallet("wallet.db"))
        let screen = gate.wallet // a screen that did not go away
        await gate.deleteWallet(timeoutSeconds: 0.2)
        XCTAssertEqual(gate.state, .failed(.busy))
        XCTAssertTrue(FileManager.default.fileExists(atPath: setup().path))
        XCTAssertNotNil(gate.wallet)
        await gate.unlock(pin: "2468")
        XCTAssertEqual(gate.state, .unlocked)
        XCTAssertNotNil(screen)
    }

    func testDeletingACredentialShowsTheListWithoutIt() async throws {
        let world = try await world()
        let model = CredentialsModel(wallet: world.holder, lang: "en")
        await model.load()
        guard case .list(let rows) = model.state, let row = rows.first else { return XCTFail("\(model.state)") }
        await model.open(id: row.id)
        await model.delete(id: row.id)
        XCTAssertEqual(model.state, .list([]))
        await model.delete(id: row.id)
        XCTAssertEqual(model.state, .failed(.credentialNotFound))
    }
}
