import Laissez
import LaissezDemoKit
import SwiftUI

/// "Show without a request", from a credential's detail, for a verifier that cannot show a
/// request code: the warning (the code is not encrypted), one toggle per claim (none on at
/// first), then the code at full brightness (`QrCodeView` loops an animated sequence), the
/// screen kept on, with the time verifiers still accept it counting down; once expired the code
/// is hidden and a new one offered (also when the verifier finds it already shown). Each code
/// is recorded in "What I shared".
struct StaticPresentationView: View {
    let credentialId: String
    @StateObject private var box: ModelBox<StaticPresentationModel, StaticPresentationState>
    @Environment(\.dismiss) private var dismiss
    @State private var typedVerifierId = ""
    @State private var scanningVerifierId = false

    init(wallet: Wallet, credentialId: String) {
        self.credentialId = credentialId
        _box = StateObject(wrappedValue: ModelBox(StaticPresentationModel(wallet: wallet, lang: appLanguage)))
    }

    var body: some View {
        NavigationView {
            content
                .navigationTitle(Text("static.title"))
                .navigationBarTitleDisplayMode(.inline)
                .toolbar {
                    ToolbarItem(placement: .confirmationAction) { Button("common.done") { dismiss() } }
                }
        }
        .task {
            if box.state == .idle { await box.model.open(credentialId: credentialId) }
        }
    }

    @ViewBuilder private var content: some View {
        switch box.state {
        case .idle, .loading, .presenting:
            ProgressView()
        case .choosing(let choice):
            Form {
                Section {
                    Label("static.warning", systemImage: "exclamationmark.triangle.fill")
                        .foregroundColor(.orange)
                }
                Section(header: Text("static.choose"), footer: IssuerText(issuer: choice.credential.issuer)) {
                    Text(choice.credential.title).font(.headline)
                    ForEach(Array(choice.claims.enumerated()), id: \.offset) { index, claim in
                        Toggle(isOn: Binding(get: { claim.selected },
                                             set: { _ in box.model.toggle(claim: index) })) {
                            VStack(alignment: .leading) {
                                Text(claim.label)
                                Text(claim.value).font(.caption).foregroundColor(.secondary).privacySensitive()
                            }
                        }
                    }
                }
                Section {
                    if let id = choice.verifierId {
                        Text("static.bound_to \(id)")
                        Button("static.forget_verifier_id") { box.model.forgetVerifierId() }
                    } else {
                        Text("static.unbound").foregroundColor(.orange)
                        Button("static.scan_verifier_id") { scanningVerifierId = true }
                        TextField("static.type_verifier_id", text: $typedVerifierId)
                            .textInputAutocapitalization(.characters)
                        Button("static.use_verifier_id") { box.model.useVerifierId(text: typedVerifierId) }
                    }
                }
                Section {
                    if let problem = choice.problem { Text(problem.text).foregroundColor(.red) }
                    Button("static.show_code") { Task { await box.model.present() } }
                }
            }
            .sheet(isPresented: $scanningVerifierId) {
                ScannerView(state: .aiming, onFrame: { frame in
                    if await box.model.scanVerifierId(frame) { await MainActor.run { scanningVerifierId = false } }
                }, onClose: { scanningVerifierId = false })
            }
        case .showing(let code):
            VStack(spacing: 16) {
                Text("static.show_to_verifier").font(.headline)
                Label("static.only_verifier", systemImage: "eye.slash")
                    .font(.footnote)
                    .foregroundColor(.orange)
                QrCodeView(frames: code.frames)
                Text("static.accepted_for \(code.timeLeft)").font(.headline.monospacedDigit())
                if let id = box.model.boundVerifierId {
                    Text("static.bound_to \(id)").font(.footnote)
                } else {
                    Text("static.unbound").font(.footnote).foregroundColor(.orange)
                }
                Text("static.valid_briefly").font(.footnote).foregroundColor(.secondary)
                Button("static.new_code") { Task { await box.model.presentAgain() } }.buttonStyle(.bordered)
                Button("static.change") { box.model.back() }
            }
            .padding()
            .onAppear { UIApplication.shared.isIdleTimerDisabled = true }
            .onDisappear { UIApplication.shared.isIdleTimerDisabled = false }
            // Ticks while this code is up; a new code restarts it.
            .task(id: code.acceptedUntil) { await box.model.countDown() }
        case .expired:
            // The code is gone from the screen: verifiers would refuse it now.
            VStack(spacing: 16) {
                Label("static.expired_title", systemImage: "clock.badge.exclamationmark").font(.headline)
                Text("static.expired_explain").multilineTextAlignment(.center)
                Button("static.show_new_code") { Task { await box.model.presentAgain() } }
                    .buttonStyle(.borderedProminent)
                Button("static.change") { box.model.back() }
            }
            .padding()
        case .failed(let problem):
            VStack(spacing: 16) {
                Text(problem.text).foregroundColor(.red)
                Button("common.retry") { Task { await box.model.open(credentialId: credentialId) } }
                    .buttonStyle(.borderedProminent)
            }
            .padding()
        }
    }
}
