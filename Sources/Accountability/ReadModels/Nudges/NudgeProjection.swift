public import EventLedger

/// The **Nudges** read model (README, Read models): the reminders due as of an explicit time. The library
/// computes them; sending is the host's job, and the host records NudgeSent (rule, subject,
/// recipient) so that a reminder is not due again until its condition clears and returns.
///
/// ```swift
/// let due = try ledger.replay(NudgeProjection()).state.report(asOf: now).nudges
/// ```
///
/// Rules and choices: ``NudgeReport``.
public struct NudgeProjection: AccountabilityProjection {
    /// Creates the projection.
    public init() {}

    public var name: String { "accountability.nudges" }
    /// 2: the facts are stored in stream-key and id tables (version 1 held dictionaries).
    public var version: UInt32 { 2 }
    public var initialState: NudgeState { NudgeState() }

    public func apply(_ event: AccountabilityEvent, record: EventRecord, to state: inout NudgeState) {
        state.apply(event, stream: record.streamKey, at: record.occurredAt, position: record.position)
    }
}
