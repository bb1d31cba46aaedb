public import EventLedger
public import Foundation

/// Everything the built-in models say about one mentorship at one time, flat: its goals'
/// progress, engagement, both sides' commitment, its health and the reminders due.
public struct MentorshipAnswer: Sendable, Hashable {
    /// When the metrics are evaluated.
    public var asOf: Timestamp
    /// The mentorship's id.
    public var mentorship: UUID
    /// Its program.
    public var program: UUID
    /// The mentor.
    public var mentor: UUID
    /// The mentee.
    public var mentee: UUID
    /// The log position of its MentorshipStarted.
    public var startPosition: UInt64
    /// The latest occurred-at of its events.
    public var lastOccurredAt: Timestamp
    /// Its goals rolled up (nil when it had not started by `asOf`).
    public var progress: MentorshipProgress?
    /// Each goal's progress, by goal id.
    public var goals: [GoalProgress]
    /// Its engagement (nil when it had not started by `asOf`).
    public var engagement: MentorshipEngagement?
    /// Its commitment, both sides (nil when it had not started by `asOf`).
    public var commitment: MentorshipCommitment?
    /// Its health (nil when it had not started by `asOf`).
    public var health: PairHealth?
    /// The reminders due about it.
    public var nudges: [DueNudge]

    /// The answer for `record` at `asOf`.
    public init(record: MentorshipRecord, asOf: Timestamp) {
        let reports = AccountabilityReports(records: [record], asOf: asOf)
        self.init(record: record, reports: reports)
    }

    /// The entries of `reports` about `record`'s mentorship.
    init(record: MentorshipRecord, reports: AccountabilityReports) {
        let id = record.mentorship
        asOf = reports.asOf
        mentorship = id
        program = record.program
        mentor = record.mentor
        mentee = record.mentee
        startPosition = record.startPosition
        lastOccurredAt = record.lastOccurredAt
        progress = reports.progress.mentorships[id]
        goals = reports.progress.goals.filter { $0.mentorship == id }
        engagement = reports.engagement.mentorship(id)
        commitment = reports.commitment.mentorships[id]
        health = reports.health.pair(id)
        nudges = reports.nudges.nudges(in: id)
    }
}
