public import EventLedger
import Foundation

/// The state the Nudges read model folds: one ``MentorshipRecord`` per mentorship stream (the
/// pair with pauses and end, goals, tasks, sessions, feedback, every NudgeSent, and the times of
/// its activity — every event but NudgeSent, and the start), folded as the events come.
///
/// Due nudges are computed only by ``report(asOf:)``, which evaluates the records. Stored in
/// checkpoints as each record's binary row (``MentorshipRecords``).
public struct NudgeState: Sendable, Hashable, Codable {
    /// The mentorships' records, by stream key.
    public private(set) var records = MentorshipRecords()

    /// No mentorship.
    public init() {}

    /// Folds one event of the stream `stream`. Events of a stream with no MentorshipStarted
    /// (before it) are left out of every report.
    mutating func apply(_ event: AccountabilityEvent, stream: UInt64, at time: Timestamp, position: UInt64) {
        records.apply(event, stream: stream, at: time, position: position)
    }

    /// The nudges due as of `asOf`: only facts that occurred at or before `asOf` count.
    public func report(asOf: Timestamp) -> NudgeReport {
        NudgeReport(records: records.inStartOrder, asOf: asOf)
    }
}

/// One mentorship's nudge facts as of some asOf, as a report reads them from its record.
struct NudgeMentorshipFacts: Sendable, Hashable {
    var pair: TrackedPair
    var goals = IDTable<TrackedGoal>()
    var tasks = IDTable<TrackedTask>()
    var sessions = TrackedSessions()
    /// The latest activity (occurred-at of any event but NudgeSent) at or before the asOf.
    var lastActivity: Timestamp?
    /// Every NudgeSent, in log order (the settled ones first: the latest per rule, subject and
    /// recipient).
    var sent: [TrackedNudge] = []
    /// Sessions and feedback settled into counters.
    var settled = SettledHistory()

    /// The facts of `record` as of `asOf`.
    init(record: MentorshipRecord, asOf: Timestamp) {
        pair = record.pair
        goals = record.goals
        tasks = record.tasks
        sessions = record.sessions
        lastActivity = record.activity.latest(atOrBefore: asOf) ?? record.settled.lastActivity.flatMap { $0 <= asOf ? $0 : nil }
        sent = record.settled.sent + record.sent
        settled = record.settled
    }
}
