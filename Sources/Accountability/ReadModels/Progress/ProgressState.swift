public import EventLedger
import Foundation

/// The state the Progress read model folds: one ``MentorshipRecord`` per mentorship stream (the
/// pair, its goals as set with revisions, measurements and closing, and its tasks, all with
/// occurred-at times), folded as the events come.
///
/// ``report(asOf:)`` evaluates the records; no metric is stored. Stored in checkpoints as each
/// record's binary row (``MentorshipRecords``).
public struct ProgressState: Sendable, Hashable, Codable {
    /// The mentorships' records, by stream key.
    public private(set) var records = MentorshipRecords()

    /// No mentorship.
    public init() {}

    /// Folds one event of the stream `stream`. Events of a stream with no MentorshipStarted
    /// (before it) are left out of every report.
    mutating func apply(_ event: AccountabilityEvent, stream: UInt64, at time: Timestamp, position: UInt64) {
        records.apply(event, stream: stream, at: time, position: position)
    }

    /// The Progress report as of `asOf`: only facts that occurred at or before `asOf` count.
    public func report(asOf: Timestamp) -> ProgressReport {
        ProgressReport(records: records.inStartOrder, asOf: asOf)
    }
}

/// One mentorship's progress facts, as a report reads them from its record.
struct ProgressMentorshipFacts: Sendable, Hashable {
    var pair: TrackedPair
    var goals = IDTable<TrackedGoal>()
    var tasks = IDTable<TrackedTask>()
    /// Goals settled with their final entry.
    var settledGoals = IDTable<SettledGoal>()

    /// The facts of `record`.
    init(record: MentorshipRecord) {
        pair = record.pair
        goals = record.goals
        tasks = record.tasks
        settledGoals = record.settled.goals
    }
}
