package app.laissez.demo.android

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.CircularProgressIndicator
import androidx.compose.material3.LinearProgressIndicator
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateMapOf
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.text.input.PasswordVisualTransformation
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import app.laissez.Wallet
import app.laissez.demo.BackupViewModel
import app.laissez.demo.OnboardingViewModel
import app.laissez.demo.UiError
import app.laissez.demo.UnlockViewModel
import kotlinx.coroutines.delay

/** Shows onboarding or the lock screen until [gate] has an open wallet, then [content]. */
@Composable
fun WalletGate(demo: DemoViewModel, gate: DemoViewModel.Gate, content: @Composable (Wallet) -> Unit) {
    val step by gate.step.collectAsStateWithLifecycle()
    when (val s = step) {
        DemoViewModel.Step.Loading -> Busy()
        is DemoViewModel.Step.Onboarding -> Onboarding(demo, s.vm, gate::restoreFromOtherPhone) { gate.opened(it) }
        is DemoViewModel.Step.Restore -> Restore(demo, s.vm, gate::cancelRestore) { gate.opened(it) }
        is DemoViewModel.Step.Unlock -> Unlock(demo, s.vm) { gate.opened(s.wallet) }
        is DemoViewModel.Step.Open -> content(s.wallet)
        is DemoViewModel.Step.Failed -> ErrorLine(s.error)
    }
}

@Composable
fun Busy() = Column(Modifier.fillMaxWidth().padding(24.dp)) {
    CircularProgressIndicator()
    Text(stringResource(R.string.working))
}

@Composable
fun ErrorLine(error: UiError?) {
    if (error != null) Text(error.text(), color = MaterialTheme.colorScheme.error)
}

/** A PIN typed as dots, digits only, up to 12 (the lock screen, onboarding, settings). */
@Composable
fun PinField(value: String, label: Int, onChange: (String) -> Unit) = OutlinedTextField(
    value = value,
    onValueChange = { v -> onChange(v.filter(Char::isDigit).take(12)) },
    label = { Text(stringResource(label)) },
    singleLine = true,
    visualTransformation = PasswordVisualTransformation(),
    keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.NumberPassword),
)

@Composable
private fun Onboarding(demo: DemoViewModel, vm: OnboardingViewModel, onRestore: () -> Unit, onDone: (Wallet) -> Unit) {
    val state by vm.state.collectAsStateWithLifecycle()
    val scroll = Modifier.fillMaxWidth().padding(16.dp).verticalScroll(rememberScrollState())
    Column(scroll, verticalArrangement = Arrangement.spacedBy(12.dp)) {
        when (val s = state) {
            is OnboardingViewModel.State.ChoosePin -> {
                var pin by remember { mutableStateOf("") }
                var again by remember { mutableStateOf("") }
                Text(stringResource(R.string.choose_pin_title), style = MaterialTheme.typography.titleLarge)
                PinField(pin, R.string.pin) { pin = it }
                PinField(again, R.string.pin_again) { again = it }
                ErrorLine(s.error)
                Button(onClick = { demo.launchWork { vm.choosePin(pin, again) } }) { Text(stringResource(R.string.create_wallet)) }
                TextButton(onClick = onRestore) { Text(stringResource(R.string.restore_from_phone)) }
            }
            OnboardingViewModel.State.Creating -> Busy()
            is OnboardingViewModel.State.ShowWords -> {
                Text(stringResource(R.string.words_title))
                // Numbered words; numbers and words follow the layout direction.
                s.words.chunked(2).forEachIndexed { row, pair ->
                    Text(pair.mapIndexed { i, w -> "${row * 2 + i + 1}. $w" }.joinToString("     "),
                        style = MaterialTheme.typography.bodyLarge)
                }
                Button(onClick = vm::wordsWrittenDown) { Text(stringResource(R.string.words_written)) }
            }
            is OnboardingViewModel.State.ConfirmWords -> {
                val typed = remember { mutableStateMapOf<Int, String>() }
                Text(stringResource(R.string.confirm_title), style = MaterialTheme.typography.titleLarge)
                for (position in s.positions) {
                    OutlinedTextField(
                        value = typed[position] ?: "",
                        onValueChange = { typed[position] = it },
                        label = { Text(stringResource(R.string.confirm_word, position)) },
                        singleLine = true,
                    )
                }
                ErrorLine(s.error)
                Button(onClick = { vm.confirm(typed.toMap()) }) { Text(stringResource(R.string.confirm)) }
            }
            is OnboardingViewModel.State.Done -> LaunchedEffect(s) { onDone(s.wallet) }
            is OnboardingViewModel.State.Failed -> ErrorLine(s.error)
        }
    }
}

@Composable
private fun Unlock(demo: DemoViewModel, vm: UnlockViewModel, onUnlocked: () -> Unit) {
    val state by vm.state.collectAsStateWithLifecycle()
    Column(Modifier.fillMaxWidth().padding(16.dp), verticalArrangement = Arrangement.spacedBy(12.dp)) {
        when (val s = state) {
            is UnlockViewModel.State.EnterPin -> {
                var pin by remember { mutableStateOf("") }
                Text(stringResource(R.string.unlock_title), style = MaterialTheme.typography.titleLarge)
                PinField(pin, R.string.pin) { pin = it }
                ErrorLine(s.error)
                Button(onClick = {
                    val entered = pin
                    pin = ""
                    demo.launchWork { vm.unlock(entered) }
                }) { Text(stringResource(R.string.unlock)) }
                TextButton(onClick = vm::forgotPin) { Text(stringResource(R.string.forgot_pin)) }
            }
            UnlockViewModel.State.Checking -> Busy()
            is UnlockViewModel.State.Waiting -> {
                var left by remember { mutableStateOf(s.secondsLeft(System.currentTimeMillis() / 1000)) }
                LaunchedEffect(s) {
                    while (left > 0) {
                        delay(1_000)
                        left = s.secondsLeft(System.currentTimeMillis() / 1000)
                    }
                    vm.tick()
                }
                Text(stringResource(R.string.wait_seconds, left.toInt()))
                TextButton(onClick = vm::forgotPin) { Text(stringResource(R.string.forgot_pin)) }
            }
            is UnlockViewModel.State.Recover -> {
                var words by remember { mutableStateOf("") }
                var pin by remember { mutableStateOf("") }
                var again by remember { mutableStateOf("") }
                Text(stringResource(R.string.recover_title), style = MaterialTheme.typography.titleLarge)
                OutlinedTextField(words, { words = it }, label = { Text(stringResource(R.string.recover_words)) }, minLines = 4)
                PinField(pin, R.string.new_pin) { pin = it }
                PinField(again, R.string.pin_again) { again = it }
                ErrorLine(s.error)
                Button(onClick = { demo.launchWork { vm.recover(words, pin, again) } }) { Text(stringResource(R.string.recover)) }
                TextButton(onClick = vm::cancelRecovery) { Text(stringResource(R.string.cancel)) }
            }
            UnlockViewModel.State.Unlocked -> LaunchedEffect(Unit) { onUnlocked() }
        }
    }
}

/** The new phone: scan the old phone's backup codes, then the 24 words and a new PIN. */
@Composable
private fun Restore(demo: DemoViewModel, vm: BackupViewModel.Restore, onCancel: () -> Unit, onDone: (Wallet) -> Unit) {
    val state by vm.state.collectAsStateWithLifecycle()
    Column(
        Modifier.fillMaxWidth().padding(16.dp).verticalScroll(rememberScrollState()),
        verticalArrangement = Arrangement.spacedBy(12.dp),
    ) {
        when (val s = state) {
            is BackupViewModel.Restore.State.Scanning -> {
                LaunchedEffect(vm) {
                    while (true) {
                        delay(1_000)
                        vm.checkStalled()
                    }
                }
                CameraScanner(onFrame = vm::onFrame)
                ScanStatus(s.scan)
                TextButton(onClick = onCancel) { Text(stringResource(R.string.cancel)) }
            }
            is BackupViewModel.Restore.State.Ready -> {
                var words by remember { mutableStateOf("") }
                var pin by remember { mutableStateOf("") }
                var again by remember { mutableStateOf("") }
                Text(stringResource(R.string.restore_ready))
                OutlinedTextField(words, { words = it }, label = { Text(stringResource(R.string.recover_words)) }, minLines = 4)
                PinField(pin, R.string.new_pin) { pin = it }
                PinField(again, R.string.pin_again) { again = it }
                ErrorLine(s.error)
                Button(onClick = { demo.launchWork { vm.restore(words, pin, again) } }) { Text(stringResource(R.string.recover)) }
                TextButton(onClick = onCancel) { Text(stringResource(R.string.cancel)) }
            }
            is BackupViewModel.Restore.State.Restoring -> {
                Text(stringResource(R.string.restoring, s.done.toInt(), s.total.toInt()))
                LinearProgressIndicator(
                    progress = { if (s.total == 0L) 0f else s.done.toFloat() / s.total },
                    modifier = Modifier.fillMaxWidth(),
                )
            }
            is BackupViewModel.Restore.State.Restored -> LaunchedEffect(s) { onDone(s.wallet) }
            is BackupViewModel.Restore.State.Failed -> {
                ErrorLine(s.error)
                Button(onClick = vm::scanAgain) { Text(stringResource(R.string.scan_again)) }
                TextButton(onClick = onCancel) { Text(stringResource(R.string.cancel)) }
            }
        }
    }
}
