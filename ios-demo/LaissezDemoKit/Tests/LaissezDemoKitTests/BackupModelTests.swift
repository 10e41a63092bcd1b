import Foundation
import Laissez
@testable import LaissezDemoKit
import XCTest

/// Moving to a new phone: the old phone shows its backup as animated QR codes, the new phone
/// scans them through camera frames and restores with the 24 words and a new PIN.
final class BackupModelTests: DemoTestCase {
    @MainActor
    func testANewPhoneScansTheOldPhonesCodesAndRestoresWithTheWords() async throws {
        let clock = TestClock()
        let setup = setup("old.db", clock: clock)
        let created = try await createWallet(path: setup.path, pin: "2468", options: setup.options)
        let issuer = try TestIssuer.create(name: "IOM Field Office")
        let jwk = try await created.wallet.holderKey().jwk
        let issued = try issuer.issueSdJwt(vct: Self.credentialType, claimsJson: Self.claims, holderJwkJson: jwk, status: nil)
        _ = try await created.wallet.importCredential(credential: issued, issuerKeys: [])

        let old = BackupModel()
        await old.show(from: created.wallet, options: Self.smallFrames)
        guard case .showing(let frames, 0) = old.state else { return XCTFail("\(old.state)") }
        XCTAssertGreaterThan(frames.count, 2)

        // The new phone films the loop, missing every third frame.
        let new = BackupModel()
        var shown = 0
        while shown < frames.count * 3 {
            guard case .showing(let loop, let index) = old.state else { return XCTFail("\(old.state)") }
            if shown % 3 != 1 { await new.scan(loop[index].luma()) }
            old.nextFrame()
            shown += 1
            if case .scanned = new.state { break }
        }
        // Read, and nothing of the unauthenticated header in the state.
        XCTAssertEqual(new.state, .scanned)

        // PINs that differ: refused before anything else; retry goes back to the words.
        let target = self.setup("new.db")
        await new.restore(words: created.mnemonicWords.joined(separator: " "), newPin: "1357", repeated: "1375",
                          setup: target)
        XCTAssertEqual(new.state, .failed(.pinsDiffer))
        XCTAssertFalse(FileManager.default.fileExists(atPath: target.path))
        new.retry()
        XCTAssertEqual(new.state, .scanned, "no need to scan again")
        // Another wallet's words: refused, no file.
        let stranger = try await createWallet(path: self.setup("other.db").path, pin: "2468", options: target.options)
        await new.restore(words: stranger.mnemonicWords.joined(separator: " "), newPin: "1357", setup: target)
        XCTAssertEqual(new.state, .failed(.wordsOfAnotherWallet))
        XCTAssertFalse(FileManager.default.fileExists(atPath: target.path))
        new.retry()
        XCTAssertEqual(new.state, .scanned)
        // A mistyped word: refused, no file.
        var typo = created.mnemonicWords
        typo[4] = "zzzz"
        await new.restore(words: typo.joined(separator: " "), newPin: "1357", setup: target)
        guard case .failed(.invalidWords) = new.state else { return XCTFail("\(new.state)") }
        XCTAssertFalse(FileManager.default.fileExists(atPath: target.path))

        // The right words, typed in capitals over several lines: everything back, under the new PIN.
        await new.restore(words: " " + created.mnemonicWords.joined(separator: "\n").uppercased(), newPin: "1357",
                          repeated: "1357", setup: target)
        guard case .restored(let report) = new.state else { return XCTFail("\(new.state)") }
        XCTAssertEqual(report.restored.credentials, 1)
        let restored = try XCTUnwrap(new.wallet)
        let held = try await restored.listCredentials()
        XCTAssertEqual(held.count, 1)

        // The gate takes the restored wallet like an onboarded one: locked in the background,
        // opened again with the new PIN.
        let gate = UnlockModel(setup: target)
        gate.adopt(restored)
        XCTAssertEqual(gate.state, .unlocked)
        gate.lock()
        XCTAssertEqual(gate.state, .locked)
        await gate.unlock(pin: "2468")
        guard case .wrongPin = gate.state else { return XCTFail("\(gate.state)") }
        await gate.unlock(pin: "1357")
        XCTAssertEqual(gate.state, .unlocked)
    }

    @MainActor
    func testCodesThatAreNotABackupAndNoiseLeadToClearStates() async throws {
        let model = BackupModel(stallFrames: 3)
        await model.scan(noiseFrame())
        guard case .scanning(.noCode) = model.state else { return XCTFail("\(model.state)") }
        // A verifier's request is not a backup.
        let world = try await world()
        let request = try await FieldVerifier(wallet: world.verifierWallet)
            .createRequest(verifierName: "Desk", purpose: "Check", credentials: Self.requested(),
                           ttlSecs: 300, options: nil)
        await model.scan(request.frames[0].luma())
        XCTAssertEqual(model.state, .failed(.notABackup))
        model.retry()
        XCTAssertEqual(model.state, .idle, "nothing scanned yet: retry scans again")
        // Restoring before anything was scanned.
        await model.restore(words: "", newPin: "1357", setup: setup("x.db"))
        XCTAssertEqual(model.state, .failed(.internalError))
    }
}
