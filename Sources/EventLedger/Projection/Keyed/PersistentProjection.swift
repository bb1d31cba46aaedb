import Foundation
import LMDBKit
import Synchronization

/// A ``KeyedProjection`` kept in the ledger as rows by key, with the position it reflects, so a
/// host asks one key without replaying and a catch-up costs the new events plus the rows they
/// touch.
///
/// ```swift
/// let minutes = try PersistentProjection(ledger: ledger, projection: MinutesPerMentor())
/// try minutes.catchUp()                                  // folds only what is new
/// let row = try minutes.read { try $0.row(key) }         // one snapshot, no replay
/// ```
///
/// **Exactly once.** Each commit of a catch-up folds up to ``eventsPerCommit`` events inside one
/// LMDB write transaction and writes the rows they changed together with the new position, so
/// rows and position can never disagree — also when the process is killed mid-catch-up (the
/// next catch-up resumes from the last commit). Two catch-ups (threads or processes) are
/// serialised by that transaction: the second folds on from where the first stopped.
///
/// **Versions.** When the stored rows were written by another ``KeyedProjection/version`` (or
/// the name holds a ``CheckpointedProjection``'s checkpoint), the projection is rebuilt from
/// the start under a new generation of rows, set aside: readers keep seeing the old rows until
/// the rebuild reaches the head and is swapped in, in one transaction that also deletes the old
/// rows. An interrupted rebuild resumes from its last commit.
///
/// **Cost.** A commit reads each row it needs once (then keeps the rows it knows in memory,
/// up to ``cachedRowLimit``, while no other process has moved the checkpoint) and writes only
/// the rows it changed. Reading a row is one B-tree lookup and one decode.
public final class PersistentProjection<P: KeyedProjection>: Sendable {
    /// The ledger it folds.
    public let ledger: Ledger
    /// The projection.
    public let projection: P
    /// The most events one commit folds: bounds how long a catch-up holds the ledger's write
    /// lock and what a crash can lose.
    public let eventsPerCommit: UInt64
    /// The most rows kept in memory between commits.
    public let cachedRowLimit: Int

    /// Rows known as stored at a checkpoint, taken out by a commit while it runs.
    private let cache = Mutex<RowCache?>(nil)

    private struct RowCache: Sendable {
        var checkpoint: RowCheckpoint
        var slots: [RowKey: ProjectionRows<P.Row>.Slot]
    }

    private enum Target { case main, aside }

    /// Creates a persistent projection.
    ///
    /// - Throws: ``LedgerError/Code/invalidRequest`` when the projection's name is empty, longer
    ///   than 200 bytes or contains a NUL byte.
    public init(ledger: Ledger, projection: P, eventsPerCommit: UInt64 = 10_000, cachedRowLimit: Int = 200_000) throws {
        let name = projection.name
        try ProjectionName.check(name)
        self.ledger = ledger
        self.projection = projection
        self.eventsPerCommit = max(1, eventsPerCommit)
        self.cachedRowLimit = max(0, cachedRowLimit)
    }

    private var name: String { projection.name }

    // MARK: - Catching up

    /// Folds the events after the stored position up to the head (as of when it is called),
    /// committing every ``eventsPerCommit`` events; returns the position reached.
    ///
    /// - Throws: ``LedgerError/Code/invalidRequest`` on a ledger opened read-only (fold in
    ///   memory with ``Ledger/replay(keyed:_:)`` instead); what the projection throws (nothing
    ///   after the last commit is kept); ``LedgerError/Code/corruptRecord`` for a stored row that
    ///   cannot be decoded; storage errors.
    ///
    /// - Parameter progress: called with the position of each commit.
    @discardableResult
    public func catchUp(progress: ((UInt64) -> Void)? = nil) throws -> UInt64 {
        try catchUp(through: ledger.head().position, progress: progress)
    }

    /// Folds the events after the stored position up to `position` (read-your-writes: pass the
    /// position an append returned). A projection already at or past it is left as it is.
    @discardableResult
    public func catchUp(through position: UInt64, progress: ((UInt64) -> Void)? = nil) throws -> UInt64 {
        guard !ledger.options.readOnly else {
            throw LedgerError(.invalidRequest, "projection '\(name)' cannot store rows in a ledger opened read-only; fold it in memory with Ledger.replay(keyed:) instead")
        }
        let goal = min(position, try ledger.head().position)
        while true {
            let (reached, done) = try commitStep(goal: goal)
            if !done || reached >= goal { progress?(reached) }
            if done { return reached }
        }
    }

    /// One commit: up to `eventsPerCommit` events folded into the main rows or a rebuild's,
    /// and a finished rebuild swapped in. Returns the position reached and whether the goal is.
    private func commitStep(goal: UInt64) throws -> (UInt64, Bool) {
        let version = projection.version
        let name = self.name
        var known = cache.withLock { cached -> RowCache? in
            defer { cached = nil }
            return cached
        }
        let outcome = try ledger.withStorage("catching up projection '\(name)'") { store in
            try store.environment.write { txn -> (RowCheckpoint, Target, ProjectionRows<P.Row>?, Bool) in
                let mainKey = RowCheckpoint.mainKey(name), asideKey = RowCheckpoint.asideKey(name)
                let main = try RowCheckpoint.load(mainKey, name: name, txn: txn.reader, store: store)
                var checkpoint: RowCheckpoint
                var target: Target
                if case .keyed(let stored) = main, stored.version == version {
                    checkpoint = stored
                    target = .main
                } else if case .keyed(let aside) = try RowCheckpoint.load(asideKey, name: name, txn: txn.reader, store: store),
                          aside.version == version {
                    checkpoint = aside
                    target = .aside
                } else {
                    checkpoint = try startBuild(main: main, txn: txn, store: store)
                    target = main == .none ? .main : .aside
                }
                if target == .main, checkpoint.position >= goal { return (checkpoint, target, nil, true) }

                let through = checkpoint.position >= goal ? checkpoint.position : min(goal, checkpoint.position + eventsPerCommit)
                let prefix = RowCheckpoint.rowPrefix(name, generation: checkpoint.generation)
                var slots: [RowKey: ProjectionRows<P.Row>.Slot] = [:]
                if known?.checkpoint == checkpoint { slots = known?.slots ?? [:] }
                known = nil    // the rows are now held once: changed in place, not copied
                let reader = LedgerReader(txn: txn.reader, store: store, typeTags: ledger.typeTags, registry: ledger.registry,
                                          scanResidentLimit: ledger.options.scanResidentLimit)
                var rows = ProjectionRows<P.Row>(name: name, slots: consume slots) { key in
                    try Self.loadRow(key, prefix: prefix, name: name, txn: txn.reader, store: store)
                }
                if through > checkpoint.position {
                    // Folded in place (a replay taking the rows as its initial state would copy them).
                    _ = try reader.fold(KeyedFold(keyed: projection), EventQuery.all(from: checkpoint.position + 1).through(position: through), into: &rows)
                }
                for (key, row) in rows.changed {
                    let stored = RowCheckpoint.rowKey(prefix, key)
                    if let row {
                        var writer = EventPayloadWriter(capacity: 256)
                        row.encode(into: &writer)
                        try stored.withUnsafeBytes { k in try writer.bytes.withUnsafeBytes { v in try txn.put(store.checkpoints, key: k, value: v) } }
                    } else {
                        _ = try stored.withUnsafeBytes { try txn.delete(store.checkpoints, key: $0) }
                    }
                }
                rows.markStored()
                rows.loader = nil
                checkpoint.position = through
                let done = through >= goal
                if target == .aside, done {
                    // The rebuild is complete: it replaces the main rows in this transaction.
                    if case .keyed(let old) = main, old.generation != checkpoint.generation {
                        _ = try RowCheckpoint.deleteRows(name, generation: old.generation, txn: txn, store: store)
                    }
                    try checkpoint.store(mainKey, txn: txn, store: store)
                    _ = try asideKey.withUnsafeBytes { try txn.delete(store.checkpoints, key: $0) }
                    target = .main
                } else {
                    try checkpoint.store(target == .main ? mainKey : asideKey, txn: txn, store: store)
                }
                return (checkpoint, target, rows, done)
            }
        }
        let (checkpoint, target, rows, done) = outcome
        if target == .main, let rows, rows.slots.count <= cachedRowLimit {
            cache.withLock { $0 = RowCache(checkpoint: checkpoint, slots: rows.slots) }
        }
        return (checkpoint.position, done)
    }

    /// Starts a build from the first event under a fresh generation, clearing whatever an
    /// abandoned rebuild of another version left.
    private func startBuild(main: RowCheckpoint.Stored, txn: LMDBWriteTransaction, store: LedgerStore) throws -> RowCheckpoint {
        let asideKey = RowCheckpoint.asideKey(name)
        if case .keyed(let stale) = try RowCheckpoint.load(asideKey, name: name, txn: txn.reader, store: store) {
            _ = try RowCheckpoint.deleteRows(name, generation: stale.generation, txn: txn, store: store)
            _ = try asideKey.withUnsafeBytes { try txn.delete(store.checkpoints, key: $0) }
        }
        var generation: UInt32 = 1
        if case .keyed(let current) = main { generation = current.generation &+ 1 == 0 ? 1 : current.generation &+ 1 }
        _ = try RowCheckpoint.deleteRows(name, generation: generation, txn: txn, store: store)
        return RowCheckpoint(version: projection.version, position: 0, generation: generation)
    }

    static func loadRow(_ key: RowKey, prefix: [UInt8], name: String, txn: LMDBReadTransaction, store: LedgerStore) throws -> P.Row? {
        let stored = RowCheckpoint.rowKey(prefix, key)
        guard let raw = try stored.withUnsafeBytes({ try txn.get(store.checkpoints, key: $0) }) else { return nil }
        return try decodeRow(raw, key: key, name: name)
    }

    static func decodeRow(_ raw: UnsafeRawBufferPointer, key: RowKey, name: String) throws -> P.Row {
        var reader = EventPayloadReader(raw)
        let row: P.Row
        do {
            row = try P.Row(decoding: &reader)
            try reader.expectEnd("row \(key)")
        } catch {
            throw LedgerError(.corruptRecord, "row \(key) of projection '\(name)' cannot be decoded (\(raw.count) bytes): \(error)")
        }
        return row
    }

    // MARK: - Reading

    /// Runs `body` on one consistent snapshot of the stored rows and their position.
    ///
    /// Rows of another version (a rebuild not yet swapped in) are not shown: the view is then
    /// empty at position 0 until a catch-up of this version has run.
    public func read<R>(_ body: (ProjectionView<P>) throws -> R) throws -> R {
        let name = self.name, version = projection.version
        return try ledger.withStorage("reading projection '\(name)'") { store in
            try store.environment.read { txn in
                let main = try RowCheckpoint.load(RowCheckpoint.mainKey(name), name: name, txn: txn, store: store)
                var checkpoint: RowCheckpoint?
                if case .keyed(let stored) = main, stored.version == version { checkpoint = stored }
                let reader = LedgerReader(txn: txn, store: store, typeTags: ledger.typeTags, registry: ledger.registry,
                                          scanResidentLimit: ledger.options.scanResidentLimit)
                let view = ProjectionView<P>(txn: txn, store: store, name: name, checkpoint: checkpoint,
                                             headPosition: try reader.head().position)
                return try body(view)
            }
        }
    }

    /// Where the stored rows stand against the log.
    public func status() throws -> ProjectionStatus {
        let name = self.name, version = projection.version
        return try ledger.withStorage("reading the status of projection '\(name)'") { store in
            try store.environment.read { txn in
                let main = try RowCheckpoint.load(RowCheckpoint.mainKey(name), name: name, txn: txn, store: store)
                let aside = try RowCheckpoint.load(RowCheckpoint.asideKey(name), name: name, txn: txn, store: store)
                let reader = LedgerReader(txn: txn, store: store, typeTags: ledger.typeTags, registry: ledger.registry,
                                          scanResidentLimit: ledger.options.scanResidentLimit)
                var storedVersion: UInt32?, position: UInt64 = 0
                if case .keyed(let stored) = main {
                    storedVersion = stored.version
                    if stored.version == version { position = stored.position }
                }
                var rebuild: UInt64?
                if case .keyed(let stored) = aside, stored.version == version { rebuild = stored.position }
                return ProjectionStatus(name: name, version: version, storedVersion: storedVersion, position: position,
                                        headPosition: try reader.head().position, rebuildPosition: rebuild)
            }
        }
    }

    /// Waits until the stored rows reach the head as it is when called.
    ///
    /// In a writable ledger it catches up itself, one commit at a time, checking for
    /// cancellation and the deadline in between. In a ledger opened read-only it polls every
    /// `pollInterval`, for a reader process waiting on a projection another process maintains.
    ///
    /// - Throws: ``LedgerError/Code/invalidRequest`` when `timeout` passes first; `CancellationError`.
    @discardableResult
    public func waitUntilCaughtUp(timeout: Duration = .seconds(30), pollInterval: Duration = .milliseconds(10)) async throws -> UInt64 {
        let head = try ledger.head().position
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while true {
            try Task.checkCancellation()
            let position: UInt64
            if ledger.options.readOnly {
                position = try status().position
            } else {
                let now = try status().position
                position = try catchUp(through: min(head, now + eventsPerCommit))
            }
            if position >= head { return position }
            guard clock.now < deadline else {
                throw LedgerError(.invalidRequest, "projection '\(name)' did not reach position \(head) within \(timeout); it is at \(position)")
            }
            if ledger.options.readOnly { try await Task.sleep(for: pollInterval) } else { await Task.yield() }
        }
    }
}
