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
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var env: OpaquePointer?
        try check(mdb_env_create(&env), "mdb_env_create")
        defer { mdb_env_close(env) }
        try check(mdb_env_set_maxdbs(env, 32), "mdb_env_set_maxdbs")
        try check(mdb_env_set_mapsize(env, 1 << 38), "mdb_env_set_mapsize")
        try check(mdb_env_open(env, directory.path, UInt32(MDB_NOTLS), 0o600), "mdb_env_open")
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
}
