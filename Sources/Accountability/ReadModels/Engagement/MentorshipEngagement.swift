public import EventLedger
public import Foundation

/// The engagement of one mentorship as of a time (README, Read models: engagement).
///
/// Only facts with occurred-at ≤ asOf count. Calendar durations are fractional days
/// (microseconds / 86 400 000 000); "active" durations are measured on the
/// ``EngagementClock`` (paused time removed, stopped at the end).
public struct MentorshipEngagement: Sendable, Hashable, Codable {
    /// The mentorship.
    public var mentorship: UUID
    /// Its program.
    public var program: UUID
    /// The mentor.
    public var mentor: UUID
    /// The mentee.
    public var mentee: UUID
    /// The agreed cadence in days.
    public var cadenceDays: Int
    /// When it started.
    public var startedAt: Timestamp
    /// Active, paused or ended as of asOf.
    public var lifecycle: PairLifecycle

    /// Sessions held (heldAt ≤ asOf).
    public var sessionsHeld: Int
    /// Their minutes.
    public var minutesHeld: Int
    /// Sessions held in the last 30 days: asOf − 30 d < heldAt ≤ asOf.
    public var sessionsLast30Days: Int
    /// Their minutes.
    public var minutesLast30Days: Int
    /// Sessions held in the last 90 days: asOf − 90 d < heldAt ≤ asOf.
    public var sessionsLast90Days: Int
    /// Their minutes.
    public var minutesLast90Days: Int

    /// The first held session's time; `nil` if none.
    public var firstSessionAt: Timestamp?
    /// **Time to first session**: calendar days from the start to the first held session
    /// (fractional); `nil` if none.
    public var daysToFirstSession: Double?
    /// The latest held session's time; `nil` if none.
    public var lastSessionAt: Timestamp?
    /// **Days since the last session**: calendar days from the latest held session to asOf
    /// (fractional, paused time included); `nil` if none.
    public var daysSinceLastSession: Double?
    /// Active days (paused time removed, clock stopped at the end) from the latest held session
    /// — or from the start when none was held — to asOf: what ``recency`` is computed from.
    public var activeDaysSinceLastSession: Double
    /// Length of the active clock: active days from the start to min(asOf, end).
    public var activeDays: Double

    /// Cadence periods elapsed on the active clock (see
    /// ``EngagementFormulas/cadencePeriods(clock:cadenceDays:heldAt:settled:)``).
    public var elapsedPeriods: Int
    /// Elapsed cadence periods containing ≥ 1 held session.
    public var periodsWithSession: Int
    /// **Cadence adherence** = periodsWithSession / elapsedPeriods; `nil` when no period elapsed.
    public var cadenceAdherence: Double?

    /// **Activated**: ≥ 3 sessions held.
    public var activated: Bool
    /// Held sessions with at least one session-linked FeedbackGiven (occurred-at ≤ asOf).
    public var sessionsWithFeedback: Int
    /// **Feedback completion** = sessionsWithFeedback / sessionsHeld; `nil` with no session.
    public var feedbackCompletion: Double?
    /// **Recency** 0…1 (``EngagementFormulas/recency(activeDays:cadenceDays:)``) of
    /// ``activeDaysSinceLastSession``.
    public var recency: Double
    /// **Engagement score** 0…100 = 50·(cadenceAdherence ?? 1) + 30·recency +
    /// 20·(feedbackCompletion ?? 1).
    public var engagementScore: Double

    /// Computes the metrics of `facts` as of `asOf`.
    public init(_ facts: EngagementMentorshipFacts, asOf: Timestamp) {
        mentorship = facts.mentorship
        program = facts.program
        mentor = facts.mentor
        mentee = facts.mentee
        cadenceDays = facts.cadenceDays
        startedAt = facts.startedAt
        let endedAt = facts.endedAt.flatMap { $0 <= asOf ? $0 : nil }
        lifecycle = PairLifecycle.at(asOf, pauses: facts.pauses, endedAt: endedAt)

        var held: [Timestamp] = []
        held.reserveCapacity(facts.sessions.count)
        let earlier = facts.settled
        var minutes = earlier.minutesHeld, short = 0, shortMinutes = 0, long = 0, longMinutes = 0
        var withFeedback = earlier.sessionsWithFeedback
        var first = earlier.firstSessionAt, last = earlier.lastSessionAt
        for session in facts.sessions where session.heldAt <= asOf {
            held.append(session.heldAt)
            minutes += session.minutes
            if EngagementFormulas.isWithin(days: EngagementFormulas.shortWindowDays, of: asOf, session.heldAt) {
                short += 1
                shortMinutes += session.minutes
            }
            if EngagementFormulas.isWithin(days: EngagementFormulas.longWindowDays, of: asOf, session.heldAt) {
                long += 1
                longMinutes += session.minutes
            }
            if let feedbackAt = facts.firstFeedbackAt[session.session], feedbackAt <= asOf { withFeedback += 1 }
            if first.map({ session.heldAt < $0 }) ?? true { first = session.heldAt }
            if last.map({ session.heldAt > $0 }) ?? true { last = session.heldAt }
        }
        sessionsHeld = earlier.sessionsHeld + held.count
        minutesHeld = minutes
        sessionsLast30Days = short
        minutesLast30Days = shortMinutes
        sessionsLast90Days = long
        minutesLast90Days = longMinutes
        firstSessionAt = first
        lastSessionAt = last
        daysToFirstSession = first.map { EngagementClock.days($0.microsecondsSinceEpoch - facts.startedAt.microsecondsSinceEpoch) }
        daysSinceLastSession = last.map { EngagementClock.days(asOf.microsecondsSinceEpoch - $0.microsecondsSinceEpoch) }

        let clock = EngagementClock(start: facts.startedAt, endedAt: endedAt, pauses: facts.pauses, asOf: asOf)
        let total = clock.totalActiveMicros
        activeDays = EngagementClock.days(total)
        activeDaysSinceLastSession = EngagementClock.days(total - (last.map { clock.activeMicros(at: $0) } ?? 0))

        let periods = EngagementFormulas.cadencePeriods(clock: clock, cadenceDays: facts.cadenceDays, heldAt: held,
                                                        settled: (earlier.periodsWithSession, earlier.lastPeriod))
        elapsedPeriods = periods.elapsed
        periodsWithSession = periods.withSession
        cadenceAdherence = EngagementFormulas.rate(periods.withSession, periods.elapsed)
        activated = sessionsHeld >= EngagementFormulas.activationSessions
        sessionsWithFeedback = withFeedback
        feedbackCompletion = EngagementFormulas.rate(withFeedback, sessionsHeld)
        recency = EngagementFormulas.recency(activeDays: activeDaysSinceLastSession, cadenceDays: facts.cadenceDays)
        engagementScore = EngagementFormulas.score(cadenceAdherence: cadenceAdherence, recency: recency, feedbackCompletion: feedbackCompletion)
    }

    /// Adds every field, in declaration order, to `digest`.
    func addFields(to digest: inout CanonicalDigest) {
        digest.add(mentorship)
        digest.add(program)
        digest.add(mentor)
        digest.add(mentee)
        digest.add(cadenceDays)
        digest.add(startedAt)
        digest.add(lifecycle.code)
        digest.add(sessionsHeld)
        digest.add(minutesHeld)
        digest.add(sessionsLast30Days)
        digest.add(minutesLast30Days)
        digest.add(sessionsLast90Days)
        digest.add(minutesLast90Days)
        digest.add(firstSessionAt) { $0.add($1) }
        digest.add(daysToFirstSession) { $0.add($1) }
        digest.add(lastSessionAt) { $0.add($1) }
        digest.add(daysSinceLastSession) { $0.add($1) }
        digest.add(activeDaysSinceLastSession)
        digest.add(activeDays)
        digest.add(elapsedPeriods)
        digest.add(periodsWithSession)
        digest.add(cadenceAdherence) { $0.add($1) }
        digest.add(activated)
        digest.add(sessionsWithFeedback)
        digest.add(feedbackCompletion) { $0.add($1) }
        digest.add(recency)
        digest.add(engagementScore)
    }
}
