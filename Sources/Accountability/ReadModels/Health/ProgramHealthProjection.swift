public import EventLedger

/// The program-health read model (DESIGN §7, Program health): folds the mentorship events into
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
    /// 1.
    public var version: UInt32 { 1 }
    /// No pairs.
    public var initialState: ProgramHealthState { ProgramHealthState() }


    /// Records the facts program health needs. Events of a stream with no MentorshipStarted are
    /// ignored.
    public func apply(_ event: AccountabilityEvent, record: EventRecord, to state: inout ProgramHealthState) {
        let key = record.streamKey
        switch event {
        case .mentorshipStarted(let e):
            state.pairs[key] = PairHealthFacts(e, startedAt: record.occurredAt)
        case .mentorshipPaused:
            state.pairs[key]?.pauses.recordPause(at: record.occurredAt)
        case .mentorshipResumed:
            state.pairs[key]?.pauses.recordResume(at: record.occurredAt)
        case .mentorshipEnded:
            state.pairs[key]?.endedAt = record.occurredAt
        case .sessionScheduled(let e):
            state.pairs[key]?.openScheduled[e.session] = e.scheduledFor
        case .sessionHeld(let e):
            state.pairs[key]?.heldAt.append(record.occurredAt)
            state.pairs[key]?.openScheduled[e.session] = nil
        case .sessionMissed(let e):
            state.pairs[key]?.noShowAt.append(record.occurredAt)
            state.pairs[key]?.openScheduled[e.session] = nil
        case .sessionCancelled(let e):
            let at = record.occurredAt
            let scheduledFor = state.pairs[key]?.openScheduled[e.session]
            let notice = scheduledFor.map { $0.microsecondsSinceEpoch - at.microsecondsSinceEpoch }
            state.pairs[key]?.cancellations.append(HealthCancellationFact(at: at, noticeMicros: notice))
            state.pairs[key]?.openScheduled[e.session] = nil
        case .feedbackGiven(let e):
            state.pairs[key]?.ratings.append(HealthRatingFact(at: record.occurredAt, rating: e.rating))
        default:
            return
        }
    }
}
