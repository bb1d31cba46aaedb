public import Foundation

/// Reads an event payload written by ``EventPayloadWriter``, in place.
///
/// Every read checks the remaining length first and throws ``EventPayloadError`` instead of
/// reading past the end; length prefixes are checked against the bytes actually left, so a damaged
/// length can never cause a large allocation. Fixed-size reads (integers, UUIDs, times) allocate
/// nothing.
///
/// A reader borrows its bytes: it is valid only inside the closure that provided it.
public struct EventPayloadReader {
    @usableFromInline let buffer: UnsafeRawBufferPointer
    /// The offset of the next byte to read.
    public private(set) var offset: Int

    /// Creates a reader over `buffer`. The buffer must outlive the reader.
    public init(_ buffer: UnsafeRawBufferPointer) {
        self.buffer = buffer
        self.offset = 0
    }

    /// The number of bytes not read yet.
    public var remaining: Int { buffer.count - offset }
    /// Whether every byte has been read.
    public var isAtEnd: Bool { offset >= buffer.count }

    @inline(__always)
    private mutating func take(_ count: Int, _ what: @autoclosure () -> String) throws -> Int {
        guard count >= 0, count <= buffer.count - offset else {
            throw EventPayloadError(offset: offset, reason: "payload ends before \(what()) (\(count) bytes needed, \(buffer.count - offset) left)")
        }
        let start = offset
        offset += count
        return start
    }

    @inline(__always)
    private mutating func readInteger<T: FixedWidthInteger>(_: T.Type, _ what: @autoclosure () -> String) throws -> T {
        let start = try take(MemoryLayout<T>.size, what())
        return T(littleEndian: buffer.loadUnaligned(fromByteOffset: start, as: T.self))
    }

    /// Reads one byte.
    public mutating func readUInt8() throws -> UInt8 { buffer[try take(1, "a byte")] }
    /// Reads a 16-bit unsigned integer.
    public mutating func readUInt16() throws -> UInt16 { try readInteger(UInt16.self, "a 16-bit integer") }
    /// Reads a 32-bit unsigned integer.
    public mutating func readUInt32() throws -> UInt32 { try readInteger(UInt32.self, "a 32-bit integer") }
    /// Reads a 64-bit unsigned integer.
    public mutating func readUInt64() throws -> UInt64 { try readInteger(UInt64.self, "a 64-bit integer") }
    /// Reads a 32-bit signed integer.
    public mutating func readInt32() throws -> Int32 { try readInteger(Int32.self, "a 32-bit integer") }
    /// Reads a 64-bit signed integer.
    public mutating func readInt64() throws -> Int64 { try readInteger(Int64.self, "a 64-bit integer") }
    /// Reads a Double from its bit pattern.
    public mutating func readDouble() throws -> Double { Double(bitPattern: try readInteger(UInt64.self, "a double")) }
    /// Reads a timestamp.
    public mutating func readTimestamp() throws -> Timestamp {
        Timestamp(microsecondsSinceEpoch: try readInteger(Int64.self, "a timestamp"))
    }

    /// Reads a Bool; any byte other than 0 or 1 is an error.
    public mutating func readBool() throws -> Bool {
        let at = offset
        switch try readUInt8() {
        case 0: return false
        case 1: return true
        case let other: throw EventPayloadError(offset: at, reason: "a Bool must be 0 or 1, found \(other)")
        }
    }

    /// Reads a UUID from 16 bytes.
    public mutating func readUUID() throws -> UUID {
        let start = try take(16, "a UUID")
        var raw: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &raw) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: buffer[start..<start + 16])) }
        return UUID(uuid: raw)
    }

    /// Reads a length-prefixed UTF-8 string; invalid UTF-8 is an error.
    public mutating func readString() throws -> String {
        let length = Int(try readUInt32())
        let start = try take(length, "a string of \(length) bytes")
        let slice = UnsafeRawBufferPointer(rebasing: buffer[start..<start + length])
        guard let text = String(validating: slice, as: UTF8.self) else {
            throw EventPayloadError(offset: start, reason: "a string is not valid UTF-8")
        }
        return text
    }

    /// Reads a length-prefixed byte string.
    public mutating func readLengthPrefixedBytes() throws -> [UInt8] {
        let length = Int(try readUInt32())
        let start = try take(length, "\(length) bytes")
        return Array(buffer[start..<start + length])
    }

    /// Reads every byte left.
    public mutating func readRemainingBytes() -> [UInt8] {
        let rest = Array(buffer[offset...])
        offset = buffer.count
        return rest
    }

    /// Reads an optional value written by ``EventPayloadWriter/writeOptional(_:_:)``.
    public mutating func readOptional<T>(_ read: (inout EventPayloadReader) throws -> T) throws -> T? {
        let at = offset
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
    public mutating func readArray<T>(minimumElementSize: Int = 1, _ read: (inout EventPayloadReader) throws -> T) throws -> [T] {
        let at = offset
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
    public func expectEnd(_ type: String) throws {
        if !isAtEnd {
            throw EventPayloadError(offset: offset, reason: "\(remaining) unexpected trailing bytes after a \(type) payload")
        }
    }
}
