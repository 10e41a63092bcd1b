package app.laissez.demo.android

import androidx.activity.compose.rememberLauncherForActivityResult
import androidx.activity.result.contract.ActivityResultContracts
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import app.laissez.demo.VerifierViewModel

/**
 * The verifier's registration: what its installed certificate says (organisation, country,
 * purposes, what it may ask for, validity, registrar, reference) or "not registered"; the key
 * to give a registrar; installing the registrar's certificate from a file; and, in the demo,
 * registering with the demo registrar. A refused certificate shows its problem.
 */
@Composable
fun VerifierRegistration(demo: DemoViewModel, vm: VerifierViewModel, purpose: String) {
    val registration by vm.registration.collectAsStateWithLifecycle()
    val pick = rememberLauncherForActivityResult(ActivityResultContracts.GetContent()) { uri ->
        if (uri != null) demo.installCertificateFile(vm, uri)
    }
    Column(verticalArrangement = Arrangement.spacedBy(4.dp)) {
        Text(stringResource(R.string.registration_title), style = MaterialTheme.typography.titleMedium)
        when (val c = registration.certificate) {
            null -> Text(stringResource(R.string.not_registered), color = MaterialTheme.colorScheme.error)
            else -> {
                Text(stringResource(R.string.registered_as, c.organisation, c.country))
                if (c.purposes.isNotEmpty()) Text(stringResource(R.string.verifier_purposes, c.purposes.joinToString()))
                for (scope in c.scope) {
                    Text(
                        stringResource(R.string.registered_scope, scope.credentialType, scope.claims.joinToString()),
                        style = MaterialTheme.typography.bodySmall,
                    )
                }
                Text(stringResource(R.string.registered_validity, formatDate(c.validFrom), formatDate(c.validUntil)))
                Text(stringResource(R.string.registered_by, c.registrarId))
                Text(stringResource(R.string.verifier_reference, c.reference), style = MaterialTheme.typography.labelSmall)
            }
        }
        ErrorLine(registration.error)
        when (val key = registration.signingKeyJwk) {
            null -> OutlinedButton(onClick = { demo.launchWork { vm.showSigningKey() } }) {
                Text(stringResource(R.string.show_signing_key))
            }
            else -> {
                Text(stringResource(R.string.signing_key_explain))
                Text(key, style = MaterialTheme.typography.bodySmall)
            }
        }
        OutlinedButton(onClick = { demo.openingPicker(); pick.launch("*/*") }) { Text(stringResource(R.string.install_certificate)) }
        OutlinedButton(onClick = { demo.registerDemoVerifier(vm, purpose) }) { Text(stringResource(R.string.demo_register)) }
    }
}
