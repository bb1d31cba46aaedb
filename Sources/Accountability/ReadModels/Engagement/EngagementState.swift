public import EventLedger
public import Foundation

/// The facts the engagement read model folds from the log: per mentorship stream, who the pair
/// is, its cadence, when it started, paused, resumed and ended, every held session and when each
/// session first got feedback. No metric is stored; ``report(asOf:)`` derives them all.
///
/// Every time is the event's occurred-at (domain time).
public struct EngagementState: Sendable, Hashable, Codable {
    /// Facts per mentorship, keyed by the stream's key (``EventRecord/streamKey``).
    public internal(set) var mentorships: [UInt64: EngagementMentorshipFacts]

    /// The state before any event.
    public init() { mentorships = [:] }

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
