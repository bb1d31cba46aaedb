import Foundation
import LMDBKit

/// The identity of a ledger recorded in `meta`: created once, checked at every open.
struct LedgerMetadata {
    let ledgerID: UUID
    let createdAt: Timestamp

    /// Reads the ledger's identity, creating it for a brand-new ledger.
    ///
    /// - Throws: ``LedgerError/Code/notALedger`` when events exist without a format version;
    ///   ``LedgerError/Code/unsupportedFormatVersion`` when the format is newer than this library.
    static func loadOrCreate(_ store: LedgerStore, readOnly: Bool, clock: any LedgerClock) throws -> LedgerMetadata {
        // A damaged ledger refuses writes; it still opens for reading what is intact.
        if readOnly || !store.environment.pageFaults.isEmpty {
            return try store.environment.read { txn in
                guard let found = try load(txn, store) else {
                    throw LedgerError(.notALedger, "'\(store.environment.path)' has no ledger metadata")
                }
                return found
            }
        }
        return try store.environment.write { txn in
            if let found = try load(txn.reader, store) { return found }
            guard try txn.entryCount(store.events) == 0 else {
                throw LedgerError(.notALedger, "'\(store.environment.path)' holds events but no ledger format version")
            }
            let created = LedgerMetadata(ledgerID: UUID(), createdAt: clock.now())
            try put(txn, store, MetaKey.formatVersion, withUnsafeBytes(of: MetaKey.currentFormatVersion.bigEndian) { Array($0) })
            try Self.store(created, txn, store)
            return created
        }
    }

    /// Writes the ledger's id and creation time.
    static func store(_ identity: LedgerMetadata, _ txn: LMDBWriteTransaction, _ store: LedgerStore) throws {
        try put(txn, store, MetaKey.ledgerID, withUnsafeBytes(of: identity.ledgerID.uuid) { Array($0) })
        try put(txn, store, MetaKey.createdAt, withUnsafeBytes(of: UInt64(bitPattern: identity.createdAt.microsecondsSinceEpoch).bigEndian) { Array($0) })
    }

    private static func load(_ txn: LMDBReadTransaction, _ store: LedgerStore) throws -> LedgerMetadata? {
        guard let version = try get(txn, store, MetaKey.formatVersion) else { return nil }
        guard version.count == 4, let number = version.withUnsafeBytes({ LedgerKeys.uint32($0) }) else {
            throw LedgerError(.notALedger, "'\(store.environment.path)' has a damaged format version")
        }
        guard number <= MetaKey.currentFormatVersion else {
            throw LedgerError(.unsupportedFormatVersion, "'\(store.environment.path)' was written in ledger format \(number); this library reads formats up to \(MetaKey.currentFormatVersion)")
        }
        guard let idBytes = try get(txn, store, MetaKey.ledgerID), idBytes.count == 16,
              let createdBytes = try get(txn, store, MetaKey.createdAt), createdBytes.count == 8 else {
            throw LedgerError(.notALedger, "'\(store.environment.path)' has damaged ledger metadata (id or creation time)")
        }
        var raw: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &raw) { $0.copyBytes(from: idBytes) }
        let micros = Int64(bitPattern: createdBytes.withUnsafeBytes { LedgerKeys.uint64($0) } ?? 0)
        return LedgerMetadata(ledgerID: UUID(uuid: raw), createdAt: Timestamp(microsecondsSinceEpoch: micros))
    }

    private static func get(_ txn: LMDBReadTransaction, _ store: LedgerStore, _ key: String) throws -> [UInt8]? {
        try Array(key.utf8).withUnsafeBytes { try txn.get(store.meta, key: $0) }.map { Array($0) }
    }

    private static func put(_ txn: LMDBWriteTransaction, _ store: LedgerStore, _ key: String, _ value: [UInt8]) throws {
        try Array(key.utf8).withUnsafeBytes { k in try value.withUnsafeBytes { try txn.put(store.meta, key: k, value: $0) } }
    }
}
