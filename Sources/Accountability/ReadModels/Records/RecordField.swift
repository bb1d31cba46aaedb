import EventLedger
import Foundation

/// A part of a ``MentorshipRecord``'s binary row, written and read field by field in a fixed
/// order with ``EventPayloadWriter`` / ``EventPayloadReader``. Decoding throws on anything
/// malformed (short input, a presence or flag byte out of range, an unknown enum tag).
protocol RecordField {
    /// The fewest bytes an encoding takes: bounds a decoded element count by the bytes left, so
    /// a damaged count cannot reserve unbounded memory.
    static var minimumEncodedSize: Int { get }
    /// Writes the value.
    func encode(into writer: inout EventPayloadWriter)
    /// Reads a value written by ``encode(into:)``.
    init(decoding reader: inout EventPayloadReader) throws
}

extension Timestamp: RecordField {
    static var minimumEncodedSize: Int { 8 }
    func encode(into writer: inout EventPayloadWriter) { writer.write(self) }
    init(decoding reader: inout EventPayloadReader) throws { self = try reader.readTimestamp() }
}

extension UUID: RecordField {
    static var minimumEncodedSize: Int { 16 }
    func encode(into writer: inout EventPayloadWriter) { writer.write(self) }
    init(decoding reader: inout EventPayloadReader) throws { self = try reader.readUUID() }
}

extension EventPayloadWriter {
    /// Writes an array of fields: a 32-bit count, then each field.
    mutating func write<Field: RecordField>(fields: [Field]) {
        writeArray(fields) { writer, field in field.encode(into: &writer) }
    }

    /// Writes an optional field: a presence byte, then the field when present.
    mutating func write<Field: RecordField>(optional field: Field?) {
        writeOptional(field) { writer, field in field.encode(into: &writer) }
    }

    /// Writes an `Int` as a signed 64-bit integer.
    mutating func write(int value: Int) { write(Int64(value)) }
}

extension EventPayloadReader {
    /// Reads an array written by ``EventPayloadWriter/write(fields:)``.
    mutating func readFields<Field: RecordField>(_: Field.Type) throws -> [Field] {
        try readArray(minimumElementSize: Field.minimumEncodedSize) { try Field(decoding: &$0) }
    }

    /// Reads an optional field written by ``EventPayloadWriter/write(optional:)``.
    mutating func readOptionalField<Field: RecordField>(_: Field.Type) throws -> Field? {
        try readOptional { try Field(decoding: &$0) }
    }

    /// Reads an `Int` written by ``EventPayloadWriter/write(int:)``; one that does not fit is an error.
    mutating func readInt() throws -> Int {
        let at = offset
        guard let value = Int(exactly: try readInt64()) else {
            throw EventPayloadError(offset: at, reason: "an integer does not fit in Int")
        }
        return value
    }

    /// Reads a flag byte; bits outside `allowed` are an error.
    mutating func readFlags(allowed: UInt8) throws -> UInt8 {
        let at = offset
        let flags = try readUInt8()
        guard flags & ~allowed == 0 else {
            throw EventPayloadError(offset: at, reason: "a flag byte has unknown bits set (\(flags))")
        }
        return flags
    }
}
