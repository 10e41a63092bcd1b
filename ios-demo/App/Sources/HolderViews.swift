import Laissez
import LaissezDemoKit
import SwiftUI

struct PinView: View {
    let state: UnlockState
    let submit: (String) -> Void
    @State private var pin = ""

    var body: some View {
        VStack(spacing: 16) {
            Text("unlock.title").font(.title)
            SecureField("unlock.pin", text: $pin).keyboardType(.numberPad).textFieldStyle(.roundedBorder)
            switch state {
            case .wrongPin(let left, _): Text(Problem.wrongPin(attemptsLeft: left, retryAfterSecs: 0).text).foregroundColor(.red)
            case .lockedOut(let secs): Text(Problem.lockedOut(retryAfterSecs: secs).text).foregroundColor(.red)
            case .failed(let problem): Text(problem.text).foregroundColor(.red)
            case .unlocking: ProgressView()
            default: EmptyView()
            }
            Button("unlock.button") { submit(pin); pin = "" }
                .buttonStyle(.borderedProminent).disabled(pin.count < 4 || state == .unlocking)
        }
        .padding()
    }
}

/// A new wallet (PIN, the 24 words once, three of them back), or the restore of the old
/// phone's backup (`RestoreView`); either way `finished` gets the open wallet.
struct OnboardingView: View {
    let setup: WalletSetup
    @StateObject private var box: ModelBox<OnboardingModel, OnboardingState>
    let finished: (Wallet) -> Void
    @State private var pin = ""
    @State private var repeated = ""
    @State private var typed = ["", "", ""]
    @State private var restoring = false

    init(setup: WalletSetup, finished: @escaping (Wallet) -> Void) {
        self.setup = setup
        _box = StateObject(wrappedValue: ModelBox(OnboardingModel(setup: setup)))
        self.finished = finished
    }

    var body: some View {
        if restoring {
            RestoreView(setup: setup, finished: finished) { restoring = false }
        } else {
            newWallet
        }
    }

    private var newWallet: some View {
        VStack(spacing: 16) {
            switch box.state {
            case .welcome, .failed(.pinsDiffer), .failed(.pinRejected):
                Text("onboarding.choose_pin").font(.title2)
                SecureField("unlock.pin", text: $pin).keyboardType(.numberPad)
                SecureField("onboarding.repeat_pin", text: $repeated).keyboardType(.numberPad)
                if case .failed(let problem) = box.state { Text(problem.text).foregroundColor(.red) }
                Button("onboarding.create") { Task { await box.model.create(pin: pin, repeated: repeated) } }
                    .buttonStyle(.borderedProminent)
                Divider()
                Button("onboarding.restore") { restoring = true }
            case .working:
                ProgressView()
            case .showWords(let words):
                Text("onboarding.write_words").font(.headline)
                LazyVGrid(columns: [GridItem(), GridItem(), GridItem()]) {
                    ForEach(Array(words.enumerated()), id: \.offset) { index, word in
                        Text("\(index + 1). \(word)").font(.body.monospaced())
                    }
                }
                .environment(\.layoutDirection, .leftToRight)
                .privacySensitive()
                Button("onboarding.written") { box.model.wordsWrittenDown() }.buttonStyle(.borderedProminent)
            case .confirmWords(let positions), .failed(.confirmationWrong(let positions)):
                Text("onboarding.confirm_words").font(.headline)
                ForEach(Array(positions.enumerated()), id: \.offset) { index, position in
                    TextField("onboarding.word \(position)", text: $typed[index])
                        .textInputAutocapitalization(.never).disableAutocorrection(true)
                }
                if case .failed = box.state { Text("problem.confirmation_wrong").foregroundColor(.red) }
                Button("onboarding.confirm") { box.model.confirm(typed) }.buttonStyle(.borderedProminent)
            case .done:
                ProgressView().onAppear { if let wallet = box.model.wallet { finished(wallet) } }
            case .failed(let problem):
                Text(problem.text).foregroundColor(.red)
            }
        }
        .textFieldStyle(.roundedBorder)
        .padding()
    }
}

/// What the holder opens over the credential list.
enum HolderSheet: Identifiable {
    case consent(ConsentModel)
    case showWithoutRequest(credentialId: String)
    case backup
    case history
    case issuance
    /// An identity card: the scanner, a card's screen, the warning, its code.
    case identityCard
    /// Demo only: a demo national ID card's code to scan with another phone.
    case demoCard
    /// Change PIN, hardware key on/off, delete the wallet.
    case settings

    var id: String {
        switch self {
        case .consent(let model): return "consent-\(ObjectIdentifier(model).hashValue)"
        case .showWithoutRequest(let id): return "static-\(id)"
        case .backup: return "backup"
        case .history: return "history"
        case .issuance: return "issuance"
        case .identityCard: return "identity-card"
        case .demoCard: return "demo-card"
        case .settings: return "settings"
        }
    }
}

/// The credentials and, beside them, the identity cards; a credential's detail can be shown
/// without a request (static presentation); the toolbar shares (scan a request), and its menu
/// scans an identity card and opens what was shared, the move to a new phone and the demo
/// content.
struct HolderHome: View {
    let wallet: Wallet
    @StateObject private var credentials: ModelBox<CredentialsModel, CredentialsState>
    @StateObject private var cards: ModelBox<IdentityCardsModel, IdentityCardsState>
    @State private var sheet: HolderSheet?
    /// The credential whose "Delete" was pressed: the dialog asks once more.
    @State private var deleting: CredentialRow?

    init(wallet: Wallet) {
        self.wallet = wallet
        _credentials = StateObject(wrappedValue: ModelBox(CredentialsModel(wallet: wallet, lang: appLanguage)))
        _cards = StateObject(wrappedValue: ModelBox(IdentityCardsModel(wallet: wallet, lang: appLanguage)))
    }

    var body: some View {
        NavigationView {
            Group {
                switch credentials.state {
                case .loading:
                    ProgressView()
                case .list(let rows) where rows.isEmpty && cards.state.cards.isEmpty:
                    VStack(spacing: 16) {
                        Text("holder.empty")
                        Button("holder.add_demo") { addDemoCredential() }
                        Button("card.scan") { scanCard() }
                    }
                case .list(let rows):
                    CredentialList(rows: rows, cards: cards.state.cards,
                                   open: { id in Task { await credentials.model.open(id: id) } },
                                   openCard: { id in openCard(id) })
                case .detail(let row, let claims):
                    List {
                        Section {
                            CopiesLine(row: row)
                            CopiesSettingView(wallet: wallet)
                        }
                        Section(header: IssuerText(issuer: row.issuer)) {
                            ForEach(claims, id: \.path) { claim in
                                VStack(alignment: .leading) {
                                    Text(claim.label).font(.caption).foregroundColor(.secondary)
                                    Text(claim.value)
                                }
                            }
                        }
                        Section {
                            // For a verifier that cannot show a request code (not encrypted:
                            // the next screen says to show it only to the verifier).
                            Button { sheet = .showWithoutRequest(credentialId: row.id) } label: {
                                Label("static.title", systemImage: "qrcode")
                            }
                            Button("common.back") { Task { await credentials.model.load() } }
                            Button("credential.delete", role: .destructive) { deleting = row }
                        }
                    }
                    .navigationTitle(row.title)
                    // Deleting cannot be undone: one more explicit step.
                    .confirmationDialog("credential.delete_confirm", isPresented: Binding(
                        get: { deleting != nil }, set: { if !$0 { deleting = nil } }
                    ), titleVisibility: .visible, presenting: deleting) { doomed in
                        Button("credential.delete", role: .destructive) {
                            Task { await credentials.model.delete(id: doomed.id) }
                        }
                        Button("common.cancel", role: .cancel) {}
                    }
                case .failed(let problem):
                    VStack(spacing: 16) {
                        Text(problem.text)
                        Button("common.retry") { Task { await credentials.model.load() } }
                    }
                }
            }
            .navigationTitle(Text("holder.title"))
            .toolbar {
                ToolbarItem(placement: .navigationBarLeading) {
                    Menu {
                        Button { sheet = .issuance } label: {
                            Label("holder.receive", systemImage: "qrcode.viewfinder")
                        }
                        Button { scanCard() } label: {
                            Label("card.scan", systemImage: "person.text.rectangle")
                        }
                        Button { sheet = .history } label: {
                            Label("holder.history", systemImage: "clock.arrow.circlepath")
                        }
                        Button { sheet = .backup } label: {
                            Label("holder.backup", systemImage: "iphone.and.arrow.forward")
                        }
                        Button { addDemoCredential() } label: {
                            Label("holder.add_demo", systemImage: "plus.rectangle.on.rectangle")
                        }
                        // Demo only: a national ID card's code to scan with another phone, or
                        // kept here directly (one phone cannot scan its own screen).
                        Button { sheet = .demoCard } label: {
                            Label("card.demo_print", systemImage: "printer")
                        }
                        Button { addDemoCard() } label: {
                            Label("card.demo_add", systemImage: "person.text.rectangle.fill")
                        }
                        // Demo only: the demo registrar, issuer and card issuer on this wallet's
                        // list, so the demo desk, once registered, is shown as verified and demo
                        // cards as from a trusted issuer.
                        Button {
                            Task { await demoContent.trustDemoVerifiers(credentials.model, cards: cards.model) }
                        } label: {
                            Label("holder.trust_demo_verifiers", systemImage: "checkmark.shield")
                        }
                    } label: {
                        Label("holder.more", systemImage: "ellipsis.circle")
                    }
                }
                ToolbarItem(placement: .navigationBarTrailing) {
                    Button("holder.share") { sheet = .consent(ConsentModel(wallet: wallet, lang: appLanguage)) }
                }
                ToolbarItem(placement: .navigationBarTrailing) {
                    Button { sheet = .settings } label: {
                        Label("settings.title", systemImage: "gearshape")
                    }
                    .accessibilityLabel(Text("settings.title"))
                }
            }
            .sheet(item: $sheet) { item in
                switch item {
                case .consent(let model):
                    ConsentFlowView(box: ModelBox(model))
                case .showWithoutRequest(let id):
                    StaticPresentationView(wallet: wallet, credentialId: id)
                case .backup:
                    BackupShowView(wallet: wallet)
                case .history:
                    HistoryView(model: HistoryModel(holder: wallet), title: "holder.history")
                case .issuance:
                    IssuanceFlowView(wallet: wallet)
                case .identityCard:
                    IdentityCardFlowView(box: cards) { sheet = nil }
                case .demoCard:
                    DemoCardPrintView()
                case .settings:
                    SettingsView(wallet: wallet) { sheet = .backup }
                }
            }
            // A credential received at a desk (or copies used in an answer), a card kept or
            // deleted, shows in the list.
            .onChange(of: sheet == nil) { closed in
                if closed {
                    Task {
                        await credentials.model.load()
                        await cards.model.load()
                    }
                }
            }
        }
        .task {
            await credentials.model.load()
            await cards.model.load()
        }
    }

    /// The camera for a card's code (a scanned code that is not a Laissez message).
    private func scanCard() {
        cards.model.startScanning()
        sheet = .identityCard
    }

    /// A kept card's screen, opened before the sheet shows (the sheet closes on the list).
    private func openCard(_ id: String) {
        Task {
            await cards.model.open(id: id)
            sheet = .identityCard
        }
    }

    /// Demo only: a demo card from the in-process demo card issuer, kept without the camera.
    private func addDemoCard() {
        Task {
            await demoContent.addDemoCard(to: cards.model)
            sheet = .identityCard
        }
    }

    /// Demo only: a registration from the in-process demo issuer (see `DemoContent`).
    private func addDemoCredential() {
        Task { await demoContent.addDemoCredential(to: credentials.model) }
    }
}

/// The credentials, then the identity cards kept beside them.
struct CredentialList: View {
    let rows: [CredentialRow]
    let cards: [IdentityCardRow]
    let open: (String) -> Void
    let openCard: (String) -> Void

    var body: some View {
        List {
            ForEach(rows) { row in
                Button { open(row.id) } label: {
                    VStack(alignment: .leading) {
                        Text(row.title).font(.headline)
                        IssuerText(issuer: row.issuer).font(.subheadline)
                        CopiesLine(row: row)
                    }
                }
            }
            if !cards.isEmpty {
                IdentityCardSection(cards: cards, open: openCard)
            }
        }
    }
}

/// Scan the request, review who asks (verified from its certificate, or the unverified
/// warning) for what, consent per claim (claims beyond the registration marked, off until
/// turned on), the extra step for an unverified verifier, show the answer.
struct ConsentFlowView: View {
    @StateObject var box: ModelBox<ConsentModel, ConsentState>

    var body: some View {
        switch box.state {
        case .scanning(let scan):
            ScannerView(state: scan, onFrame: { frame in await box.model.push(frame) },
                        onClose: { box.model.stopScanning() })
        case .reading, .responding:
            ProgressView()
        case .review(let review):
            Form {
                ConsentVerifierSection(verifier: review.verifier)
                ForEach(Array(review.items.enumerated()), id: \.offset) { itemIndex, item in
                    Section(header: Text(item.title)) {
                        if item.sharesPortrait {
                            Label("consent.portrait_shared", systemImage: "person.crop.square.fill").foregroundColor(.orange)
                        }
                        ForEach(Array(item.claims.enumerated()), id: \.offset) { claimIndex, claim in
                            Toggle(isOn: Binding(get: { claim.selected },
                                                 set: { _ in box.model.toggle(item: itemIndex, claim: claimIndex) })) {
                                VStack(alignment: .leading) {
                                    Text(claim.label)
                                    if claim.portrait { Text("consent.portrait_claim").font(.caption) }
                                    // Over-asking: off until the person turns it on here.
                                    if claim.beyondScope {
                                        Label("consent.beyond_scope", systemImage: "exclamationmark.circle")
                                            .font(.caption).foregroundColor(.orange)
                                    }
                                    Text(claim.required ? "consent.required" : (claim.available ? "consent.optional" : "consent.not_held"))
                                        .font(.caption).foregroundColor(.secondary)
                                }
                            }
                            .disabled(!claim.available)
                        }
                    }
                }
                if let problem = review.problem { Text(problem.text).foregroundColor(.red) }
                Button("consent.send") { Task { await box.model.respond() } }
                Button("consent.decline", role: .destructive) { box.model.decline() }
            }
        case .confirmingUnverified(let review):
            UnverifiedConfirmView(review: review,
                                  shareAnyway: { Task { await box.model.shareAnyway() } },
                                  back: { box.model.backToReview() })
        case .showingResponse(let frames):
            VStack {
                Text("consent.show_answer").font(.headline)
                QrCodeView(frames: frames).padding()
                Button("common.done") { box.model.restart() }
            }
        case .failed(let problem):
            VStack(spacing: 16) {
                Text(problem.text)
                Button("common.retry") { box.model.restart() }
            }
        }
    }
}

/// Who issued a credential: the trusted name, or "Unverified issuer" with the name the
/// credential gives itself marked as its claim (never shown as the issuer's name).
struct IssuerText: View {
    let issuer: IssuerLine

    var body: some View {
        switch issuer {
        case .trusted(let name):
            Label("credential.issued_by \(name)", systemImage: "checkmark.shield.fill")
                .foregroundColor(.secondary)
        case .notAllowed(let name):
            Label("credential.issuer_not_allowed \(name)", systemImage: "exclamationmark.shield.fill")
                .foregroundColor(.orange)
        case .unverified(let claimed):
            VStack(alignment: .leading) {
                Label("credential.unverified_issuer", systemImage: "questionmark.diamond.fill")
                    .foregroundColor(.orange)
                if let claimed {
                    Text("credential.issuer_claims \(claimed)").foregroundColor(.secondary)
                }
            }
        }
    }
}
