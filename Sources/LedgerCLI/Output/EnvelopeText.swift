import Accountability
import EventLedger
import Foundation

/// The readable form of a stored event, for `log` and `tail`.
enum EnvelopeText {
    /// Three or four lines: position, time, stream, revision and type; occurred-at, actor and id;
    /// the data; the chain hash.
    static func format(_ record: EventRecord, reader: LedgerReader) throws -> String {
        let type = try reader.eventType(of: record)
        var text = "#\(record.position)  \(record.recordedAt.rfc3339)  \(try reader.streamName(of: record))  rev \(record.streamRevision)  \(type)\n"
        text += "    occurred \(record.occurredAt.rfc3339)"
        if let actor = record.actor { text += "  actor \(actor.uuidString.lowercased())" }
        text += "  id \(record.id.uuidString.lowercased())\n"
        if let correlation = record.correlationID { text += "    correlation \(correlation.uuidString.lowercased())" }
        if let causation = record.causationID { text += "    causation \(causation.uuidString.lowercased())" }
        if record.correlationID != nil || record.causationID != nil { text += "\n" }
        if let event = try AccountabilityEvent.decode(record, in: reader) {
            text += "    data \(JSONValue.object(InterchangeLine.data(of: event)).serialized)\n"
        } else {
            text += "    payload \(record.payload.count) bytes (type not built in)\n"
        }
        text += "    hash \(record.chainHash.hex)"
        return text
    }

    /// The export line of a record (NDJSON), for `--format json`.
    static func json(_ record: EventRecord, reader: LedgerReader) throws -> String {
        var previous = ChainHash.genesis
        if record.position > 1, let before = try reader.event(at: record.position - 1) { previous = before.chainHash }
        return try InterchangeExporter.exportLine(record, previous: previous, reader: reader)
    }
}
