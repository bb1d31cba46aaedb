public import LMDBKit

/// How a ``Ledger`` is opened.
public struct LedgerOptions: Sendable {
    /// How hard each commit works to reach the disk. Default: ``LMDBDurability/full`` (fsync on
    /// every commit). See ``LMDBDurability`` for the loss window of the relaxed modes.
    public var durability: LMDBDurability = .full

    /// The source of recorded-at times. Default: the system clock.
    public var clock: any LedgerClock = SystemClock()

    /// The most events committed in one group (one write transaction). Default: 10,000.
    ///
    /// A single append larger than this still commits whole, in a transaction of its own.
    public var maximumGroupSize: Int = 10_000

    /// The map size to start with, in bytes. The map grows by itself when it fills; this only
    /// matters for tests. Default: 1 GiB of address space (disk use grows with the data).
    public var initialMapSize: Int = 1 << 30

    /// The largest the ledger may grow to, in bytes. Default: 1 TiB.
    public var maximumMapSize: Int = 1 << 40

    /// The most read transactions open at once across all processes. Default: 256.
    public var maximumReaders: Int = 256

    /// Opens the ledger for reading only; appends fail. Default: `false`.
    public var readOnly: Bool = false

    /// How much of the memory map a scan of the log may keep resident in this process, in bytes.
    /// Default: 256 MiB; 0 keeps everything a scan touched resident.
    ///
    /// A scan (a replay, an export) reads the log through the memory map, and every page it touches
    /// counts towards the process's resident set until the kernel reclaims it. Once the records a
    /// scan has read since the last release span this much of the map, it tells the kernel it no
    /// longer needs those pages (`madvise(MADV_DONTNEED)`); they stay in the page cache, and
    /// records already handed out stay valid. The resident set of a replay then stays flat however
    /// long the log (measured: about 270 MB at 1M and at 10M events), at the price of faulting the
    /// pages of the index databases that sit between the log's pages back in.
    public var scanResidentLimit: Int = 256 << 20

    /// Checks every page of the data file's B-trees when the ledger opens, before anything reads
    /// them. Default: `true`.
    ///
    /// LMDB trusts its pages, and a damaged one crashes the process that reads it. With the check,
    /// a damaged ledger still opens (unless LMDB's directory of databases is damaged): records
    /// before the damage read as usual, a read that would reach it throws
    /// ``LedgerError/Code/corruptRecord`` naming the first position it stops, appends are
    /// refused, and ``Ledger/verify(progress:)`` reports it. The damage found is in
    /// ``Ledger/pageFaults``. The check reads the whole data file once: 0.24 s to open 1M events
    /// (a 410 MB file) from the page cache, against 0.1 ms without it, with no growth of the
    /// resident set (`make bench`, "Open"). Turn it off only for a ledger known to be intact;
    /// ``Ledger/verify(progress:)`` then runs the check itself before it reads anything.
    public var checksPagesAtOpen: Bool = true

    /// Creates the directory and a new ledger when the directory does not exist. Default: `true`.
    public var createIfMissing: Bool = true

    /// Creates the default options.
    public init() {}

    /// Options for a ledger that nobody sees until it is complete — built beside its place,
    /// flushed whole with ``Ledger/sync()``, then moved into place — as an import into a new
    /// ledger does: commits do not flush on their own (``LMDBDurability/noSync``) and pages are
    /// not checked at open (the file is new).
    public static var staging: LedgerOptions {
        var options = LedgerOptions()
        options.durability = .noSync
        options.checksPagesAtOpen = false
        return options
    }

    var environmentOptions: LMDBEnvironmentOptions {
        var options = LMDBEnvironmentOptions()
        options.durability = durability
        options.initialMapSize = initialMapSize
        options.maximumMapSize = maximumMapSize
        options.maximumReaders = maximumReaders
        options.readOnly = readOnly
        options.createDirectoryIfMissing = createIfMissing
        options.checksPagesAtOpen = checksPagesAtOpen
        return options
    }
}
