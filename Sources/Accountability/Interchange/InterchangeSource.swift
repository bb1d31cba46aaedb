public import EventLedger
public import Foundation

/// The lines of an interchange or export file, NDJSON or CSV, as JSON objects: what the importer
/// and ``ExportVerifier`` read.
///
/// A CSV export's columns (``InterchangeExporter/columns``) become the members of the same object
/// an NDJSON line holds: empty cells are absent members, `position`, `revision` and
/// `schemaVersion` numbers, `data` and `seal` the JSON their cell holds (for a user's binary
/// type, whose `data` cell holds hexadecimal payload bytes, the member is `payload`).
public struct InterchangeSource {
    private enum Reader {
        case ndjson(LineReader)
        case csv(CSVRecordReader, columns: [String]?)
    }

    private var reader: Reader
    /// The line number the last object began on (1-based).
    public private(set) var lineNumber = 0

    /// Reads `handle` as `format`; `maximumLineLength` bounds one line (or CSV record).
    public init(_ handle: FileHandle, format: ExportFormat, maximumLineLength: Int = 1 << 20) {
        switch format {
        case .ndjson: reader = .ndjson(LineReader(handle, maximumLineLength: maximumLineLength))
        case .csv: reader = .csv(CSVRecordReader(handle, maximumRecordLength: maximumLineLength), columns: nil)
        }
    }

    /// The bytes read so far, for progress.
    public var bytesRead: Int {
        switch reader {
        case .ndjson(let lines): lines.bytesRead
        case .csv(let records, _): records.bytesRead
        }
    }

    /// The next object, or `nil` at the end. Blank NDJSON lines are skipped.
    ///
    /// - Throws: ``InterchangeError`` naming the line and the field; the read error of an
    ///   unreadable file.
    public mutating func next() throws -> JSONObject? {
        switch try next(orTake: { (_: UnsafeRawBufferPointer) -> Never? in nil }) {
        case .object(let object)?: object
        case nil: nil
        }
    }

    /// A line as ``next(orTake:)`` gives it: parsed, or taken whole from its bytes.
    enum Line<Taken> {
        case object(JSONObject)
        case taken(Taken)
    }

    /// The next line; an NDJSON line's bytes are first offered to `take`, and parsed only when it
    /// returns `nil` (CSV records are always parsed).
    mutating func next<Taken>(orTake take: (UnsafeRawBufferPointer) -> Taken?) throws -> Line<Taken>? {
        switch reader {
        case .ndjson(var lines):
            defer { reader = .ndjson(lines) }
            var line: Line<Taken>?
            var failure: InterchangeError?
            var blank = true
            while blank {
                guard try lines.next({ bytes in
                    blank = bytes.allSatisfy { $0 == 32 || $0 == 9 }
                    guard !blank else { return }
                    if let taken = take(bytes) {
                        line = .taken(taken)
                        return
                    }
                    do throws(InterchangeError) {
                        line = .object(try Self.object(bytes))
                    } catch {
                        failure = error
                    }
                }) else {
                    lineNumber = lines.lineNumber
                    return nil
                }
            }
            lineNumber = lines.lineNumber
            if let failure { throw failure.at(line: lineNumber) }
            return line
        case .csv(var records, var columns):
            defer { reader = .csv(records, columns: columns) }
            if columns == nil {
                guard let header = try records.next() else { return nil }
                let known = Set(InterchangeExporter.columns)
                if let unknown = header.first(where: { !known.contains($0) }) {
                    throw InterchangeError(line: records.lineNumber, field: "line", "the CSV header names column '\(unknown.prefix(40))', which is not one of \(InterchangeExporter.columns.joined(separator: ", "))")
                }
                columns = header
            }
            guard let fields = try records.next(), let names = columns else { return nil }
            lineNumber = records.lineNumber
            guard fields.count == names.count else {
                throw InterchangeError(line: lineNumber, field: "line", "the record has \(fields.count) fields; the header names \(names.count) columns")
            }
            do {
                return .object(try Self.object(csv: fields, columns: names))
            } catch {
                throw error.at(line: lineNumber)
            }
        }
    }

    private static func object(_ bytes: UnsafeRawBufferPointer) throws(InterchangeError) -> JSONObject {
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            throw InterchangeError(field: "line", "is not valid JSON: \(error)")
        }
        guard case .object(let object) = value else {
            throw InterchangeError(field: "line", "is \(value.typeName); expected one JSON object per line")
        }
        return object
    }

    private static func object(csv fields: [String], columns: [String]) throws(InterchangeError) -> JSONObject {
        var members: [JSONMember] = []
        let builtIn = Set(AccountabilityEvent.typeNames)
        let type = zip(columns, fields).first { $0.0 == "type" }?.1 ?? ""
        for (column, cell) in zip(columns, fields) where !cell.isEmpty {
            switch column {
            case "position", "revision", "schemaVersion":
                guard let number = JSONNumber(text: cell) else {
                    throw InterchangeError(field: column, "is \"\(cell.prefix(40))\"; expected a whole number")
                }
                members.append(JSONMember(key: column, value: .number(number)))
            case "data" where !builtIn.contains(type) && ExportLine.bytes(hex: cell) != nil && !cell.hasPrefix("{"):
                members.append(JSONMember(key: "payload", value: .string(cell)))
            case "data", "seal":
                do {
                    members.append(JSONMember(key: column, value: try JSONParser.parse(Array(cell.utf8))))
                } catch {
                    throw InterchangeError(field: column, "is not valid JSON: \(error)")
                }
            default:
                members.append(JSONMember(key: column, value: .string(cell)))
            }
        }
        return JSONObject(members)
    }
}
