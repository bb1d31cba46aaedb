public import EventLedger

/// The **Commitment** read model (README, Read models): per participant (per person across mentorships,
/// and per side of each mentorship) and per mentorship. Both sides are held to account.
///
/// ```swift
/// let report = try ledger.replay(CommitmentProjection()).state.report(asOf: now)
/// print(report.participants[mentee]?.score ?? 100)
/// ```
///
/// The state keeps one ``MentorshipRecord`` per mentorship; ``CommitmentState/report(asOf:)``
/// computes the metrics (formulas in ``CommitmentReport``).
public struct CommitmentProjection: AccountabilityProjection {
    /// Creates the projection.
    public init() {}

    /// `accountability.commitment`.
    public var name: String { "accountability.commitment" }
    /// 3: the facts are kept per mentorship in ``MentorshipRecord``s, coded as binary rows
    /// (version 2 kept them in columns, version 1 in dictionaries).
    public var version: UInt32 { 3 }
    /// No mentorship.
    public var initialState: CommitmentState { CommitmentState() }

    /// Folds the event into its stream's ``MentorshipRecord``. Events of a stream with no
    /// MentorshipStarted are ignored.
    public func apply(_ event: AccountabilityEvent, record: EventRecord, to state: inout CommitmentState) {
        state.apply(event, stream: record.streamKey, at: record.occurredAt, position: record.position)
    }
}
