import Foundation
import Laissez
@testable import LaissezDemoKit
import XCTest

/// The demo keys' rule (issue 17): the first wallet opened supplies the keys, later wallets get
/// a copy, a wallet with another or a damaged set gets the process's set, and a new process
/// finds the same keys in either wallet.
@MainActor
final class DemoKeysTests: DemoTestCase {
    private var made = 0

    /// A new process's demo keys, counting the sets it makes.
    private func process() -> DemoKeys {
        DemoKeys { [unowned self] in
            self.made += 1
            return try DemoContent.makeKeys()
        }
    }

    func testTheFirstWalletSuppliesTheKeysAndARestartFindsThemInEither() async throws {
        let holder = try await newWallet("holder.db")
        let verifier = try await newWallet("verifier.db")
        let first = process()
        XCTAssertNil(first.keys)
        let made = await first.opened(holder)
        XCTAssertEqual(made, .made)
        let fingerprint = try XCTUnwrap(first.keys).fingerprint()
        let copied = await first.opened(verifier)
        XCTAssertEqual(copied, .copied)
        let again = await first.opened(verifier)
        XCTAssertEqual(again, .alreadyKept)
        XCTAssertEqual(self.made, 1)
        // The holder trusts the demo verifiers: the demo signer is pinned in its wallet.
        let pinning = CredentialsModel(wallet: holder, lang: "en")
        await DemoContent(keys: first).trustDemoVerifiers(pinning)
        guard case .list = pinning.state else { return XCTFail("\(pinning.state)") }

        // The app restarts and the verifier's wallet opens first this time.
        let second = process()
        let loaded = await second.opened(verifier)
        XCTAssertEqual(loaded, .loaded)
        XCTAssertEqual(try second.current().fingerprint(), fingerprint)
        let holderAgain = await second.opened(holder)
        XCTAssertEqual(holderAgain, .alreadyKept)
        XCTAssertEqual(self.made, 1)

        // A demo content on the restored keys: the holder's pinned signer takes its next list.
        let demo = DemoContent(keys: second)
        let credentials = CredentialsModel(wallet: holder, lang: "en")
        await demo.trustDemoVerifiers(credentials)
        guard case .list = credentials.state else { return XCTFail("\(credentials.state)") }
        // A set made afresh, as every restart made before keys were kept, is refused.
        let fresh = DemoContent(keys: DemoKeys(make: DemoContent.makeKeys))
        await fresh.trustDemoVerifiers(credentials)
        guard case .failed = credentials.state else { return XCTFail("\(credentials.state)") }
    }

    func testAWalletKeepingAnotherSetGetsTheProcesssSet() async throws {
        let holder = try await newWallet("holder.db")
        let verifier = try await newWallet("verifier.db")
        // Each wallet first opened in a run of its own: two different sets.
        _ = await process().opened(holder)
        _ = await process().opened(verifier)
        let run = process()
        let loaded = await run.opened(holder)
        XCTAssertEqual(loaded, .loaded)
        let replaced = await run.opened(verifier)
        XCTAssertEqual(replaced, .replaced)
        let next = process()
        _ = await next.opened(verifier)
        XCTAssertEqual(try next.current().fingerprint(), try run.current().fingerprint())
    }

    func testADamagedSetIsReplacedAndALockedWalletKeepsTheKeysForThisRun() async throws {
        let holder = try await newWallet("holder.db")
        let verifier = try await newWallet("verifier.db")
        _ = try await verifier.put(record: NewRecordInput(kind: "test_keys", tags: [], body: Data(#"{"version":1}"#.utf8)))
        let run = process()
        let made = await run.opened(holder)
        XCTAssertEqual(made, .made)
        let replaced = await run.opened(verifier)
        XCTAssertEqual(replaced, .replaced)
        let kept = try await verifier.keptTestKeys()
        XCTAssertEqual(kept?.fingerprint(), try run.current().fingerprint())

        let locked = try await newWallet("locked.db")
        locked.lock()
        let other = process()
        let outcome = await other.opened(locked)
        guard case .notKept = outcome else { return XCTFail("\(outcome)") }
        XCTAssertNotNil(other.keys)
    }
}
