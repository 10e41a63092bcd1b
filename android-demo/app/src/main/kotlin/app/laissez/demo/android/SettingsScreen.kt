package app.laissez.demo.android

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.selection.toggleable
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.ButtonDefaults
import androidx.compose.material3.Checkbox
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.semantics.Role
import androidx.compose.ui.semantics.clearAndSetSemantics
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import app.laissez.Wallet
import app.laissez.demo.SettingsViewModel
import kotlinx.coroutines.delay

/**
 * What the person typed in a form, kept while the core checks it (the form leaves the screen
 * meanwhile): after a wrong current PIN the new PIN is still there. Cleared on the overview.
 */
private class TypedPins {
    var current by mutableStateOf("")
    var newPin by mutableStateOf("")
    var again by mutableStateOf("")

    fun clear() {
        current = ""
        newPin = ""
        again = ""
    }
}

/** Every control here is at least this tall: a comfortable touch target. */
private val TouchTarget = Modifier.heightIn(min = 48.dp)

/**
 * The holder's settings: change the PIN, hardware key protection on or off, delete the wallet
 * (with the warning of what the 24 words can and cannot bring back). Reached from the
 * credentials screen; after a deletion the app goes back to onboarding.
 */
@Composable
fun SettingsScreen(demo: DemoViewModel, wallet: Wallet, vm: SettingsViewModel) {
    val state by vm.state.collectAsStateWithLifecycle()
    val typed = remember(vm) { TypedPins() }
    Column(
        Modifier.fillMaxWidth().verticalScroll(rememberScrollState()).padding(16.dp),
        verticalArrangement = Arrangement.spacedBy(12.dp),
    ) {
        when (val s = state) {
            is SettingsViewModel.State.Overview -> {
                LaunchedEffect(s) { typed.clear() }
                Overview(demo, vm, s)
            }
            is SettingsViewModel.State.ChangePin -> ChangePin(demo, vm, s, typed)
            is SettingsViewModel.State.Protection -> Protection(demo, vm, s, typed)
            is SettingsViewModel.State.DeleteWallet -> DeleteWallet(demo, wallet, vm, s, typed)
            SettingsViewModel.State.Working -> Busy()
            SettingsViewModel.State.Deleted -> LaunchedEffect(Unit) { demo.holderWalletDeleted() }
            is SettingsViewModel.State.DeleteFailed -> {
                Text(stringResource(R.string.delete_wallet_failed))
                ErrorLine(s.error)
                Button(onClick = demo::holderWalletDeleted, modifier = TouchTarget) { Text(stringResource(R.string.done)) }
            }
        }
    }
}

@Composable
private fun Overview(demo: DemoViewModel, vm: SettingsViewModel, s: SettingsViewModel.State.Overview) {
    Text(stringResource(R.string.settings), style = MaterialTheme.typography.titleLarge)
    s.notice?.let { notice ->
        Text(
            stringResource(
                when (notice) {
                    SettingsViewModel.Notice.PIN_CHANGED -> R.string.settings_pin_changed
                    SettingsViewModel.Notice.PROTECTION_ON -> R.string.settings_protection_turned_on
                    SettingsViewModel.Notice.PROTECTION_OFF -> R.string.settings_protection_turned_off
                },
            ),
            color = MaterialTheme.colorScheme.primary,
        )
    }
    ErrorLine(s.error)
    OutlinedButton(onClick = vm::startChangePin, modifier = TouchTarget) { Text(stringResource(R.string.settings_change_pin)) }
    HorizontalDivider()
    Text(stringResource(R.string.settings_hardware_key), style = MaterialTheme.typography.titleMedium)
    Text(stringResource(R.string.settings_hardware_key_explain), style = MaterialTheme.typography.bodySmall)
    Row(Modifier.fillMaxWidth(), verticalAlignment = Alignment.CenterVertically) {
        Text(
            stringResource(if (s.platformProtected) R.string.settings_hardware_key_on else R.string.settings_hardware_key_off),
            Modifier.weight(1f),
        )
        OutlinedButton(onClick = { vm.startProtection(!s.platformProtected) }, modifier = TouchTarget) {
            Text(stringResource(if (s.platformProtected) R.string.settings_turn_off else R.string.settings_turn_on))
        }
    }
    HorizontalDivider()
    OutlinedButton(
        onClick = vm::startDeleteWallet,
        modifier = TouchTarget,
        colors = ButtonDefaults.outlinedButtonColors(contentColor = MaterialTheme.colorScheme.error),
    ) { Text(stringResource(R.string.settings_delete_wallet)) }
    OutlinedButton(onClick = demo::showCredentials, modifier = TouchTarget) { Text(stringResource(R.string.back)) }
}

@Composable
private fun ChangePin(demo: DemoViewModel, vm: SettingsViewModel, s: SettingsViewModel.State.ChangePin, typed: TypedPins) {
    Text(stringResource(R.string.settings_change_pin), style = MaterialTheme.typography.titleLarge)
    PinField(typed.current, R.string.current_pin) { typed.current = it }
    PinField(typed.newPin, R.string.new_pin) { typed.newPin = it }
    PinField(typed.again, R.string.new_pin_again) { typed.again = it }
    val waiting = FormProblem(vm, s)
    Button(
        onClick = {
            val entered = Triple(typed.current, typed.newPin, typed.again)
            typed.current = ""
            demo.launchWork { vm.changePin(entered.first, entered.second, entered.third) }
        },
        enabled = !waiting,
        modifier = TouchTarget,
    ) { Text(stringResource(R.string.confirm)) }
    OutlinedButton(onClick = vm::cancel, modifier = TouchTarget) { Text(stringResource(R.string.cancel)) }
}

@Composable
private fun Protection(demo: DemoViewModel, vm: SettingsViewModel, s: SettingsViewModel.State.Protection, typed: TypedPins) {
    Text(stringResource(R.string.settings_hardware_key), style = MaterialTheme.typography.titleLarge)
    Text(stringResource(R.string.settings_hardware_key_explain))
    Text(stringResource(R.string.settings_confirm_with_pin))
    PinField(typed.current, R.string.pin) { typed.current = it }
    val waiting = FormProblem(vm, s)
    Button(
        onClick = {
            val entered = typed.current
            typed.current = ""
            demo.launchWork { vm.setProtection(entered) }
        },
        enabled = !waiting,
        modifier = TouchTarget,
    ) { Text(stringResource(if (s.enable) R.string.settings_turn_on else R.string.settings_turn_off)) }
    OutlinedButton(onClick = vm::cancel, modifier = TouchTarget) { Text(stringResource(R.string.cancel)) }
}

/**
 * The warning says what is true of the 24 words (they reset a forgotten PIN of this wallet
 * while it exists and open its backup on another phone; they hold no credential), offers the
 * move to another phone first, and needs the tick and the PIN before "Delete for good".
 */
@Composable
private fun DeleteWallet(
    demo: DemoViewModel,
    wallet: Wallet,
    vm: SettingsViewModel,
    s: SettingsViewModel.State.DeleteWallet,
    typed: TypedPins,
) {
    Text(stringResource(R.string.delete_wallet_title), style = MaterialTheme.typography.titleLarge)
    Text(stringResource(R.string.delete_wallet_gone))
    Text(stringResource(R.string.delete_wallet_words))
    Text(stringResource(R.string.delete_wallet_keep))
    OutlinedButton(onClick = { demo.showBackup(wallet) }, modifier = TouchTarget) { Text(stringResource(R.string.backup_to_phone)) }
    HorizontalDivider()
    Row(
        Modifier.fillMaxWidth().then(TouchTarget)
            .toggleable(value = s.acknowledged, role = Role.Checkbox, onValueChange = vm::acknowledgeDeletion),
        verticalAlignment = Alignment.CenterVertically,
    ) {
        Checkbox(checked = s.acknowledged, onCheckedChange = null)
        Text(stringResource(R.string.delete_wallet_understand), Modifier.padding(start = 8.dp))
    }
    PinField(typed.current, R.string.pin) { typed.current = it }
    val waiting = FormProblem(vm, s)
    Button(
        onClick = {
            val entered = typed.current
            typed.current = ""
            demo.launchWork { vm.deleteWallet(entered) }
        },
        enabled = s.acknowledged && typed.current.isNotEmpty() && !waiting,
        modifier = TouchTarget,
        colors = ButtonDefaults.buttonColors(containerColor = MaterialTheme.colorScheme.error),
    ) { Text(stringResource(R.string.delete_wallet_for_good)) }
    OutlinedButton(onClick = vm::cancel, modifier = TouchTarget) { Text(stringResource(R.string.cancel)) }
}

/**
 * Under a PIN form: the wait while the core refuses PINs (counting down, then [vm] lets the
 * form be sent again), else the last error. Returns whether a wait is running.
 */
@Composable
private fun FormProblem(vm: SettingsViewModel, form: SettingsViewModel.PinForm): Boolean {
    var left by remember(form) { mutableStateOf(form.secondsLeft(System.currentTimeMillis() / 1000)) }
    if (left > 0) {
        LaunchedEffect(form) {
            while (left > 0) {
                delay(1_000)
                left = form.secondsLeft(System.currentTimeMillis() / 1000)
            }
            vm.tick()
        }
        Text(stringResource(R.string.wait_seconds, left.toInt()), color = MaterialTheme.colorScheme.error)
        return true
    }
    ErrorLine(form.error)
    return false
}

/**
 * The way into the settings from the credentials screen: a gear and the word, read out as
 * "Settings" (the gear glyph itself is not announced).
 */
@Composable
fun SettingsButton(onClick: () -> Unit) {
    val label = stringResource(R.string.settings)
    OutlinedButton(
        onClick = onClick,
        modifier = TouchTarget.semantics(mergeDescendants = true) { contentDescription = label },
    ) {
        Text("\u2699", Modifier.clearAndSetSemantics { })
        Text(label, Modifier.padding(start = 8.dp).clearAndSetSemantics { })
    }
}
