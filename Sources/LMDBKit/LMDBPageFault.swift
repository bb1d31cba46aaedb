/// Damage found in the page structure of a data file by the page check (see
/// ``LMDBEnvironmentOptions/checksPagesAtOpen`` and ``LMDBEnvironment/checkPages()``).
///
/// The check walks every B-tree from its root in key order, so when it finds a damaged page,
/// every key before that page has been read from pages that passed. ``lastReadableKey`` is the
/// last such key: an environment opened with damage serves reads up to it and refuses, with an
/// ``LMDBError/Code/corrupted`` error carrying this fault, any read that would reach past it, and
/// every write.
public struct LMDBPageFault: Sendable, Hashable, CustomStringConvertible {
    /// The database the damaged page belongs to: a name given at open, or `"main"` and
    /// `"free-list"` for LMDB's own two trees.
    public let database: String
    /// The damaged page's number (its byte offset is the number times the page size), or `nil`
    /// when the damage is in the database's record (its root, depth or counts).
    public let page: UInt64?
    /// What is wrong, in a sentence.
    public let reason: String
    /// The last key that can still be read: every key up to and including it lies on pages that
    /// passed the check. `nil` when no key can be read (the root or the first leaf is damaged).
    public let lastReadableKey: [UInt8]?
    /// Whether every key of the database can be read: the tree is intact and only its record's
    /// figures (entries, page counts) disagree with it. Reads are not restricted then; writes are.
    public let allKeysReadable: Bool

    /// Creates a fault.
    public init(database: String, page: UInt64?, reason: String, lastReadableKey: [UInt8]?, allKeysReadable: Bool = false) {
        self.database = database
        self.page = page
        self.reason = reason
        self.lastReadableKey = lastReadableKey
        self.allKeysReadable = allKeysReadable
    }

    /// Whether `key` can be read: it sorts at or before ``lastReadableKey`` (bytewise).
    public func canRead(_ key: some Collection<UInt8>) -> Bool {
        if allKeysReadable { return true }
        guard let last = lastReadableKey else { return false }
        return !last.lexicographicallyPrecedes(key)
    }

    public var description: String {
        let place = page.map { "page \($0) of database '\(database)'" } ?? "the record of database '\(database)'"
        let readable: String
        if allKeysReadable {
            readable = "every key can still be read"
        } else if let last = lastReadableKey {
            readable = "keys after 0x\(Self.hex(last)) cannot be read"
        } else {
            readable = "none of its keys can be read"
        }
        return "\(place) is damaged: \(reason); \(readable)"
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes.prefix(64) {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self) + (bytes.count > 64 ? "…" : "")
    }
}
