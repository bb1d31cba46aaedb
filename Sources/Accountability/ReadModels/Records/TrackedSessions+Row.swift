import EventLedger
import Foundation

/// A mentorship's ``TrackedSessions`` in a record: the sessions table, then every feedback in
/// log order.
extension TrackedSessions: RecordField {
    static var minimumEncodedSize: Int { 4 + 4 }

    func encode(into writer: inout EventPayloadWriter) {
        sessions.encode(into: &writer)
        writer.write(fields: feedback)
    }

    init(decoding reader: inout EventPayloadReader) throws {
        sessions = try IDTable<TrackedSession>(decoding: &reader)
        feedback = try reader.readFields(FeedbackFact.self)
    }
}
