/// Figures about an open environment.
public struct LMDBEnvironmentInfo: Sendable, Hashable {
    /// The current map size in bytes.
    public let mapSize: Int
    /// The page size in bytes.
    public let pageSize: Int
    /// The number of the last page in use; `(lastPageNumber + 1) * pageSize` bytes of the map are used.
    public let lastPageNumber: Int
    /// The number of reader slots.
    public let maximumReaders: Int
    /// The number of reader slots used (by this and other processes).
    public let readersInUse: Int

    /// Bytes of the map in use.
    public var usedBytes: Int { (lastPageNumber + 1) * pageSize }
}
