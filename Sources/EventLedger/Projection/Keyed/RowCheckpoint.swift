import LMDBKit

/// The checkpoint of a ``PersistentProjection`` and where its rows are kept, in the
/// `checkpoints` database (README, Storage layout).
///
/// | key | value |
/// |---|---|
/// | name | format 2 (1 byte), version (UInt32 LE), position (UInt64 LE), generation (UInt32 LE) |
/// | name, NUL, `rebuild` | the same, for a rebuild under way |
/// | name, NUL, 0x01, generation (UInt32 BE), row key | the row (``ProjectionRow`` encoding) |
///
/// A rebuild writes its rows under a new generation, so the rows in use are never touched until
/// the finished rebuild replaces the main checkpoint and the old generation's rows are deleted,
/// all in one transaction.
struct RowCheckpoint: Equatable {
    static let format: UInt8 = 2
    static let size = 17

    var version: UInt32
    var position: UInt64
    var generation: UInt32

    /// What a checkpoint key holds.
    enum Stored: Equatable {
        case none
        /// A checkpoint of another kind (a ``CheckpointedProjection``'s whole state) under this name.
        case otherKind
        case keyed(RowCheckpoint)
    }

    static func mainKey(_ name: String) -> [UInt8] { Array(name.utf8) }
    static func asideKey(_ name: String) -> [UInt8] { Array(name.utf8) + [0] + Array("rebuild".utf8) }

    static func rowPrefix(_ name: String, generation: UInt32) -> [UInt8] {
        var key = Array(name.utf8)
        key.reserveCapacity(key.count + 6 + RowKey.maximumLength)
        key += [0, 1]
        withUnsafeBytes(of: generation.bigEndian) { key.append(contentsOf: $0) }
        return key
    }

    static func rowKey(_ prefix: [UInt8], _ key: RowKey) -> [UInt8] {
        var bytes = prefix
        for i in 0..<key.count { bytes.append(key[i]) }
        return bytes
    }

    var bytes: [UInt8] {
        var out = [Self.format]
        out.reserveCapacity(Self.size)
        withUnsafeBytes(of: version.littleEndian) { out.append(contentsOf: $0) }
        withUnsafeBytes(of: position.littleEndian) { out.append(contentsOf: $0) }
        withUnsafeBytes(of: generation.littleEndian) { out.append(contentsOf: $0) }
        return out
    }

    static func parse(_ raw: UnsafeRawBufferPointer?, name: String) throws -> Stored {
        guard let raw else { return .none }
        guard let format = raw.first else {
            throw LedgerError(.corruptRecord, "the checkpoint of projection '\(name)' is empty")
        }
        if format == CheckpointRecord.format { return .otherKind }
        guard format == Self.format, raw.count == Self.size else {
            throw LedgerError(.corruptRecord, "the checkpoint of projection '\(name)' is damaged or of an unknown format (\(raw.count) bytes, format \(format))")
        }
        return .keyed(RowCheckpoint(
            version: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 1, as: UInt32.self)),
            position: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 5, as: UInt64.self)),
            generation: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 13, as: UInt32.self))))
    }

    static func load(_ key: [UInt8], name: String, txn: LMDBReadTransaction, store: LedgerStore) throws -> Stored {
        try parse(try key.withUnsafeBytes { try txn.get(store.checkpoints, key: $0) }, name: name)
    }

    func store(_ key: [UInt8], txn: LMDBWriteTransaction, store: LedgerStore) throws {
        try key.withUnsafeBytes { k in try bytes.withUnsafeBytes { v in try txn.put(store.checkpoints, key: k, value: v) } }
    }

    /// Deletes every row of `generation`.
    static func deleteRows(_ name: String, generation: UInt32, txn: LMDBWriteTransaction, store: LedgerStore) throws -> Int {
        let prefix = rowPrefix(name, generation: generation)
        var deleted = 0
        try txn.withCursor(store.checkpoints) { cursor in
            // Seek again after each delete: the cursor's place after a delete is LMDB's detail.
            while let entry = try prefix.withUnsafeBytes({ try cursor.seek(atOrAfter: $0) }), entry.key.starts(with: prefix) {
                try cursor.deleteCurrent()
                deleted += 1
            }
        }
        return deleted
    }
}
