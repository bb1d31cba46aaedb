/// A position in a database, for ordered scans and ordered writes.
///
/// Obtained from ``LMDBReadTransaction/withCursor(_:_:)`` or ``LMDBWriteTransaction/withCursor(_:_:)``
/// and valid only inside that closure. Keys are compared bytewise, so big-endian integer keys
/// iterate in numeric order. Returned buffers point into the map; do not escape them.
public struct LMDBCursor {
    /// A key/value pair as found in the map.
    public typealias Entry = (key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer)

    let cursor: OpaquePointer
    /// The database this cursor walks.
    public let database: LMDBDatabase
    let writeState: WriteTransactionState?
    /// The span of map memory holding the values ``next()`` returned since the last
    /// ``releaseResidentPages()`` (read-only transactions only).
    private var spanStart: UInt = .max
    private var spanEnd: UInt = 0
    /// In a database the page check found damaged: whether the cursor stands on a pair, and
    /// whether that pair is the last one that can be read.
    private var positioned = false
    private var atLastReadable = false

    init(cursor: OpaquePointer, database: LMDBDatabase, writeState: WriteTransactionState?) {
        self.cursor = cursor
        self.database = database
        self.writeState = writeState
    }

    @inline(__always)
    private mutating func move(_ operation: LMDBCalls.CursorOperation, key: UnsafeRawBufferPointer? = nil) throws -> Entry? {
        if database.pageFault != nil { return try moveWithinReadable(operation, key: key) }
        let (rc, k, v) = LMDBCalls.cursorGet(cursor, operation, key: key)
        if rc == LMDBCalls.notFound { return nil }
        try check(rc, "moving a cursor on \(database)")
        return (k, v)
    }

    /// A move in a damaged database: allowed only when it cannot leave the pages that passed the
    /// page check, which hold every key up to the last readable one, in order.
    private mutating func moveWithinReadable(_ operation: LMDBCalls.CursorOperation, key: UnsafeRawBufferPointer?) throws -> Entry? {
        guard let fault = database.pageFault else { return nil }
        let allowed: Bool
        switch operation {
        case .first: allowed = fault.lastReadableKey != nil
        case .last: allowed = false
        case .next: allowed = positioned ? !atLastReadable : fault.lastReadableKey != nil
        case .previous: allowed = positioned
        case .current: allowed = true
        case .setKey, .setRange: allowed = key.map { fault.canRead($0) } ?? false
        }
        guard allowed else {
            let what = switch operation {
            case .next: "moving past the last readable key"
            case .last, .previous: "moving to the end"
            default: "moving a cursor"
            }
            throw database.damagedReadError(what)
        }
        let (rc, k, v) = LMDBCalls.cursorGet(cursor, operation, key: key)
        if rc == LMDBCalls.notFound {
            if operation == .setKey || operation == .setRange { positioned = false }
            return nil
        }
        try check(rc, "moving a cursor on \(database)")
        positioned = true
        atLastReadable = fault.lastReadableKey.map { $0.elementsEqual(k) || $0.lexicographicallyPrecedes(k) } ?? true
        return (k, v)
    }

    /// Moves to the first pair; `nil` when the database is empty.
    public mutating func first() throws -> Entry? { try move(.first) }
    /// Moves to the last pair; `nil` when the database is empty.
    public mutating func last() throws -> Entry? { try move(.last) }
    /// Moves to the next pair; `nil` past the end.
    @inline(__always)
    public mutating func next() throws -> Entry? {
        guard let entry = try move(.next) else { return nil }
        if writeState == nil, let base = entry.value.baseAddress {
            let start = UInt(bitPattern: base)
            spanStart = min(spanStart, start)
            spanEnd = max(spanEnd, start + UInt(entry.value.count))
        }
        return entry
    }

    /// The bytes of map memory spanned by the values ``next()`` returned since the last
    /// ``releaseResidentPages()``: an upper bound of what a scan keeps resident (0 in a write
    /// transaction).
    public var residentSpan: Int { spanStart < spanEnd ? Int(spanEnd - spanStart) : 0 }

    /// Tells the kernel that the map pages holding the values ``next()`` returned since the last
    /// call need not stay resident in this process, so that a long scan keeps a flat resident
    /// set instead of one that grows with the database.
    ///
    /// Buffers already returned stay valid: LMDB's map is a read-only shared mapping of the data
    /// file (one contiguous mapping for the transaction's life), so the pages stay in the page
    /// cache and are faulted back in, unchanged, when touched again. In a write transaction
    /// values may live in LMDB's private dirty pages, so nothing is released there. The
    /// corresponding C call is `madvise` with `MADV_DONTNEED`.
    ///
    /// - Throws: ``LMDBError`` when the kernel refuses the advice.
    public mutating func releaseResidentPages() throws {
        guard writeState == nil, spanStart < spanEnd else { return }
        let page = LMDBCalls.memoryPageSize
        let start = spanStart & ~(page - 1)
        let end = (spanEnd + page - 1) & ~(page - 1)
        spanStart = .max
        spanEnd = 0
        try check(LMDBCalls.adviseNotNeeded(start, end - start), "releasing the resident pages of a scan of \(database)")
    }
    /// Moves to the previous pair; `nil` before the start.
    public mutating func previous() throws -> Entry? { try move(.previous) }
    /// The pair at the cursor.
    public func current() throws -> Entry? {
        let (rc, k, v) = LMDBCalls.cursorGet(cursor, .current, key: nil)
        if rc == LMDBCalls.notFound { return nil }
        try check(rc, "reading the pair at a cursor on \(database)")
        return (k, v)
    }

    /// Moves to `key` exactly; `nil` when it is not stored.
    public mutating func seek(exactly key: UnsafeRawBufferPointer) throws -> Entry? { try move(.setKey, key: key) }
    /// Moves to the first key greater than or equal to `key`; `nil` when there is none.
    public mutating func seek(atOrAfter key: UnsafeRawBufferPointer) throws -> Entry? { try move(.setRange, key: key) }

    /// Moves to the first big-endian `UInt64` key greater than or equal to `key`.
    public mutating func seek(atOrAfter key: UInt64) throws -> Entry? {
        try withUnsafeBytes(of: key.bigEndian) { try move(.setRange, key: $0) }
    }

    /// Moves to the last key less than or equal to `key`; `nil` when there is none.
    public mutating func seek(atOrBefore key: UnsafeRawBufferPointer) throws -> Entry? {
        if let found = try move(.setRange, key: key) {
            if found.key.elementsEqual(key) { return found }
            return try move(.previous)
        }
        return try move(.last)
    }

    /// Writes `value` under `key` through the cursor (`mdb_cursor_put`). Write transactions only.
    public mutating func put(key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, flags: LMDBPutFlags = []) throws {
        let rc = LMDBCalls.cursorPut(cursor, key, value, flags.rawValue)
        writeState?.record(rc)
        try check(rc, "writing through a cursor on \(database)")
    }

    /// Reserves `count` bytes under `key` and lets `body` fill them in place (`MDB_RESERVE`).
    ///
    /// With ``LMDBPutFlags/append`` this is the fastest way to add to a log: no search, full pages,
    /// and the value is encoded straight into the map. Write transactions only.
    @inline(__always)
    public mutating func reserve<R>(
        key: UnsafeRawBufferPointer,
        count: Int,
        flags: LMDBPutFlags = [],
        _ body: (UnsafeMutableRawBufferPointer) throws -> R
    ) throws -> R {
        let (rc, space) = LMDBCalls.cursorReserve(cursor, key, count: count, flags.rawValue)
        writeState?.record(rc)
        try check(rc, "reserving \(count) bytes through a cursor on \(database)")
        guard let space else { throw LMDBError(code: .badValueSize, message: "reserving \(count) bytes in \(database)") }
        return try body(space)
    }

    /// Deletes the pair at the cursor. Write transactions only.
    public mutating func deleteCurrent() throws {
        let rc = LMDBCalls.cursorDelete(cursor)
        writeState?.record(rc)
        try check(rc, "deleting through a cursor on \(database)")
    }
}
