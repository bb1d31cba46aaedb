/// Keys of the `meta` database.
enum MetaKey {
    /// The ledger format version (UInt32 big-endian).
    static let formatVersion = "format-version"
    /// The ledger's id (16 bytes), fixed at creation.
    static let ledgerID = "ledger-id"
    /// When the ledger was created (Int64 microseconds, big-endian).
    static let createdAt = "created-at"
    /// The head: position (UInt64 big-endian) followed by its chain hash (32 bytes).
    static let head = "head"
    /// The last type tag handed out (UInt32 big-endian).
    static let lastTypeTag = "type-tag-last"
    /// Prefix of `type/<name>` → tag (UInt32 big-endian).
    static let typePrefix = "type/"
    /// Prefix of `tag/<tag as 4 big-endian bytes>` → type name.
    static let tagPrefix = "tag/"

    /// The ledger format this library writes and the newest it reads.
    static let currentFormatVersion: UInt32 = 1

    static func typeKey(_ name: String) -> [UInt8] { Array((typePrefix + name).utf8) }

    static func tagKey(_ tag: UInt32) -> [UInt8] {
        var key = Array(tagPrefix.utf8)
        withUnsafeBytes(of: tag.bigEndian) { key.append(contentsOf: $0) }
        return key
    }
}
