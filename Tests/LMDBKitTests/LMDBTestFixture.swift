import Foundation
import LMDBKit
import Testing

/// A fresh directory under the system's temporary directory, one per test.
///
/// Call ``remove()`` in a `defer` right after creating it.
struct TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("lmdbkit-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    var path: String { url.path }

    /// A path inside the directory (not created).
    func child(_ name: String) -> String { url.appendingPathComponent(name).path }

    func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}

/// Options for tests that commit many transactions: no fsync per commit.
func fastOptions() -> LMDBEnvironmentOptions {
    var options = LMDBEnvironmentOptions()
    options.durability = .noSync
    return options
}

/// The permission bits of the file at `path`.
func posixPermissions(_ path: String) throws -> Int? {
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    return (attributes[.posixPermissions] as? NSNumber)?.intValue
}

/// A deterministic value of `count` bytes for `key`, so a read-back can be checked exactly.
func sampleValue(for key: UInt64, count: Int) -> [UInt8] {
    var bytes = [UInt8](repeating: 0, count: count)
    var state = key &* 0x9E37_79B9_7F4A_7C15 &+ 1
    for index in bytes.indices {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        bytes[index] = UInt8(truncatingIfNeeded: state)
    }
    return bytes
}

/// The big-endian `UInt64` in an 8-byte key, or `nil` when the key has another size.
func decodeKey(_ buffer: UnsafeRawBufferPointer) -> UInt64? {
    guard buffer.count == 8 else { return nil }
    return UInt64(bigEndian: buffer.loadUnaligned(as: UInt64.self))
}

/// A copied key/value pair.
struct StoredEntry: Equatable {
    let key: [UInt8]
    let value: [UInt8]
}

/// Every pair of `database`, in key order, copied out of the map.
func allEntries(_ environment: LMDBEnvironment, _ database: LMDBDatabase) throws -> [StoredEntry] {
    try environment.read { txn in
        try txn.withCursor(database) { cursor in
            var entries: [StoredEntry] = []
            var entry = try cursor.first()
            while let found = entry {
                entries.append(StoredEntry(key: Array(found.key), value: Array(found.value)))
                entry = try cursor.next()
            }
            return entries
        }
    }
}

/// Expects `body` to throw an ``LMDBError`` with `code`, and returns it.
@discardableResult
func expectLMDBError<R>(
    _ code: LMDBError.Code,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws -> R
) -> LMDBError? {
    let error = #expect(throws: LMDBError.self, sourceLocation: sourceLocation) { _ = try body() }
    #expect(error?.code == code, "unexpected error: \(String(describing: error))", sourceLocation: sourceLocation)
    return error
}

extension LMDBWriteTransaction {
    func put(_ database: LMDBDatabase, key: UInt64, value: [UInt8], flags: LMDBPutFlags = []) throws {
        try withUnsafeBytes(of: key.bigEndian) { keyBytes in
            try value.withUnsafeBytes { valueBytes in
                try put(database, key: keyBytes, value: valueBytes, flags: flags)
            }
        }
    }

    @discardableResult
    func delete(_ database: LMDBDatabase, key: UInt64) throws -> Bool {
        try withUnsafeBytes(of: key.bigEndian) { try delete(database, key: $0) }
    }

    func value(_ database: LMDBDatabase, key: UInt64) throws -> [UInt8]? {
        try reader.value(database, key: key)
    }
}

extension LMDBReadTransaction {
    func value(_ database: LMDBDatabase, key: UInt64) throws -> [UInt8]? {
        try get(database, key: key).map { Array($0) }
    }
}

extension LMDBCursor {
    mutating func put(key: UInt64, value: [UInt8], flags: LMDBPutFlags = []) throws {
        try withUnsafeBytes(of: key.bigEndian) { keyBytes in
            try value.withUnsafeBytes { valueBytes in
                try put(key: keyBytes, value: valueBytes, flags: flags)
            }
        }
    }
}
