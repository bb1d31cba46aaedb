#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Checks the page structure of every B-tree in a data file before LMDB reads it: LMDB follows
/// page numbers, node offsets and flags as it finds them, and a damaged branch or leaf page makes
/// it assert (`IS_LEAF`), read a value through a wrong flag, or fault on an offset past the map.
///
/// The trees are walked from the meta page of one snapshot: the main tree (which records the
/// named databases), each named database in name order, then the free list. ``TreeWalk`` says
/// what each page must satisfy. The file is read with `pread`, never through LMDB's map.
///
/// The caller holds a read transaction on the snapshot, so no page of it is reused meanwhile
/// (LMDB reuses a page only once no reader can see it), and a writer may keep committing.
enum PageCheck {
    /// Checks the snapshot with transaction id `transaction` of `directory/data.mdb` (or the newest
    /// snapshot when a later commit has already overwritten its meta page).
    static func run(directory: String, transaction: UInt64) throws(LMDBError) -> LMDBPageCheckReport {
        let file = directory + "/data.mdb"
        let meta = try readMeta(file, transaction: transaction)
        let pages = try PageFile(file: file, pageSize: Int(meta.pageSize), lastPage: meta.lastPage)
        var used = PageSet(pageCount: meta.lastPage + 1)
        _ = used.insert(0)
        _ = used.insert(1)
        var totals = (branch: 0, leaf: 0, overflow: 0, entries: 0)
        var faults: [LMDBPageFault] = []

        func walk(_ name: String, _ kind: TreeWalk.Kind, _ record: DatabaseRecord, flags expected: UInt16) -> TreeWalk? {
            var tree = TreeWalk(pages: pages, kind: kind, record: record)
            defer {
                totals.branch += Int(tree.branchPages)
                totals.leaf += Int(tree.leafPages)
                totals.overflow += Int(tree.overflowPages)
                totals.entries += Int(tree.entries)
            }
            guard record.flags == expected else {
                faults.append(LMDBPageFault(
                    database: name, page: nil,
                    reason: "its record has flags 0x\(String(record.flags, radix: 16)), not 0x\(String(expected, radix: 16)) (LMDBKit creates no duplicate-sorted, integer-key or reverse-key databases)",
                    lastReadableKey: nil))
                return nil
            }
            do {
                try tree.run(used: &used)
                return tree
            } catch {
                faults.append(LMDBPageFault(
                    database: name, page: error.page, reason: error.reason,
                    lastReadableKey: tree.lastKey, allKeysReadable: error.allKeysReadable))
                return error.allKeysReadable ? tree : nil
            }
        }

        if let main = walk("main", .main, meta.main, flags: 0), faults.isEmpty {
            for (name, record) in main.namedDatabases {
                _ = walk(String(decoding: name, as: UTF8.self), .named, record, flags: 0)
            }
        }
        var freeCount = 0
        if let free = walk("free-list", .freeList, meta.free, flags: PageLayout.integerKeyFlag) {
            freeCount = free.freePages.count
            if let live = free.freePages.first(where: { used.contains($0) }) {
                faults.append(LMDBPageFault(
                    database: "free-list", page: nil,
                    reason: "it lists page \(live) as free, but a tree uses it (a write would overwrite live data)",
                    lastReadableKey: nil, allKeysReadable: true))
            }
        }
        return LMDBPageCheckReport(
            transaction: meta.transaction, branchPages: totals.branch, leafPages: totals.leaf,
            overflowPages: totals.overflow, entries: totals.entries, freePages: freeCount, faults: faults)
    }

    /// The meta page of `transaction`, or the newer of the two when neither holds it.
    static func readMeta(_ file: String, transaction: UInt64) throws(LMDBError) -> DataFileCheck.Meta {
        let descriptor = open(file, O_RDONLY)
        guard descriptor >= 0 else {
            throw LMDBError(code: .init(rawValue: errno), message: "opening '\(file)' to check its pages")
        }
        defer { close(descriptor) }
        let first = DataFileCheck.read(descriptor, at: 0, count: 4096)
        guard let meta0 = DataFileCheck.meta(first, 0), DataFileCheck.isValidPageSize(meta0.pageSize) else {
            throw DataFileCheck.damaged(file, "meta page 0 is not an LMDB meta page with a valid page size")
        }
        let pageSize = Int(meta0.pageSize)
        let both = DataFileCheck.read(descriptor, at: 0, count: 2 * pageSize)
        guard both.count == 2 * pageSize else {
            throw DataFileCheck.damaged(file, "it is shorter than its two meta pages: it was truncated")
        }
        let metas = [DataFileCheck.meta(Array(both[..<pageSize]), 0), DataFileCheck.meta(Array(both[pageSize...]), 1)].compactMap { $0 }
        if let exact = metas.first(where: { $0.transaction == transaction }) { return exact }
        guard let newest = metas.max(by: { $0.transaction < $1.transaction }) else {
            throw DataFileCheck.damaged(file, "neither meta page is an LMDB meta page")
        }
        return newest
    }
}
