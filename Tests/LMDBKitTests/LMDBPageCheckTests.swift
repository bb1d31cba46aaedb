import Foundation
import LMDBKit
import Synchronization
import Testing

/// The page check walks every B-tree page of a data file before LMDB reads it. An intact file
/// always passes (however it was written, and while another thread commits); each kind of damage
/// that made LMDB crash is found and named, and an environment opened with damage serves the keys
/// before it, refuses the rest and refuses writes, instead of crashing.
@Suite("LMDB page check")
struct LMDBPageCheckTests {
    static let itemCount: UInt64 = 3_000

    /// A compact copy (no free pages, so every branch, leaf and overflow page in it is live) of an
    /// environment with `items` (8-byte big-endian keys, 100-byte values, every 97th 9,000 bytes so
    /// it needs overflow pages) and `labels` (string keys). Returns the copy's directory.
    func writtenCopy(_ directory: TemporaryDirectory) throws -> String {
        let source = directory.child("source")
        let environment = try LMDBEnvironment(path: source, options: fastOptions(), databases: ["items", "labels"])
        let items = try environment.database("items")
        let labels = try environment.database("labels")
        try environment.write { txn in
            for key in 0..<Self.itemCount {
                let value = sampleValue(for: key, count: key % 97 == 0 ? 9_000 : 100)
                try withUnsafeBytes(of: key.bigEndian) { k in try value.withUnsafeBytes { try txn.put(items, key: k, value: $0) } }
            }
            for n in 0..<50 {
                try Array("label-\(n)".utf8).withUnsafeBytes { k in try [UInt8](repeating: 7, count: 20).withUnsafeBytes { try txn.put(labels, key: k, value: $0) } }
            }
        }
        let copy = directory.child("copy")
        try environment.copy(to: copy, compact: true)
        environment.close()
        return copy
    }

    func open(_ path: String, checks: Bool = true) throws -> LMDBEnvironment {
        var options = fastOptions()
        options.checksPagesAtOpen = checks
        return try LMDBEnvironment(path: path, options: options, databases: ["items", "labels"])
    }

    func item(_ environment: LMDBEnvironment, _ key: UInt64) throws -> [UInt8]? {
        let items = try environment.database("items")
        return try environment.read { txn in try txn.get(items, key: key).map { [UInt8]($0) } }
    }

    // MARK: - Intact files

    @Test("an intact file passes: a fresh one, a compact copy, and one rewritten by many small commits")
    func intactFilesPass() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let fresh = try LMDBEnvironment(path: directory.child("fresh"), options: fastOptions(), databases: ["items"])
        #expect(fresh.pageFaults.isEmpty)
        #expect(try fresh.checkPages().isIntact)
        fresh.close()

        let copy = try open(try writtenCopy(directory))
        defer { copy.close() }
        #expect(copy.pageFaults.isEmpty)
        let report = try copy.checkPages()
        #expect(report.isIntact, "\(report.faults)")
        #expect(report.entries >= Int(Self.itemCount) + 50 + 2)
        #expect(report.branchPages > 0 && report.overflowPages > 0)

        // Overwrites and deletes in many commits fill the free list and reuse its pages.
        let churned = try open(directory.child("source"))
        defer { churned.close() }
        let items = try churned.database("items")
        for round in 0..<60 {
            try churned.write { txn in
                for key in stride(from: UInt64(round), to: Self.itemCount, by: 7) {
                    try withUnsafeBytes(of: key.bigEndian) { k in
                        if round % 3 == 0 { _ = try txn.delete(items, key: k) } else {
                            try sampleValue(for: key &+ UInt64(round), count: round % 5 == 0 ? 5_000 : 60).withUnsafeBytes { try txn.put(items, key: k, value: $0) }
                        }
                    }
                }
            }
        }
        let after = try churned.checkPages()
        #expect(after.isIntact, "\(after.faults)")
        #expect(after.freePages > 0, "the churn should leave free pages")
    }

    @Test("the check passes on every snapshot while another thread keeps committing")
    func intactWhileWriting() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let environment = try open(try writtenCopy(directory))
        defer { environment.close() }
        let items = try environment.database("items")
        let finished = Atomic<Bool>(false)
        var transactions: Set<UInt64> = [try environment.checkPages().transaction]
        let failure = Mutex<String?>(nil)
        let writer = Thread {
            defer { finished.store(true, ordering: .releasing) }
            do {
                for round in 0..<300 {
                    try environment.write { txn in
                        for key in stride(from: UInt64(round % 11), to: Self.itemCount, by: 29) {
                            try withUnsafeBytes(of: key.bigEndian) { k in
                                try sampleValue(for: key &+ UInt64(round), count: 40 + round % 200).withUnsafeBytes { try txn.put(items, key: k, value: $0) }
                            }
                        }
                    }
                }
            } catch {
                failure.withLock { $0 = "\(error)" }
            }
        }
        writer.start()
        while !finished.load(ordering: .acquiring) {
            let report = try environment.checkPages()
            #expect(report.isIntact, "\(report.faults)")
            transactions.insert(report.transaction)
        }
        #expect(failure.withLock { $0 } == nil)
        let last = try environment.checkPages()
        #expect(last.isIntact, "\(last.faults)")
        transactions.insert(last.transaction)
        #expect(transactions.count > 1, "the checks should have seen several snapshots")
    }

    // MARK: - Damage

    @Test("a leaf page flagged as a branch page is found; keys before it are read, the rest and writes are refused")
    func leafFlaggedAsBranch() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try writtenCopy(directory)
        var file = try RawDataFile(path)
        let page = try #require(file.leafPage(containing: 1_500))
        let firstOnPage = try #require(file.firstKey(of: page))
        file.setFlags(of: page, 0x01)
        try file.save()

        let environment = try open(path)
        defer { environment.close() }
        let fault = try #require(environment.pageFaults.first)
        #expect(fault.database == "items")
        #expect(fault.page == page)
        #expect(fault.reason.contains("flags 0x1"))
        let last = try #require(fault.lastReadableKey)
        #expect(UInt64(bigEndian: last.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }) == firstOnPage - 1)

        #expect(try item(environment, 0) == sampleValue(for: 0, count: 9_000))
        #expect(try item(environment, firstOnPage - 1) == sampleValue(for: firstOnPage - 1, count: 100))
        let refused = #expect(throws: LMDBError.self) { try item(environment, firstOnPage) }
        #expect(refused?.code == .corrupted)
        #expect(refused?.pageFault == fault)

        // A scan from the start returns every key before the page, then throws.
        let items = try environment.database("items")
        var seen: UInt64 = 0
        let scanError = #expect(throws: LMDBError.self) {
            try environment.read { txn in
                try txn.withCursor(items) { cursor in
                    var entry = try cursor.first()
                    while let found = entry {
                        #expect(decodeKey(found.key) == seen)
                        seen += 1
                        entry = try cursor.next()
                    }
                }
            }
        }
        #expect(seen == firstOnPage)
        #expect(scanError?.pageFault?.page == page)
        #expect(throws: LMDBError.self) { try environment.read { txn in try txn.withCursor(items) { _ = try $0.last() } } }
        #expect(throws: LMDBError.self) {
            try environment.read { txn in try txn.withCursor(items) { _ = try $0.seek(atOrAfter: firstOnPage + 10) } }
        }
        #expect(try environment.read { txn in try txn.withCursor(items) { try $0.seek(atOrAfter: 5).map { decodeKey($0.key) } } } == 5)

        // The other database is intact and reads whole; writes are refused everywhere.
        let labels = try environment.database("labels")
        #expect(labels.pageFault == nil)
        #expect(try environment.read { txn in try txn.withCursor(labels) { try $0.last() != nil } })
        let writeError = #expect(throws: LMDBError.self) {
            try environment.write { txn in
                try Array("x".utf8).withUnsafeBytes { k in try [UInt8(1)].withUnsafeBytes { try txn.put(labels, key: k, value: $0) } }
            }
        }
        #expect(writeError?.code == .corrupted)
        #expect(writeError?.message.contains("writes are refused") == true)
        // A copy would read every page, the damaged one too.
        let copyError = #expect(throws: LMDBError.self) { try environment.copy(to: directory.child("backup")) }
        #expect(copyError?.pageFault == fault)
    }

    /// One kind of damage inside a page of `items`: how it is made (returning the damaged page),
    /// and words the fault's reason must hold.
    struct PageDamage: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let reasons: [String]
        /// Whether the fault names the damaged page itself (a page used twice is found where it is reached again).
        let namesThePage: Bool
        let damage: @Sendable (inout RawDataFile) throws -> UInt64

        static let all: [PageDamage] = [
            PageDamage(testDescription: "a leaf node with the duplicate-data flag (LMDB would read its value as a sub-page)", reasons: ["duplicate-data"], namesThePage: true) { file in
                let page = try #require(file.leafPage(containing: 700))
                file.setNodeFlags(of: page, node: 2, 0x04)
                return page
            },
            PageDamage(testDescription: "a branch node naming a page past the end of the file", reasons: ["9999999"], namesThePage: true) { file in
                let page = try #require(file.itemsBranchPage())
                file.setChild(of: page, node: 1, 9_999_999)
                return page
            },
            PageDamage(testDescription: "a branch node naming its neighbour's child (a page used twice)", reasons: ["already in use", "sorts"], namesThePage: false) { file in
                let page = try #require(file.itemsBranchPage())
                file.setChild(of: page, node: 2, file.child(of: page, node: 1))
                return page
            },
            PageDamage(testDescription: "a node offset outside the page's node area", reasons: ["node 1 starts at byte 20"], namesThePage: true) { file in
                let page = try #require(file.leafPage(containing: 2_000))
                file.setNodeOffset(of: page, node: 1, 20)
                return page
            },
            PageDamage(testDescription: "a key moved out of order", reasons: ["sorts"], namesThePage: true) { file in
                let page = try #require(file.leafPage(containing: 2_500))
                file.setKeyByte(of: page, node: 3, byte: 0, 0xff)
                return page
            },
        ]
    }

    @Test("damage inside a page is found and named", arguments: PageDamage.all)
    func damageInsideAPage(_ damage: PageDamage) throws {
        let fault = try damagedFault(damage.damage)
        if damage.namesThePage { #expect(fault.found.page == fault.page) }
        #expect(damage.reasons.contains { fault.found.reason.contains($0) }, "\(fault.found.reason)")
    }

    @Test("an overflow page whose header was overwritten is found")
    func overflowHeader() throws {
        let fault = try damagedFault { file in
            let page = try #require(file.pages(flags: 0x04).first)
            file.setFlags(of: page, 0x02)
            return page
        }
        #expect(fault.found.page == fault.page)
        #expect(fault.found.reason.contains("overflow"))
    }

    @Test("a damaged page of the main tree (which names the databases) refuses the open")
    func damagedMainTree() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try writtenCopy(directory)
        var file = try RawDataFile(path)
        let main = file.mainRoot
        file.setFlags(of: main, 0x01)
        try file.save()
        let error = #expect(throws: LMDBError.self) { try open(path) }
        #expect(error?.code == .corrupted)
        #expect(error?.pageFault?.database == "main")
        #expect(error?.pageFault?.page == main)
    }

    @Test("a wrong entry count in a database record is found; reads are not restricted, writes are")
    func wrongEntryCount() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try writtenCopy(directory)
        var file = try RawDataFile(path)
        try file.setEntryCount(ofDatabase: "labels", 49)
        try file.save()
        let environment = try open(path)
        defer { environment.close() }
        let fault = try #require(environment.pageFaults.first)
        #expect(fault.database == "labels" && fault.page == nil && fault.allKeysReadable)
        #expect(fault.reason.contains("records 49 entries"))
        let labels = try environment.database("labels")
        #expect(labels.pageFault == nil)
        #expect(try environment.read { txn in try txn.withCursor(labels) { try $0.last() != nil } })
        #expect(throws: LMDBError.self) { try environment.write { _ in } }
    }

    @Test("a free list naming a page in use is found (a write would overwrite live data)")
    func freeListNamesALivePage() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let source = directory.child("churn")
        let environment = try LMDBEnvironment(path: source, options: fastOptions(), databases: ["items"])
        let items = try environment.database("items")
        for round in 0..<20 {
            try environment.write { txn in
                for key in UInt64(0)..<200 {
                    try withUnsafeBytes(of: key.bigEndian) { k in try sampleValue(for: key &+ UInt64(round), count: 80).withUnsafeBytes { try txn.put(items, key: k, value: $0) } }
                }
            }
        }
        environment.close()
        var file = try RawDataFile(source)
        let live = file.mainRoot
        #expect(try file.replaceFirstFreePage(with: live), "the churn should leave a free list")
        try file.save()
        let reopened = try LMDBEnvironment(path: source, options: fastOptions(), databases: ["items"])
        defer { reopened.close() }
        let fault = try #require(reopened.pageFaults.first)
        #expect(fault.database == "free-list")
        #expect(fault.reason.contains("page \(live)"))
        #expect(try reopened.read { txn in try txn.get(items, key: UInt64(5)) != nil })
        #expect(throws: LMDBError.self) { try reopened.write { _ in } }
    }

    @Test("with the check off at open, the environment opens unrestricted and checkPages() reports the damage")
    func checkOffAtOpen() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try writtenCopy(directory)
        var file = try RawDataFile(path)
        let page = try #require(file.leafPage(containing: 100))
        file.setFlags(of: page, 0x01)
        try file.save()
        let environment = try open(path, checks: false)
        defer { environment.close() }
        #expect(environment.pageFaults.isEmpty)
        #expect(try environment.database("items").pageFault == nil)
        let report = try environment.checkPages()
        #expect(report.faults.map(\.page) == [page])
    }

    @Test("a fault says where it is and what can still be read")
    func faultDescription() {
        let fault = LMDBPageFault(database: "items", page: 42, reason: "it holds no nodes", lastReadableKey: [0, 1])
        #expect(fault.description == "page 42 of database 'items' is damaged: it holds no nodes; keys after 0x0001 cannot be read")
        #expect(fault.canRead([0, 1]) && fault.canRead([0, 0, 9]) && !fault.canRead([0, 1, 0]) && !fault.canRead([1]))
        let none = LMDBPageFault(database: "items", page: nil, reason: "x", lastReadableKey: nil)
        #expect(!none.canRead([0]))
        #expect(none.description.hasSuffix("none of its keys can be read"))
    }

    /// Damages a compact copy with `damage` (which returns the page it damaged), opens it, and
    /// returns the single fault found with that page.
    func damagedFault(_ damage: @Sendable (inout RawDataFile) throws -> UInt64) throws -> (found: LMDBPageFault, page: UInt64) {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try writtenCopy(directory)
        var file = try RawDataFile(path)
        let page = try damage(&file)
        try file.save()
        let environment = try open(path)
        defer { environment.close() }
        #expect(environment.pageFaults.count == 1, "\(environment.pageFaults)")
        let fault = try #require(environment.pageFaults.first)
        #expect(fault.database == "items")
        // Whatever the damage, a full scan ends with an error, never a crash.
        let items = try environment.database("items")
        #expect(throws: LMDBError.self) {
            try environment.read { txn in try txn.withCursor(items) { cursor in
                var entry = try cursor.first()
                while entry != nil { entry = try cursor.next() }
            } }
        }
        return (fault, page)
    }
}

/// The bytes of a `data.mdb`, with just enough of LMDB's page format to find and damage pages.
struct RawDataFile {
    let path: String
    var bytes: [UInt8]
    let pageSize: Int

    init(_ directory: String) throws {
        path = directory + "/data.mdb"
        bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        pageSize = Int(UInt32(bytes[40]) | UInt32(bytes[41]) << 8 | UInt32(bytes[42]) << 16 | UInt32(bytes[43]) << 24)
    }

    func save() throws { try Data(bytes).write(to: URL(fileURLWithPath: path)) }

    func u16(_ offset: Int) -> Int { Int(bytes[offset]) | Int(bytes[offset + 1]) << 8 }
    func u64(_ offset: Int) -> UInt64 { (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[offset + $1]) << (8 * $1) } }
    mutating func set16(_ offset: Int, _ value: Int) { bytes[offset] = UInt8(value & 0xff); bytes[offset + 1] = UInt8(value >> 8 & 0xff) }
    mutating func set64(_ offset: Int, _ value: UInt64) { for i in 0..<8 { bytes[offset + i] = UInt8(value >> (8 * UInt64(i)) & 0xff) } }

    var currentMeta: Int { u64(16 + 128) >= u64(pageSize + 16 + 128) ? 0 : pageSize }
    var mainRoot: UInt64 { u64(currentMeta + 16 + 72 + 40) }
    var freeRoot: UInt64 { u64(currentMeta + 16 + 24 + 40) }

    func pages(flags: Int) -> [UInt64] {
        (2..<bytes.count / pageSize).filter { u16($0 * pageSize + 10) == flags }.map(UInt64.init)
    }
    func nodeCount(of page: UInt64) -> Int { (u16(Int(page) * pageSize + 12) - 16) / 2 }
    func node(_ page: UInt64, _ index: Int) -> Int { Int(page) * pageSize + u16(Int(page) * pageSize + 16 + 2 * index) }
    func keySize(of page: UInt64, node index: Int) -> Int { u16(node(page, index) + 6) }
    func key(of page: UInt64, node index: Int) -> UInt64? {
        let n = node(page, index)
        guard u16(n + 6) == 8 else { return nil }
        return (0..<8).reduce(UInt64(0)) { $0 << 8 | UInt64(bytes[n + 8 + $1]) }
    }
    func child(of page: UInt64, node index: Int) -> UInt64 {
        let n = node(page, index)
        return UInt64(u16(n)) | UInt64(u16(n + 2)) << 16 | UInt64(u16(n + 4)) << 32
    }
    func firstKey(of page: UInt64) -> UInt64? { key(of: page, node: 0) }

    /// A branch page of `items` with more than two children.
    func itemsBranchPage() -> UInt64? {
        pages(flags: 0x01).first { nodeCount(of: $0) > 2 && keySize(of: $0, node: 1) == 8 }
    }

    /// The leaf page of `items` holding `key`.
    func leafPage(containing wanted: UInt64) -> UInt64? {
        pages(flags: 0x02).first { page in
            let count = nodeCount(of: page)
            guard count > 4, let first = key(of: page, node: 0), let last = key(of: page, node: count - 1) else { return false }
            return first <= wanted && wanted <= last
        }
    }

    mutating func setFlags(of page: UInt64, _ flags: Int) { set16(Int(page) * pageSize + 10, flags) }
    mutating func setNodeFlags(of page: UInt64, node index: Int, _ flags: Int) { set16(node(page, index) + 4, flags) }
    mutating func setNodeOffset(of page: UInt64, node index: Int, _ offset: Int) { set16(Int(page) * pageSize + 16 + 2 * index, offset) }
    mutating func setKeyByte(of page: UInt64, node index: Int, byte: Int, _ value: UInt8) { bytes[node(page, index) + 8 + byte] = value }
    mutating func setChild(of page: UInt64, node index: Int, _ child: UInt64) {
        let n = node(page, index)
        set16(n, Int(child & 0xffff))
        set16(n + 2, Int(child >> 16 & 0xffff))
        set16(n + 4, Int(child >> 32 & 0xffff))
    }

    /// Sets `md_entries` in the main tree's record of database `name` (the main tree must be one leaf).
    mutating func setEntryCount(ofDatabase name: String, _ entries: UInt64) throws {
        let page = mainRoot
        for index in 0..<nodeCount(of: page) {
            let n = node(page, index)
            let keySize = u16(n + 6)
            if Array(bytes[(n + 8)..<(n + 8 + keySize)]) == Array(name.utf8) {
                set64(n + 8 + keySize + 32, entries)
                return
            }
        }
        throw LMDBError(code: .notFound, message: "no record of \(name)")
    }

    /// Replaces the first page number of the first free-list entry (the free list must be one leaf).
    mutating func replaceFirstFreePage(with page: UInt64) throws -> Bool {
        let root = freeRoot
        guard root != UInt64.max, u16(Int(root) * pageSize + 10) == 0x02, nodeCount(of: root) > 0 else { return false }
        let n = node(root, 0)
        guard u16(n + 4) == 0 else { return false }
        let value = n + 8 + u16(n + 6)
        guard u64(value) > 0 else { return false }
        set64(value + 8, page)
        return true
    }
}
