import EventLedger
import Foundation

/// A ``TrackedTask`` in a record: assignee, assigned-at, due, optional completed-at, optional
/// cancelled-at.
extension TrackedTask: RecordField {
    static var minimumEncodedSize: Int { 16 + 8 + 8 + 1 + 1 }

    func encode(into writer: inout EventPayloadWriter) {
        writer.write(assignee)
        writer.write(assignedAt)
        writer.write(due)
        writer.write(optional: completedAt)
        writer.write(optional: cancelledAt)
    }

    init(decoding reader: inout EventPayloadReader) throws {
        assignee = try reader.readUUID()
        assignedAt = try reader.readTimestamp()
        due = try reader.readTimestamp()
        completedAt = try reader.readOptionalField(Timestamp.self)
        cancelledAt = try reader.readOptionalField(Timestamp.self)
    }
}
