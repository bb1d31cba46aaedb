import LMDBKit

/// Walks the events a query selects, one ``EventRecord`` at a time, straight from the map.
///
/// Obtained from ``LedgerReader/withEvents(_:_:)`` and valid only inside that closure.
///
/// ```swift
/// try ledger.read { reader in
///     try reader.withEvents(.stream("mentorship/42")) { cursor in
///         while let record = try cursor.next() { print(record.position) }
///     }
/// }
/// ```
public struct EventCursor {
    enum Mode {
        case log
        case stream(key: UInt64)
        case type(tag: UInt32)
        case empty
    }

    private var index: LMDBCursor
    private let txn: LMDBReadTransaction
    private let events: LMDBDatabase
    private let mode: Mode
    private let direction: ReadDirection
    private let start: UInt64?
    /// The last position the query may return.
    private let limit: UInt64
    private var started = false
    private var done = false
    /// The position of the record returned last, for errors met after it.
    private var lastReturned: UInt64?
    /// A scan of the log releases the map's resident pages once the records it read since the
    /// last release span this many bytes of the map (``LedgerOptions/scanResidentLimit``; 0: never).
    private let residentLimit: Int

    init(index: LMDBCursor, txn: LMDBReadTransaction, events: LMDBDatabase, mode: Mode, direction: ReadDirection, start: UInt64?, limit: UInt64,
         residentLimit: Int) {
        self.index = index
        self.residentLimit = residentLimit
        self.txn = txn
        self.events = events
        self.mode = mode
        self.direction = direction
        self.start = start
        self.limit = limit
        if case .empty = mode { done = true }
        if limit == 0 { done = true }
    }

    /// The next record, or `nil` when the query has no more.
    ///
    /// A scan of the log keeps a bounded resident set: once the records it read span
    /// ``LedgerOptions/scanResidentLimit`` bytes of the map, it tells the kernel that those pages
    /// need not stay resident
    /// (``LMDBKit/LMDBCursor/releaseResidentPages()``). They stay in the page cache, and
    /// records already returned stay valid.
    ///
    /// - Throws: ``LedgerError/Code/corruptRecord`` naming the position when a record or an index
    ///   entry is damaged; ``LedgerError/Code/storage`` when LMDB fails.
    public mutating func next() throws -> EventRecord? {
        let record = try nextRecord()
        if let record { lastReturned = record.position }
        return record
    }

    /// The position a damaged entry of the log met now holds: the one after (or, reading
    /// backward, before) the record returned last, the log being gapless. `nil` for a read
    /// through an index, whose next position is not known.
    private var positionAhead: UInt64? {
        guard case .log = mode else { return nil }
        guard let lastReturned else { return direction == .forward ? (start ?? 1) : nil }
        return direction == .forward ? lastReturned &+ 1 : lastReturned &- 1
    }

    private mutating func nextRecord() throws -> EventRecord? {
        while !done {
            let found: (key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer)?
            do {
                found = try step()
            } catch let error as LMDBError {
                let place = lastReturned.map { "after position \($0)" } ?? "at the start"
                let damage = error.pageFault.map(PageDamage.describe) ?? "LMDB reports damage (\(error.lmdbText))"
                throw LedgerError(.corruptRecord, "reading \(index.database) \(place): \(damage)", position: positionAhead, storageError: error)
            }
            guard let entry = found else {
                done = true
                return nil
            }
            switch mode {
            case .log:
                guard let position = LedgerKeys.uint64(entry.key), entry.key.count == 8 else {
                    throw LedgerError(.corruptRecord, "the events database holds a key of \(entry.key.count) bytes", position: positionAhead)
                }
                if position > limit {
                    if direction == .forward { done = true; return nil }
                    continue
                }
                // A scan of the whole log would otherwise keep every page it touched resident:
                // memory that grows with the log, not with what the caller keeps. Releasing is
                // advice to the kernel (records already returned stay valid); a refusal changes
                // nothing but the resident set, so it does not stop the scan.
                if residentLimit > 0, index.residentSpan >= residentLimit { try? index.releaseResidentPages() }
                return try EventRecord(validating: entry.value, at: position)
            case .stream, .type:
                guard let position = LedgerKeys.uint64(entry.value), entry.value.count == 8 else {
                    throw LedgerError(.corruptRecord, "an index entry of \(index.database) holds a value of \(entry.value.count) bytes, not a position", position: positionAhead)
                }
                if position > limit {
                    if direction == .forward { done = true; return nil }
                    continue
                }
                guard let bytes = try LedgerKeys.withPositionKey(position, { try txn.get(events, key: $0) }) else {
                    throw LedgerError(.corruptRecord, "\(index.database) points at position \(position), which is not in the log", position: position)
                }
                return try EventRecord(validating: bytes, at: position)
            case .empty:
                done = true
            }
        }
        return nil
    }

    /// Moves the index cursor one entry in the query's direction, staying within the stream or type.
    private mutating func step() throws -> (key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer)? {
        let entry: LMDBCursor.Entry?
        if !started {
            started = true
            entry = try seekStart()
        } else {
            entry = direction == .forward ? try index.next() : try index.previous()
        }
        guard let entry else { return nil }
        switch mode {
        case .log, .empty:
            return entry
        case .stream(let key):
            guard entry.key.count == 16, LedgerKeys.uint64(entry.key) == key else { return nil }
            return entry
        case .type(let tag):
            // Type entries carry no value: the position is the key's last 8 bytes.
            guard entry.key.count == 12, LedgerKeys.uint32(entry.key) == tag else { return nil }
            return (entry.key, UnsafeRawBufferPointer(rebasing: entry.key[4..<12]))
        }
    }

    private mutating func seekStart() throws -> LMDBCursor.Entry? {
        switch (mode, direction) {
        case (.log, .forward):
            return try index.seek(atOrAfter: start ?? 1)
        case (.log, .backward):
            let from = min(start ?? .max, limit)
            return try withUnsafeBytes(of: from.bigEndian) { try index.seek(atOrBefore: $0) }
        case (.stream(let key), .forward):
            return try LedgerKeys.withStreamRevisionKey(key, start ?? 0) { try index.seek(atOrAfter: $0) }
        case (.stream(let key), .backward):
            return try LedgerKeys.withStreamRevisionKey(key, start ?? .max) { try index.seek(atOrBefore: $0) }
        case (.type(let tag), .forward):
            return try LedgerKeys.withTypeKey(tag, start ?? 0) { try index.seek(atOrAfter: $0) }
        case (.type(let tag), .backward):
            return try LedgerKeys.withTypeKey(tag, min(start ?? .max, limit)) { try index.seek(atOrBefore: $0) }
        case (.empty, _):
            return nil
        }
    }
}
