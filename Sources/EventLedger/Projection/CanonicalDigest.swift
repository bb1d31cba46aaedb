import Crypto
public import Foundation

/// A SHA-256 digest of a read model's canonical content: the same log and as-of time always give
/// the same digest, whatever the machine, so two replays (or a replay and a checkpointed
/// catch-up) can be compared with one value.
///
/// Feed fields in a fixed order — sort anything kept in a dictionary first — with the typed
/// `add` methods (integers little-endian, doubles by bit pattern, strings length-prefixed UTF-8).
public struct CanonicalDigest {
    private var hasher = SHA256()

    /// An empty digest.
    public init() {}

    /// Adds a 64-bit integer.
    public mutating func add(_ value: Int) { add(UInt64(bitPattern: Int64(value))) }
    /// Adds a 64-bit unsigned integer.
    public mutating func add(_ value: UInt64) { Swift.withUnsafeBytes(of: value.littleEndian) { hasher.update(bufferPointer: $0) } }
    /// Adds a double by its bit pattern (so -0 and 0 differ; NaNs by payload).
    public mutating func add(_ value: Double) { add(value.bitPattern) }
    /// Adds a Bool as one byte.
    public mutating func add(_ value: Bool) { Swift.withUnsafeBytes(of: value ? UInt8(1) : 0) { hasher.update(bufferPointer: $0) } }
    /// Adds a UUID's 16 bytes.
    public mutating func add(_ value: UUID) { Swift.withUnsafeBytes(of: value.uuid) { hasher.update(bufferPointer: $0) } }
    /// Adds a timestamp's microseconds.
    public mutating func add(_ value: Timestamp) { add(UInt64(bitPattern: value.microsecondsSinceEpoch)) }
    /// Adds a string: its UTF-8 length, then its bytes.
    public mutating func add(_ value: String) {
        add(UInt64(value.utf8.count))
        hasher.update(data: Array(value.utf8))
    }
    /// Adds an optional: a presence byte, then the value.
    public mutating func add<T>(_ value: T?, _ addValue: (inout CanonicalDigest, T) -> Void) {
        add(value != nil)
        if let value { addValue(&self, value) }
    }

    /// The digest as 64 lowercase hex digits.
    public func finalize() -> String {
        hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
