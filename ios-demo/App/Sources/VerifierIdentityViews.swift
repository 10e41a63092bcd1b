import Laissez
import LaissezDemoKit
import SwiftUI

/// Who asks, at the top of the consent screen (`ConsentReview.verifier`). Verified: the
/// organisation, country, purposes and "certified by <registrar>", all from the registration
/// certificate and the wallet's trust list. Unverified: the warning with its reason in plain
/// words, and the request's own name and purpose marked as not checked.
struct ConsentVerifierSection: View {
    let verifier: VerifierIdentity

    var body: some View {
        switch verifier {
        case .verified(let organisation, let country, let purposes, let registrar, _, _):
            Section {
                Label("consent.verified", systemImage: "checkmark.shield.fill").foregroundColor(.green)
                Text("consent.organisation \(organisation) \(country)").font(.title2)
                ForEach(purposes, id: \.self) { purpose in Text("consent.registered_purpose \(purpose)") }
                Text("consent.certified_by \(registrar)").font(.footnote).foregroundColor(.secondary)
            }
        case .unverified(let reason, let claimedName, let claimedPurpose):
            Section {
                UnverifiedWarning(reason: reason.code)
                Text("consent.claimed_name \(claimedName)")
                Text("consent.claimed_purpose \(claimedPurpose)")
                Text("consent.not_checked").font(.caption).foregroundColor(.secondary)
            }
        }
    }
}

/// "This verifier could not be verified", and why (`reason`: the snake_case code of an
/// `UnverifiedReason`, as the consent and the disclosure history both give it).
struct UnverifiedWarning: View {
    let reason: String

    var body: some View {
        VStack(alignment: .leading, spacing: 4) {
            Label("consent.unverified", systemImage: "exclamationmark.triangle.fill")
                .font(.headline)
                .foregroundColor(.red)
            Text(LocalizedStringKey("unverified.\(reason)")).font(.footnote)
        }
    }
}

/// The extra step before answering an unverified verifier (`ConsentState.confirmingUnverified`):
/// the warning again, then "I understand this verifier is not verified — share anyway", or back.
struct UnverifiedConfirmView: View {
    let review: ConsentReview
    let shareAnyway: () -> Void
    let back: () -> Void

    var body: some View {
        Form {
            if case .unverified(let reason, let claimedName, _) = review.verifier {
                Section {
                    UnverifiedWarning(reason: reason.code)
                    Text("consent.claimed_name \(claimedName)")
                    Text("consent.confirm_explain").font(.footnote)
                }
            }
            Section {
                Button("consent.share_anyway", role: .destructive, action: shareAnyway)
                Button("common.back", action: back)
            }
        }
    }
}

/// Whom a disclosure went to, in the holder's history: the certified organisation and its
/// registrar, or "Unverified" with the name the request claimed, marked as not checked.
struct DisclosedVerifierText: View {
    let verifier: DisclosedVerifier

    var body: some View {
        switch verifier {
        case .verified(let organisation, let country, let registrar, _):
            VStack(alignment: .leading) {
                Label("history.shared_with_verified \(organisation) \(country)", systemImage: "checkmark.shield.fill")
                    .font(.headline)
                Text("consent.certified_by \(registrar)").font(.caption).foregroundColor(.secondary)
            }
        case .unverified(let claimedName, let reason):
            VStack(alignment: .leading) {
                Label("history.shared_with_unverified", systemImage: "exclamationmark.triangle.fill")
                    .font(.headline)
                    .foregroundColor(.orange)
                Text("consent.claimed_name \(claimedName)").font(.caption)
                Text(LocalizedStringKey("unverified.\(reason)")).font(.caption).foregroundColor(.secondary)
            }
        }
    }
}

/// The field verifier's registration: what the installed certificate says, or that there is
/// none (requests unsigned, holders see a warning).
struct RegistrationSummary: View {
    let certificate: VerifierCertificate?

    var body: some View {
        if let certificate {
            VStack(alignment: .leading, spacing: 4) {
                Label("verifier.registered \(certificate.organisation) \(certificate.country)",
                      systemImage: "checkmark.shield.fill")
                ForEach(certificate.purposes, id: \.self) { purpose in
                    Text("consent.registered_purpose \(purpose)").font(.footnote)
                }
                Text("verifier.registered_until \(Date(timeIntervalSince1970: TimeInterval(certificate.validUntil)).formatted(date: .abbreviated, time: .omitted))")
                    .font(.footnote)
                Text("verifier.registrar \(certificate.registrarId)").font(.caption).foregroundColor(.secondary)
                Text("verifier.certificate_reference \(certificate.reference)")
                    .font(.caption.monospaced())
                    .foregroundColor(.secondary)
            }
        } else {
            Label("verifier.not_registered", systemImage: "exclamationmark.triangle")
                .foregroundColor(.orange)
        }
    }
}
