/// The facts a mentorship's record has settled into counters (see ``RecordSettling``), as
/// program health adds them to the facts still listed. Empty for a record folded without
/// settling.
public struct SettledHealth: Sendable, Hashable, Codable {
    /// Settled SessionHeld events.
    public var sessionsHeld: Int
    /// Settled SessionMissed events.
    public var noShows: Int
    /// Settled cancellations with less than 24 h notice.
    public var shortNoticeCancellations: Int
    /// Settled ratings.
    public var ratingCount: Int
    /// Their sum.
    public var ratingSum: Int

    /// Nothing settled.
    public init() {
        sessionsHeld = 0
        noShows = 0
        shortNoticeCancellations = 0
        ratingCount = 0
        ratingSum = 0
    }

    /// What `history` settled, as program health reads it.
    init(_ history: SettledHistory) {
        sessionsHeld = history.held
        noShows = history.healthNoShows
        shortNoticeCancellations = history.healthShortNotice
        ratingCount = history.ratingCount
        ratingSum = history.ratingSum
    }
}
