public import EventLedger

/// The built-in read models of a ledger — progress, engagement, commitment, program health and
/// nudges — kept in the ledger as one record per mentorship (``AccountabilityModels``), caught up
/// by the rows new events touch, and asked by key without replaying.
///
/// ```swift
/// let models = try AccountabilityReadModels(ledger: ledger)
/// try models.catchUp()                    // the new events only
/// let answer = try models.read { snapshot in
///     try snapshot.mentorship(pairID, asOf: .now())
/// }
/// ```
///
/// A catch-up commits every `eventsPerCommit` events; each commit writes the records it changed
/// and the position in one transaction, so the rows always reflect exactly the events up to
/// their position, also across a crash. Time travel (a past time or position) folds the same
/// records in memory with ``replay(_:)``. A ledger opened read-only cannot store rows: use
/// ``replay(_:)`` there, or ``read(_:)`` for rows another process keeps.
public final class AccountabilityReadModels: Sendable {
    /// The ledger.
    public let ledger: Ledger
    /// The persisted fold.
    public let persistent: PersistentProjection<AccountabilityModels>

    /// The read models of `ledger`.
    public init(ledger: Ledger, eventsPerCommit: UInt64 = 10_000) throws {
        self.ledger = ledger
        persistent = try PersistentProjection(ledger: ledger, projection: AccountabilityModels(), eventsPerCommit: eventsPerCommit)
    }

    /// Folds the events after the stored position up to the head; returns the position reached.
    ///
    /// - Throws: ``LedgerError/Code/invalidRequest`` on a ledger opened read-only.
    @discardableResult
    public func catchUp(progress: ((UInt64) -> Void)? = nil) throws -> UInt64 {
        try persistent.catchUp(progress: progress)
    }

    /// Folds up to `position` (read-your-writes: the position an append returned).
    @discardableResult
    public func catchUp(through position: UInt64) throws -> UInt64 {
        try persistent.catchUp(through: position)
    }

    /// Where the stored rows stand against the log.
    public func status() throws -> ProjectionStatus { try persistent.status() }

    /// Runs `body` on one consistent snapshot of the stored rows (without catching up).
    public func read<R>(_ body: (AccountabilitySnapshot) throws -> R) throws -> R {
        try persistent.read { view in try body(AccountabilitySnapshot(view: view)) }
    }

    /// Folds the records in memory over the events `query` selects (time travel: a recorded-at
    /// bound or a position), storing nothing. By default nothing is settled, so the snapshot
    /// answers any asOf.
    public func replay(_ query: EventQuery = .all(), settling: RecordSettling = .never) throws -> AccountabilitySnapshot {
        try Self.replay(ledger, query, settling: settling)
    }

    /// Folds the records of `ledger` in memory over the events `query` selects; records settle
    /// as `settling` says (``RecordSettling/standard`` folds what the persisted models hold, in
    /// memory that follows the mentorships; ``RecordSettling/never`` answers any asOf).
    public static func replay(_ ledger: Ledger, _ query: EventQuery = .all(),
                              settling: RecordSettling = .never) throws -> AccountabilitySnapshot {
        let result = try ledger.replay(keyed: AccountabilityModels(settling: settling), query)
        return AccountabilitySnapshot(rows: result.state, position: result.position)
    }
}
