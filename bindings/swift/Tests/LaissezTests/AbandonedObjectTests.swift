import Foundation
import Laissez
import XCTest

/// Holds the only references to some objects, so whoever empties it releases them.
private final class Holder: @unchecked Sendable {
    private let lock = NSLock()
    private var objects: [AnyObject]
    init(_ objects: [AnyObject]) { self.objects = objects }
    func release() { lock.withLock { objects = [] } }
    /// Weak references to what it holds, to check later that the objects are gone.
    func weakRefs() -> [Weak] { lock.withLock { objects.map { Weak(object: $0) } } }
}

/// A reference that does not keep its object alive.
private struct Weak {
    weak var object: AnyObject?
}

/// Objects released on threads other than the one that made them, before the core's runtime
/// exists and after async calls have started it: never a crash. The class name sorts first, so
/// its first test runs before any async call of the suite (XCTest runs classes and methods in
/// name order).
final class AbandonedObjectTests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    /// Objects an app can make without an async call.
    private func syncObjects() throws -> [AnyObject] {
        [QrScanner(), try TestIssuer.create(name: "Drop test issuer"), try TestTrustListSigner.create()]
    }

    /// A wallet (made and used through async calls), its field verifier, and the rest.
    private func allObjects(_ name: String) async throws -> [AnyObject] {
        let options = WalletOptions(pinKdf: insecureTestKdf(), platformKey: nil, clock: nil)
        let wallet = try await createWallet(
            path: dir.appendingPathComponent(name).path, pin: "2468", options: options
        ).wallet
        let count = try await wallet.count(kind: "note", tags: [])
        XCTAssertEqual(count, 0)
        let verifier = FieldVerifier(wallet: wallet)
        let log = try await verifier.logEntries()
        XCTAssertTrue(log.isEmpty)
        return [wallet, verifier] + (try syncObjects())
    }

    /// Releases the objects in `holder` (their only references) on a plain thread and checks
    /// they are gone.
    private func releaseOnThread(_ holder: Holder) {
        let weak = holder.weakRefs()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            holder.release()
            done.signal()
        }
        thread.start()
        done.wait()
        XCTAssertTrue(weak.allSatisfy { $0.object == nil })
    }

    /// Releases the objects in `holder` in a detached task and checks they are gone.
    private func releaseInDetachedTask(_ holder: Holder) async {
        let weak = holder.weakRefs()
        await Task.detached { holder.release() }.value
        XCTAssertTrue(weak.allSatisfy { $0.object == nil })
    }

    func testAReleasedOnOtherThreadsBeforeAnyAsyncCall() async throws {
        releaseOnThread(Holder(try syncObjects()))
        await releaseInDetachedTask(Holder(try syncObjects()))
        XCTAssertEqual(coreVersion(), coreVersion())
    }

    func testBReleasedOnOtherThreadsAfterAsyncCalls() async throws {
        releaseOnThread(Holder(try await allObjects("thread.db")))
        await releaseInDetachedTask(Holder(try await allObjects("task.db")))
        // Made in a detached task, released on a plain thread.
        let dir = self.dir!
        let made = try await Task.detached {
            let options = WalletOptions(pinKdf: insecureTestKdf(), platformKey: nil, clock: nil)
            let wallet = try await createWallet(
                path: dir.appendingPathComponent("detached.db").path, pin: "2468", options: options
            ).wallet
            return Holder([wallet, FieldVerifier(wallet: wallet)])
        }.value
        let done = DispatchSemaphore(value: 0)
        Thread {
            made.release()
            done.signal()
        }.start()
        done.wait()
        XCTAssertEqual(coreVersion(), coreVersion())
    }

    func testCAWalletReleasedWhileItsCallsRunFinishesThem() async throws {
        let options = WalletOptions(pinKdf: insecureTestKdf(), platformKey: nil, clock: nil)
        var wallet: Wallet? = try await createWallet(
            path: dir.appendingPathComponent("busy.db").path, pin: "2468", options: options
        ).wallet
        let calls = (0..<8).map { i in
            Task.detached { [wallet] in
                try await wallet!.put(record: NewRecordInput(kind: "note", tags: [], body: Data([UInt8(i)])))
            }
        }
        wallet = nil // The calls hold the last references; each is released on their threads.
        for call in calls {
            let id = try await call.value
            XCTAssertFalse(id.isEmpty)
        }
    }
}
