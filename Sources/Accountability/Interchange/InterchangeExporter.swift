public import EventLedger
import Foundation

/// Writes the log in the interchange format, with everything an auditor needs to recompute the
/// hash chain from the file alone.
///
/// Each NDJSON line holds, in this order: `position`, `stream`, `revision`, `type`,
/// `schemaVersion`, `id`, `recordedAt`, `occurredAt`, `actor`, `correlationID`, `causationID`
/// (the last three only when present), `data` (the event's fields, Docs/ExportFormat.md; for a
/// type that is not built in, `payload` with the payload's bytes in hexadecimal instead),
/// `previousHash` (the chain hash of the position before, 64 zeros before position 1),
/// `chainHash`, `canonical`: the record's canonical bytes in hexadecimal, and `seal` on the line of
/// a position the ledger sealed (``HeadSeal``: `ledgerID`, `sealedAt`, `mac`). A user's
/// ``CodableLedgerEvent`` shows its JSON payload as `data`. Docs/ExportFormat.md is the normative
/// description, byte for byte.
///
/// `chainHash = SHA-256(previousHash bytes ‖ canonical bytes)`, and the canonical bytes hold the
/// envelope (``EnvelopeLayout``: position at byte 8, revision at 24, event id at 32, recorded-at
/// at 48 and occurred-at at 56, little-endian) followed by the payload, so a stock SHA-256 proves
/// both the chain and that the readable fields are the ones that were hashed
/// (`Scripts/verify_export.py` does it). Times are RFC 3339 with microseconds, exactly as stored.
///
/// The CSV format has the same columns, `data` holding the JSON object as text.
public struct InterchangeExporter: Sendable {
    /// The CSV header (and the NDJSON member order).
    public static let columns = [
        "position", "stream", "revision", "type", "schemaVersion", "id", "recordedAt", "occurredAt",
        "actor", "correlationID", "causationID", "data", "previousHash", "chainHash", "canonical", "seal",
    ]

    /// The format written.
    public var format: ExportFormat
    /// The first position written (default 1).
    public var from: UInt64 = 1
    /// The last position written (default: the head).
    public var through: UInt64?

    /// An exporter of `format`.
    public init(format: ExportFormat) {
        self.format = format
    }

    /// Writes the selected records of `ledger` to `output` in chunks of about 1 MiB, on one
    /// snapshot. Returns the number of records written.
    ///
    /// - Parameter progress: called with the position reached, every 16,384 records and at the end.
    @discardableResult
    public func export(_ ledger: Ledger, to output: (UnsafeRawBufferPointer) throws -> Void,
                       progress: ((UInt64) -> Void)? = nil) throws -> UInt64 {
        var seals: [UInt64: ExportedSeal] = [:]
        for seal in try ledger.seals() {
            seals[seal.position] = ExportedSeal(ledgerID: ledger.ledgerID, sealedAt: seal.sealedAt, mac: seal.mac)
        }
        return try ledger.read { reader in
            var buffer: [UInt8] = []
            buffer.reserveCapacity(1 << 21)
            func flush() throws {
                try buffer.withUnsafeBytes { try output($0) }
                buffer.removeAll(keepingCapacity: true)
            }
            if format == .csv {
                buffer.append(contentsOf: CSVField.record(Self.columns).utf8)
            }
            var previous = ChainHash.genesis
            if from > 1, let before = try reader.event(at: from - 1) { previous = before.chainHash }
            var streams: [UInt64: String] = [:]
            var written: UInt64 = 0
            var query = EventQuery.all(from: max(from, 1))
            if let through { query = query.through(position: through) }
            try reader.forEach(query) { record in
                let stream: String
                if let known = streams[record.streamKey] {
                    stream = known
                } else {
                    stream = try reader.streamName(of: record)
                    streams[record.streamKey] = stream
                }
                let hash = record.chainHash
                var line = try Self.line(record, stream: stream, previous: previous, hash: hash, reader: reader)
                if let seal = seals[record.position], seal.ledgerID == ledger.ledgerID {
                    line = JSONObject(line.members + [JSONMember(key: "seal", value: .object(seal.object))])
                }
                switch format {
                case .ndjson:
                    buffer.append(contentsOf: JSONValue.object(line).serialized.utf8)
                    buffer.append(10)
                case .csv:
                    buffer.append(contentsOf: Self.csvRecord(line).utf8)
                }
                previous = hash
                written += 1
                if buffer.count >= 1 << 20 { try flush() }
                if written % 16_384 == 0 { progress?(record.position) }
            }
            try flush()
            let head = try reader.head().position
            let end = min(through ?? head, head)
            progress?(end)
            return written
        }
    }

    /// The NDJSON export line of one record (without its line break), `previous` being the chain
    /// hash of the position before it.
    public static func exportLine(_ record: EventRecord, previous: ChainHash, reader: LedgerReader) throws -> String {
        JSONValue.object(try line(record, stream: try reader.streamName(of: record), previous: previous, hash: record.chainHash, reader: reader)).serialized
    }

    /// The export object of one record.
    static func line(_ record: EventRecord, stream: String, previous: ChainHash, hash: ChainHash, reader: LedgerReader) throws -> JSONObject {
        let type = try reader.eventType(of: record)
        let shown: (key: String, value: JSONValue)
        if let event = try AccountabilityEvent.decode(record, in: reader) {
            shown = ("data", .object(InterchangeDataEncoder.encode(event)))
        } else if reader.registry.payloadIsJSON(type), let value = try? JSONParser.parse(record.payload) {
            shown = ("data", value)
        } else {
            shown = ("payload", .string(Hex.string(record.payload)))
        }
        return line(record, stream: stream, type: type, shown: shown, previous: previous, hash: hash)
    }

    /// The export object of one record whose names and readable payload are known: what an
    /// import compares an export line's bytes with.
    static func line(_ record: EventRecord, stream: String, type: String, shown: (key: String, value: JSONValue),
                     previous: ChainHash, hash: ChainHash, withCanonical: Bool = true) -> JSONObject {
        var line = ObjectBuilder()
        line.add("position", record.position)
        line.add("stream", stream)
        line.add("revision", record.streamRevision)
        line.add("type", type)
        line.add("schemaVersion", Int(record.schemaVersion))
        line.add("id", record.id)
        line.add("recordedAt", record.recordedAt)
        line.add("occurredAt", record.occurredAt)
        line.add("actor", record.actor)
        line.add("correlationID", record.correlationID)
        line.add("causationID", record.causationID)
        line.add(shown.key, shown.value)
        line.add("previousHash", previous.hex)
        line.add("chainHash", hash.hex)
        if withCanonical { line.add("canonical", Hex.string(record.canonicalBytes)) }
        return JSONObject(line.members)
    }

    /// The CSV record of an export object: one field per column, empty when absent.
    static func csvRecord(_ line: JSONObject) -> String {
        CSVField.record(columns.map { column in
            let value = column == "data" ? (line["data"] ?? line["payload"]) : line[column]
            switch value {
            case nil, .null?: return ""
            case .string(let text)?: return text
            case .number(let number)?: return number.text
            case let other?: return other.serialized
            }
        })
    }
}

/// Lowercase hexadecimal text of bytes.
enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    static func string(_ bytes: UnsafeRawBufferPointer) -> String {
        String(unsafeUninitializedCapacity: bytes.count * 2) { out in
            var index = 0
            for byte in bytes {
                out[index] = digits[Int(byte >> 4)]
                out[index + 1] = digits[Int(byte & 15)]
                index += 2
            }
            return index
        }
    }
}

extension Hex {
    static func string(_ bytes: [UInt8]) -> String { bytes.withUnsafeBytes { string($0) } }
}
