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

    /// `accountability.nudges`.
    public var name: String { "accountability.nudges" }
    /// 3: the facts are kept per mentorship in ``MentorshipRecord``s, coded as binary rows
    /// (version 2 kept them in columns, version 1 in dictionaries).
    public var version: UInt32 { 3 }
    /// No mentorship.
    public var initialState: NudgeState { NudgeState() }

    /// Folds the event into its stream's ``MentorshipRecord``. Events of a stream with no
    /// MentorshipStarted are ignored.
    public func apply(_ event: AccountabilityEvent, record: EventRecord, to state: inout NudgeState) {
        state.apply(event, stream: record.streamKey, at: record.occurredAt, position: record.position)
    }
}
