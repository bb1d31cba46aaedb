public import EventLedger

/// The program-health read model (README, Read models: program health): folds the mentorship events into
/// ``ProgramHealthState``; ``ProgramHealthState/report(asOf:)`` computes active pairs,
/// activation rate, active-pair rate, average rating and red / amber / green per pair, per
/// program and for the whole ledger.
///
/// ```swift
/// let report = try ledger.replay(ProgramHealthProjection()).state.report(asOf: march1)
/// print(report.overall.rag, report.overall.ragCounts)
/// ```
public struct ProgramHealthProjection: AccountabilityProjection {
    /// Creates the projection.
    public init() {}

    /// `accountability.health`.
    public var name: String { "accountability.health" }
    /// 3: the facts are kept per mentorship in ``MentorshipRecord``s, coded as binary rows
    /// (version 2 kept them in columns, version 1 in dictionaries).
    public var version: UInt32 { 3 }
    /// No pairs.
    public var initialState: ProgramHealthState { ProgramHealthState() }


    /// Folds the event into its stream's ``MentorshipRecord`` (which keeps the facts program
    /// health needs). Events of a stream with no MentorshipStarted are ignored.
    public func apply(_ event: AccountabilityEvent, record: EventRecord, to state: inout ProgramHealthState) {
        state.apply(event, stream: record.streamKey, at: record.occurredAt, position: record.position)
    }
}
