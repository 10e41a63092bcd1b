import Foundation
import Laissez
import XCTest

/// Records each progress call and whether it came on the main thread.
final class ProgressRecorder: RestoreProgress, @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [[UInt64]] = []
    private var onMain = false
    func onProgress(done: UInt64, total: UInt64) {
        let main = Thread.isMainThread
        lock.withLock {
            recorded.append([done, total])
            onMain = onMain || main
        }
    }
    var calls: [[UInt64]] { lock.withLock { recorded } }
    var calledOnMainThread: Bool { lock.withLock { onMain } }
}

/// Backup and restore with the 24 words through the bindings: bytes, QR frames, bad input.
final class BackupTests: XCTestCase {
    private var dir: URL!

    private let claims = #"{"given_name":"Amina","family_name":"Haddad","nationality":"SD","place_of_birth":"Khartoum"}"#
    private let nonce = "n-7"
    private let audience = "https://desk.example"
    private let expected = RecordCounts(credentials: 2, holderKeys: 1, disclosures: 1, other: 0)

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    private func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    private func options(clock: WalletClock? = nil) -> WalletOptions {
        WalletOptions(pinKdf: insecureTestKdf(), platformKey: nil, clock: clock)
    }

    /// Whether the wallet file `name` or any SQLite companion of it exists.
    private func leftBehind(_ name: String) throws -> Bool {
        try FileManager.default.contentsOfDirectory(atPath: dir.path).contains { $0.hasPrefix(name) }
    }

    /// The old phone: an SD-JWT VC and an mdoc from one issuer, one presented once.
    private struct OldPhone {
        let wallet: Wallet
        let words: String
        let issuer: TestIssuer
        let clock: TestClock
    }

    private func oldPhone() async throws -> OldPhone {
        // A minute ahead of the issuer, so what it issues this second is already valid.
        let clock = TestClock(Int64(Date().timeIntervalSince1970) + 60)
        let created = try await createWallet(path: path("old.db"), pin: "2468", options: options(clock: clock))
        let wallet = created.wallet
        let issuer = try TestIssuer.create(name: "IOM Field Office")
        let jwk = try await wallet.holderKey().jwk
        let sdJwt = try issuer.issueSdJwt(vct: "urn:laissez:iom:registration:1", claimsJson: claims,
                                          holderJwkJson: jwk)
        let mdoc = try issuer.issueMdoc(docType: "org.iom.registration.1", claimsJson: claims,
                                        holderJwkJson: jwk)
        let first = try await wallet.importCredential(credential: sdJwt, issuerKeys: [])
        _ = try await wallet.importCredential(credential: mdoc, issuerKeys: [])
        _ = try await wallet.presentCredential(id: first.id, claims: ["given_name"], nonce: "n", audience: "a")
        return OldPhone(wallet: wallet, words: created.mnemonicWords.joined(separator: " "), issuer: issuer, clock: clock)
    }

    /// Presents every credential of `wallet`; each verifies. Returns their formats.
    private func presentAll(_ wallet: Wallet, _ issuer: TestIssuer) async throws -> Set<CredentialFormat> {
        var formats = Set<CredentialFormat>()
        for credential in try await wallet.listCredentials() {
            let presentation = try await wallet.presentCredential(id: credential.id, claims: ["given_name"],
                                                                  nonce: nonce, audience: audience)
            let verdict = try await verifyPresentation(presentation: presentation.bytes, nonce: nonce, audience: audience,
                                                       trustedIssuers: [issuer.certificateDer()], lang: "en", now: nil)
            XCTAssertTrue(verdict.valid, "\(verdict.reasonCodes)")
            XCTAssertEqual(verdict.claims.map { $0.valueJson }, ["\"Amina\""])
            formats.insert(credential.format)
        }
        return formats
    }

    func testBackupToBytesRestoreOnANewPhoneThenMergeALaterBackup() async throws {
        let old = try await oldPhone()
        let bytes = try await old.wallet.backup()
        let header = try readBackupHeader(backup: bytes)
        XCTAssertEqual(header.version, 1)
        XCTAssertEqual(header.createdAt, old.clock.nowUnix())
        XCTAssertEqual(header.counts, expected)
        XCTAssertNil(bytes.range(of: Data("Amina".utf8)))

        let progress = ProgressRecorder()
        let restored = try await restoreWallet(path: path("new.db"), mnemonic: old.words, newPin: "1357",
                                               backup: bytes, options: options(), progress: progress)
        XCTAssertEqual(restored.report, RestoreReport(restored: expected, skippedDuplicates: 0))
        XCTAssertGreaterThanOrEqual(progress.calls.count, 2)
        XCTAssertEqual(progress.calls.first, [0, 4])
        XCTAssertEqual(progress.calls.last, [4, 4])
        XCTAssertFalse(progress.calledOnMainThread)

        let new = restored.wallet
        let formats = try await presentAll(new, old.issuer)
        XCTAssertEqual(formats, [.sdJwt, .mdoc])
        let oldKey = try await old.wallet.holderKey()
        let newKey = try await new.holderKey()
        XCTAssertEqual(oldKey, newKey)
        new.lock()
        do {
            try await new.unlock(pin: "2468")
            XCTFail("the old PIN opened the restored wallet")
        } catch WalletError.WrongPin {}
        try await new.unlock(pin: "1357")

        // The old phone gets one more credential; its next backup merges in just that.
        let extra = try old.issuer.issueSdJwt(vct: "urn:laissez:iom:household:1", claimsJson: claims,
                                              holderJwkJson: oldKey.jwk)
        _ = try await old.wallet.importCredential(credential: extra, issuerKeys: [])
        let later = try await old.wallet.backup()
        let again = ProgressRecorder()
        let report = try await new.restoreBackup(backup: later, progress: again)
        XCTAssertEqual(report.restored, RecordCounts(credentials: 1, holderKeys: 0, disclosures: 0, other: 0))
        XCTAssertEqual(report.skippedDuplicates, 4)
        XCTAssertFalse(again.calls.isEmpty)
        // Restoring it twice duplicates nothing.
        let twice = try await new.restoreBackup(backup: later)
        XCTAssertEqual(twice.restored, RecordCounts(credentials: 0, holderKeys: 0, disclosures: 0, other: 0))
        let held = try await new.listCredentials()
        XCTAssertEqual(held.count, 3)

        // A wallet of other words refuses it and keeps what it held.
        let stranger = try await createWallet(path: path("stranger.db"), pin: "2468", options: options()).wallet
        let other = await failure(BackupError.self) { _ = try await stranger.restoreBackup(backup: later) }
        XCTAssertEqual(other, .OtherWallet)
        XCTAssertEqual(try stranger.status().recordCount, 0)
        new.lock()
        let locked = await failure(BackupError.self) { _ = try await new.backup() }
        XCTAssertEqual(locked, .Locked)
    }

    func testBackupAsQrFramesDrawnIntoLumaScannedWithProgressRestoredFromTheMessage() async throws {
        let old = try await oldPhone()
        var small = defaultFrameOptions()
        small.maxFrameChars = 400
        small.oneCodeMaxChars = 0
        let frames = try await old.wallet.backupFrames(options: small)
        XCTAssertGreaterThan(frames.count, 3)
        XCTAssertTrue(frames.allSatisfy { $0.text.hasPrefix("LZF1:") })

        let message = try await scan(QrScanner(), frames) // Progress on the way, then complete.
        XCTAssertEqual(message.kind, .backup)
        let bytes = try backupFromMessage(message: message)
        XCTAssertEqual(try readBackupHeader(backup: bytes).counts, expected)

        let progress = ProgressRecorder()
        let restored = try await restoreWallet(path: path("scanned.db"), mnemonic: old.words, newPin: "1357",
                                               backup: bytes, options: options(), progress: progress)
        let formats = try await presentAll(restored.wallet, old.issuer)
        XCTAssertEqual(formats, [.sdJwt, .mdoc])
        XCTAssertEqual(progress.calls.last, [4, 4])

        XCTAssertThrowsError(try backupFromMessage(message: trustListMessage(signedText: "x"))) { error in
            XCTAssertEqual(error as? BackupError, .WrongMessageKind(kind: "trust_list"))
        }
        small.maxFrameChars = 10
        small.oneCodeMaxChars = 0
        let badOptions = await failure(BackupError.self) { _ = try await old.wallet.backupFrames(options: small) }
        guard case .InvalidFrameOptions = badOptions else { return XCTFail("\(String(describing: badOptions))") }
    }

    func testWrongWordsAndDamagedBackupsAreTypedErrorsAndLeaveNoFileBehind() async throws {
        let old = try await oldPhone()
        let bytes = try await old.wallet.backup()
        let restore = { (name: String, words: String, pin: String, backup: Data) in
            _ = try await restoreWallet(path: self.path(name), mnemonic: words, newPin: pin, backup: backup,
                                        options: self.options())
        }

        var typo = old.words.split(separator: " ").map(String.init)
        typo[3] = "zzzz"
        let invalid = await failure(BackupError.self) { try await restore("typo.db", typo.joined(separator: " "), "1357", bytes) }
        guard case .InvalidMnemonic(let reason, let position) = invalid else { return XCTFail("\(String(describing: invalid))") }
        XCTAssertEqual(position, 4)
        XCTAssertFalse(reason.contains("zzzz"))
        XCTAssertFalse(try leftBehind("typo.db"))

        let stranger = try await createWallet(path: path("stranger.db"), pin: "2468", options: options())
        let theirs = stranger.mnemonicWords.joined(separator: " ")
        let other = await failure(BackupError.self) { try await restore("other.db", theirs, "1357", bytes) }
        XCTAssertEqual(other, .OtherWallet)
        XCTAssertFalse(try leftBehind("other.db"))

        var flipped = bytes
        let middle = flipped.startIndex + flipped.count / 2
        flipped[middle] ^= 0x01
        let damaged = await failure(BackupError.self) { try await restore("flip.db", old.words, "1357", flipped) }
        XCTAssertEqual(damaged, .Damaged)
        XCTAssertFalse(try leftBehind("flip.db"))

        let cut = await failure(BackupError.self) { try await restore("cut.db", old.words, "1357", bytes.dropLast()) }
        XCTAssertEqual(cut, .Damaged)
        XCTAssertFalse(try leftBehind("cut.db"))
        XCTAssertThrowsError(try readBackupHeader(backup: bytes.prefix(6))) { error in
            XCTAssertEqual(error as? BackupError, .Truncated)
        }

        var future = bytes
        future[future.startIndex + 4] = 9
        XCTAssertThrowsError(try readBackupHeader(backup: future)) { error in
            XCTAssertEqual(error as? BackupError, .UnsupportedVersion(version: 9, supported: 1))
        }
        let newer = await failure(BackupError.self) { try await restore("future.db", old.words, "1357", future) }
        XCTAssertEqual(newer, .UnsupportedVersion(version: 9, supported: 1))
        XCTAssertFalse(try leftBehind("future.db"))
        XCTAssertThrowsError(try readBackupHeader(backup: Data("%PDF-1.7".utf8))) { error in
            XCTAssertEqual(error as? BackupError, .NotABackup)
        }

        // An existing file is left as it was.
        try Data("someone's file".utf8).write(to: dir.appendingPathComponent("taken.db"))
        let exists = await failure(BackupError.self) { try await restore("taken.db", old.words, "1357", bytes) }
        XCTAssertEqual(exists, .AlreadyExists)
        XCTAssertEqual(try Data(contentsOf: dir.appendingPathComponent("taken.db")), Data("someone's file".utf8))

        // After all that, the right words and the intact backup still work.
        let good = try await restoreWallet(path: path("good.db"), mnemonic: old.words, newPin: "1357",
                                           backup: bytes, options: options())
        let held = try await good.wallet.listCredentials()
        XCTAssertEqual(held.count, 2)
    }
}
