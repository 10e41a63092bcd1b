package app.laissez.demo

import app.laissez.BackupException
import app.laissez.CertificateProblem
import app.laissez.CredentialException
import app.laissez.ExchangeException
import app.laissez.IdentityCardException
import app.laissez.IssuanceException
import app.laissez.PlatformKeyException
import app.laissez.PlatformKeyProblem
import app.laissez.QrException
import app.laissez.VerifierException
import app.laissez.WalletException
import kotlin.coroutines.cancellation.CancellationException

/**
 * Everything that can go wrong, as the screens show it. Each case maps to one localized string
 * in the app (res/values*): no exception message (which could hold input) reaches the screen.
 */
sealed class UiError {
    /** The PIN was wrong; [attemptsLeft] before a wait of [retryAfterSecs] (0: no wait yet). */
    data class WrongPin(val attemptsLeft: Int, val retryAfterSecs: Long) : UiError()
    /** Too many wrong PINs: try again in [retryAfterSecs]. */
    data class PinLockedOut(val retryAfterSecs: Long) : UiError()
    /** The PIN does not meet the rules (too short, blank). */
    data object InvalidPin : UiError()
    /** The two PIN entries differ. */
    data object PinMismatch : UiError()
    /** A word is not in the list or the checksum fails; [wordPosition] is 1-based when known. */
    data class InvalidMnemonic(val wordPosition: Int?) : UiError()
    /** Valid words, but of another wallet. */
    data object MnemonicMismatch : UiError()
    /** The words typed at the confirmation step are not the ones shown. */
    data class WordsDoNotMatch(val positions: List<Int>) : UiError()
    /** The hardware key is gone: recover with the 24 words. */
    data object PlatformKeyUnavailable : UiError()
    /**
     * Settings: the hardware key cannot be used now (none on this phone, unavailable, the prompt
     * cancelled), so protection was not changed.
     */
    data object NoHardwareKey : UiError()
    /** The wallet is locked; unlock first. */
    data object Locked : UiError()
    /** No wallet file where one was expected / one already exists. */
    data object NoWallet : UiError()
    data object WalletExists : UiError()
    /** The file is not a wallet, or damaged. */
    data object NotAWallet : UiError()

    /** The camera frame held no readable QR code. */
    data object NoQrCode : UiError()
    /** A QR code, but not a Laissez one (a web address, a payment code...). */
    data object NotLaissez : UiError()
    /** A Laissez code that is damaged or of an unknown version. */
    data object DamagedCode : UiError()
    /** An animated sequence stopped before it was complete (timeout or reset). */
    data object TransferInterrupted : UiError()
    /** A complete code of the wrong kind for this screen, e.g. a trust list shown to the holder. */
    data class UnexpectedCode(val kind: String) : UiError()
    /** The camera frame could not be read (sizes do not match the buffer). */
    data object BadCameraFrame : UiError()

    /** The holder scanned something that is not a verifier request. */
    data class NotARequest(val kind: String) : UiError()
    /** The request is damaged. */
    data object MalformedRequest : UiError()
    /** The request has expired: ask the verifier for a new one. */
    data object RequestExpired : UiError()
    /** The wallet holds no credential that has every required claim. */
    data class MissingClaims(val credentialTypes: List<String>) : UiError()
    /** Nothing was chosen to share. */
    data object NothingConsented : UiError()
    /**
     * The verifier is unverified and the person did not take the extra step ("share anyway")
     * for this request: nothing was sent.
     */
    data object UnverifiedNotAcknowledged : UiError()
    /**
     * [claim] is beyond the verified verifier's registered scope and was not turned on by the
     * person: nothing was sent.
     */
    data class BeyondScope(val claim: String) : UiError()
    /** A claim the request did not ask for: nothing was sent. */
    data class NotRequested(val claim: String) : UiError()
    /** The credential is no longer in the wallet (deleted meanwhile) or never was. */
    data object CredentialNotFound : UiError()
    /** A credential cannot be used (expired, wrong binding...). */
    data class CredentialUnusable(val code: String) : UiError()
    /** A credential could not be imported. */
    data class CredentialRejected(val code: String) : UiError()
    /** This credential is already in the wallet. */
    data object AlreadyImported : UiError()

    /** The verifier has no trust list yet, or it has expired. */
    data object NoTrustList : UiError()
    data object TrustListExpired : UiError()
    /** A trust list was refused ([code]: bad_signature, rollback, ...). */
    data class TrustListRejected(val code: String) : UiError()
    /** A trust list signed by a signer other than the pinned one. */
    data object SignerChanged : UiError()
    /** The first trust list needs the signer's key. */
    data object NoPinnedSigner : UiError()
    /** A status list was refused ([code]). */
    data class StatusListRejected(val code: String) : UiError()
    /** The verifier has no open request to check an answer against. */
    data object NoOpenRequest : UiError()
    /**
     * The verifier's own file was changed behind its back (a trust list, status list, replay
     * entry or pending request put back, removed or added): nothing is verified until it is
     * set up again (a new verifier wallet, its trust list and status lists imported again).
     */
    data object VerifierTampered : UiError()
    /**
     * A scanned code is an answer to one of this verifier's requests, altered on the way: it
     * was logged as invalid. Ask the person to show their code again.
     */
    data object AnswerTampered : UiError()
    /** The holder scanned or typed something that is not a verifier's identifier. */
    data object NotAVerifierId : UiError()
    /** Verifier: a registration certificate was refused when installing it, and why. */
    data class InvalidCertificate(val problem: CertificateProblem) : UiError()
    /** Verifier: a request by certificate reference ("short code") with no certificate installed. */
    data object NoCertificate : UiError()

    /** The scanned or opened data is not a Laissez backup. */
    data object NotABackup : UiError()
    /** The backup is damaged, cut short or too large. */
    data object BackupDamaged : UiError()
    /** The backup was made by a newer version of the app. */
    data object BackupFromNewerVersion : UiError()
    /** The backup belongs to the wallet of other words. */
    data object BackupOfOtherWallet : UiError()

    /** The issuance offer has expired: ask the desk for a new one. */
    data object OfferExpired : UiError()
    /** The offer's signature or certificate was refused: do not accept it. */
    data object OfferNotGenuine : UiError()
    /** The batch answers no offer this wallet accepted (or it was already received). */
    data object NoPendingOffer : UiError()
    /** The batch was altered or is not for this wallet, or its copies are not what was offered. */
    data object BatchRejected : UiError()
    /** Desk: the proof answers no offer of this desk, or one already answered. */
    data object ProofRejected : UiError()
    /** Every copy of the credential has been presented: ask the issuer for new copies. */
    data object NoCopiesLeft : UiError()
    /**
     * The holder's issuer trust list was put back or removed behind the wallet's back: no
     * issuer is trusted until the list is imported again.
     */
    data object IssuerTrustTampered : UiError()
    /** Desk: the choice cannot be issued (a batch size, type or claims out of range). */
    data object DeskRefused : UiError()

    /**
     * An identity card (a Claim 169 code printed on a national ID card) could not be kept,
     * found or shown: [problem] says why. A locked wallet is [Locked].
     */
    data class IdentityCard(val problem: CardProblem) : UiError()

    /** Anything else: a bug or storage failure. [type] is the exception class, for support. */
    data class Unexpected(val type: String) : UiError()
}

/** Why an identity card could not be kept, found or shown ([UiError.IdentityCard]). */
enum class CardProblem {
    /** The scanned code is not an identity card's code (a web address, another kind of QR code). */
    NOT_A_CARD,
    /** It looks like a card's code but cannot be read: damaged, cut off, photographed badly. */
    UNREADABLE,
    /** The code carries no signature: nobody could ever check it, so it is not kept. */
    UNSIGNED,
    /** The code is encrypted for the issuer's own verifiers: this wallet cannot read it. */
    ENCRYPTED,
    /** This card is in the wallet already. */
    ALREADY_KEPT,
    /** The card is no longer in the wallet (deleted meanwhile) or never was. */
    NOT_FOUND,
    /** The card's code could not be drawn on this screen. */
    CANNOT_DRAW,
    /** The wallet file is busy in another process: try again. */
    BUSY,
    /** The wallet refused the input (over its size limits). */
    INVALID_INPUT,
    /** The wallet file could not be read or written. */
    STORAGE,
    /** A bug in Laissez; nothing was changed. */
    INTERNAL,
}

/** The one place that turns a bindings exception into what the screen says. */
fun Throwable.toUiError(): UiError = when (this) {
    is WalletException.WrongPin -> UiError.WrongPin(attemptsLeft.toInt(), retryAfterSecs.toLong())
    is WalletException.PinLockedOut -> UiError.PinLockedOut(retryAfterSecs.toLong())
    is WalletException.InvalidPin -> UiError.InvalidPin
    is WalletException.InvalidMnemonic -> UiError.InvalidMnemonic(wordPosition?.toInt())
    is WalletException.MnemonicMismatch -> UiError.MnemonicMismatch
    is WalletException.PlatformKey -> UiError.PlatformKeyUnavailable
    is PlatformKeyException -> UiError.PlatformKeyUnavailable
    is WalletException.Locked -> UiError.Locked
    is WalletException.NotFound -> UiError.NoWallet
    is WalletException.AlreadyExists -> UiError.WalletExists
    is WalletException.NotAWallet, is WalletException.Corrupted -> UiError.NotAWallet

    is QrException.InvalidFrame -> UiError.BadCameraFrame
    is QrException.NotAMessage -> UiError.DamagedCode

    is ExchangeException.Locked -> UiError.Locked
    is ExchangeException.NotARequest -> UiError.NotARequest(kind)
    is ExchangeException.MalformedRequest -> UiError.MalformedRequest
    is ExchangeException.RequestExpired -> UiError.RequestExpired
    is ExchangeException.NothingConsented -> UiError.NothingConsented
    is ExchangeException.UnverifiedNotAcknowledged -> UiError.UnverifiedNotAcknowledged
    is ExchangeException.BeyondScope -> UiError.BeyondScope(claim)
    is ExchangeException.NotRequested -> UiError.NotRequested(claim)
    is ExchangeException.CredentialUnusable -> UiError.CredentialUnusable(code.name.lowercase())
    is ExchangeException.CredentialNotFound -> UiError.CredentialNotFound
    is ExchangeException.UnknownClaim -> UiError.CredentialUnusable("unknown_claim")

    is ExchangeException.NoCopiesLeft -> UiError.NoCopiesLeft
    is CredentialException.NoCopiesLeft -> UiError.NoCopiesLeft

    is IssuanceException.Locked -> UiError.Locked
    is IssuanceException.OfferExpired -> UiError.OfferExpired
    is IssuanceException.BadOfferSignature, is IssuanceException.IssuerCertificate,
    is IssuanceException.NoSignerCertificate, is IssuanceException.UnsupportedAlgorithm -> UiError.OfferNotGenuine
    is IssuanceException.WrongMessage -> UiError.UnexpectedCode("issuance")
    is IssuanceException.Malformed, is IssuanceException.UnreadableCodes,
    is IssuanceException.UnsupportedVersion -> UiError.DamagedCode
    is IssuanceException.NoPendingOffer -> UiError.NoPendingOffer
    is IssuanceException.Undecryptable, is IssuanceException.CopyForUnknownKey, is IssuanceException.DuplicateCopy,
    is IssuanceException.MissingCopies, is IssuanceException.NotTheOfferedCredential -> UiError.BatchRejected
    is IssuanceException.CredentialRefused -> UiError.CredentialRejected(code?.name?.lowercase() ?: "batch")
    is IssuanceException.AlreadyImported -> UiError.AlreadyImported
    is IssuanceException.UnknownOffer, is IssuanceException.OfferAlreadyUsed, is IssuanceException.WrongNonce,
    is IssuanceException.BadProofSignature, is IssuanceException.DuplicateKey,
    is IssuanceException.WrongKeyCount -> UiError.ProofRejected
    is IssuanceException.TrustListRejected -> UiError.TrustListRejected(code.name.lowercase())
    is IssuanceException.SignerChanged -> UiError.SignerChanged
    is IssuanceException.NoPinnedSigner -> UiError.NoPinnedSigner
    is IssuanceException.InvalidSignerKey -> UiError.TrustListRejected("invalid_signer_key")
    is IssuanceException.Tampered -> UiError.IssuerTrustTampered
    is IssuanceException.InvalidInput, is IssuanceException.IssueFailed -> UiError.DeskRefused

    is CredentialException.Locked -> UiError.Locked
    is CredentialException.NotFound -> UiError.CredentialNotFound
    is CredentialException.AlreadyImported -> UiError.AlreadyImported
    is CredentialException.InvalidCredential -> UiError.CredentialRejected(code.name.lowercase())
    is CredentialException.UnknownFormat -> UiError.CredentialRejected("unknown_format")
    is CredentialException.NotBoundToThisWallet -> UiError.CredentialRejected("not_bound_to_this_wallet")

    is VerifierException.Locked -> UiError.Locked
    is VerifierException.NoTrustList -> UiError.NoTrustList
    is VerifierException.TrustListExpired -> UiError.TrustListExpired
    is VerifierException.TrustListRejected -> UiError.TrustListRejected(code.name.lowercase())
    is VerifierException.SignerChanged -> UiError.SignerChanged
    is VerifierException.NoPinnedSigner -> UiError.NoPinnedSigner
    is VerifierException.InvalidSignerKey -> UiError.TrustListRejected("invalid_signer_key")
    is VerifierException.StatusListRejected -> UiError.StatusListRejected(code.name.lowercase())
    is VerifierException.UnexpectedMessage -> UiError.UnexpectedCode(kind)
    is VerifierException.Tampered -> UiError.VerifierTampered
    is VerifierException.InvalidCertificate -> UiError.InvalidCertificate(problem)
    is VerifierException.NoCertificate -> UiError.NoCertificate

    is IdentityCardException.Locked -> UiError.Locked
    is IdentityCardException.Unreadable -> UiError.IdentityCard(CardProblem.UNREADABLE)
    is IdentityCardException.Unsigned -> UiError.IdentityCard(CardProblem.UNSIGNED)
    is IdentityCardException.Encrypted -> UiError.IdentityCard(CardProblem.ENCRYPTED)
    is IdentityCardException.AlreadyKept -> UiError.IdentityCard(CardProblem.ALREADY_KEPT)
    is IdentityCardException.NotFound -> UiError.IdentityCard(CardProblem.NOT_FOUND)
    is IdentityCardException.Encoding -> UiError.IdentityCard(CardProblem.CANNOT_DRAW)
    is IdentityCardException.Busy -> UiError.IdentityCard(CardProblem.BUSY)
    is IdentityCardException.InvalidInput -> UiError.IdentityCard(CardProblem.INVALID_INPUT)
    is IdentityCardException.Storage -> UiError.IdentityCard(CardProblem.STORAGE)
    is IdentityCardException.Internal -> UiError.IdentityCard(CardProblem.INTERNAL)

    is BackupException.InvalidMnemonic -> UiError.InvalidMnemonic(wordPosition?.toInt())
    is BackupException.OtherWallet -> UiError.BackupOfOtherWallet
    is BackupException.NotABackup, is BackupException.WrongMessageKind -> UiError.NotABackup
    is BackupException.UnsupportedVersion -> UiError.BackupFromNewerVersion
    is BackupException.Truncated, is BackupException.Damaged, is BackupException.TooLarge -> UiError.BackupDamaged
    is BackupException.Locked -> UiError.Locked
    is BackupException.AlreadyExists -> UiError.WalletExists
    is BackupException.InvalidPin -> UiError.InvalidPin
    is BackupException.PlatformKey -> UiError.PlatformKeyUnavailable

    else -> UiError.Unexpected(javaClass.simpleName)
}

/**
 * Turning the hardware key on or off: a key that cannot be used now (none on this phone, not
 * given, unavailable, the prompt cancelled) is [UiError.NoHardwareKey], since nothing was
 * changed and the wallet works as before; a key gone for good stays
 * [UiError.PlatformKeyUnavailable] (recover with the 24 words).
 */
internal fun Throwable.toProtectionError(): UiError = when {
    this is WalletException.PlatformKey && problem == PlatformKeyProblem.KEY_INVALIDATED -> UiError.PlatformKeyUnavailable
    this is WalletException.PlatformKey -> UiError.NoHardwareKey
    this is PlatformKeyException.KeyInvalidated -> UiError.PlatformKeyUnavailable
    this is PlatformKeyException -> UiError.NoHardwareKey
    else -> toUiError()
}

/**
 * Runs [block]; any failure becomes a [UiError] instead of escaping to the UI thread.
 * Cancellation still propagates, so leaving a screen stops its work.
 */
internal suspend fun <T> attempt(block: suspend () -> T): Outcome<T> = try {
    Outcome.Ok(block())
} catch (e: CancellationException) {
    throw e
} catch (e: Exception) {
    Outcome.Failed(e.toUiError())
}

/** The result of [attempt]. */
internal sealed class Outcome<out T> {
    data class Ok<T>(val value: T) : Outcome<T>()
    data class Failed(val error: UiError) : Outcome<Nothing>()
}
