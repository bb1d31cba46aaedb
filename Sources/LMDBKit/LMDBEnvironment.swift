#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// An open LMDB environment: one directory holding `data.mdb` and `lock.mdb`, and the named
/// databases inside it.
///
/// ```swift
/// var options = LMDBEnvironmentOptions()
/// options.initialMapSize = 64 << 20
/// let environment = try LMDBEnvironment(path: "/tmp/db", options: options, databases: ["items"])
/// let items = try environment.database("items")
/// try environment.write { txn in
///     try withUnsafeBytes(of: UInt64(1).bigEndian) { key in
///         try "hello".utf8CString.withUnsafeBytes { try txn.put(items, key: key, value: $0) }
///     }
/// }
/// ```
///
/// The environment is safe to use from many threads: reads run concurrently, writes are
/// serialised by LMDB's writer lock (across processes too). A directory may be open only once per
/// process; a second open throws ``LMDBError/Code/alreadyOpen``.
///
/// - Note: LMDB limitations: the map must be resized while no transaction of the process is
///   open, so a write that needs a bigger map waits until running reads end.
public final class LMDBEnvironment: @unchecked Sendable {
    // Safe to share: LMDB documents an environment as usable from any thread (we open it with
    // MDB_NOTLS so read transactions are not tied to threads). The Swift state that changes is
    // either in `state` (a Mutex) or guarded by `resizeLock`, and `env` is closed only under the
    // exclusive resize lock, when no transaction is open.
    private let env: OpaquePointer
    private let identity: FileIdentity
    private let resizeLock = ResizeLock()
    private let pageSize: Int
    private let databaseHandles: [String: LMDBDatabase]

    private struct State {
        var closed = false
        /// How many transactions each thread holds open.
        var holders: [UInt: Int] = [:]
    }
    private let state = Mutex(State())

    /// The directory of the environment, as given when it was opened.
    public let path: String
    /// The options the environment was opened with.
    public let options: LMDBEnvironmentOptions
    /// How many stale reader slots (left by dead processes) were cleared when it opened.
    public let staleReadersCleared: Int
    /// The damage the page check found when the environment opened (empty when the file is intact
    /// or ``LMDBEnvironmentOptions/checksPagesAtOpen`` is off). While it is not empty, every
    /// write is refused, and reads of a damaged database stop at its last readable key.
    public let pageFaults: [LMDBPageFault]

    /// Opens (and, unless read-only, creates) the environment in directory `path` with the named
    /// `databases`.
    ///
    /// Stale reader slots left by crashed processes are cleared. Data files are created with
    /// ``LMDBEnvironmentOptions/fileMode`` (0600 by default).
    ///
    /// Unless ``LMDBEnvironmentOptions/checksPagesAtOpen`` is off, every page of every tree is
    /// checked first (see ``checkPages()``); damage is kept in ``pageFaults``.
    ///
    /// - Throws: ``LMDBError`` naming the path: ``LMDBError/Code/noSuchFile`` when the directory is
    ///   missing and may not be created, ``LMDBError/Code/alreadyOpen`` when this process has it open,
    ///   ``LMDBError/Code/invalid`` when it holds something that is not an LMDB environment,
    ///   ``LMDBError/Code/notFound`` when a read-only open misses one of the databases,
    ///   ``LMDBError/Code/corrupted`` when the meta pages or the main tree (which names the
    ///   databases) are damaged.
    public init(path: String, options: LMDBEnvironmentOptions = .init(), databases: [String]) throws {
        self.path = path
        self.options = options
        self.pageSize = max(4096, Int(sysconf(Int32(_SC_PAGESIZE))))

        try Self.prepareDirectory(path, options: options)
        guard let identity = FileIdentity.of(path: path) else {
            throw LMDBError(code: .noSuchFile, message: "environment directory '\(path)' cannot be read")
        }
        guard OpenDirectoryRegistry.claim(identity) else {
            throw LMDBError(code: .alreadyOpen, message: "environment directory '\(path)' is already open in this process; share the open instance instead")
        }
        self.identity = identity

        let (rc, created) = LMDBCalls.envCreate()
        guard rc == LMDBCalls.success, let env = created else {
            OpenDirectoryRegistry.release(identity)
            throw LMDBError(rc: rc, "creating an environment handle for '\(path)'")
        }
        self.env = env

        var staleCleared = 0
        var faults: [LMDBPageFault] = []
        do {
            // The initial size never exceeds the maximum: a write beyond the maximum must fail.
            let mapSize = Self.align(max(min(options.initialMapSize, options.maximumMapSize), pageSize * 8), to: pageSize)
            try check(LMDBCalls.envSetMapSize(env, mapSize), "setting the map size of '\(path)'")
            try check(LMDBCalls.envSetMaxReaders(env, UInt32(clamping: options.maximumReaders)), "setting the reader slots of '\(path)'")
            try check(LMDBCalls.envSetMaxDatabases(env, UInt32(clamping: options.maximumDatabases)), "setting the database count of '\(path)'")
            var flags = LMDBCalls.flagNoThreadLocalStorage
            switch options.durability {
            case .full: break
            case .noMetaSync: flags |= LMDBCalls.flagNoMetaSync
            case .noSync: flags |= LMDBCalls.flagNoSync
            }
            if options.readOnly { flags |= LMDBCalls.flagReadOnly }
            if options.disableReadAhead { flags |= LMDBCalls.flagNoReadAhead }
            // LMDB trusts the meta pages and the file's length; a damaged one must not reach it.
            try DataFileCheck.check(directory: path, pagesChecked: options.checksPagesAtOpen)
            let openRC = LMDBCalls.envOpen(env, path, flags, options.fileMode)
            if openRC != LMDBCalls.success {
                throw Self.openError(openRC, path: path, readOnly: options.readOnly)
            }
            let (checkRC, dead) = LMDBCalls.envReaderCheck(env)
            try check(checkRC, "checking for stale readers in '\(path)'")
            staleCleared = dead
            if options.checksPagesAtOpen {
                faults = try Self.checkPages(env: env, path: path).faults
                if let main = faults.first(where: { $0.database == "main" && !$0.allKeysReadable }) {
                    throw LMDBError(code: .corrupted, message: "'\(path)/data.mdb' cannot be opened: \(main)", pageFault: main)
                }
            }
        } catch {
            LMDBCalls.envClose(env)
            OpenDirectoryRegistry.release(identity)
            throw error
        }

        self.staleReadersCleared = staleCleared
        self.pageFaults = faults
        // Open every named database once; the handles stay valid until close. A damaged file is
        // not written to, so its databases are opened, not created.
        do {
            self.databaseHandles = try Self.openDatabases(
                env: env, names: databases, create: !options.readOnly && faults.isEmpty, path: path,
                pageSize: pageSize, maximumMapSize: options.maximumMapSize, faults: faults)
        } catch {
            LMDBCalls.envClose(env)
            OpenDirectoryRegistry.release(identity)
            throw error
        }
    }

    deinit {
        close()
    }

    // MARK: - Databases

    /// The handle of a database named when the environment was opened.
    ///
    /// - Throws: ``LMDBError/Code/notFound`` when `name` was not among the databases opened.
    public func database(_ name: String) throws -> LMDBDatabase {
        guard let handle = databaseHandles[name] else {
            throw LMDBError(code: .notFound, message: "database '\(name)' was not opened in '\(path)'")
        }
        return handle
    }

    // MARK: - Transactions

    /// Runs `body` in a read-only transaction: a consistent snapshot that never blocks the writer
    /// and is never blocked by it.
    ///
    /// The transaction and every buffer it returns are valid only inside `body`.
    public func read<R>(_ body: (LMDBReadTransaction) throws -> R) throws -> R {
        while true {
            try enter()
            let (rc, txn) = LMDBCalls.txnBegin(env, readOnly: true)
            if rc == LMDBCalls.mapResized {
                leave()
                try adoptMapSizeFromOtherProcess()
                continue
            }
            guard rc == LMDBCalls.success, let txn else {
                leave()
                throw LMDBError(rc: rc, "beginning a read transaction in '\(path)'")
            }
            defer {
                LMDBCalls.txnAbort(txn)
                leave()
            }
            return try body(LMDBReadTransaction(txn: txn, writeState: nil))
        }
    }

    /// Runs `body` in a write transaction and commits it when `body` returns.
    ///
    /// When the map is full, the transaction is aborted, the map grows (doubling up to 1 GiB, then
    /// by 1 GiB at a time, never beyond ``LMDBEnvironmentOptions/maximumMapSize``) and `body` runs
    /// again on a fresh transaction. Callers never size maps.
    ///
    /// - Throws: what `body` throws (nothing is committed), or ``LMDBError``:
    ///   ``LMDBError/Code/mapFull`` when the maximum map size is reached,
    ///   ``LMDBError/Code/nestedTransaction`` when this thread already holds a transaction of this
    ///   environment (LMDB allows one per thread, and a map resize would wait for it forever).
    public func write<R>(_ body: (LMDBWriteTransaction) throws -> R) throws -> R {
        try write(growingOnMapFull: true, body)
    }

    /// Runs `body` in a write transaction and commits it when `body` returns; with
    /// `growingOnMapFull` off, a full map is not retried: `body` runs once, and a full map throws
    /// ``LMDBError/Code/mapFull`` with nothing committed. For a transaction whose body cannot run
    /// twice (one that consumes a stream); size the map first with ``reserveMapSize(atLeast:)``.
    public func write<R>(growingOnMapFull: Bool, _ body: (LMDBWriteTransaction) throws -> R) throws -> R {
        if options.readOnly {
            throw LMDBError(code: .readOnly, message: "environment '\(path)' was opened read-only")
        }
        if let fault = pageFaults.first {
            throw LMDBError(code: .corrupted, message: "'\(path)' is damaged, so writes are refused (a write could spread the damage): \(fault)", pageFault: fault)
        }
        if currentThreadHoldsTransaction {
            throw LMDBError(code: .nestedTransaction, message: "a write to '\(path)' was started on a thread that holds one of its transactions")
        }
        return try writeRaw(growingOnMapFull: growingOnMapFull, body)
    }

    private func writeRaw<R>(growingOnMapFull: Bool, _ body: (LMDBWriteTransaction) throws -> R) throws -> R {
        while true {
            try enter()
            let (rc, txn) = LMDBCalls.txnBegin(env, readOnly: false)
            if rc == LMDBCalls.mapResized {
                leave()
                try adoptMapSizeFromOtherProcess()
                continue
            }
            guard rc == LMDBCalls.success, let txn else {
                leave()
                throw LMDBError(rc: rc, "beginning a write transaction in '\(path)'")
            }
            let writeState = WriteTransactionState()
            let result: R
            do {
                result = try body(LMDBWriteTransaction(txn: txn, state: writeState))
            } catch {
                LMDBCalls.txnAbort(txn)
                leave()
                if writeState.hitMapFull {
                    guard growingOnMapFull else { throw mapFullOnce() }
                    try growMap()
                    continue
                }
                throw error
            }
            if writeState.hitMapFull {
                // The body swallowed a map-full error; the transaction is unusable. Grow and rerun.
                LMDBCalls.txnAbort(txn)
                leave()
                guard growingOnMapFull else { throw mapFullOnce() }
                try growMap()
                continue
            }
            let commitRC = LMDBCalls.txnCommit(txn)
            leave()
            if commitRC == LMDBCalls.mapFull {
                guard growingOnMapFull else { throw mapFullOnce() }
                try growMap()
                continue
            }
            try check(commitRC, "committing a write transaction in '\(path)'")
            return result
        }
    }

    /// Whether the calling thread holds a transaction of this environment right now.
    public var currentThreadHoldsTransaction: Bool {
        let thread = currentThreadID()
        return state.withLock { $0.holders[thread, default: 0] > 0 }
    }

    private func enter() throws {
        resizeLock.lockShared()
        let thread = currentThreadID()
        let closed = state.withLock { state -> Bool in
            if state.closed { return true }
            state.holders[thread, default: 0] += 1
            return false
        }
        if closed {
            resizeLock.unlock()
            throw LMDBError(code: .closed, message: "environment '\(path)' is closed")
        }
    }

    private func leave() {
        let thread = currentThreadID()
        state.withLock { state in
            let count = state.holders[thread, default: 1] - 1
            state.holders[thread] = count > 0 ? count : nil
        }
        resizeLock.unlock()
    }

    // MARK: - Map size

    /// Grows the map after `MDB_MAP_FULL`.
    private func growMap() throws {
        resizeLock.lockExclusive()
        defer { resizeLock.unlock() }
        let current = LMDBCalls.envInfo(env).mapSize
        let limit = Self.align(options.maximumMapSize, to: pageSize)
        guard current < limit else {
            throw LMDBError(code: .mapFull, message: "'\(path)' reached its maximum map size of \(limit) bytes; raise LMDBEnvironmentOptions.maximumMapSize or free space")
        }
        let step = current < (1 << 30) ? current : (1 << 30)
        let target = min(limit, Self.align(current + step, to: pageSize))
        try check(LMDBCalls.envSetMapSize(env, target), "growing the map of '\(path)' to \(target) bytes")
    }

    private func mapFullOnce() -> LMDBError {
        LMDBError(code: .mapFull, message: "a transaction that cannot run twice filled the map of '\(path)' (\(LMDBCalls.envInfo(env).mapSize) bytes); nothing was committed; reserve more room first")
    }

    /// Grows the map to at least `bytes` (rounded up to whole pages, never beyond
    /// ``LMDBEnvironmentOptions/maximumMapSize``); a map already that large is left alone. Waits
    /// for this process's open transactions to end. The map is address space: the data file grows
    /// only as pages are written.
    public func reserveMapSize(atLeast bytes: Int) throws {
        resizeLock.lockExclusive()
        defer { resizeLock.unlock() }
        let current = LMDBCalls.envInfo(env).mapSize
        let target = min(Self.align(options.maximumMapSize, to: pageSize), Self.align(bytes, to: pageSize))
        guard target > current else { return }
        try check(LMDBCalls.envSetMapSize(env, target), "reserving a map of \(target) bytes for '\(path)'")
    }

    /// Adopts the map size another process set (`MDB_MAP_RESIZED`).
    private func adoptMapSizeFromOtherProcess() throws {
        resizeLock.lockExclusive()
        defer { resizeLock.unlock() }
        try check(LMDBCalls.envSetMapSize(env, 0), "adopting the map size another process set for '\(path)'")
    }

    // MARK: - Maintenance

    /// Figures about the environment: map size, pages used, readers.
    public func info() throws -> LMDBEnvironmentInfo {
        try enter()
        defer { leave() }
        let info = LMDBCalls.envInfo(env)
        try check(info.0, "reading the figures of '\(path)'")
        return LMDBEnvironmentInfo(
            mapSize: info.mapSize, pageSize: info.pageSize, lastPageNumber: info.lastPage,
            maximumReaders: info.maxReaders, readersInUse: info.readers)
    }

    /// Checks the structure of every page of every B-tree in the data file, as it is now.
    ///
    /// The check runs in a read transaction of its own, so writers may go on meanwhile. It walks
    /// the main tree, each named database in name order and the free list, from their roots in
    /// key order, and checks each page's number, type, bounds, nodes, key order, child and
    /// overflow page numbers, and each tree's entry and page counts; the free list must name no
    /// page a tree uses. It reads the file with `pread`, never through LMDB's map, so it cannot
    /// crash on the damage it looks for. The faults it finds are returned, not thrown;
    /// they do not change what this environment refuses (that is decided at open).
    ///
    /// - Throws: ``LMDBError`` when the file cannot be read, or its meta pages are damaged.
    public func checkPages() throws -> LMDBPageCheckReport {
        try enter()
        defer { leave() }
        return try Self.checkPages(env: env, path: path)
    }

    /// Runs the page check on the newest snapshot, holding a read transaction on it meanwhile.
    private static func checkPages(env: OpaquePointer, path: String) throws -> LMDBPageCheckReport {
        while true {
            let (rc, txn) = LMDBCalls.txnBegin(env, readOnly: true)
            if rc == LMDBCalls.mapResized {
                try check(LMDBCalls.envSetMapSize(env, 0), "adopting the map size another process set for '\(path)'")
                continue
            }
            guard rc == LMDBCalls.success, let txn else {
                throw LMDBError(rc: rc, "beginning a read transaction to check the pages of '\(path)'")
            }
            defer { LMDBCalls.txnAbort(txn) }
            return try PageCheck.run(directory: path, transaction: LMDBCalls.txnID(txn))
        }
    }

    /// The largest key LMDB accepts, in bytes (511 with default build options).
    public var maximumKeySize: Int { LMDBCalls.envMaxKeySize(env) }

    /// Flushes buffers to disk; needed only with the relaxed ``LMDBDurability`` modes.
    public func sync(force: Bool = true) throws {
        try enter()
        defer { leave() }
        try check(LMDBCalls.envSync(env, force: force), "flushing '\(path)' to disk")
    }

    /// Copies the environment into `directory`, which must not exist or be empty; with `compact`,
    /// free pages are left out and the copy is renumbered (`mdb_env_copy2` with `MDB_CP_COMPACT`).
    ///
    /// The copy is a consistent snapshot taken in a read transaction; writers continue meanwhile.
    /// The copied data file gets ``LMDBEnvironmentOptions/fileMode``.
    ///
    /// - Throws: ``LMDBError/Code/backupTargetNotEmpty`` when `directory` holds anything;
    ///   ``LMDBError/Code/corrupted`` when the page check found damage at open that the copy would
    ///   read (a damaged page anywhere; without `compact`, any fault at all), or, without
    ///   `compact`, when the file was cut short.
    public func copy(to directory: String, compact: Bool = true) throws {
        // A compacted copy reads every tree, the free list too (to count its pages); a plain one
        // reads every page up to the last, free ones too.
        if let fault = pageFaults.first(where: { !compact || !$0.allKeysReadable }) {
            throw LMDBError(code: .corrupted, message: "'\(path)' cannot be copied\(compact ? "" : " page by page"): \(fault)", pageFault: fault)
        }
        if !compact, let truncation = DataFileCheck.truncation(directory: path) {
            throw LMDBError(code: .corrupted, message: "'\(path)' cannot be copied page by page: \(truncation); copy it compacted")
        }
        try enter()
        defer { leave() }
        try Self.prepareBackupTarget(directory)
        try check(LMDBCalls.envCopyCompact(env, directory, compact: compact), "copying '\(path)' to '\(directory)'")
        _ = chmod(directory + "/data.mdb", mode_t(options.fileMode))
    }

    /// Closes the environment after every open transaction has ended. Idempotent.
    ///
    /// Using the environment afterwards throws ``LMDBError/Code/closed``.
    public func close() {
        resizeLock.lockExclusive()
        let wasOpen = state.withLock { state -> Bool in
            defer { state.closed = true }
            return !state.closed
        }
        if wasOpen {
            LMDBCalls.envClose(env)
            OpenDirectoryRegistry.release(identity)
        }
        resizeLock.unlock()
    }

    /// Whether ``close()`` has been called.
    public var isClosed: Bool { state.withLock { $0.closed } }

    /// The LMDB library version string.
    public static var libraryVersion: String { LMDBCalls.version() }

    // MARK: - Helpers

    static func align(_ value: Int, to page: Int) -> Int {
        (value + page - 1) / page * page
    }

    private static func prepareDirectory(_ path: String, options: LMDBEnvironmentOptions) throws {
        guard !path.isEmpty else { throw LMDBError(code: .invalidPath, message: "environment path is empty") }
        var info = stat()
        if stat(path, &info) == 0 {
            guard (info.st_mode & S_IFMT) == S_IFDIR else {
                throw LMDBError(code: .invalidPath, message: "'\(path)' is not a directory")
            }
            return
        }
        guard options.createDirectoryIfMissing, !options.readOnly else {
            throw LMDBError(code: .noSuchFile, message: "environment directory '\(path)' does not exist")
        }
        if mkdir(path, 0o700) != 0, errno != EEXIST {
            let code = errno
            throw LMDBError(code: .init(rawValue: code), message: "creating environment directory '\(path)'")
        }
    }

    private static func prepareBackupTarget(_ directory: String) throws {
        var info = stat()
        if stat(directory, &info) == 0 {
            guard (info.st_mode & S_IFMT) == S_IFDIR else {
                throw LMDBError(code: .backupTargetNotEmpty, message: "backup target '\(directory)' is not a directory")
            }
            guard let dir = opendir(directory) else {
                throw LMDBError(code: .init(rawValue: errno), message: "reading backup target '\(directory)'")
            }
            defer { closedir(dir) }
            while let entry = readdir(dir) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
                }
                if name != "." && name != ".." {
                    throw LMDBError(code: .backupTargetNotEmpty, message: "backup target '\(directory)' is not empty (found '\(name)')")
                }
            }
            return
        }
        if mkdir(directory, 0o700) != 0 {
            throw LMDBError(code: .init(rawValue: errno), message: "creating backup directory '\(directory)'")
        }
    }

    private static func openError(_ rc: Int32, path: String, readOnly: Bool) -> LMDBError {
        switch rc {
        case LMDBCalls.invalid:
            return LMDBError(rc: rc, "'\(path)' holds a data.mdb that is not an LMDB environment")
        case LMDBCalls.versionMismatch:
            return LMDBError(rc: rc, "'\(path)' was written by an incompatible LMDB version")
        case 13, 30:
            return LMDBError(rc: rc, readOnly
                ? "'\(path)' cannot be read"
                : "'\(path)' cannot be opened for writing (a read-only directory or file system); open it read-only to read it")
        case 2:
            return LMDBError(rc: rc, "'\(path)' has no environment to open read-only")
        default:
            return LMDBError(rc: rc, "opening environment '\(path)'")
        }
    }

    /// Opens the named databases in one transaction at open time, growing a tiny initial map when
    /// creating them does not fit (no other transaction can be open yet).
    private static func openDatabases(
        env: OpaquePointer, names: [String], create: Bool, path: String, pageSize: Int, maximumMapSize: Int,
        faults: [LMDBPageFault]
    ) throws -> [String: LMDBDatabase] {
        while true {
            let (rc, txn) = LMDBCalls.txnBegin(env, readOnly: !create)
            guard rc == LMDBCalls.success, let txn else {
                throw LMDBError(rc: rc, "beginning a transaction to open the databases of '\(path)'")
            }
            var handles: [String: LMDBDatabase] = [:]
            var failure: (rc: Int32, name: String)?
            for name in names {
                let (rc, dbi) = LMDBCalls.dbiOpen(txn, name, create: create)
                if rc != LMDBCalls.success { failure = (rc, name); break }
                handles[name] = LMDBDatabase(name: name, dbi: dbi, pageFault: faults.first { $0.database == name })
            }
            // Even a read-only transaction must commit for its database handles to stay valid.
            let commitRC: Int32
            if let failure {
                LMDBCalls.txnAbort(txn)
                commitRC = failure.rc
            } else {
                commitRC = LMDBCalls.txnCommit(txn)
            }
            if commitRC == LMDBCalls.mapFull {
                let current = LMDBCalls.envInfo(env).mapSize
                guard current < maximumMapSize else {
                    throw LMDBError(rc: commitRC, "'\(path)' reached its maximum map size of \(maximumMapSize) bytes while creating its databases")
                }
                try check(LMDBCalls.envSetMapSize(env, align(min(maximumMapSize, current * 2), to: pageSize)), "growing the map of '\(path)'")
                continue
            }
            if let failure {
                throw LMDBError(rc: failure.rc, create
                    ? "opening database '\(failure.name)' in '\(path)'"
                    : "opening database '\(failure.name)' in '\(path)' (it does not exist)")
            }
            try check(commitRC, "keeping the database handles of '\(path)'")
            return handles
        }
    }
}
