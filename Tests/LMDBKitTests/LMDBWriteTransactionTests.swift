import Foundation
import LMDBKit
import Testing

@Suite struct LMDBWriteTransactionTests {
    struct Abort: Error, Equatable {}

    @Test func putGetDeleteAndEntryCount() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let environment = try LMDBEnvironment(path: dir.path, databases: ["items"])
        defer { environment.close() }
        let items = try environment.database("items")

        try environment.write { txn throws in
            #expect(try txn.entryCount(items) == 0)
            try txn.put(items, key: 1, value: Array("one".utf8))
            try txn.put(items, key: 2, value: Array("two".utf8))
            // The transaction sees its own writes before committing.
            #expect(try txn.value(items, key: 1) == Array("one".utf8))
            #expect(try txn.entryCount(items) == 2)
        }
        try environment.read { txn throws in
            #expect(try txn.value(items, key: 1) == Array("one".utf8))
            #expect(try txn.value(items, key: 2) == Array("two".utf8))
            #expect(try txn.value(items, key: 3) == nil)
            #expect(try txn.entryCount(items) == 2)
        }

        // Overwriting replaces the value, even with a different length.
        try environment.write { txn throws in try txn.put(items, key: 1, value: Array("uno, longer".utf8)) }
        #expect(try environment.read { try $0.value(items, key: 1) } == Array("uno, longer".utf8))

        try environment.write { txn throws in
            #expect(try txn.delete(items, key: 2))
            #expect(try !txn.delete(items, key: 2))
            #expect(try !txn.delete(items, key: 99))
            #expect(try txn.value(items, key: 2) == nil)
        }
        try environment.read { txn throws in
            #expect(try txn.value(items, key: 2) == nil)
            #expect(try txn.entryCount(items) == 1)
        }
    }

    @Test func rawBufferKeysOfOtherSizes() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let environment = try LMDBEnvironment(path: dir.path, databases: ["items"])
        defer { environment.close() }
        let items = try environment.database("items")
        let key = Array("a string key".utf8)
        let value = [UInt8](repeating: 0xAB, count: 10_000)

        try environment.write { txn throws in
            try key.withUnsafeBytes { k throws in try value.withUnsafeBytes { try txn.put(items, key: k, value: $0) } }
        }
        let stored = try environment.read { txn throws in
            try key.withUnsafeBytes { try txn.get(items, key: $0).map { Array($0) } }
        }
        #expect(stored == value)
        let emptyValue = try environment.write { txn -> [UInt8]? in
            try key.withUnsafeBytes { k throws in try [UInt8]().withUnsafeBytes { try txn.put(items, key: k, value: $0) } }
            return try key.withUnsafeBytes { try txn.get(items, key: $0).map { Array($0) } }
        }
        #expect(emptyValue == [])
    }

    @Test func invalidKeySizesThrowBadValueSize() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let environment = try LMDBEnvironment(path: dir.path, databases: ["items"])
        defer { environment.close() }
        let items = try environment.database("items")
        let tooLong = [UInt8](repeating: 1, count: environment.maximumKeySize + 1)

        expectLMDBError(.badValueSize) {
            try environment.write { txn throws in
                try tooLong.withUnsafeBytes { k throws in try [UInt8(1)].withUnsafeBytes { try txn.put(items, key: k, value: $0) } }
            }
        }
        expectLMDBError(.badValueSize) {
            try environment.write { txn throws in
                try [UInt8]().withUnsafeBytes { k throws in try [UInt8(1)].withUnsafeBytes { try txn.put(items, key: k, value: $0) } }
            }
        }
        let longest = [UInt8](repeating: 2, count: environment.maximumKeySize)
        try environment.write { txn throws in
            try longest.withUnsafeBytes { k throws in try [UInt8(1)].withUnsafeBytes { try txn.put(items, key: k, value: $0) } }
        }
        #expect(try environment.read { try $0.entryCount(items) } == 1)
    }

    @Test func throwingBodyCommitsNothing() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let environment = try LMDBEnvironment(path: dir.path, databases: ["items"])
        defer { environment.close() }
        let items = try environment.database("items")
        try environment.write { txn throws in try txn.put(items, key: 1, value: [1]) }

        #expect(throws: Abort()) {
            try environment.write { txn throws in
                try txn.put(items, key: 1, value: [9])
                try txn.put(items, key: 2, value: [2])
                _ = try txn.delete(items, key: 1)
                throw Abort()
            }
        }
        try environment.read { txn throws in
            #expect(try txn.value(items, key: 1) == [1])
            #expect(try txn.value(items, key: 2) == nil)
            #expect(try txn.entryCount(items) == 1)
        }
        // The writer lock was released: the next write goes through.
        let returned = try environment.write { txn -> Int in
            try txn.put(items, key: 3, value: [3])
            return 42
        }
        #expect(returned == 42)
        #expect(try environment.read { try $0.entryCount(items) } == 2)
    }

    @Test func bodyThatSwallowsMapFullIsRerunAfterGrowth() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        var options = fastOptions()
        options.initialMapSize = 64 * 1024
        let environment = try LMDBEnvironment(path: dir.path, options: options, databases: ["items"])
        defer { environment.close() }
        let items = try environment.database("items")

        var runs = 0
        var swallowed = 0
        try environment.write { txn throws in
            runs += 1
            for key in UInt64(0)..<1_000 {
                do {
                    try txn.put(items, key: key, value: sampleValue(for: key, count: 500))
                } catch let error as LMDBError where error.code == .mapFull {
                    swallowed += 1
                    return
                }
            }
        }
        #expect(swallowed >= 1)
        #expect(runs == swallowed + 1)
        try environment.read { txn throws in
            #expect(try txn.entryCount(items) == 1_000)
            #expect(try txn.value(items, key: 999) == sampleValue(for: 999, count: 500))
        }
    }

    @Test func reserveFillsTheValueInPlace() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let environment = try LMDBEnvironment(path: dir.path, databases: ["items"])
        defer { environment.close() }
        let items = try environment.database("items")
        let payload = sampleValue(for: 5, count: 3_000)

        let returned = try environment.write { txn -> Int in
            try withUnsafeBytes(of: UInt64(5).bigEndian) { key throws in
                try txn.reserve(items, key: key, count: payload.count) { space throws in
                    #expect(space.count == payload.count)
                    space.copyBytes(from: payload)
                    return space.count
                }
            }
        }
        #expect(returned == 3_000)
        #expect(try environment.read { try $0.value(items, key: 5) } == payload)

        // .noOverwrite applies to reservations too.
        expectLMDBError(.keyExists) {
            try environment.write { txn throws in
                try withUnsafeBytes(of: UInt64(5).bigEndian) { key throws in
                    try txn.reserve(items, key: key, count: 4, flags: .noOverwrite) { $0.initializeMemory(as: UInt8.self, repeating: 0) }
                }
            }
        }
        #expect(try environment.read { try $0.value(items, key: 5) } == payload)
    }

    @Test func removeAllEmptiesTheDatabaseOnly() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let environment = try LMDBEnvironment(path: dir.path, databases: ["items", "other"])
        defer { environment.close() }
        let items = try environment.database("items")
        let other = try environment.database("other")
        try environment.write { txn throws in
            for key in UInt64(0)..<100 { try txn.put(items, key: key, value: [UInt8(key)]) }
            try txn.put(other, key: 1, value: [1])
        }
        try environment.write { txn throws in try txn.removeAll(items) }
        try environment.read { txn throws in
            #expect(try txn.entryCount(items) == 0)
            #expect(try txn.entryCount(other) == 1)
        }
        try environment.write { txn throws in try txn.put(items, key: 7, value: [7]) }
        #expect(try environment.read { try $0.value(items, key: 7) } == [7])
    }

    @Test func databasesAreSeparateKeySpaces() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let environment = try LMDBEnvironment(path: dir.path, databases: ["items", "other"])
        defer { environment.close() }
        let items = try environment.database("items")
        let other = try environment.database("other")
        try environment.write { txn throws in
            try txn.put(items, key: 1, value: [1])
            try txn.put(other, key: 1, value: [2])
        }
        try environment.read { txn throws in
            #expect(try txn.value(items, key: 1) == [1])
            #expect(try txn.value(other, key: 1) == [2])
        }
    }
}
