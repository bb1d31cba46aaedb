import Foundation
import LMDBKit
import Testing

@Suite struct LMDBPutFlagsTests {
    @Test func appendInOrderSucceedsAndOutOfOrderThrowsKeyExists() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let environment = try LMDBEnvironment(path: dir.path, databases: ["items"])
        defer { environment.close() }
        let items = try environment.database("items")

        try environment.write { txn throws in
            for key in UInt64(1)...1_000 { try txn.put(items, key: key, value: [UInt8(truncatingIfNeeded: key)], flags: .append) }
        }
        #expect(try environment.read { try $0.entryCount(items) } == 1_000)

        expectLMDBError(.keyExists) {
            try environment.write { txn throws in try txn.put(items, key: 500, value: [0], flags: .append) }
        }
        expectLMDBError(.keyExists) {
            try environment.write { txn throws in try txn.put(items, key: 1_000, value: [0], flags: .append) }
        }
        try environment.read { txn throws in
            #expect(try txn.value(items, key: 500) == [UInt8(truncatingIfNeeded: 500)])
            #expect(try txn.entryCount(items) == 1_000)
        }
        // Appending continues after the last key, through a cursor too.
        try environment.write { txn throws in
            try txn.put(items, key: 1_001, value: [1], flags: .append)
            try txn.withCursor(items) { cursor throws in try cursor.put(key: 1_002, value: [2], flags: .append) }
        }
        expectLMDBError(.keyExists) {
            try environment.write { txn throws in
                try txn.withCursor(items) { cursor throws in try cursor.put(key: 3, value: [3], flags: .append) }
            }
        }
        #expect(try environment.read { try $0.entryCount(items) } == 1_002)
    }

    @Test func noOverwriteThrowsKeyExistsOnAnExistingKey() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let environment = try LMDBEnvironment(path: dir.path, databases: ["items"])
        defer { environment.close() }
        let items = try environment.database("items")

        try environment.write { txn throws in try txn.put(items, key: 1, value: [1], flags: .noOverwrite) }
        let error = expectLMDBError(.keyExists) {
            try environment.write { txn throws in try txn.put(items, key: 1, value: [2], flags: .noOverwrite) }
        }
        #expect(error?.message.contains("items") == true)
        #expect(try environment.read { try $0.value(items, key: 1) } == [1])

        // The error can be caught inside the transaction, which then still commits.
        try environment.write { txn throws in
            do {
                try txn.put(items, key: 1, value: [3], flags: .noOverwrite)
                Issue.record("expected keyExists")
            } catch let error as LMDBError where error.code == .keyExists {}
            try txn.put(items, key: 2, value: [2], flags: [.noOverwrite, .append])
        }
        try environment.read { txn throws in
            #expect(try txn.value(items, key: 1) == [1])
            #expect(try txn.value(items, key: 2) == [2])
        }
    }

    @Test func flagsAreDistinctOptions() {
        #expect(LMDBPutFlags.append != LMDBPutFlags.noOverwrite)
        #expect(LMDBPutFlags().isEmpty)
        let both: LMDBPutFlags = [.append, .noOverwrite]
        #expect(both.contains(.append) && both.contains(.noOverwrite))
    }
}
