public import EventLedger
public import Foundation

/// The health of one mentorship (pair) as of a time. Only facts with occurred-at ≤ asOf count.
public struct PairHealth: Sendable, Hashable, Codable {
    /// The mentorship.
    public var mentorship: UUID
    /// Its program.
    public var program: UUID
    /// The mentor.
    public var mentor: UUID
    /// The mentee.
    public var mentee: UUID
    /// When it started.
    public var startedAt: Timestamp
    /// Active, paused or ended at asOf. Only `active` pairs count as **active pairs**.
    public var lifecycle: PairLifecycle
    /// Sessions held.
    public var sessionsHeld: Int
    /// **Activated**: ≥ 3 sessions held.
    public var activated: Bool
    /// Sessions held in the last 30 days (asOf − 30 d < heldAt ≤ asOf).
    public var sessionsLast30Days: Int
    /// No-shows (SessionMissed, whoever was absent).
    public var noShows: Int
    /// Cancellations (by either participant) with less than 24 h notice.
    public var shortNoticeCancellations: Int
    /// **Attendance** = held / (held + no-shows + short-notice cancellations) — the
    /// mentorship-level attendance reliability; `nil` with no such event.
    public var attendance: Double?
    /// Ratings received in the pair (both directions, session-linked or not).
    public var ratingCount: Int
    /// Their sum.
    public var ratingSum: Int
    /// **Average rating** = ratingSum / ratingCount; `nil` with no rating.
    public var averageRating: Double?
    /// The attendance signal (`nil` attendance is green).
    public var attendanceRAG: RAGStatus
    /// The rating signal (`nil` rating is green).
    public var ratingRAG: RAGStatus
    /// The pair's RAG: ``HealthFormulas/combine(_:_:)`` of the two signals.
    public var rag: RAGStatus

    /// Computes the health of `facts` as of `asOf`.
    public init(_ facts: PairHealthFacts, asOf: Timestamp) {
        mentorship = facts.mentorship
        program = facts.program
        mentor = facts.mentor
        mentee = facts.mentee
        startedAt = facts.startedAt
        lifecycle = PairLifecycle.at(asOf, pauses: facts.pauses, endedAt: facts.endedAt)
        var held = facts.settled.sessionsHeld, recent = 0
        let recentFrom = asOf.microsecondsSinceEpoch - Int64(HealthFormulas.recentDays) * EngagementClock.microsPerDay
        for time in facts.heldAt where time <= asOf {
            held += 1
            if time.microsecondsSinceEpoch > recentFrom { recent += 1 }
        }
        sessionsHeld = held
        sessionsLast30Days = recent
        activated = held >= HealthFormulas.activationSessions
        noShows = facts.noShowAt.reduce(facts.settled.noShows) { $0 + ($1 <= asOf ? 1 : 0) }
        shortNoticeCancellations = facts.cancellations.reduce(facts.settled.shortNoticeCancellations) { count, cancellation in
            guard cancellation.at <= asOf, let notice = cancellation.noticeMicros, notice < HealthFormulas.shortNoticeMicros else { return count }
            return count + 1
        }
        attendance = HealthFormulas.attendance(held: held, noShows: noShows, shortNoticeCancellations: shortNoticeCancellations)
        var count = facts.settled.ratingCount, sum = facts.settled.ratingSum
        for rating in facts.ratings where rating.at <= asOf {
            count += 1
            sum += rating.rating
        }
        ratingCount = count
        ratingSum = sum
        averageRating = HealthFormulas.averageRating(sum: sum, count: count)
        attendanceRAG = HealthFormulas.attendanceRAG(attendance)
        ratingRAG = HealthFormulas.ratingRAG(averageRating)
        rag = HealthFormulas.combine(attendanceRAG, ratingRAG)
    }

    func addFields(to digest: inout CanonicalDigest) {
        digest.add(mentorship)
        digest.add(program)
        digest.add(mentor)
        digest.add(mentee)
        digest.add(startedAt)
        digest.add(lifecycle.code)
        digest.add(sessionsHeld)
        digest.add(activated)
        digest.add(sessionsLast30Days)
        digest.add(noShows)
        digest.add(shortNoticeCancellations)
        digest.add(attendance) { $0.add($1) }
        digest.add(ratingCount)
        digest.add(ratingSum)
        digest.add(averageRating) { $0.add($1) }
        digest.add(attendanceRAG.code)
        digest.add(ratingRAG.code)
        digest.add(rag.code)
    }
}
