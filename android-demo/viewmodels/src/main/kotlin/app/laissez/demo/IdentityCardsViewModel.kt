package app.laissez.demo

import app.laissez.IdentityCard
import app.laissez.IdentityCardIssuer
import app.laissez.QrFrame
import app.laissez.ScanUpdate
import app.laissez.TestCardIssuer
import app.laissez.Wallet
import app.laissez.isIdentityCardCode
import app.laissez.renderQr
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow

/**
 * A kept identity card (a MOSIP Claim 169 code printed on a national ID card), as the list and
 * the card screen show it.
 */
data class CardRow(
    val id: String,
    val fullName: String?,
    val idNumber: String?,
    /** The country of issuance as the card writes it (`KEN`), if any. */
    val country: String?,
    /**
     * Who issued it: [IssuerLine.Trusted] with the name from the wallet's trust list, or
     * [IssuerLine.Unverified] with the issuer the card names itself, shown only as "not
     * checked". Never [IssuerLine.NotAllowed].
     */
    val issuer: IssuerLine,
    val issuedAt: Long?,
    val expiresAt: Long?,
    /** Expired (or not valid yet) by the wallet's clock: the screen says so; verifiers refuse it. */
    val expired: Boolean,
    val hasFace: Boolean,
)

internal fun IdentityCard.toRow() = CardRow(
    id = id,
    fullName = fullName,
    idNumber = idNumber,
    country = country,
    issuer = when (val i = issuer) {
        is IdentityCardIssuer.Trusted -> IssuerLine.Trusted(i.name)
        is IdentityCardIssuer.Unverified -> IssuerLine.Unverified(i.claimedIssuer)
    },
    issuedAt = issuedAt,
    expiresAt = expiresAt,
    expired = outsideValidity,
    hasFace = hasFace,
)

/**
 * The card's face image as the code carries it: [bytes] to decode with the platform's image
 * API, [format] when known (`jpeg`, `png`, `webp` decode on Android; `jpeg2000`, `wsq` and
 * others may not: the screen then says the photo cannot be shown).
 */
class CardFaceImage(val bytes: ByteArray, val format: String?) {
    override fun equals(other: Any?) = other is CardFaceImage && bytes.contentEquals(other.bytes) && format == other.format
    override fun hashCode() = 31 * bytes.contentHashCode() + (format?.hashCode() ?: 0)
    override fun toString() = "CardFaceImage(${bytes.size} bytes, $format)"
}

/** The first text among a foreign code's texts that looks like an identity card's code. */
internal fun identityCardCodeIn(update: ScanUpdate): String? =
    (update as? ScanUpdate.NotLaissez)?.texts?.firstOrNull { isIdentityCardCode(it) }

/**
 * The holder's identity cards: scan a card's code into the wallet (its own camera screen, or
 * the text another scan screen saw: [importCode]), list, the card's screen with its labelled
 * fields, face, issuer and expiry, "Show this card" behind a warning step, delete.
 *
 * A card's code has no holder binding and no selective disclosure: showing it shows every
 * field, and anyone who photographs it can show it too. So the code is drawn only from
 * [State.ConfirmShow] ([confirmShow]), after the screen has said so. Every failure is a state,
 * never an exception.
 */
class IdentityCardsViewModel(
    private val wallet: Wallet,
    private val scan: ScanSession = ScanSession(),
    private val lang: String = "en",
    /** Pixels a module for the PNG of the shown code (null: modules only). */
    private val pngScale: UInt? = null,
) {
    sealed class State {
        data object Loading : State()
        /**
         * The kept cards, oldest first. [error]: the last failed action (an import refused, a
         * card gone). [added]: the card just kept, for "Added" (null otherwise).
         */
        data class List(
            val cards: kotlin.collections.List<CardRow>,
            val error: UiError? = null,
            val added: CardRow? = null,
        ) : State()
        /** Camera open to scan a card. [scan]: what it last saw (a problem: try again). */
        data class Scanning(val scan: ScanState = ScanState.Idle) : State()
        data object Importing : State()
        /**
         * One card's screen: [fields] labelled in the person's language, [face] when it has
         * one. [error]: the last failed action here (the code could not be drawn).
         */
        data class Detail(
            val card: CardRow,
            val fields: kotlin.collections.List<ClaimRow>,
            val face: CardFaceImage?,
            val error: UiError? = null,
        ) : State()
        /**
         * The warning step before the code is shown: "This shows the whole card as issued:
         * every field, no choice of what to share, and anyone who photographs it can show it".
         * [confirmShow] shows it, [cancelShow] goes back to [detail].
         */
        data class ConfirmShow(val detail: Detail) : State()
        /** The card's own code, whole, for a verifier ([frame]); recorded in the history. */
        data class Showing(val detail: Detail, val frame: QrFrame) : State()
        /** The cards cannot be listed at all (wallet locked, file unreadable). */
        data class Failed(val error: UiError) : State()
    }

    private val _state = MutableStateFlow<State>(State.Loading)
    val state: StateFlow<State> = _state.asStateFlow()

    /** Lists the kept cards; [error] and [added] are shown above the list. */
    suspend fun load(error: UiError? = null, added: CardRow? = null) {
        _state.value = when (val r = attempt { wallet.identityCards() }) {
            is Outcome.Ok -> State.List(r.value.map { it.toRow() }, error, added)
            is Outcome.Failed -> State.Failed(r.error)
        }
    }

    /** "Add an identity card": opens the camera. */
    fun startScan() {
        scan.interrupt()
        _state.value = State.Scanning()
    }

    /** One camera frame while [State.Scanning]. */
    suspend fun onFrame(frame: LumaFrame) {
        if (_state.value !is State.Scanning) return
        var card: String? = null
        val seen = scan.push(frame) { update -> identityCardCodeIn(update)?.let { card = it; ScanState.Idle } }
        handle(seen, card)
    }

    /** A code decoded elsewhere while [State.Scanning] (tests, a pasted code). */
    suspend fun onText(text: String) {
        if (_state.value !is State.Scanning) return
        var card: String? = null
        val seen = scan.pushText(text) { update -> identityCardCodeIn(update)?.let { card = it; ScanState.Idle } }
        handle(seen, card)
    }

    /** Called by a timer while scanning (a Laissez animated code half read is dropped). */
    fun checkStalled() {
        if (_state.value !is State.Scanning) return
        scan.stalled()?.let { _state.value = State.Scanning(it) }
    }

    private suspend fun handle(seen: ScanState, card: String?) {
        if (card != null) {
            importCode(card, fromCamera = true)
            return
        }
        _state.value = State.Scanning(
            when (seen) {
                // Another kind of code: a web address, a Laissez request or trust list.
                ScanState.Problem(UiError.NotLaissez), is ScanState.Complete -> ScanState.Problem(UiError.IdentityCard(CardProblem.NOT_A_CARD))
                else -> seen
            },
        )
    }

    /**
     * Keeps the card whose code was scanned ([text]: from this screen's camera, or a foreign
     * code another scan screen saw, see [isIdentityCardCode]). Kept: the list, with the card as
     * [State.List.added]. Refused (damaged, unsigned, encrypted, kept already, locked): from
     * the camera, the camera stays open with the problem; otherwise the list shows it.
     */
    suspend fun importCode(text: String, fromCamera: Boolean = false) {
        if (!isIdentityCardCode(text)) {
            fail(UiError.IdentityCard(CardProblem.NOT_A_CARD), fromCamera)
            return
        }
        _state.value = State.Importing
        when (val r = attempt { wallet.importIdentityCard(text) }) {
            is Outcome.Ok -> load(added = r.value.toRow())
            is Outcome.Failed -> fail(r.error, fromCamera)
        }
    }

    private suspend fun fail(error: UiError, fromCamera: Boolean) {
        if (fromCamera && error != UiError.Locked) {
            scan.interrupt()
            _state.value = State.Scanning(ScanState.Problem(error))
        } else {
            load(error)
        }
    }

    /** Opens a card's screen; a card gone meanwhile goes back to the list with the problem. */
    suspend fun open(id: String) {
        when (val r = attempt { wallet.identityCard(id, lang) }) {
            is Outcome.Ok -> _state.value = State.Detail(
                r.value.card.toRow(),
                r.value.fields.map { ClaimRow(it.path, it.label ?: it.path.substringAfterLast('/'), it.valueJson) },
                r.value.face?.let { CardFaceImage(it.bytes, it.format) },
            )
            is Outcome.Failed -> load(r.error)
        }
    }

    /** "Show this card": the warning step first. Only from the card's screen. */
    fun askToShow() {
        val detail = _state.value as? State.Detail ?: return
        _state.value = State.ConfirmShow(detail.copy(error = null))
    }

    /** The person read the warning and chose to show the card: draws its own code, whole. */
    suspend fun confirmShow() {
        val confirm = _state.value as? State.ConfirmShow ?: return
        val detail = confirm.detail
        when (val r = attempt { wallet.showIdentityCardCode(detail.card.id, pngScale) }) {
            is Outcome.Ok -> _state.value = State.Showing(detail, r.value)
            // A card deleted meanwhile: back to the list with the problem.
            is Outcome.Failed -> if (r.error == NOT_FOUND) load(r.error) else _state.value = detail.copy(error = r.error)
        }
    }

    /** Not now: back to the card's screen, nothing shown. */
    fun cancelShow() {
        val confirm = _state.value as? State.ConfirmShow ?: return
        _state.value = confirm.detail
    }

    /** The verifier has read the code: back to the card's screen. */
    fun closeCode() {
        val showing = _state.value as? State.Showing ?: return
        _state.value = showing.detail
    }

    /** Removes a card from the wallet, then the list. */
    suspend fun delete(id: String) {
        when (val r = attempt { wallet.deleteIdentityCard(id) }) {
            is Outcome.Ok -> load()
            is Outcome.Failed -> load(r.error)
        }
    }

    /** Back to the list from any screen (leaving the camera drops a half-read code). */
    suspend fun back() {
        scan.interrupt()
        load()
    }
}

private val NOT_FOUND = UiError.IdentityCard(CardProblem.NOT_FOUND)

/** A demo card printed by [DemoCardPrinter]: its QR text and the drawing to show. */
data class PrintedCard(val text: String, val frame: QrFrame)

/**
 * Demo only: "print" an identity card on screen, from the demo's [TestCardIssuer] (given when
 * first needed: the demo app's is ready once a wallet has opened, [DemoKeys]), so another phone
 * (or the same one, from a photo) can scan it into a wallet. Real cards come printed from a
 * civil registry.
 */
class DemoCardPrinter(private val issuer: suspend () -> TestCardIssuer, private val pngScale: UInt? = null) {
    constructor(issuer: TestCardIssuer, pngScale: UInt? = null) : this({ issuer }, pngScale)

    sealed class State {
        data object Idle : State()
        data class Printed(val card: PrintedCard) : State()
        data class Failed(val error: UiError) : State()
    }

    private val _state = MutableStateFlow<State>(State.Idle)
    val state: StateFlow<State> = _state.asStateFlow()

    /** A card for [fullName] with [idNumber], valid [validDays] days (0: expired), with [faceJpeg]. */
    suspend fun print(fullName: String, idNumber: String, validDays: UInt = 365u, faceJpeg: ByteArray? = null) {
        _state.value = when (val r = attempt { issuer().card(fullName, idNumber, validDays, faceJpeg).let { PrintedCard(it, renderQr(it, pngScale)) } }) {
            is Outcome.Ok -> State.Printed(r.value)
            is Outcome.Failed -> State.Failed(r.error)
        }
    }

    fun done() {
        _state.value = State.Idle
    }
}
