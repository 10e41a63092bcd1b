package app.laissez.demo

import app.laissez.CredentialFormat
import app.laissez.FieldVerifier
import app.laissez.FrameOptions
import app.laissez.QrFrame
import app.laissez.QrMessage
import app.laissez.QrMessageKind
import app.laissez.RequestedCredential
import app.laissez.ScanUpdate
import app.laissez.StatusState
import app.laissez.TrustListSummary
import app.laissez.Verdict
import app.laissez.VerdictReason
import app.laissez.VerifierCertificate
import app.laissez.renderQr
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow

/** A disclosed claim, ready to show: label (localized when known) and JSON value. */
data class ShownClaim(val path: String, val label: String, val valueJson: String)

/** One credential's verdict as the field worker sees it: green or red, and why. */
data class VerdictView(
    val valid: Boolean,
    /** Machine-readable; the app maps each to a localized sentence. Empty when valid. */
    val reasons: List<VerdictReason>,
    val issuerName: String?,
    val credentialType: String?,
    val claims: List<ShownClaim>,
    /** Revocation status, or null if the credential has none. */
    val status: StatusState?,
    /** How old the cached status list is, in seconds (null: never imported). */
    val statusAgeSecs: Long?,
    /**
     * A static presentation bound to no verifier: whoever photographed it could show it here
     * within its two-minute window. The screen says "not bound to this verifier" beside it.
     */
    val unbound: Boolean = false,
    /** The holder's photo as the issuer signed it (JPEG), to compare with the person; null if none. */
    val portraitJpeg: ByteArray? = null,
    /**
     * Why a disclosed, signed photo cannot be shown (`not_jpeg_value`, `not_jpeg`,
     * `undecodable`, `too_large`): the screen says "no usable photo". Null when there is none
     * or it is shown.
     */
    val portraitProblem: String? = null,
    /** SD-JWT VC, mdoc, or an identity card's code ([CredentialFormat.CLAIM169]). */
    val format: CredentialFormat = CredentialFormat.SD_JWT,
    /**
     * Nothing proves that the person showing it holds it (an identity card's code: whoever has
     * the card or a photo of it can show it). Beside a valid verdict the screen says
     * "Possession not proven: compare the photo with the person", with the photo large.
     */
    val possessionNotProven: Boolean = false,
) {
    /** An identity card's code (Claim 169), verified by [VerifierViewModel.verifyCard]. */
    val identityCard: Boolean get() = format == CredentialFormat.CLAIM169

    companion object {
        fun of(v: Verdict) = VerdictView(
            valid = v.valid,
            reasons = v.reasons,
            issuerName = v.issuerName,
            credentialType = v.credentialType,
            claims = v.claims.map { ShownClaim(it.path, it.label ?: it.path.substringAfterLast('/'), it.valueJson) },
            status = v.status?.state,
            statusAgeSecs = v.status?.ageSecs,
            unbound = v.unbound,
            portraitJpeg = v.portrait?.jpeg,
            portraitProblem = v.portraitProblem,
            format = v.format,
            possessionNotProven = v.possessionNotProven,
        )
    }
}

/**
 * This verifier's identifier, for its poster or badge: [code] to read out or type, [frame] (the
 * core's QR drawing of it) for holders to scan once. Static presentations bound to it pass here
 * only.
 */
data class VerifierIdCard(val code: String, val frame: QrFrame)

/**
 * The field verifier: trust list, registration certificate, request QR, camera scan of the
 * answer, verdict. A trust list shown as QR codes can be scanned from the same camera screen.
 * With a registration certificate installed ([installCertificate], [registerWith]) its requests
 * are signed and holders see who it is; without one they are unsigned and holders see it as
 * unverified.
 */
class VerifierViewModel(
    private val verifier: FieldVerifier,
    private val scan: ScanSession = ScanSession(),
    private val lang: String = "en",
    private val frameOptions: FrameOptions? = null,
) {
    sealed class State {
        /** No request yet. [error]: e.g. [UiError.NoTrustList] after trying to start. */
        data class Idle(val error: UiError? = null) : State()
        /**
         * Show [frames] to the holder, and point the camera at their answer: [scan] is what it
         * last saw (animated progress, no code, a problem). [certificateReference]: the
         * registration certificate the request is signed with, null when unsigned (or when
         * scanning without a request).
         */
        data class AwaitingAnswer(
            val frames: List<QrFrame>,
            val expiresAt: Long,
            val scan: ScanState = ScanState.Idle,
            val certificateReference: String? = null,
        ) : State()
        data object Verifying : State()
        /** Green when every credential is valid; red otherwise, with the reasons. */
        data class Result(val verdicts: List<VerdictView>) : State() {
            val green: Boolean get() = verdicts.isNotEmpty() && verdicts.all { it.valid }
        }
        /** The scanned answer could not be checked at all (wrong kind of code, trust list gone). */
        data class Failed(val error: UiError) : State()
    }

    /** The trust list in force, and the last import's problem if any. */
    data class Trust(val list: TrustListSummary?, val error: UiError? = null)

    /**
     * This verifier's registration: the installed [certificate] (what it says: organisation,
     * country, purposes, scope, validity, reference, registrar) or null, the request-signing
     * key to give a registrar once [showSigningKey] has run, and the last install's problem.
     */
    data class Registration(
        val certificate: VerifierCertificate?,
        val signingKeyJwk: String? = null,
        val error: UiError? = null,
    )

    private val _state = MutableStateFlow<State>(State.Idle())
    val state: StateFlow<State> = _state.asStateFlow()

    /**
     * The trust-list signer's public JWK, set by the app (configuration or a pasted key): pins
     * the signer when the first list arrives as QR codes. Later lists must come from that signer.
     */
    var firstSignerJwk: String? = null

    private val _trust = MutableStateFlow(Trust(null))
    val trust: StateFlow<Trust> = _trust.asStateFlow()

    private val _registration = MutableStateFlow(Registration(null))
    val registration: StateFlow<Registration> = _registration.asStateFlow()

    /** Reads the installed registration certificate (call when the screen opens). */
    suspend fun refreshRegistration() {
        _registration.value = when (val r = attempt { verifier.registrationCertificate() }) {
            is Outcome.Ok -> _registration.value.copy(certificate = r.value, error = null)
            is Outcome.Failed -> _registration.value.copy(error = r.error)
        }
    }

    /** Shows the request-signing key (a P-256 JWK) for the registrar to certify. */
    suspend fun showSigningKey() {
        _registration.value = when (val r = attempt { verifier.requestSigningKey() }) {
            is Outcome.Ok -> _registration.value.copy(signingKeyJwk = r.value, error = null)
            is Outcome.Failed -> _registration.value.copy(error = r.error)
        }
    }

    /**
     * Installs a registration certificate (the bytes of the registrar's file). A certificate
     * for another verifier's key, expired, damaged or too large ends in
     * [UiError.InvalidCertificate] with the problem, and the installed one stays. Returns
     * whether it was installed.
     */
    suspend fun installCertificate(certificate: ByteArray): Boolean =
        when (val r = attempt { verifier.installCertificate(certificate) }) {
            is Outcome.Ok -> {
                _registration.value = _registration.value.copy(certificate = r.value, error = null)
                true
            }
            is Outcome.Failed -> {
                _registration.value = _registration.value.copy(error = r.error)
                false
            }
        }

    /**
     * Registers with a registrar at hand (the demo's, a test's): gives it this verifier's
     * request-signing key, then installs the certificate it returns. Any failure is a state.
     */
    suspend fun registerWith(certify: suspend (signingKeyJwk: String) -> ByteArray): Boolean =
        when (val r = attempt { certify(verifier.requestSigningKey()) }) {
            is Outcome.Ok -> installCertificate(r.value)
            is Outcome.Failed -> {
                _registration.value = _registration.value.copy(error = r.error)
                false
            }
        }

    private val _verifierId = MutableStateFlow<VerifierIdCard?>(null)
    /** This verifier's identifier to show, once [showVerifierId] has run. */
    val verifierId: StateFlow<VerifierIdCard?> = _verifierId.asStateFlow()

    /**
     * Shows this verifier's identifier as text and as a QR code ([pngScale] pixels a module when
     * set), for holders to bind their static presentations to it.
     */
    suspend fun showVerifierId(pngScale: UInt? = null) {
        when (val r = attempt { verifier.verifierId().let { VerifierIdCard(it, renderQr(it, pngScale)) } }) {
            is Outcome.Ok -> _verifierId.value = r.value
            is Outcome.Failed -> _state.value = State.Failed(r.error)
        }
    }

    /** Reads the trust list in force (call when the screen opens). */
    suspend fun refreshTrust() {
        _trust.value = when (val r = attempt { verifier.trustList() }) {
            is Outcome.Ok -> Trust(r.value)
            is Outcome.Failed -> Trust(null, r.error)
        }
    }

    /** Imports a signed trust list (file text); [signerJwk] pins the signer on first import. */
    suspend fun importTrustList(signedText: String, signerJwk: String? = null) {
        _trust.value = when (val r = attempt { verifier.importTrustList(signedText, signerJwk) }) {
            is Outcome.Ok -> Trust(r.value.list)
            is Outcome.Failed -> _trust.value.copy(error = r.error)
        }
    }

    /** Imports a status list token (while online). Returns false and sets [trust]'s error on failure. */
    suspend fun importStatusList(token: ByteArray): Boolean = when (val r = attempt { verifier.importStatusList(token) }) {
        is Outcome.Ok -> {
            _trust.value = _trust.value.copy(error = null)
            true
        }
        is Outcome.Failed -> {
            _trust.value = _trust.value.copy(error = r.error)
            false
        }
    }

    /**
     * Creates a request and shows its QR frames; the camera then waits for the answer. Signed
     * when a registration certificate is installed; [shortCode] names the certificate by
     * reference only (a smaller code, for holders who answered this verifier before; without
     * a certificate it is [UiError.NoCertificate]). [verifierName] and [purpose] reach holders
     * only as unchecked claims of an unsigned request.
     */
    suspend fun newRequest(
        verifierName: String,
        purpose: String,
        credentials: List<RequestedCredential>,
        ttlSecs: UInt = 300u,
        shortCode: Boolean = false,
    ) {
        scan.interrupt()
        _state.value = when (val r = attempt {
            verifier.createRequest(verifierName, purpose, credentials, ttlSecs, shortCode, frameOptions)
        }) {
            is Outcome.Ok -> State.AwaitingAnswer(r.value.frames, r.value.expiresAt, certificateReference = r.value.certificateReference)
            is Outcome.Failed -> State.Idle(r.error)
        }
    }

    /** Scans without a request: a static presentation, or a trust list. */
    fun scanWithoutRequest() {
        scan.interrupt()
        _state.value = State.AwaitingAnswer(emptyList(), 0)
    }

    /**
     * One camera frame (the Y plane) while awaiting an answer. An identity card's code (a
     * foreign code for which `isIdentityCardCode` holds) is verified as a card ([verifyCard]).
     */
    suspend fun onFrame(frame: LumaFrame) {
        if (_state.value !is State.AwaitingAnswer) return
        var card: String? = null
        val seen = scan.push(frame) { update -> identityCardCodeIn(update)?.let { card = it; ScanState.Idle } ?: logAltered.react(update) }
        val code = card
        if (code != null) verifyCard(code) else handle(seen)
    }

    /** A code decoded elsewhere (tests, a pasted code); an identity card's code as in [onFrame]. */
    suspend fun onText(text: String) {
        if (_state.value !is State.AwaitingAnswer) return
        var card: String? = null
        val seen = scan.pushText(text) { update -> identityCardCodeIn(update)?.let { card = it; ScanState.Idle } ?: logAltered.react(update) }
        val code = card
        if (code != null) verifyCard(code) else handle(seen)
    }

    /**
     * Verifies an identity card's code ([qrText], a Claim 169 code printed on a national ID
     * card) against the trust list's card issuers: the verdict screen, format
     * [CredentialFormat.CLAIM169], with [VerdictView.possessionNotProven] on a valid card and
     * the face as the photo. An unknown issuer, an unsigned or expired card: red with the
     * reasons and no fields. Not a card's code, no trust list: [State.Failed].
     */
    suspend fun verifyCard(qrText: String) {
        scan.interrupt()
        _state.value = State.Verifying
        _state.value = when (val r = attempt { verifier.verifyClaim169(qrText, lang) }) {
            is Outcome.Ok -> State.Result(listOf(VerdictView.of(r.value)))
            is Outcome.Failed -> State.Failed(r.error)
        }
    }

    /**
     * A code the scanner rejects is handed to the core, which logs it as tampered when it still
     * names one of our requests (an answer altered on the way): the screen says so.
     */
    private val logAltered = ScanSession.Reaction { update ->
        if (update !is ScanUpdate.Rejected || update.text.isEmpty()) return@Reaction null
        when (val r = attempt { verifier.logUnreadableAnswer(update.text) }) {
            is Outcome.Ok -> r.value?.let { ScanState.Problem(UiError.AnswerTampered) }
            is Outcome.Failed -> ScanState.Problem(r.error)
        }
    }

    /** Called by a timer while scanning, to drop a stalled animated answer. */
    fun checkStalled() {
        val waiting = _state.value as? State.AwaitingAnswer ?: return
        scan.stalled()?.let { _state.value = waiting.copy(scan = it) }
    }

    /** The field worker pressed "scan again": a half-read answer is dropped. */
    fun restartScan() {
        val waiting = _state.value as? State.AwaitingAnswer ?: return
        _state.value = waiting.copy(scan = scan.interrupt())
    }

    private suspend fun handle(seen: ScanState) {
        val waiting = _state.value as? State.AwaitingAnswer ?: return
        if (seen !is ScanState.Complete) {
            _state.value = waiting.copy(scan = seen)
            return
        }
        verify(seen.message, waiting)
    }

    private suspend fun verify(message: QrMessage, waiting: State.AwaitingAnswer) {
        if (message.kind == QrMessageKind.TRUST_LIST) {
            // A trust list handed over as QR codes: import it and keep scanning.
            _trust.value = when (val r = attempt {
                verifier.importTrustListMessage(message, firstSignerJwk.takeIf { _trust.value.list == null })
            }) {
                is Outcome.Ok -> Trust(r.value.list)
                is Outcome.Failed -> _trust.value.copy(error = r.error)
            }
            _state.value = waiting.copy(scan = ScanState.Idle)
            return
        }
        if (message.kind != QrMessageKind.ENGAGED_RESPONSE && message.kind != QrMessageKind.STATIC_PRESENTATION) {
            _state.value = waiting.copy(scan = ScanState.Problem(UiError.UnexpectedCode(message.kind.name.lowercase())))
            return
        }
        _state.value = State.Verifying
        _state.value = when (val r = attempt { verifier.verify(message, lang) }) {
            is Outcome.Ok -> State.Result(r.value.map(VerdictView::of))
            is Outcome.Failed -> State.Failed(r.error)
        }
    }

    /**
     * Shows [error] on the idle screen: a failure around this verifier that is not one of its
     * own calls (the demo app's second, unregistered desk could not be set up).
     */
    fun showProblem(error: UiError) {
        scan.interrupt()
        _state.value = State.Idle(error)
    }

    /** Back to the start (a new person at the desk). */
    fun done() {
        scan.interrupt()
        _state.value = State.Idle()
    }
}
