public import EventLedger
public import Foundation

/// Everything the built-in models say about one person at one time: their rollups as mentor or
/// mentee across their mentorships, and each of those mentorships.
public struct ParticipantAnswer: Sendable, Hashable {
    /// When the metrics are evaluated.
    public var asOf: Timestamp
    /// The person.
    public var participant: UUID
    /// The goals they own, rolled up (nil when they own none).
    public var progress: GoalRollup?
    /// Their engagement across their mentorships (nil when none had started by `asOf`).
    public var engagement: ParticipantEngagement?
    /// Their commitment across their mentorships (nil when none had started by `asOf`).
    public var commitment: ParticipantCommitment?
    /// The reminders due to them.
    public var nudges: [DueNudge]
    /// Each of their mentorships, in the order they started.
    public var mentorships: [MentorshipAnswer]

    /// The answer for `person` from the records of their mentorships.
    init(person: UUID, records: [MentorshipRecord], asOf: Timestamp) {
        let reports = AccountabilityReports(records: records, asOf: asOf)
        self.asOf = asOf
        participant = person
        progress = reports.progress.participants[person]
        engagement = reports.engagement.participant(person)
        commitment = reports.commitment.participants[person]
        nudges = reports.nudges.nudges(for: .participant(person))
        mentorships = records.map { MentorshipAnswer(record: $0, reports: reports) }
    }
}
