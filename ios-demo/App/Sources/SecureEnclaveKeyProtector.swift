import Foundation
import Laissez
import Security

/// The `PlatformKeyProtector` of bindings/src/platform_key.rs on iOS: a P-256 key made inside the
/// Secure Enclave (it never leaves it) wraps the wallet's data key with ECIES
/// (X9.63 SHA-256, AES-GCM). The key is usable only while the phone is unlocked, on this device
/// only, so a backup of the phone or a copied wallet file cannot be unwrapped elsewhere; the
/// 24 words remain the way back. Without a Secure Enclave (the simulator) the key lives in the
/// Keychain with the same access rules.
final class SecureEnclaveKeyProtector: PlatformKeyProtector, @unchecked Sendable {
    private let tag: Data
    private let label: String
    private let lock = NSLock()

    init(label: String = "org.laissez.demo.wallet-key") {
        self.label = label
        tag = Data(label.utf8)
    }

    func keyId() -> String { label }

    func wrap(secret: Data) throws -> Data {
        let key = try privateKey(create: true)
        guard let publicKey = SecKeyCopyPublicKey(key) else {
            throw PlatformKeyError.Failed(reason: "no public key")
        }
        var error: Unmanaged<CFError>?
        guard let wrapped = SecKeyCreateEncryptedData(publicKey, Self.algorithm, secret as CFData, &error) else {
            throw Self.mapped(error)
        }
        return wrapped as Data
    }

    func unwrap(wrapped: Data) throws -> Data {
        let key = try privateKey(create: false)
        var error: Unmanaged<CFError>?
        guard let secret = SecKeyCreateDecryptedData(key, Self.algorithm, wrapped as CFData, &error) else {
            throw Self.mapped(error)
        }
        return secret as Data
    }

    private static let algorithm = SecKeyAlgorithm.eciesEncryptionCofactorVariableIVX963SHA256AESGCM

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
