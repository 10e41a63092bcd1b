import Laissez
import LaissezDemoKit
import SwiftUI

/// The holder's disclosures (`HistoryModel(holder:)`) or the field verifier's log
/// (`HistoryModel(verifierWallet:)`), newest first, in a sheet.
struct HistoryView: View {
    let title: LocalizedStringKey
    @StateObject private var box: ModelBox<HistoryModel, HistoryState>
    @Environment(\.dismiss) private var dismiss

    init(model: HistoryModel, title: LocalizedStringKey) {
        self.title = title
        _box = StateObject(wrappedValue: ModelBox(model))
    }

    var body: some View {
        NavigationView {
            content
                .navigationTitle(Text(title))
                .navigationBarTitleDisplayMode(.inline)
                .toolbar {
                    ToolbarItem(placement: .confirmationAction) { Button("common.done") { dismiss() } }
                }
        }
        .task { await box.model.refresh() }
    }

    @ViewBuilder private var content: some View {
        switch box.state {
        case .loading:
            ProgressView()
        case .rows(let rows) where rows.isEmpty:
            Text("history.empty").foregroundColor(.secondary)
        case .rows(let rows):
            List(Array(rows.enumerated()), id: \.offset) { _, row in HistoryRowView(row: row) }
        case .failed(let problem):
            VStack(spacing: 16) {
                Text(problem.text)
                Button("common.retry") { Task { await box.model.refresh() } }
            }
            .padding()
        }
    }
}

/// One line: when; for the verifier the verdict, whose credential, why it was refused and the
/// registration its request was signed with; for the holder to whom (the certified
/// organisation, or "unverified" with the claimed name marked as not checked, or that it was
/// shown without a request); then the claims.
struct HistoryRowView: View {
    let row: HistoryRow

    var body: some View {
        VStack(alignment: .leading, spacing: 4) {
            Text(Date(timeIntervalSince1970: TimeInterval(row.at)).formatted(date: .abbreviated, time: .shortened))
                .font(.caption)
                .foregroundColor(.secondary)
            if let valid = row.valid {
                if valid {
                    Label("verdict.valid", systemImage: "checkmark.seal.fill").foregroundColor(.green)
                } else {
                    Label("verdict.invalid", systemImage: "xmark.octagon.fill").foregroundColor(.red)
                }
                Text(row.title).font(.headline)
                ForEach(row.reasonCodes, id: \.self) { code in
                    Text(LocalizedStringKey("reason.\(code)")).font(.caption)
                }
                // The registration certificate the answered request was signed with.
                if let reference = row.certificateReference {
                    Text("history.signed_request \(reference)").font(.caption.monospaced())
                }
            } else if row.shownWithoutRequest {
                Text("history.without_request").font(.headline)
            } else if let verifier = row.verifier {
                DisclosedVerifierText(verifier: verifier)
            } else if row.title.isEmpty {
                Text("history.unknown_audience").font(.headline)
            } else {
                Text("history.shared_with \(row.title)").font(.headline)
            }
            if !row.claims.isEmpty {
                Text(row.claims.joined(separator: ", ")).font(.caption)
            }
        }
    }
}
