package app.laissez.demo.android

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.FilterChip
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Slider
import androidx.compose.material3.Switch
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableIntStateOf
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.produceState
import androidx.compose.runtime.remember
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import app.laissez.CredentialFormat
import app.laissez.demo.DeskViewModel
import app.laissez.demo.toUiError

/** The core accepts batches of 1 to 16 copies. */
private const val MAX_BATCH = 16

/**
 * Issuer mode, the demo's registration desk: choose the format, type and batch size, show the
 * offer while scanning the person's proof, then show the batch (animated) to their phone.
 */
@Composable
fun DeskScreen(demo: DemoViewModel) {
    val withPhoto by demo.deskWithPhoto.collectAsStateWithLifecycle()
    // The desk's keys are kept in the wallets: until one has been opened in this run, there is no desk.
    val keys by demo.demoKeys.keys.collectAsStateWithLifecycle()
    val vm = remember(withPhoto, keys) { demo.desk() }
    if (vm == null) {
        Text(stringResource(R.string.desk_needs_wallet), Modifier.padding(16.dp))
        return
    }
    val state by vm.state.collectAsStateWithLifecycle()
    Column(
        Modifier.fillMaxWidth().verticalScroll(rememberScrollState()).padding(16.dp),
        verticalArrangement = Arrangement.spacedBy(8.dp),
    ) {
        when (val s = state) {
            is DeskViewModel.State.Choosing -> DeskChoice(demo, vm, s, withPhoto)
            is DeskViewModel.State.ShowingOffer -> {
                StallWatch(vm, vm::checkStalled)
                val display = remember(s.frames) { demo.display(s.frames) }
                Text(stringResource(R.string.desk_offer_shown), style = MaterialTheme.typography.titleLarge)
                AnimatedCodes(display, stringResource(R.string.qr_for_holder))
                CameraScanner(onFrame = vm::frame)
                ScanStatus(s.scan)
                OutlinedButton(onClick = vm::done) { Text(stringResource(R.string.cancel)) }
            }
            is DeskViewModel.State.ShowingBatch -> {
                // Cycled at 10 frames a second like the holder's answer, at full brightness.
                val display = remember(s.frames) { demo.display(s.frames) }
                Text(stringResource(R.string.desk_batch_shown), style = MaterialTheme.typography.titleLarge)
                AnimatedCodes(display, stringResource(R.string.qr_for_holder))
                Button(onClick = vm::done) { Text(stringResource(R.string.next_person)) }
            }
            is DeskViewModel.State.Failed -> {
                ErrorLine(s.error)
                Button(onClick = vm::done) { Text(stringResource(R.string.next_person)) }
            }
        }
    }
}

@Composable
private fun DeskChoice(demo: DemoViewModel, vm: DeskViewModel, s: DeskViewModel.State.Choosing, withPhoto: Boolean) {
    var format by rememberSaveable { mutableStateOf(CredentialFormat.SD_JWT) }
    var batch by rememberSaveable { mutableIntStateOf(5) }
    val type = demo.deskTypes.getValue(format)
    Text(stringResource(R.string.desk_title), style = MaterialTheme.typography.titleLarge)
    Text(stringResource(R.string.desk_kept_keys), style = MaterialTheme.typography.bodySmall)
    Text(stringResource(R.string.desk_format), style = MaterialTheme.typography.labelLarge)
    Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
        FilterChip(
            selected = format == CredentialFormat.SD_JWT,
            onClick = { format = CredentialFormat.SD_JWT },
            label = { Text(stringResource(R.string.format_sd_jwt)) },
        )
        FilterChip(
            selected = format == CredentialFormat.MDOC,
            onClick = { format = CredentialFormat.MDOC },
            label = { Text(stringResource(R.string.format_mdoc)) },
        )
    }
    Text(stringResource(R.string.desk_type, type))
    Text(stringResource(R.string.desk_batch, batch))
    Slider(
        value = batch.toFloat(),
        onValueChange = { batch = it.toInt().coerceIn(1, MAX_BATCH) },
        valueRange = 1f..MAX_BATCH.toFloat(),
        steps = MAX_BATCH - 2,
    )
    Row(Modifier.fillMaxWidth(), verticalAlignment = Alignment.CenterVertically) {
        Text(stringResource(R.string.desk_with_photo), Modifier.weight(1f))
        Switch(checked = withPhoto, onCheckedChange = demo::setDeskPhoto)
    }
    ErrorLine(s.error)
    Button(onClick = { demo.launchWork { vm.offer(format, type, batch) } }) { Text(stringResource(R.string.desk_make_offer)) }
    DemoTrustListCodes(demo)
}

/**
 * The coordinator's part of the demo: the signed demo trust list as animated codes for a
 * verifier to scan (its scanner imports a trust list seen while it waits for an answer).
 */
@Composable
private fun DemoTrustListCodes(demo: DemoViewModel) {
    var shown by rememberSaveable { mutableStateOf(false) }
    if (!shown) {
        OutlinedButton(onClick = { shown = true }) { Text(stringResource(R.string.desk_show_trust_list)) }
        return
    }
    val frames by produceState<Result<List<app.laissez.QrFrame>>?>(null) { value = demo.demoTrustListFrames() }
    Text(stringResource(R.string.desk_trust_list_shown))
    when (val made = frames) {
        null -> Busy()
        else -> made.fold(
            onSuccess = { f ->
                val display = remember(f) { demo.display(f) }
                AnimatedCodes(display, stringResource(R.string.qr_trust_list))
            },
            onFailure = { e -> ErrorLine(e.toUiError()) },
        )
    }
    Button(onClick = { shown = false }) { Text(stringResource(R.string.done)) }
}
