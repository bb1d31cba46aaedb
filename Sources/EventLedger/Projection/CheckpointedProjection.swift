import Foundation
import LMDBKit
import Synchronization

/// A projection whose state is kept in the ledger with the position it reflects, so it catches up
/// from where it stopped instead of replaying the log.
///
/// ```swift
/// let progress = try CheckpointedProjection(ledger: ledger, projection: ProgressProjection())
/// let snapshot = try progress.catchUp()     // reads only the events after the checkpoint
/// ```
///
/// **Exactly once.** The state and its position are one value written by one transaction, so the
/// stored state always reflects exactly the events up to its position — also when the process is
/// killed mid-catch-up (the next catch-up resumes from the last stored checkpoint). Two catch-ups
/// racing (threads or processes) cannot both store: the second finds the checkpoint moved and
/// continues from the stored one.
///
/// **Versions.** A checkpoint written by another ``Projection/version`` is not used: the projection
/// is rebuilt from the start. The rebuild is written aside (and resumed from there if interrupted);
/// the old checkpoint stays in place until the finished rebuild replaces it in one transaction.
///
/// **Cost.** A catch-up reads only the events after the checkpoint. It stores the whole state
/// (JSON) each time it checkpoints, which costs in proportion to the state, not to the log. It
/// decodes the stored state only when this instance has not seen that checkpoint: the last
/// snapshot it stored or read is kept in memory and reused while the stored checkpoint is still
/// at its version and position (a projection is a function of events 1...position, so such a
/// checkpoint holds that very state, whoever wrote it).
public final class CheckpointedProjection<P: Projection>: Sendable where P.State: Codable & Sendable {
    /// The ledger it folds.
    public let ledger: Ledger
    /// The projection.
    public let projection: P
    /// How many events a catch-up folds between checkpoints: bounds the work a crash can lose.
    public let eventsPerCheckpoint: UInt64
    /// When a catch-up stores its checkpoint.
    public let storing: CheckpointStoring
    /// What this instance knows of the main checkpoint (see "Cost"): the snapshot it stored or
    /// decoded, or one it folded further without storing (``CheckpointStoring/everyEventsPerCheckpoint``),
    /// with the position of the stored checkpoint that snapshot continues.
    private let cached = Mutex<Cached?>(nil)

    /// What a read of the main checkpoint found, against what this instance knows.
    private enum Found { case nothing, otherVersion, known, record(CheckpointRecord) }

    private struct Cached {
        var snapshot: ProjectionSnapshot<P.State>
        var storedPosition: UInt64
    }

    /// Creates a checkpointed projection.
    ///
    /// - Throws: ``LedgerError/Code/invalidRequest`` when the projection's name is empty, longer
    ///   than 200 bytes or contains a NUL byte.
    ///
    /// - Parameters:
    ///   - eventsPerCheckpoint: the most events a catch-up folds between two stored checkpoints.
    ///   - storing: whether a catch-up stores only once `eventsPerCheckpoint` events were folded
    ///     since the last stored checkpoint (the default: a catch-up of a few events costs only
    ///     those events), or every catch-up stores its whole state (``CheckpointStoring/everyCatchUp``).
    public init(ledger: Ledger, projection: P, eventsPerCheckpoint: UInt64 = 100_000, storing: CheckpointStoring = .everyEventsPerCheckpoint) throws {
        let name = projection.name
        try ProjectionName.check(name)
        self.ledger = ledger
        self.projection = projection
        self.eventsPerCheckpoint = max(1, eventsPerCheckpoint)
        self.storing = storing
    }

    private var name: String { projection.name }

    /// The stored checkpoint, when one of this projection's version exists; reads nothing else.
    public func stored() throws -> ProjectionSnapshot<P.State>? {
        guard let (snapshot, storedPosition) = try mainCheckpoint() else { return nil }
        if snapshot.position == storedPosition { return snapshot }
        // This instance folded further than it stored: decode what is stored, keeping the cache.
        let record = try ledger.withStorage("reading the checkpoint of '\(name)'") { store in
            try store.environment.read { txn in try CheckpointRecord.load(CheckpointRecord.key(name), name: name, txn: txn, store: store) }
        }
        guard let record, record.version == projection.version else { return nil }
        return ProjectionSnapshot(state: try decodeState(record.stateBytes), position: record.position, version: record.version)
    }

    /// The main checkpoint of this version, with the position it is stored at: the cached
    /// snapshot (perhaps folded further) while the stored checkpoint is still the one it
    /// continues, else the stored state decoded (and cached).
    private func mainCheckpoint() throws -> (snapshot: ProjectionSnapshot<P.State>, storedPosition: UInt64)? {
        let version = projection.version
        let known = cached.withLock { $0 }.flatMap { $0.snapshot.version == version ? $0 : nil }
        let found = try ledger.withStorage("reading the checkpoint of '\(name)'") { store in
            try store.environment.read { txn -> Found in
                let key = CheckpointRecord.key(name)
                guard let header = try CheckpointRecord.loadHeader(key, name: name, txn: txn, store: store) else { return .nothing }
                guard header.version == version else { return .otherVersion }
                if let known, known.storedPosition == header.position { return .known }
                guard let record = try CheckpointRecord.load(key, name: name, txn: txn, store: store) else { return .nothing }
                return .record(record)
            }
        }
        switch found {
        case .known:
            guard let known else { return nil }
            return (known.snapshot, known.storedPosition)
        case .nothing:
            // Nothing stored yet: a state this instance folded without storing continues from 0.
            if let known, known.storedPosition == 0 { return (known.snapshot, 0) }
            cached.withLock { $0 = nil }
            return nil
        case .otherVersion:
            cached.withLock { $0 = nil }
            return nil
        case .record(let record):
            let snapshot = ProjectionSnapshot(state: try decodeState(record.stateBytes), position: record.position, version: record.version)
            cached.withLock { $0 = Cached(snapshot: snapshot, storedPosition: snapshot.position) }
            return (snapshot, snapshot.position)
        }
    }

    /// Stores the state this instance folded beyond its stored checkpoint, if any
    /// (``CheckpointStoring/everyEventsPerCheckpoint``); returns the stored snapshot.
    ///
    /// - Throws: ``LedgerError/Code/invalidRequest`` on a read-only ledger; storage errors.
    @discardableResult
    public func checkpoint() throws -> ProjectionSnapshot<P.State>? {
        guard !ledger.options.readOnly else {
            throw LedgerError(.invalidRequest, "projection '\(name)' cannot store checkpoints in a ledger opened read-only")
        }
        while true {
            guard let (snapshot, storedPosition) = try mainCheckpoint() else { return nil }
            if snapshot.position == storedPosition { return snapshot }
            if try store(snapshot, replacing: storedPosition, at: .main) { return snapshot }
            // Another catch-up stored meanwhile: what it stored is at least as far.
            cached.withLock { $0 = nil }
        }
    }

    /// Folds every event after the checkpoint up to the head (as of when it is called) and stores
    /// the result (with ``CheckpointStoring/everyEventsPerCheckpoint``: once enough events were
    /// folded since the last stored checkpoint). Returns the folded snapshot.
    ///
    /// - Throws: ``LedgerError/Code/invalidRequest`` on a read-only ledger; what the projection
    ///   throws (nothing after the last stored checkpoint is kept); storage errors.
    ///
    /// - Parameter progress: called with the position of each checkpoint stored.
    @discardableResult
    public func catchUp(progress: ((UInt64) -> Void)? = nil) throws -> ProjectionSnapshot<P.State> {
        try catchUp(through: ledger.head().position, progress: progress)
    }

    /// Folds the events after the checkpoint up to `position` (read-your-writes: pass the position
    /// an append returned). A checkpoint already at or past `position` is returned as it is.
    @discardableResult
    public func catchUp(through position: UInt64, progress: ((UInt64) -> Void)? = nil) throws -> ProjectionSnapshot<P.State> {
        guard !ledger.options.readOnly else {
            throw LedgerError(.invalidRequest, "projection '\(name)' cannot store checkpoints in a ledger opened read-only; use Ledger.replay instead")
        }
        // Never claim a position the log has not reached.
        let position = min(position, try ledger.head().position)
        while true {
            var (current, target, storedPosition) = try startingPoint()
            if current.position >= position, target == .main { return current }
            let goal = max(position, current.position)
            var lostRace = false
            repeat {
                // At most eventsPerCheckpoint events between two stored checkpoints.
                let gap = current.position - storedPosition
                let room = eventsPerCheckpoint > gap ? eventsPerCheckpoint - gap : 1
                let through = current.position + min(room, goal - current.position)
                let result = try ledger.read { reader in
                    try reader.replay(projection, EventQuery.all(from: current.position + 1).through(position: through), from: current.state)
                }
                let next = ProjectionSnapshot(state: result.state, position: through, version: projection.version)
                let due = storing == .everyCatchUp || target == .aside || next.position - storedPosition >= eventsPerCheckpoint
                if due {
                    guard try store(next, replacing: storedPosition, at: target) else { lostRace = true; break }
                    progress?(next.position)
                    storedPosition = next.position
                } else {
                    cached.withLock { $0 = Cached(snapshot: next, storedPosition: storedPosition) }
                }
                current = next
            } while current.position < goal
            if lostRace {
                cached.withLock { $0 = nil }
                continue    // start again from what is stored
            }
            if target == .aside {
                guard try swapInRebuild(at: current.position) else { continue }
                cached.withLock { $0 = Cached(snapshot: current, storedPosition: current.position) }
                target = .main
            }
            return current
        }
    }

    /// Waits until the stored checkpoint has reached the head as it is when called (for tests and
    /// read-your-writes).
    ///
    /// In a writable ledger it catches up itself, one checkpoint's worth of events at a time,
    /// checking for cancellation and the deadline in between. In a ledger opened read-only it
    /// polls the checkpoint every `pollInterval`, for a reader process waiting on a projection that
    /// another process maintains.
    ///
    /// - Throws: ``LedgerError/Code/invalidRequest`` when `timeout` passes first; `CancellationError`.
    @discardableResult
    public func waitUntilCaughtUp(timeout: Duration = .seconds(30), pollInterval: Duration = .milliseconds(10)) async throws -> ProjectionSnapshot<P.State> {
        let head = try ledger.head().position
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while true {
            try Task.checkCancellation()
            let snapshot: ProjectionSnapshot<P.State>?
            if ledger.options.readOnly {
                snapshot = try stored()
            } else {
                let now = try mainCheckpoint()?.snapshot.position ?? 0
                snapshot = try catchUp(through: min(head, now + eventsPerCheckpoint))
            }
            if let snapshot, snapshot.position >= head { return snapshot }
            guard clock.now < deadline else {
                throw LedgerError(.invalidRequest, "projection '\(name)' did not reach position \(head) within \(timeout); it is at \(snapshot?.position ?? 0)")
            }
            if ledger.options.readOnly { try await Task.sleep(for: pollInterval) } else { await Task.yield() }
        }
    }

    // MARK: - Storage

    private enum Target { case main, aside }

    /// Where to resume: the main checkpoint of this version, a rebuild set aside, or the start.
    private func startingPoint() throws -> (ProjectionSnapshot<P.State>, Target, storedPosition: UInt64) {
        if let (main, storedPosition) = try mainCheckpoint() { return (main, .main, storedPosition) }
        let (main, aside) = try ledger.withStorage("reading the checkpoint of '\(name)'") { store in
            try store.environment.read { txn in
                (try CheckpointRecord.loadHeader(CheckpointRecord.key(name), name: name, txn: txn, store: store),
                 try CheckpointRecord.load(CheckpointRecord.asideKey(name), name: name, txn: txn, store: store))
            }
        }
        let initial = ProjectionSnapshot(state: projection.initialState, position: 0, version: projection.version)
        guard main != nil else { return (initial, .main, 0) }
        if let aside, aside.version == projection.version {
            return (ProjectionSnapshot(state: try decodeState(aside.stateBytes), position: aside.position, version: aside.version), .aside, aside.position)
        }
        return (initial, .aside, 0)
    }

    /// Stores `snapshot` if the checkpoint at `target` is still at `expected` (or absent and
    /// `expected` is 0); returns false when another catch-up moved it.
    private func store(_ snapshot: ProjectionSnapshot<P.State>, replacing expected: UInt64, at target: Target) throws -> Bool {
        let bytes = CheckpointRecord(version: snapshot.version, position: snapshot.position, stateBytes: try encodeState(snapshot.state)).bytes
        let key = target == .main ? CheckpointRecord.key(name) : CheckpointRecord.asideKey(name)
        let version = projection.version
        let stored = try ledger.withStorage("storing the checkpoint of '\(name)'") { store in
            try store.environment.write { txn in
                let main = try CheckpointRecord.loadHeader(CheckpointRecord.key(name), name: name, txn: txn, store: store)
                switch target {
                case .main:
                    // Another version took the main checkpoint since this catch-up began: start again.
                    if let main, main.version != version { return false }
                    guard (main?.position ?? 0) == expected else { return false }
                case .aside:
                    // Another rebuild of this version already finished and was swapped in.
                    if let main, main.version == version { return false }
                    let aside = try CheckpointRecord.load(key, name: name, txn: txn, store: store)
                    let current = aside.flatMap { $0.version == version ? $0.position : nil } ?? 0
                    guard current == expected else { return false }
                }
                try key.withUnsafeBytes { k in try bytes.withUnsafeBytes { v in try txn.put(store.checkpoints, key: k, value: v) } }
                return true
            }
        }
        if stored, target == .main { cached.withLock { $0 = Cached(snapshot: snapshot, storedPosition: snapshot.position) } }
        return stored
    }

    /// Moves a finished rebuild over the main checkpoint in one transaction.
    private func swapInRebuild(at position: UInt64) throws -> Bool {
        let version = projection.version
        return try ledger.withStorage("replacing the checkpoint of '\(name)'") { store in
            try store.environment.write { txn in
                let asideKey = CheckpointRecord.asideKey(name), mainKey = CheckpointRecord.key(name)
                if let main = try CheckpointRecord.load(mainKey, name: name, txn: txn, store: store), main.version == version {
                    // Another rebuild of this version won: drop this one.
                    _ = try asideKey.withUnsafeBytes { try txn.delete(store.checkpoints, key: $0) }
                    return false
                }
                guard let aside = try CheckpointRecord.load(asideKey, name: name, txn: txn, store: store),
                      aside.version == version, aside.position == position else { return false }
                let bytes = aside.bytes
                try mainKey.withUnsafeBytes { k in try bytes.withUnsafeBytes { v in try txn.put(store.checkpoints, key: k, value: v) } }
                _ = try asideKey.withUnsafeBytes { try txn.delete(store.checkpoints, key: $0) }
                return true
            }
        }
    }

    private func encodeState(_ state: P.State) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do {
            return Array(try encoder.encode(state))
        } catch {
            throw LedgerError(.invalidRequest, "the state of projection '\(name)' does not encode: \(error)")
        }
    }

    private func decodeState(_ bytes: [UInt8]) throws -> P.State {
        do {
            return try JSONDecoder().decode(P.State.self, from: Data(bytes))
        } catch {
            throw LedgerError(.corruptRecord, "the checkpoint of projection '\(name)' does not decode: \(error)")
        }
    }
}

/// When a ``CheckpointedProjection`` stores its checkpoint.
public enum CheckpointStoring: Sendable, Hashable {
    /// Every catch-up that folds anything stores its result (and a long catch-up stores every
    /// `eventsPerCheckpoint` events): the stored checkpoint is always the latest folded state.
    /// Each store encodes the whole state, so a catch-up of one event costs in proportion to the
    /// state's size.
    case everyCatchUp
    /// A catch-up stores only once `eventsPerCheckpoint` events were folded since the last stored
    /// checkpoint, and ``CheckpointedProjection/checkpoint()`` stores on demand. Between stores
    /// the instance keeps the folded state in memory, so a catch-up of a few events costs only
    /// those events. A crash loses at most `eventsPerCheckpoint` events of folding, which the next
    /// catch-up redoes from the stored checkpoint; the stored checkpoint is always exact for its
    /// position.
    case everyEventsPerCheckpoint
}
