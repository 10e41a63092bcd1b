import Foundation
import Laissez

/// Where the wallet file lives and how it is protected: the app passes the Secure Enclave
/// protector and the recommended Argon2 settings; tests pass a temp file, the fast test KDF
/// and a hand-moved clock.
public struct WalletSetup: Sendable {
    public var path: String
    public var pinKdf: KdfSettings
    public var platformKey: PlatformKeyProtector?
    public var clock: WalletClock?

    public init(path: String, pinKdf: KdfSettings = recommendedPinKdf(),
                platformKey: PlatformKeyProtector? = nil, clock: WalletClock? = nil) {
        self.path = path
        self.pinKdf = pinKdf
        self.platformKey = platformKey
        self.clock = clock
    }

    var options: WalletOptions { WalletOptions(pinKdf: pinKdf, platformKey: platformKey, clock: clock) }

    /// Whether a wallet file exists (onboarding or unlock first).
    public var exists: Bool { FileManager.default.fileExists(atPath: path) }
}

/// Runs `body`, returning its value or the problem its error stands for.
@MainActor
func attempt<T>(_ body: @MainActor () async throws -> T) async -> Result<T, Problem> {
    do { return .success(try await body()) } catch { return .failure(Problem.from(error)) }
}
