#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Checks an existing `data.mdb` before LMDB maps it: LMDB trusts its two meta pages and the file's
/// length, and a damaged page size divides by zero, a truncated file faults on a page past its end
/// (SIGBUS), and a damaged transaction id silently opens an older commit. Each is refused here
/// with an error naming what is wrong; a truncation after the meta pages only when the page check
/// (``PageCheck``) does not run next to find the missing pages.
///
/// Layout (LMDB 0.9, 64-bit): pages 0 and 1 are meta pages; each has a 16-byte page header, then
/// `MDB_meta`: magic (UInt32, 0xBEEFC0DE) at 0, data version (UInt32, 1) at 4, the two database
/// records of 48 bytes from 24 (the free-list database's first field holds the page size, its
/// root is at 24 + 40, the main database's root at 72 + 40), the last page in use at 120 and the
/// transaction id at 128. LMDB writes commit N's meta into page N % 2, so the two transaction ids
/// are consecutive (both 0 before the first commit).
enum DataFileCheck {
    static let magic: UInt32 = 0xBEEF_C0DE
    static let headerSize = 16
    static let invalidPage = UInt64.max

    struct Meta {
        let pageSize: UInt32
        let lastPage: UInt64
        let transaction: UInt64
        /// The free list's and the main tree's records.
        let free: DatabaseRecord
        let main: DatabaseRecord

        var freeRoot: UInt64 { free.root }
        var mainRoot: UInt64 { main.root }
    }

    /// Checks `directory/data.mdb` when it exists and is not empty.
    ///
    /// Another process may be committing meanwhile: both meta pages are read in one `pread`, the
    /// file's size after them (it only grows, and pages are written before the meta that counts
    /// them), and a pair of transaction ids that is not consecutive is read again before it is
    /// believed.
    ///
    /// With `pagesChecked` (the page check runs next), a file that ends before its last committed
    /// page is let through: the page check reports each page past the end as damage, and keeps
    /// LMDB from reading it, so what lies before the cut can still be read.
    static func check(directory: String, pagesChecked: Bool = false) throws {
        let file = directory + "/data.mdb"
        let descriptor = open(file, O_RDONLY)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        var attempt = 0
        while true {
            attempt += 1
            do {
                try check(descriptor, file, pagesChecked: pagesChecked)
                return
            } catch let error as Retry {
                guard attempt < 4 else { throw error.error }
                usleep(20_000)
            }
        }
    }

    /// A finding that a concurrent commit could explain: checked again before it is reported.
    struct Retry: Error { let error: LMDBError }

    private static func check(_ descriptor: Int32, _ file: String, pagesChecked: Bool) throws {
        let first = read(descriptor, at: 0, count: 4096)
        guard let meta0 = meta(first, 0) else {
            let size = fileSize(descriptor)
            if size == 0 { return }
            // Not an LMDB file at all: LMDB refuses it with MDB_INVALID, which is a clear error.
            if size < 4096 { throw damaged(file, "it is \(size) bytes, shorter than one page: it was truncated") }
            return
        }
        guard isValidPageSize(meta0.pageSize) else {
            throw damaged(file, "meta page 0 records a page size of \(meta0.pageSize), not a power of two from 512 to 65536")
        }
        let pageSize = UInt64(meta0.pageSize)
        let both = read(descriptor, at: 0, count: Int(2 * pageSize))
        let size = fileSize(descriptor)
        guard size >= 2 * pageSize, both.count == Int(2 * pageSize), let first0 = meta(both, 0) else {
            throw damaged(file, "it is \(size) bytes, shorter than its two meta pages (\(2 * pageSize)): it was truncated")
        }
        guard let meta1 = meta(Array(both[Int(pageSize)...]), 1) else {
            throw damaged(file, "meta page 1 is not an LMDB meta page (bad magic or version): it was overwritten")
        }
        guard meta1.pageSize == first0.pageSize else {
            throw damaged(file, "the meta pages record page sizes \(first0.pageSize) and \(meta1.pageSize)")
        }
        let (t0, t1) = (first0.transaction, meta1.transaction)
        guard (t0 == 0 && t1 == 0) || (t0 > t1 ? t0 - t1 : t1 - t0) == 1 else {
            throw Retry(error: damaged(file, "the meta pages record transactions \(t0) and \(t1), which are not consecutive: one was damaged, and opening would pick the wrong commit"))
        }
        let current = t0 > t1 ? first0 : meta1
        let needed = (current.lastPage + 1).multipliedReportingOverflow(by: pageSize)
        guard !needed.overflow, pagesChecked || size >= needed.partialValue else {
            throw damaged(file, "it is \(size) bytes, but its last committed page (\(current.lastPage)) ends at byte \(needed.overflow ? UInt64.max : needed.partialValue): it was truncated")
        }
        for (name, root) in [("free-list", current.freeRoot), ("main", current.mainRoot)] where root != invalidPage && root > current.lastPage {
            throw damaged(file, "the \(name) tree's root is page \(root), past the last page in use (\(current.lastPage))")
        }
    }

    /// Why `directory/data.mdb` cannot be read whole, when it ends before the last page its newest
    /// meta page counts (a truncation the page check let through); `nil` otherwise.
    static func truncation(directory: String) -> String? {
        let file = directory + "/data.mdb"
        let descriptor = open(file, O_RDONLY)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        let first = read(descriptor, at: 0, count: 4096)
        guard let meta0 = meta(first, 0), isValidPageSize(meta0.pageSize) else { return nil }
        let pageSize = Int(meta0.pageSize)
        let both = read(descriptor, at: 0, count: 2 * pageSize)
        guard both.count == 2 * pageSize else { return "it is shorter than its two meta pages" }
        let metas = [meta(Array(both[..<pageSize]), 0), meta(Array(both[pageSize...]), 1)].compactMap { $0 }
        guard let newest = metas.max(by: { $0.transaction < $1.transaction }) else { return nil }
        let needed = (newest.lastPage + 1).multipliedReportingOverflow(by: UInt64(pageSize))
        let size = fileSize(descriptor)
        guard needed.overflow || size < needed.partialValue else { return nil }
        return "it is \(size) bytes, but its last committed page (\(newest.lastPage)) lies past its end: it was truncated"
    }

    static func fileSize(_ descriptor: Int32) -> UInt64 {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return 0 }
        return UInt64(max(0, info.st_size))
    }

    /// Up to `count` bytes at `offset` (fewer at the end of the file or on a read error).
    static func read(_ descriptor: Int32, at offset: UInt64, count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        let got = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, count, off_t(offset)) }
        return got > 0 ? Array(bytes.prefix(got)) : []
    }

    /// The meta record of page `index` in `page`, or `nil` when its magic or version is wrong.
    static func meta(_ page: [UInt8], _ index: Int) -> Meta? {
        guard page.count >= headerSize + 136 else { return nil }
        return page.withUnsafeBytes { raw -> Meta? in
            guard let base = raw.baseAddress else { return nil }
            let meta = base + headerSize
            guard meta.littleEndianUInt32(0) == magic, meta.littleEndianUInt32(4) == 1 else { return nil }
            return Meta(
                pageSize: meta.littleEndianUInt32(24), lastPage: meta.littleEndianUInt64(120),
                transaction: meta.littleEndianUInt64(128), free: DatabaseRecord(meta + 24), main: DatabaseRecord(meta + 72))
        }
    }

    static func isValidPageSize(_ size: UInt32) -> Bool {
        size >= 512 && size <= 65_536 && size & (size - 1) == 0
    }

    static func damaged(_ file: String, _ reason: String) -> LMDBError {
        LMDBError(code: .corrupted, message: "'\(file)' is damaged: \(reason)")
    }
}
