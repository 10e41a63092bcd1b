package app.laissez.demo.android

import androidx.compose.runtime.Composable
import androidx.compose.ui.res.stringResource
import app.laissez.CertificateProblem
import app.laissez.StatusState
import app.laissez.UnverifiedReason
import app.laissez.VerdictReason
import app.laissez.demo.UiError

/** The one sentence each [UiError] shows, from res/values* (en, fr, ar). */
@Composable
fun UiError.text(): String = when (this) {
    is UiError.WrongPin -> stringResource(R.string.error_wrong_pin, attemptsLeft)
    is UiError.PinLockedOut -> stringResource(R.string.error_locked_out, retryAfterSecs.toInt())
    UiError.InvalidPin -> stringResource(R.string.error_invalid_pin)
    UiError.PinMismatch -> stringResource(R.string.error_pin_mismatch)
    is UiError.InvalidMnemonic ->
        wordPosition?.let { stringResource(R.string.error_invalid_mnemonic_at, it) }
            ?: stringResource(R.string.error_invalid_mnemonic)
    UiError.MnemonicMismatch -> stringResource(R.string.error_mnemonic_mismatch)
    is UiError.WordsDoNotMatch -> stringResource(R.string.error_words_do_not_match)
    UiError.PlatformKeyUnavailable -> stringResource(R.string.error_platform_key)
    UiError.NoHardwareKey -> stringResource(R.string.error_no_hardware_key)
    UiError.Locked -> stringResource(R.string.error_locked)
    UiError.NoWallet -> stringResource(R.string.error_no_wallet)
    UiError.WalletExists -> stringResource(R.string.error_wallet_exists)
    UiError.NotAWallet -> stringResource(R.string.error_not_a_wallet)
    UiError.NoQrCode -> stringResource(R.string.error_no_qr)
    UiError.NotLaissez -> stringResource(R.string.error_not_laissez)
    UiError.DamagedCode -> stringResource(R.string.error_damaged_code)
    UiError.TransferInterrupted -> stringResource(R.string.error_transfer_interrupted)
    is UiError.UnexpectedCode -> stringResource(R.string.error_unexpected_code)
    UiError.BadCameraFrame -> stringResource(R.string.error_bad_camera_frame)
    is UiError.NotARequest -> stringResource(R.string.error_not_a_request)
    UiError.MalformedRequest -> stringResource(R.string.error_malformed_request)
    UiError.RequestExpired -> stringResource(R.string.error_request_expired)
    is UiError.MissingClaims -> stringResource(R.string.error_missing_claims)
    UiError.NothingConsented -> stringResource(R.string.error_nothing_consented)
    UiError.UnverifiedNotAcknowledged -> stringResource(R.string.error_unverified_not_acknowledged)
    is UiError.BeyondScope -> stringResource(R.string.error_beyond_scope, claim)
    is UiError.NotRequested -> stringResource(R.string.error_not_requested, claim)
    UiError.CredentialNotFound -> stringResource(R.string.error_credential_not_found)
    is UiError.CredentialUnusable -> stringResource(R.string.error_credential_unusable)
    is UiError.CredentialRejected -> stringResource(R.string.error_credential_rejected)
    UiError.AlreadyImported -> stringResource(R.string.error_already_imported)
    UiError.NoTrustList -> stringResource(R.string.error_no_trust_list)
    UiError.TrustListExpired -> stringResource(R.string.error_trust_list_expired)
    is UiError.TrustListRejected -> stringResource(R.string.error_trust_list_rejected)
    UiError.SignerChanged -> stringResource(R.string.error_signer_changed)
    UiError.NoPinnedSigner -> stringResource(R.string.error_no_pinned_signer)
    is UiError.StatusListRejected -> stringResource(R.string.error_status_list_rejected)
    UiError.NoOpenRequest -> stringResource(R.string.error_no_open_request)
    UiError.VerifierTampered -> stringResource(R.string.error_verifier_tampered)
    UiError.AnswerTampered -> stringResource(R.string.error_answer_tampered)
    UiError.NotAVerifierId -> stringResource(R.string.error_not_a_verifier_id)
    is UiError.InvalidCertificate -> stringResource(R.string.error_invalid_certificate, problem.text())
    UiError.NoCertificate -> stringResource(R.string.error_no_certificate)
    UiError.NotABackup -> stringResource(R.string.error_not_a_backup)
    UiError.BackupDamaged -> stringResource(R.string.error_backup_damaged)
    UiError.BackupFromNewerVersion -> stringResource(R.string.error_backup_newer)
    UiError.BackupOfOtherWallet -> stringResource(R.string.error_backup_other_wallet)
    UiError.OfferExpired -> stringResource(R.string.error_offer_expired)
    UiError.OfferNotGenuine -> stringResource(R.string.error_offer_not_genuine)
    UiError.NoPendingOffer -> stringResource(R.string.error_no_pending_offer)
    UiError.BatchRejected -> stringResource(R.string.error_batch_rejected)
    UiError.ProofRejected -> stringResource(R.string.error_proof_rejected)
    UiError.NoCopiesLeft -> stringResource(R.string.error_no_copies_left)
    UiError.IssuerTrustTampered -> stringResource(R.string.error_issuer_trust_tampered)
    UiError.DeskRefused -> stringResource(R.string.error_desk_refused)
    is UiError.IdentityCard -> problem.text()
    is UiError.Unexpected -> stringResource(R.string.error_unexpected, type)
}

/** Why the wallet could not verify a verifier, in plain words for the person. */
@Composable
fun UnverifiedReason.text(): String = stringResource(
    when (this) {
        UnverifiedReason.NO_CERTIFICATE -> R.string.unverified_reason_no_certificate
        UnverifiedReason.UNKNOWN_REGISTRAR -> R.string.unverified_reason_unknown_registrar
        UnverifiedReason.EXPIRED -> R.string.unverified_reason_expired
        UnverifiedReason.NOT_YET_VALID -> R.string.unverified_reason_not_yet_valid
        UnverifiedReason.BAD_SIGNATURE -> R.string.unverified_reason_bad_signature
        UnverifiedReason.CERTIFICATE_FOR_ANOTHER_KEY -> R.string.unverified_reason_certificate_for_another_key
        UnverifiedReason.MALFORMED_CERTIFICATE -> R.string.unverified_reason_malformed_certificate
        UnverifiedReason.NO_VERIFIER_TRUST_LIST -> R.string.unverified_reason_no_verifier_trust_list
    },
)

/** Why the verifier refused a registration certificate, for the field worker. */
@Composable
fun CertificateProblem.text(): String = stringResource(
    when (this) {
        CertificateProblem.FOR_ANOTHER_KEY -> R.string.certificate_problem_for_another_key
        CertificateProblem.EXPIRED -> R.string.certificate_problem_expired
        CertificateProblem.MALFORMED -> R.string.certificate_problem_malformed
        CertificateProblem.TOO_LARGE -> R.string.certificate_problem_too_large
        CertificateProblem.UNSUPPORTED_ALGORITHM -> R.string.certificate_problem_unsupported_algorithm
    },
)

/** A verdict reason as a sentence for the field worker. */
@Composable
fun VerdictReason.text(): String = stringResource(
    when (this) {
        VerdictReason.MALFORMED -> R.string.reason_malformed
        VerdictReason.TOO_LARGE -> R.string.reason_too_large
        VerdictReason.UNSUPPORTED_ALGORITHM -> R.string.reason_unsupported_algorithm
        VerdictReason.BAD_ISSUER_SIGNATURE -> R.string.reason_bad_issuer_signature
        VerdictReason.UNKNOWN_ISSUER -> R.string.reason_unknown_issuer
        VerdictReason.UNTRUSTED_CHAIN -> R.string.reason_untrusted_chain
        VerdictReason.ISSUER_NOT_ALLOWED -> R.string.reason_issuer_not_allowed
        VerdictReason.ISSUER_NAME_MISMATCH -> R.string.reason_issuer_name_mismatch
        VerdictReason.DIGEST_MISMATCH -> R.string.reason_digest_mismatch
        VerdictReason.EXPIRED -> R.string.reason_expired
        VerdictReason.NOT_YET_VALID -> R.string.reason_not_yet_valid
        VerdictReason.BAD_HOLDER_SIGNATURE -> R.string.reason_bad_holder_signature
        VerdictReason.MISSING_HOLDER_BINDING -> R.string.reason_missing_holder_binding
        VerdictReason.WRONG_NONCE -> R.string.reason_wrong_nonce
        VerdictReason.WRONG_AUDIENCE -> R.string.reason_wrong_audience
        VerdictReason.STALE_PRESENTATION -> R.string.reason_stale_presentation
        VerdictReason.WRONG_CREDENTIAL_TYPE -> R.string.reason_wrong_credential_type
        VerdictReason.REVOKED -> R.string.reason_revoked
        VerdictReason.SUSPENDED -> R.string.reason_suspended
        VerdictReason.REPLAY -> R.string.reason_replay
        VerdictReason.WRONG_REQUEST -> R.string.reason_wrong_request
        VerdictReason.TAMPERED -> R.string.reason_tampered
        VerdictReason.OTHER -> R.string.reason_other
    },
)

@Composable
fun StatusState.text(): String = stringResource(
    when (this) {
        StatusState.VALID -> R.string.status_valid
        StatusState.REVOKED -> R.string.status_revoked
        StatusState.SUSPENDED -> R.string.status_suspended
        StatusState.UNKNOWN -> R.string.status_unknown
        StatusState.STALE -> R.string.status_stale
    },
)
