public import EventLedger

/// The engagement read model (README, Read models): folds the mentorship events into
/// ``EngagementState``; ``EngagementState/report(asOf:)`` computes sessions, minutes, recency,
/// cadence adherence, activation, feedback completion and the engagement score per mentorship
/// and per participant.
///
/// ```swift
/// let state = try ledger.replay(EngagementProjection()).state
/// let report = state.report(asOf: march1)
/// for pair in report.mentorshipsByEngagement.prefix(10) { print(pair.mentorship, pair.engagementScore) }
/// ```
public struct EngagementProjection: AccountabilityProjection {
    /// Creates the projection.
    public init() {}

    /// `accountability.engagement`.
    public var name: String { "accountability.engagement" }
    /// 3: the facts are kept per mentorship in ``MentorshipRecord``s, coded as binary rows
    /// (version 2 kept them in columns, version 1 in dictionaries).
    public var version: UInt32 { 3 }
    /// No mentorships.
    public var initialState: EngagementState { EngagementState() }


    /// Folds the event into its stream's ``MentorshipRecord`` (which keeps what engagement needs:
    /// start, pauses, resumes, end, held sessions and the first session-linked feedback of each
    /// session). Events of a stream with no MentorshipStarted are ignored.
    public func apply(_ event: AccountabilityEvent, record: EventRecord, to state: inout EngagementState) {
        state.apply(event, stream: record.streamKey, at: record.occurredAt, position: record.position)
    }
}
