import Foundation

/// Key and value encodings of the ledger's indexes. All integers are big-endian so that LMDB's
/// bytewise order is numeric order.
enum LedgerKeys {
    /// Calls `body` with the 8-byte key of a position.
    @inline(__always)
    static func withPositionKey<R>(_ position: UInt64, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try withUnsafeBytes(of: position.bigEndian, body)
    }

    /// Calls `body` with the 16-byte key of a stream revision.
    @inline(__always)
    static func withStreamRevisionKey<R>(_ streamKey: UInt64, _ revision: UInt64, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try withUnsafeBytes(of: (streamKey.bigEndian, revision.bigEndian), body)
    }

    /// Calls `body` with the 12-byte key of a type index entry.
    @inline(__always)
    static func withTypeKey<R>(_ tag: UInt32, _ position: UInt64, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        var key: (UInt32, UInt32, UInt32) = (0, 0, 0)
        return try withUnsafeMutableBytes(of: &key) { raw in
            raw.storeBytes(of: tag.bigEndian, toByteOffset: 0, as: UInt32.self)
            raw.storeBytes(of: position.bigEndian, toByteOffset: 4, as: UInt64.self)
            return try body(UnsafeRawBufferPointer(rebasing: raw[0..<12]))
        }
    }

    /// Calls `body` with the 16 bytes of an event id.
    @inline(__always)
    static func withIDKey<R>(_ id: UUID, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try withUnsafeBytes(of: id.uuid, body)
    }

    /// Reads a big-endian UInt64 at `offset`; `nil` when the buffer is too short.
    @inline(__always)
    static func uint64(_ buffer: UnsafeRawBufferPointer, at offset: Int = 0) -> UInt64? {
        guard buffer.count >= offset + 8 else { return nil }
        return UInt64(bigEndian: buffer.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    /// Reads a big-endian UInt32 at `offset`; `nil` when the buffer is too short.
    @inline(__always)
    static func uint32(_ buffer: UnsafeRawBufferPointer, at offset: Int = 0) -> UInt32? {
        guard buffer.count >= offset + 4 else { return nil }
        return UInt32(bigEndian: buffer.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    /// The value of a `stream-names` entry: stream key and current revision.
    @inline(__always)
    static func withStreamState<R>(_ streamKey: UInt64, _ revision: UInt64, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try withUnsafeBytes(of: (streamKey.bigEndian, revision.bigEndian), body)
    }

    /// The largest stream name accepted, in UTF-8 bytes (LMDB keys are at most 511 bytes).
    static let maximumStreamNameBytes = 256

    /// Checks a stream name: 1 to 256 UTF-8 bytes with no control characters.
    static func validateStreamName(_ name: String) throws(LedgerError) {
        let count = name.utf8.count
        guard count > 0 else { throw LedgerError(.invalidStreamName, "stream name is empty", stream: name) }
        guard count <= maximumStreamNameBytes else {
            throw LedgerError(.invalidStreamName, "stream name is \(count) bytes; the limit is \(maximumStreamNameBytes)", stream: name)
        }
        // ASCII names (the common case) need no Unicode property lookup: their control
        // characters are 0x00-0x1F and 0x7F.
        let isASCII = name.utf8.allSatisfy { $0 < 0x80 }
        let hasControl = isASCII
            ? name.utf8.contains { $0 < 0x20 || $0 == 0x7F }
            : name.unicodeScalars.contains { $0.properties.generalCategory == .control }
        if hasControl {
            throw LedgerError(.invalidStreamName, "stream name '\(name.debugDescription)' contains a control character", stream: name)
        }
    }
}
