import EventLedger
import Foundation

/// A closed set of values stored as one byte in an event payload, named in text formats by its
/// case name.
public protocol PayloadEnum: RawRepresentable, CaseIterable, Sendable, Hashable where RawValue == UInt8, AllCases == [Self] {
    /// The name used in text formats (NDJSON, tables).
    var name: String { get }
}

extension PayloadEnum {
    public var name: String { String(describing: self) }

    /// The case with this text name, or `nil`.
    public init?(name: String) {
        guard let match = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = match
    }
}

extension EventPayloadWriter {
    /// Writes a ``PayloadEnum`` as its one-byte code.
    mutating func write<E: PayloadEnum>(_ value: E) { write(value.rawValue) }
}

extension EventPayloadReader {
    /// Reads a ``PayloadEnum``; an unknown code is an error naming the field.
    mutating func read<E: PayloadEnum>(_: E.Type, field: String) throws -> E {
        let at = offset
        let code = try readUInt8()
        guard let value = E(rawValue: code) else {
            throw EventPayloadError(offset: at, reason: "\(field) has unknown code \(code)")
        }
        return value
    }

    /// Reads an array of UUIDs (16 bytes each, so a damaged count cannot over-allocate).
    mutating func readUUIDs() throws -> [UUID] {
        try readUUIDArray()
    }
}

extension EventPayloadWriter {
    /// Writes `value` as a `T`; a value `T` cannot hold is an error naming the field, never a
    /// silently clamped number.
    mutating func writeChecked<T: FixedWidthInteger>(_ value: Int, as _: T.Type, field: String) throws {
        guard let narrow = T(exactly: value) else {
            throw AccountabilityError(.invalidNumber, field: field, "\(field) is \(value); it is stored in \(T.bitWidth) bits (\(T.min) to \(T.max))")
        }
        writeInteger(narrow)
    }

    private mutating func writeInteger<T: FixedWidthInteger>(_ value: T) {
        switch value {
        case let v as UInt8: write(v)
        case let v as UInt16: write(v)
        case let v as UInt32: write(v)
        case let v as UInt64: write(v)
        case let v as Int32: write(v)
        case let v as Int64: write(v)
        default: write(Int64(value))
        }
    }

    /// Writes an array of UUIDs.
    mutating func write(_ values: [UUID]) { writeArray(values) { $0.write($1) } }
}
