import Laissez
import LaissezDemoKit
import SwiftUI

/// The old phone: the whole wallet, encrypted under its 24 words, as animated QR codes that the
/// new phone scans; full brightness (`QrCodeView`) and the screen kept on while shown.
struct BackupShowView: View {
    let wallet: Wallet
    @StateObject private var box: ModelBox<BackupModel, BackupState>
    @Environment(\.dismiss) private var dismiss

    init(wallet: Wallet) {
        self.wallet = wallet
        _box = StateObject(wrappedValue: ModelBox(BackupModel()))
    }

    var body: some View {
        NavigationView {
            content
                .padding()
                .navigationTitle(Text("backup.title"))
                .navigationBarTitleDisplayMode(.inline)
                .toolbar {
                    ToolbarItem(placement: .confirmationAction) { Button("common.done") { dismiss() } }
                }
        }
        .task { await box.model.show(from: wallet) }
        .onAppear { UIApplication.shared.isIdleTimerDisabled = true }
        .onDisappear { UIApplication.shared.isIdleTimerDisabled = false }
    }

    @ViewBuilder private var content: some View {
        switch box.state {
        case .showing(let frames, _):
            VStack(spacing: 16) {
                Text("backup.explain")
                QrCodeView(frames: frames)
                Text("backup.frames \(frames.count)").font(.caption)
                Text("backup.words_needed").font(.footnote).foregroundColor(.secondary)
            }
        case .failed(let problem):
            VStack(spacing: 16) {
                Text(problem.text).foregroundColor(.red)
                Button("common.retry") { Task { await box.model.show(from: wallet) } }
                    .buttonStyle(.borderedProminent)
            }
        default:
            ProgressView()
        }
    }
}

/// The new phone: scan the old phone's codes (with progress), see what the backup holds, type
/// the 24 words and a new PIN twice, restore (with progress). The restored wallet goes to
/// `finished`, as a newly created one does. Every problem shows its text and a retry: back to
/// the words when the backup was read, else to the camera.
struct RestoreView: View {
    let setup: WalletSetup
    let finished: (Wallet) -> Void
    let cancel: () -> Void
    @StateObject private var box: ModelBox<BackupModel, BackupState>
    @State private var cameraOpen = false
    @State private var words = ""
    @State private var pin = ""
    @State private var repeated = ""

    init(setup: WalletSetup, finished: @escaping (Wallet) -> Void, cancel: @escaping () -> Void) {
        self.setup = setup
        self.finished = finished
        self.cancel = cancel
        _box = StateObject(wrappedValue: ModelBox(BackupModel()))
    }

    /// What the camera overlay shows, while the camera is open. One `ScannerView` for the whole
    /// scan, so the camera does not restart when the first code arrives.
    private var cameraState: ScanState? {
        switch box.state {
        case .scanning(let scan): return scan
        case .idle where cameraOpen: return .aiming
        default: return nil
        }
    }

    var body: some View {
        if let scan = cameraState {
            ScannerView(state: scan, onFrame: { frame in await box.model.scan(frame) },
                        onClose: { box.model.reset(); cameraOpen = false })
        } else {
            steps
                .textFieldStyle(.roundedBorder)
                .padding()
        }
    }

    @ViewBuilder private var steps: some View {
        switch box.state {
        case .idle, .scanning, .showing:
            VStack(spacing: 16) {
                Text("restore.title").font(.title2)
                Text("restore.explain")
                Button("restore.scan") { cameraOpen = true }.buttonStyle(.borderedProminent)
                Button("common.cancel", action: cancel)
            }
        case .scanned:
            ScrollView {
                VStack(alignment: .leading, spacing: 16) {
                    // Nothing of the backup's header: it is not authenticated before the words.
                    Text("restore.found").font(.headline)
                    Text("restore.words")
                    // The words stay left to right, as on the paper, whatever the language.
                    TextEditor(text: $words)
                        .frame(minHeight: 140)
                        .font(.body.monospaced())
                        .textInputAutocapitalization(.never)
                        .disableAutocorrection(true)
                        .environment(\.layoutDirection, .leftToRight)
                        .privacySensitive()
                        .overlay(RoundedRectangle(cornerRadius: 8).stroke(Color.secondary.opacity(0.4)))
                    SecureField("restore.new_pin", text: $pin).keyboardType(.numberPad)
                    SecureField("onboarding.repeat_pin", text: $repeated).keyboardType(.numberPad)
                    Button("restore.button") {
                        Task { await box.model.restore(words: words, newPin: pin, repeated: repeated, setup: setup) }
                    }
                    .buttonStyle(.borderedProminent)
                    .disabled(words.isEmpty || pin.count < 4)
                    Button("common.cancel", action: cancel)
                }
            }
        case .restoring(let done, let total):
            VStack(spacing: 16) {
                if total == 0 {
                    ProgressView()
                    Text("restore.working")
                } else {
                    ProgressView(value: Double(done), total: Double(total))
                    Text("restore.progress \(Int(done)) \(Int(total))")
                }
            }
        case .restored:
            ProgressView().onAppear {
                words = ""
                pin = ""
                repeated = ""
                if let wallet = box.model.wallet { finished(wallet) }
            }
        case .failed(let problem):
            VStack(spacing: 16) {
                Text(problem.text).foregroundColor(.red)
                Button("common.retry") { box.model.retry() }.buttonStyle(.borderedProminent)
                Button("common.cancel", action: cancel)
            }
        }
    }
}
