/// What an import did.
public struct ImportSummary: Sendable, Hashable {
    /// Lines read, blank lines included.
    public var linesRead = 0
    /// Events appended.
    public var eventsAppended = 0
    /// Lines whose event id was already stored with the same content (an earlier import of the same
    /// file, or a line repeated in the file): skipped, as a retry of an append is.
    public var alreadyStored = 0
    /// Mentorships the appended events belong to.
    public var mentorships = 0
    /// The positions the appended events got (empty when nothing was appended).
    public var positions: Range<UInt64> = 0..<0

    /// An empty summary.
    public init() {}
}
