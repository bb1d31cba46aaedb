public import Foundation

/// Reads RFC 4180 records (the CSV that ``CSVField`` writes) from a file or pipe, one at a time,
/// holding no more than one record and one chunk in memory.
///
/// Fields are separated by commas; a field in double quotes may hold commas, quotes (doubled) and
/// line breaks, kept byte for byte; records end with CRLF or LF outside quotes. Our own code, not a
/// library's: the core must not depend on more than LMDB and swift-crypto, and the reader must be
/// exact to the byte (a CR inside a quoted comment is part of the comment).
public struct CSVRecordReader {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var index = 0
    private var atEnd = false
    /// The longest record accepted, in bytes.
    public let maximumRecordLength: Int
    /// The physical line the last record returned began on (1-based).
    public private(set) var lineNumber = 0
    private var nextLine = 1
    /// The bytes read so far, for progress.
    public private(set) var bytesRead = 0

    /// Reads from `handle`.
    public init(_ handle: FileHandle, maximumRecordLength: Int = 1 << 20) {
        self.handle = handle
        self.maximumRecordLength = maximumRecordLength
    }

    private mutating func byte() throws -> UInt8? {
        if index == buffer.count {
            guard !atEnd else { return nil }
            guard let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty else {
                atEnd = true
                return nil
            }
            bytesRead += chunk.count
            buffer = Array(chunk)
            index = 0
        }
        defer { index += 1 }
        return buffer[index]
    }

    /// The next record's fields, or `nil` at the end of the input.
    ///
    /// - Throws: ``InterchangeError`` (field `line`) for a quote in the middle of an unquoted
    ///   field, an unterminated quoted field, a record over the limit or text that is not UTF-8.
    public mutating func next() throws -> [String]? {
        var fields: [String] = []
        var field: [UInt8] = []
        var quoted = false
        var wasQuoted = false
        var length = 0
        var started = false
        lineNumber = nextLine
        func fail(_ reason: String) -> InterchangeError {
            InterchangeError(line: lineNumber, field: "line", reason)
        }
        func finishField() throws {
            guard let text = String(validating: field, as: UTF8.self) else { throw fail("field \(fields.count + 1) is not UTF-8 text") }
            fields.append(text)
            field.removeAll(keepingCapacity: true)
            wasQuoted = false
        }
        while true {
            guard let c = try byte() else {
                if quoted { throw fail("a quoted field is not closed before the end of the file") }
                if !started { return nil }
                try finishField()
                return fields
            }
            started = true
            length += 1
            if length > maximumRecordLength { throw fail("the record is longer than \(maximumRecordLength) bytes") }
            if c == 10 { nextLine += 1 }
            if quoted {
                if c == 34 {
                    // A doubled quote is a quote; a single one closes the field.
                    if let following = try byte() {
                        if following == 34 { field.append(34); length += 1; continue }
                        index -= 1
                    }
                    quoted = false
                    wasQuoted = true
                } else {
                    field.append(c)
                }
                continue
            }
            switch c {
            case 44:
                try finishField()
            case 34:
                guard field.isEmpty, !wasQuoted else { throw fail("field \(fields.count + 1) has a quote inside an unquoted field") }
                quoted = true
            case 13:
                guard let following = try byte(), following == 10 else { throw fail("a carriage return outside quotes is not followed by a line feed") }
                nextLine += 1
                try finishField()
                return fields
            case 10:
                try finishField()
                return fields
            default:
                guard !wasQuoted else { throw fail("field \(fields.count + 1) has text after its closing quote") }
                field.append(c)
            }
        }
    }
}
