package app.laissez.demo.android

import android.graphics.BitmapFactory
import androidx.compose.foundation.Image
import androidx.compose.foundation.clickable
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.remember
import androidx.compose.ui.Modifier
import androidx.compose.ui.graphics.asImageBitmap
import androidx.compose.ui.layout.ContentScale
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.text.font.FontWeight
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import app.laissez.demo.CardFaceImage
import app.laissez.demo.CardProblem
import app.laissez.demo.CardRow
import app.laissez.demo.DemoCardPrinter
import app.laissez.demo.IdentityCardsViewModel
import app.laissez.demo.IssuerLine
import app.laissez.demo.LumaFrame
import app.laissez.demo.VerdictView
import kotlinx.coroutines.delay

/**
 * Identity cards (MOSIP Claim 169 codes printed on national ID cards, issue 16): the holder's
 * rows, card screen, the warning step before showing a card's code, the shown code; the
 * verifier's "possession not proven" line and the card's photo; the demo's printed card.
 * Every composable here takes a view model's state and callbacks; [IdentityCards] binds them
 * to an [IdentityCardsViewModel] through [DemoViewModel.launchWork].
 */

/**
 * The one sentence each [CardProblem] shows (en, fr, ar). Texts.kt's `UiError.text()` calls it:
 * `is UiError.IdentityCard -> problem.text()`.
 */
@Composable
fun CardProblem.text(): String = stringResource(
    when (this) {
        CardProblem.NOT_A_CARD -> R.string.card_problem_not_a_card
        CardProblem.UNREADABLE -> R.string.card_problem_unreadable
        CardProblem.UNSIGNED -> R.string.card_problem_unsigned
        CardProblem.ENCRYPTED -> R.string.card_problem_encrypted
        CardProblem.ALREADY_KEPT -> R.string.card_problem_already_kept
        CardProblem.NOT_FOUND -> R.string.card_problem_not_found
        CardProblem.CANNOT_DRAW -> R.string.card_problem_cannot_draw
        CardProblem.BUSY -> R.string.card_problem_busy
        CardProblem.INVALID_INPUT -> R.string.card_problem_invalid_input
        CardProblem.STORAGE -> R.string.card_problem_storage
        CardProblem.INTERNAL -> R.string.card_problem_internal
    },
)

/** What the person can do on the card screens; each is a view-model call. */
class IdentityCardActions(
    val onAdd: () -> Unit,
    val onFrame: suspend (LumaFrame) -> Unit,
    val onCheckStalled: () -> Unit,
    val onOpen: (id: String) -> Unit,
    val onAskToShow: () -> Unit,
    val onConfirmShow: () -> Unit,
    val onCancelShow: () -> Unit,
    val onCloseCode: () -> Unit,
    val onDelete: (id: String) -> Unit,
    val onBack: () -> Unit,
)

/** Binds [IdentityCardScreen] to [vm]: its state, and its actions on the demo's scope. */
@Composable
fun IdentityCards(demo: DemoViewModel, vm: IdentityCardsViewModel) {
    val state by vm.state.collectAsStateWithLifecycle()
    val actions = remember(vm) {
        IdentityCardActions(
            onAdd = vm::startScan,
            onFrame = vm::onFrame,
            onCheckStalled = vm::checkStalled,
            onOpen = { id -> demo.launchWork { vm.open(id) } },
            onAskToShow = vm::askToShow,
            onConfirmShow = { demo.launchWork { vm.confirmShow() } },
            onCancelShow = vm::cancelShow,
            onCloseCode = vm::closeCode,
            onDelete = { id -> demo.launchWork { vm.delete(id) } },
            onBack = { demo.launchWork { vm.back() } },
        )
    }
    IdentityCardScreen(state, actions)
}

/** Every state of the holder's identity cards. */
@Composable
fun IdentityCardScreen(state: IdentityCardsViewModel.State, actions: IdentityCardActions) {
    when (state) {
        IdentityCardsViewModel.State.Loading, IdentityCardsViewModel.State.Importing -> Busy()
        is IdentityCardsViewModel.State.List -> IdentityCardList(state, actions)
        is IdentityCardsViewModel.State.Scanning -> CardScan(state, actions)
        is IdentityCardsViewModel.State.Detail -> CardDetail(state, actions)
        is IdentityCardsViewModel.State.ConfirmShow -> CardShowWarning(state, actions)
        is IdentityCardsViewModel.State.Showing -> CardCode(state, actions)
        is IdentityCardsViewModel.State.Failed -> ErrorLine(state.error)
    }
}

/** The cards, beside the credentials: "Added", the last problem, one row a card, "Add". */
@Composable
fun IdentityCardList(state: IdentityCardsViewModel.State.List, actions: IdentityCardActions) {
    Column(Modifier.fillMaxWidth(), verticalArrangement = Arrangement.spacedBy(8.dp)) {
        Text(stringResource(R.string.cards_title), style = MaterialTheme.typography.titleLarge)
        state.added?.let { Text(stringResource(R.string.card_added, it.fullName ?: stringResource(R.string.card_unnamed))) }
        ErrorLine(state.error)
        if (state.cards.isEmpty()) Text(stringResource(R.string.no_cards))
        for (card in state.cards) IdentityCardRow(card, onClick = { actions.onOpen(card.id) })
        Button(onClick = actions.onAdd) { Text(stringResource(R.string.add_card)) }
    }
}

/** One card in a list: name, number, issuer (trusted name or "Unverified issuer"), expiry. */
@Composable
fun IdentityCardRow(card: CardRow, onClick: () -> Unit) {
    Column(Modifier.fillMaxWidth().clickable(onClick = onClick).padding(8.dp)) {
        Text(card.fullName ?: stringResource(R.string.card_unnamed), style = MaterialTheme.typography.titleMedium)
        card.idNumber?.let { Text(stringResource(R.string.card_id_number, it)) }
        CardIssuerText(card.issuer)
        CardValidity(card)
    }
}

/**
 * Who issued the card: "Issued by <name>" from the wallet's trust list, or "Unverified issuer"
 * with the issuer the card names itself marked "not checked".
 */
@Composable
fun CardIssuerText(issuer: IssuerLine) {
    when (issuer) {
        is IssuerLine.Trusted -> Text(stringResource(R.string.issued_by, issuer.name))
        is IssuerLine.NotAllowed -> Text(stringResource(R.string.issuer_not_trusted_for_type, issuer.name), color = MaterialTheme.colorScheme.error)
        is IssuerLine.Unverified -> {
            Text(stringResource(R.string.unverified_issuer), color = MaterialTheme.colorScheme.error)
            issuer.claimedName?.let { Text(stringResource(R.string.issuer_claims_to_be, it)) }
        }
    }
}

/** "Expires <date>", or the warning that the card has expired. */
@Composable
fun CardValidity(card: CardRow) {
    if (card.expired) {
        Text(stringResource(R.string.card_expired), color = MaterialTheme.colorScheme.error)
    }
    card.expiresAt?.let { Text(stringResource(R.string.card_expires, formatDate(it))) }
}

/** The camera on a card's printed code, with what it last saw. */
@Composable
fun CardScan(state: IdentityCardsViewModel.State.Scanning, actions: IdentityCardActions) {
    LaunchedEffect(actions) {
        while (true) {
            delay(1_000)
            actions.onCheckStalled()
        }
    }
    Column(Modifier.fillMaxWidth(), verticalArrangement = Arrangement.spacedBy(8.dp)) {
        Text(stringResource(R.string.card_scan_hint))
        CameraScanner(onFrame = actions.onFrame)
        ScanStatus(state.scan)
        OutlinedButton(onClick = actions.onBack) { Text(stringResource(R.string.cancel)) }
    }
}

/** A card's screen: face, name, issuer, dates, every labelled field; show, delete, back. */
@Composable
fun CardDetail(state: IdentityCardsViewModel.State.Detail, actions: IdentityCardActions) {
    Column(
        Modifier.fillMaxWidth().verticalScroll(rememberScrollState()),
        verticalArrangement = Arrangement.spacedBy(8.dp),
    ) {
        state.face?.let { CardFace(it) }
        Text(state.card.fullName ?: stringResource(R.string.card_unnamed), style = MaterialTheme.typography.titleLarge)
        CardIssuerText(state.card.issuer)
        state.card.country?.let { Text(stringResource(R.string.card_country, it)) }
        state.card.issuedAt?.let { Text(stringResource(R.string.card_issued, formatDate(it))) }
        CardValidity(state.card)
        for (field in state.fields) {
            Text(field.label, style = MaterialTheme.typography.labelMedium)
            Text(field.valueJson.trim('"'), style = MaterialTheme.typography.bodyLarge)
        }
        ErrorLine(state.error)
        Button(onClick = actions.onAskToShow) { Text(stringResource(R.string.card_show)) }
        Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            OutlinedButton(onClick = actions.onBack) { Text(stringResource(R.string.back)) }
            OutlinedButton(onClick = { actions.onDelete(state.card.id) }) { Text(stringResource(R.string.delete)) }
        }
    }
}

/** The card's face as printed, or why it cannot be shown on this phone (JPEG 2000, WSQ...). */
@Composable
fun CardFace(face: CardFaceImage) {
    val bitmap = remember(face) { BitmapFactory.decodeByteArray(face.bytes, 0, face.bytes.size)?.asImageBitmap() }
    if (bitmap != null) {
        Image(
            bitmap = bitmap,
            contentDescription = stringResource(R.string.card_face),
            contentScale = ContentScale.Fit,
            modifier = Modifier.fillMaxWidth(0.5f),
        )
    } else {
        Text(stringResource(R.string.card_face_unusable, face.format ?: "?"), color = MaterialTheme.colorScheme.error)
    }
}

/** The warning step: said plainly before the whole card is shown; "Show" or "Cancel". */
@Composable
fun CardShowWarning(state: IdentityCardsViewModel.State.ConfirmShow, actions: IdentityCardActions) {
    Column(Modifier.fillMaxWidth(), verticalArrangement = Arrangement.spacedBy(12.dp)) {
        Text(state.detail.card.fullName ?: stringResource(R.string.card_unnamed), style = MaterialTheme.typography.titleLarge)
        Text(
            stringResource(R.string.card_show_warning),
            style = MaterialTheme.typography.bodyLarge,
            fontWeight = FontWeight.Bold,
            color = MaterialTheme.colorScheme.error,
        )
        Button(onClick = actions.onConfirmShow) { Text(stringResource(R.string.card_show_confirm)) }
        OutlinedButton(onClick = actions.onCancelShow) { Text(stringResource(R.string.cancel)) }
    }
}

/** The card's own code, at full brightness, until the verifier has read it. */
@Composable
fun CardCode(state: IdentityCardsViewModel.State.Showing, actions: IdentityCardActions) {
    FullBrightness()
    Column(Modifier.fillMaxWidth(), verticalArrangement = Arrangement.spacedBy(8.dp)) {
        Text(stringResource(R.string.card_shown_hint))
        QrImage(state.frame, stringResource(R.string.qr_description))
        Button(onClick = actions.onCloseCode) { Text(stringResource(R.string.done)) }
    }
}

/**
 * Above an identity card's verdict (`v.identityCard`): "Identity card", the card's photo large
 * (the whole width), and on a valid card "Possession not proven: compare the photo with the
 * person". VerifierScreens.kt's VerdictCard shows it instead of its half-width photo.
 */
@Composable
fun CardVerdictHeader(v: VerdictView) {
    val photo = remember(v.portraitJpeg) {
        v.portraitJpeg?.let { BitmapFactory.decodeByteArray(it, 0, it.size)?.asImageBitmap() }
    }
    Column(Modifier.fillMaxWidth(), verticalArrangement = Arrangement.spacedBy(8.dp)) {
        Text(stringResource(R.string.card_verdict_kind), style = MaterialTheme.typography.titleMedium)
        if (v.valid && v.possessionNotProven) PossessionNotProven()
        // The core reports a face it cannot show as JPEG; a phone that cannot decode it says so too.
        val problem = v.portraitProblem ?: if (v.portraitJpeg != null && photo == null) "undecodable" else null
        problem?.let { Text(stringResource(R.string.photo_unusable, it), color = MaterialTheme.colorScheme.error) }
        if (photo != null) {
            Image(
                bitmap = photo,
                contentDescription = stringResource(R.string.card_face),
                contentScale = ContentScale.Fit,
                modifier = Modifier.fillMaxWidth(),
            )
        }
    }
}

/** The verifier's line beside a valid card: the code proves the card, not who shows it. */
@Composable
fun PossessionNotProven() {
    Text(
        stringResource(R.string.possession_not_proven),
        style = MaterialTheme.typography.titleMedium,
        fontWeight = FontWeight.Bold,
        color = MaterialTheme.colorScheme.error,
    )
}

/** Demo: "print a card" from the demo card issuer (kept in the wallets, DemoKeys), shown as its QR code to scan. */
@Composable
fun DemoPrintedCard(state: DemoCardPrinter.State, onPrint: () -> Unit, onDone: () -> Unit) {
    when (state) {
        DemoCardPrinter.State.Idle -> OutlinedButton(onClick = onPrint) { Text(stringResource(R.string.demo_print_card)) }
        is DemoCardPrinter.State.Printed -> Column(verticalArrangement = Arrangement.spacedBy(8.dp)) {
            FullBrightness()
            Text(stringResource(R.string.demo_printed_card))
            QrImage(state.card.frame, stringResource(R.string.qr_description))
            Button(onClick = onDone) { Text(stringResource(R.string.done)) }
        }
        is DemoCardPrinter.State.Failed -> Column {
            ErrorLine(state.error)
            OutlinedButton(onClick = onPrint) { Text(stringResource(R.string.demo_print_card)) }
        }
    }
}
