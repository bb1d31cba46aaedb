public import EventLedger
public import Foundation

/// Imports a file in the interchange format into a ledger, **all or nothing**, streaming: memory
/// stays bounded whatever the file's size, and the first bad line stops the import as soon as it
/// is read.
///
/// Each line is read, checked and written in turn, inside one write transaction
/// (``Ledger/bulkAppend(reservingBytes:_:)``) that commits only after the last line: the first
/// bad line stops the import with an ``InterchangeError`` naming its line number (and, for an
/// export line, its position), the field and the reason, and the transaction is rolled back, so
/// nothing from the file is ever visible, also when the process is killed mid-import. Other
/// appends to the ledger wait until the import ends.
///
/// - **Checks.** Every line's JSON and fields (``InterchangeLine``), then the rules every command
///   passes (``MentorshipRules``, exactly as ``AccountabilityLedger/record(_:)-(MentorshipCommand)``
///   checks them, each command against the state the lines before it leave). A line of an export
///   (one with `canonical` bytes) must also show exactly what its canonical bytes encode
///   (``ExportLineCheck``: a doctored field is refused, naming it).
/// - **Order.** Events are appended in the file's order: the ledger's positions follow the lines.
/// - **Retries.** A line whose `id` is already stored with the same content is skipped (so
///   importing a file twice appends it once); with other content it is an error. So is an id
///   used twice in the file with different content.
/// - **Faithful copies** (``faithful``): an export of another ledger, into an empty ledger, keeps
///   every position, revision, event id, recorded-at and chain hash, and its seals: the copy's
///   head equals the source's. The chain is recomputed and checked on the way in. The rules are
///   not judged again: a faithful copy is the record of what the source ledger accepted.
/// - **Threads.** Reading, parsing and proving the lines (the file-only checks) runs on a thread
///   of its own, at most a few thousand lines ahead of the rules and the writes on the caller's
///   thread; lines are still taken, and errors reported, in file order.
/// - **Memory.** The importer keeps the lines read ahead and each mentorship's state (its open goals,
///   sessions and tasks; an ended mentorship's is dropped). LMDB keeps the transaction's changed
///   pages until the commit, up to 512 MiB; ``importIntoNewLedger(at:admins:registry:eventsPerCommit:from:configure:progress:)``
///   commits a new ledger in steps (100,000 events by default) and moves it into place at the end, so
///   its memory stays far below that.
public struct InterchangeImporter: Sendable {
    /// The ledger the events are recorded on, with its admins.
    public let log: AccountabilityLedger
    /// The longest line accepted, in bytes. Default: 1 MiB (an event's texts are at most a few KB).
    public var maximumLineLength = 1 << 20
    /// The file's format. Default: NDJSON.
    public var format: ExportFormat = .ndjson
    /// Copies an export exactly (positions, revisions, ids, recorded-at times, chain hashes,
    /// seals) into an empty ledger. Default: `false` (the ledger assigns its own).
    public var faithful = false
    /// Room reserved in the map for the import, in bytes (address space, not disk). Default: 64 GiB.
    public var reservedBytes = 64 << 30
    /// Events per commit; `nil` commits the whole file in one transaction (the default, and the
    /// only all-or-nothing choice for a ledger others can read). Set by
    /// ``importIntoNewLedger(at:admins:registry:eventsPerCommit:from:configure:progress:)``, whose ledger nobody sees
    /// before it is complete.
    var eventsPerCommit: Int?

    /// An importer writing through `log`.
    public init(log: AccountabilityLedger) {
        self.log = log
    }

    /// Progress of an import.
    public enum Progress: Sendable {
        /// Lines read, checked and written so far, and the bytes read.
        case reading(lines: Int, bytes: Int)
        /// Committing the events written.
        case committing(events: Int)
    }

    /// Imports the file at `url`.
    public func importFile(at url: URL, progress: ((Progress) -> Void)? = nil) throws -> ImportSummary {
        let handle = try Self.openFile(url)
        defer { try? handle.close() }
        return try importLines(from: handle, progress: progress)
    }

    /// Imports the lines read from `handle` (a file, a pipe, standard input).
    public func importLines(from handle: FileHandle, progress: ((Progress) -> Void)? = nil) throws -> ImportSummary {
        var run = ImportRun(admins: log.admins, faithful: faithful)
        if faithful {
            let held = try log.ledger.head().position
            guard held == 0 else {
                throw InterchangeError(field: "file", "a faithful import copies a ledger into an empty one; this ledger holds \(held) events")
            }
        }
        // Reading, parsing and proving the lines runs on a thread of its own, ahead of the writes.
        let lines = LinePipeline(InterchangeSource(handle, format: format, maximumLineLength: maximumLineLength))
        defer { lines.stop() }
        var finished = false
        var bytesRead = 0
        while !finished {
            try log.ledger.bulkAppend(reservingBytes: reservedBytes) { appender in
                var inThisCommit = 0
                while true {
                    guard let item = try lines.next() else {
                        run.summary.linesRead = lines.lastLineNumber
                        finished = true
                        break
                    }
                    try run.take(item, into: &appender)
                    bytesRead = item.bytesRead
                    if item.number % 8192 == 0 { progress?(.reading(lines: item.number, bytes: bytesRead)) }
                    inThisCommit += 1
                    if let eventsPerCommit, inThisCommit >= eventsPerCommit { break }
                }
                progress?(.reading(lines: run.summary.linesRead, bytes: bytesRead))
                if finished, faithful, let id = run.sealedLedgerID {
                    try appender.adoptIdentity(ledgerID: id, createdAt: log.ledger.createdAt)
                }
                progress?(.committing(events: run.summary.eventsAppended))
            }
        }
        return run.summary
    }

    /// Imports commands already read, each with the line number its errors name.
    public func importCommands(_ commands: [(line: Int, command: MentorshipCommand)], progress: ((Progress) -> Void)? = nil) throws -> ImportSummary {
        var run = ImportRun(admins: log.admins, faithful: false)
        try log.ledger.bulkAppend(reservingBytes: reservedBytes) { appender in
            for (line, command) in commands {
                try run.take(PreparedLine(number: line, object: InterchangeLine.object(for: command), export: nil, bytesRead: 0), into: &appender)
            }
            progress?(.committing(events: run.summary.eventsAppended))
        }
        run.summary.linesRead = commands.map(\.line).max() ?? 0
        return run.summary
    }

    /// Imports the lines read from `handle` into a **new** ledger at `directory`, which must not
    /// exist or be an empty directory.
    ///
    /// The ledger is built beside it (in `.<name>.import-<pid>` in the same folder), committed in
    /// steps of `eventsPerCommit` events, flushed, and moved into
    /// place with one `rename`, so memory stays bounded by the step (about 60 MB at the default
    /// 100,000), and `directory` holds either nothing or the whole file, also when the process is
    /// killed (what a killed import leaves beside it is removed by the next import into the same
    /// directory).
    ///
    /// - Parameters:
    ///   - configure: sets the importer's options (format, faithful, line length).
    /// - Throws: ``InterchangeError`` for a bad line; ``LedgerError`` for storage errors.
    public static func importIntoNewLedger(
        at directory: URL, admins: ProgramAdmins, registry: EventTypeRegistry? = nil, eventsPerCommit: Int = 100_000,
        from handle: FileHandle, configure: (inout InterchangeImporter) -> Void = { _ in },
        progress: ((Progress) -> Void)? = nil
    ) throws -> ImportSummary {
        let target = directory.standardizedFileURL
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        if fileManager.fileExists(atPath: target.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue, (try? fileManager.contentsOfDirectory(atPath: target.path))?.isEmpty == true else {
                throw InterchangeError(field: "directory", "'\(target.path)' exists and is not an empty directory; a new ledger is imported into a directory that does not exist yet")
            }
        }
        let parent = target.deletingLastPathComponent()
        let prefix = ".\(target.lastPathComponent).import-"
        removeAbandoned(in: parent, prefix: prefix)
        let staging = parent.appendingPathComponent("\(prefix)\(getpid())")
        try? fileManager.removeItem(at: staging)
        // Nobody sees the staged ledger before the rename, and it is flushed whole before that:
        // its commits need not flush on their own.
        let ledger = try Ledger(directory: staging, registry: try registry ?? .accountability(), options: .staging)
        var summary = ImportSummary()
        do {
            var importer = InterchangeImporter(log: AccountabilityLedger(ledger: ledger, admins: admins))
            configure(&importer)
            importer.eventsPerCommit = max(1, eventsPerCommit)
            summary = try importer.importLines(from: handle, progress: progress)
            try ledger.sync()
            ledger.close()
            try moveIntoPlace(staging, target)
        } catch {
            ledger.close()
            try? fileManager.removeItem(at: staging)
            throw error
        }
        return summary
    }

    /// Renames the finished ledger onto `target` (missing or an empty directory: one atomic
    /// `rename`) and makes the rename durable.
    private static func moveIntoPlace(_ staging: URL, _ target: URL) throws {
        guard rename(staging.path, target.path) == 0 else {
            let reason = String(cString: strerror(errno))
            throw LedgerError(.storage, "moving the imported ledger from '\(staging.path)' to '\(target.path)' failed: \(reason); nothing was imported")
        }
        let folder = open(target.deletingLastPathComponent().path, O_RDONLY)
        if folder >= 0 {
            _ = fsync(folder)
            close(folder)
        }
    }

    /// Removes what killed imports into the same directory left beside it (their process is gone).
    private static func removeAbandoned(in parent: URL, prefix: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: parent.path) else { return }
        for name in names where name.hasPrefix(prefix) {
            guard let pid = Int32(name.dropFirst(prefix.count)), pid > 0 else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH {
                try? FileManager.default.removeItem(at: parent.appendingPathComponent(name))
            }
        }
    }

    static func openFile(_ url: URL) throws -> FileHandle {
        do {
            return try FileHandle(forReadingFrom: url)
        } catch {
            throw InterchangeError(field: "file", "'\(url.path)' cannot be opened for reading: \(error.localizedDescription)")
        }
    }
}
