import Foundation
import LMDBKit
import Testing

@Suite struct LMDBEnvironmentOptionsTests {
    @Test func defaults() {
        let options = LMDBEnvironmentOptions()
        #expect(options.initialMapSize == 1 << 30)
        #expect(options.maximumMapSize == 1 << 40)
        #expect(options.maximumReaders == 256)
        #expect(options.maximumDatabases == 32)
        #expect(options.durability == .full)
        #expect(!options.readOnly)
        #expect(options.createDirectoryIfMissing)
        #expect(options.fileMode == 0o600)
        #expect(!options.disableReadAhead)
    }

    @Test func fileModeAppliesToDataAndLockFiles() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        var options = LMDBEnvironmentOptions()
        options.fileMode = 0o640
        let environment = try LMDBEnvironment(path: dir.path, options: options, databases: ["items"])
        defer { environment.close() }
        #expect(environment.options == options)
        #expect(try posixPermissions(dir.child("data.mdb")) == 0o640)
        #expect(try posixPermissions(dir.child("lock.mdb")) == 0o640)
    }

    @Test func initialMapSizeIsRoundedUpToWholePages() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        var options = LMDBEnvironmentOptions()
        options.initialMapSize = 100_001
        let environment = try LMDBEnvironment(path: dir.path, options: options, databases: ["items"])
        defer { environment.close() }
        let info = try environment.info()
        #expect(info.mapSize >= 100_001)
        #expect(info.mapSize % info.pageSize == 0)
        #expect(info.mapSize < 100_001 + info.pageSize)
    }

    @Test func moreDatabasesThanConfiguredThrowsDatabasesFull() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        var options = LMDBEnvironmentOptions()
        options.maximumDatabases = 2
        expectLMDBError(.databasesFull) { try LMDBEnvironment(path: dir.path, options: options, databases: ["a", "b", "c"]) }
        let environment = try LMDBEnvironment(path: dir.path, options: options, databases: ["a", "b"])
        environment.close()
    }

    @Test func readAheadCanBeDisabled() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        var options = LMDBEnvironmentOptions()
        options.disableReadAhead = true
        let environment = try LMDBEnvironment(path: dir.path, options: options, databases: ["items"])
        defer { environment.close() }
        let items = try environment.database("items")
        try environment.write { txn throws in try txn.put(items, key: 1, value: [1]) }
        #expect(try environment.read { try $0.value(items, key: 1) } == [1])
    }
}
