/// A read-only view of the environment at one moment (a snapshot).
///
/// Valid only inside the closure passed to ``LMDBEnvironment/read(_:)`` (or, through
/// ``LMDBWriteTransaction/reader``, inside a write). Buffers it returns point into the memory map:
/// read them inside the closure, copy what must outlive it, and never escape them.
public struct LMDBReadTransaction {
    let txn: OpaquePointer
    let writeState: WriteTransactionState?

    init(txn: OpaquePointer, writeState: WriteTransactionState?) {
        self.txn = txn
        self.writeState = writeState
    }

    /// The value stored under `key`, or `nil` when there is none.
    ///
    /// The corresponding C function is `mdb_get`. The buffer points into the map.
    public func get(_ database: LMDBDatabase, key: UnsafeRawBufferPointer) throws -> UnsafeRawBufferPointer? {
        if let fault = database.pageFault, !fault.canRead(key) { throw database.damagedReadError("reading a key") }
        let (rc, value) = LMDBCalls.get(txn, database.dbi, key)
        if rc == LMDBCalls.notFound { return nil }
        try check(rc, "reading a key of \(database)")
        return value
    }

    /// The value stored under a big-endian `UInt64` key, or `nil` when there is none.
    public func get(_ database: LMDBDatabase, key: UInt64) throws -> UnsafeRawBufferPointer? {
        try withUnsafeBytes(of: key.bigEndian) { try get(database, key: $0) }
    }

    /// The number of key/value pairs in `database` (`mdb_stat`).
    public func entryCount(_ database: LMDBDatabase) throws -> Int {
        let (rc, count) = LMDBCalls.entryCount(txn, database.dbi)
        try check(rc, "counting the entries of \(database)")
        return count
    }

    /// Opens a cursor on `database` for the duration of `body`.
    ///
    /// The cursor is closed when `body` returns; do not escape it.
    public func withCursor<R>(_ database: LMDBDatabase, _ body: (inout LMDBCursor) throws -> R) throws -> R {
        let (rc, pointer) = LMDBCalls.cursorOpen(txn, database.dbi)
        try check(rc, "opening a cursor on \(database)")
        guard let pointer else { throw LMDBError(code: .badTransaction, message: "opening a cursor on \(database)") }
        var cursor = LMDBCursor(cursor: pointer, database: database, writeState: writeState)
        defer { LMDBCalls.cursorClose(pointer) }
        return try body(&cursor)
    }
}
