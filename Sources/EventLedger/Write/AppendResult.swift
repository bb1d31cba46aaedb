/// What an append did to one stream.
public struct AppendResult: Sendable, Hashable {
    /// The stream appended to.
    public let stream: String
    /// The log positions the events were stored at (empty for an empty append).
    public let positions: Range<UInt64>
    /// The stream's revision after the append (its last event's revision); `nil` when the stream
    /// still has no events.
    public let revision: UInt64?
    /// `true` when every event was already stored (an idempotent retry): nothing was written and
    /// ``positions`` are the original ones.
    public let wasAlreadyStored: Bool

    /// Creates a result.
    public init(stream: String, positions: Range<UInt64>, revision: UInt64?, wasAlreadyStored: Bool) {
        self.stream = stream
        self.positions = positions
        self.revision = revision
        self.wasAlreadyStored = wasAlreadyStored
    }
}
