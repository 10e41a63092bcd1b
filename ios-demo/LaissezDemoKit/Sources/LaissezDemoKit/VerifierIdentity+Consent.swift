import Laissez

extension VerifierIdentity {
    /// A registrar on the wallet's trust list certified this verifier.
    public var isVerified: Bool {
        if case .verified = self { return true }
        return false
    }
}

extension UnverifiedReason {
    /// The stable snake_case code of the reason (`no_certificate`, `unknown_registrar`…), as
    /// the disclosure history records it: the key of its text on screen.
    public var code: String { snakeCase(self) }
}
