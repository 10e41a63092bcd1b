import Foundation
import Laissez
@testable import LaissezDemoKit
import XCTest

/// A clock the test moves by hand (PIN waits, request expiry). Moving it forward is time
/// really passing: the monotonic clock PIN delays follow moves too; moving it back does not.
final class TestClock: WalletClock, @unchecked Sendable {
    private let lock = NSLock()
    private var now: Int64
    private var monotonic: UInt64 = 0
    init(_ start: Int64 = Int64(Date().timeIntervalSince1970)) { now = start }
    func nowUnix() -> Int64 { lock.withLock { now } }
    func monotonicMillis() -> UInt64 { lock.withLock { monotonic } }
    func advance(_ seconds: Int64) {
        lock.withLock {
            now += seconds
            monotonic += UInt64(max(seconds, 0)) * 1000
        }
    }
}

/// A temp directory per test, removed afterwards.
class DemoTestCase: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("laissez-demo-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    func setup(_ name: String = "wallet.db", clock: WalletClock? = nil) -> WalletSetup {
        WalletSetup(path: dir.appendingPathComponent(name).path, pinKdf: insecureTestKdf(), clock: clock)
    }

    @MainActor
    func newWallet(_ name: String, clock: WalletClock? = nil) async throws -> Wallet {
        let setup = setup(name, clock: clock)
        return try await createWallet(path: setup.path, pin: "2468", options: setup.options).wallet
    }

    static let claims = #"{"given_name":"Amina","family_name":"Haddad","nationality":"SD","place_of_birth":"Khartoum"}"#
    static let statusUri = "https://status.example/lists/7"
    static let credentialType = "urn:laissez:iom:registration:1"

    /// A holder with one SD-JWT VC credential; a field verifier whose wallet trusts its issuer.
    struct World {
        let issuer: TestIssuer
        let signer: TestTrustListSigner
        let holder: Wallet
        let verifierWallet: Wallet
        let clock: TestClock
    }

    @MainActor
    func world(trust: Bool = true) async throws -> World {
        let clock = TestClock()
        let issuer = try TestIssuer.create(name: "IOM Field Office")
        let signer = try TestTrustListSigner.create()
        let holder = try await newWallet("holder.db", clock: clock)
        let jwk = try await holder.holderKey().jwk
        let issued = try issuer.issueSdJwt(vct: Self.credentialType, claimsJson: Self.claims, holderJwkJson: jwk,
                                           status: StatusListEntry(uri: Self.statusUri, index: 42))
        _ = try await holder.importCredential(credential: issued, issuerKeys: [])
        let verifierWallet = try await newWallet("verifier.db", clock: clock)
        if trust {
            let signed = try signer.sign(sequence: 1, validDays: 30, issuers: [issuer])
            _ = try await FieldVerifier(wallet: verifierWallet).importTrustList(signedText: signed,
                                                                               signerJwk: signer.publicJwk())
        }
        return World(issuer: issuer, signer: signer, holder: holder, verifierWallet: verifierWallet, clock: clock)
    }

    static func requested(required: [String] = ["given_name"], optional: [String] = ["nationality", "photo"],
                          type: String = credentialType) -> [RequestedCredential] {
        [RequestedCredential(credentialType: type,
                             claims: required.map { RequestedClaim(path: $0, required: true) }
                                 + optional.map { RequestedClaim(path: $0, required: false) })]
    }

    /// Small frames, so an answer is an animated sequence.
    static var smallFrames: FrameOptions {
        var options = defaultFrameOptions()
        options.maxFrameChars = 400
        options.oneCodeMaxChars = 0
        return options
    }
}

/// A luma frame of camera noise: no code in it.
func noiseFrame(width: UInt32 = 320, height: UInt32 = 240) -> LumaFrame {
    var generator = SystemRandomNumberGenerator()
    let pixels = Data((0..<Int(width * height)).map { _ in UInt8.random(in: 0...255, using: &generator) })
    return LumaFrame(width: width, height: height, stride: width, pixels: pixels)
}

extension ConsentModel {
    /// `respond()`, then the extra step an unverified verifier needs ("share anyway"); the
    /// step does nothing when `respond()` stopped at a problem. The tests' verifiers have no
    /// registration certificate unless a test installs one (`VerifiedConsentTests`).
    func respondAnyway() async {
        await respond()
        await shareAnyway()
    }
}
