import Laissez
import LaissezDemoKit
import SwiftUI
import UIKit
import UniformTypeIdentifiers

/// What the one file importer of `VerifierHome` is open for.
private enum VerifierImport {
    /// The signed trust list (text).
    case trustList
    /// The registration certificate the registrar made (bytes).
    case certificate
}

/// The field worker: trust list, registration (its signing key for the registrar, the
/// certificate installed, what it says), the request QR (signed once registered), scanning the
/// answer, the verdict; the log of past checks from the toolbar.
struct VerifierHome: View {
    let wallet: Wallet
    @StateObject private var box: ModelBox<VerifierModel, VerifierState>
    @State private var importing = false
    @State private var importTarget = VerifierImport.trustList
    @State private var keyCopied = false
    @State private var signerJwk = ""
    @State private var showingLog = false
    @State private var verifierId: VerifierIdCard?

    init(wallet: Wallet) {
        self.wallet = wallet
        _box = StateObject(wrappedValue: ModelBox(VerifierModel(wallet: wallet, lang: appLanguage)))
    }

    var body: some View {
        NavigationView {
            content
                .padding()
                .navigationTitle(Text("verifier.title"))
                .toolbar {
                    ToolbarItem(placement: .navigationBarTrailing) {
                        Button { showingLog = true } label: {
                            Label("verifier.log", systemImage: "list.bullet.rectangle")
                        }
                    }
                }
                // On the content, not beside the file importer: one presentation per view.
                .sheet(isPresented: $showingLog) {
                    HistoryView(model: HistoryModel(verifierWallet: wallet), title: "verifier.log")
                }
        }
        .task { await box.model.load() }
        .fileImporter(isPresented: $importing, allowedContentTypes: [.plainText, .json, .data]) { result in
            guard case .success(let url) = result else { return }
            let scoped = url.startAccessingSecurityScopedResource()
            defer { if scoped { url.stopAccessingSecurityScopedResource() } }
            // An unreadable file is handed on empty: the model ends in its typed problem.
            let bytes = (try? Data(contentsOf: url)) ?? Data()
            switch importTarget {
            case .trustList:
                let text = String(decoding: bytes, as: UTF8.self)
                let jwk = signerJwk.isEmpty ? nil : signerJwk
                Task { await box.model.importTrustList(signedText: text, signerJwk: jwk) }
            case .certificate:
                Task { await box.model.installCertificate(bytes) }
            }
        }
    }

    @ViewBuilder private var content: some View {
        switch box.state.phase {
        case .needsTrustList:
            VStack(spacing: 16) {
                Text("verifier.needs_trust_list")
                TextField("verifier.signer_key", text: $signerJwk).textFieldStyle(.roundedBorder)
                Button("verifier.import_trust_list") {
                    importTarget = .trustList
                    importing = true
                }
                .buttonStyle(.borderedProminent)
                Divider()
                // Demo only: the issuer of the holder's "Add a demo credential" (see DemoContent).
                Text("verifier.demo_explain").font(.footnote).foregroundColor(.secondary)
                Button("verifier.trust_demo") { Task { await demoContent.trustDemoIssuer(box.model) } }
            }
        case .ready:
            // Scrolls: the registration section makes it taller than a small phone.
            ScrollView { VStack(spacing: 16) {
                if let list = box.state.trustList {
                    Text("verifier.trust_list \(Int(list.sequence)) \(list.issuers.count)")
                }
                // What this demo desk asks for: the demo registration's given and family name,
                // nationality if the person agrees (DemoContent.request).
                // Holders see the desk name and purpose only when the desk is not registered,
                // and then only as unchecked claims under the unverified warning.
                Button("verifier.new_request") { Task { await newRequest(byReference: false) } }
                    .buttonStyle(.borderedProminent)
                if box.state.certificate != nil {
                    // A shorter code, for people whose wallet kept this desk's certificate.
                    Button("verifier.new_request_by_reference") { Task { await newRequest(byReference: true) } }
                }
                Divider()
                RegistrationSummary(certificate: box.state.certificate)
                Button("verifier.copy_signing_key") {
                    Task {
                        if case .success(let jwk) = await box.model.requestSigningKey() {
                            UIPasteboard.general.string = jwk
                            keyCopied = true
                        }
                    }
                }
                if keyCopied { Text("verifier.signing_key_copied").font(.footnote) }
                Button("verifier.install_certificate") {
                    importTarget = .certificate
                    importing = true
                }
                // Demo only: the demo registrar (kept in the wallets, DemoKeys) certifies this desk.
                Button("verifier.register_demo") {
                    Task { await demoContent.registerDemoDesk(box.model, purpose: String(localized: "verifier.purpose")) }
                }
                Divider()
                Button("verifier.scan_static") { box.model.startScanning() }
                // The same scanner reads national ID cards' codes (Claim 169).
                Text("verifier.scan_card_hint").font(.footnote).foregroundColor(.secondary)
                // The identifier holders scan once to bind their static codes to this desk.
                if let card = verifierId {
                    Text("verifier.id_explain").font(.footnote)
                    Text(card.code).font(.title3.monospaced())
                    QrCodeView(frames: [card.frame])
                } else {
                    Button("verifier.show_id") {
                        Task { if case .success(let card) = await box.model.verifierIdCard() { verifierId = card } }
                    }
                }
            } }
        case .showingRequest(let frames, _, let signedWith):
            VStack {
                Text("verifier.show_request").font(.headline)
                if let reference = signedWith {
                    Label("verifier.request_signed \(reference)", systemImage: "checkmark.shield")
                        .font(.footnote)
                } else {
                    Label("verifier.request_unsigned", systemImage: "exclamationmark.triangle")
                        .font(.footnote).foregroundColor(.orange)
                }
                QrCodeView(frames: frames)
                Button("verifier.scan_answer") { box.model.startScanning() }.buttonStyle(.borderedProminent)
            }
        case .scanning(let scan):
            ScannerView(state: scan, onFrame: { frame in await box.model.push(frame) },
                        onClose: { box.model.stopScanning(); box.model.done() })
        case .verifying:
            ProgressView()
        case .verdicts(let cards):
            ScrollView {
                ForEach(Array(cards.enumerated()), id: \.offset) { _, card in VerdictCardView(card: card) }
                Button("common.done") { box.model.done() }.buttonStyle(.borderedProminent)
            }
        case .failed(let problem):
            VStack(spacing: 16) {
                Text(problem.text)
                Button("common.back") { box.model.done() }
            }
        }
    }
}

/// The demo desk's request (`DemoContent.request`), by reference to its certificate or whole.
extension VerifierHome {
    @MainActor func newRequest(byReference: Bool) async {
        await box.model.createRequest(verifierName: String(localized: "verifier.desk_name"),
                                      purpose: String(localized: "verifier.purpose"),
                                      credentials: DemoContent.request, byReference: byReference)
    }
}

/// Green with the disclosed claims, or red with the reasons; how old the status data is. An
/// identity card's code says that possession is not proven, with the card's photo larger.
struct VerdictCardView: View {
    let card: VerdictCard

    var body: some View {
        VStack(alignment: .leading, spacing: 8) {
            HStack(alignment: .top) {
                VStack(alignment: .leading, spacing: 8) {
                    Label(card.valid ? "verdict.valid" : "verdict.invalid",
                          systemImage: card.valid ? "checkmark.seal.fill" : "xmark.octagon.fill")
                        .font(.title.bold())
                    if card.isIdentityCard { Text("verdict.identity_card").font(.subheadline) }
                    if let issuer = card.issuerName { Text("verdict.issuer \(issuer)") }
                    if card.portrait != nil && !card.possessionNotProven {
                        Text("verdict.portrait_compare").font(.footnote)
                    }
                }
                Spacer()
                // The issuer-signed photo, large: the holder binding proves the phone, this the
                // person; for a card's code (no holder binding) the photo is all there is.
                if let portrait = card.portrait, let image = UIImage(data: portrait.jpeg) {
                    Image(uiImage: image)
                        .resizable()
                        .aspectRatio(CGFloat(portrait.width) / CGFloat(max(portrait.height, 1)), contentMode: .fit)
                        .frame(width: card.possessionNotProven ? 200 : 160)
                        .cornerRadius(8)
                        .accessibilityLabel(Text(card.isIdentityCard ? "verdict.card_photo" : "verdict.portrait"))
                }
            }
            // Whoever has the card, or a photo of it, can show this code.
            if card.possessionNotProven {
                Label("verdict.possession_not_proven", systemImage: "person.fill.questionmark")
                    .font(.headline).foregroundColor(.orange)
            }
            if card.portraitProblem != nil {
                Label("verdict.portrait_problem", systemImage: "exclamationmark.triangle")
                    .foregroundColor(.orange)
            }
            ForEach(card.reasonCodes, id: \.self) { code in
                Text(LocalizedStringKey("reason.\(code)"))
            }
            // A card's code is bound to no verifier by nature: the possession line says it.
            if card.unbound && !card.isIdentityCard {
                Label("verdict.unbound", systemImage: "exclamationmark.triangle.fill").foregroundColor(.red)
            }
            ForEach(card.claims, id: \.path) { claim in
                HStack {
                    Text(claim.label).foregroundColor(.secondary)
                    Spacer()
                    Text(claim.value).bold()
                }
            }
            if let age = card.statusAgeSecs {
                Text("verdict.status_age \(Int(age / 3600))")
            } else if !card.isIdentityCard {
                // Cards have no revocation data to speak of.
                Text("verdict.no_status")
            }
        }
        .padding()
        .frame(maxWidth: .infinity, alignment: .leading)
        .background(card.valid ? Color.green.opacity(0.25) : Color.red.opacity(0.25))
        .cornerRadius(12)
    }
}
