import EventLedger
public import Foundation

/// The health of a program (or of every pair in the ledger) as of a time.
///
/// Program-level attendance and average rating are **pooled** over all its pairs started by
/// asOf (ended ones included): Σ held / Σ (held + no-shows + short-notice cancellations), and
/// Σ ratings / number of ratings — not a mean of pair rates.
public struct ProgramHealth: Sendable, Hashable, Codable {
    /// The program; `nil` for the whole ledger (every program together).
    public var program: UUID?
    /// Pairs started by asOf.
    public var pairsStarted: Int
    /// **Active pairs**: started, not ended and not paused at asOf (paused pairs are not
    /// active; they are counted in ``pausedPairs``).
    public var activePairs: Int
    /// Pairs paused at asOf.
    public var pausedPairs: Int
    /// Pairs ended by asOf.
    public var endedPairs: Int
    /// Pairs with ≥ 3 held sessions (ended ones included).
    public var activatedPairs: Int
    /// **Activation rate** = activatedPairs / pairsStarted; `nil` with no pair.
    public var activationRate: Double?
    /// Active pairs with a held session in the last 30 days (asOf − 30 d < heldAt ≤ asOf).
    public var activePairsWithRecentSession: Int
    /// **Active-pair rate** = activePairsWithRecentSession / activePairs; `nil` with no active
    /// pair.
    public var activePairRate: Double?
    /// Sessions held (all pairs).
    public var sessionsHeld: Int
    /// No-shows (all pairs).
    public var noShows: Int
    /// Cancellations with < 24 h notice (all pairs).
    public var shortNoticeCancellations: Int
    /// **Attendance** (pooled); `nil` with no held, missed or short-notice-cancelled session.
    public var attendance: Double?
    /// Ratings given (all pairs).
    public var ratingCount: Int
    /// Their sum.
    public var ratingSum: Int
    /// **Average rating** = mean of every FeedbackGiven rating (pooled); `nil` with none.
    public var averageRating: Double?
    /// The attendance signal of ``attendance``.
    public var attendanceRAG: RAGStatus
    /// The rating signal of ``averageRating``.
    public var ratingRAG: RAGStatus
    /// The program's RAG: the same combination rule as a pair's, applied to the program-level
    /// attendance and average rating.
    public var rag: RAGStatus
    /// RAG of the pairs **not ended** at asOf (active and paused): how many are red, amber, green.
    public var ragCounts: RAGCounts

    /// Aggregates `pairs` (those of one program, or all) of the program `program`.
    public init(program: UUID?, pairs: [PairHealth]) {
        self.program = program
        pairsStarted = pairs.count
        var active = 0, paused = 0, ended = 0, activated = 0, recent = 0
        var held = 0, noShows = 0, short = 0, ratingCount = 0, ratingSum = 0
        var counts = RAGCounts()
        for pair in pairs {
            switch pair.lifecycle {
            case .active:
                active += 1
                if pair.sessionsLast30Days > 0 { recent += 1 }
            case .paused: paused += 1
            case .ended: ended += 1
            }
            if pair.activated { activated += 1 }
            if pair.lifecycle != .ended { counts.count(pair.rag) }
            held += pair.sessionsHeld
            noShows += pair.noShows
            short += pair.shortNoticeCancellations
            ratingCount += pair.ratingCount
            ratingSum += pair.ratingSum
        }
        activePairs = active
        pausedPairs = paused
        endedPairs = ended
        activatedPairs = activated
        activationRate = HealthFormulas.rate(activated, pairs.count)
        activePairsWithRecentSession = recent
        activePairRate = HealthFormulas.rate(recent, active)
        sessionsHeld = held
        self.noShows = noShows
        shortNoticeCancellations = short
        attendance = HealthFormulas.attendance(held: held, noShows: noShows, shortNoticeCancellations: short)
        self.ratingCount = ratingCount
        self.ratingSum = ratingSum
        averageRating = HealthFormulas.averageRating(sum: ratingSum, count: ratingCount)
        attendanceRAG = HealthFormulas.attendanceRAG(attendance)
        ratingRAG = HealthFormulas.ratingRAG(averageRating)
        rag = HealthFormulas.combine(attendanceRAG, ratingRAG)
        ragCounts = counts
    }

    func addFields(to digest: inout CanonicalDigest) {
        digest.add(program) { $0.add($1) }
        digest.add(pairsStarted)
        digest.add(activePairs)
        digest.add(pausedPairs)
        digest.add(endedPairs)
        digest.add(activatedPairs)
        digest.add(activationRate) { $0.add($1) }
        digest.add(activePairsWithRecentSession)
        digest.add(activePairRate) { $0.add($1) }
        digest.add(sessionsHeld)
        digest.add(noShows)
        digest.add(shortNoticeCancellations)
        digest.add(attendance) { $0.add($1) }
        digest.add(ratingCount)
        digest.add(ratingSum)
        digest.add(averageRating) { $0.add($1) }
        digest.add(attendanceRAG.code)
        digest.add(ratingRAG.code)
        digest.add(rag.code)
        digest.add(ragCounts.red)
        digest.add(ragCounts.amber)
        digest.add(ragCounts.green)
    }
}
