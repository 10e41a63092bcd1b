import Foundation

/// Cancels an observation when released or when `cancel()` is called.
@MainActor
public final class Observation {
    private var onCancel: (() -> Void)?
    init(_ onCancel: @escaping () -> Void) { self.onCancel = onCancel }
    /// Stops the observation.
    public func cancel() { onCancel?(); onCancel = nil }
}

/// The base of every model: one value `state` that the UI draws, and observers told of each
/// change. No Combine (absent on Linux): SwiftUI adapts a model with a small ObservableObject
/// in the app target (`App/Sources/ModelBox.swift`), tests read `state` or `updates`.
@MainActor
public class StateModel<State: Sendable> {
    /// What the screen shows now.
    public private(set) var state: State
    private var observers: [Int: (State) -> Void] = [:]
    private var nextObserver = 0

    init(_ initial: State) { state = initial }

    /// Calls `observer` with the current state now and with every later one.
    public func observe(_ observer: @escaping @MainActor (State) -> Void) -> Observation {
        let id = nextObserver
        nextObserver += 1
        observers[id] = observer
        observer(state)
        return Observation { [weak self] in self?.observers[id] = nil }
    }

    /// Every state from now on, as an async sequence (ends when the model is released).
    public var updates: AsyncStream<State> {
        AsyncStream { continuation in
            let observation = observe { continuation.yield($0) }
            continuation.onTermination = { _ in Task { @MainActor in observation.cancel() } }
        }
    }

    func set(_ newState: State) {
        state = newState
        for observer in observers.values { observer(newState) }
    }
}
