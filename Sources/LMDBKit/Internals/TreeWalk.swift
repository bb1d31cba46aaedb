#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Checks one B-tree of a data file, page by page, from its root in key order.
///
/// Each page must: lie within the file and not be used twice (by this tree or another one); name
/// itself in its header; be a branch page above the tree's last level and a leaf page on it, with
/// no other flag; have bounds with `16 ≤ lower ≤ upper ≤ page size` and at least one node; hold
/// each node (header, key, inline value) inside its node area; keep its keys strictly ascending and
/// within the range its parent gives it. A leaf node may only be `F_BIGDATA` (its overflow run
/// must lie within the file, start with an overflow page naming itself and be long enough for the
/// value) or, in the main tree only, `F_SUBDATA` with a 48-byte database record; `F_DUPDATA` and
/// unknown flags are damage (LMDBKit creates no duplicate-sorted databases). In the free list,
/// each value is a count and that many page numbers, each within the file. A complete walk must
/// find the entries, depth and page counts the tree's record states.
///
/// The walk stops at the first damaged page; ``lastKey`` is then the last key of the last leaf
/// that passed. Because it goes in key order and checks a page's every node before it descends,
/// every key up to ``lastKey`` is reached by LMDB only through pages that passed.
struct TreeWalk {
    struct Fault: Error {
        let page: UInt64?
        let reason: String
        var allKeysReadable = false
    }

    enum Kind { case main, named, freeList }

    typealias Key = UnsafeRawBufferPointer

    let pages: PageFile
    let kind: Kind
    let record: DatabaseRecord

    private(set) var branchPages: UInt64 = 0
    private(set) var leafPages: UInt64 = 0
    private(set) var overflowPages: UInt64 = 0
    private(set) var entries: UInt64 = 0
    /// The last key of the last leaf that passed.
    private(set) var lastKey: [UInt8]?
    /// One page buffer per level of the tree: a page's keys stay readable while its children are
    /// walked (they bound the children's keys).
    private var buffers: [UnsafeMutableRawPointer] = []
    /// The named databases the main tree records: name and record.
    private(set) var namedDatabases: [(name: [UInt8], record: DatabaseRecord)] = []
    /// The page numbers the free list lists.
    private(set) var freePages: [UInt64] = []

    init(pages: PageFile, kind: Kind, record: DatabaseRecord) {
        self.pages = pages
        self.kind = kind
        self.record = record
    }

    /// Walks the tree; `used` collects every page it uses.
    mutating func run(used: inout PageSet) throws(Fault) {
        if record.root == PageLayout.invalidPage {
            guard record.depth == 0, record.entries == 0, record.branchPages == 0, record.leafPages == 0, record.overflowPages == 0 else {
                throw Fault(page: nil, reason: "it records no root page but a depth of \(record.depth), \(record.entries) entries and \(record.branchPages) branch, \(record.leafPages) leaf and \(record.overflowPages) overflow pages")
            }
            return
        }
        guard (1...PageLayout.maximumDepth).contains(record.depth) else {
            throw Fault(page: nil, reason: "it records a depth of \(record.depth), outside 1…\(PageLayout.maximumDepth)")
        }
        buffers = (0..<record.depth).map { _ in UnsafeMutableRawPointer.allocate(byteCount: pages.pageSize, alignment: 16) }
        defer {
            for buffer in buffers { buffer.deallocate() }
            buffers = []
        }
        try visit(record.root, level: 1, from: nil, lower: nil, upper: nil, used: &used)
        let found = (entries, record.depth, branchPages, leafPages, overflowPages)
        let stated = (record.entries, record.depth, record.branchPages, record.leafPages, record.overflowPages)
        guard found == stated else {
            throw Fault(
                page: nil,
                reason: "it records \(stated.0) entries in \(stated.2) branch, \(stated.3) leaf and \(stated.4) overflow pages, but its tree holds \(found.0) entries in \(found.2), \(found.3) and \(found.4)",
                allKeysReadable: true)
        }
    }

    private mutating func visit(
        _ number: UInt64, level: Int, from parent: UInt64?, lower: Key?, upper: Key?, used: inout PageSet
    ) throws(Fault) {
        let referrer = parent.map { "page \($0)" } ?? "the database record"
        guard number >= 2, number <= pages.lastPage else {
            throw Fault(page: parent, reason: "\(referrer) refers to page \(number), outside pages 2…\(pages.lastPage)")
        }
        guard used.insert(number) else {
            throw Fault(page: number, reason: "\(referrer) refers to page \(number), which is already in use")
        }
        guard pages.holds(number, count: 1), pages.read(from: number, count: pages.pageSize, into: buffers[level - 1]) else {
            throw Fault(page: number, reason: "it lies past the end of the file, which was truncated")
        }
        let page = UnsafeRawPointer(buffers[level - 1])
        let size = pages.pageSize
        guard page.littleEndianUInt64(0) == number else {
            throw Fault(page: number, reason: "its header names page \(page.littleEndianUInt64(0))")
        }
        let isLeaf = level == record.depth
        let flags = page.littleEndianUInt16(10)
        guard flags == (isLeaf ? PageLayout.leaf : PageLayout.branch) else {
            throw Fault(page: number, reason: "it has flags 0x\(String(flags, radix: 16)) where a \(isLeaf ? "leaf" : "branch") page (level \(level) of \(record.depth)) belongs")
        }
        let lowerBound = Int(page.littleEndianUInt16(12)), upperBound = Int(page.littleEndianUInt16(14))
        guard lowerBound >= PageLayout.headerSize, lowerBound & 1 == 0, lowerBound <= upperBound, upperBound <= size else {
            throw Fault(page: number, reason: "its free-space bounds (\(lowerBound), \(upperBound)) are impossible for a page of \(size) bytes")
        }
        let count = (lowerBound - PageLayout.headerSize) / 2
        guard count >= 1 else { throw Fault(page: number, reason: "it holds no nodes") }

        var previous: Key?
        for index in 0..<count {
            let offset = Int(page.littleEndianUInt16(PageLayout.headerSize + 2 * index))
            guard offset >= upperBound, offset + PageLayout.nodeHeaderSize <= size else {
                throw Fault(page: number, reason: "node \(index) starts at byte \(offset), outside the node area \(upperBound)…\(size)")
            }
            let keySize = Int(page.littleEndianUInt16(offset + 6))
            let keyStart = offset + PageLayout.nodeHeaderSize
            guard keySize <= PageLayout.maximumKeySize, keyStart + keySize <= size else {
                throw Fault(page: number, reason: "node \(index) has a key of \(keySize) bytes, past the page's end")
            }
            let key = Key(start: page + keyStart, count: keySize)
            if isLeaf {
                try checkLeafNode(page, number, index, offset: offset, valueStart: keyStart + keySize, used: &used)
            } else {
                let child = UInt64(page.littleEndianUInt16(offset)) | UInt64(page.littleEndianUInt16(offset + 2)) << 16
                    | UInt64(page.littleEndianUInt16(offset + 4)) << 32
                guard child >= 2, child <= pages.lastPage else {
                    throw Fault(page: number, reason: "node \(index) refers to page \(child), outside pages 2…\(pages.lastPage)")
                }
                // A branch page's first key is not used (its child holds everything below the second).
                if index == 0 { continue }
            }
            if let lower, compare(key, lower) < 0 {
                throw Fault(page: number, reason: "node \(index)'s key sorts before the first key its parent allows")
            }
            if let upper, compare(key, upper) >= 0 {
                throw Fault(page: number, reason: "node \(index)'s key sorts at or after the next page's first key")
            }
            if let previous, compare(key, previous) <= 0 {
                throw Fault(page: number, reason: "node \(index)'s key does not sort after node \(index - 1)'s")
            }
            previous = key
        }
        if isLeaf {
            leafPages += 1
            entries += UInt64(count)
            if let previous {
                if lastKey == nil { lastKey = [] }
                lastKey?.removeAll(keepingCapacity: true)
                lastKey?.append(contentsOf: previous)
            }
            return
        }
        branchPages += 1
        for index in 0..<count {
            let offset = Int(page.littleEndianUInt16(PageLayout.headerSize + 2 * index))
            let child = UInt64(page.littleEndianUInt16(offset)) | UInt64(page.littleEndianUInt16(offset + 2)) << 16
                | UInt64(page.littleEndianUInt16(offset + 4)) << 32
            let childLower = index == 0 ? lower : branchKey(page, index)
            let childUpper = index + 1 < count ? branchKey(page, index + 1) : upper
            try visit(child, level: level + 1, from: number, lower: childLower, upper: childUpper, used: &used)
        }
    }

    private func branchKey(_ page: UnsafeRawPointer, _ index: Int) -> Key {
        let offset = Int(page.littleEndianUInt16(PageLayout.headerSize + 2 * index))
        return Key(start: page + offset + PageLayout.nodeHeaderSize, count: Int(page.littleEndianUInt16(offset + 6)))
    }

    private mutating func checkLeafNode(
        _ page: UnsafeRawPointer, _ number: UInt64, _ index: Int, offset: Int, valueStart: Int, used: inout PageSet
    ) throws(Fault) {
        let size = pages.pageSize
        let valueSize = Int(page.littleEndianUInt16(offset)) | Int(page.littleEndianUInt16(offset + 2)) << 16
        let flags = page.littleEndianUInt16(offset + 4)
        let allowed = kind == .main ? PageLayout.bigData | PageLayout.subData : PageLayout.bigData
        guard flags & ~allowed == 0, flags != PageLayout.bigData | PageLayout.subData else {
            let what = flags & PageLayout.dupData != 0 ? "duplicate-data flag, which no database here uses" : "flags this database does not use"
            throw Fault(page: number, reason: "node \(index) has flags 0x\(String(flags, radix: 16)) (a \(what))")
        }
        if flags & PageLayout.bigData != 0 {
            guard valueStart + 8 <= size else {
                throw Fault(page: number, reason: "node \(index)'s overflow page number lies past the page's end")
            }
            let first = page.littleEndianUInt64(valueStart)
            try checkOverflow(first, valueSize: valueSize, from: number, index, used: &used)
            // Only the main tree's and the free list's values are read; a large one from its run.
            guard kind != .named else { return }
            let value = UnsafeMutableRawPointer.allocate(byteCount: max(valueSize, 8), alignment: 8)
            defer { value.deallocate() }
            guard pages.read(from: first, offset: PageLayout.headerSize, count: valueSize, into: value) else {
                throw Fault(page: first, reason: "the overflow run of page \(number) node \(index) lies past the end of the file")
            }
            try checkValue(UnsafeRawPointer(value), size: valueSize, flags: flags, page, number, index, offset: offset)
        } else {
            guard valueStart + valueSize <= size else {
                throw Fault(page: number, reason: "node \(index) has a value of \(valueSize) bytes, past the page's end")
            }
            try checkValue(page + valueStart, size: valueSize, flags: flags, page, number, index, offset: offset)
        }
    }

    /// Checks the value of a leaf node of the main tree (a database record) or of the free list
    /// (a list of free pages), and keeps what it names.
    private mutating func checkValue(
        _ value: UnsafeRawPointer, size valueSize: Int, flags: UInt16, _ page: UnsafeRawPointer, _ number: UInt64, _ index: Int, offset: Int
    ) throws(Fault) {
        switch kind {
        case .named:
            break
        case .main:
            guard flags & PageLayout.subData != 0 else { break }
            guard valueSize == PageLayout.recordSize else {
                throw Fault(page: number, reason: "node \(index) is a database record of \(valueSize) bytes, not \(PageLayout.recordSize)")
            }
            let keySize = Int(page.littleEndianUInt16(offset + 6))
            let name = [UInt8](UnsafeRawBufferPointer(start: page + offset + PageLayout.nodeHeaderSize, count: keySize))
            namedDatabases.append((name, DatabaseRecord(value)))
        case .freeList:
            guard Int(page.littleEndianUInt16(offset + 6)) == 8 else {
                throw Fault(page: number, reason: "node \(index) has a key of \(page.littleEndianUInt16(offset + 6)) bytes, not an 8-byte transaction id")
            }
            let listed = valueSize >= 8 ? value.littleEndianUInt64(0) : UInt64.max
            guard valueSize >= 8, listed <= UInt64(valueSize / 8 - 1) else {
                throw Fault(page: number, reason: "node \(index) lists \(valueSize >= 8 ? String(listed) : "no") free pages in \(valueSize) bytes")
            }
            for slot in stride(from: 1, through: Int(listed), by: 1) {
                let free = value.littleEndianUInt64(8 * slot)
                guard free >= 2, free <= pages.lastPage else {
                    throw Fault(page: number, reason: "node \(index) lists page \(free) as free, outside pages 2…\(pages.lastPage)")
                }
                freePages.append(free)
            }
        }
    }

    /// Checks the overflow run starting at `first` that holds a value of `valueSize` bytes.
    private mutating func checkOverflow(
        _ first: UInt64, valueSize: Int, from number: UInt64, _ index: Int, used: inout PageSet
    ) throws(Fault) {
        guard first >= 2, first <= pages.lastPage else {
            throw Fault(page: number, reason: "node \(index)'s value is on page \(first), outside pages 2…\(pages.lastPage)")
        }
        let header = UnsafeMutableRawPointer.allocate(byteCount: PageLayout.headerSize, alignment: 8)
        defer { header.deallocate() }
        guard pages.read(from: first, count: PageLayout.headerSize, into: header) else {
            throw Fault(page: first, reason: "the overflow run of page \(number) node \(index) lies past the end of the file")
        }
        let head = UnsafeRawPointer(header)
        let count = UInt64(head.littleEndianUInt32(12))
        guard head.littleEndianUInt64(0) == first, head.littleEndianUInt16(10) == PageLayout.overflow else {
            throw Fault(page: first, reason: "page \(number) node \(index)'s value should start an overflow run here, but the page's header does not say so")
        }
        guard count >= 1, count - 1 <= pages.lastPage - first,
              count * UInt64(pages.pageSize) >= UInt64(valueSize) + UInt64(PageLayout.headerSize) else {
            throw Fault(page: first, reason: "its overflow run of \(count) pages cannot hold the \(valueSize)-byte value of page \(number) node \(index) within pages 2…\(pages.lastPage)")
        }
        guard pages.holds(first, count: count) else {
            throw Fault(page: first, reason: "its overflow run of \(count) pages (the value of page \(number) node \(index)) runs past the end of the file, which was truncated")
        }
        for overflowPage in first..<(first + count) where !used.insert(overflowPage) {
            throw Fault(page: overflowPage, reason: "page \(number) node \(index)'s overflow run uses page \(overflowPage), which is already in use")
        }
        overflowPages += count
    }

    /// LMDB's key order for this tree: native UInt64 for the free list, bytewise otherwise.
    @inline(__always)
    private func compare(_ a: Key, _ b: Key) -> Int {
        if kind == .freeList, a.count == 8, b.count == 8 {
            let (x, y) = (a.loadUnaligned(as: UInt64.self), b.loadUnaligned(as: UInt64.self))
            return x < y ? -1 : (x == y ? 0 : 1)
        }
        let common = min(a.count, b.count)
        if common > 0, let pa = a.baseAddress, let pb = b.baseAddress {
            let order = memcmp(pa, pb, common)
            if order != 0 { return Int(order) }
        }
        return a.count - b.count
    }
}
