import Foundation
import LMDBKit
import Testing

@Suite struct LMDBCursorTests {
    /// Keys whose little-endian byte order differs from their numeric order.
    static let keys: [UInt64] = [1, 2, 256, 65536]

    /// Opens an environment with `keys` inserted out of order, each valued by its key's decimal text.
    func withSampleEnvironment(_ body: (LMDBEnvironment, LMDBDatabase) throws -> Void) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let environment = try LMDBEnvironment(path: dir.path, databases: ["items"])
        defer { environment.close() }
        let items = try environment.database("items")
        try environment.write { txn throws in
            for key in [UInt64(256), 1, 65536, 2] { try txn.put(items, key: key, value: Array(String(key).utf8)) }
        }
        try body(environment, items)
    }

    /// The decoded key of an entry, checking that its value matches.
    func key(_ entry: LMDBCursor.Entry?, sourceLocation: SourceLocation = #_sourceLocation) -> UInt64? {
        guard let entry else { return nil }
        let key = decodeKey(entry.key)
        #expect(key.map { Array(String($0).utf8) } == Array(entry.value), sourceLocation: sourceLocation)
        return key
    }

    @Test func forwardAndBackwardIterationFollowsNumericOrder() throws {
        try withSampleEnvironment { environment, items throws in
            try environment.read { txn throws in
                try txn.withCursor(items) { cursor throws in
                    #expect(cursor.database == items)
                    var forward: [UInt64] = []
                    var entry = try cursor.first()
                    while let found = entry {
                        forward.append(try #require(key(found)))
                        entry = try cursor.next()
                    }
                    #expect(forward == Self.keys)
                    #expect(try cursor.next() == nil)

                    var backward: [UInt64] = []
                    entry = try cursor.last()
                    while let found = entry {
                        backward.append(try #require(key(found)))
                        entry = try cursor.previous()
                    }
                    #expect(backward == Self.keys.reversed())
                    #expect(try key(cursor.first()) == 1)
                    #expect(try cursor.previous() == nil)
                }
            }
        }
    }

    @Test func releasingResidentPagesKeepsReturnedValuesValidAndShrinksTheResidentSet() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let environment = try LMDBEnvironment(path: dir.path, options: fastOptions(), databases: ["items"])
        defer { environment.close() }
        let items = try environment.database("items")
        // 32 MiB of values, 64 KiB each, one byte repeated, so every page a scan reads is distinct.
        try environment.write { txn throws in
            for key in UInt64(0)..<512 { try txn.put(items, key: key, value: [UInt8](repeating: UInt8(key % 251), count: 64 << 10)) }
        }
        try environment.read { txn throws in
            try txn.withCursor(items) { cursor throws in
                var values: [UnsafeRawBufferPointer] = []
                var entry = try cursor.first()
                while entry != nil, let next = try cursor.next() { values.append(next.value); entry = next }
                #expect(values.count == 511)
                // Touch every page, so the scan's pages are resident.
                #expect(values.allSatisfy { $0.count == 64 << 10 && $0.allSatisfy { $0 != 255 } })
                let before = try residentKilobytes()
                try cursor.releaseResidentPages()
                let after = try residentKilobytes()
                #expect(after < before - 16_000, "resident set \(before) kB before, \(after) kB after")
                // Every returned byte reads back the same after the release.
                for (index, value) in values.enumerated() {
                    #expect(value.allSatisfy { $0 == UInt8((index + 1) % 251) }, "value \(index + 1)")
                }
                // Nothing new since the release: a second call has nothing to release.
                try cursor.releaseResidentPages()
            }
        }
        // In a write transaction values may be private dirty pages: nothing is released, no error.
        try environment.write { txn throws in
            try txn.withCursor(items) { cursor throws in
                _ = try cursor.first()
                _ = try cursor.next()
                try cursor.releaseResidentPages()
            }
        }
    }

    @Test func firstAndLastOfAnEmptyDatabaseAreNil() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let environment = try LMDBEnvironment(path: dir.path, databases: ["items"])
        defer { environment.close() }
        let items = try environment.database("items")
        try environment.read { txn throws in
            try txn.withCursor(items) { cursor throws in
                #expect(try cursor.first() == nil)
                #expect(try cursor.last() == nil)
                #expect(try cursor.seek(atOrAfter: UInt64(0)) == nil)
                try withUnsafeBytes(of: UInt64(5).bigEndian) { probe throws in
                    #expect(try cursor.seek(atOrBefore: probe) == nil)
                    #expect(try cursor.seek(exactly: probe) == nil)
                }
            }
        }
    }

    @Test func seekAtOrAfter() throws {
        try withSampleEnvironment { environment, items throws in
            try environment.read { txn throws in
                try txn.withCursor(items) { cursor throws in
                    #expect(try key(cursor.seek(atOrAfter: UInt64(0))) == 1)
                    #expect(try key(cursor.seek(atOrAfter: UInt64(1))) == 1)
                    #expect(try key(cursor.seek(atOrAfter: UInt64(3))) == 256)
                    #expect(try key(cursor.current()) == 256)
                    #expect(try key(cursor.next()) == 65536)
                    #expect(try key(cursor.seek(atOrAfter: UInt64(256))) == 256)
                    #expect(try key(cursor.seek(atOrAfter: UInt64(65536))) == 65536)
                    #expect(try cursor.seek(atOrAfter: UInt64(65537)) == nil)
                    #expect(try cursor.seek(atOrAfter: UInt64.max) == nil)
                    // The raw-buffer spelling agrees.
                    try withUnsafeBytes(of: UInt64(257).bigEndian) { probe throws in
                        #expect(try key(cursor.seek(atOrAfter: probe)) == 65536)
                    }
                }
            }
        }
    }

    @Test func seekExactly() throws {
        try withSampleEnvironment { environment, items throws in
            try environment.read { txn throws in
                try txn.withCursor(items) { cursor throws in
                    for stored in Self.keys {
                        try withUnsafeBytes(of: stored.bigEndian) { probe throws in
                            #expect(try key(cursor.seek(exactly: probe)) == stored)
                        }
                    }
                    for missing: UInt64 in [0, 3, 255, 257, 65535, 65537] {
                        try withUnsafeBytes(of: missing.bigEndian) { probe throws in
                            #expect(try cursor.seek(exactly: probe) == nil)
                        }
                    }
                    try withUnsafeBytes(of: UInt64(2).bigEndian) { probe throws in
                        #expect(try key(cursor.seek(exactly: probe)) == 2)
                    }
                    #expect(try key(cursor.next()) == 256)
                }
            }
        }
    }

    @Test func seekAtOrBefore() throws {
        try withSampleEnvironment { environment, items throws in
            try environment.read { txn throws in
                try txn.withCursor(items) { cursor throws in
                    let cases: [(probe: UInt64, expected: UInt64?)] = [
                        (0, nil), (1, 1), (2, 2), (3, 2), (255, 2), (256, 256), (257, 256),
                        (65535, 256), (65536, 65536), (65537, 65536), (.max, 65536),
                    ]
                    for (probe, expected) in cases {
                        let found = try withUnsafeBytes(of: probe.bigEndian) { try key(cursor.seek(atOrBefore: $0)) }
                        #expect(found == expected, "seek(atOrBefore: \(probe))")
                    }
                    // After a before-first miss the cursor can still be positioned.
                    _ = try withUnsafeBytes(of: UInt64(0).bigEndian) { try cursor.seek(atOrBefore: $0) }
                    #expect(try key(cursor.first()) == 1)
                }
            }
        }
    }

    @Test func writeCursorPutsAndDeletes() throws {
        try withSampleEnvironment { environment, items throws in
            try environment.write { txn throws in
                try txn.withCursor(items) { cursor throws in
                    try cursor.put(key: 3, value: Array("3".utf8))
                    try withUnsafeBytes(of: UInt64(256).bigEndian) { probe throws in
                        #expect(try key(cursor.seek(exactly: probe)) == 256)
                    }
                    try cursor.deleteCurrent()
                    #expect(try key(cursor.first()) == 1)
                    try cursor.deleteCurrent()
                }
            }
            try environment.read { txn throws in
                let keys = try txn.withCursor(items) { cursor -> [UInt64] in
                    var keys: [UInt64] = []
                    var entry = try cursor.first()
                    while let found = entry {
                        keys.append(try #require(key(found)))
                        entry = try cursor.next()
                    }
                    return keys
                }
                #expect(keys == [2, 3, 65536])
            }
        }
    }

    @Test func cursorReserveFillsTheValueInPlace() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let environment = try LMDBEnvironment(path: dir.path, databases: ["items"])
        defer { environment.close() }
        let items = try environment.database("items")

        try environment.write { txn throws in
            try txn.withCursor(items) { cursor throws in
                for key in UInt64(1)...50 {
                    let payload = sampleValue(for: key, count: Int(key) * 37)
                    let written = try withUnsafeBytes(of: key.bigEndian) { keyBytes throws in
                        try cursor.reserve(key: keyBytes, count: payload.count, flags: .append) { space throws in
                            space.copyBytes(from: payload)
                            return space.count
                        }
                    }
                    #expect(written == payload.count)
                }
            }
        }
        try environment.read { txn throws in
            #expect(try txn.entryCount(items) == 50)
            for key in UInt64(1)...50 {
                #expect(try txn.value(items, key: key) == sampleValue(for: key, count: Int(key) * 37))
            }
        }
    }

    @Test func putThroughAReadCursorFails() throws {
        try withSampleEnvironment { environment, items throws in
            try environment.read { txn throws in
                try txn.withCursor(items) { cursor throws in
                    _ = #expect(throws: LMDBError.self) { try cursor.put(key: 9, value: [9]) }
                }
            }
            #expect(try environment.read { try $0.value(items, key: 9) } == nil)
        }
    }
}

/// This process's resident set (VmRSS in /proc/self/status), in kilobytes.
private func residentKilobytes() throws -> Int {
    let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
    guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
          let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "") else {
        throw ResidentSetUnreadable()
    }
    return kilobytes
}

private struct ResidentSetUnreadable: Error {}
