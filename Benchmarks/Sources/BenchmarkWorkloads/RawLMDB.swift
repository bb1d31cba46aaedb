import CRawLMDB
public import Foundation

/// The physical limit: the same data read and written through LMDB's C API with nothing on top.
public enum RawLMDB {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    private static func check(_ rc: Int32, _ what: String) throws {
        guard rc == 0 else { throw Failure(description: "\(what): \(String(cString: mdb_strerror(rc)))") }
    }

    /// Opens the environment in `directory` read-only and runs `body` with a cursor over its
    /// `events` database.
    private static func withEventsCursor<R>(_ directory: URL, _ body: (OpaquePointer?) throws -> R) throws -> R {
        var env: OpaquePointer?
        try check(mdb_env_create(&env), "mdb_env_create")
        defer { mdb_env_close(env) }
        try check(mdb_env_set_maxdbs(env, 32), "mdb_env_set_maxdbs")
        try check(mdb_env_set_mapsize(env, 1 << 40), "mdb_env_set_mapsize")
        try check(mdb_env_open(env, directory.path, UInt32(MDB_RDONLY | MDB_NOTLS), 0o600), "mdb_env_open")
        var txn: OpaquePointer?
        try check(mdb_txn_begin(env, nil, UInt32(MDB_RDONLY), &txn), "mdb_txn_begin")
        defer { mdb_txn_abort(txn) }
        var dbi: MDB_dbi = 0
        try check(mdb_dbi_open(txn, "events", 0, &dbi), "mdb_dbi_open")
        var cursor: OpaquePointer?
        try check(mdb_cursor_open(txn, dbi, &cursor), "mdb_cursor_open")
        defer { mdb_cursor_close(cursor) }
        return try body(cursor)
    }

    /// Reads every value of the `events` database of the LMDB environment in `directory` with a
    /// cursor, touching each value's length and first byte. Returns (values, bytes).
    public static func scan(_ directory: URL) throws -> (count: Int, bytes: Int, checksum: UInt64) {
        try withEventsCursor(directory) { cursor in
            var key = MDB_val(), value = MDB_val()
            var count = 0, bytes = 0
            var checksum: UInt64 = 0
            var rc = mdb_cursor_get(cursor, &key, &value, MDB_FIRST)
            while rc == 0 {
                count += 1
                bytes += value.mv_size
                if let base = value.mv_data { checksum &+= UInt64(base.load(as: UInt8.self)) }
                rc = mdb_cursor_get(cursor, &key, &value, MDB_NEXT)
            }
            guard rc == MDB_NOTFOUND else { try check(rc, "mdb_cursor_get"); return (count, bytes, checksum) }
            return (count, bytes, checksum)
        }
    }

    /// Copies every value of `events` from `source` (keys as stored).
    public static func records(_ source: URL) throws -> [(key: [UInt8], value: [UInt8])] {
        try withEventsCursor(source) { cursor in
            var key = MDB_val(), value = MDB_val()
            var out: [(key: [UInt8], value: [UInt8])] = []
            while mdb_cursor_get(cursor, &key, &value, out.isEmpty ? MDB_FIRST : MDB_NEXT) == 0 {
                let k = Array(UnsafeRawBufferPointer(start: key.mv_data, count: key.mv_size))
                let v = Array(UnsafeRawBufferPointer(start: value.mv_data, count: value.mv_size))
                out.append((k, v))
            }
            return out
        }
    }

    /// Writes `records` into a fresh environment in `directory` with `MDB_APPEND`, `perCommit`
    /// records per durable (fsync) commit. Returns the number written.
    public static func appendLoop(_ records: [(key: [UInt8], value: [UInt8])], into directory: URL, perCommit: Int) throws -> Int {
        try withNewEnvironment(directory) { env in try appendLoop(records, env: env, perCommit: perCommit) }
    }

    /// Creates `directory` and runs `body` with a new writable environment in it.
    private static func withNewEnvironment<R>(_ directory: URL, _ body: (OpaquePointer?) throws -> R) throws -> R {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var env: OpaquePointer?
        try check(mdb_env_create(&env), "mdb_env_create")
        defer { mdb_env_close(env) }
        try check(mdb_env_set_maxdbs(env, 32), "mdb_env_set_maxdbs")
        try check(mdb_env_set_mapsize(env, 1 << 38), "mdb_env_set_mapsize")
        try check(mdb_env_open(env, directory.path, UInt32(MDB_NOTLS), 0o600), "mdb_env_open")
        return try body(env)
    }

    private static func appendLoop(_ records: [(key: [UInt8], value: [UInt8])], env: OpaquePointer?, perCommit: Int) throws -> Int {
        var written = 0
        while written < records.count {
            var txn: OpaquePointer?
            try check(mdb_txn_begin(env, nil, 0, &txn), "mdb_txn_begin")
            var dbi: MDB_dbi = 0
            try check(mdb_dbi_open(txn, "events", UInt32(MDB_CREATE), &dbi), "mdb_dbi_open")
            let end = min(records.count, written + perCommit)
            for index in written..<end {
                var rc: Int32 = 0
                records[index].key.withUnsafeBytes { k in
                    records[index].value.withUnsafeBytes { v in
                        var key = MDB_val(mv_size: k.count, mv_data: UnsafeMutableRawPointer(mutating: k.baseAddress))
                        var value = MDB_val(mv_size: v.count, mv_data: UnsafeMutableRawPointer(mutating: v.baseAddress))
                        rc = mdb_put(txn, dbi, &key, &value, UInt32(MDB_APPEND))
                    }
                }
                if rc != 0 { mdb_txn_abort(txn); try check(rc, "mdb_put") }
            }
            try check(mdb_txn_commit(txn), "mdb_txn_commit")
            written = end
        }
        return written
    }

    /// The storage bound of the ledger's layout: the same records written through the C API into
    /// the same five databases with the same keys (DESIGN section 2) — `events` with `MDB_APPEND`,
    /// `streams`, `types` and `event-ids` (`MDB_NOOVERWRITE`) with plain puts, `stream-keys` for
    /// each new stream and `stream-names` once per stream and commit — `perCommit` records per
    /// durable commit, with no envelope encoding, no hash chain and no checks. The names are
    /// synthetic (`mentorship/` and 36 digits of the stream key, as long as a UUID).
    ///
    /// `skipping` leaves out some of the secondary databases ("streams", "types", "event-ids",
    /// "stream-names"), to measure what each one costs.
    public static func indexedAppendLoop(_ records: [(key: [UInt8], value: [UInt8])], into directory: URL, perCommit: Int, skipping: Set<String> = []) throws -> Int {
        let streams = !skipping.contains("streams"), types = !skipping.contains("types")
        let ids = !skipping.contains("event-ids"), names = !skipping.contains("stream-names")
        return try withNewEnvironment(directory) { env in
            try indexedAppendLoop(records, env: env, perCommit: perCommit, streams: streams, types: types, ids: ids, names: names)
        }
    }

    private static func indexedAppendLoop(_ records: [(key: [UInt8], value: [UInt8])], env: OpaquePointer?, perCommit: Int,
                                          streams: Bool, types: Bool, ids: Bool, names: Bool) throws -> Int {
        func put(_ txn: OpaquePointer?, _ dbi: MDB_dbi, _ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer, _ flags: Int32) throws {
            var k = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
            var v = MDB_val(mv_size: value.count, mv_data: UnsafeMutableRawPointer(mutating: value.baseAddress))
            try check(mdb_put(txn, dbi, &k, &v, UInt32(flags)), "mdb_put")
        }
        func name(_ stream: UInt64) -> [UInt8] {
            let digits = String(stream)
            return Array(("mentorship/" + String(repeating: "0", count: max(0, 36 - digits.count)) + digits).utf8)
        }
        var known = Set<UInt64>()
        var written = 0
        while written < records.count {
            var txn: OpaquePointer?
            try check(mdb_txn_begin(env, nil, 0, &txn), "mdb_txn_begin")
            var dbi = [MDB_dbi](repeating: 0, count: 6)
            for (index, table) in ["events", "streams", "types", "event-ids", "stream-keys", "stream-names"].enumerated() {
                try check(mdb_dbi_open(txn, table, UInt32(MDB_CREATE), &dbi[index]), "mdb_dbi_open \(table)")
            }
            let end = min(records.count, written + perCommit)
            var revisions: [UInt64: UInt64] = [:]
            do {
                for index in written..<end {
                    try records[index].key.withUnsafeBytes { position in
                        try records[index].value.withUnsafeBytes { record in
                            try put(txn, dbi[0], position, record, MDB_APPEND)
                            let stream = UInt64(littleEndian: record.loadUnaligned(fromByteOffset: PeerLayout.streamKey, as: UInt64.self))
                            let revision = UInt64(littleEndian: record.loadUnaligned(fromByteOffset: PeerLayout.revision, as: UInt64.self))
                            let tag = UInt32(littleEndian: record.loadUnaligned(fromByteOffset: PeerLayout.typeTag, as: UInt32.self))
                            if streams { try withUnsafeBytes(of: (stream.bigEndian, revision.bigEndian)) { try put(txn, dbi[1], $0, position, 0) } }
                            var typeKey = [UInt8](repeating: 0, count: 12)
                            typeKey.withUnsafeMutableBytes {
                                $0.storeBytes(of: tag.bigEndian, toByteOffset: 0, as: UInt32.self)
                                $0.storeBytes(of: UInt64(bigEndian: position.loadUnaligned(as: UInt64.self)).bigEndian, toByteOffset: 4, as: UInt64.self)
                            }
                            if types { try typeKey.withUnsafeBytes { try put(txn, dbi[2], $0, UnsafeRawBufferPointer(start: nil, count: 0), 0) } }
                            if ids { try put(txn, dbi[3], UnsafeRawBufferPointer(rebasing: record[PeerLayout.id..<PeerLayout.id + 16]), position, MDB_NOOVERWRITE) }
                            if known.insert(stream).inserted {
                                try withUnsafeBytes(of: stream.bigEndian) { key in try name(stream).withUnsafeBytes { try put(txn, dbi[4], key, $0, 0) } }
                            }
                            revisions[stream] = revision
                        }
                    }
                }
                for (stream, revision) in revisions where names {
                    try withUnsafeBytes(of: (stream.bigEndian, revision.bigEndian)) { value in
                        try name(stream).withUnsafeBytes { try put(txn, dbi[5], $0, value, 0) }
                    }
                }
            } catch {
                mdb_txn_abort(txn)
                throw error
            }
            try check(mdb_txn_commit(txn), "mdb_txn_commit")
            written = end
        }
        return written
    }
}
