/// Settings for opening an ``LMDBEnvironment``.
///
/// The defaults suit an append-only log: full durability, a map that grows by itself, and data
/// files readable only by their owner.
public struct LMDBEnvironmentOptions: Sendable, Hashable {
    /// The map size to start with, in bytes; rounded up to whole pages.
    ///
    /// This is address space, not disk space: the data file grows only as data is written.
    /// When a write needs more room the map grows by itself (see ``maximumMapSize``), so this
    /// only matters for tests and for very small devices. Default: 1 GiB.
    public var initialMapSize: Int = 1 << 30

    /// The largest the map may grow to, in bytes, rounded up to whole pages (and never less than
    /// 8 pages). A write that needs more fails with ``LMDBError/Code/mapFull``. When it is smaller
    /// than ``initialMapSize``, the map starts at this size. Default: 1 TiB.
    public var maximumMapSize: Int = 1 << 40

    /// The number of reader slots: the most read transactions open at once across all processes.
    /// Default: 256.
    public var maximumReaders: Int = 256

    /// The number of named databases that may be opened. Default: 32.
    public var maximumDatabases: Int = 32

    /// How much each commit waits for the disk. Default: ``LMDBDurability/full``.
    public var durability: LMDBDurability = .full

    /// Opens the environment read-only: no writes, no database creation.
    public var readOnly: Bool = false

    /// Creates the directory (mode 0700) when it does not exist. Default: `true`.
    public var createDirectoryIfMissing: Bool = true

    /// The permission bits for the data and lock files. Default: 0600 (owner read and write).
    public var fileMode: UInt32 = 0o600

    /// Disables the kernel's read-ahead on the map (`MDB_NORDAHEAD`); useful when the database is
    /// much larger than memory and access is random. Default: `false`.
    public var disableReadAhead: Bool = false

    /// Checks the structure of every page of every B-tree in the data file when the environment
    /// opens, before LMDB reads any of them. Default: `true`.
    ///
    /// LMDB trusts its pages: a damaged branch or leaf page makes it assert, or read through a
    /// wrong offset, and the process crashes. The check (see ``LMDBEnvironment/checkPages()``)
    /// reads every tree page of the data file once, with `pread`: about 0.6 s per GB from the
    /// page cache, and the disk's read speed otherwise; it keeps one page per tree level in memory.
    /// A page past the end of a truncated file is damage like any other (with the check off, a
    /// file cut short of its last page in use is refused at open, since LMDB would fault on it). When it finds damage, the
    /// environment still opens (unless the main tree, which names the databases, is damaged),
    /// keeps the faults in ``LMDBEnvironment/pageFaults``, serves every read that stays on pages
    /// that passed and refuses the rest, and every write, with ``LMDBError/Code/corrupted``.
    /// Turn it off only for files known to be intact, such as one this process just created.
    public var checksPagesAtOpen: Bool = true

    /// Creates options with the defaults.
    public init() {}
}
