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
    /// The last main checkpoint this instance stored or decoded (see "Cost").
    private let cached = Mutex<ProjectionSnapshot<P.State>?>(nil)

    /// Creates a checkpointed projection.
    ///
    /// - Throws: ``LedgerError/Code/invalidRequest`` when the projection's name is empty, longer
    ///   than 200 bytes or contains a NUL byte.
    public init(ledger: Ledger, projection: P, eventsPerCheckpoint: UInt64 = 100_000) throws {
        let name = projection.name
        guard !name.isEmpty, name.utf8.count <= 200, !name.utf8.contains(0) else {
            throw LedgerError(.invalidRequest, "projection name '\(name)' must be 1 to 200 UTF-8 bytes without NUL")
        }
        self.ledger = ledger
        self.projection = projection
        self.eventsPerCheckpoint = max(1, eventsPerCheckpoint)
    }

    private var name: String { projection.name }

    /// The stored checkpoint, when one of this projection's version exists; reads nothing else.
    public func stored() throws -> ProjectionSnapshot<P.State>? {
        try mainCheckpoint()
    }

    /// The main checkpoint of this version: the cached snapshot when the stored checkpoint is still
    /// the one it reflects, else the stored state decoded (and cached).
    private func mainCheckpoint() throws -> ProjectionSnapshot<P.State>? {
        let version = projection.version
        let known = cached.withLock { $0 }
        let record = try ledger.withStorage("reading the checkpoint of '\(name)'") { store in
            try store.environment.read { txn -> CheckpointRecord? in
                let key = CheckpointRecord.key(name)
                guard let header = try CheckpointRecord.loadHeader(key, name: name, txn: txn, store: store),
                      header.version == version else { return nil }
                if let known, known.version == header.version, known.position == header.position {
                    return CheckpointRecord(version: header.version, position: header.position, stateBytes: [])
                }
                return try CheckpointRecord.load(key, name: name, txn: txn, store: store)
            }
        }
        guard let record else { return nil }
        if let known, known.version == record.version, known.position == record.position { return known }
        let snapshot = ProjectionSnapshot(state: try decodeState(record.stateBytes), position: record.position, version: record.version)
        cached.withLock { $0 = snapshot }
        return snapshot
    }

    /// Folds every event after the checkpoint up to the head (as of when it is called) and stores
    /// the result. Returns the stored snapshot.
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
            var (current, target) = try startingPoint()
            if current.position >= position, target == .main { return current }
            let goal = max(position, current.position)
            var stored = current
            repeat {
                let through = current.position + min(eventsPerCheckpoint, goal - current.position)
                let result = try ledger.read { reader in
                    try reader.replay(projection, EventQuery.all(from: current.position + 1).through(position: through), from: current.state)
                }
                let next = ProjectionSnapshot(state: result.state, position: through, version: projection.version)
                guard try store(next, replacing: stored.position, at: target) else { break }
                progress?(next.position)
                current = next
                stored = next
            } while current.position < goal
            guard current.position >= goal else { continue }    // lost a race: start again from what is stored
            if target == .aside {
                guard try swapInRebuild(at: current.position) else { continue }
                cached.withLock { $0 = current }
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
                let now = try stored()?.position ?? 0
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
    private func startingPoint() throws -> (ProjectionSnapshot<P.State>, Target) {
        if let main = try mainCheckpoint() { return (main, .main) }
        let (main, aside) = try ledger.withStorage("reading the checkpoint of '\(name)'") { store in
            try store.environment.read { txn in
                (try CheckpointRecord.loadHeader(CheckpointRecord.key(name), name: name, txn: txn, store: store),
                 try CheckpointRecord.load(CheckpointRecord.asideKey(name), name: name, txn: txn, store: store))
            }
        }
        let initial = ProjectionSnapshot(state: projection.initialState, position: 0, version: projection.version)
        guard main != nil else { return (initial, .main) }
        if let aside, aside.version == projection.version {
            return (ProjectionSnapshot(state: try decodeState(aside.stateBytes), position: aside.position, version: aside.version), .aside)
        }
        return (initial, .aside)
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
        if stored, target == .main { cached.withLock { $0 = snapshot } }
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
