public import Foundation

/// The key of one row of a ``KeyedProjection``: up to 32 bytes, compared bytewise, so rows are
/// kept and listed in key order.
///
/// Build keys from a one-byte kind and big-endian fields, so that keys sharing a prefix sort
/// together and a cursor can list them (``ProjectionView/forEachRow(prefix:_:)``):
///
/// ```swift
/// var key = RowKey(kind: 0x01)
/// key.append(mentorID)           // 16 bytes
/// key.append(UInt32(202612))     // the month, big-endian
/// ```
///
/// A key is a value with no heap storage (hashing and comparing it allocates nothing). Appending
/// beyond 32 bytes marks the key as overflowed; storing or reading a row under such a key throws
/// ``LedgerError/Code/invalidRequest`` naming the projection.
public struct RowKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The longest key, in bytes.
    public static let maximumLength = 32

    private var w0: UInt64 = 0, w1: UInt64 = 0, w2: UInt64 = 0, w3: UInt64 = 0
    /// The key's length in bytes.
    public private(set) var count: Int = 0
    /// Whether something was appended beyond ``maximumLength`` (and dropped).
    public private(set) var overflowed = false

    /// An empty key.
    public init() {}

    /// A key of one kind byte.
    public init(kind: UInt8) { append(kind) }

    /// A key of `bytes`; overflowed when there are more than 32.
    public init(bytes: some Sequence<UInt8>) {
        for byte in bytes { append(byte) }
    }

    /// Appends one byte.
    public mutating func append(_ byte: UInt8) {
        guard count < Self.maximumLength else { overflowed = true; return }
        let shift = UInt64(56 - 8 * (count & 7))
        let word = UInt64(byte) << shift
        switch count >> 3 {
        case 0: w0 |= word
        case 1: w1 |= word
        case 2: w2 |= word
        default: w3 |= word
        }
        count += 1
    }

    /// Appends a 16-bit integer, big-endian.
    public mutating func append(_ value: UInt16) { appendBigEndian(UInt64(value), bytes: 2) }
    /// Appends a 32-bit integer, big-endian.
    public mutating func append(_ value: UInt32) { appendBigEndian(UInt64(value), bytes: 4) }
    /// Appends a 64-bit integer, big-endian.
    public mutating func append(_ value: UInt64) { appendBigEndian(value, bytes: 8) }
    /// Appends a UUID's 16 bytes.
    public mutating func append(_ value: UUID) {
        let u = value.uuid
        for byte in [u.0, u.1, u.2, u.3, u.4, u.5, u.6, u.7, u.8, u.9, u.10, u.11, u.12, u.13, u.14, u.15] { append(byte) }
    }

    private mutating func appendBigEndian(_ value: UInt64, bytes: Int) {
        for i in stride(from: bytes - 1, through: 0, by: -1) { append(UInt8(truncatingIfNeeded: value >> UInt64(8 * i))) }
    }

    /// The byte at `index` (0 ..< count).
    public subscript(index: Int) -> UInt8 {
        let word: UInt64 = switch index >> 3 {
        case 0: w0
        case 1: w1
        case 2: w2
        default: w3
        }
        return UInt8(truncatingIfNeeded: word >> UInt64(56 - 8 * (index & 7)))
    }

    /// The key's bytes.
    public var bytes: [UInt8] { (0..<count).map { self[$0] } }

    /// Whether the key starts with `prefix`.
    public func hasPrefix(_ prefix: RowKey) -> Bool {
        guard prefix.count <= count else { return false }
        for i in 0..<prefix.count where self[i] != prefix[i] { return false }
        return true
    }

    /// The UUID stored at `offset` (16 bytes), or nil when the key is shorter.
    public func uuid(at offset: Int) -> UUID? {
        guard offset >= 0, offset + 16 <= count else { return nil }
        let b = (0..<16).map { self[offset + $0] }
        return UUID(uuid: (b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]))
    }

    /// The big-endian integer of `width` bytes (1 to 8) at `offset`, or nil when the key is shorter.
    public func integer(at offset: Int, width: Int) -> UInt64? {
        guard width >= 1, width <= 8, offset >= 0, offset + width <= count else { return nil }
        var value: UInt64 = 0
        for i in 0..<width { value = value << 8 | UInt64(self[offset + i]) }
        return value
    }

    /// Bytewise order; a prefix sorts first.
    public static func < (a: RowKey, b: RowKey) -> Bool {
        if a.w0 != b.w0 { return a.w0 < b.w0 }
        if a.w1 != b.w1 { return a.w1 < b.w1 }
        if a.w2 != b.w2 { return a.w2 < b.w2 }
        if a.w3 != b.w3 { return a.w3 < b.w3 }
        return a.count < b.count
    }

    /// The key as lowercase hex.
    public var description: String { bytes.map { String(format: "%02x", $0) }.joined() }
}
