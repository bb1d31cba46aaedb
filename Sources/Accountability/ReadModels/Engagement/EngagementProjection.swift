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
    /// 2: the facts are stored in stream-key and id tables (version 1 held dictionaries).
    public var version: UInt32 { 2 }
    /// No mentorships.
    public var initialState: EngagementState { EngagementState() }


    /// Records the facts engagement needs: start, pauses, resumes, end, held sessions and the
    /// first session-linked feedback of each session. Events of a stream with no
    /// MentorshipStarted are ignored.
    public func apply(_ event: AccountabilityEvent, record: EventRecord, to state: inout EngagementState) {
        state.apply(event, stream: record.streamKey, at: record.occurredAt)
    }
}
