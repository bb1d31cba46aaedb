import Foundation
import LMDBKit
import Testing

/// A damaged data file is refused before LMDB maps it: truncations (which fault on a page past
/// the end), a zeroed page size (which divides by zero) and a damaged transaction id (which opens
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

    func open(_ bytes: Data, in directory: TemporaryDirectory) throws -> LMDBError? {
        let path = directory.child("copy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try bytes.write(to: URL(fileURLWithPath: path + "/data.mdb"))
        do {
            let environment = try LMDBEnvironment(path: path, options: fastOptions(), databases: ["d"])
            environment.close()
            return nil
        } catch let error as LMDBError {
            return error
        }
    }

    @Test("an intact file opens")
    func intact() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        #expect(try open(try written(directory), in: directory) == nil)
    }

    @Test("a file truncated anywhere before its last committed page is refused as truncated", arguments: [100, 4096, 6000, 8192, 20_000])
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
