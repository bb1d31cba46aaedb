public import Foundation
public import LMDBKit

/// An append-only, tamper-evident event log in one directory.
///
/// ```swift
/// var registry = EventTypeRegistry()
/// try registry.register(NoteAdded.self)
/// let ledger = try Ledger(directory: URL(fileURLWithPath: "/var/lib/mentoring"), registry: registry)
///
/// let result = try ledger.append([try ProposedEvent(NoteAdded(text: "hello"))],
///                                to: "notes/1", expecting: .noStream)
/// print(result.positions)            // 1..<2
///
/// try ledger.read { reader in
///     try reader.forEach(.stream("notes/1")) { record in
///         let note = try reader.decode(record, as: NoteAdded.self)
///         print(record.position, note.text)
///     }
/// }
/// ```
///
/// **Guarantees.** Positions run 1, 2, 3, … with no gaps and are assigned inside the commit, so a
/// reader never sees position n+1 without n. Stream revisions run 0, 1, 2, … Each append is atomic
/// (every event of the call, across all its streams, or none). Every record is chained to the one
/// before it by SHA-256, and ``verify(progress:)`` rechecks the chain and every index.
///
/// **Concurrency.** A `Ledger` is `Sendable`: share one instance across tasks and threads. Appends
/// are committed by one writer thread in groups; reads run concurrently on consistent snapshots.
/// Several processes may open the same directory; LMDB's lock file serialises their writers.
/// One process may open a directory only once.
public final class Ledger: Sendable {
    /// The ledger's directory.
    public let directory: URL
    /// The ledger's id, fixed when it was created.
    public let ledgerID: UUID
    /// When the ledger was created.
    public let createdAt: Timestamp
    /// The event types this instance can append and decode.
    public let registry: EventTypeRegistry
    /// The options it was opened with.
    public let options: LedgerOptions

    /// The damage the page check found in the data file when the ledger opened (see
    /// ``LedgerOptions/checksPagesAtOpen``); empty for an intact ledger. While it is not empty,
    /// appends are refused, and reads stop, with ``LedgerError/Code/corruptRecord``, where the
    /// damage begins.
    public var pageFaults: [LMDBPageFault] { store.environment.pageFaults }

    let store: LedgerStore
    let typeTags: TypeTagTable
    /// Signalled after each commit by this instance, for subscribers.
    let commits = CommitSignal()
    private let writer: AppendWriter?

    /// Opens the ledger in `directory`, creating it when the directory is missing or empty.
    ///
    /// - Throws: ``LedgerError`` with ``LedgerError/Code/notALedger`` when the directory holds
    ///   something else, ``LedgerError/Code/unsupportedFormatVersion`` when a newer library wrote
    ///   it, ``LedgerError/Code/notFound`` when it is missing and may not be created, or
    ///   ``LedgerError/Code/storage`` (with LMDB's code and text) when it cannot be opened, for
    ///   example because this process has it open already.
    public init(directory: URL, registry: EventTypeRegistry = EventTypeRegistry(), options: LedgerOptions = LedgerOptions()) throws {
        self.directory = directory
        self.registry = registry
        self.options = options
        let path = directory.path
        try LedgerDirectory.check(path, options: options)
        let environment: LMDBEnvironment
        do {
            environment = try LMDBEnvironment(path: path, options: options.environmentOptions, databases: LedgerStore.databaseNames)
        } catch let error as LMDBError {
            throw LedgerDirectory.openError(error, path: path)
        }
        do {
            let store = try LedgerStore(environment: environment)
            let identity = try LedgerMetadata.loadOrCreate(store, readOnly: options.readOnly, clock: options.clock)
            let tags = TypeTagTable()
            try environment.read { try tags.loadAll($0, meta: store.meta) }
            self.typeTags = tags
            self.store = store
            self.ledgerID = identity.ledgerID
            self.createdAt = identity.createdAt
        } catch {
            environment.close()
            throw LedgerError.wrap(error, "opening the ledger at '\(path)'")
        }
        writer = options.readOnly ? nil : AppendWriter(store: self.store, typeTags: self.typeTags, clock: options.clock, maximumGroupSize: options.maximumGroupSize)
    }

    deinit {
        close()
    }

    /// Finishes the appends already submitted, then closes the ledger. Idempotent.
    ///
    /// Afterwards every call throws ``LedgerError/Code/closed``. Reads still running finish first.
    public func close() {
        writer?.stop()
        store.environment.close()
    }

    // MARK: - Reading

    /// Runs `body` on a consistent snapshot of the ledger.
    ///
    /// The reader, its records and cursors are valid only inside `body`. Do not append from inside
    /// `body` (the append would wait for the snapshot to end): it throws
    /// ``LedgerError/Code/invalidRequest``.
    public func read<R>(_ body: (LedgerReader) throws -> R) throws -> R {
        do {
            return try store.environment.read { txn in
                try body(LedgerReader(txn: txn, store: store, typeTags: typeTags, registry: registry, scanResidentLimit: options.scanResidentLimit))
            }
        } catch let error as LMDBError {
            throw LedgerError.wrap(error, "reading the ledger at '\(directory.path)'")
        }
    }

    /// Runs `body` with the storage, naming `action` in any storage error.
    func withStorage<R>(_ action: String, _ body: (LedgerStore) throws -> R) throws -> R {
        do {
            return try body(store)
        } catch let error as LMDBError {
            throw LedgerError.wrap(error, "\(action) in the ledger at '\(directory.path)'")
        }
    }

    /// The newest position and chain hash.
    public func head() throws -> LedgerHead {
        try read { try $0.head() }
    }

    /// Owned copies of the events `query` selects (at most `limit`).
    public func events(_ query: EventQuery, limit: Int = .max) throws -> [RecordedEvent] {
        try read { try $0.events(query, limit: limit) }
    }

    // MARK: - Audit

    /// Walks the whole log on one snapshot: recomputes the hash chain, decodes every envelope (and
    /// every payload whose type is registered), and checks every index against the log. Reports the
    /// first fault with its position; never crashes on damaged data.
    ///
    /// Damage the page check found (``pageFaults``) is reported too: in the log, as a
    /// ``VerificationFault/Kind/storageFault`` at the first position it stops, after every record
    /// before it was checked; elsewhere, at the position whose index entry it stops, or without a
    /// position (LMDB's free-page list, checkpoints) once the walk is done. When the ledger was
    /// opened with ``LedgerOptions/checksPagesAtOpen`` off, the page check runs first, and damage
    /// it finds is reported before anything is read.
    ///
    /// - Parameter progress: called with the position reached, every 65,536 events and at the end.
    public func verify(progress: ((UInt64) -> Void)? = nil) throws -> VerificationReport {
        try read { reader in try LedgerVerifier(reader: reader, progress: progress).run() }
    }

    /// Writes a compact, consistent copy of the ledger into `directory`, which must be missing or
    /// empty. Appends may continue meanwhile; the copy holds the ledger as of the moment it began.
    /// A ledger opened with damage (``pageFaults``) is not copied: the copy would read the damaged
    /// pages; it throws ``LedgerError/Code/corruptRecord``.
    public func backup(to target: URL) throws {
        do {
            try store.environment.copy(to: target.path, compact: true)
        } catch {
            throw LedgerError.wrap(error, "backing up '\(directory.path)' to '\(target.path)'")
        }
    }

    /// Flushes committed appends to the disk: what the relaxed ``LedgerOptions/durability``
    /// modes leave for later. With the default full durability every commit has done it already.
    public func sync() throws {
        do {
            try store.environment.sync(force: true)
        } catch {
            throw LedgerError.wrap(error, "flushing '\(directory.path)' to disk")
        }
    }

    /// The bytes the ledger's data file uses, and its current map size.
    public func storageInfo() throws -> (usedBytes: Int, mapSize: Int) {
        do {
            let info = try store.environment.info()
            return (info.usedBytes, info.mapSize)
        } catch {
            throw LedgerError.wrap(error, "reading the storage figures of '\(directory.path)'")
        }
    }

    var appendWriter: AppendWriter? { writer }
}
