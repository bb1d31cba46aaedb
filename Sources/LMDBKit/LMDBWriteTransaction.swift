/// Bookkeeping shared by a write transaction and its cursors.
final class WriteTransactionState {
    /// Set when an operation failed with `MDB_MAP_FULL`, so that the environment grows the map and
    /// runs the transaction again even if the caller caught and wrapped the error.
    var hitMapFull = false

    @inline(__always)
    func record(_ rc: Int32) {
        if rc == LMDBCalls.mapFull { hitMapFull = true }
    }
}

/// A read-write transaction: the only writer of the environment while it lives.
///
/// Valid only inside the closure passed to ``LMDBEnvironment/write(_:)``. Everything written
/// commits together when the closure returns, or not at all when it throws.
///
/// - Note: LMDB limitation: the closure may run more than once. When the map is full the
///   environment aborts the transaction, grows the map and runs the closure again on a fresh
///   transaction, so the closure must compute everything it writes from the transaction itself.
public struct LMDBWriteTransaction {
    let txn: OpaquePointer
    let state: WriteTransactionState

    init(txn: OpaquePointer, state: WriteTransactionState) {
        self.txn = txn
        self.state = state
    }

    /// A read view of this transaction: it sees this transaction's own uncommitted writes.
    public var reader: LMDBReadTransaction { LMDBReadTransaction(txn: txn, writeState: state) }

    /// The value stored under `key`, including this transaction's own writes.
    public func get(_ database: LMDBDatabase, key: UnsafeRawBufferPointer) throws -> UnsafeRawBufferPointer? {
        try reader.get(database, key: key)
    }

    /// Stores `value` under `key`.
    ///
    /// The corresponding C function is `mdb_put`.
    /// - Throws: ``LMDBError`` with ``LMDBError/Code/keyExists`` when `flags` forbid overwriting.
    public func put(_ database: LMDBDatabase, key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, flags: LMDBPutFlags = []) throws {
        let rc = LMDBCalls.put(txn, database.dbi, key, value, flags.rawValue)
        state.record(rc)
        try check(rc, "writing a key of \(database)")
    }

    /// Reserves `count` bytes for the value of `key` and lets `body` fill them in place, in the map.
    ///
    /// The corresponding C function is `mdb_put` with `MDB_RESERVE`. `body` must write every byte.
    public func reserve<R>(
        _ database: LMDBDatabase,
        key: UnsafeRawBufferPointer,
        count: Int,
        flags: LMDBPutFlags = [],
        _ body: (UnsafeMutableRawBufferPointer) throws -> R
    ) throws -> R {
        let (rc, space) = LMDBCalls.reserve(txn, database.dbi, key, count: count, flags.rawValue)
        state.record(rc)
        try check(rc, "reserving \(count) bytes in \(database)")
        guard let space else { throw LMDBError(code: .badValueSize, message: "reserving \(count) bytes in \(database)") }
        return try body(space)
    }

    /// Deletes `key`; returns `false` when it was not there.
    @discardableResult
    public func delete(_ database: LMDBDatabase, key: UnsafeRawBufferPointer) throws -> Bool {
        let rc = LMDBCalls.delete(txn, database.dbi, key)
        if rc == LMDBCalls.notFound { return false }
        state.record(rc)
        try check(rc, "deleting a key of \(database)")
        return true
    }

    /// Removes every key of `database`, keeping the database itself.
    public func removeAll(_ database: LMDBDatabase) throws {
        let rc = LMDBCalls.drop(txn, database.dbi)
        state.record(rc)
        try check(rc, "emptying \(database)")
    }

    /// The number of key/value pairs in `database`, including this transaction's writes.
    public func entryCount(_ database: LMDBDatabase) throws -> Int {
        try reader.entryCount(database)
    }

    /// Opens a cursor (which can also write) on `database` for the duration of `body`.
    public func withCursor<R>(_ database: LMDBDatabase, _ body: (inout LMDBCursor) throws -> R) throws -> R {
        try reader.withCursor(database, body)
    }
}
