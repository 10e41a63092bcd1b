import Foundation
import Laissez

/// Demo only: an issuer, a registrar of verifiers, an identity card issuer and a trust-list
/// signer, so one phone can play both parts: the holder adds a demo
/// credential, the field verifier trusts the demo issuer and asks for that credential. The
/// demo card issuer ("Civil Registry (demo)", cards of `KEN`) is on both demo trust lists, and
/// `printDemoCard` draws a card's code to scan into the wallet or verify. With the demo registrar the
/// desk is registered (`registerDemoDesk`) and a holder that trusts it
/// (`trustDemoVerifiers`) sees it as verified, with nationality beyond its registration. Real credentials come from real issuers; real trust
/// lists are signed elsewhere and imported.
///
/// The four are one `TestKeys` set, kept in the wallets (`keys`, `DemoKeys`: the app opens
/// them with each wallet), so after the app restarts credentials added before are still from
/// the issuer the demo trust list names, and the signer the wallets pinned signs the next list.
@MainActor
public final class DemoContent {
    /// The type of the demo credential (`vct`), and what `request` asks for: one with
    /// built-in labels in the core (en/fr/ar), since credentials carry no labels.
    public static let credentialType = "urn:laissez:iom:registration:1"
    /// The name in the demo issuer's certificate.
    public static let issuerName = "Laissez Demo Issuer"
    /// The name holders see as who certified the demo desk.
    public static let registrarName = "Laissez Demo Registrar"
    /// The organisation the demo desk is registered as.
    public static let deskOrganisation = "Laissez Demo Desk"
    /// What the demo desk is registered for: the names only, so the nationality of `request`
    /// shows how a claim beyond the registration is marked and starts off.
    public static let registeredClaims = ["given_name", "family_name"]
    /// The demo identity card issuer (a national civil registry printing MOSIP Claim 169 codes
    /// on ID cards), as the demo trust lists name it.
    public static let cardIssuerName = "Civil Registry (demo)"
    /// The country the demo card issuer is trusted for, as its cards write it.
    public static let cardCountry = "KEN"
    /// Who the demo card is for, and its number.
    public static let cardHolderName = "Amina Yusuf Abdi"
    public static let cardIdNumber = "3918592438"
    /// Days a demo card is valid.
    public static let cardValidDays: UInt32 = 365 * 5
    /// Days the demo trust list is valid.
    public static let trustListDays: UInt32 = 30

    static let claims = #"{"given_name":"Amina","family_name":"Haddad","nationality":"SD","birth_date":"1990-05-01"}"#

    /// What the demo desk asks for: given and family name, nationality if the person agrees.
    public static let request = [
        RequestedCredential(credentialType: credentialType, claims: [
            RequestedClaim(path: "given_name", required: true),
            RequestedClaim(path: "family_name", required: true),
            RequestedClaim(path: "nationality", required: false),
        ]),
    ]

    /// The demo's keys, kept in the wallets: `keys.opened(wallet)` when a wallet opens.
    public let keys: DemoKeys
    private var lastSequence: UInt64 = 0

    /// `keys`: the demo's keys (a new `DemoKeys` making the demo's set, by default).
    public init(keys: DemoKeys? = nil) {
        self.keys = keys ?? DemoKeys(make: DemoContent.makeKeys)
    }

    /// A new set of demo keys: the demo issuer, signer, registrar and card issuer.
    public static func makeKeys() throws -> TestKeys {
        TestKeys.create(
            issuer: try TestIssuer.create(name: issuerName),
            trustListSigner: try TestTrustListSigner.create(),
            registrar: try TestRegistrar.create(id: "urn:laissez:demo:registrar", name: registrarName, country: "FR"),
            cardIssuer: try TestCardIssuer.create(name: cardIssuerName, country: cardCountry))
    }

    /// Holder: issues a demo registration to the wallet's holder key and imports it through
    /// `credentials`, which then lists it (or shows the problem: a locked wallet…).
    public func addDemoCredential(to credentials: CredentialsModel) async {
        let wallet = credentials.wallet
        switch await attempt({ try await self.issue(to: wallet) }) {
        case .success(let issued): await credentials.importCredential(issued)
        case .failure(let problem): credentials.set(.failed(problem))
        }
    }

    /// Field verifier: imports a trust list naming the demo issuer (and the demo card issuer,
    /// for cards of `cardCountry`), signed by the demo signer
    /// (pinned on the first import), through `verifier`, which is then ready (or shows the
    /// problem).
    public func trustDemoIssuer(_ verifier: VerifierModel) async {
        switch await attempt({ try self.signedTrustList() }) {
        case .success(let (text, signerJwk)):
            await verifier.importTrustList(signedText: text, signerJwk: signerJwk)
        case .failure(let problem):
            fail(verifier, problem)
        }
    }

    /// Holder: imports a trust list naming the demo issuer, the demo registrar and the demo
    /// card issuer into the wallet of `credentials` (pinning the demo signer the first time), so
    /// the demo desk, once registered, reads as verified; then lists the credentials again (the
    /// demo issuer now trusted) and, when given, the identity cards of `cards` (demo cards now
    /// from a trusted issuer), or shows the problem.
    public func trustDemoVerifiers(_ credentials: CredentialsModel, cards: IdentityCardsModel? = nil) async {
        let wallet = credentials.wallet
        let result = await attempt {
            let (text, signerJwk) = try self.signedTrustList()
            return try await wallet.importIssuerTrustList(signedText: text, signerJwk: signerJwk)
        }
        switch result {
        case .success:
            await credentials.load()
            await cards?.load()
        case .failure(let problem): credentials.set(.failed(problem))
        }
    }

    /// "Demo: print a card": the code a national ID card from the demo card issuer would
    /// carry (`cardHolderName`, `cardIdNumber`, a face photo, valid `cardValidDays`), drawn as
    /// a QR code to scan with the holder's "Scan an identity card" or the verifier's scanner on
    /// another phone. The card's times are those of the current second, so a card printed in
    /// another second is another code, kept beside the first; the very same code twice is
    /// refused as `cardAlreadyKept`.
    public func printDemoCard(pngScale: UInt32? = nil) -> Result<QrFrame, Problem> {
        do {
            return .success(try renderQr(text: try demoCardText(), pngScale: pngScale))
        } catch {
            return .failure(Problem.from(error))
        }
    }

    /// Holder: keeps a new demo card in the wallet of `cards` without the camera (one phone
    /// cannot scan its own screen) and opens its screen, or shows the problem.
    public func addDemoCard(to cards: IdentityCardsModel) async {
        switch await attempt({ try self.demoCardText() }) {
        case .success(let text): await cards.keep(text)
        case .failure(let problem): cards.fail(problem, retryScans: false)
        }
    }

    /// The text of a new demo card's code (see `printDemoCard`).
    func demoCardText(validDays: UInt32 = cardValidDays) throws -> String {
        try cardIssuer().card(fullName: Self.cardHolderName, idNumber: Self.cardIdNumber,
                              validDays: validDays, faceJpeg: Self.cardFaceJpeg)
    }

    /// Field verifier: the demo registrar certifies this desk's signing key (as
    /// `deskOrganisation`, for `registeredClaims`, for `trustListDays`) and the certificate is
    /// installed through `verifier`: its requests are signed from then on (or it shows the
    /// problem).
    public func registerDemoDesk(_ verifier: VerifierModel, purpose: String = "Identity check") async {
        let key: String
        switch await verifier.requestSigningKey() {
        case .success(let jwk): key = jwk
        case .failure(let problem): return fail(verifier, problem)
        }
        let now = Int64(Date().timeIntervalSince1970)
        let scope = [RegisteredScope(credentialType: Self.credentialType, claims: Self.registeredClaims)]
        let days = Int64(Self.trustListDays) * 86_400
        switch await attempt({
            try self.registrar().certify(verifierKeyJwk: key, organisation: Self.deskOrganisation, country: "FR",
                                         purposes: [purpose], scope: scope, validFrom: now - 3600,
                                         validUntil: now + days)
        }) {
        case .success(let certificate): await verifier.installCertificate(certificate)
        case .failure(let problem): fail(verifier, problem)
        }
    }

    private func fail(_ verifier: VerifierModel, _ problem: Problem) {
        var failed = verifier.state
        failed.phase = .failed(problem)
        verifier.set(failed)
    }

    /// The demo registrar (of the process's kept set, `keys`).
    func registrar() throws -> TestRegistrar {
        try keys.current().registrar()
    }

    /// The demo card issuer.
    func cardIssuer() throws -> TestCardIssuer {
        try keys.current().cardIssuer()
    }

    /// The demo issuer.
    func issuer() throws -> TestIssuer {
        try keys.current().issuer()
    }

    /// The demo trust-list signer.
    func signer() throws -> TestTrustListSigner {
        try keys.current().trustListSigner()
    }

    private func issue(to wallet: Wallet) async throws -> Data {
        let jwk = try await wallet.holderKey().jwk
        return try issuer().issueSdJwt(vct: Self.credentialType, claimsJson: Self.claims, holderJwkJson: jwk, status: nil)
    }

    /// A newly signed list and the signer's key. The sequence is the time, and always grows, so
    /// trusting again replaces the installed list instead of being refused as a rollback.
    private func signedTrustList() throws -> (String, String) {
        let signer = try signer()
        lastSequence = max(UInt64(Date().timeIntervalSince1970), lastSequence + 1)
        let text = try signer.sign(sequence: lastSequence, validDays: Self.trustListDays, issuers: [try issuer()],
                                   registrars: [try registrar()], cardIssuers: [try cardIssuer()])
        return (text, signer.publicJwk())
    }
}
