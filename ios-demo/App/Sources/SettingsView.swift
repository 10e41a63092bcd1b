import Laissez
import LaissezDemoKit
import SwiftUI

/// What deletes the open wallet once the settings confirmed it: `GateView` puts
/// `UnlockModel.deleteWallet()` here, run in a task of its own (the settings sheet goes away
/// while it waits for the wallet's screens to let go of the wallet).
struct DeleteWalletAction: EnvironmentKey {
    static let defaultValue: (@MainActor () -> Void)? = nil
}

extension EnvironmentValues {
    var deleteWallet: (@MainActor () -> Void)? {
        get { self[DeleteWalletAction.self] }
        set { self[DeleteWalletAction.self] = newValue }
    }
}

/// The holder's settings: change the PIN, hardware key protection on or off, delete the wallet
/// (the warning says what the 24 words can and cannot bring back, and offers the move to
/// another phone first). Shown as a sheet from the holder's toolbar.
struct SettingsView: View {
    @StateObject private var box: ModelBox<SettingsModel, SettingsState>
    @Environment(\.dismiss) private var dismiss
    @Environment(\.deleteWallet) private var deleteWallet
    /// Opens the move to another phone (the holder's backup sheet).
    let backup: () -> Void
    /// What was typed, kept while the core checks it (the form leaves the screen meanwhile):
    /// after a wrong current PIN the new PIN is still there. Cleared on the overview.
    @State private var typed = TypedPins()

    init(wallet: Wallet, backup: @escaping () -> Void) {
        _box = StateObject(wrappedValue: ModelBox(SettingsModel(wallet: wallet)))
        self.backup = backup
    }

    var body: some View {
        NavigationView {
            Group {
                switch box.state {
                case .overview(let protected, let notice, let problem):
                    overview(protected: protected, notice: notice, problem: problem)
                        .onAppear { typed = TypedPins() }
                case .form(let form, let problem, _):
                    SettingsFormView(model: box.model, form: form, problem: problem, backup: backup, typed: $typed)
                case .working:
                    ProgressView()
                case .deletionConfirmed:
                    // The gate takes the wallet's screens down, then removes the files.
                    ProgressView("delete_wallet.deleting").onAppear { deleteWallet?() }
                }
            }
            .navigationTitle(Text("settings.title"))
            .toolbar {
                ToolbarItem(placement: .cancellationAction) {
                    Button("common.close") { dismiss() }
                }
            }
        }
    }

    private func overview(protected: Bool, notice: SettingsNotice?, problem: Problem?) -> some View {
        List {
            if let notice {
                Section { Text(notice.text).foregroundColor(.accentColor) }
            }
            if let problem {
                Section { Text(problem.text).foregroundColor(.red) }
            }
            Section {
                Button("settings.change_pin") { box.model.startChangePin() }
            }
            Section(footer: Text("settings.hardware_key_explain")) {
                HStack {
                    Text("settings.hardware_key")
                    Spacer()
                    Text(protected ? "settings.hardware_key_on" : "settings.hardware_key_off").foregroundColor(.secondary)
                }
                .accessibilityElement(children: .combine)
                Button(protected ? "settings.turn_off" : "settings.turn_on") {
                    box.model.startProtection(enable: !protected)
                }
            }
            Section {
                Button("settings.delete_wallet", role: .destructive) { box.model.startDeleteWallet() }
            }
        }
    }
}

/// The PINs typed in a settings form.
private struct TypedPins {
    var pin = ""
    var newPin = ""
    var repeated = ""
}

/// A form of the settings that asks for the PIN: change it, turn protection on or off, or the
/// deletion warning with its tick.
private struct SettingsFormView: View {
    let model: SettingsModel
    let form: SettingsForm
    let problem: Problem?
    let backup: () -> Void
    @Binding var typed: TypedPins
    @State private var secondsLeft: Int64 = 0

    var body: some View {
        Form {
            switch form {
            case .changePin:
                Section(header: Text("settings.change_pin")) {
                    SecureField("settings.current_pin", text: $typed.pin).keyboardType(.numberPad)
                    SecureField("settings.new_pin", text: $typed.newPin).keyboardType(.numberPad)
                    SecureField("settings.new_pin_again", text: $typed.repeated).keyboardType(.numberPad)
                }
            case .protection:
                Section(header: Text("settings.hardware_key"), footer: Text("settings.hardware_key_explain")) {
                    Text("settings.confirm_with_pin")
                    SecureField("unlock.pin", text: $typed.pin).keyboardType(.numberPad)
                }
            case .deleteWallet(let acknowledged):
                Section(header: Text("delete_wallet.title")) {
                    Text("delete_wallet.gone")
                    Text("delete_wallet.words")
                    Text("delete_wallet.keep")
                    Button("holder.backup") { backup() }
                }
                Section {
                    Toggle("delete_wallet.understand", isOn: Binding(
                        get: { acknowledged },
                        set: { model.acknowledgeDeletion($0) }
                    ))
                    SecureField("unlock.pin", text: $typed.pin).keyboardType(.numberPad)
                }
            }
            Section {
                if secondsLeft > 0 {
                    Text("settings.wait \(Int(secondsLeft))").foregroundColor(.red)
                } else if let problem {
                    Text(problem.text).foregroundColor(.red)
                }
                Button(role: isDeletion ? .destructive : nil) { send() } label: { Text(sendLabel) }
                    .disabled(!canSend)
                Button("common.cancel") { model.cancel() }
            }
        }
        // The countdown of a wait: the model lets the form be sent again once it is over.
        .task(id: problem) {
            secondsLeft = model.secondsLeft()
            while secondsLeft > 0 {
                try? await Task.sleep(nanoseconds: 1_000_000_000)
                secondsLeft = model.secondsLeft()
            }
            model.tick()
        }
    }

    private var isDeletion: Bool {
        if case .deleteWallet = form { return true }
        return false
    }

    private var sendLabel: LocalizedStringKey {
        switch form {
        case .changePin: return "settings.confirm"
        case .protection(let enable): return enable ? "settings.turn_on" : "settings.turn_off"
        case .deleteWallet: return "delete_wallet.for_good"
        }
    }

    private var canSend: Bool {
        guard secondsLeft == 0, !typed.pin.isEmpty else { return false }
        if case .deleteWallet(let acknowledged) = form { return acknowledged }
        return true
    }

    private func send() {
        let entered = typed.pin
        let newPin = typed.newPin
        let repeated = typed.repeated
        typed.pin = ""
        Task {
            switch form {
            case .changePin: await model.changePin(current: entered, newPin: newPin, repeated: repeated)
            case .protection: await model.setProtection(pin: entered)
            case .deleteWallet: await model.confirmDeletion(pin: entered)
            }
        }
    }
}

extension SettingsNotice {
    var text: LocalizedStringKey {
        switch self {
        case .pinChanged: return "settings.pin_changed"
        case .protectionOn: return "settings.protection_turned_on"
        case .protectionOff: return "settings.protection_turned_off"
        }
    }
}
