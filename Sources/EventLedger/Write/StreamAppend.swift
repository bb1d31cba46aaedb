/// Events to append to one stream, with the revision the caller expects the stream to be at.
///
/// Several `StreamAppend`s passed to ``Ledger/append(_:)-(StreamAppend...)`` commit together in one
/// transaction, or none of them do.
public struct StreamAppend: Sendable, Equatable {
    /// The stream's name: 1 to 256 UTF-8 bytes, no control characters.
    public var stream: String
    /// The optimistic-concurrency check.
    public var expectedRevision: ExpectedRevision
    /// The events, in order.
    public var events: [ProposedEvent]

    /// Creates a stream append.
    public init(stream: String, expectedRevision: ExpectedRevision = .any, events: [ProposedEvent]) {
        self.stream = stream
        self.expectedRevision = expectedRevision
        self.events = events
    }
}
