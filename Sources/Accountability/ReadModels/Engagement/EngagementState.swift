public import EventLedger
public import Foundation

/// The state the engagement read model folds: one ``MentorshipRecord`` per mentorship stream
/// (who the pair is, its cadence, when it started, paused, resumed and ended, every held session
/// and when each session first got feedback), folded as the events come. No metric is stored;
/// ``report(asOf:)`` derives them all, reading each mentorship's ``EngagementMentorshipFacts``
/// from its record. Every time is the event's occurred-at (domain time). Stored in checkpoints
/// as each record's binary row (``MentorshipRecords``).
public struct EngagementState: Sendable, Hashable, Codable {
    /// The mentorships' records, by stream key.
    public private(set) var records = MentorshipRecords()

    /// The state before any event.
    public init() {}

    /// Facts per mentorship, keyed by the stream's key (``EventRecord/streamKey``).
    public var mentorships: [UInt64: EngagementMentorshipFacts] {
        var result: [UInt64: EngagementMentorshipFacts] = [:]
        result.reserveCapacity(records.count)
        for (stream, record) in records.byStream { result[stream] = EngagementMentorshipFacts(record: record) }
        return result
    }

    /// Folds one event of the stream `stream`: start, pauses, resumes, end, held sessions and
    /// session-linked feedback (the record keeps the other models' facts too). Events of a
    /// stream with no MentorshipStarted (before them) are left out of every report.
    mutating func apply(_ event: AccountabilityEvent, stream: UInt64, at time: Timestamp, position: UInt64) {
        records.apply(event, stream: stream, at: time, position: position)
    }

    /// The engagement metrics as of `asOf`: only facts whose occurred-at is at or before `asOf`
    /// count; a mentorship that started after `asOf` is not reported.
    public func report(asOf: Timestamp) -> EngagementReport {
        EngagementReport(state: self, asOf: asOf)
    }
}

/// What the engagement model knows about one mentorship.
public struct EngagementMentorshipFacts: Sendable, Hashable, Codable {
    /// The mentorship's id.
    public var mentorship: UUID
    /// The mentor.
    public var mentor: UUID
    /// The mentee.
    public var mentee: UUID
    /// The program.
    public var program: UUID
    /// The agreed cadence in days (1…365).
    public var cadenceDays: Int
    /// Occurred-at of MentorshipStarted.
    public var startedAt: Timestamp
    /// Occurred-at of MentorshipEnded, once ended.
    public var endedAt: Timestamp?
    /// Pauses, in log order.
    public var pauses: [MentorshipPauseFact]
    /// Held sessions, in log order.
    public var sessions: [EngagementSessionFact]
    /// For each session that received session-linked feedback: the earliest occurred-at of such
    /// a FeedbackGiven.
    public var firstFeedbackAt: [UUID: Timestamp]
    /// Held sessions settled into counters (none unless the record settles).
    public var settled = SettledEngagement()

    /// Facts of a mentorship that just started.
    public init(_ start: MentorshipStarted, startedAt: Timestamp) {
        mentorship = start.mentorship
        mentor = start.mentor
        mentee = start.mentee
        program = start.program
        cadenceDays = start.cadenceDays
        self.startedAt = startedAt
        endedAt = nil
        pauses = []
        sessions = []
        firstFeedbackAt = [:]
    }

    /// The facts of a mentorship as the shared fold tracked its start and lifecycle.
    init(_ pair: TrackedPair) {
        mentorship = pair.mentorship
        mentor = pair.mentor
        mentee = pair.mentee
        program = pair.program
        cadenceDays = pair.cadenceDays
        startedAt = pair.startedAt
        endedAt = pair.endedAt
        pauses = pair.pauses.map { MentorshipPauseFact(pausedAt: $0.pausedAt, resumedAt: $0.resumedAt) }
        sessions = []
        firstFeedbackAt = [:]
    }

    /// The facts of the mentorship whose record is `record`: it can be evaluated on its own
    /// (``MentorshipEngagement/init(_:asOf:)``).
    public init(record: MentorshipRecord) {
        self.init(record.pair)
        sessions = record.heldSessions
        firstFeedbackAt.reserveCapacity(record.firstFeedbackAt.count)
        for (session, at) in record.firstFeedbackAt { firstFeedbackAt[session] = at }
        settled = SettledEngagement(record.settled, firstFeedbackAt: record.firstFeedbackAt)
    }
}

/// One held session (SessionHeld).
public struct EngagementSessionFact: Sendable, Hashable, Codable {
    /// The session's id.
    public var session: UUID
    /// When it was held (occurred-at of SessionHeld).
    public var heldAt: Timestamp
    /// Its length in minutes.
    public var minutes: Int
    /// Whether the mentor is among the attendees.
    public var mentorAttended: Bool
    /// Whether the mentee is among the attendees.
    public var menteeAttended: Bool

    /// Creates the fact.
    public init(session: UUID, heldAt: Timestamp, minutes: Int, mentorAttended: Bool, menteeAttended: Bool) {
        self.session = session
        self.heldAt = heldAt
        self.minutes = minutes
        self.mentorAttended = mentorAttended
        self.menteeAttended = menteeAttended
    }
}
