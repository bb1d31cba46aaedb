public import Foundation

/// Builds an event payload: little-endian integers, UUIDs as 16 bytes, times as microseconds,
/// strings and byte strings with a 32-bit length prefix.
///
/// Pair every `write` with the matching `read` of ``EventPayloadReader`` in the same order.
public struct EventPayloadWriter: Sendable {
    /// The bytes written so far.
    public private(set) var bytes: [UInt8]

    /// Creates an empty writer with room for `capacity` bytes.
    public init(capacity: Int = 64) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    @inline(__always)
    private mutating func writeInteger<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Writes one byte.
    public mutating func write(_ value: UInt8) { bytes.append(value) }
    /// Writes a 16-bit unsigned integer.
    public mutating func write(_ value: UInt16) { writeInteger(value) }
    /// Writes a 32-bit unsigned integer.
    public mutating func write(_ value: UInt32) { writeInteger(value) }
    /// Writes a 64-bit unsigned integer.
    public mutating func write(_ value: UInt64) { writeInteger(value) }
    /// Writes a 32-bit signed integer.
    public mutating func write(_ value: Int32) { writeInteger(value) }
    /// Writes a 64-bit signed integer.
    public mutating func write(_ value: Int64) { writeInteger(value) }
    /// Writes a Bool as one byte (0 or 1).
    public mutating func write(_ value: Bool) { bytes.append(value ? 1 : 0) }
    /// Writes a Double as its IEEE 754 bit pattern.
    public mutating func write(_ value: Double) { writeInteger(value.bitPattern) }
    /// Writes a UUID as its 16 bytes.
    public mutating func write(_ value: UUID) { withUnsafeBytes(of: value.uuid) { bytes.append(contentsOf: $0) } }
    /// Writes a timestamp as signed microseconds.
    public mutating func write(_ value: Timestamp) { writeInteger(value.microsecondsSinceEpoch) }

    /// Writes a string as a 32-bit byte count and its UTF-8 bytes.
    public mutating func write(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            writeInteger(UInt32(truncatingIfNeeded: utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    /// Writes a byte string as a 32-bit count and its bytes.
    public mutating func writeLengthPrefixed(_ value: some Collection<UInt8>) {
        writeInteger(UInt32(truncatingIfNeeded: value.count))
        bytes.append(contentsOf: value)
    }

    /// Writes bytes with no length prefix (for a payload's last field).
    public mutating func writeRawBytes(_ value: some Sequence<UInt8>) { bytes.append(contentsOf: value) }

    /// Writes an optional value: a presence byte, then the value when present.
    public mutating func writeOptional<T>(_ value: T?, _ write: (inout EventPayloadWriter, T) -> Void) {
        if let value {
            bytes.append(1)
            write(&self, value)
        } else {
            bytes.append(0)
        }
    }

    /// Writes an array: a 32-bit count, then each element.
    public mutating func writeArray<T>(_ values: [T], _ write: (inout EventPayloadWriter, T) -> Void) {
        writeInteger(UInt32(truncatingIfNeeded: values.count))
        for value in values { write(&self, value) }
    }
}
