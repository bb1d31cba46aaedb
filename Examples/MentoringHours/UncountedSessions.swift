import EventLedger

/// Held sessions ``MentoringHoursProjection`` does not count towards any mentor's time.
struct UncountedSessions: Sendable, Equatable {
    /// Held sessions on a stream with no MentorshipStarted before them.
    var withoutStart: UInt64 = 0
    /// Held sessions the mentor did not attend.
    var withoutMentor: UInt64 = 0

    /// None.
    init() {}

    /// Both tallies.
    var total: UInt64 { withoutStart + withoutMentor }

    /// Writes the sessions without a start, then those without the mentor (8 bytes each).
    func encode(into writer: inout EventPayloadWriter) {
        writer.write(withoutStart)
        writer.write(withoutMentor)
    }

    /// Reads what ``encode(into:)`` wrote.
    init(decoding reader: inout EventPayloadReader) throws {
        withoutStart = try reader.readUInt64()
        withoutMentor = try reader.readUInt64()
    }
}
