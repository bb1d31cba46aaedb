import LMDBKit
import Synchronization

/// The mapping between type names and the small tags stored in each record, shared by all reads
/// and the writer of one ledger.
///
/// Tags are handed out inside the write transaction that first stores a type and are recorded in
/// `meta`, so every process sees the same mapping; a tag this process has not seen yet is looked up
/// in `meta` on first use.
final class TypeTagTable: Sendable {
    struct Snapshot: Sendable {
        /// Type names indexed by tag (index 0 unused).
        var names: [String?] = [nil]
        var tags: [String: UInt32] = [:]

        @inline(__always)
        func name(of tag: UInt32) -> String? {
            Int(tag) < names.count ? names[Int(tag)] : nil
        }

        mutating func add(name: String, tag: UInt32) {
            while names.count <= Int(tag) { names.append(nil) }
            names[Int(tag)] = name
            tags[name] = tag
        }
    }

    private let table = Mutex(Snapshot())

    /// The current mapping.
    var snapshot: Snapshot { table.withLock { $0 } }

    func learn(_ entries: [(String, UInt32)]) {
        guard !entries.isEmpty else { return }
        table.withLock { snapshot in
            for (name, tag) in entries { snapshot.add(name: name, tag: tag) }
        }
    }

    /// Loads every tag recorded in `meta`.
    func loadAll(_ txn: LMDBReadTransaction, meta: LMDBDatabase) throws {
        var found: [(String, UInt32)] = []
        let prefix = Array(MetaKey.tagPrefix.utf8)
        try txn.withCursor(meta) { cursor in
            var entry = try prefix.withUnsafeBytes { try cursor.seek(atOrAfter: $0) }
            while let (key, value) = entry, key.starts(with: prefix) {
                if key.count == prefix.count + 4, let tag = LedgerKeys.uint32(key, at: prefix.count),
                   let name = String(validating: value, as: UTF8.self) {
                    found.append((name, tag))
                }
                entry = try cursor.next()
            }
        }
        learn(found)
    }

    /// The name of `tag`, looking in `meta` through `txn` when this process has not seen it yet.
    func name(of tag: UInt32, in txn: LMDBReadTransaction, meta: LMDBDatabase) throws -> String? {
        if let name = snapshot.name(of: tag) { return name }
        guard let value = try MetaKey.tagKey(tag).withUnsafeBytes({ try txn.get(meta, key: $0) }),
              let name = String(validating: value, as: UTF8.self) else { return nil }
        learn([(name, tag)])
        return name
    }
}
