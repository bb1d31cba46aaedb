import EventLedger
import Foundation

/// A ``SettledHistory`` in a record: a presence byte (0: nothing settled, and nothing follows),
/// then the horizon; held count, minutes (Int64 each), optional first and last held time,
/// periods with a session (Int64), optional last period (Int64), held with feedback; mentor
/// attended, mentor minutes, mentee attended, mentee minutes (Int64 each), optional mentor and
/// mentee last attended time; pair held,
/// pair no-shows, mentor held, mentee held, mentor no-shows, mentee no-shows, pair / mentor /
/// mentee short-notice cancellations (Int64 each); the pair, mentor and mentee streak ends
/// (`SettledStreak`); the last settled held sessions; program health's no-shows and short-notice
/// cancellations; mentor and mentee feedback, rating count and sum (Int64 each); unanswered low
/// ratings (a table of times); the latest nudges sent (`TrackedNudge`); optional last activity;
/// the settled goals (a table of `SettledGoal`); tasks due, on time, mentor due, mentor on time,
/// mentee due, mentee on time (Int64 each).
extension SettledHistory: RecordField {
    static var minimumEncodedSize: Int { 1 }

    func encode(into writer: inout EventPayloadWriter) {
        guard let horizon else {
            writer.write(UInt8(0))
            return
        }
        writer.write(UInt8(1))
        writer.write(horizon)
        for value in [held, minutes] { writer.write(int: value) }
        writer.write(optional: firstHeldAt)
        writer.write(optional: lastHeldAt)
        writer.write(int: periodsWithSession)
        writer.writeOptional(lastPeriod) { $0.write(int: $1) }
        writer.write(int: heldWithFeedback)
        for value in [mentorAttended, mentorMinutes, menteeAttended, menteeMinutes] { writer.write(int: value) }
        writer.write(optional: mentorLastAttendedAt)
        writer.write(optional: menteeLastAttendedAt)
        for value in [pairHeld, pairNoShows, mentorHeld, menteeHeld, mentorNoShows, menteeNoShows,
                      pairShortNotice, mentorShortNotice, menteeShortNotice] {
            writer.write(int: value)
        }
        for streak in [pairStreak, mentorStreak, menteeStreak] { streak.encode(into: &writer) }
        writer.write(fields: recentHeld)
        for value in [healthNoShows, healthShortNotice, mentorFeedback, menteeFeedback, ratingCount, ratingSum] {
            writer.write(int: value)
        }
        lowRatings.encode(into: &writer)
        writer.write(fields: sent)
        writer.write(optional: lastActivity)
        goals.encode(into: &writer)
        for value in [taskDue, taskOnTime, mentorTaskDue, mentorTaskOnTime, menteeTaskDue, menteeTaskOnTime] {
            writer.write(int: value)
        }
    }

    init(decoding reader: inout EventPayloadReader) throws {
        self.init()
        let presenceAt = reader.offset
        switch try reader.readUInt8() {
        case 0:
            return
        case 1:
            break
        case let byte:
            throw EventPayloadError(offset: presenceAt, reason: "a settled-history presence byte is \(byte), not 0 or 1")
        }
        horizon = try reader.readTimestamp()
        held = try reader.readInt()
        minutes = try reader.readInt()
        firstHeldAt = try reader.readOptionalField(Timestamp.self)
        lastHeldAt = try reader.readOptionalField(Timestamp.self)
        periodsWithSession = try reader.readInt()
        lastPeriod = try reader.readOptional { try $0.readInt() }
        heldWithFeedback = try reader.readInt()
        mentorAttended = try reader.readInt()
        mentorMinutes = try reader.readInt()
        menteeAttended = try reader.readInt()
        menteeMinutes = try reader.readInt()
        mentorLastAttendedAt = try reader.readOptionalField(Timestamp.self)
        menteeLastAttendedAt = try reader.readOptionalField(Timestamp.self)
        pairHeld = try reader.readInt()
        pairNoShows = try reader.readInt()
        mentorHeld = try reader.readInt()
        menteeHeld = try reader.readInt()
        mentorNoShows = try reader.readInt()
        menteeNoShows = try reader.readInt()
        pairShortNotice = try reader.readInt()
        mentorShortNotice = try reader.readInt()
        menteeShortNotice = try reader.readInt()
        pairStreak = try SettledStreak(decoding: &reader)
        mentorStreak = try SettledStreak(decoding: &reader)
        menteeStreak = try SettledStreak(decoding: &reader)
        recentHeld = try reader.readFields(SettledHeldSession.self)
        healthNoShows = try reader.readInt()
        healthShortNotice = try reader.readInt()
        mentorFeedback = try reader.readInt()
        menteeFeedback = try reader.readInt()
        ratingCount = try reader.readInt()
        ratingSum = try reader.readInt()
        lowRatings = try IDTable<Timestamp>(decoding: &reader)
        sent = try reader.readFields(TrackedNudge.self)
        lastActivity = try reader.readOptionalField(Timestamp.self)
        goals = try IDTable<SettledGoal>(decoding: &reader)
        taskDue = try reader.readInt()
        taskOnTime = try reader.readInt()
        mentorTaskDue = try reader.readInt()
        mentorTaskOnTime = try reader.readInt()
        menteeTaskDue = try reader.readInt()
        menteeTaskOnTime = try reader.readInt()
    }
}

/// A ``StreakKey``: occurred-at, then log position.
extension StreakKey: RecordField {
    static var minimumEncodedSize: Int { 16 }

    func encode(into writer: inout EventPayloadWriter) {
        writer.write(at)
        writer.write(position)
    }

    init(decoding reader: inout EventPayloadReader) throws {
        at = try reader.readTimestamp()
        position = try reader.readUInt64()
    }
}

/// A ``SettledStreak``: optional last non-miss, then the misses after it.
extension SettledStreak: RecordField {
    static var minimumEncodedSize: Int { 1 + 4 }

    func encode(into writer: inout EventPayloadWriter) {
        writer.write(optional: lastNonMiss)
        writer.write(fields: misses)
    }

    init(decoding reader: inout EventPayloadReader) throws {
        lastNonMiss = try reader.readOptionalField(StreakKey.self)
        misses = try reader.readFields(StreakKey.self)
    }
}

/// A ``SettledHeldSession``: session, key, then a flag byte (bit 0 mentor gave, 1 mentee gave,
/// 2 answered; other bits must be 0).
extension SettledHeldSession: RecordField {
    static var minimumEncodedSize: Int { 16 + 16 + 1 }

    func encode(into writer: inout EventPayloadWriter) {
        writer.write(session)
        key.encode(into: &writer)
        var flags: UInt8 = 0
        if mentorGave { flags |= 1 }
        if menteeGave { flags |= 2 }
        if answered { flags |= 4 }
        writer.write(flags)
    }

    init(decoding reader: inout EventPayloadReader) throws {
        session = try reader.readUUID()
        key = try StreakKey(decoding: &reader)
        let flags = try reader.readFlags(allowed: 0b111)
        mentorGave = flags & 1 != 0
        menteeGave = flags & 2 != 0
        answered = flags & 4 != 0
    }
}
