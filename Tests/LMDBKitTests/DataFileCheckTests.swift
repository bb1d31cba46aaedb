import Foundation
import LMDBKit
import Testing

/// A damaged data file is refused before LMDB maps it: truncations (which fault on a page past
/// the end; with the page check, only cuts through the meta pages, the rest being damage it
/// reports), a zeroed page size (which divides by zero) and a damaged transaction id (which opens
/// an older commit) each get an error naming the damage instead of a crash or a silent rollback.
@Suite("Data file check")
struct DataFileCheckTests {
    /// An environment with some commits, closed; returns its data file's bytes.
    func written(_ directory: TemporaryDirectory) throws -> Data {
        let environment = try LMDBEnvironment(path: directory.child("env"), options: fastOptions(), databases: ["d"])
        let database = try environment.database("d")
        for n in 0..<200 {
            try environment.write { txn in
                let value = [UInt8](repeating: UInt8(truncatingIfNeeded: n), count: 300)
                try withUnsafeBytes(of: UInt64(n).bigEndian) { key in try value.withUnsafeBytes { try txn.put(database, key: key, value: $0) } }
            }
        }
        environment.close()
        return try Data(contentsOf: URL(fileURLWithPath: directory.child("env") + "/data.mdb"))
    }

    /// Opens a copy holding `bytes`; the error it was refused with, or `nil` (then `faults` gets
    /// what the page check found).
    func open(_ bytes: Data, in directory: TemporaryDirectory, checkingPages: Bool = false, faults: inout [LMDBPageFault]) throws -> LMDBError? {
        let path = directory.child("copy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try bytes.write(to: URL(fileURLWithPath: path + "/data.mdb"))
        var options = fastOptions()
        options.checksPagesAtOpen = checkingPages
        do {
            let environment = try LMDBEnvironment(path: path, options: options, databases: ["d"])
            faults = environment.pageFaults
            environment.close()
            return nil
        } catch let error as LMDBError {
            return error
        }
    }

    func open(_ bytes: Data, in directory: TemporaryDirectory) throws -> LMDBError? {
        var faults: [LMDBPageFault] = []
        return try open(bytes, in: directory, faults: &faults)
    }

    @Test("an intact file opens")
    func intact() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        #expect(try open(try written(directory), in: directory) == nil)
    }

    @Test("without the page check, a file truncated anywhere before its last committed page is refused as truncated", arguments: [100, 4096, 6000, 8192, 20_000])
    func truncated(_ length: Int) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let bytes = try written(directory)
        let error = try #require(try open(bytes.prefix(length), in: directory))
        #expect(error.code == .corrupted)
        #expect(error.message.contains("truncated"), "\(error)")
        let cut = try #require(try open(bytes.prefix(bytes.count - 4096), in: directory))
        #expect(cut.message.contains("its last committed page"))
    }

    @Test("with the page check, a cut through the meta pages is refused; a later cut is damage at the first page past the end", arguments: [100, 4096, 6000, 8192, 20_000, -4096, -1000])
    func truncatedWithThePageCheck(_ length: Int) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let bytes = try written(directory)
        var faults: [LMDBPageFault] = []
        let cut = length > 0 ? length : bytes.count + length
        let error = try open(bytes.prefix(cut), in: directory, checkingPages: true, faults: &faults)
        /// The cut file, opened read-only (with the page check) for a closer look.
        func reopened() throws -> LMDBEnvironment {
            let path = directory.child("cut-\(UUID().uuidString)")
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            try bytes.prefix(cut).write(to: URL(fileURLWithPath: path + "/data.mdb"))
            var options = fastOptions()
            options.readOnly = true
            return try LMDBEnvironment(path: path, options: options, databases: ["d"])
        }
        if length > 0 && length < 8192 {
            #expect(error?.code == .corrupted)
            #expect(error?.message.contains("truncated") == true, "\(String(describing: error))")
        } else if let error {
            // The main tree's root was cut: nothing names the databases.
            #expect(error.code == .corrupted)
            #expect(error.pageFault?.database == "main")
            #expect(error.pageFault?.reason.contains("truncated") == true, "\(error)")
        } else if let fault = faults.first {
            #expect(fault.reason.contains("truncated"), "\(fault)")
            // A copy would read the missing pages (a compacted one counts the free list's pages).
            let environment = try reopened()
            defer { environment.close() }
            for compact in [true, false] {
                let refused = #expect(throws: LMDBError.self) { try environment.copy(to: directory.child("copy-\(cut)-\(compact)"), compact: compact) }
                #expect(refused?.code == .corrupted)
            }
        } else {
            // No page in use was cut (only free pages or an older snapshot's): everything reads.
            let environment = try reopened()
            defer { environment.close() }
            let database = try environment.database("d")
            #expect(try environment.read { txn in try (0..<200).allSatisfy { try txn.get(database, key: UInt64($0)) != nil } })
            // A page-by-page copy would read the missing pages; a compacted one reads only live ones.
            let refused = #expect(throws: LMDBError.self) { try environment.copy(to: directory.child("plain-\(cut)"), compact: false) }
            #expect(refused?.message.contains("truncated") == true)
            try environment.copy(to: directory.child("compact-\(cut)"), compact: true)
        }
    }

    @Test("a zeroed page size and a flipped transaction id are refused, naming the meta page")
    func damagedMeta() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let bytes = try written(directory)
        var zeroSize = bytes
        zeroSize.replaceSubrange(40..<44, with: [0, 0, 0, 0])
        #expect(try open(zeroSize, in: directory)?.message.contains("meta page 0 records a page size of 0") == true)
        var flipped = bytes
        flipped[145] ^= 0x10
        #expect(try open(flipped, in: directory)?.message.contains("which are not consecutive") == true)
        var otherMeta = bytes
        otherMeta[4096 + 16] ^= 0xFF
        #expect(try open(otherMeta, in: directory)?.message.contains("meta page 1 is not an LMDB meta page") == true)
    }
}
