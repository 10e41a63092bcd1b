package app.laissez.demo.android

import android.app.Application
import androidx.lifecycle.AndroidViewModel
import androidx.lifecycle.viewModelScope
import app.laissez.CredentialFormat
import android.net.Uri
import app.laissez.FieldVerifier
import app.laissez.RegisteredScope
import app.laissez.RequestedClaim
import app.laissez.RequestedCredential
import app.laissez.TestCardIssuer
import app.laissez.TestIssuer
import app.laissez.TestKeys
import app.laissez.TestRegistrar
import app.laissez.TestTrustListSigner
import app.laissez.Wallet
import app.laissez.WalletOptions
import app.laissez.demo.BackupViewModel
import app.laissez.demo.ConsentViewModel
import app.laissez.demo.CredentialsViewModel
import app.laissez.demo.DeskViewModel
import app.laissez.demo.DemoCardPrinter
import app.laissez.demo.DemoKeys
import app.laissez.demo.HistoryViewModel
import app.laissez.demo.IdentityCardsViewModel
import app.laissez.demo.IssuanceViewModel
import app.laissez.demo.OnboardingViewModel
import app.laissez.demo.ResponseDisplayViewModel
import app.laissez.demo.SettingsViewModel
import app.laissez.demo.StaticPresentationViewModel
import app.laissez.demo.UiError
import app.laissez.demo.UnlockViewModel
import app.laissez.demo.VerifierViewModel
import app.laissez.demo.toUiError
import app.laissez.createWallet
import app.laissez.openWallet
import app.laissez.recommendedPinKdf
import java.io.File
import java.security.SecureRandom
import java.util.Locale
import kotlin.coroutines.cancellation.CancellationException
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.launch

/** What the demo registrar's certificates name as their issuer. */
private const val DEMO_REGISTRAR_ID = "urn:laissez:demo:registrar"

/** Up to [max] bytes of the stream (InputStream.readNBytes needs API 33). */
private fun java.io.InputStream.readNBytesCompat(max: Int): ByteArray {
    val out = java.io.ByteArrayOutputStream()
    val buffer = ByteArray(8192)
    while (out.size() < max) {
        val n = read(buffer, 0, minOf(buffer.size, max - out.size()))
        if (n < 0) break
        out.write(buffer, 0, n)
    }
    return out.toByteArray()
}

/**
 * The Android side of the demo: owns the wallets and creates the plain-Kotlin view models of
 * app.laissez.demo for the screen shown. Everything here survives rotation.
 */
class DemoViewModel(app: Application) : AndroidViewModel(app) {
    /** The tabs: the holder's wallet, the field verifier, the demo's registration desk. */
    enum class Mode { HOLDER, VERIFIER, DESK }

    val lang: String = Locale.getDefault().language

    /** The camera and hardware key: the real phone's, or a test's ([PhoneProvider]). */
    private val phone: Phone = (app as PhoneProvider).phone

    private val _mode = MutableStateFlow(Mode.HOLDER)
    val mode: StateFlow<Mode> = _mode.asStateFlow()
    fun switchMode(mode: Mode) { _mode.value = mode }

    /** Runs [block] on the view model's scope (the screens call suspend view-model actions). */
    fun launchWork(block: suspend () -> Unit) {
        viewModelScope.launch { block() }
    }

    /** Where a wallet gate stands. */
    sealed class Step {
        data object Loading : Step()
        data class Onboarding(val vm: OnboardingViewModel) : Step()
        /** A new phone restoring the old one's backup, scanned as QR codes. */
        data class Restore(val vm: BackupViewModel.Restore) : Step()
        data class Unlock(val vm: UnlockViewModel, val wallet: Wallet) : Step()
        data class Open(val wallet: Wallet) : Step()
        data class Failed(val error: UiError) : Step()
    }

    /**
     * Onboarding or lock screen until a wallet is open. The holder and the field verifier each
     * have their own wallet file and Keystore key.
     */
    inner class Gate(private val file: File, private val keyAlias: String) {
        private val options = phone.walletOptions(keyAlias)

        /** The wallet file's path (settings delete it). */
        val walletPath: String get() = file.absolutePath

        private val _step = MutableStateFlow<Step>(Step.Loading)
        val step: StateFlow<Step> = _step.asStateFlow()

        init {
            start()
        }

        /** Onboarding when there is no wallet file, else the lock screen of the one there. */
        private fun start() {
            launchWork {
                _step.value = if (!file.exists()) {
                    Step.Onboarding(OnboardingViewModel(file.absolutePath, options))
                } else {
                    try {
                        val wallet = openWallet(file.absolutePath, options)
                        Step.Unlock(UnlockViewModel(wallet), wallet)
                    } catch (e: CancellationException) {
                        throw e
                    } catch (e: Exception) {
                        Step.Failed(e.toUiError())
                    }
                }
            }
        }

        /** From onboarding: restore the old phone's backup instead of a new wallet. */
        fun restoreFromOtherPhone() {
            _step.value = Step.Restore(BackupViewModel.Restore(file.absolutePath, options))
        }

        /**
         * The open wallet was closed and deleted (settings): back to onboarding, or to the lock
         * screen of what is left should a file have stayed behind.
         */
        fun walletDeleted() {
            _step.value = Step.Loading
            start()
        }

        fun cancelRestore() {
            if (_step.value is Step.Restore) _step.value = Step.Onboarding(OnboardingViewModel(file.absolutePath, options))
        }

        fun opened(wallet: Wallet) {
            _step.value = Step.Open(wallet)
            // The demo keys come from (or go to) the wallet just opened: see [demoKeys].
            launchWork { demoKeys.opened(wallet) }
        }

        /**
         * The app went to the background: an open wallet is locked (the core drops its keys)
         * and the lock screen is what shows on return. Onboarding and restore are left as they are.
         */
        fun lock() {
            val open = step.value as? Step.Open ?: return
            open.wallet.lock()
            _step.value = Step.Unlock(UnlockViewModel(open.wallet), open.wallet)
        }

        fun close() {
            (step.value as? Step.Open)?.wallet?.close()
            (step.value as? Step.Unlock)?.wallet?.close()
        }
    }

    // noBackupFilesDir: never in a cloud backup (see the manifest).
    val holderGate = Gate(File(app.noBackupFilesDir, "wallet.db"), "laissez-holder")
    val verifierGate = Gate(File(app.noBackupFilesDir, "verifier.db"), "laissez-verifier")

    /** Set while the app's own picker (a certificate file) covers it: that is not leaving the app. */
    private var pickerOpen = false

    /** Before launching the app's own picker, so the background lock leaves the wallets open. */
    fun openingPicker() { pickerOpen = true }

    /**
     * The app is no longer visible (home button, another app, the screen off): both wallets lock,
     * so whoever picks up the phone next sees the lock screen and no personal data. The holder
     * goes back to the list: a half-made answer or consent is not kept behind the lock.
     */
    fun movedToBackground() {
        if (pickerOpen) return
        holderGate.lock()
        verifierGate.lock()
        (holderScreen.value as? HolderScreen.Response)?.vm?.stop()
        (holderScreen.value as? HolderScreen.Issuance)?.vm?.close()
        _holderScreen.value = HolderScreen.Credentials
        // Their decrypted rows go with the lock; the list loads again after unlocking.
        credentials = null
        identityCards = null
    }

    /** Visible again: the next time the app leaves is a real departure again. */
    fun movedToForeground() { pickerOpen = false }

    /** The holder's screens after unlock. */
    sealed class HolderScreen {
        data object Credentials : HolderScreen()
        data class Consent(val vm: ConsentViewModel) : HolderScreen()
        /** Animated QR codes: an answer for a verifier, or ([backup]) the wallet for a new phone. */
        data class Response(val vm: ResponseDisplayViewModel, val backup: Boolean = false) : HolderScreen()
        data class History(val vm: HistoryViewModel) : HolderScreen()
        /** A check without a request: choose a credential and claims, show a static presentation. */
        data class Static(val vm: StaticPresentationViewModel) : HolderScreen()
        /** "Add a credential from a desk": offline issuance over QR codes. */
        data class Issuance(val vm: IssuanceViewModel) : HolderScreen()
        /** Change PIN, hardware key on/off, delete the wallet. */
        data class Settings(val vm: SettingsViewModel) : HolderScreen()
    }

    private val _holderScreen = MutableStateFlow<HolderScreen>(HolderScreen.Credentials)
    val holderScreen: StateFlow<HolderScreen> = _holderScreen.asStateFlow()

    private var credentials: CredentialsViewModel? = null
    fun credentials(wallet: Wallet): CredentialsViewModel =
        credentials ?: CredentialsViewModel(wallet, lang).also { vm -> credentials = vm; launchWork { vm.load() } }

    fun showCredentials() {
        (holderScreen.value as? HolderScreen.Response)?.vm?.stop()
        (holderScreen.value as? HolderScreen.Issuance)?.vm?.close()
        _holderScreen.value = HolderScreen.Credentials
        credentials?.let { vm -> launchWork { vm.load() } }
    }
    fun scanRequest(wallet: Wallet) {
        // A national ID card's code seen by this camera is kept as an identity card.
        _holderScreen.value = HolderScreen.Consent(
            ConsentViewModel(wallet, lang = lang, onIdentityCard = { text ->
                showCredentials()
                identityCards(wallet).importCode(text)
            }),
        )
    }

    private var identityCards: IdentityCardsViewModel? = null
    /** The holder's identity cards (issue 16), listed beside the credentials. */
    fun identityCards(wallet: Wallet): IdentityCardsViewModel =
        identityCards ?: IdentityCardsViewModel(wallet, lang = lang).also { vm -> identityCards = vm; launchWork { vm.load() } }
    fun showResponse(frames: List<app.laissez.QrFrame>, backup: Boolean = false) {
        _holderScreen.value = HolderScreen.Response(ResponseDisplayViewModel(frames, viewModelScope), backup)
    }

    /** The old phone: the whole wallet as animated QR codes for the new one. */
    fun showBackup(wallet: Wallet) = launchWork {
        val export = BackupViewModel.Export(wallet)
        export.prepare()
        when (val s = export.state.value) {
            is BackupViewModel.Export.State.Showing -> showResponse(s.frames, backup = true)
            is BackupViewModel.Export.State.Failed -> credentials?.load(s.error)
            else -> Unit
        }
    }

    /**
     * "Show without a request", from a credential's detail ([credentialId]: its claims at once)
     * or from the list (null: choose a credential first).
     */
    fun showStatic(wallet: Wallet, credentialId: String? = null) {
        val vm = StaticPresentationViewModel(wallet, lang)
        _holderScreen.value = HolderScreen.Static(vm)
        launchWork { if (credentialId != null) vm.choose(credentialId) else vm.load() }
    }

    /** A frame cycler for [frames] on this scope (the static screen draws its codes with it). */
    fun display(frames: List<app.laissez.QrFrame>) = ResponseDisplayViewModel(frames, viewModelScope)

    /** From the credentials list: scan a desk's offer, review it, receive the batch. */
    fun addFromDesk(wallet: Wallet) {
        _holderScreen.value = HolderScreen.Issuance(IssuanceViewModel(wallet))
    }

    fun showSettings(wallet: Wallet) {
        _holderScreen.value = HolderScreen.Settings(SettingsViewModel(wallet, holderGate.walletPath))
    }

    /**
     * After settings deleted the holder's wallet (closed, files removed): the screens that held
     * it are dropped and the gate starts over at onboarding.
     */
    fun holderWalletDeleted() {
        // The gate first: its screens stop showing the closed wallet before the list is reset.
        holderGate.walletDeleted()
        credentials = null
        identityCards = null
        _holderScreen.value = HolderScreen.Credentials
    }

    fun showHistory(wallet: Wallet) {
        _holderScreen.value = HolderScreen.History(HistoryViewModel.holder(wallet).also { vm -> launchWork { vm.load() } })
    }

    /**
     * Demo only: the test keys that let one phone play every part, kept in both wallets so they
     * survive a restart (issue 17; the rule between the two wallets is in [DemoKeys]): an issuer
     * and the trust-list signer that vouches for it, a registrar of verifiers that certifies the
     * demo's verifier ([registerDemoVerifier]), and a civil registry printing identity cards
     * (Claim 169 codes) of Kenya ("Demo: print a card"). None before a wallet is open. Real
     * credentials come from real issuers; real trust lists are scanned.
     */
    val demoKeys = DemoKeys {
        TestKeys.create(
            TestIssuer.create("Laissez Demo Issuer"),
            TestTrustListSigner.create(),
            TestRegistrar.create(DEMO_REGISTRAR_ID, "Laissez Demo Registrar", "CH"),
            TestCardIssuer.create("Civil Registry (demo)", "KEN"),
        )
    }
    val cardPrinter = DemoCardPrinter({ demoKeys.await().cardIssuer() })
    fun printDemoCard() = launchWork { cardPrinter.print("Amina Yusuf Abdi", "3918592438", 365u, demoPortraitJpeg()) }
    // A type with built-in labels in the core (en/fr/ar): credentials carry no labels.
    val demoType = "urn:laissez:iom:registration:1"

    fun addDemoCredential(wallet: Wallet) = launchWork {
        val claims = """{"given_name":"Amina","family_name":"Haddad","nationality":"SD","birth_date":"1990-05-01"}"""
        val vm = credentials(wallet)
        try {
            vm.import(demoKeys.await().issuer().issueSdJwt(demoType, claims, wallet.holderKey().jwk))
        } catch (e: CancellationException) {
            throw e
        } catch (e: Exception) {
            vm.load(e.toUiError())
        }
    }

    private var verifierVm: VerifierViewModel? = null
    fun verifier(wallet: Wallet): VerifierViewModel =
        verifierVm ?: VerifierViewModel(FieldVerifier(wallet), lang = lang).also { vm ->
            verifierVm = vm
            launchWork {
                vm.refreshTrust()
                vm.refreshRegistration()
                // The demo desk is certified by the demo registrar afresh at each start (30 more
                // days); a certificate from another registrar, installed from a file, is kept.
                val installed = vm.registration.value.certificate
                if (installed == null || installed.registrarId == DEMO_REGISTRAR_ID) {
                    registerDemoVerifier(vm, getApplication<Application>().getString(R.string.purpose_default))
                }
            }
        }

    fun trustDemoIssuer(vm: VerifierViewModel) = launchWork {
        val keys = demoKeys.await()
        vm.importTrustList(keys.trustList(), keys.trustListSigner().publicJwk())
    }

    /**
     * The demo trust list: the demo issuer, registrar and card issuer, signed by the demo
     * trust-list signer. The holder imports it ([trustDemoVerifiers], [trustDemoDesk]) so the
     * demo's verifier, certified by the demo registrar, shows as verified.
     */
    private fun TestKeys.trustList(): String =
        trustListSigner().sign((System.currentTimeMillis() / 1000).toULong(), 30u, listOf(issuer()), listOf(registrar()), listOf(cardIssuer()))

    /**
     * Demo only: the demo trust list as animated QR codes, as a coordinator's phone hands a new
     * list to verifiers in the field (they scan it while waiting for an answer), or why the core
     * could not make them.
     */
    suspend fun demoTrustListFrames(): Result<List<app.laissez.QrFrame>> = try {
        Result.success(app.laissez.qrFrames(app.laissez.trustListMessage(demoKeys.await().trustList())))
    } catch (e: CancellationException) {
        throw e
    } catch (e: Exception) {
        Result.failure(e)
    }

    /**
     * Demo only: the holder's wallet trusts the demo desk and the demo registrar (so the demo
     * verifier, once registered, is shown as verified). A failure shows on the credentials list.
     */
    fun trustDemoVerifiers(wallet: Wallet) = launchWork {
        val vm = credentials(wallet)
        try {
            val keys = demoKeys.await()
            wallet.importIssuerTrustList(keys.trustList(), keys.trustListSigner().publicJwk())
            vm.load()
        } catch (e: CancellationException) {
            throw e
        } catch (e: Exception) {
            vm.load(e.toUiError())
        }
    }

    /**
     * Demo only: the demo registrar certifies this verifier as "Laissez Demo Desk" for 30 days,
     * registered for the demo type's names and photo but not its nationality, so a request for
     * nationality shows the holder a claim beyond the registration. From then on its requests
     * are signed.
     */
    fun registerDemoVerifier(vm: VerifierViewModel, purpose: String) = launchWork {
        val registrar = demoKeys.await().registrar()
        val now = System.currentTimeMillis() / 1000
        val scope = listOf(RegisteredScope(demoType, listOf("given_name", "family_name", "picture")))
        vm.registerWith { key -> registrar.certify(key, "Laissez Demo Desk", "CH", listOf(purpose), scope, now - 60, now + 30 * 86_400L) }
    }

    /**
     * Installs the registration certificate in the file at [uri] (a registrar's file, at most
     * 64 KiB). A file that cannot be read is refused like a damaged certificate.
     */
    fun installCertificateFile(vm: VerifierViewModel, uri: Uri) = launchWork {
        val bytes = try {
            getApplication<Application>().contentResolver.openInputStream(uri)?.use { input ->
                val limit = 64 * 1024
                val read = input.readNBytesCompat(limit + 1)
                if (read.size > limit) ByteArray(0) else read
            } ?: ByteArray(0)
        } catch (e: CancellationException) {
            throw e
        } catch (e: Exception) {
            ByteArray(0)
        }
        vm.installCertificate(bytes)
    }

    /**
     * Demo only: a second verifier that is never registered, on a throwaway wallet file (made
     * afresh in the cache with a random PIN kept in memory), so the demo can still show an
     * unsigned request and the holder's unverified path after the desk has registered. Null
     * unless one is in use.
     */
    private val _unsignedDesk = MutableStateFlow<VerifierViewModel?>(null)
    val unsignedDesk: StateFlow<VerifierViewModel?> = _unsignedDesk.asStateFlow()
    private var unsignedVerifier: FieldVerifier? = null
    private var unsignedWallet: Wallet? = null

    /** Shows an unsigned request from [unsignedDesk] (made on first use). */
    fun unsignedRequest(name: String, purpose: String) = launchWork {
        val vm = _unsignedDesk.value ?: try {
            val keys = demoKeys.await()
            VerifierViewModel(unregisteredVerifier(), lang = lang).also { it.importTrustList(keys.trustList(), keys.trustListSigner().publicJwk()) }
        } catch (e: CancellationException) {
            throw e
        } catch (e: Exception) {
            verifierVm?.showProblem(e.toUiError())
            return@launchWork
        }
        _unsignedDesk.value = vm
        vm.newRequest(name, purpose, demoRequest())
        // A failure goes back to the verifier's own desk, which shows it.
        (vm.state.value as? VerifierViewModel.State.Idle)?.error?.let { error ->
            _unsignedDesk.value = null
            verifierVm?.showProblem(error)
        }
    }

    /** The field verifier's log, newest first (loading). */
    fun verifierLog(wallet: Wallet): HistoryViewModel =
        HistoryViewModel.verifier(FieldVerifier(wallet)).also { vm -> launchWork { vm.load() } }

    /** Back from [unsignedDesk] to the verifier's own desk. */
    fun endUnsigned() {
        _unsignedDesk.value?.done()
        _unsignedDesk.value = null
    }

    private suspend fun unregisteredVerifier(): FieldVerifier = unsignedVerifier ?: run {
        val file = File(getApplication<Application>().cacheDir, "demo-unregistered-verifier.db")
        file.delete()
        val pin = (1..8).map { SecureRandom().nextInt(10) }.joinToString("")
        val wallet = createWallet(file.absolutePath, pin, WalletOptions(recommendedPinKdf(), null, null)).wallet
        unsignedWallet = wallet
        FieldVerifier(wallet).also { unsignedVerifier = it }
    }

    fun demoRequest() = listOf(
        RequestedCredential(
            demoType,
            listOf(
                RequestedClaim("given_name", true),
                RequestedClaim("family_name", true),
                RequestedClaim("nationality", false),
                // The photo the desk signs in (SD-JWT VC "picture"): shown large beside the verdict.
                RequestedClaim("picture", false),
            ),
        ),
    )

    /**
     * Demo only: makes the holder's wallet trust the demo desk (the demo trust list, whose
     * signer's key is pinned at the first import). The keys are kept ([demoKeys]), so a later
     * list, after a restart too, is from the same signer.
     */
    fun trustDemoDesk(vm: IssuanceViewModel) = launchWork {
        val keys = demoKeys.await()
        vm.trustIssuers(keys.trustList(), keys.trustListSigner().publicJwk())
    }

    /** What the desk screen chooses from: a type per format (both with built-in labels). */
    val deskTypes = mapOf(
        CredentialFormat.SD_JWT to demoType,
        CredentialFormat.MDOC to "org.iom.registration.1",
    )

    /** The person at the desk (demo claims). */
    private val deskClaims =
        """{"given_name":"Amina","family_name":"Haddad","nationality":"SD","birth_date":"1990-05-01"}"""

    /**
     * Issuer mode: the demo desk on the demo issuer (the issuer "Trust the demo issuer" makes
     * verifiers trust). [withPhoto] signs a generated demo photo into every copy. Its keys are
     * kept in the wallets ([demoKeys]), so the desk is ready once a wallet has been opened in
     * this run (null before); its offer ledger is in memory only, so offers do not survive the
     * process.
     */
    private var desk: DeskViewModel? = null
    private val _deskWithPhoto = MutableStateFlow(true)
    val deskWithPhoto: StateFlow<Boolean> = _deskWithPhoto.asStateFlow()

    /**
     * The desk for the current photo choice (a new one, back at choosing, when it changes);
     * null until a wallet has been opened and brought the demo keys.
     */
    fun desk(): DeskViewModel? {
        val issuer = demoKeys.keys.value?.issuer() ?: return null
        return desk ?: DeskViewModel(issuer, deskClaims, if (deskWithPhoto.value) demoPortraitJpeg() else null).also { desk = it }
    }

    fun setDeskPhoto(enabled: Boolean) {
        if (enabled == deskWithPhoto.value) return
        desk?.close()
        desk = null
        _deskWithPhoto.value = enabled
    }

    override fun onCleared() {
        holderGate.close()
        verifierGate.close()
        desk?.close()
        (holderScreen.value as? HolderScreen.Issuance)?.vm?.close()
        unsignedVerifier?.close()
        unsignedWallet?.close()
    }
}
