public import Foundation

/// Reads an event payload written by ``EventPayloadWriter``, in place.
///
/// Every read checks the remaining length first and throws ``EventPayloadError`` instead of
/// reading past the end; length prefixes are checked against the bytes actually left, so a damaged
/// length can never cause a large allocation. Fixed-size reads (integers, UUIDs, times) allocate
/// nothing.
///
/// A reader borrows its bytes: it is valid only inside the closure that provided it.
///
/// The reads are `@inlinable`, so a codec in another module is compiled with them in place: the
/// hot path of every replay is a codec calling these one field at a time.
public struct EventPayloadReader {
    @usableFromInline let buffer: UnsafeRawBufferPointer
    @usableFromInline var cursor: Int

    /// The offset of the next byte to read.
    @inlinable public var offset: Int { cursor }

    /// Creates a reader over `buffer`. The buffer must outlive the reader.
    @inlinable
    public init(_ buffer: UnsafeRawBufferPointer) {
        self.buffer = buffer
        self.cursor = 0
    }

    /// The number of bytes not read yet.
    @inlinable public var remaining: Int { buffer.count - cursor }
    /// Whether every byte has been read.
    @inlinable public var isAtEnd: Bool { cursor >= buffer.count }

    @inlinable @inline(__always)
    mutating func take(_ count: Int, _ what: @autoclosure () -> String) throws -> Int {
        guard count >= 0, count <= buffer.count - cursor else { throw shortPayload(count, what()) }
        let start = cursor
        cursor += count
        return start
    }

    /// The error for a read of `count` bytes past the end (kept out of line: it is the cold path).
    @usableFromInline @inline(never)
    func shortPayload(_ count: Int, _ what: String) -> EventPayloadError {
        EventPayloadError(offset: cursor, reason: "payload ends before \(what) (\(count) bytes needed, \(buffer.count - cursor) left)")
    }

    @inlinable @inline(__always)
    mutating func readInteger<T: FixedWidthInteger>(_: T.Type, _ what: @autoclosure () -> String) throws -> T {
        let start = try take(MemoryLayout<T>.size, what())
        return T(littleEndian: buffer.loadUnaligned(fromByteOffset: start, as: T.self))
    }

    /// Reads one byte.
    @inlinable
    public mutating func readUInt8() throws -> UInt8 { buffer[try take(1, "a byte")] }
    /// Reads a 16-bit unsigned integer.
    @inlinable
    public mutating func readUInt16() throws -> UInt16 { try readInteger(UInt16.self, "a 16-bit integer") }
    /// Reads a 32-bit unsigned integer.
    @inlinable
    public mutating func readUInt32() throws -> UInt32 { try readInteger(UInt32.self, "a 32-bit integer") }
    /// Reads a 64-bit unsigned integer.
    @inlinable
    public mutating func readUInt64() throws -> UInt64 { try readInteger(UInt64.self, "a 64-bit integer") }
    /// Reads a 32-bit signed integer.
    @inlinable
    public mutating func readInt32() throws -> Int32 { try readInteger(Int32.self, "a 32-bit integer") }
    /// Reads a 64-bit signed integer.
    @inlinable
    public mutating func readInt64() throws -> Int64 { try readInteger(Int64.self, "a 64-bit integer") }
    /// Reads a Double from its bit pattern.
    @inlinable
    public mutating func readDouble() throws -> Double { Double(bitPattern: try readInteger(UInt64.self, "a double")) }
    /// Reads a timestamp.
    @inlinable
    public mutating func readTimestamp() throws -> Timestamp {
        Timestamp(microsecondsSinceEpoch: try readInteger(Int64.self, "a timestamp"))
    }

    /// Reads a Bool; any byte other than 0 or 1 is an error.
    @inlinable
    public mutating func readBool() throws -> Bool {
        let at = cursor
        switch try readUInt8() {
        case 0: return false
        case 1: return true
        case let other: throw EventPayloadError(offset: at, reason: "a Bool must be 0 or 1, found \(other)")
        }
    }

    /// Reads a UUID from 16 bytes.
    @inlinable @inline(__always)
    public mutating func readUUID() throws -> UUID {
        let start = try take(16, "a UUID")
        // A UUID is its 16 bytes (`uuid_t`, its one stored property): one load, no call into
        // Foundation's tuple initialiser, which takes the bytes as 16 arguments.
        return buffer.loadUnaligned(fromByteOffset: start, as: UUID.self)
    }

    /// Reads a length-prefixed UTF-8 string; invalid UTF-8 is an error.
    @inlinable
    public mutating func readString() throws -> String {
        let length = Int(try readUInt32())
        let start = try take(length, "a string of \(length) bytes")
        let slice = UnsafeRawBufferPointer(rebasing: buffer[start..<start + length])
        // ASCII (what most stored text is) is valid UTF-8 as it stands: decode it without the
        // generic validating initialiser, which costs more than the copy itself.
        if Self.isASCII(slice) { return String(decoding: slice, as: UTF8.self) }
        guard let text = String(validating: slice, as: UTF8.self) else {
            throw EventPayloadError(offset: start, reason: "a string is not valid UTF-8")
        }
        return text
    }

    /// Whether every byte is below 0x80, eight bytes at a time.
    @inlinable @inline(__always)
    static func isASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        var high: UInt64 = 0
        while index + 8 <= bytes.count {
            high |= bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            index += 8
        }
        while index < bytes.count {
            high |= UInt64(bytes[index])
            index += 1
        }
        return high & 0x8080_8080_8080_8080 == 0
    }

    /// Reads an array of UUIDs written by ``EventPayloadWriter/writeArray(_:_:)`` (a 32-bit count,
    /// then 16 bytes each), copying the bytes in one go. A count larger than the bytes left is an
    /// error, so a damaged count cannot over-allocate.
    @inlinable
    public mutating func readUUIDArray() throws -> [UUID] {
        let at = cursor
        let count = Int(try readUInt32())
        guard count <= remaining / 16 else {
            throw EventPayloadError(offset: at, reason: "an array claims \(count) elements but only \(remaining) bytes are left")
        }
        if count == 0 { return [] }
        let start = cursor
        cursor += count * 16
        let source = UnsafeRawBufferPointer(rebasing: buffer[start..<start + count * 16])
        return [UUID](unsafeUninitializedCapacity: count) { elements, initialized in
            // UUIDs are 16 plain bytes each: the stored bytes are the array's elements.
            UnsafeMutableRawBufferPointer(elements).copyMemory(from: source)
            initialized = count
        }
    }

    /// Reads a length-prefixed byte string.
    @inlinable
    public mutating func readLengthPrefixedBytes() throws -> [UInt8] {
        let length = Int(try readUInt32())
        let start = try take(length, "\(length) bytes")
        return Array(buffer[start..<start + length])
    }

    /// Reads every byte left.
    @inlinable
    public mutating func readRemainingBytes() -> [UInt8] {
        let rest = Array(buffer[cursor...])
        cursor = buffer.count
        return rest
    }

    /// Reads an optional value written by ``EventPayloadWriter/writeOptional(_:_:)``.
    @inlinable
    public mutating func readOptional<T>(_ read: (inout EventPayloadReader) throws -> T) throws -> T? {
        let at = cursor
        switch try readUInt8() {
        case 0: return nil
        case 1: return try read(&self)
        case let other: throw EventPayloadError(offset: at, reason: "an optional's presence byte must be 0 or 1, found \(other)")
        }
    }

    /// Reads an array written by ``EventPayloadWriter/writeArray(_:_:)``.
    ///
    /// `minimumElementSize` (at least 1) bounds the count by the bytes left, so a damaged count
    /// cannot reserve unbounded memory.
    @inlinable
    public mutating func readArray<T>(minimumElementSize: Int = 1, _ read: (inout EventPayloadReader) throws -> T) throws -> [T] {
        let at = cursor
        let count = Int(try readUInt32())
        guard count <= remaining / max(1, minimumElementSize) else {
            throw EventPayloadError(offset: at, reason: "an array claims \(count) elements but only \(remaining) bytes are left")
        }
        var values = [T]()
        values.reserveCapacity(count)
        for _ in 0..<count { values.append(try read(&self)) }
        return values
    }

    /// Throws unless every byte was read: trailing bytes mean the payload is not what the codec wrote.
    @inlinable
    public func expectEnd(_ type: @autoclosure () -> String) throws {
        if !isAtEnd {
            throw EventPayloadError(offset: offset, reason: "\(remaining) unexpected trailing bytes after a \(type()) payload")
        }
    }
}
