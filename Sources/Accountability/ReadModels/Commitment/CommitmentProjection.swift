public import EventLedger

/// The **Commitment** read model (README, Read models): per participant (per person across mentorships,
/// and per side of each mentorship) and per mentorship. Both sides are held to account.
///
/// ```swift
/// let report = try ledger.replay(CommitmentProjection()).state.report(asOf: now)
/// print(report.participants[mentee]?.score ?? 100)
/// ```
///
/// The state keeps facts; ``CommitmentState/report(asOf:)`` computes the metrics (formulas in
/// ``CommitmentReport``).
public struct CommitmentProjection: AccountabilityProjection {
    /// Creates the projection.
    public init() {}

    public var name: String { "accountability.commitment" }
    /// 2: the facts are stored in stream-key and id tables (version 1 held dictionaries).
    public var version: UInt32 { 2 }
    public var initialState: CommitmentState { CommitmentState() }

    public func apply(_ event: AccountabilityEvent, record: EventRecord, to state: inout CommitmentState) {
        state.apply(event, stream: record.streamKey, at: record.occurredAt, position: record.position)
    }
}
