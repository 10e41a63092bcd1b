import Combine
import LaissezDemoKit
import SwiftUI

/// Makes a LaissezDemoKit model observable by SwiftUI: the kit has no Combine (it is tested on
/// Linux), so this box republishes the model's state.
@MainActor
final class ModelBox<Model: AnyObject, State: Sendable>: ObservableObject {
    let model: Model
    @Published private(set) var state: State
    private var observation: Observation?

    init(_ model: Model, state: State, observe: (Model, @escaping @MainActor (State) -> Void) -> Observation) {
        self.model = model
        self.state = state
        observation = observe(model) { [weak self] in self?.state = $0 }
    }
}

extension ModelBox where Model: StateModel<State> {
    /// A box for any model of the kit (they all derive from `StateModel`).
    convenience init(_ model: Model) {
        self.init(model, state: model.state) { model, update in model.observe(update) }
    }
}
