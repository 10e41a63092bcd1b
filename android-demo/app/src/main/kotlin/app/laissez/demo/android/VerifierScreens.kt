package app.laissez.demo.android

import android.graphics.BitmapFactory
import androidx.compose.foundation.Image
import androidx.compose.foundation.background
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
import androidx.compose.material3.Switch
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.graphics.asImageBitmap
import androidx.compose.ui.layout.ContentScale
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import app.laissez.Wallet
import app.laissez.demo.HistoryViewModel
import app.laissez.demo.VerdictView
import app.laissez.demo.VerifierViewModel
import kotlinx.coroutines.delay

private val Green = Color(0xFF1B5E20)
private val Red = Color(0xFFB71C1C)

/**
 * The field verifier: trust list, registration, request code (signed when registered; a short
 * code by reference on request), scan of the answer, verdict, and its log. In the demo, an
 * unsigned request can still be shown from a second, unregistered desk.
 */
@Composable
fun VerifierScreens(demo: DemoViewModel, wallet: Wallet) {
    val own = remember(wallet) { demo.verifier(wallet) }
    val unsigned by demo.unsignedDesk.collectAsStateWithLifecycle()
    // The demo's unregistered desk while its unsigned request is in play, else this verifier.
    val vm = unsigned ?: own
    val done = { if (unsigned != null) demo.endUnsigned() else own.done() }
    val state by vm.state.collectAsStateWithLifecycle()
    val trust by own.trust.collectAsStateWithLifecycle()
    val verifierId by own.verifierId.collectAsStateWithLifecycle()
    val name = stringResource(R.string.verifier_name_default)
    val purpose = stringResource(R.string.purpose_default)
    var shortCode by rememberSaveable { mutableStateOf(false) }
    var log by remember(own) { mutableStateOf<HistoryViewModel?>(null) }

    Column(
        Modifier.fillMaxWidth().padding(16.dp).verticalScroll(rememberScrollState()),
        verticalArrangement = Arrangement.spacedBy(8.dp),
    ) {
        val list = trust.list
        when {
            list == null -> Text(stringResource(R.string.no_trust_list))
            !list.current -> Text(stringResource(R.string.trust_list_outdated), color = Red)
            else -> Text(stringResource(R.string.trust_list, list.sequence.toInt(), list.issuers.size))
        }
        ErrorLine(trust.error)

        when (val s = state) {
            is VerifierViewModel.State.Idle -> {
                ErrorLine(s.error)
                Row(verticalAlignment = Alignment.CenterVertically) {
                    Text(stringResource(R.string.short_code), Modifier.weight(1f))
                    Switch(checked = shortCode, onCheckedChange = { shortCode = it })
                }
                Button(onClick = { demo.launchWork { vm.newRequest(name, purpose, demo.demoRequest(), shortCode = shortCode) } }) {
                    Text(stringResource(R.string.new_request))
                }
                OutlinedButton(onClick = { demo.unsignedRequest(name, purpose) }) { Text(stringResource(R.string.demo_unsigned_request)) }
                OutlinedButton(onClick = vm::scanWithoutRequest) { Text(stringResource(R.string.scan_without_request)) }
                OutlinedButton(onClick = { demo.trustDemoIssuer(vm) }) { Text(stringResource(R.string.demo_trust)) }
                val printed by demo.cardPrinter.state.collectAsStateWithLifecycle()
                DemoPrintedCard(printed, onPrint = demo::printDemoCard, onDone = demo.cardPrinter::done)
                VerifierRegistration(demo, own, purpose)
                when (val history = log) {
                    null -> OutlinedButton(onClick = { log = demo.verifierLog(wallet) }) {
                        Text(stringResource(R.string.history))
                    }
                    else -> {
                        val rows by history.state.collectAsStateWithLifecycle()
                        HistoryRows(rows)
                    }
                }
                // The identifier for holders to bind static codes to: as text, and as the core's QR.
                when (val card = verifierId) {
                    null -> OutlinedButton(onClick = { demo.launchWork { vm.showVerifierId() } }) {
                        Text(stringResource(R.string.show_verifier_id))
                    }
                    else -> {
                        Text(stringResource(R.string.verifier_id_explain))
                        Text(card.code, style = MaterialTheme.typography.headlineSmall)
                        QrImage(card.frame, card.code)
                    }
                }
            }
            is VerifierViewModel.State.AwaitingAnswer -> {
                LaunchedEffect(vm) {
                    while (true) {
                        delay(1_000)
                        vm.checkStalled()
                    }
                }
                // The request is a single code in practice; animated if a verifier asks for a lot.
                if (s.frames.isNotEmpty()) {
                    FullBrightness()
                    Text(stringResource(R.string.awaiting_answer))
                    QrImage(s.frames.first(), stringResource(R.string.qr_description))
                    when (val reference = s.certificateReference) {
                        null -> Text(stringResource(R.string.request_unsigned), color = Red)
                        else -> Text(stringResource(R.string.request_signed, reference))
                    }
                }
                CameraScanner(onFrame = vm::onFrame)
                ScanStatus(s.scan)
                Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                    OutlinedButton(onClick = vm::restartScan) { Text(stringResource(R.string.scan_again)) }
                    OutlinedButton(onClick = done) { Text(stringResource(R.string.cancel)) }
                }
            }
            VerifierViewModel.State.Verifying -> Busy()
            is VerifierViewModel.State.Result -> {
                val color = if (s.green) Green else Red
                Text(
                    stringResource(if (s.green) R.string.verdict_valid else R.string.verdict_invalid),
                    color = Color.White,
                    style = MaterialTheme.typography.headlineMedium,
                    modifier = Modifier.fillMaxWidth().background(color).padding(16.dp),
                )
                s.verdicts.forEach { VerdictCard(it) }
                Button(onClick = done) { Text(stringResource(R.string.done)) }
            }
            is VerifierViewModel.State.Failed -> {
                ErrorLine(s.error)
                Button(onClick = done) { Text(stringResource(R.string.done)) }
            }
        }
    }
}

/**
 * One credential's verdict; a signed photo, when one was disclosed, large beside it (half the
 * width) so the field worker compares it with the person.
 */
@Composable
private fun VerdictCard(v: VerdictView) {
    if (v.identityCard) {
        // An identity card's code: the photo the whole width, "possession not proven".
        Column(verticalArrangement = Arrangement.spacedBy(8.dp)) {
            CardVerdictHeader(v)
            VerdictDetails(v)
        }
        return
    }
    val photo = remember(v.portraitJpeg) {
        v.portraitJpeg?.let { BitmapFactory.decodeByteArray(it, 0, it.size)?.asImageBitmap() }
    }
    // The core read the JPEG header; a phone that cannot decode it still says so.
    val problem = v.portraitProblem ?: if (v.portraitJpeg != null && photo == null) "undecodable" else null
    Row(horizontalArrangement = Arrangement.spacedBy(12.dp)) {
        if (photo != null) {
            Image(
                bitmap = photo,
                contentDescription = stringResource(R.string.photo_from_issuer),
                contentScale = ContentScale.Fit,
                modifier = Modifier.weight(1f),
            )
        }
        Column(Modifier.weight(1f)) {
            if (photo != null) Text(stringResource(R.string.photo_from_issuer), style = MaterialTheme.typography.labelMedium)
            problem?.let { Text(stringResource(R.string.photo_unusable, it), color = Red) }
            VerdictDetails(v)
        }
    }
}

@Composable
private fun VerdictDetails(v: VerdictView) {
    Column(verticalArrangement = Arrangement.spacedBy(4.dp)) {
        v.issuerName?.let { Text(stringResource(R.string.issued_by, it), style = MaterialTheme.typography.titleMedium) }
        for (reason in v.reasons) Text("• " + reason.text(), color = Red)
        if (v.unbound) Text(stringResource(R.string.verdict_unbound), color = Red, style = MaterialTheme.typography.titleSmall)
        for (claim in v.claims) {
            Text(claim.label, style = MaterialTheme.typography.labelMedium)
            Text(claim.valueJson.trim('"'), style = MaterialTheme.typography.bodyLarge)
        }
        v.status?.let { Text(it.text()) }
        when (val age = v.statusAgeSecs) {
            null -> if (v.status != null) Text(stringResource(R.string.status_never))
            else -> Text(stringResource(R.string.status_age_hours, (age / 3600).toInt()))
        }
    }
}
