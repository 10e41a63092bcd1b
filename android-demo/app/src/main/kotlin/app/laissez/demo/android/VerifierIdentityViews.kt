package app.laissez.demo.android

import androidx.compose.foundation.background
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import app.laissez.VerifierIdentity
import app.laissez.demo.HistoryVerifier

/**
 * Who asks, on the consent screen. Verified: the organisation, country, purposes and "certified
 * by" registrar, all from the certificate (never the request's own text). Unverified: the
 * warning with the reason in plain words, and the request's name and purpose marked as not
 * checked.
 */
@Composable
fun VerifierHeader(identity: VerifierIdentity) {
    when (identity) {
        is VerifierIdentity.Verified -> Column(verticalArrangement = Arrangement.spacedBy(2.dp)) {
            Text(stringResource(R.string.review_title, identity.organisation), style = MaterialTheme.typography.titleLarge)
            Text(stringResource(R.string.verifier_country, identity.country))
            if (identity.purposes.isNotEmpty()) {
                Text(stringResource(R.string.verifier_purposes, identity.purposes.joinToString()))
            }
            Text(stringResource(R.string.verifier_certified_by, identity.registrar), style = MaterialTheme.typography.titleSmall)
            Text(
                stringResource(R.string.verifier_reference, identity.certificateReference),
                style = MaterialTheme.typography.labelSmall,
            )
        }
        is VerifierIdentity.Unverified -> UnverifiedWarning(identity)
    }
}

/** The one warning for an unverified verifier: it stands for every claim asked. */
@Composable
fun UnverifiedWarning(identity: VerifierIdentity.Unverified) {
    Column(
        Modifier.fillMaxWidth().background(MaterialTheme.colorScheme.errorContainer).padding(12.dp),
        verticalArrangement = Arrangement.spacedBy(4.dp),
    ) {
        Text(
            stringResource(R.string.unverified_verifier),
            style = MaterialTheme.typography.titleLarge,
            color = MaterialTheme.colorScheme.onErrorContainer,
        )
        Text(identity.reason.text(), color = MaterialTheme.colorScheme.onErrorContainer)
        Text(stringResource(R.string.verifier_claims_to_be, identity.claimedName), color = MaterialTheme.colorScheme.onErrorContainer)
        Text(
            stringResource(R.string.verifier_claimed_purpose, identity.claimedPurpose),
            color = MaterialTheme.colorScheme.onErrorContainer,
        )
        Text(
            stringResource(R.string.unverified_advice),
            style = MaterialTheme.typography.bodySmall,
            color = MaterialTheme.colorScheme.onErrorContainer,
        )
    }
}

/** Who a disclosure in the history went to: the certified identity, or "unverified" and the unchecked name. */
@Composable
fun HistoryVerifierLine(verifier: HistoryVerifier) {
    when (verifier) {
        is HistoryVerifier.Verified -> Text(
            stringResource(R.string.history_verified, verifier.organisation, verifier.country, verifier.registrar),
        )
        is HistoryVerifier.Unverified -> Column {
            Text(stringResource(R.string.history_unverified), color = MaterialTheme.colorScheme.error)
            Text(stringResource(R.string.verifier_claims_to_be, verifier.claimedName), style = MaterialTheme.typography.bodySmall)
            Text(
                verifier.reason?.text() ?: stringResource(R.string.unverified_reason_unknown),
                style = MaterialTheme.typography.bodySmall,
            )
        }
    }
}
