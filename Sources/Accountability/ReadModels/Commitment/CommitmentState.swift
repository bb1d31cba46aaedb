public import EventLedger
import Foundation

/// The state the Commitment read model folds: one ``MentorshipRecord`` per mentorship stream
/// (the pair, its sessions — scheduled, held with attendees, missed with the absent party,
/// cancelled with who and when —, its tasks and its feedback, all with occurred-at times),
/// folded as the events come.
///
/// ``report(asOf:)`` evaluates the records; no metric is stored. Stored in checkpoints as each
/// record's binary row (``MentorshipRecords``).
public struct CommitmentState: Sendable, Hashable, Codable {
    /// The mentorships' records, by stream key.
    public private(set) var records = MentorshipRecords()

    /// No mentorship.
    public init() {}

    /// Folds one event of the stream `stream`. Events of a stream with no MentorshipStarted
    /// (before it) are left out of every report.
    mutating func apply(_ event: AccountabilityEvent, stream: UInt64, at time: Timestamp, position: UInt64) {
        records.apply(event, stream: stream, at: time, position: position)
    }

    /// The Commitment report as of `asOf`: only facts that occurred at or before `asOf` count.
    public func report(asOf: Timestamp) -> CommitmentReport {
        CommitmentReport(records: records.inStartOrder, asOf: asOf)
    }
}

/// One mentorship's commitment facts, as a report reads them from its record.
struct CommitmentMentorshipFacts: Sendable, Hashable {
    var pair: TrackedPair
    var sessions = TrackedSessions()
    var tasks = IDTable<TrackedTask>()
    /// Sessions and feedback settled into counters.
    var settled = SettledHistory()

    /// The facts of `record`.
    init(record: MentorshipRecord) {
        pair = record.pair
        sessions = record.sessions
        tasks = record.tasks
        settled = record.settled
    }
}
