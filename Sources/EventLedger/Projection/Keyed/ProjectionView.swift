import LMDBKit

/// One consistent snapshot of a ``PersistentProjection``'s stored rows, for the duration of a
/// ``PersistentProjection/read(_:)`` closure: every row read through it reflects the same
/// position.
public struct ProjectionView<P: KeyedProjection> {
    let txn: LMDBReadTransaction
    let store: LedgerStore
    let name: String
    let checkpoint: RowCheckpoint?
    /// The position the rows reflect (0 when none of this version are stored yet).
    public var position: UInt64 { checkpoint?.position ?? 0 }
    /// The log's head position in this snapshot.
    public let headPosition: UInt64

    init(txn: LMDBReadTransaction, store: LedgerStore, name: String, checkpoint: RowCheckpoint?, headPosition: UInt64) {
        self.txn = txn
        self.store = store
        self.name = name
        self.checkpoint = checkpoint
        self.headPosition = headPosition
    }

    /// Whether rows of this version are stored and reflect the head of this snapshot.
    public var isCurrent: Bool { checkpoint.map { $0.position >= headPosition } ?? false }

    /// The row under `key`, or nil.
    ///
    /// - Throws: ``LedgerError/Code/invalidRequest`` for an overflowed key;
    ///   ``LedgerError/Code/corruptRecord`` for a row that cannot be decoded.
    public func row(_ key: RowKey) throws -> P.Row? {
        guard !key.overflowed else {
            throw LedgerError(.invalidRequest, "a row key of projection '\(name)' is longer than \(RowKey.maximumLength) bytes")
        }
        guard let checkpoint else { return nil }
        return try PersistentProjection<P>.loadRow(key, prefix: RowCheckpoint.rowPrefix(name, generation: checkpoint.generation),
                                                   name: name, txn: txn, store: store)
    }

    /// Calls `body` with every row whose key starts with `prefix`, in key order, until it
    /// returns false. Returns how many rows it was called with.
    @discardableResult
    public func forEachRow(prefix: RowKey = RowKey(), _ body: (RowKey, P.Row) throws -> Bool) throws -> Int {
        guard let checkpoint else { return 0 }
        let base = RowCheckpoint.rowPrefix(name, generation: checkpoint.generation)
        let start = RowCheckpoint.rowKey(base, prefix)
        var seen = 0
        try txn.withCursor(store.checkpoints) { cursor in
            var entry = try start.withUnsafeBytes { try cursor.seek(atOrAfter: $0) }
            while let current = entry, current.key.starts(with: start) {
                let key = RowKey(bytes: current.key[base.count...])
                guard !key.overflowed else {
                    throw LedgerError(.corruptRecord, "projection '\(name)' holds a row key of \(current.key.count - base.count) bytes")
                }
                seen += 1
                guard try body(key, try PersistentProjection<P>.decodeRow(current.value, key: key, name: name)) else { return }
                entry = try cursor.next()
            }
        }
        return seen
    }

    /// The rows whose keys start with `prefix`, in key order, at most `limit`.
    public func rows(prefix: RowKey = RowKey(), limit: Int = .max) throws -> [(key: RowKey, row: P.Row)] {
        var result: [(key: RowKey, row: P.Row)] = []
        guard limit > 0 else { return result }
        try forEachRow(prefix: prefix) { key, row in
            result.append((key, row))
            return result.count < limit
        }
        return result
    }
}
