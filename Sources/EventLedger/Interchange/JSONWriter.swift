extension JSONValue {
    /// The value as compact JSON: no whitespace, object members in their stored order.
    ///
    /// The result always parses back, with ``JSONParser``, to a value equal to this one (for values
    /// nested no deeper than the parser's maximum depth).
    public var serialized: String {
        var writer = JSONWriter()
        writer.write(self)
        return writer.string
    }

    /// The value as compact JSON in UTF-8 bytes; see ``serialized``.
    public var serializedBytes: [UInt8] {
        var writer = JSONWriter()
        writer.write(self)
        return writer.bytes
    }
}

/// Writes compact JSON into a byte buffer, from ``JSONValue`` trees or field by field.
///
/// Field-by-field writing builds a document without building a tree first, which is the fast way
/// to write records:
///
/// ```swift
/// var writer = JSONWriter()
/// writer.beginObject()
/// writer.key("type")
/// writer.writeString("GoalSet")
/// writer.key("version")
/// writer.writeNumber(1)
/// writer.endObject()
/// writer.string  // {"type":"GoalSet","version":1}
/// ```
///
/// The writer puts in the commas and colons. It does not check that calls are balanced: a key
/// outside an object, or a container left open, gives a document that does not parse.
///
/// Strings are escaped minimally: `"` as `\"`, `\` as `\\`, control characters below U+0020 as
/// `\n`, `\r`, `\t`, `\b`, `\f` or `\u00xx` (lowercase hex); everything else, U+007F and non-ASCII
/// included, is written as its UTF-8 bytes.
public struct JSONWriter: Sendable {
    /// The UTF-8 bytes written so far.
    public private(set) var bytes: [UInt8]
    /// Whether the next value or key needs a comma before it.
    private var needsComma = false

    /// Creates an empty writer.
    public init() {
        self.bytes = []
    }

    /// The bytes written so far, as a string.
    public var string: String { String(decoding: bytes, as: UTF8.self) }

    /// Removes everything written, to reuse the writer (and its buffer) for another document.
    ///
    /// - Parameter keepingCapacity: Whether to keep the buffer's storage; `true` unless given.
    public mutating func reset(keepingCapacity: Bool = true) {
        bytes.removeAll(keepingCapacity: keepingCapacity)
        needsComma = false
    }

    /// Writes a line feed and starts a new top-level document after it, for NDJSON.
    public mutating func writeNewline() {
        bytes.append(UInt8(ascii: "\n"))
        needsComma = false
    }

    // MARK: - Trees

    /// Writes a value, with everything in it.
    ///
    /// - Parameter value: The value; object members are written in their stored order.
    public mutating func write(_ value: JSONValue) {
        switch value {
        case .null: writeNull()
        case .bool(let flag): writeBool(flag)
        case .number(let number): writeNumber(number)
        case .string(let string): writeString(string)
        case .array(let elements):
            beginArray()
            for element in elements { write(element) }
            endArray()
        case .object(let object):
            beginObject()
            for member in object.members {
                key(member.key)
                write(member.value)
            }
            endObject()
        }
    }

    // MARK: - Scalars

    /// Writes `null`.
    public mutating func writeNull() {
        separate()
        appendASCII("null")
    }

    /// Writes `true` or `false`.
    ///
    /// - Parameter value: The value.
    public mutating func writeBool(_ value: Bool) {
        separate()
        if value {
            appendASCII("true")
        } else {
            appendASCII("false")
        }
    }

    /// Writes a number as its literal text.
    ///
    /// - Parameter number: The number.
    public mutating func writeNumber(_ number: JSONNumber) {
        separate()
        bytes.append(contentsOf: number.text.utf8)
    }

    /// Writes an integer.
    ///
    /// - Parameter value: The integer.
    public mutating func writeNumber(_ value: Int64) {
        separate()
        if value >= 0, value < 10 {
            bytes.append(UInt8(ascii: "0") + UInt8(truncatingIfNeeded: value))
        } else {
            bytes.append(contentsOf: String(value).utf8)
        }
    }

    /// Writes an integer.
    ///
    /// - Parameter value: The integer.
    public mutating func writeNumber(_ value: Int) {
        writeNumber(Int64(value))
    }

    /// Writes a floating-point value in its shortest round-trip form, or `null` when it is NaN or
    /// an infinity.
    ///
    /// - Parameter value: The value.
    public mutating func writeNumber(_ value: Double) {
        if let number = JSONNumber(value) {
            writeNumber(number)
        } else {
            writeNull()
        }
    }

    /// Writes a string, quoted and escaped.
    ///
    /// - Parameter string: The string.
    public mutating func writeString(_ string: String) {
        separate()
        appendQuoted(string)
    }

    // MARK: - Containers

    /// Starts an object: write members with ``key(_:)`` and a value each, then ``endObject()``.
    public mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    /// Writes the key of the next object member; write its value next.
    ///
    /// - Parameter key: The key. Keys of one object should be distinct: the parser rejects a
    ///   document that repeats one.
    public mutating func key(_ key: String) {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        appendQuoted(key)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    /// Ends the object started last.
    public mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    /// Starts an array: write its elements, then ``endArray()``.
    public mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
    }

    /// Ends the array started last.
    public mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    // MARK: - Internals

    /// Writes the comma before a value when one is due, and marks that the next one needs one.
    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        needsComma = true
    }

    private mutating func appendASCII(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    private mutating func appendQuoted(_ string: String) {
        bytes.append(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { utf8 in appendEscaped(utf8) }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func appendEscaped(_ utf8: UnsafeBufferPointer<UInt8>) {
        var runStart = 0
        var index = 0
        let count = utf8.count
        while index < count {
            let byte = utf8[index]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else {
                index += 1
                continue
            }
            if runStart < index { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index])) }
            bytes.append(UInt8(ascii: "\\"))
            switch byte {
            case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\"))
            case UInt8(ascii: "\n"): bytes.append(UInt8(ascii: "n"))
            case UInt8(ascii: "\r"): bytes.append(UInt8(ascii: "r"))
            case UInt8(ascii: "\t"): bytes.append(UInt8(ascii: "t"))
            case 0x08: bytes.append(UInt8(ascii: "b"))
            case 0x0C: bytes.append(UInt8(ascii: "f"))
            default:
                let hexDigits: StaticString = "0123456789abcdef"
                appendASCII("u00")
                bytes.append(hexDigits.utf8Start[Int(byte >> 4)])
                bytes.append(hexDigits.utf8Start[Int(byte & 0x0F)])
            }
            index += 1
            runStart = index
        }
        if runStart < count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<count])) }
    }
}
