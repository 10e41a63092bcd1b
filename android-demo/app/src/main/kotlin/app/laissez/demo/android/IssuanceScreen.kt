package app.laissez.demo.android

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
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import app.laissez.OfferTrust
import app.laissez.demo.IssuanceViewModel
import java.text.DateFormat
import java.util.Date
import kotlinx.coroutines.delay

/** Date and time, for an offer that is valid for minutes. */
fun formatDateTime(epochSecs: Long): String =
    DateFormat.getDateTimeInstance(DateFormat.MEDIUM, DateFormat.SHORT).format(Date(epochSecs * 1000))

/** Drops a stalled animated transfer once a second while [tick] is on screen. */
@Composable
fun StallWatch(key: Any, tick: () -> Unit) {
    LaunchedEffect(key) {
        while (true) {
            delay(1_000)
            tick()
        }
    }
}

/**
 * The holder at a registration desk: scan the desk's offer, review it, show the proof code
 * while scanning the batch, then the copies received. The issuer's name comes only from the
 * wallet's issuer trust list; an unknown or not-allowed issuer gets a plain warning and a second
 * tap before Accept, and the name the offer claims for itself is never shown.
 */
@Composable
fun IssuanceScreen(demo: DemoViewModel, vm: IssuanceViewModel) {
    val state by vm.state.collectAsStateWithLifecycle()
    Column(
        Modifier.fillMaxWidth().verticalScroll(rememberScrollState()).padding(16.dp),
        verticalArrangement = Arrangement.spacedBy(8.dp),
    ) {
        when (val s = state) {
            is IssuanceViewModel.State.ScanningOffer -> {
                StallWatch(vm, vm::checkStalled)
                Text(stringResource(R.string.issuance_scan_offer), style = MaterialTheme.typography.titleLarge)
                CameraScanner(onFrame = vm::frame)
                ScanStatus(s.scan)
                s.trustedIssuers?.let { Text(stringResource(R.string.issuers_trusted, it)) }
                OutlinedButton(onClick = { demo.trustDemoDesk(vm) }) { Text(stringResource(R.string.trust_demo_desk)) }
                OutlinedButton(onClick = demo::showCredentials) { Text(stringResource(R.string.back)) }
            }
            is IssuanceViewModel.State.Review -> OfferReview(demo, vm, s)
            is IssuanceViewModel.State.ShowingProof -> {
                StallWatch(vm, vm::checkStalled)
                val display = remember(s.frames) { demo.display(s.frames) }
                Text(stringResource(R.string.show_proof), style = MaterialTheme.typography.titleLarge)
                AnimatedCodes(display, stringResource(R.string.qr_for_desk))
                CameraScanner(onFrame = vm::frame)
                ScanStatus(s.scan)
                OutlinedButton(onClick = demo::showCredentials) { Text(stringResource(R.string.cancel)) }
            }
            is IssuanceViewModel.State.Imported -> {
                Text(
                    stringResource(R.string.imported_copies, s.credentialType, s.copies),
                    style = MaterialTheme.typography.titleLarge,
                )
                Button(onClick = demo::showCredentials) { Text(stringResource(R.string.done)) }
            }
            is IssuanceViewModel.State.Failed -> {
                ErrorLine(s.error)
                Button(onClick = vm::restart) { Text(stringResource(R.string.scan_again)) }
                OutlinedButton(onClick = demo::showCredentials) { Text(stringResource(R.string.back)) }
            }
        }
    }
}

/** What the desk offers, and who vouches for it (the trust list, or nobody). */
@Composable
private fun OfferReview(demo: DemoViewModel, vm: IssuanceViewModel, s: IssuanceViewModel.State.Review) {
    val warning = MaterialTheme.colorScheme.error
    when (val trust = s.trust) {
        is OfferTrust.Trusted -> Text(stringResource(R.string.offer_from, trust.name), style = MaterialTheme.typography.titleLarge)
        // The name is the trust list's, but that list does not allow it this type.
        is OfferTrust.NotAllowedForType -> Text(stringResource(R.string.issuer_not_allowed, trust.name), color = warning, style = MaterialTheme.typography.titleMedium)
        OfferTrust.Unknown -> Text(stringResource(R.string.unknown_issuer), color = warning, style = MaterialTheme.typography.titleMedium)
    }
    if (s.needsExtraConfirmation) Text(stringResource(R.string.untrusted_offer_advice), color = warning)
    Text(stringResource(R.string.offer_type, s.credentialType))
    Text(stringResource(R.string.offer_copies, s.batchSize))
    Text(stringResource(R.string.offer_valid_until, formatDateTime(s.expiresAt)), style = MaterialTheme.typography.bodySmall)
    if (s.needsExtraConfirmation && !s.confirmedUnknown) {
        OutlinedButton(onClick = vm::confirmUnknownIssuer) { Text(stringResource(R.string.confirm_untrusted)) }
    }
    Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
        Button(
            onClick = { demo.launchWork { vm.accept() } },
            enabled = !s.needsExtraConfirmation || s.confirmedUnknown,
        ) { Text(stringResource(R.string.accept)) }
        OutlinedButton(onClick = demo::showCredentials) { Text(stringResource(R.string.decline)) }
    }
}
