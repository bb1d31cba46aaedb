/// Options for writing a key/value pair.
public struct LMDBPutFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// `MDB_NOOVERWRITE`: fail with ``LMDBError/Code/keyExists`` when the key is present.
    public static let noOverwrite = LMDBPutFlags(rawValue: LMDBCalls.flagNoOverwrite)
    /// `MDB_APPEND`: the key sorts after every key in the database; LMDB skips the search and
    /// fills pages completely. A key out of order fails with ``LMDBError/Code/keyExists``.
    public static let append = LMDBPutFlags(rawValue: LMDBCalls.flagAppend)
}
