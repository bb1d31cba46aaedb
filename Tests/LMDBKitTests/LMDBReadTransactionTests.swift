import Foundation
import LMDBKit
import Testing

@Suite struct LMDBReadTransactionTests {
    @Test func getOfAMissingKeyReturnsNil() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let environment = try LMDBEnvironment(path: dir.path, databases: ["items"])
        defer { environment.close() }
        let items = try environment.database("items")
        try environment.read { txn throws in
            #expect(try txn.get(items, key: 1) == nil)
            #expect(try txn.entryCount(items) == 0)
        }
        try environment.write { txn throws in try txn.put(items, key: 1, value: [1]) }
        try environment.read { txn throws in
            #expect(try txn.get(items, key: 0) == nil)
            #expect(try txn.get(items, key: 2) == nil)
            #expect(try txn.get(items, key: UInt64(1) << 56) == nil)
            #expect(try txn.value(items, key: 1) == [1])
        }
    }

    @Test func readReturnsTheBodysResultAndRethrows() throws {
        struct Failure: Error, Equatable {}
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let environment = try LMDBEnvironment(path: dir.path, databases: ["items"])
        defer { environment.close() }
        #expect(try environment.read { _ throws in "result" } == "result")
        #expect(throws: Failure()) { try environment.read { _ throws in throw Failure() } }
        #expect(!environment.currentThreadHoldsTransaction)
        #expect(try environment.info().readersInUse <= 1)
    }

    @Test func aReadSnapshotDoesNotSeeALaterCommit() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let environment = try LMDBEnvironment(path: dir.path, options: fastOptions(), databases: ["items"])
        defer { environment.close() }
        let items = try environment.database("items")
        try environment.write { txn throws in try txn.put(items, key: 1, value: [1]) }

        try environment.read { txn throws in
            #expect(try txn.value(items, key: 1) == [1])
            // Another thread commits while this snapshot is open; the writer is not blocked.
            let committed = DispatchSemaphore(value: 0)
            Thread {
                _ = try? environment.write { txn throws in
                    try txn.put(items, key: 1, value: [2])
                    try txn.put(items, key: 2, value: [2])
                }
                committed.signal()
            }.start()
            #expect(committed.wait(timeout: .now() + 10) == .success)
            #expect(try txn.value(items, key: 1) == [1])
            #expect(try txn.value(items, key: 2) == nil)
            #expect(try txn.entryCount(items) == 1)
        }
        try environment.read { txn throws in
            #expect(try txn.value(items, key: 1) == [2])
            #expect(try txn.entryCount(items) == 2)
        }
    }

    @Test func writersReaderSeesUncommittedWrites() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let environment = try LMDBEnvironment(path: dir.path, databases: ["items"])
        defer { environment.close() }
        let items = try environment.database("items")
        try environment.write { txn throws in
            try txn.put(items, key: 3, value: [3])
            let reader = txn.reader
            #expect(try reader.value(items, key: 3) == [3])
            #expect(try reader.entryCount(items) == 1)
            let keys = try reader.withCursor(items) { cursor throws in try cursor.first().flatMap { decodeKey($0.key) } }
            #expect(keys == 3)
        }
    }
}
