import Foundation
import Laissez

/// First launch: choose a PIN, create the wallet, see the 24 words once, confirm three of them.
/// Or, for a wallet whose PIN is forgotten: the 24 words and a new PIN.
public enum OnboardingState: Sendable, Equatable {
    case welcome
    case working
    /// The 24 words, shown once: after `wordsWrittenDown()` they are gone from memory.
    case showWords([String])
    /// Type the words at these 1-based positions.
    case confirmWords(positions: [Int])
    /// The wallet is ready (unlocked).
    case done
    /// Something went wrong; the person can try again from where they were.
    case failed(Problem)
}

@MainActor
public final class OnboardingModel: StateModel<OnboardingState> {
    private let setup: WalletSetup
    private var words: [String] = []
    private var positions: [Int] = []
    /// The unlocked wallet, once `state` is `.done`.
    public private(set) var wallet: Wallet?

    public init(setup: WalletSetup) {
        self.setup = setup
        super.init(.welcome)
    }

    /// Creates the wallet with `pin` (typed twice).
    public func create(pin: String, repeated: String) async {
        guard pin == repeated else { return set(.failed(.pinsDiffer)) }
        set(.working)
        let setup = self.setup
        switch await attempt({ try await createWallet(path: setup.path, pin: pin, options: setup.options) }) {
        case .success(let created):
            wallet = created.wallet
            words = created.mnemonicWords
            set(.showWords(words))
        case .failure(let problem):
            set(.failed(problem))
        }
    }

    /// The person wrote the words down: ask for three of them back.
    public func wordsWrittenDown(positions chosen: [Int]? = nil) {
        guard !words.isEmpty else { return set(.failed(.internalError)) }
        positions = chosen ?? Array((1...words.count).shuffled().prefix(3)).sorted()
        set(.confirmWords(positions: positions))
    }

    /// Checks the typed words (in the order of `positions`); case and spaces do not matter.
    public func confirm(_ typed: [String]) {
        guard !positions.isEmpty else { return set(.failed(.internalError)) }
        let wrong = zip(positions, typed + Array(repeating: "", count: max(0, positions.count - typed.count)))
            .filter { position, word in
                words[position - 1] != word.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            }
            .map { $0.0 }
        if wrong.isEmpty {
            words = []
            positions = []
            set(.done)
        } else {
            set(.failed(.confirmationWrong(positions: wrong)))
        }
    }

    /// Back to the words after a failed confirmation.
    public func showWordsAgain() {
        guard !words.isEmpty else { return }
        set(.showWords(words))
    }

    /// Forgotten PIN: the 24 words of this phone's wallet set a new PIN.
    public func recover(words phrase: String, newPin: String, repeated: String) async {
        guard newPin == repeated else { return set(.failed(.pinsDiffer)) }
        let normalized = phrase.lowercased().split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        do {
            try validateMnemonic(phrase: normalized)
        } catch {
            return set(.failed(Problem.from(error)))
        }
        set(.working)
        let setup = self.setup
        let result = await attempt { () -> Wallet in
            let wallet = try await openWallet(path: setup.path, options: setup.options)
            try await wallet.recover(mnemonic: normalized, newPin: newPin)
            return wallet
        }
        switch result {
        case .success(let opened):
            wallet = opened
            set(.done)
        case .failure(let problem):
            set(.failed(problem))
        }
    }
}
