import Foundation
import Laissez
import Security

/// The `PlatformKeyProtector` of bindings/src/platform_key.rs on iOS: a P-256 key made inside the
/// Secure Enclave (it never leaves it) answers the core's PIN challenges with ECDH: the
/// challenge is a P-256 point hashed from Argon2id(PIN), the answer the x-coordinate of
/// (enclave key × that point). Every PIN guess therefore needs this phone's Secure Enclave. The
/// key is usable only while the phone is unlocked, on this device only, so a backup of the phone
/// or a copied wallet file is useless elsewhere; the 24 words remain the way back. Without a
/// Secure Enclave (the simulator) the key lives in the Keychain with the same access rules.
///
/// Not compiled on Linux (Security.framework): `ios-demo/App` is built by Xcode only.
final class SecureEnclaveKeyProtector: PlatformKeyProtector, @unchecked Sendable {
    private let tag: Data
    private let label: String
    private let lock = NSLock()

    init(label: String = "org.laissez.demo.wallet-key") {
        self.label = label
        tag = Data(label.utf8)
    }

    func keyId() -> String { label }

    /// x(ECDH(enclave key, challenge)), 32 bytes. Creates the key on first use: a key made anew
    /// after the old one was lost answers differently, which the core reports as a replaced key.
    func respond(challenge: Data) throws -> Data {
        guard challenge.count == 65, challenge.first == 0x04 else {
            throw PlatformKeyError.Failed(reason: "challenge of \(challenge.count) bytes")
        }
        let key = try privateKey(create: true)
        let pointAttributes: [String: Any] = [
            kSecAttrKeyType as String: kSecAttrKeyTypeECSECPrimeRandom,
            kSecAttrKeyClass as String: kSecAttrKeyClassPublic,
            kSecAttrKeySizeInBits as String: 256,
        ]
        var error: Unmanaged<CFError>?
        guard let point = SecKeyCreateWithData(challenge as CFData, pointAttributes as CFDictionary, &error) else {
            throw PlatformKeyError.Failed(reason: "the challenge is not a P-256 point")
        }
        // Standard (not cofactor, not X9.63) exchange: the raw shared x-coordinate, no KDF; the
        // core derives its key from it.
        guard let shared = SecKeyCopyKeyExchangeResult(
            key, .ecdhKeyExchangeStandard, point, [:] as CFDictionary, &error) else {
            throw Self.mapped(error)
        }
        return shared as Data
    }

    /// Decrypts what older versions wrapped (ECIES X9.63 SHA-256 AES-GCM under the same enclave
    /// key): read once, to move such a wallet to challenges.
    func legacyUnwrap(wrapped: Data) throws -> Data {
        let key = try privateKey(create: false)
        var error: Unmanaged<CFError>?
        guard let secret = SecKeyCreateDecryptedData(key, Self.legacyAlgorithm, wrapped as CFData, &error) else {
            throw Self.mapped(error)
        }
        return secret as Data
    }

    private static let legacyAlgorithm = SecKeyAlgorithm.eciesEncryptionCofactorVariableIVX963SHA256AESGCM

    private func privateKey(create: Bool) throws -> SecKey {
        lock.lock()
        defer { lock.unlock() }
        let query: [String: Any] = [
            kSecClass as String: kSecClassKey,
            kSecAttrApplicationTag as String: tag,
            kSecAttrKeyType as String: kSecAttrKeyTypeECSECPrimeRandom,
            kSecReturnRef as String: true,
        ]
        var item: CFTypeRef?
        let status = SecItemCopyMatching(query as CFDictionary, &item)
        if status == errSecSuccess, let item { return item as! SecKey } // swiftlint:disable:this force_cast
        guard status == errSecItemNotFound else { throw PlatformKeyError.Failed(reason: "keychain status \(status)") }
        guard create else { throw PlatformKeyError.KeyInvalidated(reason: "the wallet key is gone") }
        return try makeKey()
    }

    private func makeKey() throws -> SecKey {
        var error: Unmanaged<CFError>?
        guard let access = SecAccessControlCreateWithFlags(
            nil, kSecAttrAccessibleWhenUnlockedThisDeviceOnly, .privateKeyUsage, &error) else {
            throw Self.mapped(error)
        }
        var attributes: [String: Any] = [
            kSecAttrKeyType as String: kSecAttrKeyTypeECSECPrimeRandom,
            kSecAttrKeySizeInBits as String: 256,
            kSecPrivateKeyAttrs as String: [
                kSecAttrIsPermanent as String: true,
                kSecAttrApplicationTag as String: tag,
                kSecAttrAccessControl as String: access,
            ] as [String: Any],
        ]
        #if !targetEnvironment(simulator)
        attributes[kSecAttrTokenID as String] = kSecAttrTokenIDSecureEnclave
        #endif
        guard let key = SecKeyCreateRandomKey(attributes as CFDictionary, &error) else { throw Self.mapped(error) }
        return key
    }

    private static func mapped(_ error: Unmanaged<CFError>?) -> PlatformKeyError {
        guard let error = error?.takeRetainedValue() else { return .Failed(reason: "unknown") }
        let code = CFErrorGetCode(error)
        if code == Int(errSecUserCanceled) { return .Cancelled }
        if code == Int(errSecItemNotFound) || code == Int(errSecAuthFailed) {
            return .KeyInvalidated(reason: "\(code)")
        }
        if code == Int(errSecInteractionNotAllowed) || code == Int(errSecNotAvailable) {
            return .Unavailable(reason: "\(code)")
        }
        return .Failed(reason: "security error \(code)")
    }
}
