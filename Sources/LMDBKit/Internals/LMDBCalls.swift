internal import CLMDB
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one place where LMDBKit calls the C library.
///
/// Every `mdb_*` function the module uses is wrapped here, so that the rest of the module
/// works with Swift types and `Int32` result codes, and a review of the C surface is a
/// review of this file. Pointers passed in must stay valid for the duration of the call
/// only; nothing here retains them.
enum LMDBCalls {
    typealias EnvPointer = OpaquePointer
    typealias TxnPointer = OpaquePointer
    typealias CursorPointer = OpaquePointer

    // MARK: - Result codes mirrored from lmdb.h

    static let success: Int32 = MDB_SUCCESS
    static let keyExists: Int32 = MDB_KEYEXIST
    static let notFound: Int32 = MDB_NOTFOUND
    static let corrupted: Int32 = MDB_CORRUPTED
    static let panic: Int32 = MDB_PANIC
    static let versionMismatch: Int32 = MDB_VERSION_MISMATCH
    static let invalid: Int32 = MDB_INVALID
    static let mapFull: Int32 = MDB_MAP_FULL
    static let databasesFull: Int32 = MDB_DBS_FULL
    static let readersFull: Int32 = MDB_READERS_FULL
    static let transactionFull: Int32 = MDB_TXN_FULL
    static let mapResized: Int32 = MDB_MAP_RESIZED
    static let incompatible: Int32 = MDB_INCOMPATIBLE
    static let badTransaction: Int32 = MDB_BAD_TXN
    static let badValueSize: Int32 = MDB_BAD_VALSIZE
    static let pageNotFound: Int32 = MDB_PAGE_NOTFOUND

    // MARK: - Flags

    static let flagNoSubdirectory = UInt32(MDB_NOSUBDIR)
    static let flagNoSync = UInt32(MDB_NOSYNC)
    static let flagReadOnly = UInt32(MDB_RDONLY)
    static let flagNoMetaSync = UInt32(MDB_NOMETASYNC)
    static let flagNoThreadLocalStorage = UInt32(MDB_NOTLS)
    static let flagNoReadAhead = UInt32(MDB_NORDAHEAD)
    static let flagCreate = UInt32(MDB_CREATE)
    static let flagNoOverwrite = UInt32(MDB_NOOVERWRITE)
    static let flagReserve = UInt32(MDB_RESERVE)
    static let flagAppend = UInt32(MDB_APPEND)
    static let flagCopyCompact = UInt32(MDB_CP_COMPACT)

    // MARK: - Cursor operations

    enum CursorOperation {
        case first, last, next, previous, current, setKey, setRange

        var raw: MDB_cursor_op {
            switch self {
            case .first: MDB_FIRST
            case .last: MDB_LAST
            case .next: MDB_NEXT
            case .previous: MDB_PREV
            case .current: MDB_GET_CURRENT
            case .setKey: MDB_SET_KEY
            case .setRange: MDB_SET_RANGE
            }
        }
    }

    // MARK: - Library

    static func strerror(_ code: Int32) -> String {
        guard let text = mdb_strerror(code) else { return "unknown error \(code)" }
        return String(cString: text)
    }

    static func version() -> String {
        guard let text = mdb_version(nil, nil, nil) else { return "LMDB (unknown version)" }
        return String(cString: text)
    }

    // MARK: - Environment

    static func envCreate() -> (Int32, EnvPointer?) {
        var env: OpaquePointer?
        let rc = mdb_env_create(&env)
        return (rc, env)
    }

    static func envSetMapSize(_ env: EnvPointer, _ size: Int) -> Int32 {
        mdb_env_set_mapsize(env, size)
    }

    static func envSetMaxReaders(_ env: EnvPointer, _ readers: UInt32) -> Int32 {
        mdb_env_set_maxreaders(env, readers)
    }

    static func envSetMaxDatabases(_ env: EnvPointer, _ count: UInt32) -> Int32 {
        mdb_env_set_maxdbs(env, MDB_dbi(count))
    }

    static func envOpen(_ env: EnvPointer, _ path: String, _ flags: UInt32, _ mode: UInt32) -> Int32 {
        mdb_env_open(env, path, flags, mdb_mode_t(mode))
    }

    static func envClose(_ env: EnvPointer) {
        mdb_env_close(env)
    }

    static func envCopyCompact(_ env: EnvPointer, _ path: String, compact: Bool) -> Int32 {
        mdb_env_copy2(env, path, compact ? UInt32(MDB_CP_COMPACT) : 0)
    }

    static func envSync(_ env: EnvPointer, force: Bool) -> Int32 {
        mdb_env_sync(env, force ? 1 : 0)
    }

    static func envReaderCheck(_ env: EnvPointer) -> (Int32, Int) {
        var dead: Int32 = 0
        let rc = mdb_reader_check(env, &dead)
        return (rc, Int(dead))
    }

    static func envMaxKeySize(_ env: EnvPointer) -> Int {
        Int(mdb_env_get_maxkeysize(env))
    }

    /// Map size, last used page, page size, reader slots configured and in use.
    static func envInfo(_ env: EnvPointer) -> (Int32, mapSize: Int, lastPage: Int, pageSize: Int, maxReaders: Int, readers: Int) {
        var info = MDB_envinfo()
        var stat = MDB_stat()
        var rc = mdb_env_info(env, &info)
        if rc == MDB_SUCCESS { rc = mdb_env_stat(env, &stat) }
        return (rc, info.me_mapsize, info.me_last_pgno, Int(stat.ms_psize), Int(info.me_maxreaders), Int(info.me_numreaders))
    }

    /// The size of a memory page.
    static let memoryPageSize = UInt(sysconf(Int32(_SC_PAGESIZE)))

    /// Drops this process's page-table entries for `count` bytes of the memory map from `start`
    /// (page-aligned), with `madvise(MADV_DONTNEED)`. The caller guarantees the range lies inside
    /// LMDB's map, a read-only shared mapping of the data file: its pages stay in the page cache
    /// and are faulted back in, with the same bytes, when touched again. Returns 0 or `errno`.
    static func adviseNotNeeded(_ start: UInt, _ count: UInt) -> Int32 {
        guard count > 0, let address = UnsafeMutableRawPointer(bitPattern: start) else { return 0 }
        return madvise(address, Int(count), Int32(MADV_DONTNEED)) == 0 ? 0 : errno
    }

    // MARK: - Transactions

    static func txnBegin(_ env: EnvPointer, readOnly: Bool) -> (Int32, TxnPointer?) {
        var txn: OpaquePointer?
        let rc = mdb_txn_begin(env, nil, readOnly ? UInt32(MDB_RDONLY) : 0, &txn)
        return (rc, txn)
    }

    static func txnID(_ txn: TxnPointer) -> UInt64 {
        UInt64(mdb_txn_id(txn))
    }

    static func txnCommit(_ txn: TxnPointer) -> Int32 {
        mdb_txn_commit(txn)
    }

    static func txnAbort(_ txn: TxnPointer) {
        mdb_txn_abort(txn)
    }

    // MARK: - Databases

    static func dbiOpen(_ txn: TxnPointer, _ name: String, create: Bool) -> (Int32, UInt32) {
        var dbi: MDB_dbi = 0
        let rc = mdb_dbi_open(txn, name, create ? UInt32(MDB_CREATE) : 0, &dbi)
        return (rc, UInt32(dbi))
    }

    static func entryCount(_ txn: TxnPointer, _ dbi: UInt32) -> (Int32, Int) {
        var stat = MDB_stat()
        let rc = mdb_stat(txn, MDB_dbi(dbi), &stat)
        return (rc, stat.ms_entries)
    }

    static func drop(_ txn: TxnPointer, _ dbi: UInt32) -> Int32 {
        mdb_drop(txn, MDB_dbi(dbi), 0)
    }

    // MARK: - Values

    static func get(_ txn: TxnPointer, _ dbi: UInt32, _ key: UnsafeRawBufferPointer) -> (Int32, UnsafeRawBufferPointer?) {
        var k = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var v = MDB_val()
        let rc = mdb_get(txn, MDB_dbi(dbi), &k, &v)
        guard rc == MDB_SUCCESS else { return (rc, nil) }
        return (rc, UnsafeRawBufferPointer(start: v.mv_data, count: v.mv_size))
    }

    static func put(_ txn: TxnPointer, _ dbi: UInt32, _ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer, _ flags: UInt32) -> Int32 {
        var k = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var v = MDB_val(mv_size: value.count, mv_data: UnsafeMutableRawPointer(mutating: value.baseAddress))
        return mdb_put(txn, MDB_dbi(dbi), &k, &v, flags)
    }

    /// `mdb_put` with `MDB_RESERVE`: returns writable space of `count` bytes inside the map.
    static func reserve(_ txn: TxnPointer, _ dbi: UInt32, _ key: UnsafeRawBufferPointer, count: Int, _ flags: UInt32) -> (Int32, UnsafeMutableRawBufferPointer?) {
        var k = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var v = MDB_val(mv_size: count, mv_data: nil)
        let rc = mdb_put(txn, MDB_dbi(dbi), &k, &v, flags | UInt32(MDB_RESERVE))
        guard rc == MDB_SUCCESS else { return (rc, nil) }
        return (rc, UnsafeMutableRawBufferPointer(start: v.mv_data, count: v.mv_size))
    }

    static func delete(_ txn: TxnPointer, _ dbi: UInt32, _ key: UnsafeRawBufferPointer) -> Int32 {
        var k = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        return mdb_del(txn, MDB_dbi(dbi), &k, nil)
    }

    // MARK: - Cursors

    static func cursorOpen(_ txn: TxnPointer, _ dbi: UInt32) -> (Int32, CursorPointer?) {
        var cursor: OpaquePointer?
        let rc = mdb_cursor_open(txn, MDB_dbi(dbi), &cursor)
        return (rc, cursor)
    }

    static func cursorClose(_ cursor: CursorPointer) {
        mdb_cursor_close(cursor)
    }

    static func cursorGet(
        _ cursor: CursorPointer,
        _ operation: CursorOperation,
        key: UnsafeRawBufferPointer?
    ) -> (Int32, UnsafeRawBufferPointer, UnsafeRawBufferPointer) {
        var k = MDB_val(mv_size: key?.count ?? 0, mv_data: UnsafeMutableRawPointer(mutating: key?.baseAddress))
        var v = MDB_val()
        let rc = mdb_cursor_get(cursor, &k, &v, operation.raw)
        guard rc == MDB_SUCCESS else { return (rc, UnsafeRawBufferPointer(start: nil, count: 0), UnsafeRawBufferPointer(start: nil, count: 0)) }
        return (
            rc,
            UnsafeRawBufferPointer(start: k.mv_data, count: k.mv_size),
            UnsafeRawBufferPointer(start: v.mv_data, count: v.mv_size)
        )
    }

    static func cursorReserve(_ cursor: CursorPointer, _ key: UnsafeRawBufferPointer, count: Int, _ flags: UInt32) -> (Int32, UnsafeMutableRawBufferPointer?) {
        var k = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var v = MDB_val(mv_size: count, mv_data: nil)
        let rc = mdb_cursor_put(cursor, &k, &v, flags | UInt32(MDB_RESERVE))
        guard rc == MDB_SUCCESS else { return (rc, nil) }
        return (rc, UnsafeMutableRawBufferPointer(start: v.mv_data, count: v.mv_size))
    }

    static func cursorPut(_ cursor: CursorPointer, _ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer, _ flags: UInt32) -> Int32 {
        var k = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var v = MDB_val(mv_size: value.count, mv_data: UnsafeMutableRawPointer(mutating: value.baseAddress))
        return mdb_cursor_put(cursor, &k, &v, flags)
    }

    static func cursorDelete(_ cursor: CursorPointer) -> Int32 {
        mdb_cursor_del(cursor, 0)
    }
}
