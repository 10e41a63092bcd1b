import Laissez
import LaissezDemoKit
import SwiftUI
import UIKit

/// The identity cards (MOSIP Claim 169 codes printed on national ID cards) as a section of the
/// holder's list, beside the credentials.
struct IdentityCardSection: View {
    let cards: [IdentityCardRow]
    let open: (String) -> Void

    var body: some View {
        Section(header: Text("card.section")) {
            ForEach(cards) { card in
                Button { open(card.id) } label: {
                    VStack(alignment: .leading) {
                        Text(card.fullName ?? String(localized: "card.no_name")).font(.headline)
                        if let number = card.idNumber {
                            Text("card.number \(number)").font(.subheadline.monospaced())
                        }
                        CardIssuerText(issuer: card.issuer).font(.subheadline)
                        CardValidityText(card: card).font(.caption)
                    }
                }
            }
        }
    }
}

/// Who issued a card: the trust list's name, or "Unverified issuer" with the issuer the card
/// names itself marked "not checked" (never shown as the issuer).
struct CardIssuerText: View {
    let issuer: IssuerLine

    var body: some View {
        switch issuer {
        case .trusted(let name):
            Label("credential.issued_by \(name)", systemImage: "checkmark.shield.fill")
                .foregroundColor(.secondary)
        // Cards are never "not allowed": a trust-list entry for another country does not vouch.
        case .notAllowed(let claimed), .unverified(.some(let claimed)):
            VStack(alignment: .leading) {
                Label("credential.unverified_issuer", systemImage: "questionmark.diamond.fill")
                    .foregroundColor(.orange)
                Text("card.claimed_issuer \(claimed)").foregroundColor(.secondary)
            }
        case .unverified(nil):
            Label("credential.unverified_issuer", systemImage: "questionmark.diamond.fill")
                .foregroundColor(.orange)
        }
    }
}

/// "Valid until …", or the card expired (verifiers will refuse it).
struct CardValidityText: View {
    let card: IdentityCardRow

    var body: some View {
        if card.expired {
            Label("card.expired", systemImage: "exclamationmark.triangle.fill").foregroundColor(.red)
        } else if let until = card.expiresAt {
            Text("card.valid_until \(Date(timeIntervalSince1970: TimeInterval(until)).formatted(date: .abbreviated, time: .omitted))")
                .foregroundColor(.secondary)
        }
    }
}

/// Scan a card into the wallet, its screen (face, issuer, expiry, labelled fields), the warning
/// step before its own code is shown, the code, delete; each problem with a retry.
struct IdentityCardFlowView: View {
    @ObservedObject var box: ModelBox<IdentityCardsModel, IdentityCardsState>
    let close: () -> Void
    @State private var confirmingDelete = false

    var body: some View {
        switch box.state.phase {
        case .idle:
            // Back to the list: the sheet closes.
            ProgressView().onAppear(perform: close)
        case .loading, .importing:
            ProgressView()
        case .scanning(let scan):
            VStack {
                Text("card.scan_explain").font(.footnote).padding(.horizontal)
                ScannerView(state: scan, onFrame: { frame in await box.model.push(frame) },
                            onClose: { box.model.stopScanning() })
            }
        case .detail(let screen):
            detail(screen)
        case .confirmingShow(let screen):
            // The warning, before anything is shown.
            VStack(spacing: 20) {
                Image(systemName: "exclamationmark.triangle.fill").font(.largeTitle).foregroundColor(.orange)
                Text("card.show_warning").font(.title3).multilineTextAlignment(.center)
                if screen.card.expired {
                    Label("card.expired_show", systemImage: "exclamationmark.triangle").foregroundColor(.red)
                }
                Button("card.show_confirm") { Task { await box.model.showCode() } }
                    .buttonStyle(.borderedProminent)
                Button("common.back") { box.model.backToCard() }
            }
            .padding()
        case .showingCode(_, let frame):
            VStack(spacing: 12) {
                Text("card.showing").font(.headline)
                QrCodeView(frames: [frame]).padding()
                Text("card.showing_note").font(.footnote).multilineTextAlignment(.center)
                Button("common.done") { box.model.backToCard() }.buttonStyle(.borderedProminent)
            }
            .padding()
        case .failed(let problem):
            VStack(spacing: 16) {
                Text(problem.text).multilineTextAlignment(.center)
                Button("common.retry") { Task { await box.model.retry() } }
                Button("common.back") { Task { await box.model.close() } }
            }
            .padding()
        }
    }

    private func detail(_ screen: IdentityCardScreen) -> some View {
        List {
            Section {
                HStack(alignment: .top, spacing: 16) {
                    CardFaceView(face: screen.face)
                    VStack(alignment: .leading, spacing: 6) {
                        Text(screen.card.fullName ?? String(localized: "card.no_name")).font(.title3.bold())
                        if let number = screen.card.idNumber {
                            Text("card.number \(number)").font(.body.monospaced())
                        }
                        if let country = screen.card.country { Text("card.country \(country)") }
                        CardValidityText(card: screen.card).font(.footnote)
                    }
                }
                CardIssuerText(issuer: screen.card.issuer)
            }
            Section(header: Text("card.fields")) {
                ForEach(screen.fields, id: \.path) { field in
                    VStack(alignment: .leading) {
                        Text(field.label).font(.caption).foregroundColor(.secondary)
                        CardFieldValue(field: field)
                    }
                }
            }
            .privacySensitive()
            Section {
                Button { box.model.askToShow() } label: {
                    Label("card.show", systemImage: "qrcode")
                }
                Button(role: .destructive) { confirmingDelete = true } label: {
                    Label("card.delete", systemImage: "trash")
                }
                Button("common.back") { Task { await box.model.close() } }
            }
        }
        .confirmationDialog(Text("card.delete_confirm"), isPresented: $confirmingDelete, titleVisibility: .visible) {
            Button("card.delete", role: .destructive) { Task { await box.model.delete(id: screen.card.id) } }
        }
    }
}

/// A field's value: card times (Unix seconds) as dates, the rest as written.
struct CardFieldValue: View {
    let field: ClaimRow
    private static let times: Set<String> = ["expiresAt", "issuedAt", "notBefore"]

    var body: some View {
        if Self.times.contains(field.path), let seconds = TimeInterval(field.value) {
            Text(Date(timeIntervalSince1970: seconds).formatted(date: .long, time: .omitted))
        } else {
            Text(field.value)
        }
    }
}

/// The card's face as printed on it, or a note when it has none or it cannot be drawn.
struct CardFaceView: View {
    let face: CardFaceImage?

    var body: some View {
        if let face, let image = UIImage(data: face.bytes) {
            Image(uiImage: image)
                .resizable()
                .aspectRatio(contentMode: .fit)
                .frame(width: 110)
                .cornerRadius(6)
                .accessibilityLabel(Text("card.face"))
        } else {
            VStack {
                Image(systemName: "person.crop.square").font(.largeTitle)
                Text(face == nil ? "card.no_face" : "card.face_unusable").font(.caption2)
            }
            .foregroundColor(.secondary)
            .frame(width: 110)
        }
    }
}

/// Demo only: a national ID card's code from the in-process demo card issuer (see
/// `DemoContent.printDemoCard`), to scan with another phone's "Scan an identity card" or its
/// verifier.
struct DemoCardPrintView: View {
    @State private var printed: Result<QrFrame, Problem>?

    var body: some View {
        VStack(spacing: 12) {
            Text("card.demo_print_title").font(.headline)
            Text("card.demo_print_explain").font(.footnote).multilineTextAlignment(.center)
            switch printed {
            case .success(let frame)?: QrCodeView(frames: [frame]).padding()
            case .failure(let problem)?: Text(problem.text).foregroundColor(.red)
            case nil: ProgressView()
            }
            Button("card.demo_print_again") { printed = demoContent.printDemoCard() }
        }
        .padding()
        .onAppear { if printed == nil { printed = demoContent.printDemoCard() } }
    }
}
