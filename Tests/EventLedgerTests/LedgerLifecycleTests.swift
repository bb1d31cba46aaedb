import EventLedger
import Foundation
import LedgerTestSupport
import LMDBKit
import Testing

@Suite("Ledger lifecycle")
struct LedgerLifecycleTests {
    @Test("reopening after close sees every event, the same id and the same head")
    func reopen() throws {
        let directory = try TemporaryDirectory()
        let url = directory.child("ledger")
        let first = try Ledger(directory: url, registry: .samples())
        for i in 0..<20 { try first.append([.sample(UInt64(i))], to: "s/\(i % 3)") }
        let head = try first.head()
        let id = first.ledgerID
        first.close()

        let second = try Ledger(directory: url, registry: .samples())
        defer { second.close() }
        #expect(second.ledgerID == id)
        #expect(try second.head() == head)
        #expect(try second.events(.all()).count == 20)
        #expect(try second.read { try $0.streamRevision(of: "s/1") } == 6)
        try second.append([.sample(99)], to: "s/1", expecting: .revision(6))
        #expect(try second.verify().isIntact)
    }

    @Test("a backup opens as a ledger with the same head hash; the target must be empty")
    func backup() throws {
        let fixture = try LedgerFixture()
        for i in 0..<100 { try fixture.ledger.append([.sample(UInt64(i))], to: "s/\(i % 5)") }
        let target = try TemporaryDirectory("backup")
        try fixture.ledger.backup(to: target.child("copy"))
        let copy = try Ledger(directory: target.child("copy"), registry: .samples())
        defer { copy.close() }
        #expect(try copy.head() == fixture.ledger.head())
        #expect(copy.ledgerID == fixture.ledger.ledgerID)
        #expect(try copy.verify().isIntact)
        let mode = try FileManager.default.attributesOfItem(atPath: target.child("copy").appendingPathComponent("data.mdb").path)[.posixPermissions] as? Int
        #expect(mode == 0o600)

        let error = try #require(throws: LedgerError.self) { try fixture.ledger.backup(to: target.child("copy")) }
        #expect(error.storageError?.code == .backupTargetNotEmpty)
    }

    @Test("a ledger opened with a 64 KiB map takes 100,000 appends without an error")
    func growsFromTinyMap() async throws {
        let fixture = try LedgerFixture { $0.initialMapSize = 64 * 1024 }
        let ledger = fixture.ledger
        let startMap = try ledger.storageInfo().mapSize
        #expect(startMap <= 64 * 1024)
        // 50 tasks × 2,000 single-event appends: group commit batches them.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<50 {
                group.addTask {
                    for i in 0..<2_000 {
                        try await ledger.append([try .sample(UInt64(task * 2_000 + i), text: "grow")], to: "g/\(task)")
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try ledger.head().position == 100_000)
        #expect(try ledger.storageInfo().mapSize > startMap)
        let report = try ledger.verify()
        #expect(report.isIntact)
        #expect(report.eventsChecked == 100_000)
    }

    @Test("data files are created readable only by their owner")
    func fileModes() throws {
        let fixture = try LedgerFixture()
        for name in ["data.mdb", "lock.mdb"] {
            let mode = try FileManager.default.attributesOfItem(atPath: fixture.url.appendingPathComponent(name).path)[.posixPermissions] as? Int
            #expect(mode == 0o600, "\(name)")
        }
    }

    @Test("the same directory cannot be opened twice in one process")
    func openTwice() throws {
        let fixture = try LedgerFixture()
        let error = try #require(throws: LedgerError.self) { _ = try Ledger(directory: fixture.url, registry: .samples()) }
        #expect(error.storageError?.code == .alreadyOpen)
        #expect(error.message.contains(fixture.url.path))
    }

    @Test("each wrong directory gets its own clear error")
    func wrongDirectories() throws {
        let directory = try TemporaryDirectory()
        let file = directory.url.appendingPathComponent("plain.txt")
        try Data("hello".utf8).write(to: file)
        let notDirectory = try #require(throws: LedgerError.self) { _ = try Ledger(directory: file) }
        #expect(notDirectory.code == .notALedger)

        let cluttered = directory.child("cluttered")
        try FileManager.default.createDirectory(at: cluttered, withIntermediateDirectories: true)
        try Data("x".utf8).write(to: cluttered.appendingPathComponent("notes.txt"))
        let other = try #require(throws: LedgerError.self) { _ = try Ledger(directory: cluttered) }
        #expect(other.code == .notALedger)
        #expect(other.message.contains("notes.txt"))

        var noCreate = LedgerOptions()
        noCreate.createIfMissing = false
        let missing = try #require(throws: LedgerError.self) { _ = try Ledger(directory: directory.child("missing"), options: noCreate) }
        #expect(missing.code == .notFound)

        let garbage = directory.child("garbage")
        try FileManager.default.createDirectory(at: garbage, withIntermediateDirectories: true)
        try Data((0..<65_536).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }).write(to: garbage.appendingPathComponent("data.mdb"))
        let notLMDB = try #require(throws: LedgerError.self) { _ = try Ledger(directory: garbage) }
        #expect(notLMDB.code == .notALedger)
    }

    @Test("a ledger written by a newer format version is refused, not misread")
    func newerFormat() throws {
        let directory = try TemporaryDirectory()
        let url = directory.child("ledger")
        try Ledger(directory: url, registry: .samples()).close()
        let environment = try LMDBEnvironment(path: url.path, databases: ["meta"])
        let meta = try environment.database("meta")
        try environment.write { txn in
            try Array("format-version".utf8).withUnsafeBytes { key in
                try withUnsafeBytes(of: UInt32(2).bigEndian) { try txn.put(meta, key: key, value: $0) }
            }
        }
        environment.close()
        let error = try #require(throws: LedgerError.self) { _ = try Ledger(directory: url, registry: .samples()) }
        #expect(error.code == .unsupportedFormatVersion)
        #expect(error.message.contains("format 2"))
    }

    @Test("a read-only ledger reads and refuses appends")
    func readOnly() throws {
        let directory = try TemporaryDirectory()
        let url = directory.child("ledger")
        let writer = try Ledger(directory: url, registry: .samples())
        try writer.append([.sample(1)], to: "s")
        writer.close()
        var options = LedgerOptions()
        options.readOnly = true
        let reader = try Ledger(directory: url, registry: .samples(), options: options)
        defer { reader.close() }
        #expect(try reader.events(.all()).count == 1)
        #expect(try reader.verify().isIntact)
        let error = try #require(throws: LedgerError.self) { try reader.append([.sample(2)], to: "s") }
        #expect(error.code == .invalidRequest)
    }
}
