import Laissez
import LaissezDemoKit
import SwiftUI
import UniformTypeIdentifiers

/// "Receive a credential" at a registration desk: the issuer trust list, then scan the desk's
/// offer, review it (a trusted issuer's name, or "unknown issuer" with a second confirmation
/// and the name it claims marked unverified), show the proof code, scan the batch, done.
struct IssuanceFlowView: View {
    @StateObject private var box: ModelBox<IssuanceModel, IssuanceState>
    @Environment(\.dismiss) private var dismiss
    /// The intro (trust list, "scan the offer") is left for the scanner.
    @State private var started = false
    /// The proof is shown; the person turns to the desk's screen to scan the batch.
    @State private var scanningBatch = false
    @State private var importingList = false
    @State private var signerJwk = ""
    @State private var installedList: TrustListSummary?

    init(wallet: Wallet) {
        _box = StateObject(wrappedValue: ModelBox(IssuanceModel(wallet: wallet)))
    }

    var body: some View {
        NavigationView {
            content
                .padding()
                .navigationTitle(Text("issuance.title"))
                .navigationBarTitleDisplayMode(.inline)
                .toolbar {
                    ToolbarItem(placement: .cancellationAction) { Button("common.close") { dismiss() } }
                }
        }
        .fileImporter(isPresented: $importingList, allowedContentTypes: [.plainText, .json, .data]) { result in
            guard case .success(let url) = result else { return }
            let scoped = url.startAccessingSecurityScopedResource()
            defer { if scoped { url.stopAccessingSecurityScopedResource() } }
            let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
            let jwk = signerJwk.isEmpty ? nil : signerJwk
            Task {
                if case .success(let list) = await box.model.importIssuerTrustList(signedText: text, signerJwk: jwk) {
                    installedList = list
                }
            }
        }
    }

    @ViewBuilder private var content: some View {
        switch box.state {
        case .scanning(.aiming) where !started:
            intro
        case .scanning(let scan):
            ScannerView(state: scan, onFrame: { frame in await box.model.push(frame) },
                        onClose: { box.model.stopScanning(); started = false })
        case .reading, .accepting, .receiving:
            ProgressView()
        case .review(let review):
            IssuanceReviewView(review: review,
                               confirmUnknown: { box.model.confirmUnknownIssuer() },
                               accept: { Task { await box.model.accept() } },
                               decline: { restart() })
        case .showingProof(let frames, let scan):
            if scanningBatch {
                ScannerView(state: scan, onFrame: { frame in await box.model.push(frame) },
                            onClose: { box.model.stopScanning(); scanningBatch = false })
            } else {
                VStack(spacing: 16) {
                    Text("issuance.show_proof").font(.headline)
                    QrCodeView(frames: frames)
                    Button("issuance.scan_batch") { scanningBatch = true }.buttonStyle(.borderedProminent)
                }
            }
        case .imported(_, _, let copies):
            VStack(spacing: 16) {
                Label("issuance.imported \(Int(copies))", systemImage: "checkmark.seal.fill").font(.title3)
                Button("common.done") { dismiss() }.buttonStyle(.borderedProminent)
            }
        case .failed(let problem):
            VStack(spacing: 16) {
                Text(problem.text)
                Button("common.retry") { restart() }
            }
        }
    }

    private var intro: some View {
        VStack(spacing: 16) {
            Button("issuance.scan_offer") { started = true }.buttonStyle(.borderedProminent)
            Divider()
            if let list = installedList {
                Text("issuance.trust_list_installed \(Int(list.sequence)) \(list.issuers.count)")
            }
            TextField("issuance.trust_list_signer", text: $signerJwk).textFieldStyle(.roundedBorder)
            Button("issuance.import_trust_list") { importingList = true }
        }
    }

    private func restart() {
        scanningBatch = false
        started = false
        box.model.restart()
    }
}

/// Who offers what. Only a trusted issuer's name is shown as the issuer; an issuer the wallet
/// does not trust is "unknown issuer" (or "not allowed to issue this"), the name it gives
/// itself only on a line that says it is unverified, and "accept" needs a second "yes".
struct IssuanceReviewView: View {
    let review: IssuanceReview
    let confirmUnknown: () -> Void
    let accept: () -> Void
    let decline: () -> Void

    var body: some View {
        Form {
            Section {
                switch review.trust {
                case .trusted:
                    Label("issuance.trusted_issuer \(review.issuerName ?? "")", systemImage: "checkmark.shield.fill")
                        .font(.title3)
                case .notAllowedForType:
                    Label("issuance.not_allowed", systemImage: "exclamationmark.triangle.fill")
                        .font(.title3).foregroundColor(.red)
                case .unknown:
                    Label("issuance.unknown_issuer", systemImage: "questionmark.diamond.fill")
                        .font(.title3).foregroundColor(.red)
                    Text("issuance.unknown_explain").font(.footnote)
                }
                if let claimed = review.unverifiedClaimedName {
                    Text("issuance.claimed_name \(claimed)").font(.footnote).foregroundColor(.secondary)
                }
            }
            Section {
                Text("issuance.type \(review.credentialType)")
                Text("issuance.copies \(Int(review.batchSize))")
                Text("issuance.expires \(Date(timeIntervalSince1970: TimeInterval(review.expiresAt)), style: .time)")
            }
            if review.needsExtraConfirmation {
                Toggle("issuance.confirm_unknown", isOn: Binding(get: { review.confirmedUnknownIssuer },
                                                                 set: { if $0 { confirmUnknown() } }))
                    .disabled(review.confirmedUnknownIssuer)
            }
            Button("issuance.accept", action: accept).disabled(!review.canAccept)
            Button("issuance.decline", role: .destructive, action: decline)
        }
    }
}

/// The one-time copies line of a credential: "2 of 3 left", and the warning when few or none
/// are left (or the note that a single copy links presentations).
struct CopiesLine: View {
    let row: CredentialRow

    var body: some View {
        VStack(alignment: .leading, spacing: 2) {
            if row.copiesState != .single {
                Text("copies.left \(Int(row.copiesLeft)) \(Int(row.copiesTotal))").font(.caption)
            }
            switch row.copiesState {
            case .single:
                Text("copies.single").font(.caption).foregroundColor(.secondary)
            case .low:
                Label("copies.low", systemImage: "exclamationmark.triangle.fill").font(.caption).foregroundColor(.orange)
            case .exhausted:
                Label("copies.none", systemImage: "exclamationmark.octagon.fill").font(.caption).foregroundColor(.red)
            case .plenty:
                EmptyView()
            }
        }
    }
}

/// The wallet-wide copies setting: reuse the last copy once every copy was presented.
struct CopiesSettingView: View {
    @StateObject private var box: ModelBox<CopiesSettingModel, CopiesSettingState>

    init(wallet: Wallet) {
        _box = StateObject(wrappedValue: ModelBox(CopiesSettingModel(wallet: wallet)))
    }

    var body: some View {
        Group {
            switch box.state {
            case .loading:
                ProgressView()
            case .loaded(let reuse):
                VStack(alignment: .leading) {
                    Toggle("copies.reuse_last", isOn: Binding(get: { reuse },
                                                              set: { on in Task { await box.model.setReuseLastCopy(on) } }))
                    Text("copies.reuse_explain").font(.caption).foregroundColor(.secondary)
                }
            case .failed(let problem):
                Text(problem.text).foregroundColor(.red)
            }
        }
        .task { await box.model.load() }
    }
}
