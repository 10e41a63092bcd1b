package app.laissez.demo

import app.laissez.ClaimEntry
import app.laissez.CopiesState
import app.laissez.CredentialFormat
import app.laissez.CredentialSummary
import app.laissez.IssuerTrust
import app.laissez.Wallet
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow

/**
 * Who issued a credential, as the person may be told: a name only when the wallet's issuer
 * trust list vouches for it; otherwise "Unverified issuer", with the name the credential
 * gives itself shown only as its claim.
 */
sealed class IssuerLine {
    /** On the wallet's issuer trust list for this type: "Issued by [name]". */
    data class Trusted(val name: String) : IssuerLine()

    /** On the trust list, but not for this type: "[name] is not trusted to issue this". */
    data class NotAllowed(val name: String) : IssuerLine()

    /** On no trust list the wallet holds: "Unverified issuer" and, when given, "calls itself [claimedName]". */
    data class Unverified(val claimedName: String?) : IssuerLine()
}

/**
 * The issuer line of a credential: the trust list's name, never the credential's own (display
 * metadata in [lang], else its certificate's name) unless marked as a claim.
 */
internal fun CredentialSummary.issuerLine(lang: String): IssuerLine = when (val t = issuerTrust) {
    is IssuerTrust.Trusted -> IssuerLine.Trusted(t.name)
    is IssuerTrust.NotAllowedForType -> IssuerLine.NotAllowed(t.name)
    IssuerTrust.Unknown -> IssuerLine.Unverified(display?.issuerName?.get(lang) ?: claimedIssuerName)
}

/** A credential in the list: names in the person's language when the issuer gave them. */
data class CredentialRow(
    val id: String,
    val title: String,
    /** Who issued it, as far as the wallet can vouch ([IssuerLine]). */
    val issuer: IssuerLine,
    val format: CredentialFormat,
    val validUntil: Long?,
    /** One-time copies never presented, of [copiesTotal] (1 of 1 for a credential issued alone). */
    val copiesLeft: Int = 1,
    val copiesTotal: Int = 1,
    /** Few copies or none left: the list shows "ask the issuer for new copies". */
    val copiesWarning: CopiesWarning? = null,
)

/** The copies warning of a list row. */
enum class CopiesWarning {
    /** One copy left. */
    LOW,
    /** Every copy presented: presenting fails unless the reuse setting is on. */
    NONE_LEFT,
}

/** A claim of the detail screen. */
data class ClaimRow(val path: String, val label: String, val valueJson: String)

/** A list row: the issuer's names in [lang] when it gave them, else the type and issuer. */
internal fun CredentialSummary.toRow(lang: String) = CredentialRow(
    id = id,
    title = display?.credentialName?.get(lang) ?: credentialType,
    issuer = issuerLine(lang),
    format = format,
    validUntil = validUntil,
    copiesLeft = copiesLeft.toInt(),
    copiesTotal = copiesTotal.toInt(),
    copiesWarning = when (copiesState) {
        CopiesState.LOW -> CopiesWarning.LOW
        CopiesState.EXHAUSTED -> CopiesWarning.NONE_LEFT
        CopiesState.SINGLE, CopiesState.PLENTY -> null
    },
)

/** A claim's label as `showCredential` gave it in the asked language, else its last path segment. */
internal fun ClaimEntry.labelOrName(): String = label ?: path.substringAfterLast('/')

/** The holder's credentials: list, detail with localized labels, import, delete. */
class CredentialsViewModel(private val wallet: Wallet, private val lang: String = "en") {
    sealed class State {
        data object Loading : State()
        /**
         * [error]: the last failed action (import refused, ...). [reuseLastCopy]: whether the
         * last copy of a batch is presented again once the others are used (linkable).
         */
        data class List(
            val rows: kotlin.collections.List<CredentialRow>,
            val error: UiError? = null,
            val reuseLastCopy: Boolean = false,
        ) : State()
        /** [confirmingDelete]: "Delete" was pressed; the screen asks once more before [delete]. */
        data class Detail(
            val row: CredentialRow,
            val claims: kotlin.collections.List<ClaimRow>,
            val confirmingDelete: Boolean = false,
        ) : State()
        data class Failed(val error: UiError) : State()
    }

    private val _state = MutableStateFlow<State>(State.Loading)
    val state: StateFlow<State> = _state.asStateFlow()

    suspend fun load(error: UiError? = null) {
        _state.value = when (val r = attempt { wallet.listCredentials() to wallet.reuseLastCopy() }) {
            is Outcome.Ok -> State.List(r.value.first.map { it.toRow(lang) }, error, r.value.second)
            is Outcome.Failed -> State.Failed(r.error)
        }
    }

    /**
     * The wallet-wide setting: once every other copy is used, present the last one again
     * (verifiers can then link those presentations) instead of failing with
     * [UiError.NoCopiesLeft]. Off by default.
     */
    suspend fun setReuseLastCopy(enabled: Boolean) {
        when (val r = attempt { wallet.setReuseLastCopy(enabled) }) {
            is Outcome.Ok -> load()
            is Outcome.Failed -> load(r.error)
        }
    }

    suspend fun open(id: String) {
        _state.value = when (val r = attempt { wallet.showCredential(id, lang) }) {
            is Outcome.Ok -> State.Detail(
                r.value.summary.toRow(lang),
                r.value.claims.map { ClaimRow(it.path, it.labelOrName(), it.valueJson) },
            )
            is Outcome.Failed -> State.Failed(r.error)
        }
    }

    /** Imports a credential (bytes from a file, a link or the demo issuer). */
    suspend fun import(credential: ByteArray, issuerKeys: kotlin.collections.List<ByteArray> = emptyList()) {
        when (val r = attempt { wallet.importCredential(credential, issuerKeys) }) {
            is Outcome.Ok -> load()
            is Outcome.Failed -> load(r.error)
        }
    }

    /** The detail's "Delete": ask for a confirmation first (deleting cannot be undone). */
    fun askDelete() {
        val detail = _state.value as? State.Detail ?: return
        _state.value = detail.copy(confirmingDelete = true)
    }

    fun cancelDelete() {
        val detail = _state.value as? State.Detail ?: return
        _state.value = detail.copy(confirmingDelete = false)
    }

    /** Deletes the credential of the detail being confirmed; nothing unless [askDelete] came first. */
    suspend fun confirmDelete() {
        val detail = _state.value as? State.Detail ?: return
        if (detail.confirmingDelete) delete(detail.row.id)
    }

    suspend fun delete(id: String) {
        when (val r = attempt { wallet.deleteCredential(id) }) {
            is Outcome.Ok -> load()
            is Outcome.Failed -> load(r.error)
        }
    }
}
