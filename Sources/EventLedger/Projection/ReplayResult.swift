/// What a replay produced: the state, and the last position it read.
public struct ReplayResult<State> {
    /// The folded state.
    public var state: State
    /// The position of the last record the replay looked at (0 when it saw none); the state
    /// reflects every selected event up to it.
    public var position: UInt64
    /// How many events were applied.
    public var eventsApplied: UInt64

    /// Creates a result.
    public init(state: State, position: UInt64, eventsApplied: UInt64) {
        self.state = state
        self.position = position
        self.eventsApplied = eventsApplied
    }
}

extension ReplayResult: Sendable where State: Sendable {}
