import Foundation
import LMDBKit
import Synchronization
import Testing

@Suite struct LMDBEnvironmentTests {
    // MARK: - Opening

    @Test func openCreatesDirectoryAndPrivateDataFiles() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.child("env")
        #expect(!FileManager.default.fileExists(atPath: path))

        let environment = try LMDBEnvironment(path: path, databases: ["items"])
        defer { environment.close() }

        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory))
        #expect(isDirectory.boolValue)
        #expect(try posixPermissions(path) == 0o700)
        #expect(try posixPermissions(path + "/data.mdb") == 0o600)
        #expect(try posixPermissions(path + "/lock.mdb") == 0o600)
        #expect(environment.path == path)
        #expect(!environment.isClosed)
    }

    @Test func openKeepsAnExistingDirectory() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir.path)

        let environment = try LMDBEnvironment(path: dir.path, databases: ["items"])
        defer { environment.close() }
        #expect(try posixPermissions(dir.path) == 0o755)
        #expect(FileManager.default.fileExists(atPath: dir.child("data.mdb")))
    }

    @Test func staleReadersClearedIsZeroOnAFreshEnvironment() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let environment = try LMDBEnvironment(path: dir.path, databases: ["items"])
        defer { environment.close() }
        #expect(environment.staleReadersCleared == 0)
        #expect(!LMDBEnvironment.libraryVersion.isEmpty)
        #expect(LMDBEnvironment.libraryVersion.contains("LMDB"))
    }

    @Test func secondOpenOfTheSameDirectoryThrowsAlreadyOpen() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.child("env")
        let first = try LMDBEnvironment(path: path, databases: ["items"])

        let error = expectLMDBError(.alreadyOpen) { try LMDBEnvironment(path: path, databases: ["items"]) }
        #expect(error?.message.contains(path) == true)

        first.close()
        let reopened = try LMDBEnvironment(path: path, databases: ["items"])
        reopened.close()
    }

    @Test func secondOpenThroughAnotherPathSpellingThrowsAlreadyOpen() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.child("env")
        let link = dir.child("link")
        let first = try LMDBEnvironment(path: path, databases: ["items"])
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: path)

        expectLMDBError(.alreadyOpen) { try LMDBEnvironment(path: path + "/.", databases: ["items"]) }
        expectLMDBError(.alreadyOpen) { try LMDBEnvironment(path: path + "/", databases: ["items"]) }
        expectLMDBError(.alreadyOpen) { try LMDBEnvironment(path: link, databases: ["items"]) }
        expectLMDBError(.alreadyOpen) { try LMDBEnvironment(path: dir.path + "/./env/../env", databases: ["items"]) }

        first.close()
        let throughLink = try LMDBEnvironment(path: link, databases: ["items"])
        expectLMDBError(.alreadyOpen) { try LMDBEnvironment(path: path, databases: ["items"]) }
        throughLink.close()
    }

    @Test func databaseThatWasNotOpenedThrowsNotFound() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let environment = try LMDBEnvironment(path: dir.path, databases: ["items", "other"])
        defer { environment.close() }
        #expect(try environment.database("items").name == "items")
        #expect(try environment.database("items") != environment.database("other"))
        expectLMDBError(.notFound) { try environment.database("missing") }
    }

    // MARK: - Bad paths and files

    @Test func openingARegularFileThrowsInvalidPath() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = dir.child("file")
        #expect(FileManager.default.createFile(atPath: file, contents: Data("x".utf8)))
        let error = expectLMDBError(.invalidPath) { try LMDBEnvironment(path: file, databases: ["items"]) }
        #expect(error?.message.contains(file) == true)
        expectLMDBError(.invalidPath) { try LMDBEnvironment(path: "", databases: ["items"]) }
    }

    @Test func missingDirectoryWithoutCreationThrowsNoSuchFile() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.child("missing")
        var options = LMDBEnvironmentOptions()
        options.createDirectoryIfMissing = false
        expectLMDBError(.noSuchFile) { try LMDBEnvironment(path: path, options: options, databases: ["items"]) }
        #expect(!FileManager.default.fileExists(atPath: path))

        // A missing parent cannot be created either: mkdir is not recursive.
        expectLMDBError(.noSuchFile) { try LMDBEnvironment(path: dir.child("a/b"), databases: ["items"]) }
    }

    @Test func garbageDataFileThrowsInvalidWithoutCrashing() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        var generator = SystemRandomNumberGenerator()
        let garbage = Data((0..<(64 * 1024)).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
        try garbage.write(to: dir.url.appendingPathComponent("data.mdb"))

        let error = expectLMDBError(.invalid) { try LMDBEnvironment(path: dir.path, databases: ["items"]) }
        #expect(error?.message.contains("not an LMDB environment") == true)
        var readOnly = LMDBEnvironmentOptions()
        readOnly.readOnly = true
        expectLMDBError(.invalid) { try LMDBEnvironment(path: dir.path, options: readOnly, databases: ["items"]) }

        // The failed opens released the directory: after replacing the file it opens normally.
        try FileManager.default.removeItem(atPath: dir.child("data.mdb"))
        let environment = try LMDBEnvironment(path: dir.path, databases: ["items"])
        environment.close()
    }

    // MARK: - Read-only

    @Test func readOnlyEnvironmentReadsButRefusesWrites() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let writable = try LMDBEnvironment(path: dir.path, databases: ["items"])
        let items = try writable.database("items")
        try writable.write { txn throws in try txn.put(items, key: 7, value: [1, 2, 3]) }
        writable.close()

        var options = LMDBEnvironmentOptions()
        options.readOnly = true
        let environment = try LMDBEnvironment(path: dir.path, options: options, databases: ["items"])
        defer { environment.close() }
        let readOnlyItems = try environment.database("items")
        #expect(try environment.read { try $0.value(readOnlyItems, key: 7) } == [1, 2, 3])
        #expect(try environment.read { try $0.entryCount(readOnlyItems) } == 1)

        let error = expectLMDBError(.readOnly) {
            try environment.write { txn throws in try txn.put(readOnlyItems, key: 8, value: [4]) }
        }
        #expect(error?.message.contains(dir.path) == true)
        #expect(try environment.read { try $0.value(readOnlyItems, key: 8) } == nil)
    }

    @Test func readOnlyOpenOfAMissingDatabaseThrowsAndReleasesTheDirectory() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let writable = try LMDBEnvironment(path: dir.path, databases: ["items"])
        writable.close()

        var options = LMDBEnvironmentOptions()
        options.readOnly = true
        let error = expectLMDBError(.notFound) {
            try LMDBEnvironment(path: dir.path, options: options, databases: ["items", "absent"])
        }
        #expect(error?.message.contains("absent") == true)

        let environment = try LMDBEnvironment(path: dir.path, options: options, databases: ["items"])
        environment.close()
    }

    @Test func readOnlyOpenOfAMissingOrEmptyDirectoryThrows() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        var options = LMDBEnvironmentOptions()
        options.readOnly = true
        expectLMDBError(.noSuchFile) { try LMDBEnvironment(path: dir.child("missing"), options: options, databases: ["items"]) }
        #expect(!FileManager.default.fileExists(atPath: dir.child("missing")))
        expectLMDBError(.noSuchFile) { try LMDBEnvironment(path: dir.path, options: options, databases: ["items"]) }
        #expect(!FileManager.default.fileExists(atPath: dir.child("data.mdb")))
    }

    // MARK: - Map size

    @Test func mapGrowsFromASmallInitialSize() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        var options = fastOptions()
        options.initialMapSize = 64 * 1024
        let environment = try LMDBEnvironment(path: dir.path, options: options, databases: ["items"])
        defer { environment.close() }
        let items = try environment.database("items")
        let initialMapSize = try environment.info().mapSize
        #expect(initialMapSize == 64 * 1024)

        // 20,000 values of 100 bytes across 200 transactions.
        for batch in 0..<200 {
            try environment.write { txn throws in
                for index in 0..<100 {
                    let key = UInt64(batch * 100 + index)
                    try txn.put(items, key: key, value: sampleValue(for: key, count: 100))
                }
            }
        }
        let afterSmallWrites = try environment.info()
        #expect(afterSmallWrites.mapSize > initialMapSize)

        // One transaction of 5 MB.
        var bodyRuns = 0
        try environment.write { txn throws in
            bodyRuns += 1
            for key in UInt64(100_000)..<150_000 {
                try txn.put(items, key: key, value: sampleValue(for: key, count: 100))
            }
        }
        #expect(bodyRuns > 1, "the large transaction should have needed at least one map growth and rerun")

        let info = try environment.info()
        #expect(info.mapSize > afterSmallWrites.mapSize)
        #expect(info.mapSize >= 5_000_000)
        #expect(info.usedBytes <= info.mapSize)
        #expect(info.mapSize % info.pageSize == 0)

        try environment.read { txn throws in
            #expect(try txn.entryCount(items) == 70_000)
            for key in UInt64(0)..<20_000 {
                #expect(try txn.value(items, key: key) == sampleValue(for: key, count: 100))
            }
            for key in UInt64(100_000)..<150_000 {
                #expect(try txn.value(items, key: key) == sampleValue(for: key, count: 100))
            }
        }
    }

    @Test func maximumMapSizeStopsGrowthWithMapFull() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        var options = fastOptions()
        options.initialMapSize = 64 * 1024
        options.maximumMapSize = 1 << 20
        let environment = try LMDBEnvironment(path: dir.path, options: options, databases: ["items"])
        defer { environment.close() }
        let items = try environment.database("items")
        try environment.write { txn throws in try txn.put(items, key: 1, value: [1]) }

        let error = expectLMDBError(.mapFull) {
            try environment.write { txn throws in
                // 4 MiB in one transaction.
                for key in UInt64(1_000)..<(1_000 + 4096) {
                    try txn.put(items, key: key, value: sampleValue(for: key, count: 1024))
                }
            }
        }
        #expect(error?.message.contains("maximum map size") == true)
        #expect(error?.message.contains("\(1 << 20)") == true)
        #expect(try environment.info().mapSize == 1 << 20)

        // Nothing of the failed transaction committed; the environment still reads and writes.
        #expect(try environment.read { try $0.entryCount(items) } == 1)
        #expect(try environment.read { try $0.value(items, key: 1) } == [1])
        try environment.write { txn throws in try txn.put(items, key: 2, value: [2, 2]) }
        #expect(try environment.read { try $0.value(items, key: 2) } == [2, 2])
    }

    @Test func maximumMapSizeBelowTheInitialSizeIsStillEnforced() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        var options = fastOptions()
        options.initialMapSize = 1 << 30
        options.maximumMapSize = 1 << 20
        let environment = try LMDBEnvironment(path: dir.path, options: options, databases: ["items"])
        defer { environment.close() }
        let items = try environment.database("items")
        #expect(try environment.info().mapSize == 1 << 20)
        let error = expectLMDBError(.mapFull) {
            try environment.write { txn throws in
                for key in UInt64(0)..<4096 {
                    try txn.put(items, key: key, value: sampleValue(for: key, count: 1024))
                }
            }
        }
        #expect(error?.message.contains("maximum map size") == true)
        #expect(try environment.read { try $0.entryCount(items) } == 0)
    }

    @Test func copyOfAClosedEnvironmentCreatesNothing() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let environment = try LMDBEnvironment(path: dir.path + "/env", options: fastOptions(), databases: ["items"])
        environment.close()
        let target = dir.path + "/copy"
        _ = expectLMDBError(.closed) { try environment.copy(to: target) }
        #expect(!FileManager.default.fileExists(atPath: target))
    }

    @Test func reopeningAGrownEnvironmentWithASmallInitialMapReadsEverything() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        var options = fastOptions()
        options.initialMapSize = 64 * 1024
        let first = try LMDBEnvironment(path: dir.path, options: options, databases: ["items"])
        let items = try first.database("items")
        try first.write { txn throws in
            for key in UInt64(0)..<5_000 { try txn.put(items, key: key, value: sampleValue(for: key, count: 200)) }
        }
        first.close()

        let environment = try LMDBEnvironment(path: dir.path, options: options, databases: ["items"])
        defer { environment.close() }
        let reopenedItems = try environment.database("items")
        #expect(try environment.info().mapSize >= 1_000_000)
        try environment.write { txn throws in
            for key in UInt64(5_000)..<10_000 { try txn.put(reopenedItems, key: key, value: sampleValue(for: key, count: 200)) }
        }
        try environment.read { txn throws in
            #expect(try txn.entryCount(reopenedItems) == 10_000)
            for key in stride(from: UInt64(0), to: 10_000, by: 7) {
                #expect(try txn.value(reopenedItems, key: key) == sampleValue(for: key, count: 200))
            }
        }
    }

    // MARK: - Copy

    @Test func copyProducesAnEnvironmentWithTheSameContents() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let environment = try LMDBEnvironment(path: dir.child("source"), options: fastOptions(), databases: ["items", "other"])
        defer { environment.close() }
        let items = try environment.database("items")
        let other = try environment.database("other")
        try environment.write { txn throws in
            for key in UInt64(0)..<2_000 { try txn.put(items, key: key, value: sampleValue(for: key, count: 300)) }
            try txn.put(other, key: 42, value: [4, 2])
        }
        try environment.write { txn throws in
            for key in stride(from: UInt64(0), to: 2_000, by: 2) { try txn.delete(items, key: key) }
        }
        let expectedItems = try allEntries(environment, items)
        let expectedOther = try allEntries(environment, other)
        #expect(expectedItems.count == 1_000)

        for compact in [true, false] {
            let target = dir.child(compact ? "compact" : "plain")
            try environment.copy(to: target, compact: compact)
            #expect(try posixPermissions(target + "/data.mdb") == 0o600)

            let copy = try LMDBEnvironment(path: target, databases: ["items", "other"])
            #expect(try allEntries(copy, copy.database("items")) == expectedItems)
            #expect(try allEntries(copy, copy.database("other")) == expectedOther)
            copy.close()
        }

        // An existing empty directory is a valid target too.
        let empty = dir.child("empty")
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: false)
        try environment.copy(to: empty)
        let copy = try LMDBEnvironment(path: empty, databases: ["items", "other"])
        #expect(try allEntries(copy, copy.database("items")) == expectedItems)
        copy.close()
    }

    @Test func copyIntoANonEmptyDirectoryThrowsBackupTargetNotEmpty() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let environment = try LMDBEnvironment(path: dir.child("source"), databases: ["items"])
        defer { environment.close() }

        let target = dir.child("target")
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: false)
        #expect(FileManager.default.createFile(atPath: target + "/keep.txt", contents: Data("keep".utf8)))
        let error = expectLMDBError(.backupTargetNotEmpty) { try environment.copy(to: target) }
        #expect(error?.message.contains("keep.txt") == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: target) == ["keep.txt"])

        // The source environment itself is not a valid target either.
        expectLMDBError(.backupTargetNotEmpty) { try environment.copy(to: dir.child("source")) }

        let file = dir.child("file")
        #expect(FileManager.default.createFile(atPath: file, contents: Data()))
        expectLMDBError(.backupTargetNotEmpty) { try environment.copy(to: file) }
    }

    // MARK: - Transactions and lifetime

    @Test func writeInsideAReadOnTheSameThreadThrowsNestedTransaction() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let environment = try LMDBEnvironment(path: dir.path, databases: ["items"])
        defer { environment.close() }
        let items = try environment.database("items")

        #expect(!environment.currentThreadHoldsTransaction)
        try environment.read { _ throws in
            #expect(environment.currentThreadHoldsTransaction)
            expectLMDBError(.nestedTransaction) {
                try environment.write { txn throws in try txn.put(items, key: 1, value: [1]) }
            }
        }
        try environment.write { _ throws in
            _ = expectLMDBError(.nestedTransaction) {
                try environment.write { txn throws in try txn.put(items, key: 2, value: [2]) }
            }
        }
        #expect(!environment.currentThreadHoldsTransaction)
        #expect(try environment.read { try $0.entryCount(items) } == 0)

        // Once the read has ended, the same thread can write.
        try environment.write { txn throws in try txn.put(items, key: 3, value: [3]) }
        #expect(try environment.read { try $0.value(items, key: 3) } == [3])
    }

    @Test func closedEnvironmentThrowsClosed() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let environment = try LMDBEnvironment(path: dir.path, databases: ["items"])
        let items = try environment.database("items")
        try environment.write { txn throws in try txn.put(items, key: 1, value: [1]) }

        environment.close()
        #expect(environment.isClosed)
        expectLMDBError(.closed) { try environment.read { try $0.value(items, key: 1) } }
        expectLMDBError(.closed) { try environment.write { txn throws in try txn.put(items, key: 2, value: [2]) } }
        expectLMDBError(.closed) { try environment.info() }
        expectLMDBError(.closed) { try environment.sync() }
        environment.close()
        #expect(environment.isClosed)

        // The data committed before closing is still there.
        let reopened = try LMDBEnvironment(path: dir.path, databases: ["items"])
        defer { reopened.close() }
        #expect(try reopened.read { try $0.value(reopened.database("items"), key: 1) } == [1])
    }

    @Test func releasingTheLastReferenceClosesTheEnvironment() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        func writeOnce() throws {
            let environment = try LMDBEnvironment(path: dir.path, databases: ["items"])
            let items = try environment.database("items")
            try environment.write { txn in try txn.put(items, key: 1, value: [1]) }
            // No close(): deinit must close it and release the directory.
        }
        try writeOnce()
        let reopened = try LMDBEnvironment(path: dir.path, databases: ["items"])
        defer { reopened.close() }
        #expect(try reopened.read { try $0.value(reopened.database("items"), key: 1) } == [1])
    }

    @Test func infoReportsReadersAndPages() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        var options = LMDBEnvironmentOptions()
        options.maximumReaders = 17
        let environment = try LMDBEnvironment(path: dir.path, options: options, databases: ["items"])
        defer { environment.close() }
        let info = try environment.info()
        #expect(info.maximumReaders == 17)
        #expect(info.pageSize >= 4096)
        #expect(info.mapSize == 1 << 30)
        #expect(info.usedBytes == (info.lastPageNumber + 1) * info.pageSize)
        let readersInside = try environment.read { _ throws in try environment.info().readersInUse }
        #expect(readersInside >= 1)
        #expect(environment.maximumKeySize == 511)
    }

    // MARK: - Concurrency

    /// State shared by the reader and writer threads of the concurrency tests.
    final class SharedProgress: Sendable {
        let writerDone = Atomic<Bool>(false)
        let stop = Atomic<Bool>(false)
        let reads = Atomic<Int>(0)
        let failures = Mutex<[String]>([])

        func fail(_ message: String) { failures.withLock { $0.append(message) } }
    }

    /// Runs `body` on `count` new threads and waits up to `timeout` seconds for all of them.
    static func runThreads(_ count: Int, timeout: Double, _ body: @escaping @Sendable (Int) -> Void) -> Bool {
        let group = DispatchGroup()
        for index in 0..<count {
            group.enter()
            let thread = Thread {
                body(index)
                group.leave()
            }
            thread.start()
        }
        return group.wait(timeout: .now() + timeout) == .success
    }

    @Test func readersSeeConsistentSnapshotsWhileAWriterCommits() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let environment = try LMDBEnvironment(path: dir.path, options: fastOptions(), databases: ["items"])
        defer { environment.close() }
        let items = try environment.database("items")
        let keyA: UInt64 = 1, keyB: UInt64 = 2, transactions = 1_000
        let progress = SharedProgress()

        let finished = Self.runThreads(4, timeout: 60) { index in
            do {
                if index == 0 {
                    for counter in 1...transactions {
                        let value = sampleValue(for: UInt64(counter), count: 8) + withUnsafeBytes(of: UInt64(counter).bigEndian) { Array($0) }
                        try environment.write { txn throws in
                            try txn.put(items, key: keyA, value: value)
                            // Filler between A and B so the two writes are far apart in time.
                            for filler in UInt64(10)..<20 { try txn.put(items, key: filler, value: value) }
                            try txn.put(items, key: keyB, value: value)
                        }
                    }
                    progress.writerDone.store(true, ordering: .releasing)
                } else {
                    var lastSeen: UInt64 = 0
                    while !progress.writerDone.load(ordering: .acquiring), !progress.stop.load(ordering: .relaxed) {
                        try environment.read { txn throws in
                            let a = try txn.value(items, key: keyA)
                            let b = try txn.value(items, key: keyB)
                            if a != b { progress.fail("A and B differ in one snapshot: \(String(describing: a)) vs \(String(describing: b))") }
                            if let a {
                                let counter = a.suffix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
                                if counter < lastSeen { progress.fail("snapshot went back from \(lastSeen) to \(counter)") }
                                lastSeen = counter
                            }
                        }
                        progress.reads.add(1, ordering: .relaxed)
                    }
                }
            } catch {
                progress.fail("thread \(index): \(error)")
                progress.writerDone.store(true, ordering: .releasing)
            }
        }
        progress.stop.store(true, ordering: .relaxed)
        #expect(finished, "threads did not finish in time")
        #expect(progress.failures.withLock { $0 } == [])
        #expect(progress.reads.load(ordering: .relaxed) > 0)
        let final = try environment.read { try $0.value(items, key: keyA) }
        #expect(final?.suffix(8) == withUnsafeBytes(of: UInt64(transactions).bigEndian) { Array($0) }[...])
    }

    @Test func mapGrowsWhileReadersAreRunning() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        var options = fastOptions()
        options.initialMapSize = 64 * 1024
        let environment = try LMDBEnvironment(path: dir.path, options: options, databases: ["items"])
        defer { environment.close() }
        let items = try environment.database("items")
        let progress = SharedProgress()

        let finished = Self.runThreads(3, timeout: 20) { index in
            do {
                if index == 0 {
                    for key in UInt64(0)..<400 where !progress.stop.load(ordering: .relaxed) {
                        try environment.write { txn throws in try txn.put(items, key: key, value: sampleValue(for: key, count: 4000)) }
                    }
                    progress.writerDone.store(true, ordering: .releasing)
                } else {
                    while !progress.writerDone.load(ordering: .acquiring), !progress.stop.load(ordering: .relaxed) {
                        let count = try environment.read { try $0.entryCount(items) }
                        if count > 400 { progress.fail("impossible count \(count)") }
                        progress.reads.add(1, ordering: .relaxed)
                    }
                }
            } catch {
                progress.fail("thread \(index): \(error)")
                progress.writerDone.store(true, ordering: .releasing)
            }
        }
        progress.stop.store(true, ordering: .relaxed)
        #expect(finished, "the writer did not finish within 20 s while readers were running")
        #expect(progress.failures.withLock { $0 } == [])
        #expect(try environment.info().mapSize > 64 * 1024)
        #expect(try environment.read { try $0.entryCount(items) } == 400)
    }
}
