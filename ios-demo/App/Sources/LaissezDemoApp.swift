import Laissez
import LaissezDemoKit
import SwiftUI

@main
struct LaissezDemoApp: App {
    var body: some Scene {
        WindowGroup { RootView() }
    }
}

/// The language of claim labels and verdicts: the phone's, if Laissez has it.
var appLanguage: String {
    let code = Locale.preferredLanguages.first.map { String($0.prefix(2)) } ?? "en"
    return ["en", "fr", "ar"].contains(code) ? code : "en"
}

/// The wallet file of a mode, in Application Support (excluded from backups: the encrypted
/// backup of the 24 words is the way to move phones).
func walletSetup(_ name: String) -> WalletSetup {
    let base = FileManager.default.urls(for: .applicationSupportDirectory, in: .userDomainMask)[0]
    var dir = base.appendingPathComponent("Laissez", isDirectory: true)
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    var values = URLResourceValues()
    values.isExcludedFromBackup = true
    try? dir.setResourceValues(values)
    return WalletSetup(path: dir.appendingPathComponent(name).path,
                       platformKey: SecureEnclaveKeyProtector(label: "org.laissez.demo.\(name)"))
}

enum Mode: String { case holder, verifier }

/// Demo only: the demo issuer, trust-list signer, registrar and card issuer, shared by both
/// modes so one phone can play both parts (holder: "Add a demo credential"; verifier: "Trust the
/// demo issuer"). Their keys are kept in the wallets (`DemoKeys`, opened by `GateView`), so they
/// survive the app quitting.
@MainActor let demoContent = DemoContent()

/// Holder or field verifier, each with its own wallet file; both unlock with a PIN first.
struct RootView: View {
    @AppStorage("mode") private var mode: Mode?

    var body: some View {
        switch mode {
        case nil:
            VStack(spacing: 24) {
                Text("app.title").font(.largeTitle)
                Button("mode.holder") { mode = .holder }.buttonStyle(.borderedProminent)
                Button("mode.verifier") { mode = .verifier }.buttonStyle(.bordered)
            }
        case .holder?:
            GateView(setup: walletSetup("holder.db")) { wallet in HolderHome(wallet: wallet) }
        case .verifier?:
            GateView(setup: walletSetup("verifier.db")) { wallet in VerifierHome(wallet: wallet) }
        }
    }
}

/// Onboarding (or a restore from the old phone) when there is no wallet, the PIN otherwise;
/// then `content` with the unlocked wallet.
struct GateView<Content: View>: View {
    let setup: WalletSetup
    @ViewBuilder let content: (Wallet) -> Content
    @StateObject private var unlock: ModelBox<UnlockModel, UnlockState>
    @Environment(\.scenePhase) private var scenePhase
    /// The wallet the demo keys were opened with (`DemoKeys`): its screens show only then, so
    /// no demo action runs before the kept keys are loaded.
    @State private var keysOpenedFor: ObjectIdentifier?

    init(setup: WalletSetup, @ViewBuilder content: @escaping (Wallet) -> Content) {
        self.setup = setup
        self.content = content
        _unlock = StateObject(wrappedValue: ModelBox(UnlockModel(setup: setup)))
    }

    var body: some View {
        Group {
            if unlock.state == .unlocked, let wallet = unlock.model.wallet {
                if keysOpenedFor == ObjectIdentifier(wallet) {
                    // The settings delete the wallet through the gate, which owns it.
                    content(wallet).environment(\.deleteWallet) { Task { await unlock.model.deleteWallet() } }
                } else {
                    ProgressView().task {
                        await demoContent.keys.opened(wallet)
                        keysOpenedFor = ObjectIdentifier(wallet)
                    }
                }
            } else if unlock.state == .noWallet {
                // A created or restored wallet goes to the unlock model, so the background lock
                // and the PIN apply to it as to any other.
                OnboardingView(setup: setup) { unlock.model.adopt($0) }
            } else {
                if unlock.state == .deleting {
                    ProgressView("delete_wallet.deleting")
                } else {
                    PinView(state: unlock.state) { pin in Task { await unlock.model.unlock(pin: pin) } }
                }
            }
        }
        .task { await unlock.model.open() }
        .onChange(of: scenePhase) { phase in
            if phase == .background { unlock.model.lock() }
        }
    }
}
