import LaissezDemoKit
import SwiftUI

/// The localized sentence for each problem of the kit.
extension Problem {
    var text: LocalizedStringKey {
        switch self {
        case .walletMissing: return "problem.wallet_missing"
        case .walletExists: return "problem.wallet_exists"
        case .notAWallet, .walletDamaged: return "problem.wallet_damaged"
        case .walletTooNew: return "problem.wallet_too_new"
        case .wrongPin(let left, _): return "problem.wrong_pin \(Int(left))"
        case .lockedOut(let secs): return "problem.locked_out \(Int(secs))"
        case .pinRejected: return "problem.pin_rejected"
        case .pinsDiffer: return "problem.pins_differ"
        case .invalidWords(let position?): return "problem.invalid_word \(Int(position))"
        case .invalidWords(nil): return "problem.invalid_words"
        case .wordsOfAnotherWallet: return "problem.words_other_wallet"
        case .confirmationWrong: return "problem.confirmation_wrong"
        case .platformKey: return "problem.platform_key"
        case .locked: return "problem.locked"
        case .busy, .storage: return "problem.storage"
        case .notARequest: return "problem.not_a_request"
        case .damagedRequest: return "problem.damaged_request"
        case .requestExpired: return "problem.request_expired"
        case .nothingConsented: return "problem.nothing_consented"
        case .missingRequired: return "problem.missing_required"
        case .noMatchingCredential: return "problem.no_matching_credential"
        case .credentialNotFound, .credentialUnusable: return "problem.credential_unusable"
        case .responseTooLarge: return "problem.response_too_large"
        case .noCopiesLeft: return "problem.no_copies_left"
        case .credentialRejected: return "problem.credential_rejected"
        case .alreadyImported: return "problem.already_imported"
        case .noTrustList: return "problem.no_trust_list"
        case .trustListExpired: return "problem.trust_list_expired"
        case .trustListRejected, .signerChanged, .noPinnedSigner, .invalidSignerKey: return "problem.trust_list_rejected"
        case .statusListRejected: return "problem.status_list_rejected"
        case .unexpectedMessage: return "problem.unexpected_message"
        case .invalidRequest: return "problem.invalid_request"
        case .tampered: return "problem.tampered"
        case .notAVerifierId: return "problem.not_a_verifier_id"
        case .notABackup: return "problem.not_a_backup"
        case .backupFromNewerApp: return "problem.backup_too_new"
        case .backupDamaged: return "problem.backup_damaged"
        case .badFrame: return "scan.bad_frame"
        case .internalError: return "problem.internal"
        }
    }
}
