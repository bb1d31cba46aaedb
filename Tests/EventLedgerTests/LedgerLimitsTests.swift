import EventLedger
import Foundation
import LedgerTestSupport
import LMDBKit
import Testing

@Suite("Ledger limits")
struct LedgerLimitsTests {
    @Test("at its maximum map size an append fails with .full and writes nothing; the ledger stays readable; with the limit raised it appends again")
    func maximumMapSize() throws {
        let directory = try TemporaryDirectory()
        var options = LedgerOptions()
        options.initialMapSize = 1 << 20
        options.maximumMapSize = 2 << 20
        options.durability = .noSync
        let ledger = try Ledger(directory: directory.child("l"), registry: .samples(), options: options)
        let text = String(repeating: "x", count: 2_000)
        var appended: UInt64 = 0
        var failure: LedgerError?
        while failure == nil, appended < 10_000 {
            do {
                try ledger.append([try .sample(appended, text: text)], to: "s/\(appended % 5)")
                appended += 1
            } catch let error as LedgerError {
                failure = error
            }
        }
        let error = try #require(failure, "2 MiB cannot hold 10,000 events of 2 KB")
        #expect(error.code == .full)
        #expect(error.message.contains("maximumMapSize"))
        #expect(error.message.contains("nothing of this call was written"))
        #expect(appended > 100)
        // Still readable, nothing half written.
        #expect(try ledger.head().position == appended)
        #expect(try ledger.verify().isIntact)
        // A second try either fails the same clean way or, when LMDB could reuse pages the last
        // commits freed (once no reader held them), is stored whole.
        do {
            try ledger.append([try .sample(appended, text: text)], to: "s/0")
            appended += 1
        } catch let error as LedgerError {
            #expect(error.code == .full)
        }
        #expect(try ledger.head().position == appended)
        #expect(try ledger.verify().isIntact)
        ledger.close()

        options.maximumMapSize = 64 << 20
        let reopened = try Ledger(directory: directory.child("l"), registry: .samples(), options: options)
        defer { reopened.close() }
        for n in 0..<200 { try reopened.append([try .sample(appended + UInt64(n), text: text)], to: "s/more") }
        #expect(try reopened.head().position == appended + 200)
        #expect(try reopened.verify().isIntact)
    }

    @Test("a directory nobody may write to gets its own clear error; a read-only open of it still reads")
    func readOnlyDirectory() throws {
        let directory = try TemporaryDirectory()
        let url = directory.child("l")
        try Ledger(directory: url, registry: .samples()).close()
        let unwritable = directory.child("empty-unwritable")
        try FileManager.default.createDirectory(at: unwritable, withIntermediateDirectories: true)
        // Root ignores permission bits, so the test makes the directory immutable instead when it runs as root.
        let locked = try Self.makeUnwritable(unwritable)
        defer { Self.makeWritable(unwritable, locked) }
        let error = try #require(throws: LedgerError.self) { _ = try Ledger(directory: unwritable, registry: .samples()) }
        #expect(error.message.contains(unwritable.path))
        #expect(error.message.lowercased().contains("permission") || error.message.lowercased().contains("not permitted") || error.message.contains("read-only"), "\(error.message) / \(error)")

        let lockedLedger = try Self.makeUnwritable(url)
        defer { Self.makeWritable(url, lockedLedger) }
        var options = LedgerOptions()
        options.readOnly = true
        // A read-only open still needs the lock file to be writable, which an immutable directory forbids:
        // the error must say so, or the open works. Either way nothing crashes or misreads.
        do {
            let reader = try Ledger(directory: url, registry: .samples(), options: options)
            defer { reader.close() }
            #expect(try reader.head().position == 0)
        } catch let error as LedgerError {
            #expect(error.message.contains(url.path), "\(error)")
        }
    }

    /// Makes `url` unwritable: permission bits, plus the immutable attribute when running as root.
    /// Returns whether the attribute was set.
    static func makeUnwritable(_ url: URL) throws -> Bool {
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: url.path)
        guard getuid() == 0 else { return false }
        return run("/usr/bin/chattr", ["+i", url.path])
    }

    static func makeWritable(_ url: URL, _ immutable: Bool) {
        if immutable { _ = run("/usr/bin/chattr", ["-i", url.path]) }
        try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
    }

    static func run(_ tool: String, _ arguments: [String]) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
            process.waitUntilExit()
            return process.terminationStatus == 0
        } catch {
            return false
        }
    }
}
