/// A checkpointed projection's state and the position it reflects: every event up to and
/// including ``position``, and none after.
public struct ProjectionSnapshot<State> {
    /// The folded state.
    public var state: State
    /// The last position the state reflects (0: no event yet).
    public var position: UInt64
    /// The projection version that wrote it.
    public var version: UInt32

    /// Creates a snapshot.
    public init(state: State, position: UInt64, version: UInt32) {
        self.state = state
        self.position = position
        self.version = version
    }
}

extension ProjectionSnapshot: Sendable where State: Sendable {}
extension ProjectionSnapshot: Equatable where State: Equatable {}
