public import EventLedger

/// The **Progress** read model (README, Read models): per goal, rolled up per mentorship, per goal owner
/// (normally the mentee), per program and overall.
///
/// ```swift
/// let state = try ledger.replay(ProgressProjection()).state
/// let report = state.report(asOf: now)
/// for goal in report.goalsFurthestBehind(limit: 5) { print(goal.goal, goal.gap) }
/// ```
///
/// The state keeps one ``MentorshipRecord`` per mentorship; ``ProgressState/report(asOf:)``
/// computes the metrics (formulas in ``GoalProgress``, ``GoalRollup`` and the report's
/// documentation).
public struct ProgressProjection: AccountabilityProjection {
    /// Creates the projection.
    public init() {}

    /// `accountability.progress`.
    public var name: String { "accountability.progress" }
    /// 3: the facts are kept per mentorship in ``MentorshipRecord``s, coded as binary rows
    /// (version 2 kept them in columns, version 1 in dictionaries).
    public var version: UInt32 { 3 }
    /// No mentorship.
    public var initialState: ProgressState { ProgressState() }

    /// Folds the event into its stream's ``MentorshipRecord``. Events of a stream with no
    /// MentorshipStarted are ignored.
    public func apply(_ event: AccountabilityEvent, record: EventRecord, to state: inout ProgressState) {
        state.apply(event, stream: record.streamKey, at: record.occurredAt, position: record.position)
    }
}
