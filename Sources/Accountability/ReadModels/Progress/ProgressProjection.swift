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
/// The state keeps facts; ``ProgressState/report(asOf:)`` computes the metrics (formulas in
/// ``GoalProgress``, ``GoalRollup`` and the report's documentation).
public struct ProgressProjection: AccountabilityProjection {
    /// Creates the projection.
    public init() {}

    public var name: String { "accountability.progress" }
    /// 2: the facts are stored in stream-key and id tables (version 1 held dictionaries).
    public var version: UInt32 { 2 }
    public var initialState: ProgressState { ProgressState() }

    public func apply(_ event: AccountabilityEvent, record: EventRecord, to state: inout ProgressState) {
        state.apply(event, stream: record.streamKey, at: record.occurredAt, position: record.position)
    }
}
