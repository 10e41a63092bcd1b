package app.laissez.demo

import app.laissez.TestKeys
import app.laissez.TestKeysException
import app.laissez.Wallet
import kotlin.coroutines.cancellation.CancellationException
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.filterNotNull
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.sync.Mutex
import kotlinx.coroutines.sync.withLock

/**
 * Demo only: the process's test keys (the demo issuer, trust-list signer, registrar and card
 * issuer, as one [TestKeys] set), kept in every wallet the demo opens so they survive a restart
 * (issue 17). The keys stay in the Rust core: the wallet keeps them as an encrypted record.
 *
 * The rule, applied by [opened] each time a wallet is open (created, unlocked or restored):
 * - The first wallet opened in the process supplies the keys: the set it keeps, or, when it
 *   keeps none (a new wallet, or one from before keys were kept), a set made now ([make]) and
 *   kept in it.
 * - A wallet opened later that keeps no set gets a copy of the process's set.
 * - A wallet opened later that keeps another set (the two wallets were first opened in
 *   different runs) or a damaged one: the process's set replaces it, so from then on the two
 *   wallets agree and the question never comes back. The process's set wins because it is in
 *   use already this run (the verifier registered with its registrar, an offer or a card signed
 *   with it); switching keys mid-run would break those. The replaced wallet's pinned signer
 *   then refuses the next demo trust list once (`SignerChanged`), as every restart did before
 *   keys were kept.
 * - A wallet that cannot be read or written: the keys work for this run only ([Outcome.NotKept]).
 *
 * Before any wallet is open there are no keys: [keys] is null and [await] waits.
 */
class DemoKeys(private val make: () -> TestKeys) {
    /** What [opened] did with a wallet. */
    sealed class Outcome {
        /** The first wallet of the process: its kept set is the process's. */
        data object Loaded : Outcome()
        /** The first wallet kept none: a set was made and kept in it. */
        data object Made : Outcome()
        /** A later wallet kept none: it keeps the process's set now. */
        data object Copied : Outcome()
        /** A later wallet kept the process's set already. */
        data object AlreadyKept : Outcome()
        /** A later wallet kept another set, or a damaged one: the process's set replaced it. */
        data object Replaced : Outcome()
        /** The wallet could not be read or written: the process's set works for this run only. */
        data class NotKept(val error: UiError) : Outcome()
    }

    private val mutex = Mutex()
    private val _keys = MutableStateFlow<TestKeys?>(null)

    /** The process's keys; null until a wallet has been opened. */
    val keys: StateFlow<TestKeys?> = _keys.asStateFlow()

    /** The process's keys, once a wallet has been opened. */
    suspend fun await(): TestKeys = keys.filterNotNull().first()

    /** Applies the rule (see the class) to [wallet], which must be unlocked. */
    suspend fun opened(wallet: Wallet): Outcome = mutex.withLock {
        val (kept, damaged) = try {
            wallet.keptTestKeys() to false
        } catch (e: TestKeysException.Unreadable) {
            null to true
        } catch (e: CancellationException) {
            throw e
        } catch (e: Exception) {
            if (_keys.value == null) _keys.value = make()
            return@withLock Outcome.NotKept(e.toUiError())
        }
        val current = _keys.value
        when {
            current == null && kept != null -> Outcome.Loaded.also { _keys.value = kept }
            current == null -> make().let { made ->
                _keys.value = made
                keep(made, wallet) ?: Outcome.Made
            }
            kept != null && kept.fingerprint() == current.fingerprint() -> Outcome.AlreadyKept
            kept == null && !damaged -> keep(current, wallet) ?: Outcome.Copied
            else -> keep(current, wallet) ?: Outcome.Replaced
        }
    }

    /** Keeps [keys] in [wallet]; null when kept, else why not. */
    private suspend fun keep(keys: TestKeys, wallet: Wallet): Outcome.NotKept? = try {
        keys.keepIn(wallet)
        null
    } catch (e: CancellationException) {
        throw e
    } catch (e: Exception) {
        Outcome.NotKept(e.toUiError())
    }
}
