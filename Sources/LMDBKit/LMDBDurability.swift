/// How hard a commit works to reach the disk.
///
/// Only an operating-system crash or power loss can lose data in the relaxed modes: a process that
/// crashes or is killed loses nothing in any mode, because committed pages are already in the
/// kernel's page cache.
public enum LMDBDurability: Sendable, Hashable {
    /// Every commit flushes data and metadata (`fsync`) before it returns. The default.
    case full
    /// `MDB_NOMETASYNC`: data is flushed, the metadata page is not.
    ///
    /// Loss window: the **last committed transaction** may be rolled back after an OS crash or power
    /// loss. The database stays consistent.
    case noMetaSync
    /// `MDB_NOSYNC`: nothing is flushed at commit; the kernel writes pages back on its own schedule
    /// (typically within 30 seconds on Linux), or when ``LMDBEnvironment/sync(force:)`` is called.
    ///
    /// Loss window: every transaction committed since the last flush may be lost after an OS crash
    /// or power loss. On a file system that preserves write order the database stays consistent;
    /// otherwise it can be damaged.
    case noSync
}
