import Foundation
import Laissez

/// Everything that can go wrong in the demo, as the screens show it. `Problem.from(_:)` is the
/// one place that maps the bindings' errors to it; no claim value or secret is carried.
public enum Problem: Error, Equatable, Sendable {
    // Wallet and PIN.
    case walletMissing
    case walletExists
    case notAWallet
    case walletDamaged
    case walletTooNew
    case wrongPin(attemptsLeft: UInt32, retryAfterSecs: UInt64)
    case lockedOut(retryAfterSecs: UInt64)
    case pinRejected(reason: String)
    case pinsDiffer
    case invalidWords(wordPosition: UInt32?)
    case wordsOfAnotherWallet
    case confirmationWrong(positions: [Int])
    case platformKey
    /// Settings: the hardware key (Secure Enclave) cannot be used now, or the phone has none:
    /// protection was not changed.
    case noHardwareKey
    case locked
    case busy
    // Holder: requests and consent.
    case notARequest(kind: String)
    case damagedRequest
    case requestExpired
    case nothingConsented
    case missingRequired(claims: [String])
    case noMatchingCredential(types: [String])
    case credentialNotFound
    case credentialUnusable(code: String)
    case responseTooLarge
    /// Every one-time copy of the credential has been presented and reusing the last one is
    /// off: ask the issuer for a new batch, or turn reuse on in the settings.
    case noCopiesLeft
    /// The verifier is unverified and the person did not take the extra step ("share
    /// anyway"): nothing was sent.
    case unverifiedNotAcknowledged
    /// A claim beyond the verified verifier's registered scope was not turned on by hand:
    /// nothing was sent.
    case beyondScope(claim: String)
    // Holder: adding credentials.
    /// The credential was refused at import (`code`: `bad_issuer_signature`, `expired`,
    /// `unknown_format`, `not_bound_to_this_wallet`…).
    case credentialRejected(code: String)
    case alreadyImported
    // Holder: offline issuance at a desk.
    /// The code scanned for an offer is something else (`kind`: what it is, `verifier_request`,
    /// `trust_list`…; nil when only the core noticed).
    case notAnOffer(kind: String?)
    /// The code scanned for the desk's batch is something else (`kind` as for `notAnOffer`).
    case notABatch(kind: String?)
    /// An offer or batch whose codes do not read or whose content is not well-formed: scan it again.
    case damagedIssuanceCode
    /// An offer or batch of a newer format: update the app.
    case issuanceTooNew(version: UInt64)
    /// The offer's signature or its issuer certificate was refused: it is not from the issuer it
    /// names (or not signed as issuers must). Nothing was accepted.
    case offerNotAuthentic
    /// The offer, or this wallet's acceptance of it, has expired: ask the desk for a new one.
    case offerExpired
    /// The desk refused the wallet's proof (an offer it did not make or already used, altered
    /// keys). Desk side; the holder sees it only when the desk runs on this phone.
    case proofRefused
    /// The batch answers no offer pending in this wallet: never accepted here, already
    /// received, or its acceptance expired.
    case batchForAnotherOffer
    /// The batch does not decrypt: altered on the way, or sealed to another wallet.
    case batchAlteredOrNotForThisWallet
    /// The batch is not what was offered and proved (copies missing, doubled, bound to other
    /// keys, of another type or signer). Nothing was imported.
    case batchNotAsOffered
    /// The wallet's issuer trust list was put back or removed behind its back: import it again.
    case issuerListTampered
    // Holder: identity cards (MOSIP Claim 169 codes printed on national ID cards).
    /// The scanned code is not a readable identity card code (damaged, cut off, another kind
    /// of code): scan it again, closer and flat.
    case cardUnreadable
    /// The card's code carries no signature: nobody could ever check it, so it is not kept.
    case cardUnsigned
    /// The card's code is encrypted for the issuer's own verifiers: it cannot be kept here.
    case cardEncrypted
    /// This card is in the wallet already.
    case cardAlreadyKept
    /// The card is no longer in the wallet (deleted meanwhile).
    case cardNotFound
    /// A Laissez code (a request, a trust list…) was scanned where a card's code was expected.
    case notAnIdentityCard
    // Verifier.
    case noTrustList
    case trustListExpired(sequence: UInt64)
    case trustListRejected(code: TrustListProblem)
    case signerChanged
    case noPinnedSigner
    case invalidSignerKey
    case statusListRejected(code: StatusListProblem)
    case unexpectedMessage(kind: String)
    case invalidRequest
    /// The verifier's own file was changed behind its back (a trust list, status list, replay
    /// entry or pending request put back, removed or added): nothing is verified until it is
    /// set up again (a new verifier wallet, its trust list and status lists imported again).
    case tampered
    /// The holder scanned or typed something that is not a verifier's identifier.
    case notAVerifierId
    /// The registration certificate was refused at install: another verifier's key,
    /// expired, damaged, too large or signed with another algorithm. The installed one stays.
    case invalidCertificate(problem: CertificateProblem)
    /// A request by certificate reference was asked for with no certificate installed.
    case noCertificate
    // Backup and moving phones.
    case notABackup
    case backupFromNewerApp(version: UInt8)
    case backupDamaged
    // Camera frames and anything else.
    case badFrame
    case storage
    case internalError

    /// The problem an error from the bindings (or from this kit) stands for.
    public static func from(_ error: Error) -> Problem {
        switch error {
        case let problem as Problem:
            return problem
        case let error as WalletError:
            switch error {
            case .NotFound: return .walletMissing
            case .AlreadyExists: return .walletExists
            case .NotAWallet: return .notAWallet
            case .Corrupted, .RecordIntegrity: return .walletDamaged
            case .UnsupportedVersion: return .walletTooNew
            case .WrongPin(let left, let retry): return .wrongPin(attemptsLeft: left, retryAfterSecs: retry)
            case .PinLockedOut(let retry): return .lockedOut(retryAfterSecs: retry)
            case .InvalidPin(let reason): return .pinRejected(reason: reason)
            case .InvalidMnemonic(_, let position): return .invalidWords(wordPosition: position)
            case .MnemonicMismatch: return .wordsOfAnotherWallet
            case .Locked: return .locked
            case .PlatformKey: return .platformKey
            case .Busy: return .busy
            case .RecordNotFound, .InvalidInput: return .internalError
            case .Storage: return .storage
            case .Internal: return .internalError
            }
        case let error as ExchangeError:
            switch error {
            case .Locked: return .locked
            case .NotARequest(let kind): return .notARequest(kind: kind)
            case .MalformedRequest: return .damagedRequest
            case .RequestExpired: return .requestExpired
            case .NothingConsented: return .nothingConsented
            case .CredentialNotFound: return .credentialNotFound
            case .NotRequested, .UnknownClaim: return .internalError
            case .CredentialUnusable(let code, _): return .credentialUnusable(code: snakeCase(code))
            case .InvalidFrameOptions, .Encoding: return .responseTooLarge
            case .NoCopiesLeft: return .noCopiesLeft
            case .UnverifiedNotAcknowledged: return .unverifiedNotAcknowledged
            case .BeyondScope(let claim): return .beyondScope(claim: claim)
            case .Busy: return .busy
            case .InvalidInput: return .internalError
            case .Storage: return .storage
            case .Internal: return .internalError
            }
        case let error as VerifierError:
            switch error {
            case .Locked: return .locked
            case .InvalidRequest: return .invalidRequest
            case .UnexpectedMessage(let kind): return .unexpectedMessage(kind: kind)
            case .NoTrustList: return .noTrustList
            case .TrustListExpired(let sequence): return .trustListExpired(sequence: sequence)
            case .TrustListRejected(let code, _): return .trustListRejected(code: code)
            case .NoPinnedSigner: return .noPinnedSigner
            case .SignerChanged: return .signerChanged
            case .InvalidSignerKey: return .invalidSignerKey
            case .StatusListRejected(let code, _): return .statusListRejected(code: code)
            case .InvalidCertificate(let problem, _): return .invalidCertificate(problem: problem)
            case .NoCertificate: return .noCertificate
            case .InvalidFrameOptions, .Encoding: return .internalError
            case .Busy: return .busy
            case .InvalidInput: return .internalError
            case .Storage: return .storage
            // The verifier's own file was altered: nothing verifies until it is set up again.
            case .Tampered: return .tampered
            case .Internal: return .internalError
            }
        case let error as QrError:
            switch error {
            case .InvalidFrame: return .badFrame
            case .NotAMessage: return .unexpectedMessage(kind: "not_laissez")
            default: return .internalError
            }
        case let error as BackupError:
            switch error {
            case .InvalidMnemonic(_, let position): return .invalidWords(wordPosition: position)
            case .OtherWallet: return .wordsOfAnotherWallet
            case .NotABackup, .WrongMessageKind: return .notABackup
            case .UnsupportedVersion(let version, _): return .backupFromNewerApp(version: version)
            case .Truncated, .Damaged, .TooLarge: return .backupDamaged
            case .Locked: return .locked
            case .AlreadyExists: return .walletExists
            case .InvalidPin(let reason): return .pinRejected(reason: reason)
            case .PlatformKey: return .platformKey
            case .Busy: return .busy
            case .Storage: return .storage
            default: return .internalError
            }
        case let error as IssuanceError:
            return issuance(error)
        case let error as IdentityCardError:
            return identityCard(error)
        case let error as CredentialError:
            switch error {
            case .Locked: return .locked
            case .NotFound: return .credentialNotFound
            case .InvalidCredential(let code, _): return .credentialRejected(code: snakeCase(code))
            case .UnknownFormat: return .credentialRejected(code: "unknown_format")
            case .NoHolderKey: return .credentialRejected(code: "no_holder_key")
            case .NotBoundToThisWallet: return .credentialRejected(code: "not_bound_to_this_wallet")
            case .NoIssuerKey: return .credentialRejected(code: "no_issuer_key")
            case .AlreadyImported: return .alreadyImported
            case .NoCopiesLeft: return .noCopiesLeft
            case .Busy: return .busy
            case .Storage: return .storage
            default: return .internalError
            }
        default:
            return .internalError
        }
    }
}

extension Problem {
    /// The problem of an issuance error: every variant named, so a new one fails to compile here.
    static func issuance(_ error: IssuanceError) -> Problem {
        switch error {
        case .Locked: return .locked
        // The core says which step's code it expected; the models check the kind themselves
        // first, so this is only reached by a caller that did not.
        case .WrongMessage(let expected): return expected.hasSuffix("batch") ? .notABatch(kind: nil) : .notAnOffer(kind: nil)
        case .UnreadableCodes, .Malformed: return .damagedIssuanceCode
        case .UnsupportedVersion(let version): return .issuanceTooNew(version: version)
        case .UnsupportedAlgorithm, .NoSignerCertificate, .BadOfferSignature, .IssuerCertificate: return .offerNotAuthentic
        case .OfferExpired: return .offerExpired
        case .UnknownOffer, .WrongNonce, .OfferAlreadyUsed, .BadProofSignature, .DuplicateKey, .WrongKeyCount:
            return .proofRefused
        case .NoPendingOffer: return .batchForAnotherOffer
        case .Undecryptable: return .batchAlteredOrNotForThisWallet
        case .CopyForUnknownKey, .DuplicateCopy, .MissingCopies, .NotTheOfferedCredential: return .batchNotAsOffered
        case .CredentialRefused(let code, _): return .credentialRejected(code: code.map { snakeCase($0) } ?? "refused")
        case .AlreadyImported: return .alreadyImported
        case .NoPinnedSigner: return .noPinnedSigner
        case .SignerChanged: return .signerChanged
        case .InvalidSignerKey: return .invalidSignerKey
        case .TrustListRejected(let code, _): return .trustListRejected(code: code)
        case .Tampered: return .issuerListTampered
        // The desk's own failures (its ledger, bad claims): the holder app runs no desk.
        case .DamagedLedger, .IssueFailed: return .internalError
        case .Crypto, .InvalidFrameOptions, .Encoding, .InvalidInput, .Internal: return .internalError
        case .Busy: return .busy
        case .Storage: return .storage
        }
    }
}

extension Problem {
    /// The problem of an identity card error: every variant named, so a new one fails to
    /// compile here. No field of the card is carried (the core's reasons are not kept).
    static func identityCard(_ error: IdentityCardError) -> Problem {
        switch error {
        case .Locked: return .locked
        case .Unreadable: return .cardUnreadable
        case .Unsigned: return .cardUnsigned
        case .Encrypted: return .cardEncrypted
        case .AlreadyKept: return .cardAlreadyKept
        case .NotFound: return .cardNotFound
        // The code could not be drawn or the store refused an id: not the person's doing.
        case .Encoding, .InvalidInput, .Internal: return .internalError
        case .Busy: return .busy
        case .Storage: return .storage
        }
    }
}

/// The snake_case name of a binding enum's case (`badIssuerSignature` -> `bad_issuer_signature`,
/// `verifierRequest` -> `verifier_request`): the form of the core's stable codes, which
/// `Problem` keeps beside the app's own.
func snakeCase(_ value: Any) -> String {
    String(describing: value).reduce(into: "") { out, character in
        if character.isUppercase {
            out += "_" + character.lowercased()
        } else {
            out.append(character)
        }
    }
}
