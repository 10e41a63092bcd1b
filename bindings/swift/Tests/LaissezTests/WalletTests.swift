import Foundation
import Laissez
import XCTest

/// A clock the test moves by hand, to check PIN delays without waiting: the date and the
/// monotonic time move separately (delays follow only the monotonic one).
final class TestClock: WalletClock, @unchecked Sendable {
    private let lock = NSLock()
    private var now: Int64
    private var monotonic: UInt64 = 0
    init(_ start: Int64) { now = start }
    func nowUnix() -> Int64 { lock.withLock { now } }
    func monotonicMillis() -> UInt64 { lock.withLock { monotonic } }
    /// The person sets the date.
    func setDate(by seconds: Int64) { lock.withLock { now += seconds } }
    /// Time really passes.
    func advance(_ seconds: Int64) { lock.withLock { now += seconds; monotonic += UInt64(seconds) * 1000 } }
}

/// A software stand-in for the Secure Enclave: a deterministic keyed function of the challenge
/// (the challenge xor a random pad kept in memory; not one-way, which the Rust tests cover,
/// but enough to check that the core calls the app's protector and tells keys apart).
/// `failure` makes every call throw, as a cancelled prompt or an invalidated key would.
final class PadProtector: PlatformKeyProtector, @unchecked Sendable {
    private let id: String
    private let pad: [UInt8] = (0..<65).map { _ in UInt8.random(in: 0...255) }
    private let lock = NSLock()
    private var _failure: PlatformKeyError?
    private var _answers = 0
    init(id: String) { self.id = id }
    var failure: PlatformKeyError? {
        get { lock.withLock { _failure } }
        set { lock.withLock { _failure = newValue } }
    }
    var answers: Int { lock.withLock { _answers } }
    func keyId() -> String { id }
    func respond(challenge: Data) throws -> Data {
        if let failure { throw failure }
        lock.withLock { _answers += 1 }
        return Data(challenge.enumerated().map { $0.element ^ pad[$0.offset % pad.count] })
    }
    func legacyUnwrap(wrapped: Data) throws -> Data {
        throw PlatformKeyError.KeyInvalidated(reason: "this key never wrapped")
    }
}

final class WalletTests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    private func path(_ name: String = "wallet.db") -> String { dir.appendingPathComponent(name).path }

    private func options(clock: WalletClock? = nil, platformKey: PlatformKeyProtector? = nil) -> WalletOptions {
        WalletOptions(pinKdf: insecureTestKdf(), platformKey: platformKey, clock: clock)
    }

    private func note(_ topic: String, _ body: String) -> NewRecordInput {
        NewRecordInput(kind: "note", tags: [RecordTag(name: "topic", value: topic)], body: Data(body.utf8))
    }

    /// Runs `call` and returns the WalletError it throws, failing the test if it does not.
    private func walletError(_ call: () async throws -> Void, line: UInt = #line) async -> WalletError? {
        do {
            try await call()
            XCTFail("expected a WalletError", line: line)
        } catch let error as WalletError {
            return error
        } catch {
            XCTFail("unexpected error \(error)", line: line)
        }
        return nil
    }

    func testCreateGivesTwentyFourWordsAndAnUnlockedWallet() async throws {
        let created = try await createWallet(path: path(), pin: "2468", options: options())
        XCTAssertEqual(created.mnemonicWords.count, 24)
        XCTAssertFalse(created.wallet.isLocked())
        try validateMnemonic(phrase: created.mnemonicWords.joined(separator: " "))
        XCTAssertEqual(try created.wallet.status().pinKdf, insecureTestKdf())
    }

    func testRecordsRoundTripWithTagsPagesAndCounts() async throws {
        let wallet = try await createWallet(path: path(), pin: "2468", options: options()).wallet
        let id = try await wallet.put(record: note("clinic", "tuesday"))
        _ = try await wallet.putMany(records: (1...5).map { note("food", "day \($0)") })
        let read = try await wallet.get(id: id)
        XCTAssertEqual(read.body, Data("tuesday".utf8))
        XCTAssertEqual(read.kind, "note")
        let food = [RecordTag(name: "topic", value: "food")]
        let total = try await wallet.count(kind: "note", tags: food)
        XCTAssertEqual(total, 5)
        let first = try await wallet.find(kind: "note", tags: food, limit: 3, cursor: nil)
        XCTAssertEqual(first.records.count, 3)
        let cursor = try XCTUnwrap(first.nextCursor)
        let second = try await wallet.find(kind: "note", tags: food, limit: 3, cursor: cursor)
        XCTAssertEqual(second.records.count, 2)
        XCTAssertNil(second.nextCursor)
        try await wallet.update(id: id, tags: [], body: Data("wednesday".utf8))
        try await wallet.delete(id: id)
        let missing = await walletError { _ = try await wallet.get(id: id) }
        XCTAssertEqual(missing, .RecordNotFound)
    }

    func testWrongPinIsCountedThenDelayed() async throws {
        let clock = TestClock(1_700_000_000)
        _ = try await createWallet(path: path(), pin: "2468", options: options(clock: clock))
        let wallet = try await openWallet(path: path(), options: options(clock: clock))
        XCTAssertTrue(wallet.isLocked())
        for left in stride(from: 4, through: 0, by: -1) {
            let error = await walletError { try await wallet.unlock(pin: "0000") }
            guard case .WrongPin(let attemptsLeft, _)? = error else {
                return XCTFail("expected WrongPin, got \(String(describing: error))")
            }
            XCTAssertEqual(attemptsLeft, UInt32(left))
        }
        let locked = await walletError { try await wallet.unlock(pin: "2468") }
        XCTAssertEqual(locked, .PinLockedOut(retryAfterSecs: 30))
        // Setting the date forward does not shorten the wait; real time does.
        clock.setDate(by: 3_600)
        let stillLocked = await walletError { try await wallet.unlock(pin: "2468") }
        XCTAssertEqual(stillLocked, .PinLockedOut(retryAfterSecs: 30))
        clock.advance(30)
        try await wallet.unlock(pin: "2468")
        XCTAssertFalse(wallet.isLocked())
    }

    func testChangePinRecoverAndRekey() async throws {
        let created = try await createWallet(path: path(), pin: "2468", options: options())
        let wallet = created.wallet
        let id = try await wallet.put(record: note("clinic", "tuesday"))
        try await wallet.changePin(currentPin: "2468", newPin: "13579")
        wallet.lock()
        let locked = await walletError { _ = try await wallet.get(id: id) }
        XCTAssertEqual(locked, .Locked)
        try await wallet.recover(mnemonic: created.mnemonicWords.joined(separator: " "), newPin: "1111")
        let resealed = try await wallet.rekey()
        XCTAssertEqual(resealed, 1)
        wallet.lock()
        try await wallet.unlock(pin: "1111")
        let body = try await wallet.get(id: id).body
        XCTAssertEqual(body, Data("tuesday".utf8))
    }

    func testBadInputPerFunctionGivesATypedError() async throws {
        let created = try await createWallet(path: path(), pin: "2468", options: options())
        let wallet = created.wallet
        var words = created.mnemonicWords
        words[6] = "zzzz"
        XCTAssertThrowsError(try validateMnemonic(phrase: words.joined(separator: " "))) {
            guard case .InvalidMnemonic(_, let position)? = $0 as? WalletError else {
                return XCTFail("expected InvalidMnemonic, got \($0)")
            }
            XCTAssertEqual(position, 7)
        }
        let opts = options()
        let shortPin = await walletError { _ = try await createWallet(path: self.path("b.db"), pin: "12", options: opts) }
        guard case .InvalidPin? = shortPin else { return XCTFail("expected InvalidPin") }
        // The same rules without a wallet, before asking for the current PIN.
        XCTAssertNoThrow(try validateNewPin(pin: "2468"))
        for bad in ["246", "    ", String(repeating: "1", count: 129)] {
            XCTAssertThrowsError(try validateNewPin(pin: bad)) {
                guard case .InvalidPin? = $0 as? WalletError else { return XCTFail("expected InvalidPin, got \($0)") }
            }
        }
        let exists = await walletError { _ = try await createWallet(path: self.path(), pin: "2468", options: opts) }
        XCTAssertEqual(exists, .AlreadyExists)
        let missing = await walletError { _ = try await openWallet(path: self.path("missing.db"), options: opts) }
        XCTAssertEqual(missing, .NotFound)
        for call in [
            { _ = try await wallet.get(id: "not-an-id") },
            { _ = try await wallet.put(record: NewRecordInput(kind: "", tags: [], body: Data())) },
            { _ = try await wallet.find(kind: "note", tags: [], limit: 0, cursor: nil) },
            { _ = try await wallet.find(kind: "note", tags: [], limit: 5, cursor: "nope") },
            { _ = try await wallet.count(kind: String(repeating: "x", count: 65), tags: []) },
            { try await wallet.update(id: "zz", tags: [], body: Data()) },
            { try await wallet.delete(id: "") },
        ] as [() async throws -> Void] {
            let error = await walletError(call)
            guard case .InvalidInput? = error else { return XCTFail("expected InvalidInput, got \(String(describing: error))") }
        }
        let other = try await createWallet(path: path("other.db"), pin: "2468", options: opts)
        let mismatch = await walletError {
            try await wallet.recover(mnemonic: other.mnemonicWords.joined(separator: " "), newPin: "1111")
        }
        XCTAssertEqual(mismatch, .MnemonicMismatch)
    }

    func testGarbageFileIsReportedAndLeftUntouched() async throws {
        let garbage = Data((0..<4096).map { UInt8(($0 * 31) & 0xff) })
        try garbage.write(to: URL(fileURLWithPath: path("garbage.db")))
        let opts = options()
        let error = await walletError { _ = try await openWallet(path: self.path("garbage.db"), options: opts) }
        guard case .NotAWallet? = error else { return XCTFail("expected NotAWallet, got \(String(describing: error))") }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path("garbage.db"))), garbage)
    }

    func testPlatformKeyProtectsThePinAndRecoveryWorksWithoutIt() async throws {
        let protector = PadProtector(id: "secure-enclave-1")
        let created = try await createWallet(path: path(), pin: "2468", options: options(platformKey: protector))
        XCTAssertTrue(try created.wallet.status().platformProtected)
        let protected = try await openWallet(path: path(), options: options(platformKey: protector))
        try await protected.unlock(pin: "2468")
        let bare = try await openWallet(path: path(), options: options())
        let error = await walletError { try await bare.unlock(pin: "2468") }
        guard case .PlatformKey(let problem, _)? = error else { return XCTFail("expected PlatformKey, got \(String(describing: error))") }
        XCTAssertEqual(problem, .notGiven)
        try await bare.recover(mnemonic: created.mnemonicWords.joined(separator: " "), newPin: "1357")
        XCTAssertFalse(try bare.status().platformProtected)
    }

    func testCancelledOrInvalidatedPlatformKeyIsReportedAndUsesNoAttempt() async throws {
        let protector = PadProtector(id: "secure-enclave-1")
        _ = try await createWallet(path: path(), pin: "2468", options: options(platformKey: protector))
        let wallet = try await openWallet(path: path(), options: options(platformKey: protector))
        let wrong = await walletError { try await wallet.unlock(pin: "0000") }
        guard case .WrongPin? = wrong else { return XCTFail("expected WrongPin, got \(String(describing: wrong))") }
        let cases: [(PlatformKeyError, PlatformKeyProblem)] = [
            (.Cancelled, .cancelled),
            (.KeyInvalidated(reason: "biometrics changed"), .keyInvalidated),
            (.Unavailable(reason: "device locked"), .unavailable),
        ]
        for (failure, expected) in cases {
            protector.failure = failure
            let error = await walletError { try await wallet.unlock(pin: "2468") }
            guard case .PlatformKey(let problem, _)? = error else {
                return XCTFail("expected PlatformKey, got \(String(describing: error))")
            }
            XCTAssertEqual(problem, expected)
            XCTAssertEqual(try wallet.status().failedPinAttempts, 1)
        }
        protector.failure = nil
        let before = protector.answers
        try await wallet.unlock(pin: "2468")
        XCTAssertEqual(protector.answers - before, 1, "one hardware answer per PIN check")
        XCTAssertEqual(try wallet.status().failedPinAttempts, 0)
    }

    func testConcurrentAsyncCallsAllComplete() async throws {
        let wallet = try await createWallet(path: path(), pin: "2468", options: options()).wallet
        let ids = try await withThrowingTaskGroup(of: String.self) { group in
            for i in 1...20 {
                group.addTask {
                    let tags = [RecordTag(name: "topic", value: "t\(i % 3)")]
                    return try await wallet.put(record: NewRecordInput(kind: "note", tags: tags, body: Data("body \(i)".utf8)))
                }
            }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        XCTAssertEqual(ids.count, 20)
        XCTAssertEqual(try wallet.status().recordCount, 20)
    }

    func testReleasedWalletFreesTheFileForReopening() async throws {
        do {
            let wallet = try await createWallet(path: path(), pin: "2468", options: options()).wallet
            _ = try await wallet.put(record: note("a", "b"))
        }
        let again = try await openWallet(path: path(), options: options())
        try await again.unlock(pin: "2468")
        let count = try await again.count(kind: "note", tags: [])
        XCTAssertEqual(count, 1)
    }

    func testDeleteWalletRemovesTheFileAndItsCompanionsAndASecondDeleteIsFine() async throws {
        do {
            let created = try await createWallet(path: path(), pin: "2468", options: options())
            _ = try await created.wallet.put(record: NewRecordInput(kind: "note", tags: [], body: Data("hello".utf8)))
        }
        try Data("left by a crash".utf8).write(to: URL(fileURLWithPath: path() + "-journal"))
        try deleteWallet(path: path())
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), [])
        try deleteWallet(path: path())
        let error = await walletError { _ = try await openWallet(path: self.path(), options: self.options()) }
        guard case .NotFound? = error else { return XCTFail("expected NotFound, got \(String(describing: error))") }
    }

    func testDeleteWalletOfAPathThatIsAFolderGivesStorageAndLeavesTheFolder() throws {
        let folder = path("folder.db")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        XCTAssertThrowsError(try deleteWallet(path: folder)) {
            guard case .Storage? = $0 as? WalletError else { return XCTFail("expected Storage, got \($0)") }
        }
        var isFolder: ObjCBool = false
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) && isFolder.boolValue)
    }
}
