public import EventLedger

/// The engagement read model (DESIGN §7): folds the mentorship events into
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
    /// 1.
    public var version: UInt32 { 1 }
    /// No mentorships.
    public var initialState: EngagementState { EngagementState() }


    /// Records the facts engagement needs: start, pauses, resumes, end, held sessions and the
    /// first session-linked feedback of each session. Events of a stream with no
    /// MentorshipStarted are ignored.
    public func apply(_ event: AccountabilityEvent, record: EventRecord, to state: inout EngagementState) {
        let key = record.streamKey
        switch event {
        case .mentorshipStarted(let e):
            state.mentorships[key] = EngagementMentorshipFacts(e, startedAt: record.occurredAt)
        case .mentorshipPaused:
            state.mentorships[key]?.pauses.recordPause(at: record.occurredAt)
        case .mentorshipResumed:
            state.mentorships[key]?.pauses.recordResume(at: record.occurredAt)
        case .mentorshipEnded:
            state.mentorships[key]?.endedAt = record.occurredAt
        case .sessionHeld(let e):
            guard let mentor = state.mentorships[key]?.mentor, let mentee = state.mentorships[key]?.mentee else { return }
            let session = EngagementSessionFact(
                session: e.session, heldAt: record.occurredAt, minutes: e.minutes,
                mentorAttended: e.attendees.contains(mentor), menteeAttended: e.attendees.contains(mentee))
            state.mentorships[key]?.sessions.append(session)
        case .feedbackGiven(let e):
            guard let session = e.session else { return }
            let at = record.occurredAt
            state.mentorships[key]?.firstFeedbackAt[session].update(toEarliest: at)
        default:
            return
        }
    }
}

extension Timestamp? {
    /// Keeps the earlier of the stored time and `time`.
    fileprivate mutating func update(toEarliest time: Timestamp) {
        if let current = self, current <= time { return }
        self = time
    }
}
