package app.laissez.demo.android

import androidx.compose.foundation.clickable
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.ButtonDefaults
import androidx.compose.material3.LinearProgressIndicator
import androidx.compose.material3.LocalTextStyle
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Switch
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.DisposableEffect
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.key
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.text.TextStyle
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import app.laissez.VerifierIdentity
import app.laissez.Wallet
import app.laissez.demo.ConsentClaim
import app.laissez.demo.ConsentViewModel
import app.laissez.demo.CopiesWarning
import app.laissez.demo.CredentialRow
import app.laissez.demo.CredentialsViewModel
import app.laissez.demo.HistoryRow
import app.laissez.demo.HistoryViewModel
import app.laissez.demo.IdentityCardsViewModel
import app.laissez.demo.IssuerLine
import app.laissez.demo.ResponseDisplayViewModel
import app.laissez.demo.ScanState
import app.laissez.demo.StaticPresentationViewModel
import java.text.DateFormat
import java.util.Date
import kotlinx.coroutines.delay

/** The holder's screens once the wallet is open. */
@Composable
fun HolderScreens(demo: DemoViewModel, wallet: Wallet) {
    val screen by demo.holderScreen.collectAsStateWithLifecycle()
    when (val s = screen) {
        DemoViewModel.HolderScreen.Credentials -> {
            // The cards' list sits on the credentials page; a card's own screens take the page.
            val cards = demo.identityCards(wallet)
            val cardState by cards.state.collectAsStateWithLifecycle()
            when (cardState) {
                IdentityCardsViewModel.State.Loading, is IdentityCardsViewModel.State.List,
                is IdentityCardsViewModel.State.Failed -> Credentials(demo, wallet, demo.credentials(wallet), cards)
                else -> Column(Modifier.fillMaxWidth().padding(16.dp)) { IdentityCards(demo, cards) }
            }
        }
        is DemoViewModel.HolderScreen.Consent -> Consent(demo, s.vm)
        is DemoViewModel.HolderScreen.Response -> Response(demo, s.vm, s.backup)
        is DemoViewModel.HolderScreen.History -> History(demo, s.vm)
        is DemoViewModel.HolderScreen.Static -> StaticPresentation(demo, s.vm)
        is DemoViewModel.HolderScreen.Issuance -> IssuanceScreen(demo, s.vm)
        is DemoViewModel.HolderScreen.Settings -> SettingsScreen(demo, wallet, s.vm)
    }
}

fun formatDate(epochSecs: Long): String = DateFormat.getDateInstance(DateFormat.MEDIUM).format(Date(epochSecs * 1000))

@Composable
private fun Credentials(demo: DemoViewModel, wallet: Wallet, vm: CredentialsViewModel, cards: IdentityCardsViewModel) {
    val state by vm.state.collectAsStateWithLifecycle()
    // One scrolling column: at the largest font scale the buttons alone fill a small screen.
    Column(
        Modifier.fillMaxWidth().verticalScroll(rememberScrollState()).padding(16.dp),
        verticalArrangement = Arrangement.spacedBy(8.dp),
    ) {
        Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            Button(onClick = { demo.scanRequest(wallet) }) { Text(stringResource(R.string.scan_request)) }
            OutlinedButton(onClick = { demo.showHistory(wallet) }) { Text(stringResource(R.string.history)) }
        }
        OutlinedButton(onClick = { demo.showBackup(wallet) }) { Text(stringResource(R.string.backup_to_phone)) }
        SettingsButton { demo.showSettings(wallet) }
        when (val s = state) {
            CredentialsViewModel.State.Loading -> Busy()
            is CredentialsViewModel.State.List -> {
                ErrorLine(s.error)
                // Also on each credential's detail; here the person chooses the credential next.
                if (s.rows.isNotEmpty()) {
                    OutlinedButton(onClick = { demo.showStatic(wallet) }) { Text(stringResource(R.string.show_without_request)) }
                }
                Button(onClick = { demo.addFromDesk(wallet) }) { Text(stringResource(R.string.add_from_desk)) }
                OutlinedButton(onClick = { demo.addDemoCredential(wallet) }) { Text(stringResource(R.string.add_demo_credential)) }
                OutlinedButton(onClick = { demo.trustDemoVerifiers(wallet) }) { Text(stringResource(R.string.trust_demo_verifiers)) }
                IdentityCards(demo, cards)
                if (s.rows.isEmpty()) Text(stringResource(R.string.no_credentials))
                // The setting matters only for batches of one-time copies.
                if (s.rows.any { it.copiesTotal > 1 }) {
                    ReuseLastCopy(s.reuseLastCopy) { on -> demo.launchWork { vm.setReuseLastCopy(on) } }
                }
                // A wallet holds a handful of credentials: plain rows in the scrolling column.
                for (row in s.rows) {
                    key(row.id) {
                        Column(Modifier.fillMaxWidth().clickable { demo.launchWork { vm.open(row.id) } }.padding(8.dp)) {
                            Text(row.title, style = MaterialTheme.typography.titleMedium)
                            IssuerText(row.issuer)
                            row.validUntil?.let { Text(stringResource(R.string.valid_until, formatDate(it))) }
                            Copies(row)
                        }
                    }
                }
            }
            is CredentialsViewModel.State.Detail -> {
                Text(s.row.title, style = MaterialTheme.typography.titleLarge)
                IssuerText(s.row.issuer)
                Copies(s.row)
                for (claim in s.claims) {
                    Text(claim.label, style = MaterialTheme.typography.labelMedium)
                    Text(claim.valueJson.trim('"'), style = MaterialTheme.typography.bodyLarge)
                }
                Button(onClick = { demo.showStatic(wallet, s.row.id) }) { Text(stringResource(R.string.show_without_request)) }
                if (s.confirmingDelete) {
                    // Deleting cannot be undone: one more explicit step.
                    Text(stringResource(R.string.delete_credential_confirm), color = MaterialTheme.colorScheme.error)
                    Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                        Button(
                            onClick = { demo.launchWork { vm.confirmDelete() } },
                            colors = ButtonDefaults.buttonColors(containerColor = MaterialTheme.colorScheme.error),
                        ) { Text(stringResource(R.string.delete)) }
                        OutlinedButton(onClick = vm::cancelDelete) { Text(stringResource(R.string.cancel)) }
                    }
                } else {
                    Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                        OutlinedButton(onClick = { demo.launchWork { vm.load() } }) { Text(stringResource(R.string.back)) }
                        OutlinedButton(onClick = vm::askDelete) { Text(stringResource(R.string.delete)) }
                    }
                }
            }
            is CredentialsViewModel.State.Failed -> ErrorLine(s.error)
        }
    }
}

/** "N of M copies left" for a batch, and the warning when few or none are left. */
/**
 * Who issued a credential: the trusted name, or "Unverified issuer" with the name the
 * credential gives itself marked as its claim (never shown as the issuer's name).
 */
@Composable
private fun IssuerText(issuer: IssuerLine, style: TextStyle = LocalTextStyle.current) {
    when (issuer) {
        is IssuerLine.Trusted -> Text(stringResource(R.string.issued_by, issuer.name), style = style)
        is IssuerLine.NotAllowed -> Text(
            stringResource(R.string.issuer_not_trusted_for_type, issuer.name),
            style = style,
            color = MaterialTheme.colorScheme.error,
        )
        is IssuerLine.Unverified -> {
            Text(stringResource(R.string.unverified_issuer), style = style, color = MaterialTheme.colorScheme.error)
            issuer.claimedName?.let { Text(stringResource(R.string.issuer_claims_to_be, it), style = style) }
        }
    }
}

@Composable
private fun Copies(row: CredentialRow) {
    if (row.copiesTotal > 1) Text(stringResource(R.string.copies_left, row.copiesLeft, row.copiesTotal))
    when (row.copiesWarning) {
        CopiesWarning.LOW -> Text(stringResource(R.string.copies_low), color = MaterialTheme.colorScheme.error)
        CopiesWarning.NONE_LEFT -> Text(stringResource(R.string.copies_none), color = MaterialTheme.colorScheme.error)
        null -> Unit
    }
}

/** The wallet-wide switch: present the last copy again once the others are used (linkable). */
@Composable
private fun ReuseLastCopy(enabled: Boolean, onChange: (Boolean) -> Unit) {
    Row(Modifier.fillMaxWidth(), verticalAlignment = Alignment.CenterVertically) {
        Column(Modifier.weight(1f)) {
            Text(stringResource(R.string.reuse_last_copy))
            Text(stringResource(R.string.reuse_last_copy_explain), style = MaterialTheme.typography.bodySmall)
        }
        Switch(checked = enabled, onCheckedChange = onChange)
    }
}

/** What the camera sees: a hint, a progress bar for animated codes, or a problem. */
@Composable
fun ScanStatus(scan: ScanState) {
    when (scan) {
        ScanState.Idle, ScanState.NoCode, is ScanState.Complete -> Text(stringResource(R.string.scan_hint))
        is ScanState.Progress -> {
            Text(stringResource(R.string.scan_progress, scan.useful, scan.needed))
            LinearProgressIndicator(progress = { scan.fraction }, modifier = Modifier.fillMaxWidth())
        }
        is ScanState.Problem -> ErrorLine(scan.error)
    }
}

@Composable
private fun Consent(demo: DemoViewModel, vm: ConsentViewModel) {
    val state by vm.state.collectAsStateWithLifecycle()
    // The review scrolls (at the largest font scale its claims and buttons pass the screen's
    // end); the camera view keeps its fixed place.
    val scroll = rememberScrollState()
    val scrolling = if (state is ConsentViewModel.State.Scanning) Modifier else Modifier.verticalScroll(scroll)
    Column(Modifier.fillMaxWidth().then(scrolling).padding(16.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
        when (val s = state) {
            is ConsentViewModel.State.Scanning -> {
                LaunchedEffect(vm) {
                    while (true) {
                        delay(1_000)
                        vm.checkStalled()
                    }
                }
                CameraScanner(onFrame = vm::onFrame)
                ScanStatus(s.scan)
                OutlinedButton(onClick = demo::showCredentials) { Text(stringResource(R.string.back)) }
            }
            ConsentViewModel.State.Reading, ConsentViewModel.State.Responding -> Busy()
            is ConsentViewModel.State.Review -> {
                VerifierHeader(s.verifier)
                if (s.unavailable.isNotEmpty()) Text(stringResource(R.string.unavailable_types, s.unavailable.joinToString()))
                for (item in s.items) {
                    IssuerText(item.issuer, MaterialTheme.typography.labelMedium)
                    for (claim in item.claims) ConsentClaimRow(claim) { vm.toggle(item.credentialId, claim.path) }
                }
                ErrorLine(s.error)
                Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                    Button(onClick = { demo.launchWork { vm.respond() } }) { Text(stringResource(R.string.share)) }
                    OutlinedButton(onClick = vm::decline) { Text(stringResource(R.string.decline)) }
                }
            }
            // The extra step for an unverified verifier: the warning again, then an explicit choice.
            is ConsentViewModel.State.ConfirmUnverified -> {
                Text(stringResource(R.string.share_anyway_title), style = MaterialTheme.typography.titleLarge)
                (s.review.verifier as? VerifierIdentity.Unverified)?.let { UnverifiedWarning(it) }
                val shared = s.review.items.flatMap { item -> item.claims.filter { it.selected }.map { it.label } }
                Text(stringResource(R.string.static_shows, shared.joinToString()))
                Button(
                    onClick = { demo.launchWork { vm.shareAnyway() } },
                    colors = ButtonDefaults.buttonColors(containerColor = MaterialTheme.colorScheme.error),
                ) { Text(stringResource(R.string.share_anyway)) }
                Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                    OutlinedButton(onClick = vm::cancelShareAnyway) { Text(stringResource(R.string.back)) }
                    OutlinedButton(onClick = vm::decline) { Text(stringResource(R.string.decline)) }
                }
            }
            is ConsentViewModel.State.Response -> LaunchedEffect(s) { demo.showResponse(s.frames) }
            is ConsentViewModel.State.Failed -> {
                ErrorLine(s.error)
                Button(onClick = vm::scanAgain) { Text(stringResource(R.string.scan_again)) }
                OutlinedButton(onClick = demo::showCredentials) { Text(stringResource(R.string.back)) }
            }
            ConsentViewModel.State.Declined -> {
                Text(stringResource(R.string.declined))
                Button(onClick = demo::showCredentials) { Text(stringResource(R.string.done)) }
            }
        }
    }
}

/**
 * One claim of the consent: its label, required/optional, "not in this verifier's registration"
 * when beyond the scope (off until switched on), and the photo warning when it is on.
 */
@Composable
private fun ConsentClaimRow(claim: ConsentClaim, onToggle: () -> Unit) {
    Row(Modifier.fillMaxWidth(), verticalAlignment = Alignment.CenterVertically) {
        Column(Modifier.weight(1f)) {
            Text(claim.label)
            Text(
                stringResource(
                    when {
                        !claim.available -> R.string.not_available
                        claim.required -> R.string.required
                        else -> R.string.optional
                    },
                ),
                style = MaterialTheme.typography.labelSmall,
            )
            if (claim.beyondScope) {
                Text(
                    stringResource(R.string.beyond_scope),
                    color = MaterialTheme.colorScheme.error,
                    style = MaterialTheme.typography.labelMedium,
                )
            }
            if (claim.portrait && claim.selected) {
                Text(
                    stringResource(R.string.photo_will_be_shared),
                    color = MaterialTheme.colorScheme.error,
                    style = MaterialTheme.typography.labelMedium,
                )
            }
        }
        Switch(checked = claim.selected, enabled = claim.switchable, onCheckedChange = { onToggle() })
    }
}

/**
 * The answer's QR frames, cycled at 10 per second, at full brightness. Scrolls: at the largest
 * font scale the title, the code and Done do not fit a small phone (Done was squeezed and cut).
 */
@Composable
fun Response(demo: DemoViewModel, vm: ResponseDisplayViewModel, backup: Boolean) {
    Column(
        Modifier.fillMaxWidth().verticalScroll(rememberScrollState()).padding(16.dp),
        verticalArrangement = Arrangement.spacedBy(8.dp),
    ) {
        Text(
            stringResource(if (backup) R.string.backup_show else R.string.show_to_verifier),
            style = MaterialTheme.typography.titleLarge,
        )
        AnimatedCodes(vm)
        Button(onClick = demo::showCredentials) { Text(stringResource(R.string.done)) }
    }
}

/**
 * QR frames cycled by [vm] (10 a second while on screen, stopped when it leaves) at full
 * brightness, with "code i of n" for an animated sequence.
 */
@Composable
fun AnimatedCodes(vm: ResponseDisplayViewModel, description: String = stringResource(R.string.qr_description)) {
    val state by vm.state.collectAsStateWithLifecycle()
    FullBrightness()
    DisposableEffect(vm) {
        vm.start()
        onDispose { vm.stop() }
    }
    QrImage(state.frame, description)
    if (state.count > 1) Text(stringResource(R.string.frame_of, state.index + 1, state.count))
}

/**
 * A check without a request: choose a credential, switch on what to show (nothing is on at
 * first), then show the static presentation's codes with the warning that they are not
 * encrypted. Scrolls, since the claims and the code may not fit a small screen.
 */
@Composable
private fun StaticPresentation(demo: DemoViewModel, vm: StaticPresentationViewModel) {
    val state by vm.state.collectAsStateWithLifecycle()
    Column(
        Modifier.fillMaxWidth().verticalScroll(rememberScrollState()).padding(16.dp),
        verticalArrangement = Arrangement.spacedBy(8.dp),
    ) {
        when (val s = state) {
            StaticPresentationViewModel.State.Loading, StaticPresentationViewModel.State.Presenting -> Busy()
            is StaticPresentationViewModel.State.Choose -> {
                Text(stringResource(R.string.static_choose_title), style = MaterialTheme.typography.titleLarge)
                Text(stringResource(R.string.static_explain))
                ErrorLine(s.error)
                if (s.credentials.isEmpty()) Text(stringResource(R.string.no_credentials))
                for (row in s.credentials) {
                    Column(Modifier.fillMaxWidth().clickable { demo.launchWork { vm.choose(row.id) } }.padding(8.dp)) {
                        Text(row.title, style = MaterialTheme.typography.titleMedium)
                        IssuerText(row.issuer)
                    }
                }
                OutlinedButton(onClick = demo::showCredentials) { Text(stringResource(R.string.back)) }
            }
            is StaticPresentationViewModel.State.Select -> {
                Text(stringResource(R.string.static_select_title), style = MaterialTheme.typography.titleLarge)
                Text(s.credential.title, style = MaterialTheme.typography.titleMedium)
                IssuerText(s.credential.issuer, MaterialTheme.typography.labelMedium)
                Text(stringResource(R.string.static_explain))
                for (claim in s.claims) {
                    Row(Modifier.fillMaxWidth(), verticalAlignment = Alignment.CenterVertically) {
                        Column(Modifier.weight(1f)) {
                            Text(claim.label)
                            Text(claim.valueJson.trim('"'), style = MaterialTheme.typography.bodySmall)
                            if (!claim.selectable) Text(stringResource(R.string.always_shown), style = MaterialTheme.typography.labelSmall)
                        }
                        Switch(
                            checked = claim.selected,
                            enabled = claim.selectable,
                            onCheckedChange = { vm.toggle(claim.path) },
                        )
                    }
                }
                when (val id = s.verifierId) {
                    null -> {
                        Text(stringResource(R.string.static_unbound), color = MaterialTheme.colorScheme.error)
                        OutlinedButton(onClick = vm::scanVerifierId) { Text(stringResource(R.string.static_scan_verifier_id)) }
                    }
                    else -> {
                        Text(stringResource(R.string.static_bound_to, id))
                        OutlinedButton(onClick = vm::forgetVerifierId) { Text(stringResource(R.string.forget_verifier_id)) }
                    }
                }
                ErrorLine(s.error)
                Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                    Button(onClick = { demo.launchWork { vm.present() } }) { Text(stringResource(R.string.show_codes)) }
                    OutlinedButton(onClick = { demo.launchWork { vm.back() } }) { Text(stringResource(R.string.back)) }
                }
            }
            is StaticPresentationViewModel.State.ScanningVerifierId -> {
                var typed by remember { mutableStateOf("") }
                Text(stringResource(R.string.static_scan_verifier_id), style = MaterialTheme.typography.titleLarge)
                CameraScanner(onFrame = vm::onFrame)
                ScanStatus(s.scan)
                OutlinedTextField(typed, { typed = it }, label = { Text(stringResource(R.string.static_type_verifier_id)) })
                Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                    Button(onClick = { vm.typeVerifierId(typed) }) { Text(stringResource(R.string.use_verifier_id)) }
                    OutlinedButton(onClick = vm::cancelVerifierIdScan) { Text(stringResource(R.string.cancel)) }
                }
            }
            is StaticPresentationViewModel.State.Showing -> {
                val display = remember(s.frames) { demo.display(s.frames) }
                // Ticks while these codes are up; a new code restarts it.
                LaunchedEffect(s.acceptedUntil) { vm.countDown() }
                Text(stringResource(R.string.show_to_verifier), style = MaterialTheme.typography.titleLarge)
                Text(stringResource(R.string.static_show_warning), color = MaterialTheme.colorScheme.error)
                when (val id = s.selection.verifierId) {
                    null -> Text(stringResource(R.string.static_unbound), color = MaterialTheme.colorScheme.error)
                    else -> Text(stringResource(R.string.static_bound_to, id))
                }
                AnimatedCodes(display)
                Text(stringResource(R.string.static_accepted_for, s.timeLeft), style = MaterialTheme.typography.titleMedium)
                val shown = s.selection.claims.filter { it.selected }.joinToString { it.label }
                Text(stringResource(R.string.static_shows, shown))
                Text(stringResource(R.string.static_valid_briefly), style = MaterialTheme.typography.bodySmall)
                Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                    Button(onClick = demo::showCredentials) { Text(stringResource(R.string.done)) }
                    OutlinedButton(onClick = { demo.launchWork { vm.newCode() } }) { Text(stringResource(R.string.new_code)) }
                }
                OutlinedButton(onClick = vm::edit) { Text(stringResource(R.string.change_selection)) }
            }
            is StaticPresentationViewModel.State.Expired -> {
                // The codes are gone from the screen: verifiers would refuse them now.
                Text(stringResource(R.string.static_expired_title), style = MaterialTheme.typography.titleLarge)
                Text(stringResource(R.string.static_expired_explain))
                Button(onClick = { demo.launchWork { vm.newCode() } }) { Text(stringResource(R.string.show_new_code)) }
                Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                    OutlinedButton(onClick = vm::edit) { Text(stringResource(R.string.change_selection)) }
                    OutlinedButton(onClick = demo::showCredentials) { Text(stringResource(R.string.done)) }
                }
            }
            is StaticPresentationViewModel.State.Failed -> {
                ErrorLine(s.error)
                Button(onClick = demo::showCredentials) { Text(stringResource(R.string.back)) }
            }
        }
    }
}

@Composable
private fun History(demo: DemoViewModel, vm: HistoryViewModel) {
    val state by vm.state.collectAsStateWithLifecycle()
    Column(Modifier.fillMaxWidth().padding(16.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
        OutlinedButton(onClick = demo::showCredentials) { Text(stringResource(R.string.back)) }
        HistoryList(state)
    }
}

/** A history as a lazy list (a screen of its own). */
@Composable
fun HistoryList(state: HistoryViewModel.State) {
    when (state) {
        HistoryViewModel.State.Loading -> Busy()
        is HistoryViewModel.State.Failed -> ErrorLine(state.error)
        is HistoryViewModel.State.Loaded -> LazyColumn(verticalArrangement = Arrangement.spacedBy(8.dp)) {
            items(state.rows) { row -> HistoryRowView(row) }
        }
    }
}

/** A history as plain rows, for a screen that already scrolls (the verifier's). */
@Composable
fun HistoryRows(state: HistoryViewModel.State) {
    when (state) {
        HistoryViewModel.State.Loading -> Busy()
        is HistoryViewModel.State.Failed -> ErrorLine(state.error)
        is HistoryViewModel.State.Loaded -> Column(verticalArrangement = Arrangement.spacedBy(8.dp)) {
            for (row in state.rows) HistoryRowView(row)
        }
    }
}

/**
 * One history line: when; the verdict (verifier); who it went to (holder: the certified
 * verifier, or "unverified" and the unchecked name); the counterpart; the certificate the
 * request was signed with (verifier); the claims.
 */
@Composable
private fun HistoryRowView(row: HistoryRow) {
    Column {
        Text(formatDate(row.at), style = MaterialTheme.typography.labelMedium)
        row.valid?.let { Text(stringResource(if (it) R.string.verdict_valid else R.string.verdict_invalid)) }
        row.verifier?.let { HistoryVerifierLine(it) }
        row.counterpart?.let { Text(stringResource(if (row.valid == null) R.string.shared_with else R.string.issued_by, it)) }
        row.certificateReference?.let { Text(stringResource(R.string.log_certificate, it), style = MaterialTheme.typography.bodySmall) }
        Text(row.claims.joinToString())
    }
}
