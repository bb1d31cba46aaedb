public import EventLedger

/// The binary row of a ``MentorshipRecord``.
///
/// Layout (little-endian integers; Doubles by bit pattern; times as Int64 microseconds; UUIDs
/// as 16 bytes; optionals with a presence byte 0 / 1; arrays and tables with a UInt32 count):
///
/// | field | encoding |
/// |---|---|
/// | format | UInt8, 3 |
/// | body length | UInt32 |
/// | body | the fields below |
/// | checksum | UInt32, CRC-32 of the body |
///
/// Body, in this order: start position (UInt64); pair (`TrackedPair+Row`); goals
/// (`IDTable+Row` of `TrackedGoal+Row`); tasks (`TrackedTask+Row`); sessions and feedback
/// (`TrackedSessions+Row`); held sessions (`EngagementSessionFact+Row`); first feedback per
/// session (table of times); health session facts (`HealthSessionFacts+Row`); nudges sent
/// (`TrackedNudge+Row`); activity times (`ActivityTimes+Row`); the settled history
/// (`SettledHistory+Row`); last occurred-at; event count (UInt64).
extension MentorshipRecord: ProjectionRow {
    /// The format byte this version writes and reads.
    static let format: UInt8 = 3

    /// Writes the record's row.
    public func encode(into writer: inout EventPayloadWriter) {
        var body = EventPayloadWriter(capacity: 256)
        body.write(startPosition)
        pair.encode(into: &body)
        goals.encode(into: &body)
        tasks.encode(into: &body)
        sessions.encode(into: &body)
        body.write(fields: heldSessions)
        firstFeedbackAt.encode(into: &body)
        health.encode(into: &body)
        body.write(fields: sent)
        activity.encode(into: &body)
        settled.encode(into: &body)
        body.write(lastOccurredAt)
        body.write(eventCount)
        writer.write(Self.format)
        writer.writeLengthPrefixed(body.bytes)
        writer.write(RecordChecksum.crc32(body.bytes))
    }

    /// Reads a row written by ``encode(into:)``.
    ///
    /// - Throws: ``EventPayloadError`` when the row is short, has another format byte, fails its
    ///   checksum, or holds a malformed field (a presence, flag or enum byte out of range, a
    ///   repeated id, unsorted activity times, trailing bytes in the body).
    public init(decoding reader: inout EventPayloadReader) throws {
        let formatAt = reader.offset
        let format = try reader.readUInt8()
        guard format == Self.format else {
            throw EventPayloadError(offset: formatAt, reason: "unknown mentorship record format \(format)")
        }
        let body = try reader.readLengthPrefixedBytes()
        let checksumAt = reader.offset
        let checksum = try reader.readUInt32()
        guard checksum == RecordChecksum.crc32(body) else {
            throw EventPayloadError(offset: checksumAt, reason: "mentorship record checksum mismatch")
        }
        self = try body.withUnsafeBytes { raw in
            var body = EventPayloadReader(raw)
            let record = try Self.decodeBody(&body)
            try body.expectEnd("mentorship record")
            return record
        }
    }

    /// The record's row as bytes.
    public var encoded: [UInt8] {
        var writer = EventPayloadWriter(capacity: 512)
        encode(into: &writer)
        return writer.bytes
    }

    /// Reads a row written by ``encode(into:)`` that is all of `bytes`.
    ///
    /// - Throws: as ``init(decoding:)``, and when bytes are left over.
    public init(encoded bytes: [UInt8]) throws {
        self = try bytes.withUnsafeBytes { raw in
            var reader = EventPayloadReader(raw)
            let record = try MentorshipRecord(decoding: &reader)
            try reader.expectEnd("mentorship record")
            return record
        }
    }

    /// Reads the body's fields, in ``encode(into:)``'s order.
    private static func decodeBody(_ reader: inout EventPayloadReader) throws -> MentorshipRecord {
        let startPosition = try reader.readUInt64()
        let pair = try TrackedPair(decoding: &reader)
        let goals = try IDTable<TrackedGoal>(decoding: &reader)
        let tasks = try IDTable<TrackedTask>(decoding: &reader)
        let sessions = try TrackedSessions(decoding: &reader)
        let heldSessions = try reader.readFields(EngagementSessionFact.self)
        let firstFeedbackAt = try IDTable<Timestamp>(decoding: &reader)
        let health = try HealthSessionFacts(decoding: &reader)
        let sent = try reader.readFields(TrackedNudge.self)
        let activity = try ActivityTimes(decoding: &reader)
        let settled = try SettledHistory(decoding: &reader)
        let lastAt = reader.offset
        let lastOccurredAt = try reader.readTimestamp()
        let eventCount = try reader.readUInt64()
        guard eventCount >= 1, lastOccurredAt >= pair.startedAt else {
            throw EventPayloadError(offset: lastAt, reason: "a mentorship record counts \(eventCount) events, last at \(lastOccurredAt), started at \(pair.startedAt)")
        }
        return MentorshipRecord(startPosition: startPosition, pair: pair, goals: goals, tasks: tasks, sessions: sessions,
                                heldSessions: heldSessions, firstFeedbackAt: firstFeedbackAt, health: health, sent: sent,
                                activity: activity, settled: settled, lastOccurredAt: lastOccurredAt, eventCount: eventCount)
    }
}
