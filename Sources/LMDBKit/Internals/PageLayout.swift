#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// LMDB 0.9's on-disk page format (64-bit builds), as the page check reads it.
///
/// A page starts with a 16-byte header: its page number (UInt64) at 0, flags (UInt16) at 10, and
/// either the lower and upper bounds of its free space (UInt16 each, at 12 and 14) or, on the
/// first page of an overflow run, the run's length in pages (UInt32 at 12). Branch and leaf pages
/// then hold an array of UInt16 node offsets from byte 16 up to `lower`; the nodes themselves lie
/// between `upper` and the end of the page. A node is 8 bytes of header and then its key:
/// `lo`, `hi` (UInt16 each: a leaf's value size, or the low 32 bits of a branch's child page),
/// flags (UInt16: on a branch node, bits 32–47 of the child page), key size (UInt16). A leaf's
/// value follows its key, unless the node is `F_BIGDATA`: then an 8-byte page number of the
/// overflow run holding it follows. A database record (`MDB_db`, 48 bytes) holds flags (UInt16)
/// at 4, depth (UInt16) at 6, branch, leaf and overflow page counts at 8, 16, 24, entries at 32 and
/// the root page at 40 (all UInt64). All integers are little-endian (the host's order).
enum PageLayout {
    static let headerSize = 16
    static let nodeHeaderSize = 8
    static let recordSize = 48
    static let invalidPage = UInt64.max
    /// LMDB's cursor stack depth: no tree can be deeper.
    static let maximumDepth = 32
    /// LMDB's largest key with the default build (`MDB_MAXKEYSIZE`).
    static let maximumKeySize = 511

    static let branch: UInt16 = 0x01
    static let leaf: UInt16 = 0x02
    static let overflow: UInt16 = 0x04

    static let bigData: UInt16 = 0x01
    static let subData: UInt16 = 0x02
    static let dupData: UInt16 = 0x04

    /// `MDB_INTEGERKEY`: the free list's keys are native UInt64 transaction ids.
    static let integerKeyFlag: UInt16 = 0x08
}

/// A database record (`MDB_db`), from a meta page or from a main-tree node.
struct DatabaseRecord: Equatable {
    let flags: UInt16
    let depth: Int
    let branchPages: UInt64
    let leafPages: UInt64
    let overflowPages: UInt64
    let entries: UInt64
    let root: UInt64

    init(_ bytes: UnsafeRawPointer) {
        flags = bytes.littleEndianUInt16(4)
        depth = Int(bytes.littleEndianUInt16(6))
        branchPages = bytes.littleEndianUInt64(8)
        leafPages = bytes.littleEndianUInt64(16)
        overflowPages = bytes.littleEndianUInt64(24)
        entries = bytes.littleEndianUInt64(32)
        root = bytes.littleEndianUInt64(40)
    }
}

extension UnsafeRawPointer {
    @inline(__always)
    func littleEndianUInt16(_ offset: Int) -> UInt16 {
        UInt16(littleEndian: loadUnaligned(fromByteOffset: offset, as: UInt16.self))
    }

    @inline(__always)
    func littleEndianUInt32(_ offset: Int) -> UInt32 {
        UInt32(littleEndian: loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    @inline(__always)
    func littleEndianUInt64(_ offset: Int) -> UInt64 {
        UInt64(littleEndian: loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }
}

/// The pages of a data file, read with `pread` for the page check: nothing goes through LMDB's
/// map, nothing the check reads stays resident (only the buffers of the pages on the walk's
/// current path), and a file that shrinks meanwhile gives a short read, not a SIGBUS.
final class PageFile {
    let path: String
    let pageSize: Int
    /// The last page of the snapshot checked (the meta page's last page in use).
    let lastPage: UInt64
    /// The file's size when opened. A truncated file ends before `lastPage`: the pages past its
    /// end are damage, which LMDB (reading through a map) would fault on with SIGBUS.
    let fileSize: UInt64
    private let descriptor: Int32

    /// Opens `file`, whose snapshot uses pages up to `lastPage`.
    init(file: String, pageSize: Int, lastPage: UInt64) throws(LMDBError) {
        let descriptor = open(file, O_RDONLY)
        guard descriptor >= 0 else {
            throw LMDBError(code: .init(rawValue: errno), message: "opening '\(file)' to check its pages")
        }
        guard lastPage < UInt64(Int.max) / UInt64(pageSize) else {
            close(descriptor)
            throw DataFileCheck.damaged(file, "its meta page records a last page (\(lastPage)) no file can reach")
        }
        self.fileSize = DataFileCheck.fileSize(descriptor)
        _ = posix_fadvise(descriptor, 0, 0, POSIX_FADV_SEQUENTIAL)
        self.path = file
        self.pageSize = pageSize
        self.lastPage = lastPage
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }

    /// Whether pages `first` up to `first + count - 1` lie within the file.
    func holds(_ first: UInt64, count: UInt64) -> Bool {
        let end = (first + count).multipliedReportingOverflow(by: UInt64(pageSize))
        return !end.overflow && end.partialValue <= fileSize
    }

    /// Reads `count` bytes starting `offset` bytes into page `number` (they may run on into the
    /// pages after it) into `buffer`; `false` when the file ends first.
    func read(from number: UInt64, offset: Int = 0, count: Int, into buffer: UnsafeMutableRawPointer) -> Bool {
        var done = 0
        while done < count {
            let got = pread(descriptor, buffer + done, count - done, off_t(Int(number) * pageSize + offset + done))
            if got < 0, errno == EINTR { continue }
            guard got > 0 else { return false }
            done += got
        }
        return true
    }
}

/// A set of page numbers, as a bitmap: which pages a tree already uses.
struct PageSet {
    private var words: [UInt64]

    init(pageCount: UInt64) {
        words = [UInt64](repeating: 0, count: Int((pageCount + 63) / 64))
    }

    /// Adds `page`; `false` when it was already in the set.
    @inline(__always)
    mutating func insert(_ page: UInt64) -> Bool {
        let (word, bit) = (Int(page >> 6), page & 63)
        let mask: UInt64 = 1 << bit
        if words[word] & mask != 0 { return false }
        words[word] |= mask
        return true
    }

    @inline(__always)
    func contains(_ page: UInt64) -> Bool {
        words[Int(page >> 6)] & (1 << (page & 63)) != 0
    }
}
