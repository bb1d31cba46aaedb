public import EventLedger

/// The five built-in reports of a set of mentorships, evaluated at one time from their records:
/// the whole program (every record) or a slice of it (one pair, one person's pairs, one
/// program's pairs). Each report is computed exactly as its model's `report(asOf:)` computes it
/// over the same records.
public struct AccountabilityReports: Sendable, Hashable {
    /// When the metrics are evaluated.
    public var asOf: Timestamp
    /// Goals and their rollups.
    public var progress: ProgressReport
    /// Sessions, cadence, recency and engagement scores.
    public var engagement: EngagementReport
    /// Attendance, tasks on time, reciprocity and commitment scores.
    public var commitment: CommitmentReport
    /// Red, amber or green per pair and per program.
    public var health: ProgramHealthReport
    /// The reminders due.
    public var nudges: NudgeReport

    /// Evaluates the reports of `records` (in the order their mentorships started) at `asOf`.
    public init(records: [MentorshipRecord], asOf: Timestamp) {
        self.asOf = asOf
        progress = ProgressReport(records: records, asOf: asOf)
        engagement = EngagementReport(records: records, asOf: asOf)
        commitment = CommitmentReport(records: records, asOf: asOf)
        health = ProgramHealthReport(records: records, asOf: asOf)
        nudges = NudgeReport(records: records, asOf: asOf)
    }
}
