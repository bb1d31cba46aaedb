import EventLedger
import Foundation

/// A mentorship's ``HealthSessionFacts`` in a record: no-show times, cancellations, then the
/// open scheduled sessions table (id → scheduled-for).
extension HealthSessionFacts: RecordField {
    static var minimumEncodedSize: Int { 4 + 4 + 4 }

    func encode(into writer: inout EventPayloadWriter) {
        writer.write(fields: noShowAt)
        writer.write(fields: cancellations)
        openScheduled.encode(into: &writer)
    }

    init(decoding reader: inout EventPayloadReader) throws {
        noShowAt = try reader.readFields(Timestamp.self)
        cancellations = try reader.readFields(HealthCancellationFact.self)
        openScheduled = try IDTable<Timestamp>(decoding: &reader)
    }
}
