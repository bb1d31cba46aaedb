public import EventLedger
import Foundation

/// The held sessions a mentorship's record has settled into counters (see ``RecordSettling``):
/// what the engagement formulas add to the sessions still listed. Empty for a record folded
/// without settling.
public struct SettledEngagement: Sendable, Hashable, Codable {
    /// SessionHeld events settled.
    public var sessionsHeld: Int
    /// Their minutes.
    public var minutesHeld: Int
    /// The earliest and the latest settled held time.
    public var firstSessionAt: Timestamp?
    /// The latest settled held time.
    public var lastSessionAt: Timestamp?
    /// Distinct cadence periods holding a settled session.
    public var periodsWithSession: Int
    /// The highest of those periods.
    public var lastPeriod: Int?
    /// Settled held sessions with session-linked feedback.
    public var sessionsWithFeedback: Int
    /// Settled held sessions the mentor attended, their minutes, the latest one's time.
    public var mentorSessions: Int
    /// Their minutes.
    public var mentorMinutes: Int
    /// The latest one's time.
    public var mentorLastSessionAt: Timestamp?
    /// Settled held sessions the mentee attended.
    public var menteeSessions: Int
    /// Their minutes.
    public var menteeMinutes: Int
    /// The latest one's time.
    public var menteeLastSessionAt: Timestamp?

    /// Nothing settled.
    public init() {
        sessionsHeld = 0
        minutesHeld = 0
        periodsWithSession = 0
        sessionsWithFeedback = 0
        mentorSessions = 0
        mentorMinutes = 0
        menteeSessions = 0
        menteeMinutes = 0
    }

    /// What `history` settled, as engagement reads it. `firstFeedbackAt` is the record's live
    /// first-feedback times: feedback that came, still live, for one of the last settled held
    /// sessions settled without any counts that session as having had feedback.
    init(_ history: SettledHistory, firstFeedbackAt: IDTable<Timestamp>) {
        sessionsHeld = history.held
        minutesHeld = history.minutes
        firstSessionAt = history.firstHeldAt
        lastSessionAt = history.lastHeldAt
        periodsWithSession = history.periodsWithSession
        lastPeriod = history.lastPeriod
        mentorSessions = history.mentorAttended
        mentorMinutes = history.mentorMinutes
        mentorLastSessionAt = history.mentorLastAttendedAt
        menteeSessions = history.menteeAttended
        menteeMinutes = history.menteeMinutes
        menteeLastSessionAt = history.menteeLastAttendedAt
        let lateFeedback = history.recentHeld.filter { !$0.answered && firstFeedbackAt[$0.session] != nil }.count
        sessionsWithFeedback = history.heldWithFeedback + lateFeedback
    }
}
